"""Comparison folders: ``comparison.csv``, ``comparison.html``, overlay plots (and, with
``--uncertainty``, ``uncertainty.csv`` and ``uncertainty.json``), all atomic.

The HTML embeds its images and has no network resources.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
from markupsafe import Markup, escape

from simulator.analysis.compare import Comparison
from simulator.analysis.kpis import HEADLINE, HEADLINE_LABELS, KPI_BY_NAME
from simulator.analysis.scorecard import DIMENSIONS
from simulator.outputs.compare.futures import futures_html, sentences
from simulator.outputs.compare.spreadsheet import write_comparison_workbook
from simulator.outputs.figures.plots import make_comparison_plots
from simulator.outputs.folders import output_folder
from simulator.outputs.formatting import change, number
from simulator.outputs.pages import css, embed_image, template
from simulator.outputs.records import package_version
from simulator.outputs.workbooks import write_csv
from simulator.scenario.describe import describe_phases, describe_policies


def _cell(row: pd.Series) -> str:
    unit = row["unit"]
    if pd.isna(row["mean"]):
        return "n/a"
    text = f"{number(row['mean'], unit)}<br><span class='muted'>[{number(row['ci95_low'], unit)}, "
    text += f"{number(row['ci95_high'], unit)}]</span>"
    return text


def _diff(row: pd.Series, first: bool) -> str:
    """Paired difference from the reference plan, and whether it stands out from noise."""
    if first:
        return "<span class='muted'>reference</span>"
    d = row["diff_vs_reference"]
    if pd.isna(d):
        return "n/a"
    text = change(d, row["unit"])
    if row["distinguishable"]:
        return f"{text} <span class='yes'>clear</span>"
    return f"{text} <span class='no'>noise</span>"


def kpi_table_html(table: pd.DataFrame, names: list[str], kpis: tuple[str, ...] | None) -> Markup:
    """KPI × plan: mean [95% CI] and the paired difference from the reference plan."""
    kpis = kpis or tuple(dict.fromkeys(table["kpi"]))
    head = "<tr><th>KPI</th>" + "".join(f"<th>{escape(n)}</th>" for n in names) + "</tr>"
    rows = [head]
    for name in kpis:
        sub = table[table["kpi"] == name].set_index("plan")
        cells = []
        for plan in names:
            r = sub.loc[plan]
            cells.append(f"<td class='num'>{_cell(r)}<br>{_diff(r, plan == r['reference'])}</td>")
        unit = KPI_BY_NAME[name].unit
        rows.append(
            f"<tr data-kpi='{name}'><td><code>{name}</code><br><span class='muted'>"
            f"{KPI_BY_NAME[name].description} [{unit}]</span></td>{''.join(cells)}</tr>"
        )
    return Markup("<table>" + "".join(rows) + "</table>")


def pairwise_html(comparison: Comparison) -> Markup:
    """For each headline KPI, the paired difference of every pair of plans (row − column)."""
    names = comparison.names
    blocks = []
    for kpi in HEADLINE:
        unit = KPI_BY_NAME[kpi].unit
        matrix = comparison.pairwise(kpi)
        head = "<tr><th>row − column</th>" + "".join(f"<th>{escape(n)}</th>" for n in names)
        rows = [head + "</tr>"]
        for row in names:
            cells = []
            for col in names:
                mean, clear = matrix.loc[row, col]
                if row == col:
                    cells.append("<td class='num muted'>—</td>")
                    continue
                mark = " <span class='yes'>clear</span>" if clear else ""
                cells.append(f"<td class='num'>{change(mean, unit)}{mark}</td>")
            rows.append(f"<tr><th>{escape(row)}</th>{''.join(cells)}</tr>")
        blocks.append(
            f"<h3>{escape(HEADLINE_LABELS[kpi])}</h3><table class='pairwise' "
            f"data-kpi='{kpi}'>{''.join(rows)}</table>"
        )
    return Markup("".join(blocks))


def render_comparison(
    comparison: Comparison, table: pd.DataFrame, scorecards: pd.DataFrame, plots: Path
) -> str:
    names = comparison.names
    score_rows = []
    for dim, (title, _) in DIMENSIONS.items():
        values = [
            "n/a" if pd.isna(scorecards.loc[dim, n]) else f"{scorecards.loc[dim, n]:.0f}"
            for n in names
        ]
        score_rows.append({"name": dim, "title": title, "scores": values})
    first = comparison.plans[0]
    return template("comparison.html.j2").render(
        css=css(),
        names=names,
        reference=comparison.reference_name,
        notes=comparison.notes,
        pairwise=pairwise_html(comparison),
        replications=comparison.replications,
        seed=first.extra.get("root_seed"),
        version=package_version(),
        finished=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        plans=[
            {
                "name": name,
                "description": p.scenario.simulation.description,
                "phases": describe_phases(p.scenario),
                "levers": [
                    {"dimension": DIMENSIONS[d][0], "levers": levers}
                    for d, levers in describe_policies(p.scenario).items()
                ],
            }
            for name, p in zip(names, comparison.plans, strict=True)
        ],
        headline=kpi_table_html(table, names, HEADLINE),
        scorecard=score_rows,
        full=kpi_table_html(table, names, None),
        figures=[embed_image(p) for p in sorted(plots.glob("*.png"))],
        futures=futures_html(comparison.uncertainty) if comparison.uncertainty else None,
    )


def save_comparison(comparison: Comparison, target: Path, notes: list[str] | None = None) -> Path:
    """Write the comparison folder atomically and return its path (``outputs.folders``: an
    existing target is replaced only if outsim wrote it)."""
    table = comparison.table()
    scorecards = comparison.scorecards()
    names = comparison.names
    manifest = {
        "version": package_version(),
        "plans": names,
        "reference": comparison.reference_name,
        "replications": comparison.replications,
        "root_seed": comparison.plans[0].extra.get("root_seed"),
    }
    nested = comparison.uncertainty
    if nested is not None:
        manifest["uncertainty"] = nested.describe()
    with output_folder(target, "comparison", manifest, notes) as tmp:
        write_csv(table, tmp / "comparison.csv")
        if nested is not None:
            write_csv(nested.table(), tmp / "uncertainty.csv")
            summary = nested.summary() | {"sentences": sentences(nested)}
            (tmp / "uncertainty.json").write_text(
                json.dumps(summary, indent=2, allow_nan=False), encoding="utf-8"
            )
        write_csv(scorecards.rename_axis("dimension"), tmp / "scorecards.csv", index=True)
        series = pd.concat(
            [p.timeseries.assign(plan=n) for n, p in zip(names, comparison.plans, strict=True)],
            ignore_index=True,
        )
        write_csv(series, tmp / "timeseries.csv")
        make_comparison_plots(
            dict(zip(names, (p.timeseries for p in comparison.plans), strict=True)),
            scorecards,
            tmp / "plots",
            {
                n: [ph.month for ph in p.scenario.plan.phases]
                for n, p in zip(names, comparison.plans, strict=True)
            },
        )
        write_comparison_workbook(tmp / "comparison.xlsx", comparison, table, scorecards, series)
        html = render_comparison(comparison, table, scorecards, tmp / "plots")
        (tmp / "comparison.html").write_text(html, encoding="utf-8")
    return Path(target)
