"""Displaced workers' paths, aligned on the month each was displaced.

The measures here are computed once and used by the KPIs, the displacement curves and the
validation suite alike:

- :func:`share_in_state`: the share of some displaced workers in a state some months after
  their own start (their displacement, or the end of their training);
- :func:`earnings_vs_counterfactual`: their earnings over what they would have earned had
  they kept their job (the pre-displacement wage grown at ``wage_growth_annual``), the
  jobless counted at zero — the measure of Jacobson, LaLonde & Sullivan (1993) and later
  studies.

:func:`count_in_state` and :func:`earnings_and_counterfactual` give the counts and sums
behind those two, for tables that pool people over replications (``analysis/groups.py``).

:func:`displacement_curves` gives both for every month since displacement: the HR view of
how many are back at work 6, 12, 24 months on, and how far their earnings have recovered.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulator.model.employees import State
from simulator.model.model import OutsourcingModel

DISPLACED_STATES = (State.unemployed, State.retraining, State.reemployed, State.left_labour_force)


def displaced(model: OutsourcingModel) -> np.ndarray:
    """Indices of the workers the plan displaced: laid off, still there when their job
    ended (involuntary separations; not those who left on notice for a new job)."""
    wf = model.workforce
    return np.flatnonzero(wf.involuntary & (wf.displaced_month >= 0))


def lost_or_left(model: OutsourcingModel) -> np.ndarray:
    """Indices of the workers who lost their job to the plan or left it on notice for a new
    one — the population of the displaced-worker surveys ("lost or left a job because ...
    position abolished"), which the validation compares with."""
    wf = model.workforce
    return np.flatnonzero(wf.displaced & (wf.displaced_month >= 0))


def _observed(model: OutsourcingModel, who: np.ndarray, start: np.ndarray, k: int):
    """Workers among ``who`` still observed ``k`` months after their ``start``, and when."""
    t = start + k
    ok = t < model.horizon
    return who[ok], t[ok]


def count_in_state(
    model: OutsourcingModel,
    who: np.ndarray,
    start: np.ndarray,
    months: range,
    state: State = State.reemployed,
) -> tuple[int, int]:
    """How many of workers ``who`` are in ``state`` ``months`` after their own month
    ``start``, and how many are observed then [worker-months, pooled over the months; each
    worker counted while still observed]: the counts behind :func:`share_in_state`."""
    hist = model.workforce.history
    hits = seen = 0
    for k in months:
        w, t = _observed(model, who, start, k)
        hits += int(np.count_nonzero(hist[t, w] == state))
        seen += len(w)
    return hits, seen


def share_in_state(
    model: OutsourcingModel,
    who: np.ndarray,
    start: np.ndarray,
    months: range,
    state: State = State.reemployed,
) -> float | None:
    """Share of workers ``who`` in ``state`` ``months`` after their own month ``start``,
    pooled over the months (each worker counted while still observed); None if nobody is
    observed."""
    hits, seen = count_in_state(model, who, start, months, state)
    return hits / seen if seen else None


def earnings_and_counterfactual(
    model: OutsourcingModel,
    who: np.ndarray,
    start: np.ndarray,
    months: range,
    labour_force_only: bool = False,
) -> tuple[float, float]:
    """Earnings of workers ``who`` ``months`` after ``start`` and their counterfactual
    earnings (the old wage grown since displacement) [USD, summed over the workers observed
    and the months], jobless at zero: the sums behind :func:`earnings_vs_counterfactual`."""
    wf = model.workforce
    earned = expected = 0.0
    for k in months:
        w, t = _observed(model, who, start, k)
        if labour_force_only:
            keep = wf.history[t, w] != State.left_labour_force
            w, t = w[keep], t[keep]
        earned += float(wf.earnings[t, w].sum())
        expected += float(wf.counterfactual_wage(w, t).sum())
    return earned, expected


def earnings_vs_counterfactual(
    model: OutsourcingModel,
    who: np.ndarray,
    start: np.ndarray,
    months: range,
    labour_force_only: bool = False,
) -> float | None:
    """Earnings of workers ``who`` ``months`` after ``start`` over their counterfactual
    earnings (the old wage grown since displacement), jobless at zero; with
    ``labour_force_only`` the months a worker spends out of the labour force are left out.
    None if nobody is observed."""
    earned, expected = earnings_and_counterfactual(model, who, start, months, labour_force_only)
    return earned / expected if expected > 0 else None


def cut(model: OutsourcingModel) -> np.ndarray:
    """Indices of the workers whose position the plan cut (given notice): the displaced and
    the redeployed, and those who found a job while on notice."""
    wf = model.workforce
    return np.flatnonzero((wf.separation_month >= 0) & (wf.separation_month < model.horizon))


def in_work_after_cut(model: OutsourcingModel, months: int) -> float | None:
    """How many of the workers whose position was cut are in work (re-employed elsewhere or
    redeployed inside the company) ``months`` after their separation; None if nobody is
    observed that long. Counting the redeployed keeps redeployment from looking like lost
    jobs when programmes are compared."""
    wf = model.workforce
    who = cut(model)
    w, t = _observed(model, who, wf.separation_month[who], months)
    if len(w) == 0:
        return None
    return float(np.isin(wf.history[t, w], (State.reemployed, State.redeployed)).sum())


def after_displacement(
    model: OutsourcingModel, months: int, state: State = State.reemployed
) -> float | None:
    """Share of all displaced workers in ``state`` ``months`` after displacement."""
    who = displaced(model)
    start = model.workforce.displaced_month[who]
    return share_in_state(model, who, start, range(months, months + 1), state)


def earnings_after_displacement(model: OutsourcingModel, months: int) -> float | None:
    """All displaced workers' earnings ``months`` after displacement over counterfactual."""
    who = displaced(model)
    start = model.workforce.displaced_month[who]
    return earnings_vs_counterfactual(model, who, start, range(months, months + 1))


PRIME_AGE = (25.0, 55.0)  # [years at displacement]


def earnings_first_year(model: OutsourcingModel) -> float | None:
    """The validated earnings measure (Couch & Placzek 2010; ``earnings_first_year`` in the
    validation): prime-age (25-54) displaced workers' earnings in months 0-11 after
    displacement over their old pay grown at wage_growth_annual, the jobless at zero and the
    months out of the labour force left out."""
    wf = model.workforce
    who = displaced(model)
    age = wf.age[who] - (model.horizon - wf.displaced_month[who]) / 12.0
    prime = who[(age >= PRIME_AGE[0]) & (age < PRIME_AGE[1])]
    start = wf.displaced_month[prime]
    return earnings_vs_counterfactual(model, prime, start, range(0, 12), labour_force_only=True)


def part_time_share(model: OutsourcingModel, months: int) -> float | None:
    """Share of the displaced back at work ``months`` after displacement whose new job is
    part-time (None: nobody back at work then)."""
    wf = model.workforce
    who = displaced(model)
    w, t = _observed(model, who, wf.displaced_month[who], months)
    back = w[wf.history[t, w] == State.reemployed]
    return float(wf.part_time[back].mean()) if len(back) else None


def displacement_curves(model: OutsourcingModel) -> pd.DataFrame:
    """One row per month since displacement (0 = the month of separation)."""
    wf = model.workforce
    who = displaced(model)
    start = wf.displaced_month[who]
    rows = []
    for k in range(model.horizon):
        seen, _ = _observed(model, who, start, k)
        if len(seen) == 0:
            break
        row: dict[str, float | None] = {
            "months_since_displacement": k,
            "workers_observed": len(seen),
        }
        for s in DISPLACED_STATES:
            row[f"share_{s.name}"] = share_in_state(model, who, start, range(k, k + 1), s)
        row["earnings_ratio"] = earnings_vs_counterfactual(model, who, start, range(k, k + 1))
        rows.append(row)
    columns = ["months_since_displacement", "workers_observed"]
    columns += [f"share_{s.name}" for s in DISPLACED_STATES] + ["earnings_ratio"]
    return pd.DataFrame(rows, columns=columns)
