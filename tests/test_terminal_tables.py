"""Terminal tables keep every number whole on a narrow terminal (no ``$14.4…``): number
columns are as wide as their longest value; text columns wrap, and a table too wide for the
terminal is printed as several tables."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from rich.console import Console
from rich.table import Table

from simulator.analysis.kpis import HEADLINE, KPI_BY_NAME
from simulator.cli.common import fmt, print_table
from simulator.cli.runs import summary_table
from simulator.outputs.formatting import change, span
from simulator.sweep.store import SweepStore

from .reliability_helpers import outsim as run_outsim

PARAM = "vendors.manila.wage_ratio"
LONG_KPIS = [
    "npv_net_savings",
    "vendor_share_paid_fair",
    "local_unemployment_peak_change_pp",
    "displaced_workers",
    "customer_churn_annual",
    "breach_probability_annual",
]


@pytest.fixture(scope="module")
def big_sweep(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store (written without running the model) with money values in the tens of
    millions and long KPI names."""
    import pandas as pd

    folder = tmp_path_factory.mktemp("tables") / "sweep"
    folder.mkdir()
    rows = [
        {
            "run_id": i,
            "sample_id": i,
            "replication": 0,
            "seed": i,
            PARAM: 1.0,
            "status": "ok",
            "error": None,
            "wall_seconds": 1.0,
            "version": "t",
            "scenario_hash": "h",
        }
        for i in range(5)
    ]
    kpis = [(i, "npv_net_savings", -14_412_345.6 * (i + 1)) for i in range(5)]
    kpis += [(i, k, 0.1234 * (i + 1)) for i in range(5) for k in LONG_KPIS[1:]]
    with SweepStore(folder) as store:
        store.initialise(
            {"fingerprint": "x", "name": "big", "spec": {"outputs": LONG_KPIS}},
            {PARAM: "float"},
            pd.DataFrame({"sample_id": range(5), PARAM: [1.0] * 5}),
        )
        store.write(rows, kpis)
    return folder


def outsim(*args: str, width: int, cwd: Path) -> str:
    result = run_outsim(*args, cwd=cwd, timeout=120, env={"COLUMNS": str(width), "LINES": "50"})
    assert result.code == 0, result.err
    return result.out


@pytest.mark.integration
@pytest.mark.parametrize("width", [80, 50])
def test_sweep_results_prints_every_number_whole(big_sweep: Path, width: int) -> None:
    text = outsim("sweep-results", str(big_sweep), width=width, cwd=big_sweep.parent)
    rows = list(
        csv.DictReader(
            io.StringIO(
                outsim("sweep-results", str(big_sweep), "--csv", width=width, cwd=big_sweep.parent)
            )
        )
    )
    assert len(rows) == len(LONG_KPIS)
    assert "…" not in text
    assert max(len(line) for line in text.splitlines()) <= width
    for row in rows:
        for stat in ("mean", "sd", "p05", "p95"):
            value = fmt(float(row[stat]), row["unit"])
            assert value in text, (value, text)


def headline_summary(with_base: bool) -> dict:
    kpis = {}
    for i, name in enumerate(HEADLINE):
        unit = KPI_BY_NAME[name].unit
        big = -14_412_345.678 if unit == "USD" else 0.123456 * (i + 1)
        kpis[name] = {"mean": big, "p05": big * 1.7, "p95": big * 0.3, "unit": unit}
    summary: dict = {
        "scenario": "a_plan_with_a_rather_long_name_for_a_narrow_terminal",
        "replications": 10,
        "kpis": kpis,
        "scorecard": {"fair_to_workers": 61.0, "privacy": None},
    }
    if with_base:
        summary["status_quo"] = {n: {"mean": k["mean"] * 0.9} for n, k in kpis.items()}
        summary["effects"] = {n: {"mean": k["mean"] * 0.1} for n, k in kpis.items()}
    return summary


def printed(table: Table, width: int) -> str:
    buffer = io.StringIO()
    print_table(table, Console(file=buffer, width=width, color_system=None))
    return buffer.getvalue()


@pytest.mark.parametrize("width", [40, 60, 80, 120])
@pytest.mark.parametrize("with_base", [True, False])
def test_run_kpi_table_prints_every_number_whole(width: int, with_base: bool) -> None:
    summary = headline_summary(with_base)
    text = printed(summary_table(summary), width)
    assert "…" not in text
    assert max(len(line) for line in text.splitlines()) <= width
    for name in HEADLINE:
        k = summary["kpis"][name]
        expected = [fmt(k["mean"], k["unit"])]
        if with_base:
            expected += [
                fmt(summary["status_quo"][name]["mean"], k["unit"]),
                change(summary["effects"][name]["mean"], k["unit"]),
            ]
        else:
            expected.append(span(k["p05"], k["p95"], k["unit"]))
        for value in expected:
            assert value in text, (value, text)
    assert "61/100" in text


def test_a_wide_table_fits_as_several() -> None:
    t = Table(title="title", caption="caption")
    t.add_column("name")
    for c in range(8):
        t.add_column(f"c{c}", justify="right")
    t.add_row("label", *(f"$1{c},234,567.89" for c in range(8)))
    text = printed(t, 60)
    assert text.count("title") == 1 and text.count("caption") == 1
    assert text.count("label") >= 2
    for c in range(8):
        assert f"$1{c},234,567.89" in text
    assert max(len(line) for line in text.splitlines()) <= 60
