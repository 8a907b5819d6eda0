"""Both kinds of uncertainty in one answer: luck and knowledge, split.

A run's replications vary only the luck (every draw of the model's random streams) with
every assumption held at its value. Here the assumptions vary too: K draws of the
uncertainties (each from its plausible range, ``scenario/ranges.py``, by a Latin hypercube),
and for each draw R replications on their own seeds, the plan and its status quo sharing the
draw and the seed (the plan's effect stays paired). A headline KPI's spread over the K × R
runs is then the range with everything uncertain, and the law of total variance splits it:

    Var(Y) = E_k[Var(Y | k)] + Var_k(E[Y | k])
             luck                knowledge

estimated by the one-way random-effects ANOVA of a balanced design: luck = the mean of the
K within-draw variances; knowledge = the variance of the K draw means minus luck / R (an
unbiased estimate, set to zero when sampling makes it negative).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import qmc

from simulator.analysis.calibrate import Posterior, shipped_posterior
from simulator.analysis.kpis import KPI_BY_NAME
from simulator.analysis.parallel import pool
from simulator.analysis.replicate import estimated_seconds
from simulator.analysis.replications import check_run
from simulator.analysis.swing import SWING_KPIS, PairedJob, run_paired
from simulator.scenario.overrides import with_overrides
from simulator.scenario.ranges import swung
from simulator.scenario.schema import Scenario
from simulator.scenario.status_quo import is_status_quo, status_quo_of

MODES = ("none", "ranges", "posterior", "both")
METHODS = {
    "ranges": "each draw sets every declared uncertainty from its plausible range (Latin "
    "hypercube, scenario/ranges.py)",
    "posterior": "each draw sets the calibrated constants from their posterior (outsim "
    "calibrate), resampled by weight",
    "both": "each draw sets every declared uncertainty from its plausible range (Latin "
    "hypercube) and the calibrated constants from their posterior",
}
# what a draw varies, in a report's words ("With {n} assumptions ..." / "each with ...")
DRAWN = {
    "ranges": "the declared uncertainties drawn from their plausible ranges",
    "posterior": "the calibrated constants drawn from their posterior",
    "both": "the declared uncertainties drawn from their plausible ranges and the calibrated "
    "constants from their posterior",
}
# the nested design ``outsim run`` uses by default: draws × replications per draw
DEFAULT_DRAWS, DEFAULT_REPLICATIONS = 10, 2


def decompose(values: np.ndarray) -> dict[str, float]:
    """The split of a draws × replications array (NaN-free rows only): mean, 5th and 95th
    percentile over every run, total variance, luck (within draws), knowledge (between
    draws) and knowledge's share of the total."""
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values).all(axis=1)]
    nan = float("nan")
    if values.size == 0:
        return dict.fromkeys(
            ("mean", "p05", "p95", "variance", "luck", "knowledge", "knowledge_share"), nan
        )
    draws, reps = values.shape
    luck = float(values.var(axis=1, ddof=1).mean()) if reps > 1 else nan
    between = float(values.mean(axis=1).var(ddof=1)) if draws > 1 else nan
    knowledge = max(0.0, between - luck / reps) if reps > 1 and draws > 1 else nan
    total = luck + knowledge
    return {
        "mean": float(values.mean()),
        "p05": float(np.percentile(values, 5)),
        "p95": float(np.percentile(values, 95)),
        "variance": total,
        "luck": luck,
        "knowledge": knowledge,
        "knowledge_share": knowledge / total if total > 0 else nan,
    }


def draws_from_ranges(
    scenario: Scenario, draws: int, seed: int, paths: list[str] | None = None
) -> list[dict[str, Any]]:
    """``draws`` sets of overrides: every swung uncertainty drawn uniformly over its
    plausible range by a scrambled Latin hypercube, one column per path of ``paths`` (default:
    the scenario's own uncertainties). Plans given the same ``paths`` and seed share each
    draw's position in every range they have (their own range: a factor on each one's value)."""
    items = {i.path: i for i in swung(scenario)}
    columns = list(items) if paths is None else paths
    sample = qmc.LatinHypercube(d=len(columns), seed=np.random.default_rng(seed)).random(draws)
    out = []
    for row in sample:
        overrides: dict[str, Any] = {}
        for path, u in zip(columns, row, strict=True):
            if path in items:
                item = items[path]
                overrides.update(item.values(scenario, item.low + u * (item.high - item.low)))
        out.append(overrides)
    return out


def draws_from_posterior(posterior: Posterior, draws: int, seed: int) -> list[dict[str, Any]]:
    """``draws`` sets of the calibrated constants, resampled from the posterior by weight."""
    sample = posterior.sample(draws, seed)
    return [{k: float(v) for k, v in row.items()} for row in sample.to_dict("records")]


@dataclass
class Nested:
    """A nested design's runs: the plan's paired effect per draw, replication and KPI."""

    mode: str
    names: list[str]  # what was drawn: uncertainties (vendors.*.x) and constants
    draws: list[dict[str, Any]]
    effects: np.ndarray  # draws × replications × SWING_KPIS
    seed: int
    seconds: float

    def split(self, kpi: str) -> dict[str, float]:
        return decompose(self.effects[:, :, SWING_KPIS.index(kpi)])

    def describe(self) -> dict[str, Any]:
        draws, reps = self.effects.shape[:2]
        return {
            "mode": self.mode,
            "draws": draws,
            "replications": reps,
            "seed": self.seed,
            "uncertainties": len(self.names),
            "method": METHODS[self.mode]
            + "; each draw runs the plan and its status quo on its own seeds; luck and "
            "knowledge split by the law of total variance (one-way random-effects ANOVA)",
        }

    def summary(self) -> dict[str, Any]:
        """What a results folder keeps (``summary.json``'s ``uncertainty``)."""
        return {
            **self.describe(),
            "kpis": {k: _finite(self.split(k)) for k in SWING_KPIS},
        }


def _finite(values: dict[str, float]) -> dict[str, float | None]:
    return {name: (None if not np.isfinite(v) else v) for name, v in values.items()}


@dataclass
class NestedPlans(Nested):
    """Several plans in the same draws and seeds (``outsim compare --uncertainty``):
    ``effects`` is draws × replications × plans × SWING_KPIS, each plan's paired effect
    against its own status quo; ``labels`` name the plans, ``reference`` indexes the one the
    others are compared with."""

    labels: list[str] = field(default_factory=list)
    reference: int = 0

    @property
    def reference_label(self) -> str:
        return self.labels[self.reference]

    def plan(self, index: int) -> Nested:
        """One plan's runs, as ``outsim run`` would split them."""
        e = self.effects[:, :, index, :]
        return Nested(self.mode, self.names, self.draws, e, self.seed, self.seconds)

    def difference(self, index: int, kpi: str) -> dict[str, float]:
        """The split of plan ``index``'s effect minus the reference's, and ``better_share``:
        the share of draws whose mean difference favours the plan (the KPI's direction)."""
        k = SWING_KPIS.index(kpi)
        diff = self.effects[:, :, index, k] - self.effects[:, :, self.reference, k]
        out = decompose(diff)
        means = diff[np.isfinite(diff).all(axis=1)].mean(axis=1)
        sign = KPI_BY_NAME[kpi].direction.sign
        better = float((sign * means > 0).mean()) if len(means) and sign else float("nan")
        return {**out, "better_share": better}

    def table(self) -> pd.DataFrame:
        """One row per plan and KPI: the effect's split and the difference from the
        reference's (:data:`TABLE_COLUMNS`)."""
        rows = []
        for i, label in enumerate(self.labels):
            for kpi in SWING_KPIS:
                effect = self.plan(i).split(kpi)
                diff = self.difference(i, kpi)
                rows.append(
                    {
                        "plan": label,
                        "kpi": kpi,
                        **{f"effect_{n}": effect[n] for n in SPLIT_COLUMNS},
                        **{f"diff_{n}": diff[n] for n in (*SPLIT_COLUMNS, "better_share")},
                    }
                )
        return pd.DataFrame(rows, columns=TABLE_COLUMNS)

    def summary(self) -> dict[str, Any]:
        """What a comparison folder keeps (``comparison.json``'s ``uncertainty``)."""
        table = self.table()
        return {
            **self.describe(),
            "plans": self.labels,
            "reference": self.labels[self.reference],
            "rows": [
                {"plan": r["plan"], "kpi": r["kpi"]}
                | _finite({k: v for k, v in r.items() if k not in ("plan", "kpi")})
                for r in _records(table)
            ],
        }


SPLIT_COLUMNS = ("mean", "p05", "p95", "knowledge_share")
TABLE_COLUMNS = (
    "plan",
    "kpi",
    *(f"effect_{n}" for n in SPLIT_COLUMNS),
    *(f"diff_{n}" for n in (*SPLIT_COLUMNS, "better_share")),
)


def _records(table: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {k: (v if isinstance(v, str) else float(v)) for k, v in r.items()}
        for r in table.to_dict("records")
    ]


def planned_runs(draws: int, replications: int, plans: int = 1, status_quos: int = 1) -> int:
    """Model runs of a nested design: per draw and seed, every status quo and every plan."""
    return (plans + status_quos) * draws * replications


def _check(mode: str, draws: int, replications: int, root: int) -> None:
    if mode not in MODES or mode == "none":
        raise ValueError(f"uncertainty: {mode!r}; expected one of {', '.join(MODES[1:])}")
    if draws < 2 or replications < 2:
        raise ValueError(
            f"draws {draws} × replications {replications}: expected at least 2 of each, to "
            "split the spread into luck and knowledge"
        )
    check_run(replications, root)


def _overrides(
    scenarios: list[Scenario], mode: str, draws: int, root: int, posterior: Posterior | None
) -> tuple[list[str], list[list[dict[str, Any]]]]:
    """What is drawn, and each plan's overrides per draw (the same draws for every plan)."""
    names: list[str] = []
    per_plan: list[list[dict[str, Any]]] = [[{} for _ in range(draws)] for _ in scenarios]
    if mode in ("ranges", "both"):
        paths = list(dict.fromkeys(i.path for sc in scenarios for i in swung(sc)))
        for overrides, sc in zip(per_plan, scenarios, strict=True):
            for o, r in zip(overrides, draws_from_ranges(sc, draws, root, paths), strict=True):
                o.update(r)
        names += paths
    if mode in ("posterior", "both"):
        posterior = shipped_posterior() if posterior is None else posterior
        drawn = draws_from_posterior(posterior, draws, root)
        for overrides in per_plan:
            for o, d in zip(overrides, drawn, strict=True):
                o.update(d)
        names += posterior.parameters
    return names, per_plan


def _jobs(
    scenarios: list[Scenario],
    per_plan: list[list[dict[str, Any]]],
    children: list[np.random.SeedSequence],
    replications: int,
) -> tuple[list[PairedJob], int]:
    """One task per draw, seed and status quo (plans sharing a status quo share its run),
    plan ``p`` of draw ``k`` as point ``k × plans + p``; the number of distinct status quos."""
    jobs: list[PairedJob] = []
    groups = 0
    for k, child in enumerate(children):
        plans = [with_overrides(sc, per_plan[p][k]) for p, sc in enumerate(scenarios)]
        quos: dict[str, tuple[Scenario, list[int]]] = {}
        for p, plan in enumerate(plans):
            quo = status_quo_of(plan)
            quos.setdefault(quo.model_dump_json(), (quo, []))[1].append(p)
        groups = len(quos)
        for r, s in enumerate(child.spawn(replications)):
            for quo, members in quos.values():
                points = tuple((k * len(plans) + p, plans[p]) for p in members)
                jobs.append(PairedJob(quo, points, s, r))
    return jobs, groups


def nested_plans(
    scenarios: list[Scenario],
    mode: str = "ranges",
    draws: int = DEFAULT_DRAWS,
    replications: int = DEFAULT_REPLICATIONS,
    seed: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    client: Any = None,
    posterior: Posterior | None = None,
    labels: list[str] | None = None,
    reference: int = 0,
) -> NestedPlans:
    """Run the nested design for several plans: ``draws`` draws of the uncertainties ×
    ``replications`` seeds each (children of ``seed``, default the first plan's), every plan
    in every draw and on every seed — common futures and common random numbers, so the
    difference between two plans is paired draw by draw and seed by seed. ``mode``: "ranges"
    draws the declared uncertainties from their plausible ranges, "posterior" the calibrated
    constants from ``posterior`` (default: the one outsim ships), "both" the two together."""
    if not scenarios:
        raise ValueError("the nested design needs at least one plan")
    root = scenarios[0].simulation.seed if seed is None else seed
    _check(mode, draws, replications, root)
    children = np.random.SeedSequence([root, 26]).spawn(draws)  # not the runs' own seeds
    names, per_plan = _overrides(scenarios, mode, draws, root, posterior)
    jobs, groups = _jobs(scenarios, per_plan, children, replications)
    effects = np.full((draws, replications, len(scenarios), len(SWING_KPIS)), np.nan)
    total = planned_runs(draws, replications, len(scenarios), groups)
    small = estimated_seconds(scenarios, total // len(scenarios)) < 10
    started, done = time.perf_counter(), 0
    with pool(workers, scheduler, client, small) as where:
        for _, results in where.map(run_paired, jobs):
            for point, r, values in results:
                k, p = divmod(point, len(scenarios))
                effects[k, r, p] = [values[name] for name in SWING_KPIS]
            done += 1 + len(results)
            if progress is not None:
                progress(done, total)
    return NestedPlans(
        mode,
        names,
        per_plan[0],
        effects,
        root,
        time.perf_counter() - started,
        labels or [sc.name for sc in scenarios],
        reference,
    )


def nested(
    scenario: Scenario,
    mode: str = "ranges",
    draws: int = DEFAULT_DRAWS,
    replications: int = DEFAULT_REPLICATIONS,
    seed: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    client: Any = None,
    posterior: Posterior | None = None,
) -> Nested:
    """Run the nested design of one plan against its status quo (:func:`nested_plans`)."""
    if is_status_quo(scenario):
        raise ValueError(f"{scenario.name}: has no plan; the split needs a plan to compare")
    both = nested_plans(
        [scenario],
        mode,
        draws,
        replications,
        seed,
        progress,
        workers,
        scheduler,
        client,
        posterior,
    )
    return both.plan(0)
