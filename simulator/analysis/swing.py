"""What could change the answer: each uncertainty swung over its plausible range.

For every uncertainty with a plausible range (``scenario/ranges.py``) the plan and its status
quo run with the uncertainty at the low end and at the high end of its range, everything else
at its value, on the same seeds as at the default (common random numbers): the plan's paired
effect on each headline KPI (plan minus status quo; for re-employment, which the status quo
does not have, the plan's own value) at each end. Sorted by how far the effect moves (the
*swing*), this is a tornado chart: one-at-a-time, so it shows which assumptions matter most
near the default, not how they interact.

A **switching value** is where the plan's NPV against the status quo crosses zero inside an
uncertainty's range. It is first read off the three points run (low, default, high) by
straight lines; :func:`refine_switching` then finds it by root-finding on paired runs (Brent's
method, scipy) and gives an interval from the runs' spread at the root and the slope there
(delta method).

Cost: two plan runs per uncertainty and replication, and a status-quo run for each end of
an uncertainty that reaches the status quo; vendor fields and the plan-only fields in
:data:`PLAN_ONLY` share the status quo at the default.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from simulator.analysis.parallel import pool
from simulator.analysis.replicate import estimated_seconds, run_kpis
from simulator.analysis.replications import check_run, child_seeds
from simulator.analysis.statistics import mean_interval
from simulator.scenario.ranges import ALL_VENDORS, Swung, swung
from simulator.scenario.schema import Scenario
from simulator.scenario.status_quo import is_status_quo, status_quo_of

# the KPIs a swing reports: NPV against the status quo, re-employment, service, data risk
SWING_KPIS = ("npv_net_savings", "reemployed_share_24m", "csat_mean", "breach_probability_annual")
# uncertainties that reach only the plan (the status quo lays nobody off, uses no vendor,
# discloses nothing): their ends share the status quo at the default (tests/test_swing.py
# checks that the status quo is the same to the last bit)
PLAN_ONLY = frozenset(
    {
        "local_economy.local_multiplier",
        "local_economy.multiplier_lag_months",
        "policies.local_jobs.retraining.take_up_share",
        "policies.local_jobs.retraining.completion_probability",
        "policies.transparency.disclosure_reach",
        "costs.third_party_breach_premium_per_record",
        "costs.language_premium_per_hour",
    }
)
# plan runs that share one status-quo run in a task (more: fewer status-quo runs, coarser
# tasks)
PLANS_PER_TASK = 8
# the budget within which ``outsim run`` includes a swing (or the luck-and-knowledge split)
# by default [s on one core, estimated from the scenario's size: about a third to a half of it
# in wall time on two cores]
RUN_BUDGET_SECONDS = 120.0
METHOD = (
    "each uncertainty at the low and at the high end of its plausible range "
    "(scenario/ranges.py), one at a time, everything else at its value; the plan against its "
    "status quo on the same seeds (common random numbers)"
)
SUMMARY_COLUMNS = (
    "kpi",
    "rank",
    "uncertainty",
    "description",
    "unit",
    "low",
    "default",
    "high",
    "source",
    "effect_default",
    "effect_low",
    "effect_high",
    "swing",
    "swing_ci95_low",
    "swing_ci95_high",
)
SWITCHING_COLUMNS = (
    "uncertainty",
    "description",
    "unit",
    "value",
    "ci95_low",
    "ci95_high",
    "default",
    "low",
    "high",
    "pays_above",
    "method",
    "swing",
)


def _mean(values: np.ndarray) -> float:
    """The mean of the finite values (NaN, without a warning, when there are none)."""
    finite = values[np.isfinite(values)]
    return float(finite.mean()) if len(finite) else float("nan")


def reaches_status_quo(item: Swung) -> bool:
    """Whether changing this uncertainty changes the status quo's run."""
    return not (item.path.startswith(ALL_VENDORS) or item.path in PLAN_ONLY)


@dataclass(frozen=True)
class PairedJob:
    """Plans that share a status quo, on one seed: the status quo runs once, then each plan
    on its books."""

    status_quo: Scenario
    plans: tuple[tuple[int, Scenario], ...]  # (point, plan)
    seed: np.random.SeedSequence
    replication: int


def _effects(plan: dict[str, Any], base: dict[str, Any]) -> dict[str, float]:
    """Per swing KPI: plan minus status quo, or the plan's own value where the status quo
    has none (NaN where the plan has none)."""
    out = {}
    for k in SWING_KPIS:
        a, b = plan.get(k), base.get(k)
        if a is None:
            out[k] = np.nan
        else:
            out[k] = float(a) - (float(b) if b is not None else 0.0)
    return out


def run_paired(job: PairedJob) -> list[tuple[int, int, dict[str, float]]]:
    """(point, replication, effects) of each plan of ``job``."""
    base, books = run_kpis(job.status_quo, job.seed)
    out = []
    for point, plan in job.plans:
        kpis, _ = run_kpis(plan, job.seed, books)
        out.append((point, job.replication, _effects(kpis, base)))
    return out


def _jobs(
    points: Sequence[tuple[Scenario, Scenario | None]], seeds: list[np.random.SeedSequence]
) -> list[PairedJob]:
    """Tasks for ``points`` (plan, its own status quo or None to share the first point's),
    every replication."""
    shared = [i for i, (_, sq) in enumerate(points) if sq is None]
    default_sq = points[0][1]
    if default_sq is None:
        raise ValueError("the first point needs its status quo")
    jobs = []
    for k, seed in enumerate(seeds):
        for i, (plan, sq) in enumerate(points):
            if sq is not None and i != 0:
                jobs.append(PairedJob(sq, ((i, plan),), seed, k))
        together = [0, *shared]
        for start in range(0, len(together), PLANS_PER_TASK):
            chunk = together[start : start + PLANS_PER_TASK]
            jobs.append(PairedJob(default_sq, tuple((i, points[i][0]) for i in chunk), seed, k))
    return jobs


def _run_points(
    points: Sequence[tuple[Scenario, Scenario | None]],
    seeds: list[np.random.SeedSequence],
    workers: int | None,
    scheduler: str | None,
    client: Any,
    progress: Callable[[int, int], None] | None,
) -> np.ndarray:
    """Effects array: points × replications × SWING_KPIS."""
    jobs = _jobs(points, seeds)
    runs = sum(len(j.plans) + 1 for j in jobs)
    small = estimated_seconds([points[0][0]], runs) < 10
    out = np.full((len(points), len(seeds), len(SWING_KPIS)), np.nan)
    done = 0
    with pool(workers, scheduler, client, small) as where:
        for _, results in where.map(run_paired, jobs):
            for point, k, effects in results:
                out[point, k] = [effects[name] for name in SWING_KPIS]
            done += len(results) + 1
            if progress is not None:
                progress(done, runs)
    return out


def planned_runs(scenario: Scenario, replications: int) -> int:
    """How many model runs a swing of ``scenario`` takes."""
    items = swung(scenario)
    points = [(None, True)] + [(i, reaches_status_quo(i)) for i in items for _ in (0, 1)]
    own = sum(1 for _, reaches in points[1:] if reaches)
    shared = 1 + sum(1 for _, reaches in points[1:] if not reaches)
    chunks = -(-shared // PLANS_PER_TASK)
    return replications * (2 * own + shared + chunks)


def over_budget(wall: float) -> str:
    """Why ``outsim run`` left the swing out."""
    return (
        f"not run: it would take about {wall:.0f} s on one core, beyond the "
        f"{RUN_BUDGET_SECONDS:.0f} s `outsim run` allows it; run `outsim swing` for it (or "
        "`outsim run --swing`)"
    )


@dataclass
class Swing:
    """A swing analysis: per uncertainty and KPI, the plan's effect at each end."""

    scenario: Scenario
    items: list[Swung]
    effects: np.ndarray  # (1 + 2 × uncertainties) × replications × SWING_KPIS
    replications: int
    seed: int
    runs: int
    seconds: float
    switching: list[dict[str, Any]] = field(default_factory=list)

    def _interval(self, point: int, kpi: int) -> tuple[float, float, float]:
        return mean_interval(self.effects[point, :, kpi])

    def table(self) -> pd.DataFrame:
        """One row per uncertainty and KPI: the range, the effect at the default and at
        each end (mean and 95% interval), and the swing (high end minus low end)."""
        rows = []
        for j, name in enumerate(SWING_KPIS):
            base = self._interval(0, j)[0]
            for i, item in enumerate(self.items):
                lo, lo_l, lo_h = self._interval(1 + 2 * i, j)
                hi, hi_l, hi_h = self._interval(2 + 2 * i, j)
                paired = self.effects[2 + 2 * i, :, j] - self.effects[1 + 2 * i, :, j]
                sw, sw_l, sw_h = mean_interval(paired)
                rows.append(
                    {
                        "kpi": name,
                        "uncertainty": item.path,
                        "description": item.description,
                        "unit": item.unit,
                        "low": item.low,
                        "default": item.default,
                        "high": item.high,
                        "source": item.source,
                        "effect_default": base,
                        "effect_low": lo,
                        "effect_low_ci95_low": lo_l,
                        "effect_low_ci95_high": lo_h,
                        "effect_high": hi,
                        "effect_high_ci95_low": hi_l,
                        "effect_high_ci95_high": hi_h,
                        "swing": sw,
                        "swing_ci95_low": sw_l,
                        "swing_ci95_high": sw_h,
                    }
                )
        frame = pd.DataFrame(rows)
        frame["order"] = frame["kpi"].map({k: i for i, k in enumerate(SWING_KPIS)})
        frame["size"] = frame["swing"].abs()
        frame = frame.sort_values(["order", "size"], ascending=[True, False], kind="stable")
        frame["rank"] = frame.groupby("kpi").cumcount() + 1
        return frame.drop(columns=["order", "size"]).reset_index(drop=True)

    def anchor(self, means: dict[str, float | None]) -> Swing:
        """Centre the swing on better estimates of the plan's effect at the values assumed
        (``means``: per KPI, e.g. the mean of a run's replications): every point of a KPI
        moves by the same amount, so each end keeps its paired change from the default on
        the swing's seeds (common random numbers) and the switching values are read off
        again. A KPI without a mean is left as it is."""
        for j, kpi in enumerate(SWING_KPIS):
            mean = means.get(kpi)
            here = _mean(self.effects[0, :, j])
            if mean is not None and np.isfinite(mean) and np.isfinite(here):
                self.effects[:, :, j] += float(mean) - here
        self.switching = crossings(self)
        return self

    def at_default(self, kpi: str = "npv_net_savings") -> tuple[float, float, float]:
        """The plan's mean effect on ``kpi`` at the values assumed, with its 95% interval
        over the swing's replications."""
        return self._interval(0, SWING_KPIS.index(kpi))

    def summary(self, npv: tuple[float, float, float] | None = None) -> dict[str, Any]:
        """What a results folder keeps of the swing (``summary.json``): how it was run, the
        NPV at the values assumed (``npv``: mean and 95% interval, default the swing's own
        runs at the default), every row of :meth:`table` and the switching values."""
        rows = self.table()[list(SUMMARY_COLUMNS)]
        mean, low, high = self.at_default() if npv is None else npv
        return {
            "replications": self.replications,
            "seed": self.seed,
            "runs": self.runs,
            "uncertainties": len(self.items),
            "method": METHOD,
            "npv_at_default": {"mean": mean, "ci95_low": low, "ci95_high": high},
            "rows": [
                {
                    k: (None if isinstance(v, float) and not np.isfinite(v) else v)
                    for k, v in r.items()
                }
                for r in rows.to_dict("records")
            ],
            "switching": [{k: c[k] for k in SWITCHING_COLUMNS} for c in self.switching],
        }

    def top(self, kpi: str = "npv_net_savings", n: int = 3) -> pd.DataFrame:
        """The ``n`` uncertainties that swing ``kpi`` most."""
        table = self.table()
        return table[table["kpi"] == kpi].head(n)


def swing(
    scenario: Scenario,
    replications: int = 1,
    seed: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    client: Any = None,
) -> Swing:
    """Swing every uncertainty of ``scenario`` over its plausible range (``replications``
    paired runs per point, on the children of ``seed``, default the scenario's). Switching
    values are read off the three points by straight lines (:func:`refine_switching` finds
    them by root-finding)."""
    if is_status_quo(scenario):
        raise ValueError(f"{scenario.name}: has no plan; a swing needs a plan to compare")
    root = scenario.simulation.seed if seed is None else seed
    check_run(replications, root)
    seeds = child_seeds(root, replications)
    items = swung(scenario)
    points: list[tuple[Scenario, Scenario | None]] = [(scenario, status_quo_of(scenario))]
    for item in items:
        for end in (item.low, item.high):
            plan = item.at(scenario, end)
            points.append((plan, status_quo_of(plan) if reaches_status_quo(item) else None))
    started = time.perf_counter()
    effects = _run_points(points, seeds, workers, scheduler, client, progress)
    result = Swing(
        scenario,
        items,
        effects,
        replications,
        root,
        sum(len(j.plans) + 1 for j in _jobs(points, seeds)),
        time.perf_counter() - started,
    )
    result.switching = crossings(result)
    return result


def crossings(result: Swing, kpi: str = "npv_net_savings") -> list[dict[str, Any]]:
    """Where ``kpi``'s mean effect crosses zero between two of the three points run (low,
    default, high), by straight lines: one entry per uncertainty that crosses."""
    j = SWING_KPIS.index(kpi)
    base = _mean(result.effects[0, :, j])
    out = []
    for i, item in enumerate(result.items):
        lo = _mean(result.effects[1 + 2 * i, :, j])
        hi = _mean(result.effects[2 + 2 * i, :, j])
        xs, ys = [item.low, item.default, item.high], [lo, base, hi]
        for (x0, x1), (y0, y1) in zip(itertools.pairwise(xs), itertools.pairwise(ys), strict=True):
            if np.isfinite(y0) and np.isfinite(y1) and y0 * y1 < 0 and x1 != x0:
                value = x0 + (x1 - x0) * y0 / (y0 - y1)
                out.append(_crossing(item, value, y0, y1, x0, x1, None, None, "lines"))
                out[-1]["swing"] = hi - lo
                break
    return sorted(out, key=lambda c: -abs(c["swing"]))


def _crossing(
    item: Swung,
    value: float,
    y0: float,
    y1: float,
    x0: float,
    x1: float,
    low: float | None,
    high: float | None,
    method: str,
) -> dict[str, Any]:
    rises = y1 > y0  # the effect rises with the uncertainty
    return {
        "swing": y1 - y0,
        "uncertainty": item.path,
        "description": item.description,
        "unit": item.unit,
        "value": float(value),
        "ci95_low": low,
        "ci95_high": high,
        "default": item.default,
        "low": item.low,
        "high": item.high,
        "pays_above": bool(rises),  # the NPV is positive above the value (else below)
        "method": method,
        "bracket": (float(x0), float(x1)),
    }


def refine_switching(
    result: Swing,
    workers: int | None = None,
    scheduler: str | None = None,
    client: Any = None,
    tolerance: float = 0.02,
    limit: int = 3,
) -> list[dict[str, Any]]:
    """The switching values found by root-finding (Brent) on the mean NPV effect over the
    swing's seeds, each with a 95% interval: the spread of the paired runs at the root over
    the slope of the mean between the last bracket (delta method). ``tolerance``: as a share
    of the uncertainty's range; ``limit``: the crossings refined, those of the uncertainties
    that swing the NPV most (the others are kept as read off the lines)."""
    from scipy.optimize import brentq

    seeds = child_seeds(result.seed, result.replications)
    j = SWING_KPIS.index("npv_net_savings")
    by_path = {item.path: item for item in result.items}
    out = []
    for first in result.switching[:limit]:
        item = by_path[first["uncertainty"]]
        cache: dict[float, np.ndarray] = {}

        def npv(value: float, item: Swung = item, cache: dict = cache) -> float:
            if value not in cache:
                plan = item.at(result.scenario, value)
                points = [(plan, status_quo_of(plan))]
                cache[value] = _run_points(points, seeds, workers, scheduler, client, None)[0, :, j]
            return _mean(cache[value])

        x0, x1 = first["bracket"]
        span = abs(item.high - item.low)
        root = brentq(npv, x0, x1, xtol=tolerance * span, maxiter=12)
        at_root = cache.get(root)
        if at_root is None:
            npv(root)
            at_root = cache[root]
        xs = sorted(cache)
        below = max((x for x in xs if x < root), default=x0)
        above = min((x for x in xs if x > root), default=x1)
        y0, y1 = npv(below), npv(above)
        slope = (y1 - y0) / (above - below) if above != below else np.nan
        sd = float(np.nanstd(at_root, ddof=1)) if len(at_root) > 1 else np.nan
        half = 1.96 * sd / np.sqrt(len(at_root)) / abs(slope) if slope else np.nan
        low, high = (root - half, root + half) if np.isfinite(half) else (None, None)
        found = _crossing(item, root, y0, y1, below, above, low, high, "root-finding")
        out.append({**found, "swing": first["swing"]})
    result.switching = out + result.switching[limit:]
    return result.switching
