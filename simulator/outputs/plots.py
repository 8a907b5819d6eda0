"""Figures of a scenario's monthly timeseries, one PNG per area of consequence.

``make_plots`` draws every figure from a timeseries table (one row per replication and month,
one column per key of ``METRICS``). Each line is the mean across replications; the shaded band
around it spans the 2.5th to 97.5th percentile across replications at each month. Dashed
vertical lines mark the months where the plan changes phase.

Figures are declared as data (``Figure`` made of ``Panel`` made of ``Series``) and drawn by one
routine, so every panel gets the same treatment. This module only reads results; it never runs
a model.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # files only, never a display

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from cycler import cycler  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.ticker import EngFormatter, MaxNLocator  # noqa: E402

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

# Columns computed here from one METRICS column each: name -> (unit, source, how). ``how``
# receives the timeseries sorted by replication and month.
DERIVED: dict[str, tuple[str, str, Callable[[pd.DataFrame], pd.Series]]] = {
    "local_unemployment_pct": (
        "%",
        "local_unemployment_rate",
        lambda d: 100 * d["local_unemployment_rate"],
    ),
    # share of the customers at the start of a year lost within it, at this month's rate
    "churn_rate_annual": (
        "%/year",
        "churn_rate_monthly",
        lambda d: 100 * (1 - (1 - d["churn_rate_monthly"]) ** 12),
    ),
    # chance of at least one material breach within a year, at this month's rate
    "breach_probability_annual": (
        "%/year",
        "breach_probability_monthly",
        lambda d: 100 * (1 - (1 - d["breach_probability_monthly"]) ** 12),
    ),
    # HR convention: quits in a year over headcount, i.e. twelve times the monthly rate
    "vendor_attrition_annual": (
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


def summarise(
    timeseries: pd.DataFrame, column: str, scale: float = 1.0, valid: pd.Series | None = None
) -> pd.DataFrame:
    """Mean and 2.5th/97.5th percentiles of ``column`` across replications at each month.

    Rows where ``valid`` is False (and non-finite values) are left out; a month with no values
    left has NaN statistics, which plot as a gap.
    """
    values = timeseries[column].astype(float) * scale
    values = values.where(np.isfinite(values))
    if valid is not None:
        values = values.where(valid.astype(bool))
    grouped = values.groupby(timeseries["month"])
    return pd.DataFrame(
        {
            "mean": grouped.mean(),
            "lo": grouped.quantile(0.025),
            "hi": grouped.quantile(0.975),
            "n": grouped.count(),
        }
    )


def band(
    ax: Axes,
    timeseries: pd.DataFrame,
    column: str,
    label: str,
    color: str,
    scale: float = 1.0,
    valid: pd.Series | None = None,
    linestyle: str = "-",
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


@dataclass(frozen=True)
class Figure:
    """A PNG: a file name, a title stating its subject and a grid of panels."""

    name: str
    title: str
    panels: tuple[Panel, ...]
    grid: tuple[int, int] = (2, 2)
    height_ratios: tuple[float, ...] | None = None
    figsize: tuple[float, float] = FIGSIZE
    note: str | None = None  # added to the caption under the figure


def _has_vendor_staff(d: pd.DataFrame) -> pd.Series:
    return d["vendor_staff"] > 0


def _has_displaced(d: pd.DataFrame) -> pd.Series:
    return d["displaced_cumulative"] > 0


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


def _figures() -> tuple[Figure, ...]:
    pct = 100.0
    vendor = _has_vendor_staff
    no_vendor = "No vendor staff in this scenario"
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
                    "Contacts answered in 20 s",
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
                    (Series("churn_rate_annual", "Churn (annual rate)"),),
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
                    (Series("breach_probability_annual", "Within a year, at this month's risk"),),
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
                    (Series("vendor_attrition_annual", "Attrition", valid=vendor),),
                    empty_note=no_vendor,
                ),
                Panel(
                    "Vendor agents paid at least the local industry standard",
                    "Agents paid fairly",
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
    )


FIGURES: tuple[Figure, ...] = _figures()


# -- drawing -------------------------------------------------------------------------------
def _format_y(ax: Axes) -> None:
    """Large numbers as 12k, 1.5M; small ones as they are."""
    if max(abs(v) for v in ax.get_ylim()) >= 1e4:
        ax.yaxis.set_major_formatter(EngFormatter(sep=""))


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


def _draw_panel(ax: Axes, panel: Panel, d: pd.DataFrame, phase_months: Sequence[int]) -> None:
    if panel.draw is not None:
        drawn = panel.draw(ax, d)
    else:
        drawn = False
        for colour, s in zip(PALETTE, panel.series, strict=False):
            valid = s.valid(d) if s.valid is not None else None
            drawn |= band(ax, d, s.column, s.label, colour, s.scale, valid, s.linestyle)
    ax.set_title(panel.title, loc="left")
    ax.set_xlabel("Month")
    unit = panel_unit(panel)
    ax.set_ylabel(f"{panel.quantity} ({unit})")
    months = d["month"]
    ax.set_xlim(float(months.min()), float(max(months.max(), months.min() + 1)))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    for m in phase_months:
        ax.axvline(m, color="#555555", linestyle="--", linewidth=1.0, zorder=1)
    if not drawn:
        ax.text(
            0.5,
            0.5,
            panel.empty_note,
            transform=ax.transAxes,
            ha="center",
            va="center",
            color="#555555",
        )
        ax.set_yticks([])
        return
    if panel.reference is not None:
        ax.axhline(
            panel.reference, color="#333333", linewidth=1.0, zorder=1, label=panel.reference_label
        )
    _open_flat(ax)
    _clip_to_bounds(ax, panel.bounds)
    if panel.ylim is not None:
        ax.set_ylim(*panel.ylim)
    _format_y(ax)
    handles, _labels = ax.get_legend_handles_labels()
    if panel.draw is not None:
        ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), reverse=True)
    elif len(handles) > 1 or panel.reference_label:
        ax.legend(loc="best")


def _caption(n_reps: int, phase_months: Sequence[int], note: str | None) -> str:
    parts = []
    if n_reps > 1:
        parts.append(f"Lines: mean of {n_reps} replications; shading: 2.5th–97.5th percentile.")
    else:
        parts.append("One replication.")
    if phase_months:
        parts.append("Dashed verticals: plan phase changes.")
    if note:
        parts.append(note)
    return " ".join(parts)


def _draw_figure(
    fig_spec: Figure, d: pd.DataFrame, out_dir: Path, phase_months: Sequence[int]
) -> Path:
    rows, cols = fig_spec.grid
    fig, axes = plt.subplots(
        rows,
        cols,
        figsize=fig_spec.figsize,
        squeeze=False,
        sharex=True,
        gridspec_kw={"height_ratios": fig_spec.height_ratios} if fig_spec.height_ratios else None,
        layout="constrained",
    )
    try:
        for ax, panel in zip(axes.flat, fig_spec.panels, strict=True):
            _draw_panel(ax, panel, d, phase_months)
            if rows > 1:
                ax.xaxis.set_tick_params(labelbottom=True)
        fig.suptitle(fig_spec.title)
        caption = _caption(d["replication"].nunique(), phase_months, fig_spec.note)
        fig.text(0.0, -0.01, caption, ha="left", va="top", fontsize=9.5, color="#444444")
        path = out_dir / f"{fig_spec.name}.png"
        fig.savefig(path)  # constrained layout already fits the labels
    finally:
        plt.close(fig)
    return path


def _phase_lines(phase_months: Sequence[int] | None, months: pd.Series) -> list[int]:
    """Phase months inside the plotted range, without duplicates."""
    if not phase_months:
        return []
    lo, hi = months.min(), months.max()
    return sorted({int(m) for m in phase_months if lo <= m <= hi})


def required_columns() -> set[str]:
    """The timeseries columns the figures read (all of them keys of ``METRICS``)."""
    cols = {"replication", "month", "in_house_positions", "displaced_cumulative", "vendor_staff"}
    cols |= {f"employees_{s.name}" for s in State}
    cols |= {s.column for f in FIGURES for p in f.panels for s in p.series}
    cols |= {source for _unit, source, _how in DERIVED.values()}
    return cols - set(DERIVED)


def make_plots(
    timeseries: pd.DataFrame, out_dir: Path, phase_months: list[int] | None = None
) -> list[Path]:
    """Write one PNG per area of consequence into ``out_dir`` and return their paths.

    ``timeseries`` has one row per (replication, month): columns ``replication``, ``month`` and
    every key of ``METRICS``. ``phase_months`` are the months where the plan changes phase;
    each panel marks them with a dashed vertical line. Files written: workforce.png,
    displaced_earnings.png, local_economy.png, service.png, customers.png, privacy.png,
    vendor_workforce.png and costs.png.
    """
    missing = sorted(required_columns() - set(timeseries.columns))
    if missing:
        raise ValueError(f"timeseries lacks columns: {', '.join(missing)}")
    if timeseries.empty:
        raise ValueError("timeseries has no rows")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    d = with_derived(timeseries)
    phases = _phase_lines(phase_months, d["month"])
    with plt.rc_context(style()):
        return [_draw_figure(f, d, out_dir, phases) for f in FIGURES]


__all__ = [
    "FIGURES",
    "band",
    "make_plots",
    "required_columns",
    "style",
    "summarise",
    "unit_of",
    "with_derived",
]
