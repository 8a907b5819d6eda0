"""Robustness of a plan across futures, and the plans no other plan beats.

A candidate plan is run in every future of an ensemble (``scenario_id``), several
replications each, on the same seeds as every other candidate (common random numbers). For
each KPI, f̄(plan, future) is the mean over replications; a robustness measure then sums up
the futures (Kwakkel, Eker & Pruyt 2016; McPhail et al. 2018; Herman et al. 2015):

- ``mean``: the mean over futures;
- ``percentile``: the bad tail — P10 of a KPI to maximise, P90 of one to minimise (or the
  percentile given);
- ``regret``: how much worse than the base plan in the same future, P90 over futures
  (negative: better than the base plan in nine futures of ten);
- ``satisficing``: the share of futures in which the KPI meets a threshold.

Constraints hold on the mean over futures. A plan is on the Pareto front when no feasible
plan is at least as good on every robust objective and better on one; with ``epsilon`` per
objective the front is thinned to one plan per ε-box (Laumanns et al. 2002), so plans that
differ by less than a difference worth having are not listed twice.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Objective:
    """A KPI to maximise or minimise, summed up over futures by ``robustness``."""

    kpi: str
    maximise: bool
    robustness: str = "mean"  # mean, percentile, regret or satisficing
    percentile: float | None = None
    threshold: float | None = None
    epsilon: float | None = None

    @property
    def q(self) -> float:
        """The percentile taken [%]: the bad tail unless given."""
        if self.percentile is not None:
            return float(self.percentile)
        return 10.0 if self.maximise else 90.0

    @property
    def how(self) -> str:
        """How the futures are summed up, in words: mean, P10, regret P90, futures meeting."""
        return {
            "mean": "mean",
            "percentile": f"P{self.q:g}",
            "regret": "regret P90",
            "satisficing": "futures meeting",
        }[self.robustness]

    @property
    def label(self) -> str:
        """The column name of the robust value: ``npv_net_savings_p10``."""
        tag = "meets" if self.robustness == "satisficing" else self.how.lower().replace(" ", "_")
        return f"{self.kpi}_{tag}".replace(".", "_")

    @property
    def higher_is_better(self) -> bool:
        if self.robustness == "regret":
            return False
        return True if self.robustness == "satisficing" else self.maximise

    def describe(self) -> str:
        """``npv_net_savings, P10 over futures (maximise)``."""
        if self.robustness == "satisficing":
            sign = "≥" if self.maximise else "≤"
            return f"share of futures with {self.kpi} {sign} {self.threshold:g} (maximise)"
        best = "maximise" if self.higher_is_better else "minimise"
        return f"{self.kpi}, {self.how} over futures ({best})"

    def value(self, futures: np.ndarray, reference: np.ndarray | None = None) -> float:
        """The robust value from f̄ per future (``reference``: the base plan's, same order)."""
        f = np.asarray(futures, dtype=float)
        if len(f) == 0 or np.isnan(f).any():
            return math.nan
        if self.robustness == "mean":
            return float(f.mean())
        if self.robustness == "percentile":
            return float(np.percentile(f, self.q))
        if self.robustness == "satisficing":
            met = f >= self.threshold if self.maximise else f <= self.threshold
            return float(met.mean())
        if reference is None or np.isnan(reference).any():
            return math.nan
        regret = (reference - f) if self.maximise else (f - reference)
        return float(np.percentile(regret, 90))


@dataclass(frozen=True)
class Constraint:
    """``kpi >= bound`` (``at_least``) or ``kpi <= bound``, on the mean over futures."""

    kpi: str
    at_least: bool
    bound: float

    @property
    def text(self) -> str:
        return f"{self.kpi} {'>=' if self.at_least else '<='} {self.bound:g}"

    @property
    def label(self) -> str:
        return f"{self.kpi}_mean"

    def violation(self, mean: float) -> float:
        """How far the constraint is missed (≤ 0: met), as Optuna's constraints expect."""
        if math.isnan(mean):
            return math.inf
        return self.bound - mean if self.at_least else mean - self.bound


def future_means(cells: pd.DataFrame, kpi: str, expected: int) -> pd.DataFrame:
    """f̄(candidate, future) of ``kpi``: candidates as rows, futures as columns; NaN where a
    cell is missing, failed or has no value. ``expected``: replications per future."""
    ok = cells[cells["status"] == "ok"]
    grouped = ok.groupby(["candidate_id", "scenario_id"])[kpi]
    means = grouped.mean().where(grouped.count() == expected)
    return means.unstack("scenario_id")


def robust_table(
    cells: pd.DataFrame,
    objectives: list[Objective],
    constraints: list[Constraint],
    futures: int,
    replications: int,
    reference: int = 0,
) -> pd.DataFrame:
    """One row per candidate: ``complete`` (every cell ran), each objective's robust value,
    each constrained KPI's mean, the total constraint ``violation`` and ``feasible``.

    ``cells``: candidate_id, scenario_id, replication, status and one column per KPI.
    ``reference``: the candidate regret is measured against (the base plan).
    """
    ids = sorted(cells["candidate_id"].unique())
    runs = cells[cells["status"] == "ok"].groupby("candidate_id").size()
    table = pd.DataFrame(index=pd.Index(ids, name="candidate_id"))
    table["complete"] = runs.reindex(ids).fillna(0).to_numpy() == futures * replications
    kpis = {o.kpi for o in objectives} | {c.kpi for c in constraints}
    means = {k: future_means(cells, k, replications).reindex(ids) for k in kpis}
    for obj in objectives:
        m = means[obj.kpi]
        ref = m.loc[reference].to_numpy() if reference in m.index else None
        table[obj.label] = [
            obj.value(m.loc[i].to_numpy(), ref) if table.at[i, "complete"] else math.nan
            for i in ids
        ]
    violation = np.zeros(len(ids))
    for con in constraints:
        mean = means[con.kpi].mean(axis=1, skipna=False).to_numpy()
        table[con.label] = mean
        violation += np.maximum(0.0, [con.violation(v) for v in mean])
    table["violation"] = violation
    usable = table[[o.label for o in objectives]].notna().all(axis=1)
    table["feasible"] = table["complete"] & usable & (table["violation"] <= 0)
    return table


def oriented(table: pd.DataFrame, objectives: list[Objective]) -> np.ndarray:
    """The robust objectives as a matrix in which higher is always better."""
    return np.column_stack(
        [table[o.label].to_numpy(float) * (1 if o.higher_is_better else -1) for o in objectives]
    )


def non_dominated(values: np.ndarray) -> np.ndarray:
    """Mask of the rows no other row dominates (higher is better in every column)."""
    n = len(values)
    keep = np.ones(n, dtype=bool)
    for i in range(n):
        at_least = (values >= values[i]).all(axis=1)
        better = (values > values[i]).any(axis=1)
        if (at_least & better).any():
            keep[i] = False
    return keep


def epsilon_front(values: np.ndarray, epsilons: np.ndarray) -> np.ndarray:
    """Mask of an ε-thinned front: one plan per non-dominated ε-box, the one nearest the
    box's best corner (higher is better; ε = 0 in a column keeps it exact)."""
    eps = np.where(epsilons > 0, epsilons, 1.0)
    boxes = np.where(epsilons > 0, np.floor(values / eps), values)
    keep = non_dominated(boxes) & non_dominated(values)
    chosen = np.zeros(len(values), dtype=bool)
    for box in np.unique(boxes[keep], axis=0):
        members = np.flatnonzero(keep & (boxes == box).all(axis=1))
        corner = np.where(epsilons > 0, (box + 1) * eps, values[members].max(axis=0))
        distance = (((corner - values[members]) / eps) ** 2).sum(axis=1)
        chosen[members[np.argmin(distance)]] = True
    return chosen


def pareto(table: pd.DataFrame, objectives: list[Objective]) -> list[int]:
    """Candidate ids of the (ε-thinned) Pareto front among the feasible candidates, best on
    the first objective first."""
    feasible = table[table["feasible"]]
    if feasible.empty:
        return []
    values = oriented(feasible, objectives)
    eps = np.array([o.epsilon or 0.0 for o in objectives])
    front = feasible[epsilon_front(values, eps)]
    first = objectives[0]
    ordered = front.sort_values(first.label, ascending=not first.higher_is_better)
    return [int(i) for i in ordered.index]
