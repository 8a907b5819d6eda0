"""Demand: how many contacts each month of the horizon brings.

Without a history the demand is flat: every customer raises issues at their own rate
(``customers.contacts_per_customer_month`` on average). With the company's own history
(``customers.volumes``) the horizon's contacts are forecast from it by exponential
smoothing (statsmodels' Holt-Winters: additive damped trend, and additive seasonality of
12 months when there are at least two years of history; a damped trend alone for shorter
histories), fitted once per history (cached) and never random. Each month's forecast over
the contacts the customers would raise at their base rate is the month's **volume
factor**: every customer's rate is scaled by it, so the simulated contacts follow the
forecast, and vendors staff to it a month ahead.
"""

from __future__ import annotations

import functools
import warnings

import numpy as np

SEASON = 12  # months
SEASONAL_HISTORY = 2 * SEASON  # months needed to fit a seasonal pattern


@functools.lru_cache(maxsize=64)
def forecast(history: tuple[float, ...], horizon: int) -> np.ndarray:
    """Contacts per month for the ``horizon`` months after the history [contacts/month]."""
    from statsmodels.tools.sm_exceptions import ConvergenceWarning
    from statsmodels.tsa.holtwinters import ExponentialSmoothing

    y = np.asarray(history, dtype=float)
    seasonal = len(y) >= SEASONAL_HISTORY
    model = ExponentialSmoothing(
        y,
        trend="add",
        damped_trend=True,
        seasonal="add" if seasonal else None,
        seasonal_periods=SEASON if seasonal else None,
        initialization_method="estimated",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        fitted = model.fit()
    out = np.maximum(np.asarray(fitted.forecast(horizon), dtype=float), 0.0)
    out.setflags(write=False)
    return out


def volume_factors(
    history: list[float] | None, horizon: int, customers: int, rate: float
) -> np.ndarray:
    """Each month's demand over the base demand (``customers × rate``); ones without a
    history."""
    if not history:
        return np.ones(horizon)
    base = customers * rate
    return forecast(tuple(history), horizon) / base if base > 0 else np.ones(horizon)
