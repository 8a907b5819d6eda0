"""Regional policy (issue 28): what a region's public bodies do for every firm's displaced,
and what it costs the public (``scenario/region_policies.py`` has the designs and sources).

Each month, once every firm has closed its books (its layoffs, its displaced workers' search
and earnings booked) and the labour market has absorbed it all:

- **rapid response**: every worker laid off this month whose employer gives no outplacement
  gets the same job-search assistance (``employees.OUTPLACEMENT_JOB_FINDING`` on the
  job-finding hazard for ``OUTPLACEMENT_MONTHS``, from next month's search); the public pays
  ``cost_per_worker`` for each;
- **wage insurance**: every displaced worker re-employed for less than the old pay, aged at
  least ``min_age`` at displacement and within ``months`` of the first new job, receives
  ``replacement_rate`` of the monthly gap, until ``cap_per_worker`` is reached; the public
  pays it (a transfer: it does not change who works or for what pay);
- **tax revenue lost**: ``tax_share_of_pay`` of the pay the displaced no longer earn (their
  old pay less this month's earnings, never below zero) and of the pay the region's other
  workers lose while out of work above the baseline's unemployment (the multiplier's job
  losers not yet re-employed, at the region's average wage).

Nothing here draws a random number: a region's luck is its firms'.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from simulator.model.employees import OUTPLACEMENT_MONTHS, State
from simulator.scenario.region_policies import RegionPolicies

if TYPE_CHECKING:
    from simulator.model.labour_market import LocalEconomy
    from simulator.model.model import OutsourcingModel


class RegionalPolicy:
    """The region's programmes for the displaced of all its firms, and their public cost."""

    def __init__(self, policies: RegionPolicies, firms: int) -> None:
        self.policies = policies
        self.received = [np.zeros(0) for _ in range(firms)]  # wage insurance per worker
        self.rapid_response_paid = 0.0  # this month [money]
        self.wage_insurance_paid = 0.0  # this month [money]
        self.tax_revenue_lost = 0.0  # this month [money]

    def act(self, month: int, firms: Sequence[OutsourcingModel], economy: LocalEconomy) -> None:
        """This month's programmes for every firm's displaced, and the taxes lost."""
        self.rapid_response_paid = self.wage_insurance_paid = 0.0
        earnings_lost = 0.0
        for k, firm in enumerate(firms):
            wf = firm.workforce
            if self.policies.rapid_response.enabled:
                self.rapid_response_paid += self.respond_to_layoffs(firm, month)
            if self.policies.wage_insurance.enabled:
                self.wage_insurance_paid += self.insure_wages(k, firm, month)
            shortfall = (wf.wage - wf.earnings[month])[wf.displaced]
            earnings_lost += float(np.maximum(shortfall, 0.0).sum())
        # the other workers out of work above the baseline (the multiplier's losses less
        # those re-employed) lose the region's average pay
        excess = max(economy.unemployed_other - economy.u0, 0.0)
        local = excess * economy.params.average_wage_month
        self.tax_revenue_lost = self.policies.tax_share_of_pay * (earnings_lost + local)

    def respond_to_layoffs(self, firm: OutsourcingModel, month: int) -> float:
        """Job-search help for this month's laid-off workers without outplacement; its cost."""
        wf = firm.workforce
        served = np.flatnonzero(
            wf.involuntary & (wf.displaced_month == month) & (wf.outplacement_left == 0)
        )
        wf.outplacement_left[served] = OUTPLACEMENT_MONTHS
        return len(served) * self.policies.rapid_response.cost_per_worker

    def insure_wages(self, k: int, firm: OutsourcingModel, month: int) -> float:
        """This month's top-ups of firm ``k``'s re-employed displaced paid less; their sum."""
        p, wf = self.policies.wage_insurance, firm.workforce
        got = self.received[k]
        if len(got) < wf.n:  # new positions opened (reshoring): new people, nothing received
            got = self.received[k] = np.concatenate([got, np.zeros(wf.n - len(got))])
        age_then = wf.age - (month - wf.displaced_month) / 12.0
        eligible = (
            wf.displaced
            & (wf.state == State.reemployed)
            & (wf.first_job_month >= 0)
            & (month - wf.first_job_month < p.months)
            & (age_then >= p.min_age)
        )
        gap = np.where(eligible, np.maximum(wf.wage - wf.new_wage, 0.0), 0.0)
        pay = np.minimum(p.replacement_rate * gap, np.maximum(p.cap_per_worker - got, 0.0))
        got += pay
        return float(pay.sum())
