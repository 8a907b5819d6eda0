"""``plots/tornado.png``: what could change the answer — for each headline KPI, the plan's
effect with each uncertainty at the low and at the high end of its plausible range (one at a
time, everything else at its value, same draws), the uncertainties sorted by how far they
move it (``analysis/swing.py``)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from simulator.outputs.figures.style import BLUE, VERMILLION, style  # noqa: E402
from simulator.outputs.formatting import millions_label  # noqa: E402

# KPI -> (panel title, factor to the unit shown, unit shown)
PANELS = {
    "npv_net_savings": ("NPV against the status quo", 1e-6, "USD millions"),
    "reemployed_share_24m": ("Displaced re-employed at 24 months", 100.0, "% of displaced"),
    "csat_mean": ("Customer satisfaction, change", 1.0, "points (0-100)"),
    "breach_probability_annual": ("Chance of a data breach a year, change", 100.0, "points"),
}
SHOWN = 8  # uncertainties per panel


def short(value: float) -> str:
    """A range end as a label shows it: ``0.68``, ``1.5``, ``500k``, ``2M``."""
    size = abs(value)
    if size >= 1e6:
        return f"{value / 1e6:.3g}M"
    if size >= 1e4:
        return f"{value / 1e3:.3g}k"
    return f"{value:.3g}"


def label(row: pd.Series) -> str:
    """``trust churn elasticity 1.5–5`` (vendor fields: ``vendor wage ratio ×0.85–1.15``,
    a factor on every vendor's value)."""
    name = str(row["uncertainty"]).split(".")[-1].replace("_", " ")
    if str(row["uncertainty"]).startswith("vendors.*."):
        return f"vendor {name} ×{short(row['low'])}–{short(row['high'])}"
    return f"{name} {short(row['low'])}–{short(row['high'])}"


def plot_tornado(table: pd.DataFrame, path: Path, replications: int) -> Path:
    """Draw the tornado of a swing table (``Swing.table()``) into ``path``."""
    with plt.rc_context(style()):
        fig, axes = plt.subplots(2, 2, figsize=(13, 8.5), layout="constrained")
        for ax, (kpi, (title, factor, unit)) in zip(axes.flat, PANELS.items(), strict=True):
            rows = table[(table["kpi"] == kpi) & (table["swing"].abs() > 0)]
            rows = rows.head(SHOWN).iloc[::-1]
            if rows.empty or rows["effect_default"].isna().all():
                ax.set_axis_off()
                ax.set_title(f"{title}: no uncertainty moves it", loc="left", fontsize=10)
                continue
            centre = float(rows["effect_default"].iloc[0]) * factor
            for y, (_, row) in enumerate(rows.iterrows()):
                for end, colour in (("effect_low", BLUE), ("effect_high", VERMILLION)):
                    value = float(row[end]) * factor
                    ax.barh(y, value - centre, left=centre, color=colour, height=0.6)
            ax.axvline(centre, color="#555555", linewidth=0.8)
            ax.set_axisbelow(True)
            ax.set_yticks(range(len(rows)), [label(r) for _, r in rows.iterrows()], fontsize=8)
            shown = millions_label() if unit == "USD millions" else unit
            ax.set_xlabel(f"{shown} (line: at the values assumed)", fontsize=9)
            ax.set_title(title, loc="left", fontsize=10)
        fig.legend(
            handles=[
                plt.Rectangle((0, 0), 1, 1, color=BLUE),
                plt.Rectangle((0, 0), 1, 1, color=VERMILLION),
            ],
            labels=["low end of the range", "high end of the range"],
            loc="outside lower center",
            ncols=2,
            fontsize=9,
        )
        fig.suptitle(
            "What could change the answer: each uncertainty over its plausible range, one at "
            f"a time ({replications} paired replication{'s' if replications != 1 else ''} "
            "per end)",
            x=0.01,
            ha="left",
            fontsize=11,
        )
        fig.savefig(path)
        plt.close(fig)
    return path
