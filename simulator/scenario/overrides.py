"""Changing scenario fields from code: ``with_overrides(scenario, {path: value})``.

Paths are the sweep spelling (``policies.transparency.employee_notice_months``,
``vendors.manila.wage_ratio``, ``plan.phases.1.shares.manila``). As Python keyword
arguments (``OutsourcingModel(employee_notice_months=3)``, ``mesa.batch_run``) a field is
named by its last part where that is unique in the schema, or by its whole path with ``__``
for the dots (``policies__transparency__employee_notice_months=3``,
``vendors__manila__wage_ratio=1.1``).

Shortening ``simulation.horizon_months`` leaves out the plan's phases that would start after
the new horizon (unless the phases are overridden too). Values are converted only where
nothing is lost (5.0 for a whole-number field is 5; 5.5 is
refused; a yes/no field takes ``True``/``False`` only) and the result is validated like a
scenario file, with the same messages: ``overrides: field path: what was expected``.
"""

from __future__ import annotations

import functools
import numbers
from collections.abc import Mapping
from enum import Enum
from pathlib import Path
from typing import Any

from simulator.scenario.loading import (
    ScenarioError,
    default_scenario_path,
    load_scenario,
    scenario_from_dict,
    scenario_to_dict,
)
from simulator.scenario.paths import PathError, get_value, with_values
from simulator.scenario.roster import REGION_FIELDS
from simulator.scenario.schema import Scenario

SOURCE = "overrides"


@functools.cache
def _leaf_paths() -> dict[str, list[str]]:
    """Every schema field's last name -> the field patterns that end in it."""
    from simulator.scenario.xlrm import REGISTRY

    out: dict[str, list[str]] = {}
    for pattern in REGISTRY:
        out.setdefault(pattern.rsplit(".", 1)[-1], []).append(pattern)
    return out


def field_path(key: str) -> str:
    """The field path a keyword names: ``a__b__c`` -> ``a.b.c``; a field's own name where
    it is unique in the schema (``employee_notice_months``); dotted paths as they are."""
    if "__" in key:
        return key.replace("__", ".")
    if "." in key:
        return key
    found = _leaf_paths().get(key, [])
    plain = [p for p in found if "[]" not in p]
    if len(found) == 1 and plain:
        return plain[0]
    if not found:
        raise ScenarioError(
            f"{SOURCE}: {key}: no scenario field of that name; expected a field's name where "
            "it is unique (e.g. employee_notice_months) or its path with __ for the dots "
            "(e.g. policies__transparency__employee_notice_months); `outsim schema --levers` "
            "lists them"
        )
    examples = ", ".join(
        p.replace("[]", "__<name or position>").replace(".", "__") for p in found[:3]
    )
    raise ScenarioError(
        f"{SOURCE}: {key}: several scenario fields have that name; expected its whole path "
        f"with __ for the dots, e.g. {examples}"
    )


def exact(value: Any, like: Any, path: str) -> Any:
    """``value`` in the type of the field's current value ``like``, converted only where
    nothing is lost."""
    if isinstance(value, Enum):
        value = value.value
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        value = value.item()
    if isinstance(like, bool):
        if isinstance(value, bool):
            return value
        raise ScenarioError(f"{SOURCE}: {path}: expected true or false, got {value!r}")
    if isinstance(like, int):
        if isinstance(value, numbers.Integral) and not isinstance(value, bool):
            return int(value)
        if isinstance(value, float) and value.is_integer():
            return int(value)
        raise ScenarioError(f"{SOURCE}: {path}: expected a whole number, got {value!r}")
    if isinstance(like, float):
        if isinstance(value, numbers.Real) and not isinstance(value, bool):
            return float(value)
        raise ScenarioError(f"{SOURCE}: {path}: expected a number, got {value!r}")
    if isinstance(like, str) and not isinstance(value, str):
        raise ScenarioError(f"{SOURCE}: {path}: expected text, got {value!r}")
    return value


def with_overrides(scenario: Scenario, overrides: Mapping[str, Any]) -> Scenario:
    """A copy of ``scenario`` with each field path (or keyword spelling) set to its value,
    validated like a scenario file; raises ScenarioError naming the field."""
    if not overrides:
        return scenario
    data = scenario_to_dict(scenario)
    values = {}
    for key, value in overrides.items():
        path = field_path(str(key))
        try:
            like = get_value(data, path)
        except PathError as exc:
            raise ScenarioError(f"{SOURCE}: {key}: {exc}") from None
        values[path] = exact(value, like, path)
    data = with_values(data, values)
    region = {f"local_economy.{f}" for f in REGION_FIELDS}
    if region & set(values):
        # a region file's value overridden: the scenario holds every value of the file
        # already, so it no longer needs (and must not re-read) the file
        data["local_economy"]["region_file"] = None
    horizon = values.get("simulation.horizon_months")
    if horizon is not None and not any(p.startswith("plan.phases") for p in values):
        # a shorter run of the same plan: phases that would start after it are left out
        data["plan"]["phases"] = [p for p in data["plan"]["phases"] if p["month"] < horizon]
    return scenario_from_dict(data, SOURCE)


def resolve_scenario(
    scenario: Scenario | str | Path | Mapping[str, Any] | None,
    overrides: Mapping[str, Any] | None = None,
) -> Scenario:
    """A scenario from what a caller gave: ``None`` (the bundled default), a ``Scenario``, a
    YAML path or a mapping as a scenario file would hold it; then ``overrides``."""
    if scenario is None:
        base = load_scenario(default_scenario_path())
    elif isinstance(scenario, Scenario):
        base = scenario
    elif isinstance(scenario, str | Path):
        base = load_scenario(scenario)
    elif isinstance(scenario, Mapping):
        base = scenario_from_dict(dict(scenario), "<scenario>")
    elif isinstance(scenario, tuple) and len(scenario) == 2 and isinstance(scenario[0], str):
        raise ScenarioError(
            f"scenario: got the pair {scenario[0]!r}, …: mesa.batch_run iterates over a "
            "Scenario's fields; expected parameters={'scenario': [scenario]} (in a list) or "
            "the scenario file's path"
        )
    else:
        raise ScenarioError(
            f"scenario: got {type(scenario).__name__}; expected a Scenario, a YAML file's "
            "path, a mapping or None (the bundled default)"
        )
    return with_overrides(base, overrides or {})
