"""Small statistics shared by summaries and comparisons."""

from __future__ import annotations

import numpy as np
from scipy import stats


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
