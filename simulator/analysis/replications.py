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
from simulator.analysis.displacement import displacement_curves
from simulator.analysis.kpis import KPI_BY_NAME, KPIS, compute_kpis
from simulator.analysis.statistics import mean_interval
from simulator.model.model import OutsourcingModel
from simulator.scenario.schema import Scenario, Simulation, field_bounds

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
    model = OutsourcingModel(scenario, seed).run()
    ts = model.datacollector.get_model_vars_dataframe().reset_index(drop=True)
    kpis = compute_kpis(model, ts)
    ts.insert(0, "replication", replication)
    curves = displacement_curves(model)
    curves.insert(0, "replication", replication)
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
    started: str = ""
    finished: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

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
        return {
            "scenario": self.scenario.name,
            "replications": self.replications,
            "kpis": kpis,
            "scorecard": {
                name: dim["score"]["mean"] for name, dim in self.scorecard["dimensions"].items()
            },
        }

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


def run(
    scenario: Scenario,
    replications: int | None = None,
    seed: int | None = None,
    progress: Progress | None = None,
) -> Replications:
    """Run ``replications`` (default: the scenario's) independent replications.

    ``replications`` and ``seed`` obey the bounds of ``simulation.replications`` and
    ``simulation.seed`` (ValueError otherwise)."""
    n = replications or scenario.simulation.replications
    root = scenario.simulation.seed if seed is None else seed
    for name, value in (("replications", n), ("seed", root)):
        low, high = field_bounds(Simulation, name)
        if isinstance(value, bool) or not isinstance(value, Integral) or not low <= value <= high:
            raise ValueError(f"{name}: {value!r}; expected a whole number from {low} to {high}")
    seeds = child_seeds(root, n)
    started = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    reps = []
    for k, s in enumerate(seeds):
        reps.append(run_replication(scenario, s, k))
        if progress is not None:
            progress(k + 1, n)
    finished = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    kpi_frame = pd.DataFrame([r.kpis for r in reps])
    kpi_frame.insert(0, "replication", range(n))
    return Replications(
        scenario=scenario,
        seeds=[int(s.generate_state(1)[0]) for s in seeds],
        timeseries=pd.concat([r.timeseries for r in reps], ignore_index=True),
        kpis=kpi_frame,
        displacement=pd.concat([r.displacement for r in reps], ignore_index=True),
        scorecards=[scorecard.score(r.kpis) for r in reps],
        started=started,
        finished=finished,
        extra={"root_seed": root},
    )
