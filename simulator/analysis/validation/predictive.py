"""Posterior predictive checks: every validation fact with the calibrated constants uncertain.

The validation suite (:func:`~simulator.analysis.validation.run_validation`) judges the model
with its constants at their defaults. Here the constants that ``outsim calibrate`` estimated
vary as the posterior says: ``draws`` joint draws of them (resampled by weight), and for draw
``k`` one replication of every experiment with the draw's values put into every validation
scenario, on replication ``k``'s seed (the seed the suite gives its own replication ``k``, so
the difference from the defaults is the constants' doing). A fact's **predictive interval**
is the 5th to 95th percentile of its value over the draws: what the model predicts when both
its luck and what we know of its constants are left to vary.

The fact's accepted band (the published range widened by the source's own uncertainty, the
band the verdicts use) is then *inside* the interval (they overlap), *above* it or *below* it.
A fitted fact outside its predictive interval says the calibration did not fit it; an
out-of-sample fact outside says the mechanism is off, not merely a constant; one inside with a
failing verdict at the defaults says a constant inside what the posterior allows would pass it.
No out-of-sample fact enters the calibration (``calibrate.CalibrationSpec`` refuses it).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from simulator.analysis.calibrate import Posterior
from simulator.analysis.replications import child_seeds
from simulator.analysis.validation import (
    EXPERIMENTS,
    FACTS,
    Experiment,
    package_experiments,
    run_experiments,
)
from simulator.analysis.validation.fact import Fact

DEFAULT_DRAWS = 20
PLACES = ("inside", "above", "below")
UNPLACED = "none"
LEVELS = (0.05, 0.5, 0.95)
COLUMNS = (
    "predictive_low",
    "predictive_median",
    "predictive_high",
    "predictive_draws",
    "band_position",
)


def position(f: Fact, low: float, high: float) -> str:
    """Where the fact's accepted band lies against the predictive interval [low, high]:
    ``inside`` (they overlap), ``above`` or ``below``; ``none`` for a direction fact or one
    not measured (not "n/a", which CSV readers take for a missing value)."""
    if f.kind == "direction" or not (np.isfinite(low) and np.isfinite(high)):
        return UNPLACED
    band_low, band_high = f.accepted
    if band_low > high:
        return "above"
    if band_high < low:
        return "below"
    return "inside"


def predictive_row(f: Fact, values: list[float]) -> dict[str, object]:
    """The predictive interval of one fact from its values over the posterior draws."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    low, median, high = (
        (float(q) for q in np.quantile(v, LEVELS)) if len(v) > 1 else (np.nan, np.nan, np.nan)
    )
    return {
        "fact": f.id,
        "predictive_low": low,
        "predictive_median": median,
        "predictive_high": high,
        "predictive_draws": len(v),
        "band_position": position(f, low, high),
    }


def run_predictive(
    posterior: Posterior,
    draws: int = DEFAULT_DRAWS,
    seed: int = 20261129,
    folder: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
    experiments: tuple[Experiment, ...] = EXPERIMENTS,
) -> pd.DataFrame:
    """One row per fact of ``experiments``: the predictive interval over ``draws`` posterior
    draws (:data:`COLUMNS`). ``progress(done, total)`` after each experiment of each draw."""
    if draws < 2:
        raise ValueError(f"draws {draws}: expected at least 2 for an interval")
    folder = Path(folder) if folder is not None else package_experiments()
    sample = posterior.sample(draws, seed)
    seeds = child_seeds(seed, draws)
    facts = [f for f in FACTS if f.experiment in {e.name for e in experiments}]
    values: dict[str, list[float]] = {f.id: [] for f in facts}
    total, done = draws * len(experiments), 0

    def step() -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, total)

    for k, row in enumerate(sample.to_dict("records")):
        changes = {name: float(value) for name, value in row.items()}
        measured = run_experiments(seeds[k], folder, step, experiments, changes)
        for fact_id, value in measured.items():
            if fact_id in values:
                values[fact_id].append(value)
    return pd.DataFrame([predictive_row(f, values[f.id]) for f in facts])


def summary(table: pd.DataFrame) -> str:
    """``the accepted band overlaps the 90% posterior predictive interval of 31 of 38 facts
    (out-of-sample 5/8 · fitted 23/25 · ...)``: a line for the terminal and the documents."""
    judged = table[table["band_position"].isin(PLACES)]
    inside = judged["band_position"] == "inside"
    parts = []
    for kind in ("out-of-sample", "fitted", "consistency"):
        rows = judged["kind"] == kind
        if rows.any():
            parts.append(f"{kind} {int((inside & rows).sum())}/{int(rows.sum())}")
    return (
        f"the accepted band overlaps the 90% posterior predictive interval of "
        f"{int(inside.sum())} of {len(judged)} facts ({' · '.join(parts)})"
    )
