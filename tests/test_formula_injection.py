"""Hostile text from a user's files never becomes a live formula in a spreadsheet outsim
writes (issue 25, class 1): a cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return is written with a leading ``'`` (OWASP's CSV-injection guidance), in every
``.xlsx`` and ``.csv`` of a results and a comparison folder; numbers stay numbers."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

import simulator
from simulator.analysis.compare import compare
from simulator.outputs.compare.report import save_comparison
from simulator.outputs.workbooks import FORMULA_STARTS, csv_text, neutralise, neutralise_frame

from .conftest import ROOT

HOSTILE = ['=HYPERLINK("http://example.com","x")', "+1", "-2-3", "@SUM(1)", "\tcmd"]


# -- the neutraliser ---------------------------------------------------------------------
@given(st.text())
def test_neutralise_is_idempotent_and_never_starts_a_formula(text: str) -> None:
    once = neutralise(text)
    assert neutralise(once) == once
    assert not once.startswith(FORMULA_STARTS)
    assert once == text or once == "'" + text
    if not text.startswith(FORMULA_STARTS):
        assert once == text


@given(st.one_of(st.integers(), st.floats(allow_nan=False), st.booleans(), st.none()))
def test_neutralise_never_changes_numbers(value: object) -> None:
    assert neutralise(value) is value


@pytest.mark.parametrize("text", HOSTILE)
def test_each_trigger_gets_a_quote(text: str) -> None:
    assert neutralise(text) == "'" + text


def test_a_frame_keeps_its_numbers_and_quotes_its_text() -> None:
    frame = pd.DataFrame(
        {"=name": HOSTILE, "value": [-1.5, -2.0, 3.0, -4.0, 0.0], "n": [-1, 2, -3, 4, 5]}
    )
    frame["cat"] = pd.Categorical(HOSTILE)
    out = neutralise_frame(frame)
    assert list(out.columns) == ["'=name", "value", "n", "cat"]
    assert list(out["'=name"]) == ["'" + t for t in HOSTILE]
    assert list(out["cat"]) == ["'" + t for t in HOSTILE]
    assert out["value"].tolist() == frame["value"].tolist()
    assert out["n"].dtype == frame["n"].dtype
    rows = list(csv.reader(csv_text(frame).splitlines()))
    assert rows[1][:3] == ["'" + HOSTILE[0], "-1.5", "-1"]
    assert frame.columns[0] == "=name"  # the caller's frame is left as it was


def test_every_writer_goes_through_the_neutraliser() -> None:
    """No spreadsheet or CSV is written past ``outputs/workbooks.py``: a new writer that
    calls pandas' ``to_csv`` or openpyxl's ``save`` directly fails here. (``sweep/store.py``
    streams query results for ``outsim sweep-results --csv``; not a file in a folder.)"""
    allowed = {ROOT / "simulator" / "outputs" / "workbooks.py", ROOT / "simulator/sweep/store.py"}
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for folder in ("outputs", "sweep")
        for path in sorted((ROOT / "simulator" / folder).rglob("*.py"))
        if path not in allowed
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if ".to_csv(" in line or "wb.save(" in line or "csv.writer(" in line
    ]
    assert not found, found


# -- whole folders ------------------------------------------------------------------------
def _scenario(folder: Path, name: str) -> Path:
    """A 30-agent company whose roster's sites, and the scenario's name and description,
    look like formulas."""
    # a tab in a roster cell is refused at load (issue 25, class 2): sites carry the others
    sites = [h if not h.startswith("\t") else "-cmd" for h in HOSTILE] * 6
    roster = pd.DataFrame(
        {
            "id": [f"x{i}" for i in range(30)],
            "site": sites,
            "age": [20 + i for i in range(30)],
            "tenure_years": [0.5 * i for i in range(30)],
            "wage_per_hour": [15 + 0.25 * i for i in range(30)],
            "paid_hours_per_month": [160] * 30,
            "protected": ["no"] * 30,
        }
    )
    roster.to_csv(folder / "roster.csv", index=False)
    data = {
        "extends": str(ROOT / "scenarios" / "default.yaml"),
        "simulation": {
            "name": name,
            "description": HOSTILE[0] + " " + HOSTILE[4],
            "horizon_months": 24,
        },
        "customers": {"count": 3000},
        "local_economy": {"labour_force": 30000},
        "workforce": {"roster": "roster.csv", "paid_hours_per_month": 160},
    }
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def _check_folder(folder: Path) -> tuple[int, int, set[str]]:
    """Every cell of every .xlsx and .csv in ``folder``: no string starts a formula. Returns
    how many negative numbers were seen as numbers (xlsx) and as numeric text (csv), and the
    quoted strings of the workbooks."""
    negative_cells = negative_csv = 0
    quoted: set[str] = set()
    books = sorted(folder.rglob("*.xlsx"))
    tables = sorted(folder.rglob("*.csv"))
    assert books and tables
    for book in books:
        wb = load_workbook(book)
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    v = cell.value
                    if isinstance(v, str):
                        assert not v.startswith(FORMULA_STARTS), (book.name, ws.title, v)
                        assert cell.data_type != "f", (book.name, ws.title, v)
                        if v.startswith("'"):
                            quoted.add(v)
                    elif isinstance(v, int | float) and not isinstance(v, bool) and v < 0:
                        negative_cells += 1
    for table in tables:
        with table.open(newline="", encoding="utf-8") as fh:
            for row in csv.reader(fh):
                for value in row:
                    if value.startswith(FORMULA_STARTS):
                        # only a number may start with a sign: it is read as a number
                        float(value)
                        negative_csv += value.startswith("-")
    return negative_cells, negative_csv, quoted


@pytest.mark.integration
def test_results_and_comparison_folders_hold_no_live_formula(tmp_path: Path) -> None:
    first = simulator.load_scenario(_scenario(tmp_path, "-2-3"))
    assert first.name == "-2-3"

    run = tmp_path / "run"
    simulator.run(first, replications=2, seed=1).save(run)
    groups = pd.read_csv(run / "groups.csv", dtype=str)
    assert "'" + HOSTILE[0] in set(groups["group"]), set(groups["group"])  # the sites are there
    cells, numbers, quoted = _check_folder(run)
    assert cells > 0 and numbers > 0  # negative numbers stayed numbers
    # every site, in "Who is affected" (the roster reader strips the tab of "\tcmd")
    assert {"'" + t for t in HOSTILE[:4]} <= quoted

    # two plans of one name are labelled by their file names: here, hostile ones
    comparison = compare([first, first], replications=2, seed=1, labels=[HOSTILE[1], HOSTILE[3]])
    out = save_comparison(comparison, tmp_path / "comparison")
    table = pd.read_csv(out / "comparison.csv", dtype=str)
    assert {"'" + HOSTILE[1], "'" + HOSTILE[3]} <= set(table["plan"])
    cells, numbers, quoted = _check_folder(out)
    assert cells > 0 and numbers > 0
    assert {"'" + HOSTILE[1], "'" + HOSTILE[3]} <= quoted


def test_sweep_results_csv_neutralises_query_text_but_keeps_numbers() -> None:
    """``outsim sweep-results --csv --sql`` streams rows through the same neutraliser: a
    text value that looks like a formula is quoted, a negative number stays a number."""
    import duckdb

    from simulator.outputs.workbooks import neutralise
    from simulator.sweep.store import QueryResult

    con = duckdb.connect()
    sql = (
        "SELECT '=HYPERLINK(1)' AS \"@name\", -2.5 AS value, '+1' AS t "
        "UNION ALL SELECT 'ok', 3, 'x'"
    )
    rows = list(
        csv.reader("".join(QueryResult(con, sql, None).csv_chunks(neutralise)).splitlines())
    )
    assert rows[0] == ["'@name", "value", "t"]
    assert sorted(rows[1:]) == sorted([["'=HYPERLINK(1)", "-2.5", "'+1"], ["ok", "3.0", "x"]])
