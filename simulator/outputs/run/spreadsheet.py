"""A run's spreadsheet for strategy and HR teams: ``results.xlsx``.

Written with openpyxl. Every number is a number with a format by its unit (dollars, %,
plain), never a string, so it can be summed and charted in Excel; the text of the bottom
line sits beside its figures.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from simulator.analysis.kpis import HEADLINE
from simulator.model.calibration import assumptions
from simulator.outputs.run import brief
from simulator.outputs.workbooks import (
    BOLD,
    add_sheet,
    cell_value,
    number_format,
    save_workbook,
    series_sheet,
)
from simulator.scenario.schema import Scenario


def _kpi_rows(summary: dict[str, Any]) -> Iterable[tuple[list[Any], str]]:
    effects, base = summary.get("effects") or {}, summary.get("status_quo") or {}
    for name, k in summary["kpis"].items():
        e, b = effects.get(name) or {}, base.get(name) or {}
        row = [
            name,
            k["description"],
            k["unit"],
            k["mean"],
            k["ci95_low"],
            k["ci95_high"],
            k["p05"],
            k["p95"],
            b.get("mean"),
            e.get("mean"),
            e.get("ci95_low"),
            e.get("ci95_high"),
        ]
        yield row, number_format(k["unit"])


# the "Who is affected" sheet: (column in summary.json's groups, heading, number format)
GROUP_MEASURES = (
    ("displaced", "Displaced (per replication)", "0.0"),
    ("displaced_share", "Displaced share", "0%"),
    ("reemployed_12m", "Re-employed at 12 m", "0%"),
    ("reemployed_24m", "Re-employed at 24 m", "0%"),
    ("earnings_ratio_12m", "Earnings vs own path at 12 m", "0%"),
    ("earnings_ratio_24m", "Earnings vs own path at 24 m", "0%"),
    ("months_jobless_mean", "Months jobless (mean)", "0.0"),
)


def _group_sheet(
    groups: list[dict[str, Any]],
) -> tuple[list[str], list[list[Any]], list[str | None], list[int]]:
    """Header, rows, number formats and widths of the "Who is affected" sheet: each measure
    with its 95% interval (``groups.over_replications``), the displaced of all replications
    together, and whether the group is too few to say anything about (``groups.TOO_FEW``)."""
    header = ["Grouping", "Group", "Too few to say", "Staff at start", "Displaced, all runs"]
    formats: list[str | None] = [None, None, None, "0", "0"]
    for _, title, fmt in GROUP_MEASURES:
        header += [title, f"{title}: 95% low", f"{title}: 95% high"]
        formats += [fmt, fmt, fmt]
    rows = []
    for g in groups:
        few = [
            label
            for label, key in (("staff", "too_few_staff"), ("displaced", "too_few_displaced"))
            if g.get(key)
        ]
        row = [
            g["grouping"],
            g["group"],
            "too few " + " and ".join(few) if few else "",
            g["staff_at_start"],
            g.get("displaced_pooled"),
        ]
        for name, _, _ in GROUP_MEASURES:
            row += [g.get(name), g.get(f"{name}_ci95_low"), g.get(f"{name}_ci95_high")]
        rows.append(row)
    widths = [14, 18, 22, 14, 14] + [16] * (3 * len(GROUP_MEASURES))
    return header, rows, formats, widths


def write_results_workbook(
    path: Path, summary: dict[str, Any], scenario: Scenario, timeseries: pd.DataFrame
) -> Path:
    """``results.xlsx``: the bottom line, KPIs with intervals and their change against the
    status quo, the scorecard, safeguards, the programme, monthly series and assumptions."""
    wb = Workbook()
    wb.remove(wb.active)
    ws = wb.create_sheet("Bottom line")
    ws.append([brief.headline(summary, scenario)])
    ws["A1"].font = Font(bold=True, size=13)
    for point in brief.points(summary, scenario):
        ws.append([f"{point['topic']}. {point['text']}"])
    ws.append([])
    ws.append(["Figure", "This plan", "Status quo", "Change", "Unit"])
    for cell in ws[ws.max_row]:
        cell.font = BOLD
    effects, base = summary.get("effects") or {}, summary.get("status_quo") or {}
    for name in HEADLINE:
        k = summary["kpis"][name]
        status_quo = (base.get(name) or {}).get("mean")
        effect = (effects.get(name) or {}).get("mean")
        ws.append([name, k["mean"], status_quo, effect, k["unit"]])
        for cell in ws[ws.max_row][1:4]:
            cell.number_format = number_format(k["unit"])
    ws.column_dimensions["A"].width = 36
    for col in "BCD":
        ws.column_dimensions[col].width = 16
    for row in ws.iter_rows(max_row=6):
        row[0].alignment = Alignment(wrap_text=False)

    kpi_rows = list(_kpi_rows(summary))
    header = [
        "KPI",
        "What it measures",
        "Unit",
        "Mean",
        "95% CI low",
        "95% CI high",
        "5th pct",
        "95th pct",
        "Status quo",
        "Change",
        "Change CI low",
        "Change CI high",
    ]
    ws = wb.create_sheet("KPIs")
    ws.append(header)
    for cell in ws[1]:
        cell.font = BOLD
    for row, fmt in kpi_rows:
        ws.append([cell_value(v) for v in row])
        for cell in ws[ws.max_row][3:]:
            cell.number_format = fmt
    ws.freeze_panes = "A2"
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 60

    add_sheet(
        wb,
        "Scorecard",
        ["Dimension", "Score (0-100)"],
        [[d.replace("_", " "), v] for d, v in summary["scorecard"].items()],
        [None, "0"],
        [24, 14],
    )
    if summary.get("safeguards"):
        dollars = number_format("USD")
        add_sheet(
            wb,
            "Safeguards",
            [
                "Safeguard",
                "In the plan",
                "Standard package added",
                "Effect on NPV",
                "NPV CI low",
                "NPV CI high",
                "Outcome",
                "Effect on outcome",
                "Pays for itself",
                "Cost per unit of outcome",
            ],
            [
                [
                    s["title"],
                    s.get("in_plan", True),
                    s.get("package"),
                    s["npv_effect"],
                    *s["npv_effect_ci95"],
                    s["outcome"],
                    s["outcome_effect"],
                    s["pays_for_itself"],
                    s["cost_per_unit"],
                ]
                for s in summary["safeguards"]
            ],
            [None, None, None, dollars, dollars, dollars, None, "0.0000", None, dollars],
            [50, 12, 40, 16, 16, 16, 28, 16, 14, 22],
        )
    if summary.get("programme"):
        prog = summary["programme"]
        title = "Programme (package added)" if summary.get("programme_added") else "Programme"
        add_sheet(
            wb,
            title,
            ["Measure", "Effect", "CI low", "CI high", "Unit"],
            [
                [
                    name.replace("_", " "),
                    e.get("mean"),
                    e.get("ci95_low"),
                    e.get("ci95_high"),
                    e.get("unit"),
                ]
                for name, e in prog.items()
            ],
            None,
            [40, 16, 16, 16, 10],
        )
        ws = wb[title]
        for row in ws.iter_rows(min_row=2):
            for cell in row[1:4]:
                cell.number_format = number_format(row[4].value or "")
    if summary.get("groups"):
        header, rows, formats, widths = _group_sheet(summary["groups"])
        add_sheet(wb, "Who is affected", header, rows, formats, widths)
    if (summary.get("swing") or {}).get("rows"):
        swing_sheet(wb, summary["swing"])
    if (summary.get("uncertainty") or {}).get("kpis"):
        block = summary["uncertainty"]
        add_sheet(
            wb,
            "Luck and knowledge",
            [
                "KPI",
                "Mean",
                "5th pct",
                "95th pct",
                "Variance",
                "Luck",
                "Knowledge",
                "Knowledge share",
            ],
            [
                [
                    name,
                    v["mean"],
                    v["p05"],
                    v["p95"],
                    v["variance"],
                    v["luck"],
                    v["knowledge"],
                    v["knowledge_share"],
                ]
                for name, v in block["kpis"].items()
            ],
            [None, None, None, None, None, None, None, "0%"],
            [28, 16, 16, 16, 18, 18, 18, 16],
        )
        ws = wb["Luck and knowledge"]
        ws.append([])
        ws.append(
            [
                f"{block['draws']} draws of {block['uncertainties']} uncertain assumptions × "
                f"{block['replications']} runs each; {block['method']}"
            ]
        )
    series_sheet(wb, "Monthly", timeseries)
    add_sheet(
        wb,
        "Assumptions",
        ["Assumption", "Value", "Source"],
        [[a["what"], a["value"], a["source"]] for a in assumptions()],
        None,
        [44, 30, 90],
    )
    return save_workbook(wb, path)


def swing_sheet(wb: Workbook, swing: dict[str, Any]) -> None:
    """ "What could change it": every uncertainty's range and the plan's effect at each end,
    per KPI, ranked; with a tornado chart of the NPV's ten largest swings (Excel bars from
    the effect at the values assumed)."""
    from openpyxl.chart import BarChart, Reference

    header = [
        "KPI",
        "Rank",
        "Uncertainty",
        "Low",
        "Assumed",
        "High",
        "Effect at assumed",
        "Effect at low",
        "Effect at high",
        "Swing",
        "Low end − assumed",
        "High end − assumed",
        "Source",
    ]
    rows = [
        [
            r["kpi"],
            r["rank"],
            r["uncertainty"],
            r["low"],
            r["default"],
            r["high"],
            r["effect_default"],
            r["effect_low"],
            r["effect_high"],
            r["swing"],
            None if r["effect_low"] is None else r["effect_low"] - r["effect_default"],
            None if r["effect_high"] is None else r["effect_high"] - r["effect_default"],
            r["source"],
        ]
        for r in swing["rows"]
    ]
    add_sheet(
        wb,
        "What could change it",
        header,
        rows,
        None,
        [24, 6, 44, 10, 10, 10, 16, 16, 16, 16, 16, 16, 70],
    )
    ws = wb["What could change it"]
    npv = sum(1 for r in swing["rows"] if r["kpi"] == "npv_net_savings")
    shown = min(npv, 10)
    if shown:
        dollars = number_format("USD")
        for row in ws.iter_rows(min_row=2, max_row=1 + npv, min_col=7, max_col=12):
            for cell in row:
                cell.number_format = dollars
        chart = BarChart()
        chart.type = "bar"
        chart.grouping = "clustered"
        chart.overlap = 100
        chart.title = "What moves the NPV against the status quo (change from the assumed)"
        chart.y_axis.title = "USD"
        data = Reference(ws, min_col=11, max_col=12, min_row=1, max_row=1 + shown)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=3, min_row=2, max_row=1 + shown))
        chart.height, chart.width = 9, 22
        ws.add_chart(chart, "O2")
