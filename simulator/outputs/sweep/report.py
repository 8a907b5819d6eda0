"""The sweep summary: ``summary.html`` and its charts, built from what a sweep folder's store
holds (its ``meta`` table and its runs, one row each, as ``sweep.store`` reads them).

Shows the swept parameters, how many runs finished and failed (with the errors), every kept
KPI across runs, how each headline KPI moves with each parameter, and — once
``outsim sensitivity`` has run — the sensitivity indices with their intervals.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from simulator.analysis.kpis import HEADLINE, KPI_BY_NAME  # noqa: E402
from simulator.outputs.figures.style import PALETTE, style  # noqa: E402
from simulator.outputs.folders import subfolder, write_file  # noqa: E402
from simulator.outputs.formatting import number, span  # noqa: E402
from simulator.outputs.pages import css, embed_image, template  # noqa: E402

SENSITIVITY_FILE = "sensitivity.csv"
EFFECT_KPIS = 4  # KPIs shown against each parameter


COST_PER_IN_WORK = "cost_per_additional_in_work"  # derived per sample, from paired effects


def _unit(kpi: str) -> str:
    base = kpi.removeprefix("effect_")
    if kpi == COST_PER_IN_WORK:
        return "USD"
    return KPI_BY_NAME[base].unit if base in KPI_BY_NAME else ""


def label(kpi: str) -> str:
    """A KPI column's name in words (effects are the change against the paired run)."""
    if kpi == COST_PER_IN_WORK:
        return "cost per additional worker in work at 24 months"
    if kpi.startswith("effect_"):
        return "change in " + kpi.removeprefix("effect_").replace("_", " ")
    return kpi.replace("_", " ")


def kpi_columns(wide: pd.DataFrame, meta: dict[str, Any]) -> list[str]:
    spec = json.loads(meta["spec"])
    kept = spec.get("outputs") or list(KPI_BY_NAME)
    if spec.get("paired_with"):
        kept = kept + [f"effect_{k}" for k in kept]
    return [k for k in kept if k in wide.columns]


def sample_means(wide: pd.DataFrame, params: list[str], kpis: list[str]) -> pd.DataFrame:
    """One row per sample: its parameter values and each KPI's mean over its successful
    replications; with paired programme effects, the cost per additional worker in work —
    the NPV given up per additional worker in work at 24 months, a ratio of the sample's
    mean effects, as ``run`` and the safeguards table define it (``effects.cost_per_gain``)."""
    ok = wide[wide["status"] == "ok"]
    agg = {**dict.fromkeys(params, "first"), **dict.fromkeys(kpis, "mean")}
    means = ok.groupby("sample_id").agg(agg)
    npv, extra = "effect_npv_net_savings", "effect_in_work_count_24m"
    if npv in means and extra in means:
        gain = means[extra].where(means[extra] > 0)
        given_up = (-means[npv]).where(means[npv] < 0)
        means[COST_PER_IN_WORK] = given_up / gain
    return means


def heatmap(means: pd.DataFrame, params: list[str], kpi: str, path: Path) -> Path:
    """``kpi`` over the first two parameters (averaged over any others), each cell labelled
    with its value as people read it."""
    x, y = params[0], params[1]
    grid = means.groupby([y, x])[kpi].mean().unstack(x)
    unit = _unit(kpi)
    # figures.style.style() is typed dict[str, Any], not matplotlib's dict[RcKeyType, Any]
    with plt.rc_context(style()):
        fig, ax = plt.subplots(figsize=(1.6 + 1.25 * grid.shape[1], 1.4 + 0.7 * grid.shape[0]))
        image = ax.imshow(grid.to_numpy(dtype=float), cmap="viridis", aspect="auto")
        ax.set_xticks(range(grid.shape[1]), [str(v) for v in grid.columns])
        ax.set_yticks(range(grid.shape[0]), [str(v) for v in grid.index])
        ax.set_xlabel(x.rsplit(".", 1)[-1].replace("_", " "))
        ax.set_ylabel(y.rsplit(".", 1)[-1].replace("_", " "))
        ax.grid(False)
        for (i, j), value in np.ndenumerate(grid.to_numpy(dtype=float)):
            text = number(value, unit) if np.isfinite(value) else "n/a"
            ax.text(j, i, text, ha="center", va="center", fontsize=8, color="white")
        fig.colorbar(image, ax=ax, shrink=0.8)
        ax.set_title(label(kpi).capitalize(), fontsize=11)
        fig.tight_layout()
        fig.savefig(path, dpi=90)
        plt.close(fig)
    return path


def kpi_summary(wide: pd.DataFrame, kpis: list[str]) -> pd.DataFrame:
    """Mean, sd, 5th and 95th percentile and count of each KPI over successful runs."""
    ok = wide[wide["status"] == "ok"]
    rows = []
    for k in kpis:
        v = pd.to_numeric(ok[k], errors="coerce").dropna()
        rows.append(
            {
                "kpi": k,
                "unit": _unit(k),
                "runs": len(v),
                "mean": v.mean() if len(v) else np.nan,
                "sd": v.std(ddof=1) if len(v) > 1 else np.nan,
                "p05": v.quantile(0.05) if len(v) else np.nan,
                "p95": v.quantile(0.95) if len(v) else np.nan,
            }
        )
    return pd.DataFrame(rows)


def _is_numeric(values: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)


def effect_plot(wide: pd.DataFrame, params: list[str], kpis: list[str], path: Path) -> Path:
    """KPI (rows) against parameter (columns): every sample's mean over replications.
    Numeric parameters on a numeric axis; text and true/false parameters by level."""
    ok = wide[wide["status"] == "ok"]
    means = ok.groupby("sample_id").agg(
        {**dict.fromkeys(params, "first"), **dict.fromkeys(kpis, "mean")}
    )
    # figures.style.style() is typed dict[str, Any], not matplotlib's dict[RcKeyType, Any]
    with plt.rc_context(style()):
        fig, axes = plt.subplots(
            len(kpis),
            len(params),
            figsize=(2.9 * len(params) + 1, 2.3 * len(kpis) + 0.6),
            squeeze=False,
        )
        for i, k in enumerate(kpis):
            y = pd.to_numeric(means[k], errors="coerce")
            for j, p in enumerate(params):
                ax = axes[i, j]
                if _is_numeric(means[p]):
                    x = pd.to_numeric(means[p], errors="coerce")
                else:  # levels in the order first met, one position each
                    labels = means[p].astype(str)
                    order = list(dict.fromkeys(labels))
                    x = labels.map({level: n for n, level in enumerate(order)})
                    ax.set_xticks(range(len(order)), order)
                    ax.set_xlim(-0.5, len(order) - 0.5)
                ax.scatter(x, y, s=10, alpha=0.6, color=PALETTE[0], linewidths=0)
                if x.nunique() <= 12:
                    line = y.groupby(x).mean()
                    ax.plot(
                        line.index,
                        line.to_numpy(),
                        color=PALETTE[1],
                        linewidth=1.8,
                        marker="o",
                        markersize=3,
                    )
                if i == len(kpis) - 1:
                    ax.set_xlabel(p.rsplit(".", 1)[-1].replace("_", " "), fontsize=9)
                if j == 0:
                    ax.set_ylabel(k.replace("_", " "), fontsize=9)
                ax.tick_params(labelsize=8)
        fig.suptitle("Each KPI against each swept parameter (dots: sample means)", fontsize=11)
        fig.tight_layout()
        fig.savefig(path, dpi=90)
        plt.close(fig)
    return path


def sensitivity_plot(table: pd.DataFrame, kpi: str, path: Path) -> Path:
    """Bars with 95% intervals: S1 and ST (Sobol') or μ* and σ (Morris) per parameter."""
    t = table[table["kpi"] == kpi]
    names = [
        p.rsplit(".", 2)[-2] + "." + p.rsplit(".", 1)[-1] if "." in p else p for p in t["parameter"]
    ]
    y = np.arange(len(t))
    sobol = t["method"].iloc[0] == "sobol"
    # figures.style.style() is typed dict[str, Any], not matplotlib's dict[RcKeyType, Any]
    with plt.rc_context(style()):
        fig, ax = plt.subplots(figsize=(8.5, 1.0 + 0.55 * len(t)))
        pairs: tuple[tuple[str, str | None, str], ...]  # (value, its interval or None, label)
        if sobol:
            pairs = (("S1", "S1_conf", "first order S1"), ("ST", "ST_conf", "total order ST"))
        else:
            pairs = (
                ("mu_star", "mu_star_conf", "μ* (mean |elementary effect|)"),
                ("sigma", None, "σ (interactions / non-linearity)"),
            )
        for n, (col, conf, label) in enumerate(pairs):
            err = t[conf].to_numpy(dtype=float) if conf else None
            ax.barh(
                y + (n - 0.5) * 0.38,
                t[col].to_numpy(dtype=float),
                0.36,
                xerr=err,
                color=PALETTE[n],
                label=label,
                capsize=3,
            )
        ax.set_yticks(y, names, fontsize=9)
        ax.invert_yaxis()
        ax.axvline(0, color="#333333", linewidth=0.8)
        unit = "share of variance" if sobol else _unit(kpi)
        ax.set_xlabel(f"{'Sobol index' if sobol else 'Morris'} [{unit}] with 95% interval")
        ax.set_title(f"Sensitivity of {kpi.replace('_', ' ')}", fontsize=11)
        ax.legend(loc="lower right", fontsize=8)
        fig.tight_layout()
        fig.savefig(path, dpi=90)
        plt.close(fig)
    return path


def _parameter_rows(meta: dict[str, Any]) -> list[dict[str, str]]:
    spec = json.loads(meta["spec"])
    base = json.loads(meta["base"])
    from simulator.scenario.paths import get_value

    rows = []
    for path, p in spec["parameters"].items():
        if p.get("levels") is not None:
            how = "levels " + ", ".join(map(str, p["levels"]))
        else:
            lo, hi = p["range"]
            how = f"{p['distribution']} on [{lo}, {hi}]"
            if p["distribution"] == "triangular":
                how += f", peak {p['peak']}"
            if p["distribution"] == "truncnorm":
                how += f", mean {p['mean']}, sd {p['sd']}"
            if p.get("steps"):
                how += f", {p['steps']} steps"
        rows.append({"path": path, "how": how, "base": str(get_value(base, path))})
    return rows


def _sensitivity_rows(table: pd.DataFrame) -> list[dict[str, str]]:
    def num(v: float) -> str:
        return "" if pd.isna(v) else f"{v:.3g}"

    return [
        {
            "kpi": r.kpi,
            "parameter": r.parameter,
            "a": num(r.S1 if r.method == "sobol" else r.mu_star),
            "a_conf": num(r.S1_conf if r.method == "sobol" else r.mu_star_conf),
            "b": num(r.ST if r.method == "sobol" else r.sigma),
            "b_conf": num(r.ST_conf) if r.method == "sobol" else "",
        }
        for r in table.itertuples()
    ]


def write_sweep_report(
    folder: str | Path,
    meta: dict[str, str],
    wide: pd.DataFrame,
    skipped: dict[str, str] | None = None,
) -> Path:
    """Write ``summary.html`` (and its charts in ``plots/``) into a sweep folder, from its
    store's ``meta`` and runs (``wide``: one row per run, parameters and KPI columns)."""
    folder = Path(folder)
    spec = json.loads(meta["spec"])
    params = list(spec["parameters"])
    kpis = kpi_columns(wide, meta)
    plots = subfolder(folder, "plots")
    figures = []
    ok = wide[wide["status"] == "ok"] if "status" in wide else wide
    shown = [k for k in HEADLINE if k in kpis] or kpis
    shown = [k for k in shown if ok[k].notna().any()][:EFFECT_KPIS] if len(ok) else []
    if shown:
        figures.append(embed_image(effect_plot(wide, params, shown, plots / "effects.png")))
    means = sample_means(wide, params, kpis) if len(ok) else pd.DataFrame()
    heatmaps = []
    if spec.get("sampler") == "grid" and len(params) >= 2 and len(means):
        wanted = [COST_PER_IN_WORK] if COST_PER_IN_WORK in means else shown[:2]
        for kpi in wanted:
            path = heatmap(means, params, kpi, plots / f"heatmap_{kpi}.png")
            heatmaps.append(embed_image(path))
    columns = [k for k in (COST_PER_IN_WORK, *shown) if k in means][:6]
    samples = [
        {
            "values": [str(row[p]) for p in params],
            "kpis": [number(row[k], _unit(k)) for k in columns],
        }
        for _, row in means.head(200).iterrows()
    ]
    sens = None
    sens_figures = []
    if (folder / SENSITIVITY_FILE).exists():
        sens = pd.read_csv(folder / SENSITIVITY_FILE)
        for kpi in dict.fromkeys(sens["kpi"]):
            sens_figures.append(
                embed_image(sensitivity_plot(sens, kpi, plots / f"sensitivity_{kpi}.png"))
            )
    errors = (
        wide.loc[wide["status"] != "ok", "error"].fillna("unknown").value_counts().head(20)
        if len(wide)
        else pd.Series(dtype=int)
    )
    summary = kpi_summary(wide, kpis) if len(wide) else pd.DataFrame()
    html = template("sweep.html.j2").render(
        css=css(),
        name=meta.get("name", folder.name),
        spec=spec,
        meta=meta,
        complete=meta.get("complete") == "true",
        runs=len(wide),
        total=int(meta.get("runs", len(wide))),
        failed=int((wide["status"] != "ok").sum()) if len(wide) else 0,
        parameters=_parameter_rows(meta),
        errors=[{"error": e, "count": int(c)} for e, c in errors.items()],
        kpis=[
            {
                "kpi": r.kpi,
                "label": label(r.kpi),
                "unit": r.unit,
                "runs": r.runs,
                "mean": number(r.mean, r.unit),
                "sd": number(r.sd, r.unit),
                "range": span(r.p05, r.p95, r.unit),
            }
            for r in summary.itertuples()
        ],
        figures=figures,
        heatmaps=heatmaps,
        sample_params=[p.rsplit(".", 1)[-1].replace("_", " ") for p in params],
        sample_kpis=[label(k) for k in columns],
        samples=samples,
        more_samples=max(0, len(means) - 200),
        sensitivity=None if sens is None else _sensitivity_rows(sens),
        sobol=sens is not None and (sens["method"] == "sobol").any(),
        noise=[]
        if sens is None
        else (
            sens.groupby("kpi", sort=False)[["replications", "noise_share"]]
            .first()
            .reset_index()
            .to_dict("records")
        ),
        sensitivity_figures=sens_figures,
        skipped=skipped or {},
    )
    return write_file(folder / "summary.html", html)
