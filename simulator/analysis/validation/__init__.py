"""Validation: the default calibration against published facts.

Each fact (:mod:`.facts`) is measured by an experiment (:mod:`.experiments`) the way it was
measured in the world, and carries its kind — fitted, consistency, out-of-sample or
direction — so that a reader can tell evidence from calibration. A fact passes when the
model's 95% interval agrees with the accepted range (:meth:`Fact.passes`).

``run_validation`` runs every experiment ``replications`` times with common random numbers
and returns one row per fact.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from simulator.analysis.replications import child_seeds
from simulator.analysis.statistics import mean_interval
from simulator.analysis.validation.experiments import EXPERIMENTS, Experiment
from simulator.analysis.validation.facts import FACT_BY_ID, FACTS, KINDS, Fact, Kind
from simulator.model.model import OutsourcingModel
from simulator.scenario import load_scenario


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


def _run_replication(
    seed: np.random.SeedSequence, folder: Path, step: Callable[[], None]
) -> dict[str, float]:
    """One replication of every experiment; each scenario runs once and is shared."""
    cache: dict[tuple[str, int], list[OutsourcingModel]] = {}
    values: dict[str, float] = {}
    for exp in EXPERIMENTS:
        models: dict[str, list[OutsourcingModel]] = {}
        for name in exp.scenarios:
            key = (name, exp.runs)
            if key not in cache:
                scenario = load_scenario(folder / f"{name}.yaml")
                seeds = _seeds(seed, exp.runs)
                cache[key] = [OutsourcingModel(scenario, seed=s).run() for s in seeds]
            models[name] = cache[key]
        values.update(exp.measure(models))
        step()
    return values


def run_validation(
    replications: int = 10,
    seed: int = 20261129,
    folder: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> pd.DataFrame:
    """Run every experiment and return one row per fact with the model's value and verdict."""
    folder = Path(folder) if folder is not None else package_experiments()
    needed = sorted({s for e in EXPERIMENTS for s in e.scenarios})
    missing = [s for s in needed if not (folder / f"{s}.yaml").is_file()]
    if missing:
        raise FileNotFoundError(f"{folder}: missing validation scenarios {', '.join(missing)}")
    values: dict[str, list[float]] = {f.id: [] for f in FACTS}
    total, done = replications * len(EXPERIMENTS), 0

    def step() -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, total)

    for s in child_seeds(seed, replications):
        for fact_id, value in _run_replication(s, folder, step).items():
            values[fact_id].append(value)
    return pd.DataFrame([fact_row(f, values[f.id]) for f in FACTS])


def fact_row(f: Fact, values: list[float]) -> dict[str, object]:
    """One row of the validation table: a fact and the model's values over replications."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    mean, low, high = mean_interval(v) if len(v) > 1 else (np.nan, np.nan, np.nan)
    lo, hi = f.accepted
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
        "tolerance": f.tolerance,
        "tolerance_reason": f.why,
        "pass": bool(np.isfinite(mean) and f.passes(low, high)),
        "provenance": f.provenance,
        "experiment": f.experiment,
        "measured": f.measured,
        "replications": len(v),
    }


def summary_by_kind(table: pd.DataFrame) -> str:
    """``out-of-sample 6/7 · direction 3/3 · fitted 12/12 · consistency 3/3``."""
    parts = []
    for kind in KINDS:
        rows = table[table["kind"] == kind]
        if len(rows):
            parts.append(f"{kind} {int(rows['pass'].sum())}/{len(rows)}")
    return " · ".join(parts)


__all__ = [
    "EXPERIMENTS",
    "FACTS",
    "FACT_BY_ID",
    "KINDS",
    "Experiment",
    "Fact",
    "Kind",
    "fact_row",
    "package_experiments",
    "run_validation",
    "summary_by_kind",
]
