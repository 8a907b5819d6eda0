"""Field paths into a scenario, as sweeps name them: ``policies.retraining.capacity_per_month``.

A path is dot-separated. Mappings are entered by key; lists by position (``plan.phases.1``)
or, for named items such as vendors, by name (``vendors.manila.wage_ratio``). Paths are
resolved against the plain-data form of a scenario (every default filled in), so any field
the schema documents can be named even when the scenario file leaves it out.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any


class PathError(KeyError):
    """A field path does not name a field of the scenario. ``args[0]`` is the message."""

    def __str__(self) -> str:
        return str(self.args[0])


def _step(node: Any, part: str, walked: str) -> tuple[Any, Any]:
    """The child ``part`` of ``node`` and the key that reaches it in ``node``."""
    if isinstance(node, Mapping):
        if part in node:
            return node[part], part
        choices = ", ".join(sorted(map(str, node))) or "none"
        raise PathError(f"{walked or 'scenario'} has no field {part!r}; expected one of {choices}")
    if isinstance(node, list):
        if part.isdigit() and int(part) < len(node):
            return node[int(part)], int(part)
        for i, item in enumerate(node):
            if isinstance(item, Mapping) and item.get("name") == part:
                return item, i
        names = [str(it["name"]) for it in node if isinstance(it, Mapping) and "name" in it]
        expected = f"a position 0-{len(node) - 1}" if node else "no items (the list is empty)"
        if names:
            expected += " or a name (" + ", ".join(names) + ")"
        raise PathError(f"{walked} has no item {part!r}; expected {expected}")
    raise PathError(f"{walked} is a value ({node!r}), not a section; cannot enter {part!r}")


def _walk(data: Mapping[str, Any], path: str) -> tuple[Any, Any, Any]:
    """(parent, key, value) of ``path`` in ``data``."""
    if not path or any(not p for p in path.split(".")):
        raise PathError(f"{path!r} is not a field path; expected names joined by dots")
    parent: Any = None
    key: Any = None
    node: Any = data
    walked = ""
    for part in path.split("."):
        parent = node
        node, key = _step(node, part, walked)
        walked = f"{walked}.{part}" if walked else part
    return parent, key, node


def value_at(data: Mapping[str, Any], path: str) -> Any:
    """The value at ``path``, a list field included (``plan.layoff_site_order``)."""
    value = _walk(data, path)[2]
    if isinstance(value, Mapping):
        raise PathError(f"{path} is a section, not a single value; name one of its fields")
    return value


def get_value(data: Mapping[str, Any], path: str) -> Any:
    """The value at ``path`` in the plain-data scenario ``data``."""
    value = _walk(data, path)[2]
    if isinstance(value, Mapping | list):
        raise PathError(f"{path} is a section, not a single value; name one of its fields")
    return value


def with_values(data: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """A deep copy of ``data`` with each ``path: value`` of ``values`` set."""
    out = copy.deepcopy(dict(data))
    for path, value in values.items():
        parent, key, old = _walk(out, path)
        if isinstance(old, Mapping) or (isinstance(old, list) and not isinstance(value, list)):
            raise PathError(f"{path} is a section, not a single value; name one of its fields")
        parent[key] = value
    return out


def coerce(value: Any, like: Any) -> Any:
    """``value`` (a sampled float) in the type of the field's current value ``like``.

    Booleans are true from 0.5 up, integers are rounded to the nearest whole number.
    """
    if isinstance(like, bool):
        return bool(float(value) >= 0.5) if not isinstance(value, bool) else value
    if isinstance(like, int) and not isinstance(value, bool):
        return int(round(float(value)))
    if isinstance(like, float) and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return value


def attribute_at(scenario: Any, path: str) -> Any:
    """The value at a dotted ``path`` of a validated scenario (``local_economy.vacancy_rate``),
    read attribute by attribute (no dump of the whole scenario)."""
    value = scenario
    for part in path.split("."):
        value = getattr(value, part)
    return value
