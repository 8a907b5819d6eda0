"""The few panels drawn by a function rather than as lines with bands: the stacked states of
the workforce and of the displaced, and the milestones marked on the people figures.
``specs.py`` names them in its ``Panel(draw=...)`` declarations."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from simulator.model.employees import State
from simulator.outputs.figures.data import (
    DISPLACED_STATES,
    MILESTONES,
    band,
    summarise,
)
from simulator.outputs.figures.style import BLACK, BLUE, GREY, STATE_COLOURS


def observed(d: pd.DataFrame) -> pd.Series:
    """Rows of the displacement table with at least one worker observed."""
    return d["workers_observed"] > 0


def draw_workforce_states(ax: Axes, d: pd.DataFrame) -> bool:
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


def milestone(ax: Axes, month: float, y: float, text: str, below: bool = False) -> None:
    """A labelled marker at a milestone month (dotted vertical, dot, value above or below).
    Near the right edge the label goes to the left of the marker, and a label asked below a
    point at the bottom of the axes goes above it, so it never runs into the tick labels
    (the limits read here are the data's so far: callers decide ``below`` where theirs are
    set later)."""
    ax.axvline(month, color="#333333", linestyle=":", linewidth=1.0, zorder=2)
    ax.plot([month], [y], marker="o", markersize=7, color=BLACK, mec="white", mew=1.2, zorder=4)
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    leftwards = month > x0 + 0.7 * (x1 - x0)
    below = below and y > y0 + 0.15 * (y1 - y0)
    dx = -7 if leftwards else 7
    ax.annotate(
        text,
        (month, y),
        xytext=(dx, -8) if below else (dx, 6),
        textcoords="offset points",
        ha="right" if leftwards else "left",
        va="top" if below else "baseline",
        fontsize=10,
        fontweight="bold",
        bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.85},
        zorder=5,
    )


def draw_displaced_states(ax: Axes, d: pd.DataFrame) -> bool:
    """Stacked area of the mean shares of displaced workers in each state."""
    d = d[observed(d)]
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
        # above the point, unless that runs into the title (a share near 100%)
        milestone(ax, m, share, f"{share:.0f}% at {m} months", below=share > 85.0)
    if shown:  # a legend entry for the markers
        ax.plot([], [], "o", color=BLACK, mec="white", label="Share re-employed at a milestone")
    return True


def earnings_milestones(ax: Axes, d: pd.DataFrame) -> bool:
    """Mean earnings ratio (%) with its band, labelled at the milestone months."""
    valid = observed(d)
    if not band(ax, d, "earnings_ratio", "Mean earnings ratio", BLUE, 100.0, valid):
        return False
    means = summarise(d, "earnings_ratio", 100.0, valid)["mean"]
    for m in MILESTONES:
        if m in means.index and np.isfinite(means.loc[m]):
            value = float(means.loc[m])
            # below the curve, unless that is under the axis (a ratio near zero)
            milestone(ax, m, value, f"{value:.0f}% at {m} months", below=value > 15.0)
    return True


def displacement_note(d: pd.DataFrame) -> str | None:
    d = d[observed(d)]
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
