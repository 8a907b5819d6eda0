"""Your own company's data: a workforce roster and a home-region file.

**Roster** (``workforce.roster: roster.csv`` or ``.xlsx``, relative to the scenario file):
one row per in-house agent who would be affected, with these columns (header row; case and
spaces ignored, any order):

============================  ========  ======================================================
column                        required  meaning
============================  ========  ======================================================
``age``                       yes       age [years, 16-80]
``tenure_years``              yes       tenure with the company [years, 0-60, ≤ age − 14]
``wage_per_hour``             yes       hourly wage [USD/hour, 0.5-500]
``skill``                     no        general (portable) skill [index 0-1]; drawn if absent
``site``                      no        the centre the agent works at (text)
``paid_hours_per_month``      no        contracted hours, for part-timers [hours/month, 20-400]
``protected``                 no        protected from layoff (yes/no, true/false, 1/0)
``id``                        no        a label of your own; must be unique; used only in
                                        ``workers.csv`` of a run, never in reports
============================  ========  ======================================================

No names or other identifiers are needed.

**Rules for both files.** Every problem in a file is reported at once (the first 20, then
how many more), each as ``file: line N: column: what was expected`` — the file's own line,
the header being line 1. Numbers use ``.`` as the decimal point; a comma is read as a
thousands separator only where it cannot be a decimal comma (``1,250,000`` or
``1,250.5``); ``9,5`` or ``1,250`` is refused as ambiguous unless the scenario declares the
file's format (``workforce.roster_decimal`` or ``customers.volumes_decimal``: ``","`` for a
decimal comma, with ``.`` as thousands separator, or ``"."``). Texts may not hold control
characters. Limits: 50 MB on disk, an xlsx expanding to at most 250 MB (its texts to 25 MB),
50 columns, 1,000 characters per cell, 200,000 agents, 1,200 months.

**Contact volumes** (``customers.volumes: volumes.csv`` or ``.xlsx``): the history of
contacts, one row per month (columns ``month``, as ``2025-01`` or a number, and
``contacts``; an optional ``channel`` or ``contact_type`` column is summed over): each month
once per channel (once in all without a channel column), oldest first, consecutive, every
channel covering the same months, at least 6. The model forecasts the horizon from it
(``model/demand.py``) and both channels are staffed to that forecast.

**Region file** (``local_economy.region_file: region.yaml``): the home region's
``labour_force``, ``baseline_unemployment_rate``, ``vacancy_rate`` and
``average_wage_month`` — from the national statistics office's local-area series (see
docs/MODEL.md) — read when the scenario is loaded; no network access at run time.
"""

from __future__ import annotations

import difflib
import functools
import itertools
import math
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError, create_model

from simulator.scenario.reading import (
    CONTROL,
    ScenarioError,
    control_problem,
    quote,
    read_yaml,
)
from simulator.scenario.schema import LocalEconomy, RosterRow
from simulator.scenario.schema.base import Strict

if TYPE_CHECKING:  # pandas and numpy load on first read (the CLI starts without them)
    import pandas as pd

MAX_ROWS = 200_000  # the schema's largest headcount
MAX_BYTES = 50_000_000  # a roster or volumes file on disk
MAX_EXPANDED_BYTES = 250_000_000  # what an xlsx may expand to (all its zip members)
MAX_SHARED_STRINGS_BYTES = 25_000_000  # an xlsx's table of texts, expanded
MAX_ZIP_MEMBERS = 1_000
MAX_XML_RUN = 20_000  # bytes of an xlsx part between two tags (a cell's text, escaped)
MAX_COLUMNS = 50
MAX_CELL_CHARS = 1_000  # characters in one cell (ids and sites are short)
MAX_MONTHS = 1_200  # months of contact history (the schema's longest)
MAX_ERRORS = 20  # problems listed per file; the rest are counted
REQUIRED = ("age", "tenure_years", "wage_per_hour")
OPTIONAL = ("skill", "site", "paid_hours_per_month", "protected", "id")
REGION_FIELDS = ("labour_force", "baseline_unemployment_rate", "vacancy_rate", "average_wage_month")
_TRUE = {"yes", "true", "1", "y"}
_FALSE = {"no", "false", "0", "n", ""}
_PLAIN = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_POINT_GROUPED = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?")  # 1,250,000.5
_COMMA_PLAIN = re.compile(r"[+-]?(\d+,?\d*|,\d+)([eE][+-]?\d+)?")  # 9,5
_COMMA_GROUPED = re.compile(r"[+-]?\d{1,3}(\.\d{3})+(,\d*)?")  # 1.250.000,5
DECIMALS = (".", ",")


class RosterError(ValueError):
    """A roster or region file is unreadable or invalid. ``str()`` is the message."""


class _Problems:
    """The problems of one file: all are counted, the first MAX_ERRORS listed."""

    def __init__(self, path: Path) -> None:
        self.path, self.count = path, 0
        self.items: list[str] = []

    def add(self, line: int | None, column: str | None, message: str) -> None:
        self.count += 1
        if len(self.items) < MAX_ERRORS:
            where = "".join(
                [f"line {line}: " if line is not None else "", f"{column}: " if column else ""]
            )
            self.items.append(f"{self.path}: {where}{message}")

    def check(self) -> None:
        """RosterError listing the problems, if there are any."""
        if not self.count:
            return
        more = self.count - len(self.items)
        tail = [f"{self.path}: and {more:,} more problems ({self.count:,} in all)"] if more else []
        raise RosterError("\n".join(self.items + tail))


def _nearest(name: str, known: tuple[str, ...]) -> str:
    """' (did you mean X?)' for a name close to a known one ('' if none is)."""
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _column(name: Any) -> str:
    return re.sub(r"[\s\-]+", "_", str(name).strip().lower())


def _check_xlsx(path: Path) -> None:
    """Refuse an xlsx that would expand beyond the bounds, before anything parses it (the
    50 MB cap limits the compressed file, not what it expands to)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise RosterError(f"{path}: not an xlsx file (not a zip archive); expected XLSX") from None
    if len(members) > MAX_ZIP_MEMBERS:
        raise RosterError(
            f"{path}: holds {len(members):,} parts; expected an xlsx of at most {MAX_ZIP_MEMBERS:,}"
        )
    expanded = sum(m.file_size for m in members)
    if expanded > MAX_EXPANDED_BYTES:
        raise RosterError(
            f"{path}: expands to {expanded:,} bytes; expected an xlsx that expands to at most "
            f"{MAX_EXPANDED_BYTES:,} bytes"
        )
    for member in members:
        if member.filename.lower().endswith("sharedstrings.xml") and (
            member.file_size > MAX_SHARED_STRINGS_BYTES
        ):
            raise RosterError(
                f"{path}: its texts expand to {member.file_size:,} bytes; expected at most "
                f"{MAX_SHARED_STRINGS_BYTES:,} bytes (cells of at most {MAX_CELL_CHARS:,} "
                "characters)"
            )
    try:
        with zipfile.ZipFile(path) as archive:
            for member in members:
                if member.filename.lower().endswith((".xml", ".rels")):
                    _check_xml_runs(path, archive, member)
    except RosterError:
        raise
    except Exception:  # noqa: BLE001 - a broken member (bad CRC, bad deflate data)
        raise RosterError(
            f"{path}: a damaged xlsx (a part does not unpack); expected XLSX"
        ) from None


def _check_xml_runs(path: Path, archive: Any, member: Any) -> None:
    """Refuse an xlsx part holding a text longer than a cell may be, streaming it (a text
    between two tags never holds '<', so the longest run without '<' bounds every text)."""
    longest, carry = 0, 0
    with archive.open(member) as stream:
        while chunk := stream.read(1 << 20):
            pieces = chunk.split(b"<")
            if len(pieces) == 1:
                carry += len(chunk)
            else:
                longest = max(longest, carry + len(pieces[0]), *(len(p) for p in pieces[1:-1]))
                carry = len(pieces[-1])
            if max(longest, carry) > MAX_XML_RUN:
                raise RosterError(
                    f"{path}: {member.filename} holds a text of more than {MAX_XML_RUN:,} "
                    f"bytes; expected cells of at most {MAX_CELL_CHARS:,} characters"
                )


def _read_table(path: Path, what: str = "roster") -> pd.DataFrame:
    """The table of a csv or xlsx file: text cells (numbers of an xlsx as numbers), one row
    per line of the file after the header (blank lines included, as empty rows), bounded in
    size, columns, cell length and control characters."""
    import pandas as pd

    if not path.exists():
        raise RosterError(
            f"{path}: file not found (looked at {path.resolve()}); expected a {what} .csv or "
            ".xlsx file"
        )
    if not path.is_file():
        raise RosterError(f"{path}: is not a regular file; expected a {what} .csv or .xlsx file")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise RosterError(
            f"{path}: is {size:,} bytes; expected a {what} file of at most {MAX_BYTES:,} bytes"
        )
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx", ".xlsm"):
        raise RosterError(f"{path}: expected a .csv or .xlsx file")
    try:
        if suffix == ".csv":
            table = _read_csv(path, "agents" if what == "roster" else "rows")
        else:
            _check_xlsx(path)
            with pd.ExcelFile(path) as workbook:
                sheets = workbook.sheet_names
                table = pd.read_excel(workbook, dtype=object, keep_default_na=False)
    except RosterError:
        raise
    except UnicodeDecodeError as exc:
        raise RosterError(f"{path}: is not UTF-8 text (byte {exc.start}); expected CSV") from None
    except (ValueError, OSError, pd.errors.ParserError) as exc:
        raise RosterError(
            f"{path}: unreadable ({quote(exc)}); expected a CSV or XLSX table"
        ) from None
    except Exception as exc:  # noqa: BLE001 - openpyxl raises its own kinds on broken files
        raise RosterError(f"{path}: unreadable ({type(exc).__name__}); expected XLSX") from None
    if len(table.columns) > MAX_COLUMNS:
        raise RosterError(f"{path}: {len(table.columns):,} columns; expected at most {MAX_COLUMNS}")
    problems = _Problems(path)
    for name in table.columns:
        trouble = control_problem(str(name))
        if trouble:
            problems.add(1, None, f"header: {trouble}")
    problems.check()
    table.columns = [_column(c) for c in table.columns]
    if suffix != ".csv":
        table = table.map(_plain)
    if "__line__" in table.columns:  # a csv: each row's line in the file, as read
        table.index = table.pop("__line__").astype(int).to_numpy()
    else:
        table.index = range(2, len(table) + 2)  # the file's line (the header is line 1)
    for column in table.columns:
        texts = table[column].astype(str)
        flagged = (texts.str.len() > MAX_CELL_CHARS) | texts.str.contains(
            CONTROL.pattern, regex=True
        )
        for line, value in texts[flagged].items():
            if len(value) > MAX_CELL_CHARS:
                problems.add(
                    line,
                    column,
                    f"{len(value):,} characters; expected at most {MAX_CELL_CHARS:,}",
                )
            elif trouble := control_problem(value):
                problems.add(line, column, trouble)
    if suffix != ".csv" and (table == "").to_numpy().any():
        for line, column, formula in _unsaved_formulas(path):
            problems.add(
                line,
                _column(table.columns[column]) if column < len(table.columns) else None,
                f"a formula with no saved value ({quote(formula)}); expected a value: save "
                "the file in a spreadsheet program (which stores each formula's value) or type "
                "the value",
            )
    problems.check()
    table = table[~(table == "").all(axis=1)]
    if suffix != ".csv" and len(sheets) > 1:
        table.attrs["sheet"] = (
            f" (of its {len(sheets)} sheets, the first, {quote(sheets[0])}, is read)"
        )
    return table


def _unsaved_formulas(path: Path) -> list[tuple[int, int, str]]:
    """(line, column index, formula) of each formula of the first sheet of an xlsx with no
    saved value (a file written by a program, not saved by a spreadsheet: read as empty)."""
    import openpyxl

    found: list[tuple[int, int, str]] = []
    values = openpyxl.load_workbook(path, read_only=True, data_only=True)
    formulas = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        pairs = zip(
            values.worksheets[0].iter_rows(values_only=True),
            formulas.worksheets[0].iter_rows(values_only=True),
            strict=False,
        )
        for line, (saved, written) in enumerate(pairs, start=1):
            for column, (value, text) in enumerate(zip(saved, written, strict=False)):
                if value is None and isinstance(text, str) and text.startswith("="):
                    found.append((line, column, text))
    finally:
        values.close()
        formulas.close()
    return found


def _read_csv(path: Path, rows_are: str = "rows") -> pd.DataFrame:
    """A csv file's table as text, every row with as many fields as the header: a row with
    more or fewer (an unquoted comma inside a number, a lost field) is refused with its line,
    never shifted into the wrong columns. Each row keeps the line it starts on (a quoted cell
    may span lines) in a ``__line__`` column."""
    import csv

    with path.open(encoding="utf-8-sig", newline="") as handle:  # a BOM, as Excel writes
        reader = csv.reader(handle)
        try:
            return _csv_rows(path, reader, rows_are)
        except csv.Error as exc:
            if "field larger" in str(exc):
                what = (
                    f"a value of more than {csv.field_size_limit():,} characters; expected "
                    f"cells of at most {MAX_CELL_CHARS:,} characters"
                )
            elif "new-line" in str(exc):
                what = (
                    "a line break inside an unquoted value; expected each row on one line, "
                    "or the value in double quotes"
                )
            else:
                what = f"malformed CSV ({quote(exc)})"
            raise RosterError(f"{path}: line {reader.line_num}: {what}") from None


def _csv_rows(path: Path, reader: Any, rows_are: str) -> pd.DataFrame:
    """The rows of ``reader`` (``_read_csv``)."""
    import pandas as pd

    problems = _Problems(path)
    header: list[str] = next(reader, [])
    if len(header) == 1 and (mark := next((m for m in ";\t|" if m in header[0]), None)):
        raise RosterError(
            f"{path}: line 1: fields separated by {mark!r}; expected commas (a spreadsheet "
            "saves them with 'CSV (comma delimited)' or 'CSV UTF-8'), or an .xlsx file"
        )
    rows: list[list[str]] = []
    lines: list[int] = []
    total, start = 0, reader.line_num + 1
    for row in reader:
        if not row:  # a blank line: an empty row, as the rest of the table reads it
            row = [""] * len(header)
        elif len(row) != len(header):
            problems.add(
                start,
                None,
                f"{len(row)} fields; expected {len(header)} like the header (a comma "
                "inside a value must be quoted; a decimal comma must be declared)",
            )
        total += 1
        if total <= MAX_ROWS:  # beyond that the rows are only counted (the caller says)
            rows.append(row[: len(header)] + [""] * (len(header) - len(row)))
            lines.append(start)
        start = reader.line_num + 1
    if total > MAX_ROWS:
        raise RosterError(f"{path}: {total:,} {rows_are}; expected at most {MAX_ROWS:,}")
    repeated = sorted({c for c in header if header.count(c) > 1})
    for name in repeated:
        problems.add(1, None, f"column {quote(name)} appears more than once; expected it once")
    problems.check()
    table = pd.DataFrame(rows, columns=header, dtype=str)
    table["__line__"] = lines
    return table


def _plain(value: Any) -> Any:
    """A cell as text, or as a number if the file stored a number (an xlsx)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return "" if isinstance(value, float) and math.isnan(value) else value
    return str(value)


def _shown(value: Any) -> str:
    return quote(value) if isinstance(value, str) else repr(value)


def _decimal_hint(field: str) -> str:
    return (
        f"write it with '.' as the decimal point (9.5) and no thousands separator, or declare "
        f"the file's format in the scenario: {field}: ',' (decimal comma) or '.' (decimal point)"
    )


def _number(text: str, decimal: str | None, field: str) -> float:
    """A number written as text, by the declared decimal mark (None: undeclared, and then a
    comma that could be either a decimal comma or a thousands separator is refused)."""
    if _PLAIN.fullmatch(text) and (decimal != "," or "." not in text):
        return float(text)
    if decimal == ",":
        if _COMMA_GROUPED.fullmatch(text):
            return float(text.replace(".", "").replace(",", "."))
        if _COMMA_PLAIN.fullmatch(text):
            return float(text.replace(",", "."))
        raise ValueError(
            f"expected a number with ',' as the decimal point ({field}: ','), got {quote(text)}"
        )
    if _POINT_GROUPED.fullmatch(text) and (decimal == "." or "." in text or text.count(",") >= 2):
        return float(text.replace(",", ""))
    if (
        "," in text
        and decimal is None
        and (_COMMA_PLAIN.fullmatch(text) or _POINT_GROUPED.fullmatch(text))
    ):
        raise ValueError(
            f"{quote(text)} is ambiguous (a decimal comma or a thousands separator?); "
            + _decimal_hint(field)
        )
    raise ValueError(f"expected a number, got {quote(text)}")


def _cell(column: str, value: Any, decimal: str | None = None, field: str = "decimal") -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    else:
        text = str(value).strip()
        if column in ("site", "id"):
            return text or None
        if column == "protected":
            low = text.lower()
            if low in _TRUE:
                return True
            if low in _FALSE:
                return False
            raise ValueError(f"expected yes or no, got {quote(text)}")
        if text == "":
            return None
        number = _number(text, decimal, field)
    if column in ("site", "id"):
        return f"{number:g}"
    if column == "protected":
        if number in (0, 1):
            return bool(number)
        raise ValueError(f"expected yes or no, got {quote(value)}")
    if not math.isfinite(number):
        raise ValueError(f"expected a finite number, got {quote(value)}")
    return number


def read_roster(path: str | Path, decimal: str | None = None) -> list[dict[str, Any]]:
    """The agents of a roster file, checked row by row (RosterError listing every problem,
    each with file, line and column; ``decimal``: the declared decimal mark, if any)."""
    path = Path(path)
    table = _read_table(path)
    field = "workforce.roster_decimal"
    unknown = [c for c in table.columns if c not in REQUIRED + OPTIONAL]
    if unknown:
        raise RosterError(
            f"{path}: line 1: unknown column {quote(unknown[0])}"
            f"{_nearest(unknown[0], REQUIRED + OPTIONAL)}; expected the columns "
            f"{', '.join(REQUIRED)} and optionally {', '.join(OPTIONAL)}"
            + table.attrs.get("sheet", "")
        )
    missing = [c for c in REQUIRED if c not in table.columns]
    if missing:
        raise RosterError(
            f"{path}: line 1: no column {missing[0]!r}; expected {', '.join(REQUIRED)}"
            + table.attrs.get("sheet", "")
        )
    if len(table) == 0:
        raise RosterError(f"{path}: no agents (only a header); expected one row per agent")
    if len(table) > MAX_ROWS:
        raise RosterError(f"{path}: {len(table):,} agents; expected at most {MAX_ROWS:,}")
    problems = _Problems(path)
    rows: list[dict[str, Any]] = []
    seen: dict[str, int] = {}  # id -> the line that first used it
    for line, record in zip(table.index, table.to_dict("records"), strict=True):
        values, bad = {}, False
        for column, text in record.items():
            try:
                values[column] = _cell(column, text, decimal, field)
            except ValueError as exc:
                problems.add(line, column, str(exc))
                bad = True
        for column in REQUIRED:
            if column in values and values[column] is None:
                problems.add(line, column, "missing; expected a value")
                bad = True
        try:
            row = RosterRow.model_validate({k: v for k, v in values.items() if v is not None})
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                column = ".".join(str(p) for p in err["loc"])
                given = values.get(column)
                shown = quote(given) if isinstance(given, str) else repr(given)
                if err["type"] != "missing":  # a missing value is reported above
                    problems.add(line, column, f"{err['msg']} (got {shown})")
            continue
        if bad:
            continue
        if row.tenure_years > row.age - 14:
            problems.add(
                line,
                "tenure_years",
                f"{row.tenure_years:g} years at age {row.age:g}; expected at most age − 14",
            )
        if row.id is not None:
            if row.id in seen:
                problems.add(
                    line, "id", f"{quote(row.id)} repeats line {seen[row.id]}; expected unique ids"
                )
            else:
                seen[row.id] = line
        rows.append(row.model_dump(exclude_none=True))
    problems.check()
    return rows


VOLUME_COLUMNS = ("month", "contacts", "channel", "contact_type")
MIN_HISTORY = 6  # months of volume history the forecast needs


def _month(value: Any) -> tuple[str, int]:
    """A month as ("number", n) or ("month", ordinal of the calendar month)."""
    import pandas as pd

    if isinstance(value, int) and not isinstance(value, bool):
        return "number", value
    if isinstance(value, float) and value.is_integer():
        return "number", int(value)
    text = str(value).strip()
    if text.isdigit() and len(text) <= 6:
        return "number", int(text)
    if not re.fullmatch(r"[0-9A-Za-z ./:\-]{4,40}", text):
        raise ValueError(f"expected a month like 2025-01 or a number, got {quote(value)}")
    try:
        return "month", int(pd.Period(text, freq="M").ordinal)
    except Exception:  # noqa: BLE001 - pandas' date parser raises many kinds
        raise ValueError(f"expected a month like 2025-01 or a number, got {quote(value)}") from None


def read_volumes(path: str | Path, decimal: str | None = None) -> list[float]:
    """Monthly contacts, oldest first, from a volumes file (RosterError listing every problem
    with file, line and column). Months are unique per channel (if there is a channel
    column), consecutive and oldest first; each channel covers the same months; channels
    are summed."""
    path = Path(path)
    table = _read_table(path, "contact volumes")
    field = "customers.volumes_decimal"
    unknown = [c for c in table.columns if c not in VOLUME_COLUMNS]
    if unknown:
        raise RosterError(
            f"{path}: line 1: unknown column {quote(unknown[0])}"
            f"{_nearest(unknown[0], VOLUME_COLUMNS)}; expected month and contacts "
            "(and optionally channel or contact_type)" + table.attrs.get("sheet", "")
        )
    for column in ("month", "contacts"):
        if column not in table.columns:
            raise RosterError(
                f"{path}: line 1: no column {column!r}; expected month and contacts"
                + table.attrs.get("sheet", "")
            )
    channels = [c for c in ("channel", "contact_type") if c in table.columns]
    if len(channels) > 1:
        raise RosterError(f"{path}: line 1: both channel and contact_type; expected one of them")
    if len(table) > MAX_MONTHS * 20:
        raise RosterError(
            f"{path}: {len(table):,} rows; expected at most {MAX_MONTHS:,} months (of at most 20 "
            "channels)"
        )
    problems = _Problems(path)
    kinds: dict[str, int] = {}  # kind of month -> first line
    by_channel: dict[str, list[tuple[int, int, float]]] = {}  # channel -> (line, month, n)
    for line, record in zip(table.index, table.to_dict("records"), strict=True):
        channel = str(record[channels[0]]).strip() if channels else ""
        month = record["month"]
        ok = True
        if str(month).strip() == "":
            problems.add(line, "month", "missing; expected e.g. 2025-01")
            ok = False
        else:
            try:
                kind, number = _month(month)
            except ValueError as exc:
                problems.add(line, "month", str(exc))
                ok = False
            else:
                kinds.setdefault(kind, line)
        try:
            value = _cell("contacts", record["contacts"], decimal, field)
        except ValueError as exc:
            problems.add(line, "contacts", str(exc))
            continue
        if value is None or value < 0 or value > 1e12:
            problems.add(
                line,
                "contacts",
                f"expected a number from 0 to 1e12, got {quote(record['contacts'])}",
            )
            continue
        if ok:
            by_channel.setdefault(channel, []).append((line, number, value))
    if len(kinds) > 1:
        problems.add(
            max(kinds.values()),
            "month",
            f"a month number mixed with calendar months (line {min(kinds.values())}); expected "
            "one kind",
        )
    problems.check()
    named = (lambda c: f"{channels[0]} {quote(c)}: ") if channels else (lambda c: "")
    for channel, entries in by_channel.items():
        first: dict[int, int] = {}
        for line, month, _ in entries:
            if month in first:
                problems.add(
                    line,
                    "month",
                    f"{named(channel)}month repeats line {first[month]}; expected each month "
                    "once"
                    + (
                        " per channel"
                        if channels
                        else " (add a channel column if the rows are different kinds of contact)"
                    ),
                )
            else:
                first[month] = line
        steps = [b[1] - a[1] for a, b in itertools.pairwise(entries)]
        if len(steps) > 1 and all(step == -1 for step in steps):
            problems.add(
                entries[0][0],
                "month",
                f"{named(channel)}the months run newest first ({_month_text(entries[0][1], kinds)}"
                f" down to {_month_text(entries[-1][1], kinds)}); expected oldest first",
            )
            continue
        for (_, before, _), (line, month, _) in itertools.pairwise(entries):
            if month not in (before, before + 1):
                problems.add(
                    line,
                    "month",
                    f"{named(channel)}follows {_month_text(before, kinds)} with "
                    f"{_month_text(month, kinds)}; expected consecutive months, oldest first, "
                    "none missing",
                )
    problems.check()
    months = {c: [m for _, m, _ in e] for c, e in by_channel.items()}
    if channels and len({tuple(m) for m in months.values()}) > 1:
        spans = "; ".join(
            f"{quote(c)}: {_month_text(m[0], kinds)} to {_month_text(m[-1], kinds)}"
            for c, m in months.items()
        )
        raise RosterError(
            f"{path}: {channels[0]}: the channels cover different months ({spans}); expected "
            "every channel to cover the same months"
        )
    history = [0.0] * (len(next(iter(months.values()))) if months else 0)
    for entries in by_channel.values():
        for i, (_, _, value) in enumerate(entries):
            history[i] += value
    if len(history) < MIN_HISTORY:
        raise RosterError(
            f"{path}: {len(history)} months of contacts; expected at least {MIN_HISTORY}"
        )
    if len(history) > MAX_MONTHS:
        raise RosterError(
            f"{path}: {len(history):,} months of contacts; expected at most {MAX_MONTHS:,}"
        )
    return history


def _month_text(month: int, kinds: dict[str, int]) -> str:
    if "month" in kinds:
        import pandas as pd

        return str(pd.Period(ordinal=month, freq="M"))
    return str(month)


def read_region(path: str | Path) -> dict[str, Any]:
    """The home region's values from a YAML file (RosterError naming the file and field)."""
    path = Path(path)
    try:
        data = read_yaml(path, "region")
    except ScenarioError as exc:
        text = str(exc).replace("mapping of sections", "mapping of region values")
        raise RosterError(text) from None
    unknown = [k for k in data if k not in (*REGION_FIELDS, "source", "period")]
    if unknown:
        raise RosterError(
            f"{path}: {str(unknown[0])[:80]}: unknown field"
            f"{_nearest(str(unknown[0]), REGION_FIELDS)}; expected {', '.join(REGION_FIELDS)} "
            "(and optionally source and period, as notes)"
        )
    given = {k: data[k] for k in REGION_FIELDS if k in data}
    try:
        values = _region_model().model_validate(given)
    except ValidationError as exc:
        raise RosterError(
            "\n".join(
                f"{path}: {'.'.join(str(p) for p in err['loc'])}: {err['msg']} "
                f"(got {_shown(err['input'])}); expected the value as in the scenario's "
                "local_economy (see `outsim schema`)"
                for err in exc.errors(include_url=False)
            )
        ) from None
    return {k: getattr(values, k) for k in given}


@functools.cache
def _region_model() -> type[BaseModel]:
    """A region file's fields, each checked as the scenario's ``local_economy`` checks it."""
    fields = LocalEconomy.model_fields
    return create_model(  # type: ignore[call-overload]
        "Region", __base__=Strict, **{k: (fields[k].annotation, fields[k]) for k in REGION_FIELDS}
    )
