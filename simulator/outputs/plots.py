"""Figures of a scenario's results, one PNG per area of consequence, and of plans side by side.

``make_plots`` draws every figure of one scenario from its timeseries table (one row per
replication and month, one column per key of ``METRICS``) and, optionally, its displacement
table (one row per replication and month since displacement). ``make_comparison_plots``
overlays several plans, one colour each, and draws their ethics scorecards as grouped bars.

Each line is the mean across replications; the shaded band around it spans the 2.5th to
97.5th percentile across replications at each month. Dashed vertical lines mark the months
where the plan changes phase (on calendar-month axes only).

Figures are declared as data (``Figure`` made of ``Panel`` made of ``Series``) and drawn by one
routine, so every panel gets the same treatment. Layout is computed here from measured text
(tick labels, titles, legends) rather than by a matplotlib layout engine, so each figure is
drawn exactly once when saved. This module only reads results; it never runs a model.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # files only, never a display

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from cycler import cycler  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.font_manager import FontProperties  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.textpath import text_to_path  # noqa: E402
from matplotlib.ticker import EngFormatter, MaxNLocator, MultipleLocator  # noqa: E402

from simulator.model.employees import State  # noqa: E402
from simulator.model.metrics import METRICS  # noqa: E402

# Okabe & Ito (2008) colour-blind-safe palette, in the order lines take them.
BLUE, VERMILLION, GREEN, ORANGE = "#0072B2", "#D55E00", "#009E73", "#E69F00"
PURPLE, SKY, BLACK, YELLOW = "#CC79A7", "#56B4E9", "#000000", "#F0E442"
PALETTE = (BLUE, VERMILLION, GREEN, ORANGE, PURPLE, SKY, BLACK)
GREY = "#999999"
STATE_COLOURS = {
    "in_house": BLUE,
    "notice": SKY,
    "redeployed": GREEN,
    "unemployed": VERMILLION,
    "retraining": ORANGE,
    "reemployed": YELLOW,
    "left_labour_force": GREY,
}

FIGSIZE = (11.0, 7.0)
DPI = 110
BAND_ALPHA = 0.2
PERCENT_UNITS = {"share", "probability", "ratio", "index 0-1"}
COUNT_UNITS = {"persons", "agents", "count", "customers", "jobs", "records", "positions"}
PNG_OPTIONS = {"compress_level": 3}  # zlib level: a little larger files, much faster to write

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

# Cumulative cash flows of ``cash_flows``: column -> (legend label, colour). They add up to
# the cumulative net savings (the last one).
CASH_FLOWS: dict[str, tuple[str, str]] = {
    "cash_operating": ("Operating savings", BLUE),
    "cash_mitigation": ("Transition and mitigation costs", ORANGE),
    "cash_breaches": ("Expected breach losses beyond in-house", VERMILLION),
    "cash_margin": ("Margin on revenue change", PURPLE),
    "cash_net": ("Net savings", BLACK),
}
CASH_SOURCES = (
    "replication",
    "month",
    "cost_counterfactual",
    "cost_operating",
    "cost_mitigation",
    "cost_transition",
    "revenue",
    "customers_active",
    "customers_acquired",
    "customers_churned",
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


# -- style ---------------------------------------------------------------------------------
def style() -> dict[str, Any]:
    """The matplotlib settings every figure is drawn with (use with ``rc_context``)."""
    return {
        "figure.figsize": FIGSIZE,
        "figure.dpi": DPI,
        "savefig.dpi": DPI,
        "savefig.facecolor": "white",
        "figure.facecolor": "white",
        "font.size": 11,
        "axes.titlesize": 12,
        "axes.titleweight": "bold",
        "axes.labelsize": 11,
        "xtick.labelsize": 10,
        "ytick.labelsize": 10,
        "legend.fontsize": 9.5,
        "legend.frameon": False,
        "figure.titlesize": 15,
        "figure.titleweight": "bold",
        "axes.prop_cycle": cycler(color=PALETTE),
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "axes.grid.axis": "y",
        "grid.color": "#dddddd",
        "grid.linewidth": 0.8,
        "lines.linewidth": 2.0,
        "axes.formatter.useoffset": False,
    }


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


def cash_flows(timeseries: pd.DataFrame, gross_margin: float) -> pd.DataFrame:
    """Cumulative cash flows per replication and month, in USD millions (``CASH_FLOWS``).

    Operating savings are the in-house counterfactual cost minus the operating cost;
    transition and mitigation costs count negative; the margin on revenue change is
    ``gross_margin`` times revenue minus the revenue before month 0 (the customers active at
    the start of month 0). Breach losses are what is left of the net savings: expected breach
    costs, negative, net of the breach cost expected in-house anyway (a constant credit), so
    the four flows add up to the cumulative ``net_savings`` when ``gross_margin`` is the
    scenario's.
    """
    d = timeseries.sort_values(["replication", "month"]).reset_index(drop=True)
    first = d.groupby("replication")[
        ["revenue", "customers_active", "customers_acquired", "customers_churned"]
    ].transform("first")
    start = first["customers_active"] - first["customers_acquired"] + first["customers_churned"]
    per_customer = first["revenue"] / first["customers_active"].where(first["customers_active"] > 0)
    revenue0 = (per_customer * start).fillna(first["revenue"])
    flows = {
        "cash_operating": d["cost_counterfactual"] - d["cost_operating"],
        "cash_mitigation": -(d["cost_mitigation"] + d["cost_transition"]),
        "cash_margin": gross_margin * (d["revenue"] - revenue0),
    }
    flows["cash_breaches"] = d["net_savings"] - sum(flows.values())
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


# -- declarative figures -------------------------------------------------------------------
@dataclass(frozen=True)
class Series:
    """One line (with its band) in a panel."""

    column: str
    label: str
    scale: float = 1.0
    valid: Callable[[pd.DataFrame], pd.Series] | None = None  # rows where it means something
    linestyle: str = "-"
    color: str | None = None  # default: the palette, in order
    linewidth: float | None = None


@dataclass(frozen=True)
class Panel:
    """One axes: a title, a quantity for the y label, and the series drawn on it."""

    title: str
    quantity: str
    series: tuple[Series, ...] = ()
    unit: str | None = None  # default: from METRICS, with scale 100 turning shares into %
    bounds: tuple[float, float] | None = None  # the quantity's natural range, in plotted units
    reference: float | None = None  # a horizontal reference line
    reference_label: str | None = None
    ylim: tuple[float, float] | None = None  # fixed y range instead of autoscaling
    empty_note: str = "Nothing to show in this scenario"
    draw: Callable[[Axes, pd.DataFrame], bool] | None = None  # custom drawing instead of series
    xlabel: str = "Month"
    calendar: bool = True  # x is calendar months: mark the plan's phase changes
    legend: str = "best"  # "best" (inside, if more than one entry), "right" (outside), "none"


@dataclass(frozen=True)
class Figure:
    """A PNG: a file name, a title stating its subject and a grid of panels."""

    name: str
    title: str
    panels: tuple[Panel, ...]
    grid: tuple[int, int] = (2, 2)
    height_ratios: tuple[float, ...] | None = None
    figsize: tuple[float, float] = FIGSIZE
    note: str | Callable[[pd.DataFrame], str | None] | None = None  # added to the caption
    source: str = "timeseries"  # or "displacement": rows by months since displacement
    bands: bool = True  # the caption explains lines and bands


def _has_vendor_staff(d: pd.DataFrame) -> pd.Series:
    return d["vendor_staff"] > 0


def _has_displaced(d: pd.DataFrame) -> pd.Series:
    return d["displaced_cumulative"] > 0


def _observed(d: pd.DataFrame) -> pd.Series:
    return d["workers_observed"] > 0


def panel_unit(panel: Panel) -> str:
    """Unit of a panel's y axis: its own, or its first series' (shares scaled by 100 → %)."""
    if panel.unit is not None:
        return panel.unit
    first = panel.series[0]
    unit = unit_of(first.column)
    base, sep, per = unit.partition("/")
    if first.scale == 100 and base in PERCENT_UNITS:
        return f"%{sep}{per}"
    return unit


def _draw_workforce_states(ax: Axes, d: pd.DataFrame) -> bool:
    """Stacked area of the mean number of initial in-house workers in each state."""
    means = d.groupby("month")[[f"employees_{s.name}" for s in State]].mean()
    months = means.index.to_numpy()
    ax.stackplot(
        months,
        means.to_numpy().T,
        labels=[s.name.replace("_", " ").capitalize() for s in State],
        colors=[STATE_COLOURS.get(s.name, GREY) for s in State],
        alpha=0.9,
        linewidth=0,
    )
    band(ax, d, "in_house_positions", "Planned in-house positions", BLACK, linestyle=":")
    return True


def _milestone(ax: Axes, month: float, y: float, text: str, below: bool = False) -> None:
    """A labelled marker at a milestone month (dotted vertical, dot, value above or below)."""
    ax.axvline(month, color="#333333", linestyle=":", linewidth=1.0, zorder=2)
    ax.plot([month], [y], marker="o", markersize=7, color=BLACK, mec="white", mew=1.2, zorder=4)
    ax.annotate(
        text,
        (month, y),
        xytext=(7, -8) if below else (6, 6),
        textcoords="offset points",
        va="top" if below else "baseline",
        fontsize=10,
        fontweight="bold",
        bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.85},
        zorder=5,
    )


def _draw_displaced_states(ax: Axes, d: pd.DataFrame) -> bool:
    """Stacked area of the mean shares of displaced workers in each state."""
    d = d[_observed(d)]
    if d.empty:
        return False
    means = 100 * d.groupby("month")[list(DISPLACED_STATES)].mean()
    months = means.index.to_numpy()
    ax.stackplot(
        months,
        means.to_numpy().T,
        labels=[label for label, _colour in DISPLACED_STATES.values()],
        colors=[colour for _label, colour in DISPLACED_STATES.values()],
        alpha=0.9,
        linewidth=0,
    )
    shown = [m for m in MILESTONES if m in means.index]
    for m in shown:
        share = float(means.loc[m, "share_reemployed"])
        _milestone(ax, m, share, f"{share:.0f}% at {m} months")
    if shown:  # a legend entry for the markers
        ax.plot([], [], "o", color=BLACK, mec="white", label="Share re-employed at a milestone")
    return True


def _earnings_milestones(ax: Axes, d: pd.DataFrame) -> bool:
    """Mean earnings ratio (%) with its band, labelled at the milestone months."""
    valid = _observed(d)
    if not band(ax, d, "earnings_ratio", "Mean earnings ratio", BLUE, 100.0, valid):
        return False
    means = summarise(d, "earnings_ratio", 100.0, valid)["mean"]
    for m in MILESTONES:
        if m in means.index and np.isfinite(means.loc[m]):
            value = float(means.loc[m])
            _milestone(ax, m, value, f"{value:.0f}% at {m} months", below=True)
    return True


def _displacement_note(d: pd.DataFrame) -> str | None:
    d = d[_observed(d)]
    if d.empty:
        return None
    n = d.groupby("month")["workers_observed"].mean()
    mean = " (means across replications)" if d["replication"].nunique() > 1 else ""
    parts = [
        f"Later months cover only workers displaced early enough to be followed that long: "
        f"{n.iloc[0]:.0f} workers at month {n.index[0]:.0f}, {n.iloc[-1]:.0f} at month "
        f"{n.index[-1]:.0f}{mean}."
    ]
    missing = [m for m in MILESTONES if m not in n.index]
    if missing:
        months = ", ".join(str(m) for m in missing)
        parts.append(f"Not observed within the horizon: {months} months.")
    return " ".join(parts)


def _figures() -> tuple[Figure, ...]:
    pct = 100.0
    vendor = _has_vendor_staff
    no_vendor = "No vendor staff in this scenario"
    since = "Months since displacement"
    return (
        Figure(
            "workforce",
            "What happens to the initial in-house workforce",
            (
                Panel(
                    "Initial in-house workers by state (stacked means)",
                    "Workers",
                    unit="persons",
                    draw=_draw_workforce_states,
                    legend="right",
                ),
                Panel(
                    "Workers laid off and early quits, cumulative",
                    "Workers",
                    (
                        Series("displaced_cumulative", "Laid off (excl. redeployed)"),
                        Series("early_quits_cumulative", "Quit early on rumours of the plan"),
                    ),
                ),
            ),
            grid=(2, 1),
            height_ratios=(3, 2),
        ),
        Figure(
            "displaced_earnings",
            "Earnings of displaced workers",
            (
                Panel(
                    "Displaced workers' earnings relative to before displacement "
                    "(jobless count as zero)",
                    "Earnings ratio",
                    (
                        Series(
                            "displaced_earnings_ratio",
                            "Displaced workers' earnings ratio",
                            pct,
                            _has_displaced,
                        ),
                    ),
                    ylim=(0, 105),
                    reference=100.0,
                    reference_label="Pre-displacement earnings",
                    empty_note="No workers displaced in this scenario",
                ),
            ),
            grid=(1, 1),
            figsize=(11.0, 5.0),
        ),
        Figure(
            "local_economy",
            "Home-region labour market",
            (
                Panel(
                    "Local unemployment rate",
                    "Unemployment rate",
                    (Series("local_unemployment_pct", "Unemployment rate"),),
                ),
                Panel(
                    "Local jobs lost (income multiplier) and supported (investment)",
                    "Local jobs",
                    (
                        Series("local_jobs_lost", "Jobs lost"),
                        Series("local_jobs_supported", "Jobs supported"),
                    ),
                ),
                Panel(
                    "Labour-market tightness",
                    "Vacancies per unemployed",
                    (Series("local_tightness", "Tightness"),),
                ),
                Panel(
                    "Displaced workers' job-finding hazard vs reference market",
                    "Relative hazard",
                    (Series("displaced_job_finding_factor", "Job-finding factor"),),
                ),
            ),
        ),
        Figure(
            "service",
            "Customer service quality",
            (
                Panel(
                    "Customer satisfaction with contacts (CSAT)",
                    "CSAT",
                    (
                        Series("csat", "All channels"),
                        Series("csat_in_house", "In-house", linestyle="--"),
                        Series("csat_vendor", "Vendors", linestyle="-."),
                    ),
                    bounds=(0, 100),
                ),
                Panel(
                    "First-contact resolution",
                    "Resolved at first contact",
                    (
                        Series("fcr", "All channels", pct),
                        Series("fcr_in_house", "In-house", pct, linestyle="--"),
                        Series("fcr_vendor", "Vendors", pct, linestyle="-."),
                    ),
                    bounds=(0, 100),
                ),
                Panel(
                    "Service level (answered within 20 s)",
                    "Answered in 20 s",
                    (
                        Series("service_level", "All channels", pct),
                        Series("service_level_in_house", "In-house", pct, linestyle="--"),
                        Series("service_level_vendor", "Vendors", pct, linestyle="-."),
                    ),
                    bounds=(0, 100),
                ),
                Panel(
                    "Average speed of answer",
                    "Wait",
                    (Series("average_wait_s", "All channels"),),
                ),
            ),
            note="Vendor series equal in-house ones while no vendor serves.",
        ),
        Figure(
            "customers",
            "Customers: retention, trust and awareness of outsourcing",
            (
                Panel(
                    "Active customers",
                    "Customers",
                    (Series("customers_active", "Active customers"),),
                ),
                Panel(
                    "Customer churn, annualised",
                    "Churn",
                    (Series("churn_pct_a_year_at_month_rate", "Churn (annual rate)"),),
                ),
                Panel(
                    "Mean trust of active customers",
                    "Trust",
                    (Series("trust_mean", "Trust"),),
                    bounds=(0, 1),
                ),
                Panel(
                    "Customers who know the service is outsourced",
                    "Informed customers",
                    (Series("informed_share", "Informed", pct),),
                    bounds=(0, 100),
                ),
            ),
        ),
        Figure(
            "privacy",
            "Customer data: exposure and breach risk",
            (
                Panel(
                    "Customer records held by vendors",
                    "Records",
                    (Series("records_exposed", "Records exposed"),),
                ),
                Panel(
                    "Chance of a material breach, annualised",
                    "Breach probability",
                    (
                        Series(
                            "breach_chance_pct_a_year_at_month_rate",
                            "Within a year, at this month's risk",
                        ),
                    ),
                    bounds=(0, 100),
                ),
                Panel(
                    "Material breaches so far",
                    "Breaches",
                    (Series("breaches_cumulative", "Breaches (cumulative)"),),
                ),
                Panel(
                    "Expected (probability-weighted) breach cost",
                    "Expected cost",
                    (Series("expected_breach_cost", "Expected breach cost"),),
                ),
            ),
        ),
        Figure(
            "vendor_workforce",
            "Vendor agents: staffing, pay and conditions",
            (
                Panel(
                    "Vendor agents employed vs required by contract",
                    "Agents",
                    (
                        Series("vendor_staff", "Employed"),
                        Series("vendor_required", "Required", linestyle="--"),
                    ),
                ),
                Panel(
                    "Vendor agent attrition, annualised (12 × monthly)",
                    "Attrition",
                    (
                        Series(
                            "vendor_turnover_pct_a_year_at_month_rate", "Attrition", valid=vendor
                        ),
                    ),
                    empty_note=no_vendor,
                ),
                Panel(
                    "Vendor agents paid at least the local industry standard",
                    "Paid fairly",
                    (Series("vendor_share_paid_fair", "Paid fairly", pct, vendor),),
                    bounds=(0, 100),
                    empty_note=no_vendor,
                ),
                Panel(
                    "Vendor agents' wellbeing and product proficiency",
                    "Index",
                    (
                        Series("vendor_wellbeing", "Wellbeing", valid=vendor),
                        Series("vendor_proficiency", "Product proficiency", valid=vendor),
                    ),
                    bounds=(0, 1),
                    empty_note=no_vendor,
                ),
            ),
        ),
        Figure(
            "costs",
            "Costs, savings and revenue",
            (
                Panel(
                    "Total cost vs serving in-house with the initial workforce",
                    "Cost",
                    (
                        Series("cost_total", "Actual total cost"),
                        Series("cost_counterfactual", "Counterfactual (in-house)", linestyle="--"),
                    ),
                ),
                Panel(
                    "Cost of ethical policies and displacement support",
                    "Mitigation cost",
                    (Series("cost_mitigation", "Mitigation cost"),),
                ),
                Panel(
                    "Cumulative net savings vs counterfactual",
                    "Net savings",
                    (Series("net_savings_cumulative", "Net savings (cumulative)"),),
                    reference=0.0,
                ),
                Panel(
                    "Revenue from active customers",
                    "Revenue",
                    (Series("revenue", "Revenue"),),
                ),
            ),
        ),
        Figure(
            "cash",
            "Cumulative cash: what the plan saves and what eats into it",
            (
                Panel(
                    "Cumulative savings, costs and losses vs serving in-house",
                    "Cumulative cash",
                    tuple(
                        Series(column, label, color=colour)
                        for column, (label, colour) in CASH_FLOWS.items()
                        if column != "cash_net"
                    ),
                    unit="USD millions",
                    reference=0.0,
                    legend="right",
                ),
                Panel(
                    "Cumulative net savings: the sum of the four above",
                    "Net savings",
                    (Series("cash_net", CASH_FLOWS["cash_net"][0], color=BLACK),),
                    unit="USD millions",
                    reference=0.0,
                    legend="none",
                ),
            ),
            grid=(2, 1),
            height_ratios=(3, 2),
            note="Operating savings: in-house counterfactual cost minus operating cost. "
            "Breach losses: realised breach costs minus the breach cost expected in-house "
            "anyway, as in net savings. Margin: gross margin on revenue above or below its "
            "level before month 0.",
        ),
        Figure(
            "displaced_states",
            "Where the displaced workers are, month by month after their job ended",
            (
                Panel(
                    "Displaced workers by state (stacked means across replications)",
                    "Displaced workers",
                    unit="%",
                    ylim=(0, 100),
                    draw=_draw_displaced_states,
                    empty_note=NOBODY_DISPLACED,
                    xlabel=since,
                    calendar=False,
                    legend="right",
                ),
            ),
            grid=(1, 1),
            figsize=(11.0, 5.5),
            note=_displacement_note,
            source="displacement",
            bands=False,
        ),
        Figure(
            "earnings_recovery",
            "Displaced workers' earnings recovery",
            (
                Panel(
                    "Earnings relative to before displacement (jobless count as zero)",
                    "Earnings",
                    unit="% of pre-displacement",
                    ylim=(0, 110),
                    reference=100.0,
                    reference_label="Pre-displacement earnings",
                    draw=_earnings_milestones,
                    empty_note=NOBODY_DISPLACED,
                    xlabel=since,
                    calendar=False,
                    legend="best",
                ),
            ),
            grid=(1, 1),
            figsize=(11.0, 5.0),
            note=_displacement_note,
            source="displacement",
        ),
    )


FIGURES: tuple[Figure, ...] = _figures()

# Overlays of several plans: one figure per file, each panel one series, one colour per plan.
COMPARE_FIGURES: tuple[Figure, ...] = (
    Figure(
        "compare_costs",
        "Business case by plan",
        (
            Panel(
                "Cumulative net savings vs serving in-house with the initial workforce",
                "Net savings",
                (Series("net_savings_cumulative", "Net savings", 1e-6),),
                unit="USD millions",
                reference=0.0,
            ),
        ),
        grid=(1, 1),
        figsize=(11.0, 5.0),
    ),
    Figure(
        "compare_workforce",
        "Initial in-house workforce by plan",
        (
            Panel(
                "Workers laid off so far (excl. redeployed)",
                "Workers",
                (Series("displaced_cumulative", "Laid off"),),
            ),
            Panel(
                "Initial workers unemployed now",
                "Workers",
                (Series("employees_unemployed", "Unemployed"),),
            ),
        ),
        grid=(1, 2),
        figsize=(11.0, 5.0),
    ),
    Figure(
        "compare_customers",
        "Customers by plan",
        (
            Panel(
                "Mean trust of active customers",
                "Trust",
                (Series("trust_mean", "Trust"),),
                bounds=(0, 1),
            ),
            Panel(
                "Active customers",
                "Customers",
                (Series("customers_active", "Active customers"),),
            ),
        ),
        grid=(1, 2),
        figsize=(11.0, 5.0),
    ),
    Figure(
        "compare_service",
        "Customer service quality by plan",
        (
            Panel(
                "Customer satisfaction with contacts (CSAT)",
                "CSAT",
                (Series("csat", "CSAT"),),
                bounds=(0, 100),
            ),
            Panel(
                "First-contact resolution",
                "Resolved at first contact",
                (Series("fcr", "FCR", 100.0),),
                bounds=(0, 100),
            ),
        ),
        grid=(1, 2),
        figsize=(11.0, 5.0),
    ),
    Figure(
        "compare_privacy",
        "Customer data by plan",
        (
            Panel(
                "Customer records held by vendors",
                "Records",
                (Series("records_exposed", "Records exposed"),),
            ),
            Panel(
                "Chance of a material breach, annualised",
                "Breach probability",
                (Series("breach_chance_pct_a_year_at_month_rate", "Breach probability"),),
                bounds=(0, 100),
            ),
        ),
        grid=(1, 2),
        figsize=(11.0, 5.0),
    ),
    Figure(
        "compare_vendor",
        "Vendor agents by plan",
        (
            Panel(
                "Vendor agent attrition, annualised (12 × monthly)",
                "Attrition",
                (
                    Series(
                        "vendor_turnover_pct_a_year_at_month_rate",
                        "Attrition",
                        valid=_has_vendor_staff,
                    ),
                ),
                empty_note="No plan has vendor staff",
            ),
            Panel(
                "Vendor agents paid at least the local standard",
                "Paid fairly",
                (Series("vendor_share_paid_fair", "Paid fairly", 100.0, _has_vendor_staff),),
                bounds=(0, 100),
                empty_note="No plan has vendor staff",
            ),
        ),
        grid=(1, 2),
        figsize=(11.0, 5.0),
        note="A plan's lines are absent while it has no vendor staff.",
    ),
)
SCORECARD_DIMENSIONS = {
    "transparency": "Transparency",
    "privacy": "Privacy",
    "fair_treatment": "Fair treatment\nof vendor staff",
    "communication": "Communication",
    "local_jobs": "Local jobs",
}


# -- text measurement and layout -----------------------------------------------------------
# Inches. The figure is laid out from these and from measured text, without a layout engine.
EDGE = 0.12  # blank border
SUPTITLE_H = 0.45  # the figure title and the gap under it
TITLE_LINE = 0.21  # one line of an axes title
TITLE_PAD = 0.1
XAXIS_H = 0.52  # x tick labels and x label under an axes
ROW_GAP = 0.2
LABEL_LINE = 0.19  # one line of a y label (rotated)
TICK_SPACE = 0.14  # tick length and padding left of the axes
OVERHANG = 0.22  # right of an axes: half the last x tick label, or the gap to the next
CAPTION_LINE = 0.17
LEGEND_LINE = 0.22
MIN_AXES_H = 1.4
TEXT_SAFETY = 1.06  # Agg's hinted glyphs come out up to ~5% wider than their outlines


@lru_cache(maxsize=4096)
def _text_width(text: str, size: float, bold: bool = False) -> float:
    """Width in inches of ``text`` (the widest line) at ``size`` points."""
    prop = FontProperties(size=size, weight="bold" if bold else "normal")
    widths = [
        text_to_path.get_text_width_height_descent(line, prop, ismath=False)[0]
        for line in text.split("\n")
    ]
    return TEXT_SAFETY * max(widths) / 72.0


def _wrap(text: str, width: float, size: float, bold: bool = False) -> str:
    """``text`` broken at spaces into lines no wider than ``width`` inches (where possible)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            trial = f"{line} {word}" if line else word
            if line and _text_width(trial, size, bold) > width:
                lines.append(line)
                line = word
            else:
                line = trial
        lines.append(line)
    return "\n".join(lines)


def _wrap_label(text: str, width: float, size: float) -> str:
    """An axis label in two lines, the unit in brackets on the second if both lines fit."""
    quantity, sep, unit = text.rpartition(" (")
    if sep and max(_text_width(quantity, size), _text_width(f"({unit}", size)) <= width:
        return f"{quantity}\n({unit}"
    return _wrap(text, width, size)


def _rc_size(key: str) -> float:
    return FontProperties(size=plt.rcParams[key]).get_size_in_points()


def _ytick_width(ax: Axes) -> float:
    """Width in inches of the widest y tick label ``ax`` will show."""
    lo, hi = sorted(ax.get_ylim())
    locs = ax.yaxis.get_major_locator()()
    tol = 1e-9 * max(abs(lo), abs(hi), 1.0)
    locs = [v for v in locs if lo - tol <= v <= hi + tol]
    if not locs:
        return 0.0
    labels = ax.yaxis.get_major_formatter().format_ticks(locs)
    size = _rc_size("ytick.labelsize")
    return max(_text_width(s, size) for s in labels)


def _legend_width(labels: Sequence[str]) -> float:
    """Width in inches of a one-column legend with these labels (handle, gap, text, border)."""
    size = _rc_size("legend.fontsize")
    text = max((_text_width(s, size) for s in labels), default=0.0)
    return text + 4.0 * size / 72.0


def _arrange(
    fig: plt.Figure,
    axes: np.ndarray,
    titles: Sequence[str],
    suptitle: str,
    caption: str,
    height_ratios: Sequence[float] | None = None,
    legend_right: float = 0.0,
    header: Callable[[float], float] | None = None,
) -> float:
    """Place ``axes`` (rows × cols, ``None`` where empty), titles, figure title and caption.

    Margins come from the widest y tick labels of each column, the y labels, titles wrapped
    to the axes width and the caption wrapped to the figure width. ``legend_right`` reserves
    inches right of the axes; ``header(width)`` returns inches reserved under the figure title.
    The figure grows taller if the axes would otherwise be squeezed. Returns the y (figure
    fraction) of the top of the header space.
    """
    width, height = fig.get_size_inches()
    rows, cols = axes.shape
    cells = [(r, c, axes[r, c]) for r in range(rows) for c in range(cols) if axes[r, c] is not None]
    label_size = _rc_size("axes.labelsize")
    title_size = _rc_size("axes.titlesize")
    caption_size = 9.5
    ticks = [
        max((_ytick_width(a) for a in axes[:, c] if a is not None), default=0.0)
        for c in range(cols)
    ]
    label_lines = dict.fromkeys(range(cols), 1)
    caption = _wrap(caption, width - 2 * EDGE, caption_size) if caption else ""
    caption_h = (caption.count("\n") + 1) * CAPTION_LINE + 0.06 if caption else 0.0
    ratios = list(height_ratios or [1.0] * rows)

    for _pass in range(2):  # the second pass wraps y labels taller than their axes
        left = [EDGE + TICK_SPACE + ticks[c] + LABEL_LINE * label_lines[c] for c in range(cols)]
        axes_w = (width - EDGE - sum(left) - OVERHANG * cols - legend_right) / cols
        wrapped = {
            (r, c): _wrap(t, axes_w + OVERHANG * 0.5, title_size, bold=True) if t else ""
            for (r, c, _ax), t in zip(cells, titles, strict=True)
        }
        title_h = [
            max((wrapped[r, c].count("\n") + 1 for (rr, c, _a) in cells if rr == r), default=0)
            * TITLE_LINE
            + TITLE_PAD
            for r in range(rows)
        ]
        head = header(width) if header else 0.0
        fixed = 2 * EDGE + SUPTITLE_H + head + sum(title_h) + rows * XAXIS_H
        fixed += (rows - 1) * ROW_GAP + caption_h
        if height - fixed < MIN_AXES_H * rows:
            height = fixed + MIN_AXES_H * rows
        heights = [(height - fixed) * q / sum(ratios) for q in ratios]
        again = False
        for r, c, ax in cells:
            label = ax.get_ylabel()
            if label_lines[c] == 1 and _text_width(label, label_size) > 0.95 * heights[r]:
                label_lines[c] = 2
                again = True
        if not again:
            break

    fig.set_size_inches(width, height)
    for r, c, ax in cells:
        if label_lines[c] > 1 and _text_width(ax.get_ylabel(), label_size) > 0.95 * heights[r]:
            ax.set_ylabel(_wrap_label(ax.get_ylabel(), 0.95 * heights[r], label_size))
    y = height - EDGE - SUPTITLE_H - head
    for r in range(rows):
        y -= title_h[r]
        bottom = y - heights[r]
        x = 0.0
        for c in range(cols):
            x += left[c]
            ax = axes[r, c]
            if ax is not None:
                ax.set_position((x / width, bottom / height, axes_w / width, heights[r] / height))
                if wrapped[r, c]:
                    ax.set_title(wrapped[r, c], loc="left", y=1.0)  # y: no auto-placement
            x += axes_w + OVERHANG
        y = bottom - XAXIS_H - ROW_GAP
    fig.suptitle(suptitle, x=EDGE / width, y=1 - EDGE / height, ha="left", va="top")
    if caption:
        fig.text(
            EDGE / width,
            EDGE / height,
            caption,
            ha="left",
            va="bottom",
            fontsize=caption_size,
            color="#444444",
        )
    return 1 - (EDGE + SUPTITLE_H) / height


def _new_figure(figsize: tuple[float, float], rows: int, cols: int) -> tuple[plt.Figure, Any]:
    """A figure with a rows × cols array of axes, to be placed by ``_arrange``."""
    fig = plt.figure(figsize=figsize)
    axes = np.empty((rows, cols), dtype=object)
    for r in range(rows):
        for c in range(cols):
            axes[r, c] = fig.add_axes((0.1, 0.1, 0.8, 0.8))
    return fig, axes


def _save(fig: plt.Figure, path: Path) -> Path:
    fig.savefig(path, pil_kwargs=PNG_OPTIONS)  # no bbox_inches="tight": laid out already
    return path


# -- drawing -------------------------------------------------------------------------------
def _format_y(ax: Axes) -> None:
    """Large numbers as 12k, 1.5M; small ones as they are."""
    if max(abs(v) for v in ax.get_ylim()) >= 1e4:
        ax.yaxis.set_major_formatter(EngFormatter(sep=""))


def _month_ticks(ax: Axes, lo: float, hi: float) -> None:
    """At most about eight month ticks, in steps of 1, 2, 3, 6, 12 or 24 months."""
    span = max(hi - lo, 1.0)
    step = next((s for s in (1, 2, 3, 6, 12, 24) if span / s <= 8), 60)
    ax.xaxis.set_major_locator(MultipleLocator(step))


def _open_flat(ax: Axes) -> None:
    """Give a panel whose data are constant a readable y range around the constant."""
    lo, hi = ax.dataLim.intervaly
    if not (np.isfinite(lo) and np.isfinite(hi)) or hi - lo > 1e-9 * max(abs(lo), abs(hi), 1.0):
        return
    if abs(lo) < 1e-9:
        ax.set_ylim(-0.05, 1.0)
    else:
        ax.set_ylim(lo - 0.1 * abs(lo), lo + 0.1 * abs(lo))


def _clip_to_bounds(ax: Axes, bounds: tuple[float, float] | None) -> None:
    """Keep autoscaled limits within the quantity's natural range (plus a small margin)."""
    if bounds is None:
        return
    lo, hi = ax.get_ylim()
    pad = 0.03 * (bounds[1] - bounds[0])
    ax.set_ylim(max(lo, bounds[0] - pad), min(hi, bounds[1] + pad))


def _from_zero(ax: Axes) -> None:
    """A quantity that is never negative is drawn from zero, so that a small change does not
    look like a large one (a breach chance rising from 11% to 27% on an axis from 10%)."""
    lo = ax.dataLim.intervaly[0]
    bottom, top = ax.get_ylim()
    if np.isfinite(lo) and lo >= 0 and bottom > 0:
        ax.set_ylim(0, top)


def _empty(ax: Axes, note: str) -> None:
    ax.text(
        0.5,
        0.5,
        note,
        transform=ax.transAxes,
        ha="center",
        va="center",
        fontsize=13,
        color="#555555",
    )
    ax.set_yticks([])


def _phase_lines(ax: Axes, lines: Sequence[tuple[int, str]]) -> None:
    for m, colour in lines:
        ax.axvline(m, color=colour, linestyle="--", linewidth=1.0, zorder=1)


def _frame(ax: Axes, panel: Panel, months: pd.Series, drawn: bool) -> None:
    """Axis labels, x range, ticks, y range and formatting of a panel."""
    ax.set_xlabel(panel.xlabel)
    unit = panel_unit(panel)
    ax.set_ylabel(f"{panel.quantity} ({unit})")
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=unit in COUNT_UNITS))
    if len(months):
        lo, hi = float(months.min()), float(max(months.max(), months.min() + 1))
        ax.set_xlim(lo, hi)
        _month_ticks(ax, lo, hi)
    else:
        ax.set_xticks([])
    if not drawn:
        _empty(ax, panel.empty_note)
        return
    if panel.reference is not None:
        ax.axhline(
            panel.reference, color="#333333", linewidth=1.0, zorder=1, label=panel.reference_label
        )
    _open_flat(ax)
    _clip_to_bounds(ax, panel.bounds)
    _from_zero(ax)
    if panel.ylim is not None:
        ax.set_ylim(*panel.ylim)
    _format_y(ax)


def _draw_panel(
    ax: Axes, panel: Panel, d: pd.DataFrame, phase_lines: Sequence[tuple[int, str]]
) -> bool:
    """Draw one panel's data and frame; returns whether it has data."""
    if d.empty:
        drawn = False
    elif panel.draw is not None:
        drawn = panel.draw(ax, d)
    else:
        drawn = False
        for colour, s in zip(PALETTE, panel.series, strict=False):
            valid = s.valid(d) if s.valid is not None else None
            colour = s.color or colour
            drawn |= band(
                ax, d, s.column, s.label, colour, s.scale, valid, s.linestyle, s.linewidth
            )
    if panel.calendar:
        _phase_lines(ax, phase_lines)
    _frame(ax, panel, d["month"], drawn)
    if drawn:
        handles, labels = ax.get_legend_handles_labels()
        if panel.legend == "right":
            ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), reverse=panel.draw is not None)
        elif panel.legend == "best" and (len(handles) > 1 or panel.reference_label):
            ax.legend(loc="best")
    return drawn


def _caption(
    n_reps: int, phases: bool, note: str | None, bands: bool = True, plans: bool = False
) -> str:
    parts = []
    if bands:
        what = "Lines: mean across replications" if plans else f"Lines: mean of {n_reps}"
        if plans or n_reps > 1:
            suffix = "" if plans else " replications"
            parts.append(f"{what}{suffix}; shading: 2.5th–97.5th percentile.")
        else:
            parts.append("One replication.")
    elif n_reps > 1:
        parts.append(f"Means of {n_reps} replications.")
    if phases:
        if plans:
            parts.append("Dashed verticals: plan phase changes, in the plan's colour.")
        else:
            parts.append("Dashed verticals: plan phase changes.")
    if note:
        parts.append(note)
    return " ".join(parts)


def _draw_figure(
    fig_spec: Figure, d: pd.DataFrame, out_dir: Path, phase_months: Sequence[int]
) -> Path:
    rows, cols = fig_spec.grid
    fig, axes = _new_figure(fig_spec.figsize, rows, cols)
    try:
        lines = [(m, "#555555") for m in phase_months]
        legend_right = 0.0
        for ax, panel in zip(axes.flat, fig_spec.panels, strict=True):
            drawn = _draw_panel(ax, panel, d, lines)
            if drawn and panel.legend == "right":
                labels = ax.get_legend_handles_labels()[1]
                legend_right = max(legend_right, _legend_width(labels))
        note = fig_spec.note(d) if callable(fig_spec.note) else fig_spec.note
        calendar = any(p.calendar for p in fig_spec.panels)
        n_reps = d["replication"].nunique() if not d.empty else 0
        caption = (
            "" if d.empty else _caption(n_reps, bool(lines) and calendar, note, fig_spec.bands)
        )
        titles = [p.title for p in fig_spec.panels]
        _arrange(fig, axes, titles, fig_spec.title, caption, fig_spec.height_ratios, legend_right)
        return _save(fig, out_dir / f"{fig_spec.name}.png")
    finally:
        plt.close(fig)


def _phase_months(phase_months: Sequence[int] | None, months: pd.Series) -> list[int]:
    """Phase months inside the plotted range, without duplicates."""
    if not phase_months or months.empty:
        return []
    lo, hi = months.min(), months.max()
    return sorted({int(m) for m in phase_months if lo <= m <= hi})


def required_columns() -> set[str]:
    """The timeseries columns the figures read (all of them keys of ``METRICS``)."""
    cols = {"replication", "month", "in_house_positions", "displaced_cumulative", "vendor_staff"}
    cols |= {f"employees_{s.name}" for s in State}
    cols |= {
        s.column
        for f in (*FIGURES, *COMPARE_FIGURES)
        if f.source == "timeseries"
        for p in f.panels
        for s in p.series
    }
    cols |= {source for _unit, source, _how in DERIVED.values()}
    cols |= set(CASH_SOURCES)
    return cols - set(DERIVED) - set(CASH_FLOWS)


def _check_timeseries(timeseries: pd.DataFrame, what: str = "timeseries") -> None:
    missing = sorted(required_columns() - set(timeseries.columns))
    if missing:
        raise ValueError(f"{what} lacks columns: {', '.join(missing)}")
    if timeseries.empty:
        raise ValueError(f"{what} has no rows")


def _displacement_table(displacement: pd.DataFrame | None) -> pd.DataFrame:
    """The displacement table with ``month`` = months since displacement (empty if none)."""
    if displacement is None or displacement.empty:
        empty = pd.DataFrame({c: pd.Series(dtype=float) for c in DISPLACEMENT_COLUMNS})
        return empty.rename(columns={"months_since_displacement": "month"})
    missing = [c for c in DISPLACEMENT_COLUMNS if c not in displacement.columns]
    if missing:
        raise ValueError(f"displacement lacks columns: {', '.join(missing)}")
    out = displacement.rename(columns={"months_since_displacement": "month"})
    return out.sort_values(["replication", "month"]).reset_index(drop=True)


def make_plots(
    timeseries: pd.DataFrame,
    out_dir: Path,
    phase_months: list[int] | None = None,
    *,
    displacement: pd.DataFrame | None = None,
    gross_margin: float = 0.35,
) -> list[Path]:
    """Write one PNG per area of consequence into ``out_dir`` and return their paths.

    ``timeseries`` has one row per (replication, month): columns ``replication``, ``month`` and
    every key of ``METRICS``. ``phase_months`` are the months where the plan changes phase;
    each calendar-month panel marks them with a dashed vertical line. ``displacement`` has one
    row per (replication, months since displacement) with the workers observed, the shares in
    each state and the earnings ratio; ``None`` or empty means nobody was displaced, and the
    people figures then say so. ``gross_margin`` (the scenario's ``company.gross_margin``)
    turns revenue change into cash on ``cash.png``.

    Files written: workforce.png, displaced_earnings.png, local_economy.png, service.png,
    customers.png, privacy.png, vendor_workforce.png, costs.png, cash.png,
    displaced_states.png and earnings_recovery.png.
    """
    _check_timeseries(timeseries)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    d = with_derived(timeseries)
    cash = cash_flows(d, gross_margin)
    d = pd.concat([d, cash.drop(columns=["replication", "month"])], axis=1)
    data = {"timeseries": d, "displacement": _displacement_table(displacement)}
    phases = _phase_months(phase_months, d["month"])
    with plt.rc_context(style()):
        return [_draw_figure(f, data[f.source], out_dir, phases) for f in FIGURES]


# -- comparisons ---------------------------------------------------------------------------
def plan_colours(plans: Sequence[str]) -> dict[str, tuple[str, str]]:
    """Colour and line style of each plan: the palette in order, then dashed, then dotted."""
    styles = ("-", "--", ":")
    return {
        p: (PALETTE[i % len(PALETTE)], styles[(i // len(PALETTE)) % len(styles)])
        for i, p in enumerate(plans)
    }


def _plan_phase_lines(
    phase_months_by_plan: Mapping[str, Sequence[int]] | None,
    colours: Mapping[str, tuple[str, str]],
    months: pd.Series,
) -> list[tuple[int, str]]:
    """(month, colour) of phase changes: the plan's colour, grey where several plans share one."""
    by_month: dict[int, list[str]] = {}
    for plan, phases in (phase_months_by_plan or {}).items():
        for m in _phase_months(phases, months):
            by_month.setdefault(m, []).append(plan)
    return [
        (m, colours[plans[0]][0] if len(plans) == 1 and plans[0] in colours else "#555555")
        for m, plans in sorted(by_month.items())
    ]


class _PlanLegend:
    """A legend of the plans under the figure title, as many columns as fit the width."""

    def __init__(self, plans: Sequence[str], colours: Mapping[str, tuple[str, str]]) -> None:
        self.plans = list(plans)
        self.colours = colours
        size = _rc_size("legend.fontsize")
        self.entry = max(_text_width(p, size) for p in self.plans) + 4.4 * size / 72.0
        self.ncol = 1

    def height(self, width: float) -> float:
        """Inches reserved for the legend in a figure ``width`` inches wide."""
        self.ncol = max(1, min(len(self.plans), int((width - 2 * EDGE) // self.entry)))
        return math.ceil(len(self.plans) / self.ncol) * LEGEND_LINE + 0.08

    def place(self, fig: plt.Figure, top: float) -> None:
        handles = [
            Line2D([], [], color=self.colours[p][0], linestyle=self.colours[p][1], linewidth=2.5)
            for p in self.plans
        ]
        fig.legend(
            handles,
            self.plans,
            loc="upper left",
            bbox_to_anchor=(EDGE / fig.get_size_inches()[0], top),
            ncol=self.ncol,
            borderaxespad=0.0,
            borderpad=0.0,
            handlelength=2.5,
        )


def _draw_compare_figure(
    fig_spec: Figure,
    data: Mapping[str, pd.DataFrame],
    colours: Mapping[str, tuple[str, str]],
    phase_months_by_plan: Mapping[str, Sequence[int]] | None,
    out_dir: Path,
) -> Path:
    rows, cols = fig_spec.grid
    fig, axes = _new_figure(fig_spec.figsize, rows, cols)
    try:
        months = pd.concat([d["month"] for d in data.values()], ignore_index=True)
        lines = _plan_phase_lines(phase_months_by_plan, colours, months)
        for ax, panel in zip(axes.flat, fig_spec.panels, strict=True):
            s = panel.series[0]
            drawn = False
            for plan, d in data.items():
                valid = s.valid(d) if s.valid is not None else None
                colour, linestyle = colours[plan]
                drawn |= band(ax, d, s.column, plan, colour, s.scale, valid, linestyle)
            _phase_lines(ax, lines)
            _frame(ax, panel, months, drawn)
        note = fig_spec.note if isinstance(fig_spec.note, str) else None
        caption = _caption(0, bool(lines), note, plans=True)
        legend = _PlanLegend(list(data), colours)
        titles = [p.title for p in fig_spec.panels]
        top = _arrange(fig, axes, titles, fig_spec.title, caption, header=legend.height)
        legend.place(fig, top)
        return _save(fig, out_dir / f"{fig_spec.name}.png")
    finally:
        plt.close(fig)


def _draw_scorecard(
    scorecards: pd.DataFrame, colours: Mapping[str, tuple[str, str]], out_dir: Path
) -> Path:
    """``compare_scorecard.png``: grouped bars, dimensions × plans, "n/a" where NaN."""
    plans = [str(p) for p in scorecards.columns]
    dims = [str(d) for d in scorecards.index]
    fig, axes = _new_figure((11.0, 5.5), 1, 1)
    try:
        ax = axes[0, 0]
        n = max(len(plans), 1)
        width = 0.8 / n
        x = np.arange(len(dims))
        values_shown = n <= 4
        for i, plan in enumerate(plans):
            pos = x - 0.4 + width * (i + 0.5)
            values = pd.to_numeric(scorecards.iloc[:, i], errors="coerce").to_numpy(dtype=float)
            ok = np.isfinite(values)
            colour = colours[plan][0]
            ax.bar(pos[ok], values[ok], width * 0.92, color=colour, label=plan, zorder=2)
            for p, v in zip(pos[ok], values[ok], strict=True):
                if values_shown:
                    ax.text(p, v + 1.0, f"{v:.0f}", ha="center", va="bottom", fontsize=9)
            for p in pos[~ok]:
                ax.text(
                    p,
                    1.5,
                    "n/a",
                    ha="center",
                    va="bottom",
                    fontsize=9,
                    color="#333333",
                    rotation=0 if n <= 3 else 90,
                )
        ax.set_xticks(x, [SCORECARD_DIMENSIONS.get(d, d.replace("_", " ")) for d in dims])
        ax.tick_params(axis="x", length=0)
        ax.set_xlim(-0.55, len(dims) - 0.45)
        ax.set_ylim(0, 105)
        ax.yaxis.set_major_locator(MultipleLocator(20))
        ax.set_ylabel("Score (0–100, higher is better)")
        caption = (
            "Mean score across replications, from simulated outcomes. "
            "n/a: the dimension does not apply to the plan (e.g. no vendor staff)."
        )
        legend = _PlanLegend(plans, colours)
        title = "Score per dimension and plan"
        top = _arrange(
            fig, axes, [title], "Ethics scorecard by plan", caption, header=legend.height
        )
        legend.place(fig, top)
        return _save(fig, out_dir / "compare_scorecard.png")
    finally:
        plt.close(fig)


def make_comparison_plots(
    timeseries_by_plan: dict[str, pd.DataFrame],
    scorecards: pd.DataFrame,
    out_dir: Path,
    phase_months_by_plan: dict[str, list[int]] | None = None,
) -> list[Path]:
    """Write overlay plots of several plans and their scorecards into ``out_dir``.

    ``timeseries_by_plan`` maps each plan's name (as shown in legends) to its timeseries
    table (as for ``make_plots``); one colour per plan, in order, each line with its 95%
    band. ``scorecards`` has one row per ethical dimension (transparency, privacy,
    fair_treatment, communication, local_jobs) and one column per plan, scores 0-100, NaN
    where a dimension does not apply. ``phase_months_by_plan`` adds each plan's phase
    changes as dashed verticals in its colour.

    Files written: compare_costs.png, compare_workforce.png, compare_customers.png,
    compare_service.png, compare_privacy.png, compare_vendor.png and compare_scorecard.png.
    """
    if not timeseries_by_plan:
        raise ValueError("timeseries_by_plan is empty: nothing to compare")
    for plan, ts in timeseries_by_plan.items():
        _check_timeseries(ts, f"timeseries of plan {plan!r}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    data = {str(p): with_derived(ts) for p, ts in timeseries_by_plan.items()}
    names = list(data) + [str(p) for p in scorecards.columns if str(p) not in data]
    colours = plan_colours(names)
    with plt.rc_context(style()):
        paths = [
            _draw_compare_figure(f, data, colours, phase_months_by_plan, out_dir)
            for f in COMPARE_FIGURES
        ]
        paths.append(_draw_scorecard(scorecards, colours, out_dir))
    return paths


__all__ = [
    "CASH_FLOWS",
    "COMPARE_FIGURES",
    "FIGURES",
    "PALETTE",
    "STATE_COLOURS",
    "band",
    "cash_flows",
    "make_comparison_plots",
    "make_plots",
    "plan_colours",
    "required_columns",
    "style",
    "summarise",
    "unit_of",
    "with_derived",
]
