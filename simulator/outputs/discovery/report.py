"""The folder ``outsim discover`` writes: boxes.csv, cart.csv, discovery.json, two charts.

- ``trajectory.png``: PRIM's peeling trajectory, coverage against density, each box
  coloured by how many inputs it restricts; the chosen box is ringed.
- ``box.png``: the chosen box, one bar per restricted input, drawn on that input's sampled
  range (0 = its lowest sampled value, 1 = its highest); categorical inputs list the values
  kept. The quasi-p-value of each restriction is printed beside it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.colors import BoundaryNorm  # noqa: E402

from simulator.analysis.discovery import Step  # noqa: E402
from simulator.outputs.folders import output_folder  # noqa: E402
from simulator.outputs.records import write_json  # noqa: E402
from simulator.outputs.workbooks import write_csv  # noqa: E402


def write_discovery(
    target: Path,
    boxes: pd.DataFrame,
    leaves: pd.DataFrame,
    summary: dict[str, Any],
    trajectory: list[Step],
    chosen: Step,
    inputs: pd.DataFrame,
) -> Path:
    """Write the discovery folder atomically (an existing ``target`` is replaced only if
    outsim wrote it) and return its path."""
    with output_folder(target, "discovery", {"outcome": summary["outcome"]}) as tmp:
        write_csv(boxes, tmp / "boxes.csv")
        write_csv(leaves, tmp / "cart.csv")
        write_json(tmp / "discovery.json", summary)
        (tmp / "discovery.txt").write_text(summary["sentence"] + "\n", encoding="utf-8")
        plot_trajectory(trajectory, chosen, summary["outcome"], tmp / "trajectory.png")
        plot_box(chosen, summary["quasi_p"], inputs, summary["outcome"], tmp / "box.png")
    return target


def plot_trajectory(trajectory: list[Step], chosen: Step, outcome: str, path: Path) -> None:
    fig, ax = plt.subplots(figsize=(6.4, 4.8), layout="constrained")
    restricted = [s.restricted for s in trajectory]
    top = max(restricted) + 1
    colours = plt.get_cmap("viridis", top)
    norm = BoundaryNorm([k - 0.5 for k in range(top + 1)], top)
    points = ax.scatter(
        [s.coverage for s in trajectory],
        [s.density for s in trajectory],
        c=restricted,
        cmap=colours,
        norm=norm,
        s=18,
    )
    ax.scatter(
        [chosen.coverage],
        [chosen.density],
        s=140,
        facecolors="none",
        edgecolors="crimson",
        linewidths=1.8,
        label="chosen box",
    )
    fig.colorbar(points, ax=ax, label="inputs restricted", ticks=range(top))
    ax.set(
        xlim=(0, 1.02),
        ylim=(0, 1.02),
        xlabel="coverage (share of all cases in the box)",
        ylabel="density (share of the box's cases)",
    )
    ax.set_title(f"Peeling trajectory: {outcome}", loc="left", fontsize=10, wrap=True)
    ax.legend(loc="lower left", frameon=False)
    ax.grid(alpha=0.3)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_box(
    chosen: Step, quasi_p: dict[str, float], inputs: pd.DataFrame, outcome: str, path: Path
) -> None:
    names = list(chosen.box.limits)
    fig, ax = plt.subplots(figsize=(7.2, 1.3 + 0.55 * max(len(names), 1)), layout="constrained")
    for i, name in enumerate(names):
        limit = chosen.box.limits[name]
        if isinstance(limit, frozenset):
            ax.barh(i, 1.0, left=0.0, color="#d9d9d9")
            label = ", ".join(sorted(map(str, limit)))
            ax.text(0.5, i, label, ha="center", va="center", fontsize=8)
        else:
            lo, hi = float(inputs[name].min()), float(inputs[name].max())
            scale = (hi - lo) or 1.0
            left, right = (limit[0] - lo) / scale, (limit[1] - lo) / scale
            ax.barh(i, 1.0, left=0.0, color="#eeeeee")
            ax.barh(i, right - left, left=left, color="#4c72b0")
            ax.text(left, i + 0.32, f"{limit[0]:.3g}", ha="left", fontsize=7)
            ax.text(right, i + 0.32, f"{limit[1]:.3g}", ha="right", fontsize=7)
        ax.text(1.02, i, f"p ≈ {quasi_p.get(name, float('nan')):.2g}", va="center", fontsize=8)
    ax.set_yticks(range(len(names)), names, fontsize=8)
    ax.set_xlim(0, 1.15)
    ax.set_xlabel("share of each input's sampled range")
    ax.set_title(
        f"{outcome}\nchosen box: density {chosen.density:.0%}, coverage {chosen.coverage:.0%}",
        loc="left",
        fontsize=10,
    )
    ax.invert_yaxis()
    fig.savefig(path, dpi=110)
    plt.close(fig)
