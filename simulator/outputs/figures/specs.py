"""What each figure shows, declared as data: a ``Figure`` is a file name, a title and a grid of
``Panel``s, each made of ``Series`` (or, for the few special panels, a drawing function).
``FIGURES`` are one scenario's figures, ``COMPARE_FIGURES`` the overlays of several plans.
Drawing them is ``plots.py``'s job, laying them out ``layout.py``'s."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
from matplotlib.axes import Axes

from simulator.outputs.figures.data import (
    CASH_FLOWS,
    NOBODY_DISPLACED,
    PERCENT_UNITS,
    unit_of,
)
from simulator.outputs.figures.panels import (
    displacement_note,
    draw_displaced_states,
    draw_workforce_states,
    earnings_milestones,
)
from simulator.outputs.figures.style import (
    BLACK,
    FIGSIZE,
)
from simulator.outputs.formatting import millions_label

MONEY_MILLIONS = "USD millions"  # money in millions: written in the scenario's currency


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


def panel_unit(panel: Panel) -> str:
    """Unit of a panel's y axis: its own, or its first series' (shares scaled by 100 → %)."""
    if panel.unit == MONEY_MILLIONS:
        return millions_label()  # the scenario's currency
    if panel.unit is not None:
        return panel.unit
    first = panel.series[0]
    unit = unit_of(first.column)
    base, sep, per = unit.partition("/")
    if first.scale == 100 and base in PERCENT_UNITS:
        return f"%{sep}{per}"
    return unit


# What each figure of a run shows (one file each), as data.
_PCT = 100.0
_NO_VENDOR = "No vendor staff in this scenario"
_SINCE = "Months since displacement"

FIGURES: tuple[Figure, ...] = (
    Figure(
        "workforce",
        "What happens to the initial in-house workforce",
        (
            Panel(
                "Initial in-house workers by state (stacked means)",
                "Workers",
                unit="persons",
                draw=draw_workforce_states,
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
                        _PCT,
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
                    Series("fcr", "All channels", _PCT),
                    Series("fcr_in_house", "In-house", _PCT, linestyle="--"),
                    Series("fcr_vendor", "Vendors", _PCT, linestyle="-."),
                ),
                bounds=(0, 100),
            ),
            Panel(
                "Service level (answered within 20 s)",
                "Answered in 20 s",
                (
                    Series("service_level", "All channels", _PCT),
                    Series("service_level_in_house", "In-house", _PCT, linestyle="--"),
                    Series("service_level_vendor", "Vendors", _PCT, linestyle="-."),
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
                (Series("informed_share", "Informed", _PCT),),
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
                        "vendor_turnover_pct_a_year_at_month_rate",
                        "Attrition",
                        valid=_has_vendor_staff,
                    ),
                ),
                empty_note=_NO_VENDOR,
            ),
            Panel(
                "Vendor agents paid at least the local industry standard",
                "Paid fairly",
                (Series("vendor_share_paid_fair", "Paid fairly", _PCT, _has_vendor_staff),),
                bounds=(0, 100),
                empty_note=_NO_VENDOR,
            ),
            Panel(
                "Vendor agents' wellbeing and product proficiency",
                "Index",
                (
                    Series("vendor_wellbeing", "Wellbeing", valid=_has_vendor_staff),
                    Series("vendor_proficiency", "Product proficiency", valid=_has_vendor_staff),
                ),
                bounds=(0, 1),
                empty_note=_NO_VENDOR,
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
                    Series("cost_counterfactual", "Status quo (simulated)", linestyle="--"),
                ),
            ),
            Panel(
                "Cost of ethical policies and displacement support",
                "Mitigation cost",
                (Series("cost_mitigation", "Mitigation cost"),),
            ),
            Panel(
                "Cumulative net savings vs the status quo",
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
                "Where the saving comes from, against the status quo on the same draws",
                "Cumulative cash",
                tuple(
                    Series(column, label, color=colour)
                    for column, (label, colour) in CASH_FLOWS.items()
                    if column != "cash_net"
                ),
                unit=MONEY_MILLIONS,
                reference=0.0,
                legend="right",
            ),
            Panel(
                "Cumulative net savings: the sum of the parts above",
                "Net savings",
                (Series("cash_net", CASH_FLOWS["cash_net"][0], color=BLACK),),
                unit=MONEY_MILLIONS,
                reference=0.0,
                legend="none",
            ),
        ),
        grid=(2, 1),
        height_ratios=(3, 2),
        note="Each part is the status quo's cost minus the plan's (the status quo simulated on "
        "the same draws). Service level: the vendor staff needed to answer as fast as the "
        "status quo, less the staff they have, at their price; labour price: the rest of the "
        "operating saving. Breaches at their expected cost; margin: gross margin on revenue "
        "against the status quo's.",
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
                draw=draw_displaced_states,
                empty_note=NOBODY_DISPLACED,
                xlabel=_SINCE,
                calendar=False,
                legend="right",
            ),
        ),
        grid=(1, 1),
        figsize=(11.0, 5.5),
        note=displacement_note,
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
                draw=earnings_milestones,
                empty_note=NOBODY_DISPLACED,
                xlabel=_SINCE,
                calendar=False,
                legend="best",
            ),
        ),
        grid=(1, 1),
        figsize=(11.0, 5.0),
        note=displacement_note,
        source="displacement",
    ),
)

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
                unit=MONEY_MILLIONS,
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
