"""``region.xlsx``: the regional brief as a spreadsheet — the bottom line and the headline
figures with their 95% intervals, each firm's figures (with the region and alone), and the
region's monthly series (mean over replications)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from simulator.analysis.region import FIRM_KPIS, REGION_KPIS, RegionResults
from simulator.model.region import REGION_METRICS
from simulator.outputs.formatting import in_currency
from simulator.outputs.region import written_unit
from simulator.outputs.workbooks import BOLD, add_sheet, number_format, save_workbook


def _format(unit: str) -> str:
    return number_format(written_unit(unit))


def write_region_workbook(results: RegionResults, bottom_line: str, path: Path) -> Path:
    """Write ``region.xlsx`` for ``results`` (money in the region's currency)."""
    with in_currency(results.region.currency):
        return _write(results, bottom_line, path)


def _write(results: RegionResults, bottom_line: str, path: Path) -> Path:
    s = results.summary
    wb = Workbook()
    wb.remove(wb.active)
    ws = wb.create_sheet("Bottom line")
    ws.append([bottom_line])
    ws["A1"].font = Font(bold=True, size=12)
    ws.append([])
    ws.append(["Figure", "Mean", "95% low", "95% high", "Unit", "What it measures"])
    for cell in ws[ws.max_row]:
        cell.font = BOLD
    for kpi, (unit, meaning) in REGION_KPIS.items():
        e = s[kpi]
        ws.append([kpi, e["mean"], e["ci95_low"], e["ci95_high"], unit, meaning])
        for cell in ws[ws.max_row][1:4]:
            cell.number_format = _format(unit)
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["F"].width = 70

    header = ["Firm", "Replication", *FIRM_KPIS]
    rows = results.firms[["firm", "replication", *FIRM_KPIS]].itertuples(index=False)
    add_sheet(wb, "Firms", header, rows, widths=[18, 12])
    if results.alone is not None:
        rows = results.alone[["firm", "replication", *FIRM_KPIS]].itertuples(index=False)
        add_sheet(wb, "Firms alone", header, rows, widths=[18, 12])

    metrics = [m for m in REGION_METRICS if m != "month" and m in results.series.columns]
    means = results.series.groupby("month")[metrics].mean().reset_index()
    formats = [None, *(_format(REGION_METRICS[m][0]) for m in metrics)]
    add_sheet(
        wb,
        "Monthly (mean)",
        ["month", *metrics],
        means.itertuples(index=False, name=None),
        formats,
    )
    return save_workbook(wb, path)
