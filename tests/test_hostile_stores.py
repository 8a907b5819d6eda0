"""Foreign or damaged sweep stores: another program's DuckDB file, one with the right table
names but other columns, hostile names, a text file, an empty or truncated file, a folder, a
store of a newer outsim. Every reader refuses it with exit 2 and one message naming the file
and what is wrong: no traceback, no raw control character, nothing written."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.sweep.store import DB_NAME, STORE_FORMAT, StoreError, SweepStore

from .reliability_helpers import assert_refused, outsim, snapshot

PARAM = "vendors.manila.wage_ratio"
RED = "\x1b[31m"


def valid_store(folder: Path, runs: int = 4) -> Path:
    """A small, valid sweep store written without running the model."""
    folder.mkdir(parents=True, exist_ok=True)
    meta = {
        "fingerprint": "abc",
        "name": "small",
        "spec": {"outputs": ["npv_net_savings", "csat_mean"], "parameters": {}},
        "version": "test",
        "complete": True,
    }
    samples = pd.DataFrame({"sample_id": range(runs), PARAM: [0.9 + 0.1 * i for i in range(runs)]})
    rows = [
        {
            "run_id": i,
            "sample_id": i,
            "replication": 0,
            "seed": 100 + i,
            PARAM: 0.9 + 0.1 * i,
            "status": "ok",
            "error": None,
            "wall_seconds": 1.0,
            "version": "test",
            "scenario_hash": "h",
        }
        for i in range(runs)
    ]
    kpis = [(i, "npv_net_savings", 1e6 * (i - 1.5)) for i in range(runs)]
    kpis += [(i, "csat_mean", 0.7 + 0.01 * i) for i in range(runs)]
    with SweepStore(folder) as store:
        store.initialise(meta, {PARAM: "float"}, samples)
        store.write(rows, kpis)
    return folder


def execute(folder: Path, *statements: str) -> Path:
    """``folder`` after ``statements`` ran on its database (made if there is none)."""
    folder.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(folder / DB_NAME))
    for sql in statements:
        con.execute(sql)
    con.close()
    return folder


def foreign(folder: Path, *statements: str) -> Path:
    """A DuckDB file made by someone else: ``statements`` run on a new database."""
    return execute(folder, *statements)


SWEEP_TABLES = ("meta", "samples", "runs", "kpis", "monthly")


def other_columns(folder: Path) -> Path:
    return foreign(folder, *(f"CREATE TABLE {t} (x INTEGER, y VARCHAR)" for t in SWEEP_TABLES))


def altered(*statements: str) -> Callable[[Path], Path]:
    """A damage: a valid store with ``statements`` run on it afterwards."""

    def damage(folder: Path) -> Path:
        return execute(valid_store(folder), *statements)

    return damage


hostile_name = altered(
    f'ALTER TABLE kpis RENAME COLUMN kpi TO "kpi{RED}{"x" * 200}"',
    f'CREATE TABLE "evil{RED}table" (a INTEGER)',
)
wrong_kind = altered("ALTER TABLE kpis ALTER value TYPE VARCHAR")
runs_is_a_view = altered(
    "CREATE TABLE runs2 AS SELECT * FROM runs",
    "DROP TABLE runs",
    "CREATE VIEW runs AS SELECT * FROM runs2",
)
meta_without_fingerprint = altered("DELETE FROM meta WHERE key = 'fingerprint'")
meta_spec_garbage = altered(f"UPDATE meta SET value = '{RED}[' WHERE key = 'spec'")
kpi_named_like_a_column = altered("UPDATE kpis SET kpi = 'status' WHERE kpi = 'csat_mean'")
newer_format = altered(f"UPDATE meta SET value = '{STORE_FORMAT + 1}' WHERE key = 'store_format'")


def escape_table_only(folder: Path) -> Path:
    return foreign(folder, f'CREATE TABLE "{RED}runs" (run_id INTEGER)')


def missing_tables(folder: Path) -> Path:
    return foreign(folder, "CREATE TABLE meta (key VARCHAR, value VARCHAR)")


def empty_database(folder: Path) -> Path:
    return foreign(folder)


def text_file(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / DB_NAME).write_text(f"not a database {RED}\n" * 100, encoding="utf-8")
    return folder


def empty_file(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / DB_NAME).touch()
    return folder


def truncated(folder: Path) -> Path:
    valid_store(folder / "whole")
    data = (folder / "whole" / DB_NAME).read_bytes()
    shutil.rmtree(folder / "whole")
    (folder / DB_NAME).write_bytes(data[: len(data) // 3])
    return folder


def a_directory(folder: Path) -> Path:
    (folder / DB_NAME).mkdir(parents=True)
    return folder


HOSTILE: dict[str, tuple[Callable[[Path], Path], str]] = {
    "other-columns": (other_columns, "table 'meta' has no column 'key'"),
    "hostile-column-name": (hostile_name, "table 'kpis' has no column 'kpi'"),
    "escape-in-table-name": (escape_table_only, "no table 'meta'"),
    "missing-tables": (missing_tables, "no table 'samples'"),
    "wrong-column-kind": (wrong_kind, "column 'value' of table 'kpis' is 'VARCHAR'"),
    "runs-is-a-view": (runs_is_a_view, "no table 'runs'"),
    "no-fingerprint": (meta_without_fingerprint, "no fingerprint"),
    "garbage-spec": (meta_spec_garbage, "not a sweep spec"),
    "newer-format": (newer_format, "newer outsim"),
    "kpi-named-status": (kpi_named_like_a_column, "names a KPI 'status'"),
    "empty-database": (empty_database, "no table 'meta'"),
    "text-file": (text_file, "cannot open the sweep store"),
    "empty-file": (empty_file, "cannot open the sweep store"),
    "truncated": (truncated, "the sweep store"),
    "directory": (a_directory, "not a sweep store"),
}
# damaged in their content only: a SQL query on their (right) tables still works
TABLES_FINE = {"kpi-named-status"}
COMMANDS = {
    "sweep-results": ["sweep-results", "{f}"],
    "sweep-results-sql": ["sweep-results", "{f}", "--sql", "SELECT * FROM runs"],
    "sweep-results-csv": ["sweep-results", "{f}", "--csv"],
    "discover": ["discover", "{f}", "--kpi", "npv_net_savings", "--below", "0"],
}


def assert_one_clean_message(text: str, folder: Path) -> None:
    assert "Traceback" not in text
    assert "\x1b" not in text, repr(text)
    assert str(folder / DB_NAME) in text or f"{folder.name}: no sweep" in text
    assert len(text.strip().splitlines()) <= 3, text


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("case", HOSTILE)
def test_readers_refuse_a_foreign_or_damaged_store(tmp_path: Path, case: str, command: str) -> None:
    make, expected = HOSTILE[case]
    folder = make(tmp_path / "store")
    before = snapshot(tmp_path)
    args = [a.format(f=folder) for a in COMMANDS[command]]

    result = outsim(*args, cwd=tmp_path)

    if case in TABLES_FINE and command == "sweep-results-sql":
        assert result.code == 0, result.err  # its tables are right: a query reads them
        assert snapshot(tmp_path) == before
        return
    assert_refused(result, expected)
    assert_one_clean_message(result.err, folder)
    assert result.out == ""
    assert snapshot(tmp_path) == before


@pytest.mark.integration
@pytest.mark.parametrize("case", ["other-columns", "hostile-column-name", "text-file"])
def test_a_real_process_prints_no_escape_byte(tmp_path: Path, case: str) -> None:
    make, expected = HOSTILE[case]
    folder = make(tmp_path / "store")
    before = snapshot(tmp_path)
    for args in (COMMANDS["sweep-results"], COMMANDS["discover"]):
        proc = subprocess.run(
            [sys.executable, "-m", "simulator.cli", *(a.format(f=folder) for a in args)],
            cwd=tmp_path,
            capture_output=True,
            timeout=120,
            stdin=subprocess.DEVNULL,
        )
        err = proc.stderr.decode("utf-8", "replace")
        assert proc.returncode == 2, err
        assert b"\x1b" not in proc.stderr + proc.stdout
        assert expected in err
        assert_one_clean_message(err, folder)
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        ("DELETE FROM samples WHERE sample_id = 0", "has no sample 0"),
        (
            "CREATE TABLE s2 AS SELECT * FROM samples; DROP TABLE samples; "
            "CREATE TABLE samples AS SELECT * FROM s2 UNION ALL SELECT * FROM s2 "
            "WHERE sample_id = 1; DROP TABLE s2",
            "a sample_id twice",
        ),
    ],
)
def test_discover_refuses_runs_without_their_sample(
    tmp_path: Path, damage: str, expected: str
) -> None:
    folder = execute(valid_store(tmp_path / "store"), damage)
    before = snapshot(tmp_path)
    result = outsim(*(a.format(f=folder) for a in COMMANDS["discover"]), cwd=tmp_path)
    assert_refused(result, expected, "damaged sweep store")
    assert snapshot(tmp_path) == before


def test_long_hostile_names_are_quoted_short(tmp_path: Path) -> None:
    folder = foreign(
        tmp_path / "store",
        *(f"CREATE TABLE {t} (x INTEGER)" for t in SWEEP_TABLES if t != "meta"),
        f'CREATE TABLE meta ("{RED}{"k" * 500}" VARCHAR)',
    )
    with pytest.raises(StoreError) as info:
        SweepStore(folder, read_only=True)
    message = str(info.value)
    assert "\x1b" not in message and len(message) < 300, message


@pytest.mark.parametrize("case", ["other-columns", "wrong-column-kind", "no-fingerprint"])
def test_a_sweep_refuses_to_write_into_a_foreign_store(tmp_path: Path, case: str) -> None:
    make, expected = HOSTILE[case]
    folder = make(tmp_path / "store")
    before = snapshot(tmp_path)
    with pytest.raises(StoreError, match=expected):
        SweepStore(folder)
    assert snapshot(tmp_path) == before


def test_a_store_without_the_format_marker_is_still_read(tmp_path: Path) -> None:
    folder = execute(valid_store(tmp_path / "old"), "DELETE FROM meta WHERE key = 'store_format'")
    with SweepStore(folder, read_only=True) as store:
        assert "store_format" not in store.meta()
        assert len(store.wide()) == 4
    result = outsim("sweep-results", folder, "--csv", cwd=tmp_path)
    assert result.code == 0, result.err
    assert "npv_net_savings" in result.out


def test_a_new_store_records_its_format(tmp_path: Path) -> None:
    with SweepStore(valid_store(tmp_path / "new"), read_only=True) as store:
        assert json.loads(store.meta()["store_format"]) == STORE_FORMAT


@pytest.fixture(scope="module")
def store_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    folder = valid_store(tmp_path_factory.mktemp("valid") / "store")
    return (folder / DB_NAME).read_bytes()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_damaged_bytes_open_or_raise_a_store_error(
    tmp_path_factory: pytest.TempPathFactory, store_bytes: bytes, data: st.DataObject
) -> None:
    damaged = bytearray(store_bytes)
    edits = data.draw(
        st.lists(
            st.tuples(
                st.integers(0, 16383) | st.integers(0, len(damaged) - 1), st.integers(0, 255)
            ),
            min_size=1,
            max_size=16,
        )
    )
    for at, value in edits:
        damaged[at] = value
    cut = data.draw(st.one_of(st.none(), st.integers(0, len(damaged))))
    folder = tmp_path_factory.mktemp("damaged")
    (folder / DB_NAME).write_bytes(bytes(damaged[:cut]))
    try:
        with SweepStore(folder, read_only=True) as store:
            store.wide()
            store.table("samples")
    except StoreError as exc:
        assert "\x1b" not in str(exc) and str(folder / DB_NAME) in str(exc)
