"""``plots/demand.png``: the company's contact history, the forecast the model staffed to,
and the contacts simulated (mean and 95% band over replications), month by month."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from simulator.model.demand import forecast  # noqa: E402
from simulator.outputs.figures.style import PALETTE, style  # noqa: E402


def plot_demand(history: list[float], timeseries: pd.DataFrame, path: Path) -> Path:
    """History (months before 0), forecast and simulated issues (months from 0)."""
    months = int(timeseries["month"].max()) + 1
    ahead = forecast(tuple(history), months)
    issues = timeseries.pivot_table(index="month", columns="replication", values="issues")
    low, high = np.percentile(issues.to_numpy(), [2.5, 97.5], axis=1)
    with plt.rc_context(style()):
        fig, ax = plt.subplots(figsize=(8, 3.8), layout="constrained")
        past = np.arange(-len(history), 0)
        ax.plot(past, history, color=PALETTE[6], label="your history")
        ax.plot(np.arange(months), ahead, color=PALETTE[1], ls="--", label="forecast")
        ax.plot(issues.index, issues.mean(axis=1), color=PALETTE[0], label="simulated")
        ax.fill_between(issues.index, low, high, color=PALETTE[0], alpha=0.2, lw=0)
        ax.axvline(0, color="#888888", lw=0.8)
        ax.set_xlabel("month (0: the first month simulated)")
        ax.set_ylabel("contacts per month")
        ax.set_ylim(bottom=0)
        ax.legend(loc="lower left", fontsize=8)
        ax.set_title("Demand: history, forecast and simulated contacts")
        fig.savefig(path)
        plt.close(fig)
    return path
