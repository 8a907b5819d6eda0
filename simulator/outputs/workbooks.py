"""Excel workbooks and CSV files as every spreadsheet outsim writes builds them (with
openpyxl and pandas): a sheet with a bold, frozen header row; every number a number (never a
string, so it can be summed and charted) with a format by its unit (dollars, %, plain);
monthly series by unit.

Text in them may come from a user's files (a scenario's name, a site, a plan, a group), so
every string cell goes through ``neutralise`` (OWASP's guidance on CSV injection): one that
begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading ``'`` and is
never taken for a formula by Excel, LibreOffice or Google Sheets. Numbers stay numbers.
``save_workbook`` does it to every cell of a workbook, ``csv_text``/``write_csv`` to the
text columns, column names and index of a table.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from simulator.outputs.formatting import money_symbol

BOLD = Font(bold=True)
MAX_ROWS = 1_048_000  # Excel's limit is 1,048,576 rows
# what makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """A string that a spreadsheet would read as a formula, with a leading ``'``; anything
    else (numbers, None, other text) as it is. Idempotent."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with its text cells, column names and text index neutralised;
    numeric columns untouched."""
    out = frame.copy()
    for i in range(out.shape[1]):
        column = out.iloc[:, i]
        if not pd.api.types.is_numeric_dtype(column):  # text, categories, mixed
            out.isetitem(i, column.map(neutralise))
    if not isinstance(out.columns, pd.MultiIndex):
        out.columns = pd.Index([neutralise(c) for c in out.columns], name=out.columns.name)
    if not isinstance(out.index, pd.MultiIndex) and not pd.api.types.is_numeric_dtype(out.index):
        out.index = pd.Index([neutralise(i) for i in out.index], name=out.index.name)
    return out


def csv_text(frame: pd.DataFrame, index: bool = False) -> str:
    """``frame`` as CSV text, neutralised (see the module's notes)."""
    return neutralise_frame(frame).to_csv(index=index)


def write_csv(frame: pd.DataFrame, path: Path, index: bool = False) -> None:
    """Write ``frame`` to ``path`` as CSV, neutralised (see the module's notes)."""
    neutralise_frame(frame).to_csv(path, index=index)


def save_workbook(wb: Workbook, path: Path) -> Path:
    """Neutralise every string cell of ``wb`` (see the module's notes), then save it."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.value = neutralise(cell.value)
    wb.save(path)
    return path


def number_format(unit: str) -> str:
    """The Excel number format of a unit."""
    if unit == "USD":
        return f'"{money_symbol()}"#,##0'
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
