"""Small statistics shared by summaries and comparisons: each interval is defined here once.

- :func:`mean_interval`: the t-interval of a mean over independent replications;
- :func:`wilson_interval`: the Wilson score interval of a share counted in people (or
  mutants), treating each as an independent trial;
- :func:`ratio_interval`: a percentile bootstrap interval of a ratio of sums over
  independent clusters (replications), resampling whole clusters.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
from scipy import stats

BOOTSTRAP_RESAMPLES = 2000
BOOTSTRAP_SEED = 20261207  # fixed: the same data give the same interval every time
MIN_CLUSTERS = 3  # a bootstrap over fewer clusters says nothing about their spread


def mean_interval(values: np.ndarray, level: float = 0.95) -> tuple[float, float, float]:
    """Mean and the ``level`` t-interval of the mean (NaN-free input; degenerate below n=2)."""
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    if len(values) == 0:
        return (np.nan, np.nan, np.nan)
    m = float(values.mean())
    if len(values) < 2:
        return (m, m, m)
    half = float(stats.t.ppf(0.5 + level / 2, len(values) - 1) * values.std(ddof=1))
    half /= np.sqrt(len(values))
    return (m, m - half, m + half)


def wilson_interval(hits: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """The ``level`` Wilson score interval of the share ``hits``/``n`` [share, 0-1]: ``n``
    independent trials; (0, 1) when there are none. Unlike the normal approximation it stays
    inside 0-1 and does not collapse to a point at 0 or ``n`` hits."""
    if n <= 0:
        return (0.0, 1.0)
    z = float(stats.norm.ppf(0.5 + level / 2))
    p = hits / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


def ratio_interval(
    numerator: np.ndarray, denominator: np.ndarray, level: float = 0.95
) -> tuple[float, float] | None:
    """The ``level`` percentile bootstrap interval of sum(numerator) / sum(denominator),
    resampling the pairs (one per independent cluster, e.g. a replication) with replacement
    — :data:`BOOTSTRAP_RESAMPLES` times, seeded, so the same data give the same interval.
    The units are the numerator's over the denominator's. None with fewer than
    :data:`MIN_CLUSTERS` pairs, or where a resample's denominator sums to zero or less (the
    ratio is then undefined)."""
    numerator = np.asarray(numerator, dtype=float)
    denominator = np.asarray(denominator, dtype=float)
    if len(numerator) < MIN_CLUSTERS:
        return None

    def ratio(a: np.ndarray, b: np.ndarray, axis: int = -1) -> np.ndarray:
        total = b.sum(axis=axis)
        return np.where(total > 0, a.sum(axis=axis) / np.where(total > 0, total, 1.0), np.nan)

    with warnings.catch_warnings():  # an undefined resample: None below, not a warning
        warnings.simplefilter("ignore", stats.DegenerateDataWarning)
        boot = stats.bootstrap(
            (numerator, denominator),
            ratio,
            paired=True,
            vectorized=True,
            n_resamples=BOOTSTRAP_RESAMPLES,
            confidence_level=level,
            method="percentile",
            rng=np.random.default_rng(BOOTSTRAP_SEED),
        )
    low, high = boot.confidence_interval
    if not (np.isfinite(low) and np.isfinite(high)):
        return None
    return (float(low), float(high))
