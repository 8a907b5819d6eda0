"""One batch of sweep runs, as a Dask worker executes it.

Run ``(sample, replication)`` sets the sample's parameter values on the base scenario and
runs replication ``replication`` with the child seed that ``outsim run --seed SEED`` gives
replication ``replication``: every sample sees the same random streams (common random
numbers), so differences between samples are the parameters' doing, not the dice's.
A run that fails (an invalid combination of values, an error in the model) is recorded with
its error and the batch goes on.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from simulator.analysis.replications import child_seeds, run_replication
from simulator.scenario.loading import scenario_from_dict
from simulator.scenario.paths import with_values


@dataclass(frozen=True)
class RunTask:
    """What a worker needs to know about one run."""

    run_id: int
    sample_id: int
    replication: int
    values: dict[str, Any]
    stream: int | None = None  # the seed stream, when not ``replication`` (optimise's cells)


@dataclass
class BatchResult:
    """Rows for the store: one per run, one per (run, KPI), one per (run, month, series)."""

    runs: list[dict[str, Any]] = field(default_factory=list)
    kpis: list[tuple[int, str, float | None]] = field(default_factory=list)
    monthly: list[tuple[int, int, str, float]] = field(default_factory=list)


# A runner takes (scenario data, seed, replication, KPI names, series names) and returns the
# KPI values and {series: monthly values}. The default runs the outsourcing model.
Runner = Callable[
    [dict[str, Any], int, int, Sequence[str], Sequence[str]],
    tuple[dict[str, float | None], dict[str, list[float]]],
]


def run_model(
    data: dict[str, Any],
    seed: int,
    replication: int,
    outputs: Sequence[str],
    keep: Sequence[str],
) -> tuple[dict[str, float | None], dict[str, list[float]]]:
    """Run the outsourcing model once; return the chosen KPIs and monthly series."""
    scenario = scenario_from_dict(data, "<sweep run>")
    seeds = child_seeds(seed, replication + 1)
    rep = run_replication(scenario, seeds[replication], replication)
    kpis = {name: rep.kpis.get(name) for name in outputs}
    series = {name: [float(v) for v in rep.timeseries[name]] for name in keep}
    return kpis, series


def _difference(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else float(a) - float(b)


def _digest(data: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def _error(exc: BaseException) -> str:
    text = str(exc).strip().replace("<sweep run>: ", "")
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def run_batch(
    base: dict[str, Any],
    tasks: Sequence[RunTask],
    seed: int,
    outputs: Sequence[str],
    keep: Sequence[str],
    version: str,
    runner: Runner = run_model,
    paired_with: dict[str, Any] | None = None,
) -> BatchResult:
    """Run every task of a batch; a failing run is recorded, never raised. With
    ``paired_with`` each run also runs with those values on the same seed and stores each
    output's paired difference as ``effect_<kpi>``."""
    result = BatchResult()
    for task in tasks:
        start = time.perf_counter()
        data = with_values(base, task.values)
        status, error = "ok", None
        try:
            stream = task.replication if task.stream is None else task.stream
            kpis, series = runner(data, seed, stream, outputs, keep)
            if paired_with:
                other, _ = runner(with_values(data, paired_with), seed, stream, outputs, ())
                kpis |= {f"effect_{k}": _difference(kpis.get(k), other.get(k)) for k in outputs}
        except Exception as exc:  # noqa: BLE001 - recorded with the run, sweep goes on
            kpis, series, status, error = {}, {}, "failed", _error(exc)
        result.runs.append(
            {
                "run_id": task.run_id,
                "sample_id": task.sample_id,
                "replication": task.replication,
                "seed": seed,
                **task.values,
                "status": status,
                "error": error,
                "wall_seconds": time.perf_counter() - start,
                "version": version,
                "scenario_hash": _digest(data),
            }
        )
        for name, value in kpis.items():
            result.kpis.append((task.run_id, name, None if value is None else float(value)))
        for name, values in series.items():
            result.monthly.extend((task.run_id, m, name, v) for m, v in enumerate(values))
    return result
