"""Running replications and summarising them.

Replication k of a run uses child k of ``SeedSequence(root_seed).spawn(n)``: independent
streams within a run, and the same child seed for replication k of any scenario with the
same root seed (common random numbers for comparisons).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from numbers import Integral
from typing import Any

import numpy as np
import pandas as pd

from simulator.analysis import scorecard
from simulator.analysis.effects import (
    paired_effects,
    programme_effects,
    safeguard_row,
    safeguard_variants,
)
from simulator.analysis.kpis import KPI_BY_NAME, KPIS
from simulator.analysis.parallel import pool
from simulator.analysis.replicate import (
    SMALL_JOB_SECONDS,
    Gathered,
    estimated_seconds,
    gather,
    run_model,
)
from simulator.analysis.statistics import mean_interval
from simulator.scenario.schema import Scenario, Simulation, field_bounds
from simulator.scenario.status_quo import is_status_quo, status_quo_of

Progress = Callable[[int, int], None]


def child_seeds(root: int, n: int) -> list[np.random.SeedSequence]:
    """Independent child seeds for ``n`` replications of root seed ``root``."""
    return np.random.SeedSequence(root).spawn(n)


@dataclass
class Replication:
    """What one replication leaves behind (the model itself is dropped)."""

    timeseries: pd.DataFrame  # one row per month, with a ``replication`` column
    kpis: dict[str, float | None]
    displacement: pd.DataFrame  # one row per month since displacement


def run_replication(
    scenario: Scenario, seed: np.random.SeedSequence, replication: int = 0
) -> Replication:
    """Run one replication and keep its series, KPIs and displaced workers' paths."""
    kpis, ts, curves, _ = run_model(scenario, seed, replication, keep=True)
    return Replication(ts, kpis, curves)


def _stats(values: list[float | None]) -> dict[str, float | None]:
    vals = np.array([v for v in values if v is not None], dtype=float)
    if len(vals) == 0:
        return dict.fromkeys(("mean", "p05", "p95", "ci95_low", "ci95_high", "sd"), None) | {"n": 0}
    mean, low, high = mean_interval(vals)
    return {
        "mean": mean,
        "p05": float(np.percentile(vals, 5)),
        "p95": float(np.percentile(vals, 95)),
        "ci95_low": low,
        "ci95_high": high,
        "sd": float(vals.std(ddof=1)) if len(vals) > 1 else 0.0,
        "n": int(len(vals)),
    }


@dataclass
class Replications:
    """The outcome of running a scenario: series, KPIs, summary and scorecard.

    (``simulator.Results`` adds saving to a results folder.)"""

    scenario: Scenario
    seeds: list[int]
    timeseries: pd.DataFrame
    kpis: pd.DataFrame  # one row per replication
    displacement: pd.DataFrame  # displaced workers' paths, per replication
    scorecards: list[dict[str, dict[str, Any]]]
    # who bears the plan: outcomes by age band, tenure band and site (``analysis/groups.py``)
    groups: pd.DataFrame = field(default_factory=pd.DataFrame)
    started: str = ""
    finished: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    # the same replications of the scenario with the plan removed (``effects.status_quo_of``)
    baseline_kpis: pd.DataFrame | None = None
    # what each lever group costs and buys, in the plan or added (``effects.safeguard_row``)
    safeguards: list[dict[str, Any]] = field(default_factory=list)
    # support for displaced workers against the plan without it (``effects.programme_effects``)
    programme: dict[str, dict[str, Any]] | None = None
    # True: the plan has no support; ``programme`` is what the standard package would buy
    programme_added: bool = False
    # what could change the answer (``analysis/swing.py``: ``Swing.summary``), or why the
    # swing was not run
    swing: dict[str, Any] | None = None
    swing_note: str = ""
    # luck and knowledge split (``analysis/knowledge.py``: ``Nested.summary``), or why not
    uncertainty: dict[str, Any] | None = None
    uncertainty_note: str = ""

    def with_effects(
        self,
        baseline_kpis: pd.DataFrame | None,
        safeguards: list[dict[str, Any]],
        programme: dict[str, dict[str, Any]] | None,
        programme_added: bool,
    ) -> Replications:
        """These replications with their status quo's KPIs, safeguards and programme."""
        self.baseline_kpis, self.safeguards = baseline_kpis, safeguards
        self.programme, self.programme_added = programme, programme_added
        return self

    @property
    def effects(self) -> dict[str, dict[str, Any]] | None:
        """The plan's effect on every KPI: paired difference from its own status quo."""
        if self.baseline_kpis is None:
            return None
        return paired_effects(self.kpis, self.baseline_kpis)

    @property
    def replications(self) -> int:
        return len(self.kpis)

    @property
    def summary(self) -> dict[str, Any]:
        kpis = {}
        for k in KPIS:
            column = self.kpis[k.name].tolist() if k.name in self.kpis else []
            values = [None if (v is None or pd.isna(v)) else float(v) for v in column]
            kpis[k.name] = {**_stats(values), "unit": k.unit, "description": k.description}
        summary = {
            "scenario": self.scenario.name,
            "currency": self.scenario.company.currency,  # of every amount of money ("USD" units)
            "replications": self.replications,
            "kpis": kpis,
            "scorecard": {
                name: dim["score"]["mean"] for name, dim in self.scorecard["dimensions"].items()
            },
        }
        baseline = self.baseline_kpis
        if baseline is not None:
            summary["status_quo"] = {
                k.name: _stats([None if pd.isna(v) else float(v) for v in baseline[k.name]])
                for k in KPIS
            }
            summary["effects"] = self.effects
        if len(self.groups):
            summary["groups"] = [
                {k: (None if isinstance(v, float) and np.isnan(v) else v) for k, v in r.items()}
                for r in self.groups.to_dict("records")
            ]
        if self.safeguards:
            summary["safeguards"] = self.safeguards
        if self.programme:
            summary["programme"] = self.programme
            summary["programme_added"] = self.programme_added
        if self.swing is not None:
            summary["swing"] = self.swing
        elif self.swing_note:
            summary["swing"] = {"skipped": self.swing_note}
        if self.uncertainty is not None:
            summary["uncertainty"] = self.uncertainty
        elif self.uncertainty_note:
            summary["uncertainty"] = {"skipped": self.uncertainty_note}
        return summary

    @property
    def scorecard(self) -> dict[str, Any]:
        dims: dict[str, Any] = {}
        formulas = scorecard.describe()
        for name in scorecard.DIMENSIONS:
            per_rep = [sc[name] for sc in self.scorecards]
            metrics = sorted({m for sc in per_rep for m in sc["metrics"]})
            dims[name] = {
                "title": formulas[name]["title"],
                "score": _stats([sc["score"] for sc in per_rep]),
                "metrics": {
                    m: {
                        **_stats([sc["metrics"].get(m) for sc in per_rep]),
                        "unit": KPI_BY_NAME[m].unit,
                    }
                    for m in metrics
                },
                "formula": formulas[name]["components"],
                "note": per_rep[0].get("note", "") if per_rep else "",
            }
        return {
            "scenario": self.scenario.name,
            "scale": "0-100, higher is better; weighted mean of outcome components",
            "dimensions": dims,
        }


def check_run(n: Any, root: Any) -> None:
    """``replications`` and ``seed`` obey the bounds of ``simulation.replications`` and
    ``simulation.seed`` (ValueError otherwise)."""
    for name, value in (("replications", n), ("seed", root)):
        low, high = field_bounds(Simulation, name)
        if isinstance(value, bool) or not isinstance(value, Integral) or not low <= value <= high:
            raise ValueError(f"{name}: {value!r}; expected a whole number from {low} to {high}")


@dataclass(frozen=True)
class Batch:
    """Every scenario's replications, gathered, with the seeds and times of the batch."""

    gathered: list[Gathered]
    seeds: list[np.random.SeedSequence]
    root: int
    started: str
    finished: str


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def run_batch(
    scenarios: list[Scenario],
    replications: int | None,
    seed: int | None,
    keep: list[bool],
    progress: Callable[[int, int, int], None] | None,
    workers: int | None,
    scheduler: str | None,
    client: Any,
    status_quo: dict[int, int] | None = None,
) -> Batch:
    """Replication k of every scenario on child k of the root seed (default: the first
    scenario's replications and seed), all on one pool; ``keep[i]``: keep scenario i's
    series; ``status_quo[i] = j``: scenario j is scenario i's status quo (it runs first, in
    the same task, and is the plan's baseline). ``progress(scenario, done, total)`` after
    every run."""
    n = replications or scenarios[0].simulation.replications
    root = scenarios[0].simulation.seed if seed is None else seed
    check_run(n, root)
    seeds = child_seeds(root, n)
    small = estimated_seconds(scenarios, n) < SMALL_JOB_SECONDS
    started = _now()
    with pool(workers, scheduler, client, small) as where:
        gathered = gather(where, scenarios, seeds, keep, progress, status_quo)
    return Batch(gathered, seeds, root, started, _now())


def run(
    scenario: Scenario,
    replications: int | None = None,
    seed: int | None = None,
    progress: Progress | None = None,
    status_quo: bool = True,
    safeguards: bool = False,
    workers: int | None = None,
    scheduler: str | None = None,
    client: Any = None,
) -> Replications:
    """Run ``replications`` (default: the scenario's) independent replications.

    With ``status_quo`` the same replications of the scenario with the plan removed run too
    (same seeds), so that ``effects`` holds the plan's paired effect on every KPI; with
    ``safeguards`` also, per lever group, the plan with the group switched off (if the plan
    uses it) or with its standard package added (if not), so that ``safeguards`` says what
    each group costs and buys. ``progress(done, total)`` counts model runs.

    Runs go to a pool (``analysis/parallel.py``): ``workers`` local processes (default: one
    per core; in this process when the job would take less than about ten seconds),
    ``scheduler`` (a Dask scheduler's address) or ``client`` (a ``distributed.Client``).
    The results are the same, to the last bit, wherever the runs go. ``replications`` and
    ``seed`` obey the bounds of ``simulation.replications`` and ``simulation.seed``
    (ValueError otherwise)."""
    baseline = status_quo_of(scenario) if status_quo and not is_status_quo(scenario) else None
    variants = safeguard_variants(scenario) if safeguards else []
    scenarios = [scenario, *([baseline] if baseline else []), *(v for _, v, _ in variants)]
    keep = [True] + [False] * (len(scenarios) - 1)

    def step(variant: int, done: int, total: int) -> None:
        if progress is not None:
            progress(done, total)

    pairs = {0: 1} if baseline is not None else None
    batch = run_batch(scenarios, replications, seed, keep, step, workers, scheduler, client, pairs)
    plan, companions = batch.gathered[0], batch.gathered[1:]
    kpi_frame = plan.kpi_frame()
    base_frame = None
    if baseline is not None:
        base_frame = companions.pop(0).kpi_frame()
    elif status_quo:
        base_frame = kpi_frame.copy()  # no plan: its status quo is itself, exactly
    rows, programme, programme_added = [], None, False
    for (group, _, in_plan), other in zip(variants, companions, strict=True):
        on, off = (kpi_frame, other.kpi_frame()) if in_plan else (other.kpi_frame(), kpi_frame)
        rows.append(safeguard_row(group, on, off, in_plan))
        if group.name == "local_jobs":
            programme = programme_effects(on, off)
            programme_added = not in_plan
    return assemble(
        scenario, plan, batch.seeds, batch.root, batch.started, batch.finished
    ).with_effects(base_frame, rows, programme, programme_added)


def assemble(
    scenario: Scenario,
    plan: Gathered,
    seeds: list[np.random.SeedSequence],
    root: int,
    started: str,
    finished: str,
) -> Replications:
    """The replications of one scenario from its gathered runs."""
    return Replications(
        scenario=scenario,
        seeds=[int(s.generate_state(1)[0]) for s in seeds],
        timeseries=plan.timeseries(),
        kpis=plan.kpi_frame(),
        displacement=plan.displacement(),
        scorecards=[scorecard.score(k) for k in plan.all_kpis()],
        groups=plan.group_table(),
        started=started,
        finished=finished,
        extra={"root_seed": root},
    )
