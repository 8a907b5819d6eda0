"""The sweep result store: one DuckDB file, written as runs complete.

Tables:

- ``meta(key, value)``: the sweep's fingerprint, name, spec and package version;
- ``samples(sample_id, <parameter>...)``: the sampled parameter values;
- ``runs(run_id, sample_id, replication, seed, <parameter>..., status, error,
  wall_seconds, version, scenario_hash, finished_at)``: one row per finished run;
- ``kpis(run_id, kpi, value)``: one row per run and KPI (NULL where a KPI does not apply);
- ``monthly(run_id, month, series, value)``: the series named in ``keep_timeseries``.

Each batch of runs is written in one transaction, so a run is either wholly in the store or
not at all: a sweep killed at any moment loses only the runs in flight, and rerunning it
skips every run already stored. Parameter columns are named by their field path (quote
them in SQL: ``"policies.retraining.capacity_per_month"``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import threading
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

DB_NAME = "sweep.duckdb"
_SQL_TYPE = {"bool": "BOOLEAN", "int": "BIGINT", "float": "DOUBLE", "str": "VARCHAR"}


def quote(name: str) -> str:
    """A SQL identifier for ``name`` (field paths contain dots)."""
    return '"' + name.replace('"', '""') + '"'


class StoreError(RuntimeError):
    """The store cannot be opened or does not belong to this sweep."""


# A read-only connection reaches the store's own tables and nothing else: no files, no
# network, no extensions, bounded memory; then no progress bar on stderr, and the settings
# locked so that no query can change them.
LOCKED_DOWN: dict[str, str | bool | int | float | list[str]] = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
    "allow_unsigned_extensions": False,
    "memory_limit": "1GB",
    "threads": 2,
}


class SweepStore:
    """A sweep's DuckDB database. Use as a context manager or call ``close()``.

    ``read_only=True`` opens it locked down (:data:`LOCKED_DOWN`): queries see only the
    store's tables."""

    def __init__(self, folder: str | Path, read_only: bool = False) -> None:
        self.path = Path(folder) / DB_NAME
        if read_only and not self.path.is_file():
            raise StoreError(f"{folder}: no sweep results here (expected {DB_NAME})")
        try:
            config = dict(LOCKED_DOWN) if read_only else {}
            self.con = duckdb.connect(str(self.path), read_only=read_only, config=config)
            self.con.execute("SET enable_progress_bar = false")
            if read_only:
                self.con.execute("SET lock_configuration = true")
        except duckdb.Error as exc:
            raise StoreError(f"{self.path}: cannot open the sweep store ({exc})") from None

    def __enter__(self) -> SweepStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()

    # -- creating ---------------------------------------------------------------------------
    def initialise(
        self, meta: Mapping[str, Any], kinds: Mapping[str, str], samples: pd.DataFrame
    ) -> None:
        """Create the tables for a new sweep, or check an existing store is the same sweep.

        ``kinds`` maps each parameter path to its Python type name (bool, int, float, str).
        """
        existing = self.meta()
        if existing:
            if existing.get("fingerprint") != meta["fingerprint"]:
                raise StoreError(
                    f"{self.path.parent}: holds results of a different sweep "
                    f"({existing.get('name')!r}: another spec, base scenario or model "
                    "version); "
                    "expected the same spec to resume, or a new --out folder"
                )
            return
        params = ", ".join(f"{quote(p)} {_SQL_TYPE.get(k, 'VARCHAR')}" for p, k in kinds.items())
        params = params + ", " if params else ""
        self.con.begin()
        self.con.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
        self.con.execute(f"CREATE TABLE samples (sample_id BIGINT PRIMARY KEY, {params[:-2]})")
        self.con.execute(
            "CREATE TABLE runs (run_id BIGINT PRIMARY KEY, sample_id BIGINT, "
            f"replication INTEGER, seed BIGINT, {params}status VARCHAR, error VARCHAR, "
            "wall_seconds DOUBLE, version VARCHAR, scenario_hash VARCHAR, "
            "finished_at TIMESTAMP)"
        )
        self.con.execute("CREATE TABLE kpis (run_id BIGINT, kpi VARCHAR, value DOUBLE)")
        self.con.execute(
            "CREATE TABLE monthly (run_id BIGINT, month INTEGER, series VARCHAR, value DOUBLE)"
        )
        self._insert("samples", samples)
        rows = [(k, v if isinstance(v, str) else json.dumps(v)) for k, v in meta.items()]
        self.con.executemany("INSERT INTO meta VALUES (?, ?)", rows)
        self.con.commit()

    def _insert(self, table: str, frame: pd.DataFrame) -> None:
        if frame.empty:
            return
        self.con.register("_incoming", frame)
        try:
            self.con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _incoming")
        finally:
            self.con.unregister("_incoming")

    # -- writing ----------------------------------------------------------------------------
    def write(
        self,
        runs: list[dict[str, Any]],
        kpis: Iterable[tuple[int, str, float | None]],
        monthly: Iterable[tuple[int, int, str, float]] = (),
    ) -> None:
        """Store one batch of finished runs in a single transaction (replacing earlier
        attempts of the same runs, e.g. failed runs that were retried)."""
        if not runs:
            return
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        frame = pd.DataFrame(runs).assign(finished_at=now)
        ids = [int(r) for r in frame["run_id"]]
        self.con.begin()
        try:
            for table in ("runs", "kpis", "monthly"):
                self.con.execute(f"DELETE FROM {table} WHERE run_id IN (SELECT UNNEST(?))", [ids])
            self._insert("runs", frame)
            self._insert("kpis", pd.DataFrame(list(kpis), columns=["run_id", "kpi", "value"]))
            self._insert(
                "monthly",
                pd.DataFrame(list(monthly), columns=["run_id", "month", "series", "value"]),
            )
            self.con.commit()
        except BaseException:
            self.con.rollback()
            raise

    def ensure_tables(self, ddl: Mapping[str, str]) -> None:
        """Create each table ``name: columns`` that does not exist yet (an optimisation's
        candidates and cells beside the sweep tables)."""
        for name, columns in ddl.items():
            self.con.execute(f"CREATE TABLE IF NOT EXISTS {quote(name)} ({columns})")

    def extend(self, rows: Mapping[str, pd.DataFrame]) -> None:
        """Append rows to several tables in one transaction: all of them or none."""
        self.con.begin()
        try:
            for table, frame in rows.items():
                self._insert(quote(table), frame)
            self.con.commit()
        except BaseException:
            self.con.rollback()
            raise

    def set_meta(self, key: str, value: Any) -> None:
        text = value if isinstance(value, str) else json.dumps(value)
        self.con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, text])

    # -- reading ----------------------------------------------------------------------------
    def meta(self) -> dict[str, str]:
        """The meta table as a dict (empty for a new store)."""
        tables = {r[0] for r in self.con.execute("SHOW TABLES").fetchall()}
        if "meta" not in tables:
            return {}
        return dict(self.con.execute("SELECT key, value FROM meta").fetchall())

    def run_ids(self, status: str | None = None) -> set[int]:
        """Ids of stored runs (all, or those with ``status``)."""
        if not self.meta():
            return set()
        sql, args = "SELECT run_id FROM runs", []
        if status is not None:
            sql, args = sql + " WHERE status = ?", [status]
        return {int(r[0]) for r in self.con.execute(sql, args).fetchall()}

    def query(self, sql: str) -> pd.DataFrame:
        """Run SQL against the store and return the whole result."""
        return self.con.execute(sql).df()

    def stream(self, sql: str, timeout: float | None = None) -> QueryResult:
        """Run SQL and return its rows as a stream (nothing is fetched yet)."""
        return QueryResult(self.con, sql, timeout)

    def table(self, name: str) -> pd.DataFrame:
        return self.query(f"SELECT * FROM {quote(name)}")

    def wide(self) -> pd.DataFrame:
        """One row per run: run columns, then one column per KPI (NaN where none)."""
        runs = self.query("SELECT * FROM runs ORDER BY run_id")
        kpis = self.query("SELECT run_id, kpi, value FROM kpis")
        if kpis.empty:
            return runs
        table = kpis.pivot_table(index="run_id", columns="kpi", values="value", dropna=False)
        order = list(dict.fromkeys(kpis["kpi"]))
        table = table.reindex(columns=order)
        table.columns.name = None
        return runs.merge(table, left_on="run_id", right_index=True, how="left")


class QueryResult:
    """The rows of a query, fetched in chunks: a table shows the first rows, CSV streams all,
    and memory stays flat whatever the size of the result. A query still running after
    ``timeout`` seconds is interrupted (``duckdb.InterruptException``)."""

    CHUNK = 10_000

    def __init__(self, con: duckdb.DuckDBPyConnection, sql: str, timeout: float | None) -> None:
        self.timer = threading.Timer(timeout, con.interrupt) if timeout else None
        if self.timer is not None:
            self.timer.daemon = True
            self.timer.start()
        try:
            self.cursor = con.execute(sql)
        except BaseException:
            self.close()
            raise
        description = self.cursor.description or []
        self.columns = [d[0] for d in description]

    def close(self) -> None:
        if self.timer is not None:
            self.timer.cancel()

    def __enter__(self) -> QueryResult:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def head(self, limit: int) -> tuple[pd.DataFrame, bool]:
        """The first ``limit`` rows, and whether there are more."""
        if not self.columns:
            return pd.DataFrame(), False
        rows = self.cursor.fetchmany(limit + 1)
        return pd.DataFrame(rows[:limit], columns=self.columns), len(rows) > limit

    def csv_chunks(self) -> Iterator[str]:
        """Every row as CSV text (a header first), a chunk at a time."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(self.columns)
        while self.columns:
            rows = self.cursor.fetchmany(self.CHUNK)
            if not rows:
                break
            writer.writerows(rows)
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
        if buffer.tell():
            yield buffer.getvalue()
