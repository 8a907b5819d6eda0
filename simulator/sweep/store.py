"""The sweep result store: one DuckDB file, written as runs complete.

Tables:

- ``meta(key, value)``: the sweep's fingerprint, name, spec and package version;
- ``samples(sample_id, <parameter>...)``: the sampled parameter values;
- ``runs(run_id, sample_id, replication, seed, <parameter>..., status, error,
  wall_seconds, version, scenario_hash, finished_at)``: one row per finished run;
- ``kpis(run_id, kpi, value)``: one row per run and KPI (NULL where a KPI does not apply);
- ``monthly(run_id, month, series, value)``: the series named in ``keep_timeseries``.

``meta`` also holds ``store_format``, the version of this layout (:data:`STORE_FORMAT`).
Before use, every store is checked (:meth:`SweepStore.check`): each table present with its
columns of the right kinds, and the meta a sweep's. A store written before the marker is
read if its tables are right; one written by a newer outsim, another program's database or a
damaged file is refused with a :class:`StoreError` naming the file and what is wrong.

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
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

DB_NAME = "sweep.duckdb"
STORE_FORMAT = 1
_SQL_TYPE = {"bool": "BOOLEAN", "int": "BIGINT", "float": "DOUBLE", "str": "VARCHAR"}


def quote(name: str) -> str:
    """A SQL identifier for ``name`` (field paths contain dots)."""
    return '"' + name.replace('"', '""') + '"'


class StoreError(RuntimeError):
    """The store cannot be opened or does not belong to this sweep."""


def shown(value: object, limit: int = 80) -> str:
    """A name or value from a store for a message: quoted with its control characters
    escaped (``repr``), and at most ``limit`` characters of it."""
    text = str(value)
    return repr(text[:limit]) + ("…" if len(text) > limit else "")


def _first_line(exc: BaseException, limit: int = 200) -> str:
    line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return shown(line, limit)[1:-1]


_INT = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT"}
_INT |= {"U" + t for t in _INT}
_KINDS: dict[str, tuple[str, Any]] = {
    "integer": ("an integer", lambda t: t in _INT),
    "number": ("a number", lambda t: t in _INT | {"FLOAT", "DOUBLE"} or t.startswith("DECIMAL")),
    "text": ("text (VARCHAR)", lambda t: t == "VARCHAR"),
    "time": ("a timestamp", lambda t: t.startswith("TIMESTAMP")),
}
# The columns every store's tables have (parameter columns come on top), by kind.
SCHEMA: dict[str, dict[str, str]] = {
    "meta": {"key": "text", "value": "text"},
    "samples": {"sample_id": "integer"},
    "runs": {
        "run_id": "integer",
        "sample_id": "integer",
        "replication": "integer",
        "seed": "integer",
        "status": "text",
        "error": "text",
        "wall_seconds": "number",
        "version": "text",
        "scenario_hash": "text",
        "finished_at": "time",
    },
    "kpis": {"run_id": "integer", "kpi": "text", "value": "number"},
    "monthly": {"run_id": "integer", "month": "integer", "series": "text", "value": "number"},
}


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
        if self.path.exists() and not self.path.is_file():
            raise StoreError(f"{self.path}: not a sweep store (expected a DuckDB file)")
        if read_only and not self.path.is_file():
            raise StoreError(f"{folder}: no sweep results here (expected {DB_NAME})")
        try:
            config = dict(LOCKED_DOWN) if read_only else {}
            self.con = duckdb.connect(str(self.path), read_only=read_only, config=config)
        except duckdb.Error as exc:
            raise StoreError(
                f"{self.path}: cannot open the sweep store ({_first_line(exc)})"
            ) from None
        try:
            self.con.execute("SET enable_progress_bar = false")
            if read_only:
                self.con.execute("SET lock_configuration = true")
            self.check(new_ok=not read_only)
        except BaseException as exc:
            self.con.close()
            if isinstance(exc, duckdb.Error):
                raise StoreError(
                    f"{self.path}: cannot read the sweep store ({_first_line(exc)})"
                ) from None
            raise

    def check(self, new_ok: bool = False) -> None:
        """Refuse (StoreError) a store that is not an outsim sweep store of a format this
        version reads: a table or column missing or of another kind, meta without the
        sweep's fingerprint and spec, or a newer store format. With ``new_ok`` a database
        with no tables at all passes (a store about to be created)."""
        rows = self.con.execute(
            "SELECT c.table_name, c.column_name, c.data_type FROM duckdb_columns() c "
            "JOIN duckdb_tables() t ON c.table_oid = t.table_oid "
            "WHERE t.database_name = current_database() AND t.schema_name = 'main'"
        ).fetchall()
        columns: dict[str, dict[str, str]] = {}
        for table, column, kind in rows:
            columns.setdefault(table, {})[column] = kind
        if not columns and new_ok:
            return
        where = f"{self.path}: not an outsim sweep store"
        for table, expected in SCHEMA.items():
            if table not in columns:
                raise StoreError(f"{where}: it has no table {table!r}")
            for column, kind in expected.items():
                what, fits = _KINDS[kind]
                if column not in columns[table]:
                    raise StoreError(f"{where}: table {table!r} has no column {column!r}")
                if not fits(columns[table][column]):
                    raise StoreError(
                        f"{where}: column {column!r} of table {table!r} is "
                        f"{shown(columns[table][column], 40)}; expected {what}"
                    )
        meta = self.meta()
        fmt = str(meta.get("store_format", "1"))
        if not re.fullmatch(r"[0-9]{1,6}", fmt):
            raise StoreError(f"{where}: meta store_format is {shown(fmt)}; expected a number")
        if int(fmt) > STORE_FORMAT:
            raise StoreError(
                f"{self.path}: written by a newer outsim (store format {int(fmt)}; this "
                f"version reads format {STORE_FORMAT} and older); upgrade outsim to read it"
            )
        if not meta.get("fingerprint"):
            raise StoreError(f"{where}: its meta table has no fingerprint")
        try:
            spec = json.loads(meta.get("spec") or "")
        except (ValueError, TypeError, RecursionError):
            spec = None
        outputs = spec.get("outputs") if isinstance(spec, dict) else None
        if not isinstance(spec, dict) or not (
            outputs is None
            or (isinstance(outputs, list) and all(isinstance(o, str) for o in outputs))
        ):
            raise StoreError(f"{where}: its meta spec is not a sweep spec")

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
        meta = {"store_format": STORE_FORMAT, **meta}
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
        """Run SQL against the store and return the whole result (a damaged store's
        read errors raise StoreError)."""
        try:
            return self.con.execute(sql).df()
        except duckdb.Error as exc:
            if isinstance(exc, duckdb.InterruptException):
                raise
            raise StoreError(
                f"{self.path}: cannot read the sweep store ({_first_line(exc)})"
            ) from None

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
        clash = sorted(set(kpis["kpi"].dropna()) & set(runs.columns))
        if clash:
            raise StoreError(
                f"{self.path}: not an outsim sweep store: table 'kpis' names a KPI "
                f"{shown(clash[0])}, a column of table 'runs'"
            )
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

    def csv_chunks(self, cell: Callable[[Any], Any] | None = None) -> Iterator[str]:
        """Every row as CSV text (a header first), a chunk at a time; ``cell`` (if given)
        transforms every value and header first (the CLI neutralises formula-like text)."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        show = cell or (lambda v: v)
        writer.writerow([show(c) for c in self.columns])
        while self.columns:
            rows = self.cursor.fetchmany(self.CHUNK)
            if not rows:
                break
            writer.writerows([show(v) for v in row] for row in rows)
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
        if buffer.tell():
            yield buffer.getvalue()
