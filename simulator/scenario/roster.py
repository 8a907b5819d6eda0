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

No names or other identifiers are needed. Each problem is reported as
``file: row N: column: what was expected`` (row 1 is the first agent, below the header).

**Contact volumes** (``customers.volumes: volumes.csv`` or ``.xlsx``): the history of
contacts, one row per month (columns ``month``, as ``2025-01`` or a number, and
``contacts``; an optional ``channel`` or ``contact_type`` column is summed over), oldest
first, consecutive months, at least 6. The model forecasts the horizon from it
(``model/demand.py``) and both channels are staffed to that forecast.

**Region file** (``local_economy.region_file: region.yaml``): the home region's
``labour_force``, ``baseline_unemployment_rate``, ``vacancy_rate`` and
``average_wage_month`` — from the national statistics office's local-area series (see
docs/MODEL.md) — read when the scenario is loaded; no network access at run time.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from simulator.scenario.reading import ScenarioError, read_yaml
from simulator.scenario.schema import RosterRow

if TYPE_CHECKING:  # pandas and numpy load on first read (the CLI starts without them)
    import pandas as pd

MAX_ROWS = 200_000  # the schema's largest headcount
MAX_BYTES = 50_000_000
REQUIRED = ("age", "tenure_years", "wage_per_hour")
OPTIONAL = ("skill", "site", "paid_hours_per_month", "protected", "id")
REGION_FIELDS = ("labour_force", "baseline_unemployment_rate", "vacancy_rate", "average_wage_month")
_TRUE = {"yes", "true", "1", "y"}
_FALSE = {"no", "false", "0", "n", ""}


class RosterError(ValueError):
    """A roster or region file is unreadable or invalid. ``str()`` is the message."""


def _column(name: Any) -> str:
    return re.sub(r"[\s\-]+", "_", str(name).strip().lower())


def _read_table(path: Path, what: str = "roster") -> pd.DataFrame:
    import pandas as pd

    if not path.exists():
        raise RosterError(f"{path}: file not found; expected a {what} .csv or .xlsx file")
    if not path.is_file():
        raise RosterError(f"{path}: is not a regular file; expected a {what} .csv or .xlsx file")
    if path.stat().st_size > MAX_BYTES:
        raise RosterError(f"{path}: larger than {MAX_BYTES:,} bytes; expected a {what} file")
    try:
        if path.suffix.lower() == ".csv":
            return pd.read_csv(path, dtype=str, keep_default_na=False, nrows=MAX_ROWS + 1)
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            return pd.read_excel(path, dtype=str, keep_default_na=False, nrows=MAX_ROWS + 1)
    except (ValueError, OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise RosterError(f"{path}: unreadable ({exc}); expected a CSV or XLSX table") from None
    except Exception as exc:  # noqa: BLE001 - openpyxl raises its own kinds on broken files
        raise RosterError(f"{path}: unreadable ({type(exc).__name__}); expected XLSX") from None
    raise RosterError(f"{path}: expected a .csv or .xlsx file")


def _cell(column: str, text: str) -> Any:
    text = str(text).strip()
    if column in ("site", "id"):
        return text or None
    if column == "protected":
        low = text.lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        raise ValueError(f"expected yes or no, got {text!r}")
    if text == "":
        return None
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        raise ValueError(f"expected a number, got {text!r}") from None
    if not math.isfinite(value):
        raise ValueError(f"expected a finite number, got {text!r}")
    return value


def read_roster(path: str | Path) -> list[dict[str, Any]]:
    """The agents of a roster file, checked row by row (RosterError naming file, row and
    column)."""
    path = Path(path)
    table = _read_table(path)
    table.columns = [_column(c) for c in table.columns]
    unknown = [c for c in table.columns if c not in REQUIRED + OPTIONAL]
    if unknown:
        raise RosterError(
            f"{path}: unknown column {unknown[0]!r}; expected the columns "
            f"{', '.join(REQUIRED)} and optionally {', '.join(OPTIONAL)}"
        )
    missing = [c for c in REQUIRED if c not in table.columns]
    if missing:
        raise RosterError(f"{path}: no column {missing[0]!r}; expected {', '.join(REQUIRED)}")
    if len(table) == 0:
        raise RosterError(f"{path}: no agents (only a header); expected one row per agent")
    if len(table) > MAX_ROWS:
        raise RosterError(f"{path}: more than {MAX_ROWS:,} agents; expected fewer")
    rows: list[dict[str, Any]] = []
    seen: dict[str, int] = {}  # id -> the row that first used it
    for i, record in enumerate(table.to_dict("records"), start=1):
        values = {}
        for column, text in record.items():
            try:
                values[column] = _cell(column, text)
            except ValueError as exc:
                raise RosterError(f"{path}: row {i}: {column}: {exc}") from None
        for column in REQUIRED:
            if values.get(column) is None:
                raise RosterError(f"{path}: row {i}: {column}: missing; expected a value")
        try:
            row = RosterRow.model_validate({k: v for k, v in values.items() if v is not None})
        except ValidationError as exc:
            err = exc.errors(include_url=False)[0]
            column = ".".join(str(p) for p in err["loc"])
            raise RosterError(
                f"{path}: row {i}: {column}: {err['msg']} (got {values.get(column)!r})"
            ) from None
        if row.tenure_years > row.age - 14:
            raise RosterError(
                f"{path}: row {i}: tenure_years: {row.tenure_years:g} years at age "
                f"{row.age:g}; expected at most age − 14"
            )
        if row.id is not None:
            if row.id in seen:
                raise RosterError(
                    f"{path}: row {i}: id: {row.id!r} repeats row {seen[row.id]}; expected "
                    "unique ids"
                )
            seen[row.id] = i
        rows.append(row.model_dump(exclude_none=True))
    return rows


MIN_HISTORY = 6  # months of volume history the forecast needs


def read_volumes(path: str | Path) -> list[float]:
    """Monthly contacts, oldest first, from a volumes file (RosterError naming the file, row
    and column)."""
    import numpy as np
    import pandas as pd

    path = Path(path)
    table = _read_table(path, "contact volumes")
    table.columns = [_column(c) for c in table.columns]
    unknown = [
        c for c in table.columns if c not in ("month", "contacts", "channel", "contact_type")
    ]
    if unknown:
        raise RosterError(
            f"{path}: unknown column {unknown[0]!r}; expected month and contacts "
            "(and optionally channel or contact_type)"
        )
    for column in ("month", "contacts"):
        if column not in table.columns:
            raise RosterError(f"{path}: no column {column!r}; expected month and contacts")
    values = []
    for i, (month, text) in enumerate(zip(table["month"], table["contacts"], strict=True), 1):
        if not str(month).strip():
            raise RosterError(f"{path}: row {i}: month: missing; expected e.g. 2025-01")
        try:
            value = _cell("contacts", text)
        except ValueError as exc:
            raise RosterError(f"{path}: row {i}: contacts: {exc}") from None
        if value is None or value < 0:
            raise RosterError(f"{path}: row {i}: contacts: expected a number ≥ 0, got {text!r}")
        values.append((str(month).strip(), value))
    frame = pd.DataFrame(values, columns=["month", "contacts"])
    monthly = frame.groupby("month", sort=False)["contacts"].sum()
    keys = list(monthly.index)
    try:
        order = pd.PeriodIndex(keys, freq="M") if not all(k.isdigit() for k in keys) else None
    except (ValueError, TypeError):
        raise RosterError(f"{path}: month: expected months like 2025-01 or numbers") from None
    if order is not None:
        steps = np.diff(order.asi8) if len(order) > 1 else np.array([])
        if (steps != 1).any():
            at = int(np.flatnonzero(steps != 1)[0]) + 2
            raise RosterError(
                f"{path}: month {keys[at - 1]}: expected consecutive months, "
                "oldest first, none missing"
            )
    elif len(keys) > 1 and (np.diff([int(k) for k in keys]) != 1).any():
        raise RosterError(f"{path}: month: expected consecutive month numbers, oldest first")
    if len(monthly) < MIN_HISTORY:
        raise RosterError(
            f"{path}: {len(monthly)} months of contacts; expected at least {MIN_HISTORY}"
        )
    return [float(v) for v in monthly]


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
            f"{path}: {unknown[0]}: unknown field; expected {', '.join(REGION_FIELDS)} "
            "(and optionally source and period, as notes)"
        )
    return {k: data[k] for k in REGION_FIELDS if k in data}
