"""``plots/saving.png``: where a plan's saving comes from — a waterfall of the parts of its
NPV against the status quo simulated on the same draws (``npv_saving_*``), each bar
starting where the last ended, and the net saving they add up to."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from simulator.model.status_quo import SAVING_PARTS  # noqa: E402
from simulator.outputs.figures.style import BLACK, BLUE, VERMILLION, style  # noqa: E402
from simulator.outputs.formatting import millions_label  # noqa: E402

LABELS = {
    "labour_price": "Labour price\n(same service)",
    "service_level": "Service level",
    "transition": "Transition",
    "safeguards": "Safeguards",
    "revenue_margin": "Revenue margin",
    "breach_risk": "Breach risk",
}


def waterfall_bars(parts: Mapping[str, float]) -> pd.DataFrame:
    """One row per bar: label, bottom, height [USD millions]; the parts in SAVING_PARTS
    order, then the net saving (from zero)."""
    rows, level = [], 0.0
    for part in SAVING_PARTS:
        value = float(parts[part]) / 1e6
        rows.append({"label": LABELS[part], "bottom": level, "height": value, "net": False})
        level += value
    rows.append({"label": "Net saving", "bottom": 0.0, "height": level, "net": True})
    return pd.DataFrame(rows)


def plot_saving_waterfall(parts: Mapping[str, float], path: Path, replications: int) -> Path:
    """Draw the waterfall of the mean NPV parts over ``replications`` into ``path``."""
    bars = waterfall_bars(parts)
    colours = [
        BLACK if row.net else (BLUE if row.height >= 0 else VERMILLION) for row in bars.itertuples()
    ]
    with plt.rc_context(style()):
        fig, ax = plt.subplots(figsize=(9, 4.2), layout="constrained")
        ax.bar(bars["label"], bars["height"], bottom=bars["bottom"], color=colours, width=0.6)
        for i, row in enumerate(bars.itertuples()):
            top = row.bottom + max(row.height, 0.0)
            ax.annotate(
                f"{row.height:+.2f}",
                (i, top),
                xytext=(0, 3),
                textcoords="offset points",
                ha="center",
                fontsize=9,
            )
        ax.axhline(0.0, color="#555555", linewidth=0.8)
        tops = bars["bottom"] + bars["height"].clip(lower=0)
        lows = bars["bottom"] + bars["height"].clip(upper=0)
        high, low = max(float(tops.max()), 0.0), min(float(lows.min()), 0.0)
        span = (high - low) or 1.0
        ax.set_ylim(low - 0.08 * span, high + 0.15 * span)  # room for the labels
        ax.set_ylabel(f"NPV against the status quo ({millions_label()})")
        ax.set_title(
            f"Where the saving comes from (mean of {replications} replications)", loc="left"
        )
        ax.tick_params(axis="x", labelsize=8)
        fig.savefig(path)
        plt.close(fig)
    return path
