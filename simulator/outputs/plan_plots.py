"""Figures for decisions: the people view, the cumulative cash, and plans side by side.

Same style as :mod:`simulator.outputs.plots` (its ``style``, ``band`` and palette): means
across replications with 95% bands, titles that state the subject, units on the axes.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from simulator.outputs.plots import PALETTE, STATE_COLOURS, band, style  # noqa: E402

DISPLACED_STATES = {
    "share_unemployed": ("Unemployed", STATE_COLOURS["unemployed"]),
    "share_retraining": ("Retraining", STATE_COLOURS["retraining"]),
    "share_reemployed": ("Re-employed", STATE_COLOURS["reemployed"]),
    "share_left_labour_force": ("Left the labour force", STATE_COLOURS["left_labour_force"]),
}
MILESTONES = (6, 12, 24)
BREACHES = "Breaches beyond the in-house risk"


def _save(fig: plt.Figure, path: Path) -> Path:
    fig.savefig(path)
    plt.close(fig)
    return path


def _phase_lines(ax: plt.Axes, months: list[int] | None) -> None:
    for m in months or []:
        ax.axvline(m, color="#555555", linestyle="--", linewidth=1, zorder=0)


def _empty(ax: plt.Axes, note: str) -> None:
    ax.text(0.5, 0.5, note, ha="center", va="center", transform=ax.transAxes, color="#555")
    ax.set_xticks([])
    ax.set_yticks([])


def _by_months_since(displacement: pd.DataFrame) -> pd.DataFrame:
    return displacement.rename(columns={"months_since_displacement": "month"})


def people_plots(displacement: pd.DataFrame | None, out_dir: Path) -> list[Path]:
    """``displaced_states.png`` and ``earnings_recovery.png`` by months since displacement."""
    out_dir.mkdir(parents=True, exist_ok=True)
    d = None if displacement is None or displacement.empty else _by_months_since(displacement)
    paths = []
    with plt.rc_context(style()):
        fig, ax = plt.subplots(figsize=(11, 5.5), layout="constrained")
        ax.set_title("Where the displaced workers are, month by month after their job ended")
        if d is None:
            _empty(ax, "Nobody was displaced in this scenario")
        else:
            means = d.groupby("month")[list(DISPLACED_STATES)].mean()
            ax.stackplot(
                means.index,
                *(100 * means[c] for c in DISPLACED_STATES),
                labels=[v[0] for v in DISPLACED_STATES.values()],
                colors=[v[1] for v in DISPLACED_STATES.values()],
                alpha=0.9,
            )
            for m in MILESTONES:
                if m in means.index:
                    share = 100 * means.loc[m, "share_reemployed"]
                    ax.axvline(m, color="black", linewidth=0.8, linestyle=":")
                    ax.annotate(
                        f"{share:.0f}% back\nat work",
                        (m, 50),
                        xytext=(4, 0),
                        textcoords="offset points",
                        fontsize=9,
                        color="black",
                    )
            ax.set_xlim(0, means.index.max())
            ax.set_ylim(0, 100)
            ax.set_xlabel("Months since displacement")
            ax.set_ylabel("Displaced workers (%)")
            ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
        paths.append(_save(fig, out_dir / "displaced_states.png"))

        fig, ax = plt.subplots(figsize=(11, 5.0), layout="constrained")
        ax.set_title("Displaced workers' earnings relative to before their job ended")
        if d is None:
            _empty(ax, "Nobody was displaced in this scenario")
        else:
            band(ax, d, "earnings_ratio", "Mean (jobless at zero), 95% band", PALETTE[0], 100)
            ax.axhline(100, color="black", linewidth=1, linestyle="--")
            ax.text(0.2, 101.5, "Pre-displacement earnings", fontsize=9)
            ax.set_ylim(0, 110)
            ax.set_xlabel("Months since displacement")
            ax.set_ylabel("Earnings (% of before)")
            ax.legend(loc="lower right")
        paths.append(_save(fig, out_dir / "earnings_recovery.png"))
    return paths


def _cash_columns(ts: pd.DataFrame, gross_margin: float) -> pd.DataFrame:
    d = ts.sort_values(["replication", "month"]).copy()
    g = d.groupby("replication")
    revenue0 = g["revenue"].transform("first")
    flows = {
        "Operating savings": d["cost_counterfactual"] - d["cost_operating"],
        "Mitigation and transition": -(d["cost_mitigation"] + d["cost_transition"]),
        "Margin on revenue change": gross_margin * (d["revenue"] - revenue0),
    }
    # what is left of net savings: breach costs beyond the in-house breach risk expected anyway
    flows[BREACHES] = d["net_savings"] - sum(flows.values())
    for name, flow in flows.items():
        d[name] = flow.groupby(d["replication"]).cumsum() / 1e6
    d["Net"] = d["net_savings"].groupby(d["replication"]).cumsum() / 1e6
    return d


def cash_plot(
    timeseries: pd.DataFrame, out_dir: Path, gross_margin: float, phase_months: list[int]
) -> Path:
    """``cash.png``: cumulative savings against the costs and losses that eat into them."""
    out_dir.mkdir(parents=True, exist_ok=True)
    d = _cash_columns(timeseries, gross_margin)
    names = ["Operating savings", "Mitigation and transition", BREACHES]
    names += ["Margin on revenue change", "Net"]
    with plt.rc_context(style()):
        fig, ax = plt.subplots(figsize=(11, 6), layout="constrained")
        ax.set_title("Cumulative cash: what the plan saves and what eats into it")
        for i, name in enumerate(names):
            band(ax, d, name, name, PALETTE[i % len(PALETTE)], linestyle="-" if i < 4 else "--")
        ax.axhline(0, color="black", linewidth=0.8)
        _phase_lines(ax, phase_months)
        ax.set_xlabel("Month")
        ax.set_ylabel("Cumulative cash (USD millions)")
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
        return _save(fig, out_dir / "cash.png")


# -- comparisons ---------------------------------------------------------------------------
COMPARE_FIGURES = (
    (
        "compare_costs",
        "Business case by plan",
        (("net_savings_cum", "Cumulative net savings (USD millions)", 1e-6),),
    ),
    (
        "compare_workforce",
        "Displaced workers by plan",
        (
            ("displaced_cumulative", "Workers laid off (persons)", 1.0),
            ("employees_unemployed", "Displaced and unemployed (persons)", 1.0),
        ),
    ),
    (
        "compare_customers",
        "Customers by plan",
        (
            ("trust_mean", "Mean customer trust (index 0-1)", 1.0),
            ("customers_active", "Active customers", 1.0),
        ),
    ),
    (
        "compare_service",
        "Service quality by plan",
        (("csat", "CSAT (0-100)", 1.0), ("fcr", "First-contact resolution (%)", 100.0)),
    ),
    (
        "compare_privacy",
        "Customer data by plan",
        (
            ("records_exposed", "Records held by vendors", 1.0),
            ("breach_probability_annual", "Breach chance (% per year)", 100.0),
        ),
    ),
    (
        "compare_vendor",
        "Vendor staff by plan",
        (
            ("vendor_attrition_annual", "Vendor attrition (% per year)", 100.0),
            ("vendor_share_paid_fair", "Paid at least the local standard (%)", 100.0),
        ),
    ),
)


def _derive(ts: pd.DataFrame) -> pd.DataFrame:
    d = ts.sort_values(["replication", "month"]).copy()
    d["net_savings_cum"] = d.groupby("replication")["net_savings"].cumsum()
    d["breach_probability_annual"] = 1 - (1 - d["breach_probability_monthly"]) ** 12
    d["vendor_attrition_annual"] = 1 - (1 - d["vendor_attrition_monthly"]) ** 12
    return d


def comparison_plots(
    timeseries_by_plan: dict[str, pd.DataFrame],
    scorecards: pd.DataFrame,
    out_dir: Path,
) -> list[Path]:
    """Overlay plots of key series (one colour per plan, with bands) and a scorecard chart."""
    out_dir.mkdir(parents=True, exist_ok=True)
    data = {name: _derive(ts) for name, ts in timeseries_by_plan.items()}
    colours = {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(data)}
    paths = []
    with plt.rc_context(style()):
        for file, title, panels in COMPARE_FIGURES:
            fig, axes = plt.subplots(
                1, len(panels), figsize=(5.6 * len(panels) + 1, 4.8), layout="constrained"
            )
            axes = np.atleast_1d(axes)
            for ax, (column, label, scale) in zip(axes, panels, strict=True):
                for name, d in data.items():
                    band(ax, d, column, name, colours[name], scale)
                ax.set_title(label.split(" (")[0])
                ax.set_xlabel("Month")
                ax.set_ylabel(label)
            axes[0].legend(loc="best")
            fig.suptitle(title)
            paths.append(_save(fig, out_dir / f"{file}.png"))
        paths.append(scorecard_chart(scorecards, colours, out_dir))
    return paths


def scorecard_chart(scorecards: pd.DataFrame, colours: dict[str, str], out_dir: Path) -> Path:
    """``compare_scorecard.png``: the five dimensions, one bar per plan (n/a where none)."""
    dims = list(scorecards.index)
    plans = list(scorecards.columns)
    width = 0.8 / max(len(plans), 1)
    x = np.arange(len(dims))
    fig, ax = plt.subplots(figsize=(11, 5.5), layout="constrained")
    ax.set_title("Ethics scorecard by plan (0-100, from outcomes)")
    for i, plan in enumerate(plans):
        pos = x - 0.4 + width * (i + 0.5)
        values = scorecards[plan].to_numpy(dtype=float)
        ok = np.isfinite(values)
        ax.bar(pos[ok], values[ok], width, color=colours.get(plan), label=plan)
        for p in pos[~ok]:
            ax.text(p, 2, "n/a", ha="center", va="bottom", fontsize=8, rotation=90)
    ax.set_xticks(x, [d.replace("_", " ") for d in dims])
    ax.set_ylim(0, 105)
    ax.set_ylabel("Score (0-100)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return _save(fig, out_dir / "compare_scorecard.png")
