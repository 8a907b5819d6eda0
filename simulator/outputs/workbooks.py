"""Excel workbooks as every spreadsheet outsim writes builds them (with openpyxl): a sheet
with a bold, frozen header row; every number a number (never a string, so it can be summed
and charted) with a format by its unit (dollars, %, plain); monthly series by unit."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

BOLD = Font(bold=True)
MAX_ROWS = 1_048_000  # Excel's limit is 1,048,576 rows


def number_format(unit: str) -> str:
    """The Excel number format of a unit."""
    if unit == "USD":
        return '"$"#,##0'
    if unit.startswith(("share", "probability")):
        return "0.0%"
    if unit in ("persons", "customers", "count", "jobs", "records", "agents", "positions"):
        return "#,##0"
    return "0.00"


def cell_value(v: Any) -> Any:
    if v is None:
        return None
    if isinstance(v, float) and v != v:
        return None
    if hasattr(v, "item"):
        return v.item()
    return v


def add_sheet(
    wb: Workbook,
    title: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    formats: Sequence[str | None] | None = None,
    widths: Sequence[int] | None = None,
) -> None:
    """A sheet with a bold header row; ``formats`` per column (None: by row, see below)."""
    ws = wb.create_sheet(title)
    ws.append(list(header))
    for cell in ws[1]:
        cell.font = BOLD
    for row in rows:
        ws.append([cell_value(v) for v in row])
        if formats:
            for cell, fmt in zip(ws[ws.max_row], formats, strict=False):
                if fmt:
                    cell.number_format = fmt
    ws.freeze_panes = "A2"
    for i, width in enumerate(widths or [], start=1):
        ws.column_dimensions[get_column_letter(i)].width = width


def series_sheet(wb: Workbook, title: str, frame: pd.DataFrame) -> None:
    """Monthly series: the mean over replications of every metric, one row per (plan and)
    month, formatted by unit."""
    from simulator.model.metrics import METRICS

    keys = [c for c in ("plan", "month") if c in frame.columns]
    metrics = [c for c in frame.columns if c in METRICS and c != "month"]
    means = frame.groupby(keys, sort=False)[metrics].mean().reset_index().iloc[:MAX_ROWS]
    formats = [None] * len(keys) + [number_format(METRICS[c][0]) for c in metrics]
    add_sheet(wb, title, list(means.columns), means.itertuples(index=False, name=None), formats)
