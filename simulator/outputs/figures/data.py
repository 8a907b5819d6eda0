"""The data behind the figures: monthly series derived from the timeseries, cumulative cash
flows, the displacement table's columns, and the mean and 95% band across replications
(``summarise``, drawn by ``band``). Nothing here lays out or saves a figure."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from simulator.model.metrics import METRICS
from simulator.model.status_quo import SAVING_PARTS
from simulator.outputs.figures.style import (
    BAND_ALPHA,
    BLACK,
    BLUE,
    GREEN,
    ORANGE,
    PURPLE,
    SKY,
    STATE_COLOURS,
    VERMILLION,
)

PERCENT_UNITS = {"share", "probability", "ratio", "index 0-1"}
COUNT_UNITS = {"persons", "agents", "count", "customers", "jobs", "records", "positions"}

# Monthly series computed here from one METRICS column each: name -> (unit, source, how).
# ``how`` receives the timeseries sorted by replication and month. They are month-by-month
# rates in percent, not the KPIs (which summarise a whole run), so their names differ from
# every KPI's.
DERIVED: dict[str, tuple[str, str, Callable[[pd.DataFrame], pd.Series]]] = {
    "local_unemployment_pct": (
        "%",
        "local_unemployment_rate",
        lambda d: 100 * d["local_unemployment_rate"],
    ),
    # share of the customers at the start of a year lost within it, at this month's rate
    "churn_pct_a_year_at_month_rate": (
        "%/year",
        "churn_rate_monthly",
        lambda d: 100 * (1 - (1 - d["churn_rate_monthly"]) ** 12),
    ),
    # chance of at least one material breach within a year, at this month's rate
    "breach_chance_pct_a_year_at_month_rate": (
        "%/year",
        "breach_probability_monthly",
        lambda d: 100 * (1 - (1 - d["breach_probability_monthly"]) ** 12),
    ),
    # HR convention: quits in a year over headcount, i.e. twelve times the monthly rate
    "vendor_turnover_pct_a_year_at_month_rate": (
        "%/year",
        "vendor_attrition_monthly",
        lambda d: 1200 * d["vendor_attrition_monthly"],
    ),
    "net_savings_cumulative": (
        "USD",
        "net_savings",
        lambda d: d.groupby("replication")["net_savings"].cumsum(),
    ),
}

# Cumulative cash flows of ``cash_flows``: where the saving against the simulated status quo
# comes from (``model.status_quo.SAVING_PARTS``), column -> (legend label, colour). The parts
# add up to the cumulative net savings (the last one).
CASH_FLOWS: dict[str, tuple[str, str]] = {
    "cash_labour_price": ("Labour price at the status quo's service level", BLUE),
    "cash_service_level": ("Service level below (or above) the status quo's", SKY),
    "cash_transition": ("Transition: knowledge transfer, severance", ORANGE),
    "cash_safeguards": ("Safeguards and support", GREEN),
    "cash_revenue_margin": ("Margin on revenue against the status quo", PURPLE),
    "cash_breach_risk": ("Expected breach cost against the status quo", VERMILLION),
    "cash_net": ("Net savings", BLACK),
}
CASH_SOURCES = (
    "replication",
    "month",
    *(f"saving_{part}" for part in SAVING_PARTS),
    "net_savings",
)

DISPLACED_STATES: dict[str, tuple[str, str]] = {  # bottom of the stack first
    "share_reemployed": ("Re-employed", STATE_COLOURS["reemployed"]),
    "share_retraining": ("Retraining", STATE_COLOURS["retraining"]),
    "share_unemployed": ("Unemployed", STATE_COLOURS["unemployed"]),
    "share_left_labour_force": ("Left the labour force", STATE_COLOURS["left_labour_force"]),
}
DISPLACEMENT_COLUMNS = (
    "replication",
    "months_since_displacement",
    "workers_observed",
    *DISPLACED_STATES,
    "earnings_ratio",
)
MILESTONES = (6, 12, 24)  # months since displacement marked on the people figures
NOBODY_DISPLACED = "Nobody was displaced in this scenario"


# -- data helpers --------------------------------------------------------------------------
def unit_of(column: str) -> str:
    """Unit of a METRICS or derived column."""
    if column in DERIVED:
        return DERIVED[column][0]
    return METRICS[column][0]


def with_derived(timeseries: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``timeseries`` with the ``DERIVED`` columns added, sorted by month."""
    out = timeseries.sort_values(["replication", "month"]).reset_index(drop=True)
    for name, (_unit, _source, how) in DERIVED.items():
        out[name] = how(out)
    return out


def cash_flows(timeseries: pd.DataFrame) -> pd.DataFrame:
    """Cumulative cash flows per replication and month, in USD millions (``CASH_FLOWS``):
    each part of the net saving against the status quo simulated on the same draws
    (``saving_*`` columns), and the net saving they add up to."""
    d = timeseries.sort_values(["replication", "month"]).reset_index(drop=True)
    flows = {f"cash_{part}": d[f"saving_{part}"] for part in SAVING_PARTS}
    flows["cash_net"] = d["net_savings"]
    out = d[["replication", "month"]].copy()
    for name in CASH_FLOWS:
        out[name] = flows[name].groupby(d["replication"]).cumsum() / 1e6
    return out


def _grid(
    timeseries: pd.DataFrame, column: str, scale: float, valid: pd.Series | None
) -> tuple[np.ndarray, np.ndarray]:
    """Months and a months × replications array of ``column`` (NaN where missing/invalid)."""
    values = timeseries[column].to_numpy(dtype=float) * scale
    ok = np.isfinite(values)
    if valid is not None:
        ok &= valid.reindex(timeseries.index, fill_value=False).to_numpy(dtype=bool)
    months, m_idx = np.unique(timeseries["month"].to_numpy(), return_inverse=True)
    reps, r_idx = np.unique(timeseries["replication"].to_numpy(), return_inverse=True)
    grid = np.full((len(months), len(reps)), np.nan)
    grid[m_idx[ok], r_idx[ok]] = values[ok]
    return months, grid


def summarise(
    timeseries: pd.DataFrame, column: str, scale: float = 1.0, valid: pd.Series | None = None
) -> pd.DataFrame:
    """Mean and 2.5th/97.5th percentiles of ``column`` across replications at each month.

    Rows where ``valid`` is False (and non-finite values) are left out; a month with no values
    left has NaN statistics, which plot as a gap.
    """
    months, grid = _grid(timeseries, column, scale, valid)
    n = np.isfinite(grid).sum(axis=1)
    mean = np.full(len(months), np.nan)
    lo, hi = mean.copy(), mean.copy()
    some = n > 0
    if some.any():
        rows = grid[some]
        if (n[some] == grid.shape[1]).all():
            mean[some] = rows.mean(axis=1)
            lo[some], hi[some] = np.percentile(rows, [2.5, 97.5], axis=1)
        else:
            mean[some] = np.nanmean(rows, axis=1)
            lo[some], hi[some] = np.nanpercentile(rows, [2.5, 97.5], axis=1)
    index = pd.Index(months, name="month")
    return pd.DataFrame({"mean": mean, "lo": lo, "hi": hi, "n": n}, index=index)


def band(
    ax: Axes,
    timeseries: pd.DataFrame,
    column: str,
    label: str,
    color: str,
    scale: float = 1.0,
    valid: pd.Series | None = None,
    linestyle: str = "-",
    linewidth: float | None = None,
) -> bool:
    """Draw the mean of ``column`` across replications and its 95% band on ``ax``.

    With a single replication only the line is drawn. ``valid`` (a boolean Series aligned with
    ``timeseries``) masks rows where the column has no meaning. Returns whether anything was
    drawn.
    """
    s = summarise(timeseries, column, scale, valid)
    if not s["n"].any():
        return False
    months = s.index.to_numpy()
    if timeseries["replication"].nunique() > 1:
        ax.fill_between(
            months,
            s["lo"].to_numpy(),
            s["hi"].to_numpy(),
            color=color,
            alpha=BAND_ALPHA,
            linewidth=0,
        )
    lone = int(s["mean"].notna().sum()) == 1  # a single point needs a marker to show
    ax.plot(
        months,
        s["mean"].to_numpy(),
        color=color,
        label=label,
        linestyle=linestyle,
        linewidth=linewidth,
        marker="o" if lone else None,
    )
    return True
