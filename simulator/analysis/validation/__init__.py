"""Validation: the default calibration against published facts.

Each fact (:mod:`.facts`) is measured by an experiment (:mod:`.experiments`) the way it was
measured in the world, and carries its kind — fitted, consistency, out-of-sample or
direction — so that a reader can tell evidence from calibration. A fact passes when the
model's mean lies in the accepted range and its 95% interval is narrow enough to say so
(:meth:`Fact.verdict`); otherwise it fails or is imprecise.

``run_validation`` runs every experiment ``replications`` times with common random numbers,
adds replications to the experiments of imprecise facts up to ``max_replications``, and
returns one row per fact.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from simulator.analysis.replications import child_seeds
from simulator.analysis.statistics import mean_interval
from simulator.analysis.validation.experiments import EXPERIMENTS, Experiment
from simulator.analysis.validation.fact import (
    KINDS,
    PRECISION_SHARE,
    VERDICTS,
    Fact,
    Kind,
    Verdict,
)
from simulator.analysis.validation.facts import FACT_BY_ID, FACTS
from simulator.model.model import OutsourcingModel
from simulator.model.region import RegionModel
from simulator.scenario import load_scenario
from simulator.scenario.overrides import with_overrides
from simulator.scenario.region import Region, load_region, region_from_scenarios


def package_experiments() -> Path:
    """The validation scenarios shipped inside the package."""
    return Path(str(resources.files("simulator") / "scenarios" / "validation"))


def _seeds(seed: np.random.SeedSequence, runs: int) -> list[np.random.SeedSequence]:
    """``runs`` seeds derived from ``seed`` without spawning from it (spawning would move
    its counter, and the same seed must give the same runs in every experiment)."""
    if runs == 1:
        return [seed]
    return [
        np.random.SeedSequence(seed.entropy, spawn_key=(*seed.spawn_key, 10_000 + j))
        for j in range(runs)
    ]


def run_experiments(
    seed: np.random.SeedSequence,
    folder: Path,
    step: Callable[[], None],
    experiments: tuple[Experiment, ...] = EXPERIMENTS,
    changes: Mapping[str, float] | None = None,
) -> dict[str, float]:
    """One replication of ``experiments``; each scenario runs once and is shared.
    ``changes``: field values put into every scenario (e.g. a posterior draw's constants)."""
    cache: dict[tuple[str, int], list[Any]] = {}
    values: dict[str, float] = {}
    for exp in experiments:
        models: dict[str, list[Any]] = {}
        for name in exp.scenarios:
            key = (name, exp.runs)
            if key not in cache:
                scenario = with_overrides(load_scenario(folder / f"{name}.yaml"), changes or {})
                seeds = _seeds(seed, exp.runs)
                cache[key] = [OutsourcingModel(scenario, seed=s).run() for s in seeds]
            models[name] = cache[key]
        for name in exp.regions:
            key = (name, exp.runs)
            if key not in cache:
                region = _region(folder / f"{name}.yaml", changes or {})
                cache[key] = [
                    RegionModel(region, seed=s, books=False, firm_series=False).run()
                    for s in _seeds(seed, exp.runs)
                ]
            models[name] = cache[key]
        values.update(exp.measure(models))
        step()
    for runs in cache.values():  # Mesa keeps every model it built: free them (model.release)
        for model in runs:
            model.release()
    return values


def _region(path: Path, changes: Mapping[str, float]) -> Region:
    """The region file ``path`` with ``changes`` put into every firm and its labour market."""
    region = load_region(path)
    if not changes:
        return region
    firms = [with_overrides(f, changes) for f in region.firms]
    return region_from_scenarios(firms, region.simulation, firms[0].local_economy, region.source)


def replicate_until_precise(
    run: Callable[[int, tuple[Experiment, ...]], dict[str, float]],
    replications: int,
    cap: int,
    experiments: tuple[Experiment, ...] = EXPERIMENTS,
    facts: tuple[Fact, ...] = FACTS,
    planned: Callable[[int], None] | None = None,
) -> dict[str, dict[str, object]]:
    """The validation rows of ``facts`` (:func:`fact_row`), from ``run(j, group)`` — the
    values of replication ``j`` of the experiments in ``group``. Every experiment runs
    ``replications`` times; then, while an experiment measures an imprecise fact, it runs
    again to twice as many replications, up to ``cap``. ``planned(n)`` is told each time more
    experiment-replications are planned."""
    values: dict[str, list[float]] = {f.id: [] for f in facts}
    ran = {e.name: 0 for e in experiments}
    todo, target = experiments, replications
    if planned:
        planned(replications * len(experiments))
    while True:
        for j in range(min(ran[e.name] for e in todo), target):
            group = tuple(e for e in todo if ran[e.name] <= j)
            for fact_id, value in run(j, group).items():
                if fact_id in values:
                    values[fact_id].append(value)
            for e in group:
                ran[e.name] += 1
        rows = {f.id: fact_row(f, values[f.id]) for f in facts}
        imprecise = {f.experiment for f in facts if rows[f.id]["verdict"] == "imprecise"}
        todo = tuple(e for e in experiments if e.name in imprecise)
        if not todo or target >= cap:
            return rows
        target = min(2 * target, cap)
        if planned:
            planned(sum(target - ran[e.name] for e in todo))


def run_validation(
    replications: int = 10,
    seed: int = 20261129,
    folder: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
    max_replications: int | None = None,
) -> pd.DataFrame:
    """Run every experiment and return one row per fact with the model's value and verdict.

    Every experiment runs ``replications`` times. While a fact is ``imprecise`` (its interval
    too wide to say, :meth:`Fact.verdict`) and ``max_replications`` allows, the experiments
    measuring such facts run again with twice the replications (up to the cap); a fact still
    imprecise at the cap is reported so, never as a pass. Replication ``j`` has the same seed
    whatever the number of replications, so added replications extend the first ones.
    """
    folder = Path(folder) if folder is not None else package_experiments()
    needed = sorted({s for e in EXPERIMENTS for s in e.files})
    missing = [s for s in needed if not (folder / f"{s}.yaml").is_file()]
    if missing:
        raise FileNotFoundError(f"{folder}: missing validation scenarios {', '.join(missing)}")
    cap = max(replications, max_replications or replications)
    seeds = child_seeds(seed, cap)
    total, done = 0, 0

    def planned(more: int) -> None:
        nonlocal total
        total += more

    def step() -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, total)

    def run(j: int, group: tuple[Experiment, ...]) -> dict[str, float]:
        return run_experiments(seeds[j], folder, step, group)

    rows = replicate_until_precise(run, replications, cap, planned=planned)
    return pd.DataFrame([rows[f.id] for f in FACTS])


def fact_row(f: Fact, values: list[float]) -> dict[str, object]:
    """One row of the validation table: a fact and the model's values over replications."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    mean, low, high = mean_interval(v) if len(v) > 1 else (np.nan, np.nan, np.nan)
    lo, hi = f.accepted
    verdict = f.verdict(mean, low, high)
    return {
        "fact": f.id,
        "kind": f.kind,
        "claim": f.claim,
        "source": f.source,
        "published": f.published,
        "unit": f.unit,
        "model_mean": mean,
        "model_ci95_low": low,
        "model_ci95_high": high,
        "accepted_low": lo,
        "accepted_high": hi,
        "precision_needed": f.precision_needed if f.kind != "direction" else np.nan,
        "tolerance": f.tolerance,
        "tolerance_reason": f.why,
        "verdict": verdict,
        "pass": verdict == "pass",
        "provenance": f.provenance,
        "experiment": f.experiment,
        "measured": f.measured,
        "replications": len(v),
    }


def summary_by_kind(table: pd.DataFrame) -> str:
    """``out-of-sample 6/7 (1 imprecise) · direction 3/3 · fitted 12/12 · consistency 3/3``:
    passes over facts, by kind; facts neither passing nor failing are counted apart."""
    parts = []
    for kind in KINDS:
        rows = table[table["kind"] == kind]
        if len(rows):
            text = f"{kind} {int(rows['pass'].sum())}/{len(rows)}"
            if "verdict" in rows:
                imprecise = int((rows["verdict"] == "imprecise").sum())
                text += f" ({imprecise} imprecise)" if imprecise else ""
            parts.append(text)
    return " · ".join(parts)


__all__ = [
    "EXPERIMENTS",
    "FACTS",
    "FACT_BY_ID",
    "KINDS",
    "Experiment",
    "Fact",
    "Kind",
    "PRECISION_SHARE",
    "VERDICTS",
    "Verdict",
    "fact_row",
    "package_experiments",
    "replicate_until_precise",
    "run_experiments",
    "run_validation",
    "summary_by_kind",
]
