"""One parameter type for everything that varies a scenario: sweeps, the robust search and
the EMA adapter.

A :class:`Parameter` is one concrete scenario field (``vendors.manila.wage_ratio``) with the
values it takes — a range ``low``–``high`` (sampled by ``distribution``) or a list of
``levels`` — and what the XLRM registry (``scenario/xlrm.py``) and the schema say of the
field: its ``role`` (lever, uncertainty or constant), ethical ``dimension``, ``unit`` and
``bounds``, and the ``kind`` of value it holds (real, integer, boolean or categorical, as its
value in the base scenario). Each user reads its own spec format into it and converts it to
its tool's type: a sweep to SALib's problem or a grid (``sweep/sampling.py``), the robust
search to Optuna distributions (``sweep/robust_search.py``), the EMA adapter to
``RealParameter``, ``IntegerParameter``, ``BooleanParameter`` or ``CategoricalParameter``
(``simulator/ema.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from simulator.scenario import xlrm
from simulator.scenario.paths import coerce, get_value


class ValueKind(StrEnum):
    """What a field holds, as samplers and optimisers tell their parameters apart."""

    real = "real"
    integer = "integer"
    boolean = "boolean"
    categorical = "categorical"


class ParameterError(ValueError):
    """A parameter cannot vary its field as asked. ``str()`` is the message (without the
    field path, which the caller names as its spec does)."""


def kind_of(value: Any) -> ValueKind:
    """The kind of a field from its value in a plain-data scenario."""
    if isinstance(value, bool):
        return ValueKind.boolean
    if isinstance(value, int):
        return ValueKind.integer
    if isinstance(value, float):
        return ValueKind.real
    return ValueKind.categorical


@dataclass(frozen=True)
class Parameter:
    """One scenario field and the values it takes: a range or levels."""

    path: str  # concrete: ``vendors.manila.wage_ratio``, ``plan.phases.1.shares.manila``
    kind: ValueKind
    role: xlrm.Kind | None  # lever, uncertainty or constant; None if the registry lacks it
    dimension: str  # ethical dimension, the plan or the context ('' if unknown)
    unit: str
    bounds: tuple[Any, Any]  # the schema's own (lower, upper); None where open
    base: Any  # the field's value in the base scenario: its type is the field's
    low: Any = None  # a range: lower and upper value, in the field's unit
    high: Any = None
    levels: tuple[Any, ...] | None = None  # or the values to take, in order
    distribution: str = "uniform"  # a range's: uniform, loguniform, triangular, truncnorm
    peak: float | None = None  # triangular
    mean: float | None = None  # truncnorm
    sd: float | None = None
    steps: int | None = None  # a grid over the range: evenly spaced points

    @classmethod
    def of(
        cls,
        path: str,
        base: Mapping[str, Any],
        *,
        levels: Iterable[Any] | None = None,
        range: tuple[Any, Any] | None = None,
        **sampling: Any,
    ) -> Parameter:
        """Field ``path`` of the plain-data scenario ``base`` taking ``levels`` or ``range``
        (``sampling``: distribution, peak, mean, sd, steps); with neither, every value the
        schema allows (its options, else its bounds). PathError if the scenario has no such
        field; ParameterError for a range on a text field."""
        value = get_value(base, path)
        entry = xlrm.field(path)
        kind = kind_of(value)
        bounds = (entry.low, entry.high) if entry else (None, None)
        if levels is None and range is None:
            if entry and entry.options:
                levels = entry.options
            else:
                range = bounds
        elif levels is None and isinstance(value, str):
            raise ParameterError("a text field takes levels: [...], not a range")
        low, high = range if levels is None and range is not None else (None, None)
        return cls(
            path,
            kind,
            entry.kind if entry else None,
            entry.dimension if entry else "",
            entry.unit if entry else "",
            bounds,
            value,
            low,
            high,
            None if levels is None else tuple(levels),
            **sampling,
        )

    @property
    def is_range(self) -> bool:
        return self.levels is None

    @property
    def type_name(self) -> str:
        """The Python type of the field's values (bool, int, float, str), as stores record
        it."""
        return type(self.base).__name__

    def coerce(self, value: Any) -> Any:
        """A sampled value in the field's own type (booleans from 0.5 up, integers rounded)."""
        return coerce(value, self.base)

    def extremes(self) -> list[Any]:
        """The values whose validity bounds every value this parameter can take."""
        return list(self.levels) if self.levels is not None else [self.low, self.high]

    def within_bounds(self, low: Any, high: Any) -> bool:
        """Whether ``low``–``high`` lies inside the schema's bounds."""
        lower, upper = self.bounds
        return not (lower is not None and low < lower or upper is not None and high > upper)


def concrete(role: xlrm.Kind, base: Mapping[str, Any]) -> list[Parameter]:
    """Every single-valued field of ``role`` in the plain-data scenario ``base``
    (``xlrm.concrete``: vendor fields once per vendor; phases and list-valued fields left
    out), each over every value the schema allows."""
    vendors = [v["name"] for v in base.get("vendors", [])]
    return [Parameter.of(path, base) for path, _ in xlrm.concrete(role, vendors, lists=False)]
