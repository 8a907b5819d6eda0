"""Numbers as people read them: units, signs, ranges.

One place decides how every report, comparison, spreadsheet caption and terminal table
writes a number: money in the scenario's currency (millions from 100,000: ``$3.93M``,
``£1.20M``), shares as percentages, changes with a sign (a real minus sign, −) and changes of
shares in percentage points, ranges as "a to b" (never "-17.7% – -11.8%").

Money fields carry the unit ``USD`` in the schema and the KPI registry: it means "the
scenario's currency" (``company.currency``, default USD), which a writer sets around its work
with :func:`in_currency`; every figure of a scenario is in that one currency.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

MINUS = "−"
PERCENT_UNITS = ("share", "probability")


def _nan(value: float) -> bool:
    return isinstance(value, float) and math.isnan(value)


def _sign(text: str) -> str:
    return text.replace("-", MINUS)


def is_percent(unit: str) -> bool:
    return unit.startswith(PERCENT_UNITS)


# symbols of the currencies a case is likely to use; any other ISO code is written before
SYMBOLS = {"USD": "$", "GBP": "£", "EUR": "€", "AUD": "A$", "NZD": "NZ$", "CAD": "C$"}
_CURRENCY: ContextVar[str] = ContextVar("currency", default="USD")


@contextmanager
def in_currency(code: str) -> Iterator[None]:
    """Write money in ``code`` (an ISO 4217 code) inside the block."""
    token = _CURRENCY.set(code)
    try:
        yield
    finally:
        _CURRENCY.reset(token)


def currency() -> str:
    """The ISO code money is written in now."""
    return _CURRENCY.get()


def money_symbol() -> str:
    """``$``, ``£``, ``€``, or the code and a space (``INR ``)."""
    code = _CURRENCY.get()
    return SYMBOLS.get(code, f"{code} ")


def millions_label() -> str:
    """An axis's unit for money in millions: ``USD millions``, ``GBP millions``."""
    return f"{_CURRENCY.get()} millions"


def _dollars(size: float, millions: bool | None = None) -> str:
    """An unsigned amount of money: millions from 100,000 (or as ``millions`` says)."""
    if millions is None:
        millions = size >= 1e5
    sign = money_symbol()
    return f"{sign}{size / 1e6:,.2f}M" if millions else f"{sign}{size:,.0f}"


def number(value: float | None, unit: str, millions: bool | None = None) -> str:
    """A level: ``$3.93M``, ``73.1%``, ``2.10``, ``1,204``; "n/a" when missing."""
    if value is None or _nan(value):
        return "n/a"
    if math.isinf(value):
        return "∞" if value > 0 else f"{MINUS}∞"
    if unit == "USD":
        return (MINUS if value < 0 else "") + _dollars(abs(value), millions)
    if is_percent(unit):
        return _sign(f"{100 * value:.1f}%")
    if unit == "percentage points":
        return _sign(f"{value:.2f} points")
    if abs(value) >= 1000:
        return _sign(f"{value:,.0f}")
    return _sign(f"{value:,.2f}")


def percent(value: float | None, digits: int = 0) -> str:
    """A share as a rounded percentage: ``74%``."""
    if value is None or _nan(value):
        return "n/a"
    return _sign(f"{100 * value:.{digits}f}%")


def amount(value: float, unit: str, millions: bool | None = None) -> str:
    """The size of a difference, unsigned: ``$1.73M``, ``11.0 points`` (of a 0-100 score),
    ``3.5 points`` (of a share: percentage points), ``111``."""
    size = abs(value)
    if unit == "USD":
        return _dollars(size, millions)
    if is_percent(unit):
        return f"{100 * size:.1f} points"
    if unit == "percentage points":
        return f"{size:.2f} points"
    if unit in ("0-100", "0-100 points"):
        return f"{size:.1f} points"
    if size >= 1000:
        return f"{size:,.0f}"
    return f"{size:,.2f}"


def change(value: float | None, unit: str, millions: bool | None = None) -> str:
    """A difference, always signed: ``+$1.73M``, ``−11.0 points``, ``+111``."""
    if value is None or _nan(value):
        return "n/a"
    size = amount(value, unit, millions)
    if not any(c in "123456789" for c in size):  # rounds to zero: no sign
        return "±" + size
    sign = "+" if value > 0 else (MINUS if value < 0 else "±")
    return sign + size


def span(low: float | None, high: float | None, unit: str, signed: bool = False) -> str:
    """A range: ``$1.52M to $6.34M``, ``−17.7% to −11.8%``, ``−$1.04M to +$0.02M`` (both
    ends of a range of money on one scale); "n/a" when missing."""
    if low is None or high is None or _nan(low) or _nan(high):
        return "n/a"
    write = change if signed else number
    millions = max(abs(low), abs(high)) >= 1e5 if unit == "USD" else None
    return f"{write(low, unit, millions)} to {write(high, unit, millions)}"


def plural(count: float, one: str, many: str | None = None) -> str:
    """``1 audit``, ``2 audits``."""
    many = many or one + "s"
    shown = f"{count:g}" if isinstance(count, float) else str(count)
    return f"{shown} {one if count == 1 else many}"
