"""Loading scenario files: safe YAML, ``extends:`` chains, and readable errors.

A scenario file may start with ``extends: other.yaml`` (a path relative to the file itself);
its own keys then override the parent's, mapping by mapping (lists are replaced whole).
"""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from simulator.scenario.schema import Scenario


class ScenarioError(ValueError):
    """A scenario file could not be read or is invalid. ``str()`` is the user-facing message."""


def default_scenario_path() -> Path:
    """The bundled default scenario (shipped inside the package)."""
    return Path(str(resources.files("simulator") / "scenarios" / "default.yaml"))


def read_yaml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"{path}: cannot read file ({exc})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        where = ""
        mark = getattr(exc, "problem_mark", None)
        if mark is not None:
            where = f" at line {mark.line + 1}, column {mark.column + 1}"
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ScenarioError(
            f"{path}: malformed YAML{where}: {problem}; expected a YAML mapping of sections"
        ) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ScenarioError(
            f"{path}: top level is a {type(data).__name__}; expected a mapping of sections "
            "(simulation, company, workforce, ...)"
        )
    return data


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _resolve(path: Path, chain: tuple[Path, ...]) -> dict[str, Any]:
    path = path.resolve()
    if path in chain:
        cycle = " -> ".join(str(p) for p in (*chain, path))
        raise ScenarioError(f"{chain[0]}: extends: forms a cycle ({cycle}); expected no cycles")
    data = read_yaml(path)
    parent = data.pop("extends", None)
    if parent is None:
        return data
    if not isinstance(parent, str):
        raise ScenarioError(f"{path}: extends: expected a file path (text), got {parent!r}")
    parent_path = (path.parent / parent) if not Path(parent).is_absolute() else Path(parent)
    if not parent_path.exists():
        raise ScenarioError(f"{path}: extends: file {parent_path} not found")
    return _merge(_resolve(parent_path, (*chain, path)), data)


def format_validation_error(source: str, exc: ValidationError) -> str:
    """One readable message per problem: file, field path, what was expected."""
    lines = []
    for err in exc.errors(include_url=False):
        loc = ".".join(str(p) for p in err["loc"])
        msg = err["msg"]
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, ") :]
        kind = err["type"]
        given = err.get("input")
        if kind == "extra_forbidden":
            msg = "unknown field; expected one of the documented fields (see `outsim schema`)"
        elif kind not in ("value_error", "missing") and not isinstance(given, dict | list):
            msg = f"{msg} (got {given!r})"
        lines.append(f"{source}: {loc + ': ' if loc else ''}{msg}")
    return "\n".join(lines)


def scenario_from_dict(data: dict[str, Any], source: str = "<scenario>") -> Scenario:
    """Validate a mapping as a scenario, raising ScenarioError with a readable message."""
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(format_validation_error(source, exc)) from None


def load_scenario(path: str | Path | None = None) -> Scenario:
    """Load and validate a scenario file (``None`` loads the bundled default)."""
    path = default_scenario_path() if path is None else Path(path)
    data = _resolve(path, ())
    return scenario_from_dict(data, str(path))


def scenario_to_dict(scenario: Scenario) -> dict[str, Any]:
    """Plain-data form of a scenario (all defaults filled in)."""
    return scenario.model_dump(mode="json")


def scenario_hash(scenario: Scenario) -> str:
    """SHA-256 of the resolved scenario, stable across key order."""
    blob = json.dumps(scenario_to_dict(scenario), sort_keys=True).encode()
    return hashlib.sha256(blob).hexdigest()


def dump_scenario_yaml(scenario: Scenario) -> str:
    return yaml.safe_dump(scenario_to_dict(scenario), sort_keys=False)
