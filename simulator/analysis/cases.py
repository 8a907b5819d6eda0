"""Replaying real cases (``scenario/cases.py``): each case's plan and its status quo on
common random numbers, every documented outcome measured the way ``observed.yaml`` says and
judged against the record.

Verdicts (docs/CASES.md):

- ``expect: none`` (a study that found no effect) **agrees** when the interval includes
  zero, and disagrees when the model shows a clear effect;
- a direction (``expect: up|down``) **agrees** when the model's whole 95% interval lies on
  the documented side of zero, **disagrees** otherwise: the interval on the other side
  ("opposite") or across zero ("no clear effect": the record shows an effect the model does
  not);
- a value with a tolerance **agrees** when the documented value lies in the model's 95%
  interval or within the tolerance (a share of the value) of the model's mean;
- ``not_comparable`` outcomes are shown with the model's value and the reason, never judged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from simulator.analysis.kpis import KPIS
from simulator.analysis.replications import run_batch
from simulator.analysis.statistics import mean_interval
from simulator.model.metrics import METRICS
from simulator.scenario.cases import Case, Outcome
from simulator.scenario.loading import ScenarioError
from simulator.scenario.status_quo import status_quo_of

AGREE, DISAGREE, NOT_COMPARABLE = "agree", "disagree", "not comparable"
UNITS = {k.name: k.unit for k in KPIS} | {name: unit for name, (unit, _) in METRICS.items()}


def check_measures(case: Case) -> None:
    """Every outcome's measure exists (a KPI, or a monthly series when it has months);
    ScenarioError naming the file and the outcome otherwise."""
    kpis = {k.name for k in KPIS}
    for i, o in enumerate(case.observed.outcomes):
        known, kind = (METRICS, "monthly series") if o.months else (kpis, "KPI")
        if o.measure not in known:
            raise ScenarioError(
                f"{case.folder / 'observed.yaml'}: outcomes.{i}.measure: {o.measure!r} is "
                f"not a {kind}; expected one of `outsim kpis`"
                + (" or a timeseries.csv column with months" if not o.months else "")
            )


@dataclass(frozen=True)
class Runs:
    """One case's replications: the plan's and its status quo's KPIs and monthly series."""

    kpis: pd.DataFrame
    base_kpis: pd.DataFrame
    series: pd.DataFrame
    base_series: pd.DataFrame


def replay(
    case: Case,
    replications: int,
    seed: int | None = None,
    progress: Callable[[int, int, int], None] | None = None,
    workers: int | None = None,
) -> Runs:
    """Run ``case``'s plan and its status quo, ``replications`` each on the same seeds."""
    check_measures(case)
    plan, base = case.scenario, status_quo_of(case.scenario)
    batch = run_batch(
        [plan, base], replications, seed, [True, True], progress, workers, None, None, {0: 1}
    )
    done, sq = batch.gathered
    return Runs(done.kpi_frame(), sq.kpi_frame(), done.timeseries(), sq.timeseries())


def _window(series: pd.DataFrame, measure: str, months: tuple[int, int]) -> np.ndarray:
    """Per replication, the mean of ``measure`` over the months (inclusive)."""
    inside = series[(series["month"] >= months[0]) & (series["month"] <= months[1])]
    return inside.groupby("replication")[measure].mean().sort_index().to_numpy(dtype=float)


def measured(o: Outcome, runs: Runs) -> np.ndarray:
    """The model's value of outcome ``o`` in every replication."""
    if o.months is None:
        plan = pd.to_numeric(runs.kpis[o.measure], errors="coerce").to_numpy(dtype=float)
        base = pd.to_numeric(runs.base_kpis[o.measure], errors="coerce").to_numpy(dtype=float)
    else:
        plan = _window(runs.series, o.measure, o.months)
        base = _window(runs.base_series, o.measure, o.months)
    if o.compare == "effect":
        return plan - base
    if o.compare == "change":
        assert o.months is not None and o.baseline_months is not None
        return plan - _window(runs.series, o.measure, o.baseline_months)
    return plan


def verdict(o: Outcome, low: float, mean: float, high: float) -> tuple[str, str]:
    """(verdict, why) of outcome ``o`` given the model's mean and 95% interval."""
    if o.not_comparable is not None:
        return NOT_COMPARABLE, o.not_comparable
    if not np.isfinite(mean):
        return NOT_COMPARABLE, "the model gives no value (the measure does not apply)"
    if o.expect == "none":
        if low <= 0 <= high:
            return AGREE, "the interval includes zero"
        return DISAGREE, f"a clear effect ({'up' if low > 0 else 'down'})"
    if o.expect is not None:
        wanted = low > 0 if o.expect == "up" else high < 0
        if wanted:
            return AGREE, f"the whole interval is {o.expect}"
        against = high < 0 if o.expect == "up" else low > 0
        return DISAGREE, "opposite direction" if against else "no clear effect"
    assert o.value is not None and o.tolerance is not None
    if low <= o.value <= high:
        return AGREE, "the documented value lies in the interval"
    gap = abs(mean - o.value) / max(abs(o.value), 1e-12)
    if gap <= o.tolerance:
        return AGREE, f"within {o.tolerance:.0%} of the documented value ({gap:.0%} off)"
    return DISAGREE, f"{gap:.0%} off the documented value (tolerance {o.tolerance:.0%})"


def documented(o: Outcome) -> str:
    if o.expect is not None:
        return o.expect
    if o.value is not None:
        return f"{o.value:g} ± {o.tolerance:.0%}"
    return "—"


def judge(case: Case, runs: Runs) -> list[dict[str, Any]]:
    """One row per documented outcome of ``case``."""
    rows = []
    for o in case.observed.outcomes:
        values = measured(o, runs)
        mean, low, high = mean_interval(values)
        result, why = verdict(o, low, mean, high)
        window = "" if o.months is None else f"months {o.months[0]}–{o.months[1]}"
        if o.baseline_months is not None:
            window += f" vs {o.baseline_months[0]}–{o.baseline_months[1]}"
        rows.append(
            {
                "case": case.name,
                "title": case.observed.title,
                "outcome": o.name,
                "claim": o.claim,
                "source": o.source,
                "measure": o.measure,
                "compare": o.compare,
                "window": window,
                "unit": UNITS.get(o.measure, ""),
                "observed": documented(o),
                "model_mean": mean,
                "model_ci95_low": low,
                "model_ci95_high": high,
                "replications": int(np.isfinite(values).sum()),
                "verdict": result,
                "why": why,
                "after_replay": o.after_replay or "",
            }
        )
    return rows


def replay_cases(
    cases: list[Case],
    replications: int,
    seed: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
) -> pd.DataFrame:
    """Every case replayed and judged: one row per case and outcome (``judge``)."""
    total = 2 * replications * len(cases)
    rows: list[dict[str, Any]] = []
    for i, case in enumerate(cases):

        def step(_: int, done: int, __: int, before: int = 2 * replications * i) -> None:
            if progress is not None:
                progress(before + done, total)

        rows += judge(case, replay(case, replications, seed, step, workers))
    return pd.DataFrame(rows)


def tally(table: pd.DataFrame) -> dict[str, int]:
    """How many outcomes agree, disagree or are not comparable."""
    counts = table["verdict"].value_counts()
    return {v: int(counts.get(v, 0)) for v in (AGREE, DISAGREE, NOT_COMPARABLE)}
