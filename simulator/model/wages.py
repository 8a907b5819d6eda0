"""Wages: how pay moves over a working life, for workers who keep their job and for the
re-employed alike.

One process for everyone: log pay grows each month by the market's real wage growth
(``workforce.wage_growth_annual``) plus the return to tenure in the current job, which falls
linearly from :data:`TENURE_RETURN` a year at the start of a job to zero after
:data:`TENURE_RETURN_YEARS` (a concave seniority profile: ten years in a job add
:func:`tenure_return` (10) = 0.15 log points, between Altonji & Shakotko's (1987) small and
Topel's (1991) "over 25 percent" estimates).

- **The comparison group.** A displaced worker's comparison path is the same process
  continued in the old job from the tenure they had (:func:`comparison_pay`): each worker is
  matched to themself had they stayed, the comparison the displacement studies approximate
  with workers of similar firms who were not laid off.
- **The re-employed** start a new job at tenure zero (so they earn the steep early returns
  again, and lose what their old tenure had built: ``employees.TENURE_LOSS``), and hear of
  other jobs at :data:`JOB_TO_JOB_OFFERS` a month. Part of a new job's pay is its employer's
  premium (spread :data:`FIRM_PREMIUM_SD`); an offer carries another employer's premium, loses
  the tenure built in the current job, and is taken when it pays more — a job ladder (Burdett
  & Mortensen 1998), the way part of the loss is made good over the years. The rest of the
  loss (skills the old employer valued, hours) stays.
"""

from __future__ import annotations

import numpy as np

TENURE_RETURN = 0.02  # return to tenure at the start of a job [log points/year]
TENURE_RETURN_YEARS = 20.0  # the return falls linearly to zero over this many years [years]
# Monthly chance that an employed worker hears of a job at another employer: about 2.6% of
# US employed workers change employer each month (Fallick & Fleischman 2004, FEDS 2004-34),
# taken as the arrival rate of offers; fewer move, since only better-paid offers are taken
# [probability/month]
JOB_TO_JOB_OFFERS = 0.026
# Employers pay the same worker differently: the spread of employer pay premiums, the part of
# a new job's pay a move to another employer changes (bias-corrected two-way fixed-effect
# decompositions put the standard deviation of firm effects at about 0.1-0.2 log points:
# Card, Heining & Kline 2013; Kline, Saggio & Sølvsten 2020); the middle, an assumption
# [log points]
FIRM_PREMIUM_SD = 0.15


def tenure_return(tenure_years: np.ndarray | float) -> np.ndarray:
    """Cumulative log-pay return to ``tenure_years`` in one job [log points]: the integral of
    a return falling linearly from TENURE_RETURN to zero at TENURE_RETURN_YEARS."""
    t = np.minimum(np.maximum(np.asarray(tenure_years, dtype=float), 0.0), TENURE_RETURN_YEARS)
    return TENURE_RETURN * (t - t * t / (2.0 * TENURE_RETURN_YEARS))


def monthly_growth(tenure_years: np.ndarray, market_growth_annual: float) -> np.ndarray:
    """Factor by which pay grows over the coming month in a job held ``tenure_years``, with the
    market's real wage growth ``market_growth_annual`` [ratio]."""
    tenure_years = np.asarray(tenure_years, dtype=float)
    step = tenure_return(tenure_years + 1.0 / 12.0) - tenure_return(tenure_years)
    return np.exp(np.log1p(market_growth_annual) / 12.0 + step)


def comparison_pay(
    wage: np.ndarray,
    tenure_years: np.ndarray,
    months_since: np.ndarray,
    market_growth_annual: float,
) -> np.ndarray:
    """What a worker paid ``wage`` with ``tenure_years`` in the job when displaced would earn
    ``months_since`` months later had they kept it: the same process continued [USD/month]."""
    years = np.maximum(np.asarray(months_since, dtype=float), 0.0) / 12.0
    tenure_years = np.asarray(tenure_years, dtype=float)
    gained = tenure_return(tenure_years + years) - tenure_return(tenure_years)
    return market_pay(wage, months_since, market_growth_annual) * np.exp(gained)


def market_pay(
    wage: np.ndarray, months_since: np.ndarray, market_growth_annual: float
) -> np.ndarray:
    """The old pay grown at the market's real wage growth only (no tenure): the base a new
    job's pay ratio applies to ``months_since`` months after displacement [USD/month]."""
    years = np.maximum(np.asarray(months_since, dtype=float), 0.0) / 12.0
    return wage * np.exp(np.log1p(market_growth_annual) * years)
