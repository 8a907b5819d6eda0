"""A comparison's spreadsheet: ``comparison.xlsx``, written with openpyxl like a run's
(``outputs/workbooks.py``: every number a number, formatted by its unit)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook

from simulator.analysis.kpis import HEADLINE, KPI_BY_NAME
from simulator.outputs.workbooks import (
    BOLD,
    add_sheet,
    cell_value,
    number_format,
    save_workbook,
    series_sheet,
)


def write_comparison_workbook(
    path: Path,
    comparison: Any,
    table: pd.DataFrame,
    scorecards: pd.DataFrame,
    timeseries: pd.DataFrame,
) -> Path:
    """``comparison.xlsx``: headline KPIs by plan, every KPI with the paired difference from
    the reference, every pair of plans for the headline KPIs, scorecards, monthly series."""
    wb = Workbook()
    wb.remove(wb.active)
    names = comparison.names
    ws = wb.create_sheet("Headline")
    ws.append(["KPI", "Unit", *names])
    for cell in ws[1]:
        cell.font = BOLD
    for kpi in HEADLINE:
        sub = table[table["kpi"] == kpi].set_index("plan")
        ws.append([kpi, KPI_BY_NAME[kpi].unit, *[cell_value(sub.loc[n, "mean"]) for n in names]])
        for cell in ws[ws.max_row][2:]:
            cell.number_format = number_format(KPI_BY_NAME[kpi].unit)
    ws.column_dimensions["A"].width = 34
    formats = [None, None, None, None] + [None] * (len(table.columns) - 4)
    add_sheet(
        wb,
        "Comparison",
        list(table.columns),
        table.itertuples(index=False, name=None),
        formats,
        [34, 16, 28, 20],
    )
    ws = wb["Comparison"]
    cols = list(table.columns)
    number_columns = (
        "mean",
        "ci95_low",
        "ci95_high",
        "diff_vs_reference",
        "diff_ci95_low",
        "diff_ci95_high",
    )
    numeric = [cols.index(c) for c in number_columns]
    for row in ws.iter_rows(min_row=2):
        fmt = number_format(row[cols.index("unit")].value or "")
        for i in numeric:
            row[i].number_format = fmt
    ws = wb.create_sheet("Pairs")
    for kpi in HEADLINE:
        matrix = comparison.pairwise(kpi)
        ws.append([f"{kpi}: row − column"] + names)
        for cell in ws[ws.max_row]:
            cell.font = BOLD
        for row_name in names:
            ws.append([row_name, *[cell_value(matrix.loc[row_name, c][0]) for c in names]])
            for cell in ws[ws.max_row][1:]:
                cell.number_format = number_format(KPI_BY_NAME[kpi].unit)
        ws.append([])
    ws.column_dimensions["A"].width = 40
    add_sheet(
        wb,
        "Scorecards",
        ["Dimension", *names],
        [[d, *[cell_value(v) for v in scorecards.loc[d]]] for d in scorecards.index],
        [None] + ["0"] * len(names),
        [24],
    )
    if comparison.uncertainty is not None:
        futures_sheet(wb, comparison.uncertainty.table())
    series_sheet(wb, "Monthly", timeseries)
    return save_workbook(wb, path)


def futures_sheet(wb: Workbook, table: pd.DataFrame) -> None:
    """*Drawn futures* (``--uncertainty``): each plan's effect against its status quo and its
    difference from the reference with everything uncertain, the knowledge share, and the
    share of futures in which the plan does better."""
    cols = list(table.columns)
    add_sheet(wb, "Drawn futures", cols, table.itertuples(index=False, name=None), None, [28, 28])
    ws = wb["Drawn futures"]
    for row in ws.iter_rows(min_row=2):
        fmt = number_format(KPI_BY_NAME[row[cols.index("kpi")].value].unit)
        for i, name in enumerate(cols[2:], start=2):
            share = name.endswith(("knowledge_share", "better_share"))
            row[i].number_format = "0%" if share else fmt
