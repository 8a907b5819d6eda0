"""How each KPI is measured from a finished run: discounting, survival medians, turnover,
shares of headcount, earnings after a cut, and the small column reducers the KPI table
(``kpis.py``) is written with."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from simulator.analysis.displacement import (
    cut,
    displaced,
    in_work_after_cut,
)
from simulator.model.employees import State
from simulator.model.model import OutsourcingModel


def _discounted(model: OutsourcingModel, values: np.ndarray) -> float:
    r = model.scenario.company.discount_rate_annual
    months = np.arange(len(values))
    return float((values / (1.0 + r) ** (months / 12.0)).sum())


def payback_month(net_savings: np.ndarray) -> float | None:
    """The first month from which the cumulative sum of ``net_savings`` stays at or above
    zero to the end (0 when it never goes below); None when it ends below zero."""
    cumulative = np.cumsum(net_savings)
    if len(cumulative) == 0 or cumulative[-1] < 0:
        return None
    below = np.flatnonzero(cumulative < 0)
    return float(below[-1] + 1) if len(below) else 0.0


def _npv_of(column: str) -> Callable[[OutsourcingModel, pd.DataFrame], float]:
    """The net present value of a monthly money column [USD]."""
    return lambda model, ts: _discounted(model, ts[column].to_numpy())


def kaplan_meier_median(durations: np.ndarray, observed: np.ndarray) -> float | None:
    """Median of a right-censored duration (Kaplan-Meier); the longest follow-up if not
    reached."""
    if len(durations) == 0:
        return None
    order = np.argsort(durations, kind="stable")
    d, e = durations[order], observed[order]
    survival = 1.0
    at_risk = len(d)
    for t in np.unique(d):
        here = d == t
        events = int(e[here].sum())
        if at_risk > 0 and events:
            survival *= 1.0 - events / at_risk
        if survival <= 0.5:
            return float(t)
        at_risk -= int(here.sum())
    return float(d.max())


def _median_jobless(model: OutsourcingModel, ts: pd.DataFrame) -> float | None:
    wf = model.workforce
    d = wf.involuntary & (wf.displaced_month >= 0)
    if not d.any():
        return None
    found = wf.first_job_month[d] >= 0
    end = np.where(found, wf.first_job_month[d], model.horizon - 1)
    # a worker who left the labour force before finding work is censored there
    left = (~found) & (wf.state[d] == State.left_labour_force)
    end = np.where(left, end - wf.months_in_state[d], end)
    durations = np.maximum(end - wf.displaced_month[d], 0)
    return kaplan_meier_median(durations.astype(float), found)


def turnover(quits: np.ndarray, at_risk: np.ndarray) -> float | None:
    """Realised turnover as centres report it: a year's quits over average headcount
    (12 × quits / agent-months at risk) [quits per agent-year]; None without staff."""
    months = float(np.sum(at_risk))
    return float(12.0 * np.sum(quits) / months) if months > 0 else None


def vendor_turnover(ts: pd.DataFrame) -> float | None:
    """Vendor agents' realised turnover over the months of ``ts``."""
    quits = ts["vendor_quits"].to_numpy()
    return turnover(quits, ts["vendor_staff"].to_numpy() + quits)


def in_house_turnover(ts: pd.DataFrame) -> float | None:
    """In-house agents' realised turnover over the months of ``ts``."""
    return turnover(ts["in_house_quits"].to_numpy(), ts["in_house_at_risk"].to_numpy())


def _staff_weighted(column: str) -> Callable[[OutsourcingModel, pd.DataFrame], float | None]:
    def f(model: OutsourcingModel, ts: pd.DataFrame) -> float | None:
        w = ts["vendor_staff"].to_numpy()
        if w.sum() <= 0:
            return None
        return float(np.dot(ts[column].to_numpy(), w) / w.sum())

    return f


def _annualised(monthly: np.ndarray) -> float:
    monthly = np.clip(monthly, 0.0, 1.0 - 1e-12)
    return float(1.0 - np.exp(12.0 * np.log1p(-monthly).mean()))


def _retraining_completion(model: OutsourcingModel, ts: pd.DataFrame) -> float | None:
    wf = model.workforce
    duration = model.scenario.policies.local_jobs.retraining.duration_months
    ended = (wf.training_started >= 0) & (wf.training_started + duration <= model.horizon - 1)
    if not ended.any():
        return None
    return float(wf.training_completed[ended].mean())


SUPPORT_LINES = ("severance", "outplacement", "retraining", "redeployment", "community_investment")


def _support_cost(model: OutsourcingModel, ts: pd.DataFrame) -> float:
    """Spent on displaced workers and the community: severance, outplacement, retraining,
    redeployment and community investment [USD]."""
    return float(sum(ts[f"cost_{line}"].sum() for line in SUPPORT_LINES))


def _in_work(months: int) -> Callable[[OutsourcingModel, pd.DataFrame], float | None]:
    return lambda model, ts: in_work_after_cut(model, months)


def _earnings_from(model: OutsourcingModel, who: np.ndarray, start: np.ndarray) -> float | None:
    """Earnings of workers ``who``, each from its month ``start`` to the horizon [USD]."""
    if len(who) == 0:
        return None
    after = np.arange(model.horizon)[:, None] >= start[None, :]
    return float((model.workforce.earnings[:, who] * after).sum())


def _cut_earnings(model: OutsourcingModel, ts: pd.DataFrame) -> float | None:
    """Earnings of every worker whose position was cut, from the month it ended to the
    horizon, wherever they earn it: redeployed, re-employed or on notice [USD]."""
    who = cut(model)
    return _earnings_from(model, who, model.workforce.separation_month[who])


def _displaced_earnings(model: OutsourcingModel, ts: pd.DataFrame) -> float | None:
    """Earnings of the displaced from their displacement to the horizon [USD]."""
    who = displaced(model)
    return _earnings_from(model, who, model.workforce.displaced_month[who])


def _per_100_agent_years(model: OutsourcingModel, ts: pd.DataFrame) -> float | None:
    months = ts["vendor_staff"].sum()
    if months <= 0:
        return None
    return float(ts["vendor_incidents"].sum() / months * 12 * 100)


def _gap(a: str, b: str) -> Callable[[OutsourcingModel, pd.DataFrame], float]:
    """Mean of column ``a`` minus column ``b`` over months with vendor service (0 if none)."""

    def f(model: OutsourcingModel, ts: pd.DataFrame) -> float:
        live = ts["outsourced_share"].to_numpy() > 0
        if not live.any():
            return 0.0
        return float((ts[a].to_numpy() - ts[b].to_numpy())[live].mean())

    return f


def _escalation_rate(model: OutsourcingModel, ts: pd.DataFrame) -> float:
    live = ts["outsourced_share"].to_numpy() > 0
    if not live.any():
        return 0.0
    return float(ts["escalations"][live].sum() / max(ts["contacts"][live].sum(), 1.0))


def _last(column: str) -> Callable[[OutsourcingModel, pd.DataFrame], float]:
    return lambda model, ts: float(ts[column].iloc[-1])


def _mean(column: str) -> Callable[[OutsourcingModel, pd.DataFrame], float]:
    return lambda model, ts: float(ts[column].mean())


def _sum(column: str) -> Callable[[OutsourcingModel, pd.DataFrame], float]:
    return lambda model, ts: float(ts[column].sum())


def _share_of_headcount(count: Callable[[OutsourcingModel], float]) -> Callable:
    return lambda model, ts: float(count(model) / max(model.workforce.n, 1))
