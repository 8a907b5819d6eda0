"""Figures of a scenario's results, one PNG per area of consequence, and of plans side by side.

``make_plots`` draws every figure of one scenario from its timeseries table (one row per
replication and month, one column per key of ``METRICS``) and, optionally, its displacement
table (one row per replication and month since displacement). ``make_comparison_plots``
overlays several plans, one colour each, and draws their ethics scorecards as grouped bars.

Each line is the mean across replications; the shaded band around it spans the 2.5th to
97.5th percentile across replications at each month. Dashed vertical lines mark the months
where the plan changes phase (on calendar-month axes only).

Figures are declared as data in ``specs.py`` (``Figure`` made of ``Panel`` made of ``Series``)
and drawn here by one routine, so every panel gets the same treatment; the data they show
comes from ``data.py``, their look from ``style.py``, and their layout from ``layout.py``
(matplotlib's constrained layout). This module only reads results; it never runs a model.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import cast

import matplotlib

matplotlib.use("Agg")  # files only, never a display

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.ticker import EngFormatter, MaxNLocator, MultipleLocator  # noqa: E402
from matplotlib.typing import LineStyleType  # noqa: E402

from simulator.model.employees import State  # noqa: E402
from simulator.outputs.figures.data import (  # noqa: E402
    CASH_FLOWS,
    CASH_SOURCES,
    COUNT_UNITS,
    DERIVED,
    DISPLACEMENT_COLUMNS,
    band,
    cash_flows,
    with_derived,
)
from simulator.outputs.figures.layout import (  # noqa: E402
    figure_legend,
    lay_out,
    new_figure,
    save,
)
from simulator.outputs.figures.specs import (  # noqa: E402
    COMPARE_FIGURES,
    FIGURES,
    SCORECARD_DIMENSIONS,
    Figure,
    Panel,
    panel_unit,
)
from simulator.outputs.figures.style import (  # noqa: E402
    PALETTE,
    style,
)


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
    fig, axes = new_figure(fig_spec.figsize, rows, cols, fig_spec.height_ratios)
    try:
        lines = [(m, "#555555") for m in phase_months]
        for ax, panel in zip(axes.flat, fig_spec.panels, strict=True):
            _draw_panel(ax, panel, d, lines)
        note = fig_spec.note(d) if callable(fig_spec.note) else fig_spec.note
        calendar = any(p.calendar for p in fig_spec.panels)
        n_reps = d["replication"].nunique() if not d.empty else 0
        caption = (
            "" if d.empty else _caption(n_reps, bool(lines) and calendar, note, fig_spec.bands)
        )
        titles = [p.title for p in fig_spec.panels]
        lay_out(fig, axes, titles, fig_spec.title, caption)
        return save(fig, out_dir / f"{fig_spec.name}.png")
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
) -> list[Path]:
    """Write one PNG per area of consequence into ``out_dir`` and return their paths.

    ``timeseries`` has one row per (replication, month): columns ``replication``, ``month`` and
    every key of ``METRICS``. ``phase_months`` are the months where the plan changes phase;
    each calendar-month panel marks them with a dashed vertical line. ``displacement`` has one
    row per (replication, months since displacement) with the workers observed, the shares in
    each state and the earnings ratio; ``None`` or empty means nobody was displaced, and the
    people figures then say so.

    Files written: workforce.png, displaced_earnings.png, local_economy.png, service.png,
    customers.png, privacy.png, vendor_workforce.png, costs.png, cash.png,
    displaced_states.png and earnings_recovery.png.
    """
    _check_timeseries(timeseries)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    d = with_derived(timeseries)
    cash = cash_flows(d)
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


def _plan_legend(
    fig: plt.Figure, plans: Sequence[str], colours: Mapping[str, tuple[str, str]]
) -> None:
    """A legend of the plans under the figure title, as many columns as fit the width."""
    handles = [
        Line2D([], [], color=colours[p][0], linestyle=cast(LineStyleType, colours[p][1]), lw=2.5)
        for p in plans
    ]
    figure_legend(fig, handles, list(plans), borderpad=0.0, handlelength=2.5)


def _draw_compare_figure(
    fig_spec: Figure,
    data: Mapping[str, pd.DataFrame],
    colours: Mapping[str, tuple[str, str]],
    phase_months_by_plan: Mapping[str, Sequence[int]] | None,
    out_dir: Path,
) -> Path:
    rows, cols = fig_spec.grid
    fig, axes = new_figure(fig_spec.figsize, rows, cols)
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
        _plan_legend(fig, list(data), colours)
        titles = [p.title for p in fig_spec.panels]
        lay_out(fig, axes, titles, fig_spec.title, caption)
        return save(fig, out_dir / f"{fig_spec.name}.png")
    finally:
        plt.close(fig)


def _draw_scorecard(
    scorecards: pd.DataFrame, colours: Mapping[str, tuple[str, str]], out_dir: Path
) -> Path:
    """``compare_scorecard.png``: grouped bars, dimensions × plans, "n/a" where NaN."""
    plans = [str(p) for p in scorecards.columns]
    dims = [str(d) for d in scorecards.index]
    fig, axes = new_figure((11.0, 5.5), 1, 1)
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
        _plan_legend(fig, plans, colours)
        title = "Score per dimension and plan"
        lay_out(fig, axes, [title], "Ethics scorecard by plan", caption)
        return save(fig, out_dir / "compare_scorecard.png")
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


__all__ = ["make_comparison_plots", "make_plots", "plan_colours", "required_columns"]
