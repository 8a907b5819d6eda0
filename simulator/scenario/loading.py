"""Loading scenario files: safe YAML, ``extends:`` chains, data files, and readable errors.

A scenario file may start with ``extends: other.yaml`` (a path relative to the file itself);
its own keys then override the parent's, mapping by mapping (lists are replaced whole).

The data files a scenario names (``workforce.roster``, ``customers.volumes``,
``local_economy.region_file``; relative to the file that names them) are read here, before
validation, and their data put into the document (``workforce.roster_rows``,
``customers.volume_history``, the region's labour-market values): the schema
(``scenario/schema``) only declares fields and checks values, it never opens a file.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from importlib import resources
from pathlib import Path
from typing import Any, get_args

import yaml
from pydantic import BaseModel, ValidationError

from simulator.scenario.reading import ScenarioError, control_problems, quote, read_yaml
from simulator.scenario.roster import (
    REGION_FIELDS,
    RosterError,
    read_region,
    read_roster,
    read_volumes,
)
from simulator.scenario.schema import Scenario


def default_scenario_path() -> Path:
    """The bundled default scenario (shipped inside the package)."""
    return Path(str(resources.files("simulator") / "scenarios" / "default.yaml"))


MAX_EXTENDS = 16  # files in an ``extends:`` chain


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


FILE_FIELDS = (("workforce", "roster"), ("local_economy", "region_file"), ("customers", "volumes"))


def _anchor_files(data: dict[str, Any], folder: Path) -> None:
    """Data files named in a scenario file are relative to that file: make them absolute
    (a scenario that extends another keeps each file relative to where it was written)."""
    for section, key in FILE_FIELDS:
        block = data.get(section)
        if not isinstance(block, dict):
            continue
        value = block.get(key)
        if isinstance(value, str) and value.strip() and not Path(value).is_absolute():
            block[key] = str((folder / value).absolute())


def _resolve(path: Path, chain: tuple[Path, ...]) -> dict[str, Any]:
    """The merged data of ``path`` and its ``extends:`` ancestors (``chain``: the files that
    extend it, as given)."""
    if path.resolve() in {p.resolve() for p in chain}:
        cycle = " -> ".join(str(p) for p in (*chain, path))
        raise ScenarioError(f"{chain[0]}: extends: forms a cycle ({cycle}); expected no cycles")
    if len(chain) >= MAX_EXTENDS:
        raise ScenarioError(
            f"{chain[0]}: extends: a chain of more than {MAX_EXTENDS} files; expected a "
            "shorter chain"
        )
    data = read_yaml(path)
    _anchor_files(data, path.parent)
    parent = data.pop("extends", None)
    if parent is None:
        return data
    if not isinstance(parent, str) or not parent.strip():
        raise ScenarioError(f"{path}: extends: expected a file path (text), got {parent!r}")
    parent_path = (path.parent / parent) if not Path(parent).is_absolute() else Path(parent)
    try:
        base = _resolve(parent_path, (*chain, path))
    except ScenarioError as exc:
        if chain or str(exc).startswith(f"{path}:"):
            raise
        raise ScenarioError(f"{path}: extends: {exc}") from None
    merged = _merge(base, data)
    _drop_inherited(merged, data)
    _describe_changes(merged, base, data)
    return merged


def _leaves(data: Any, prefix: str = "") -> list[str]:
    """The field paths a scenario document sets (lists and data files count as one)."""
    if not isinstance(data, dict):
        return [prefix]
    out: list[str] = []
    for key, value in data.items():
        out += _leaves(value, f"{prefix}.{key}" if prefix else str(key))
    return out


def _describe_changes(merged: dict[str, Any], base: dict[str, Any], own: dict[str, Any]) -> None:
    """A scenario that extends another and changes what it does, without a description of
    its own, is described by its changes — never by its parent's words, which describe
    another plan ("moves 50% offshore" where the child moves 40%)."""
    sim_own = own.get("simulation")
    if isinstance(sim_own, dict) and "description" in sim_own:
        return
    changed = [p for p in _leaves(own) if p.split(".")[0] != "simulation"]
    if not changed:
        return
    parent = base.get("simulation", {}) if isinstance(base.get("simulation"), dict) else {}
    shown = ", ".join(changed[:12]) + (
        f" and {len(changed) - 12} more" if len(changed) > 12 else ""
    )
    text = f"Based on {parent.get('name', 'its parent scenario')}, with changes to {shown}."
    merged.setdefault("simulation", {})
    if isinstance(merged["simulation"], dict):
        merged["simulation"]["description"] = text


# a data file replaces the values it provides: a file that names one does not inherit them
REPLACED_BY_FILE = {
    ("workforce", "roster"): ("headcount", "roster_rows"),
    ("customers", "volumes"): ("volume_history",),
    ("local_economy", "region_file"): REGION_FIELDS,
}


def _drop_inherited(merged: dict[str, Any], own: dict[str, Any]) -> None:
    for (section, key), fields in REPLACED_BY_FILE.items():
        mine = own.get(section)
        if isinstance(mine, dict) and mine.get(key) and isinstance(merged.get(section), dict):
            for field in fields:
                if field not in mine:
                    merged[section].pop(field, None)


def _shown(value: Any) -> str:
    """A value as a message shows it: its repr, shortened when long."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 100:
        try:
            return f"an integer of {len(str(abs(value)))} digits"
        except ValueError:  # beyond Python's limit for turning integers into text
            return f"an integer of about {int(value.bit_length() * 0.30103)} digits"
    text = repr(value)
    return text if len(text) <= 80 else f"{text[:60]}… ({len(text)} characters)"


def _fields_at(loc: tuple[Any, ...]) -> list[str]:
    """The field names the schema knows at ``loc`` (the parent of an unknown field)."""
    model: Any = Scenario
    for part in loc:
        if isinstance(part, int) or model is None:
            continue
        field = model.model_fields.get(str(part))
        if field is None:
            return []
        model = _model_in(field.annotation)
    return list(model.model_fields) if model is not None else []


def _model_in(annotation: Any) -> Any:
    """The pydantic model an annotation holds (``X``, ``list[X]``, ``X | None``), if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _did_you_mean(loc: tuple[Any, ...]) -> str:
    """'; did you mean X?' for an unknown field close to a known one ('' if none is)."""
    if not loc:
        return ""
    close = difflib.get_close_matches(str(loc[-1]), _fields_at(loc[:-1]), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _line(source: str, err: Any) -> str:
    """One problem as a message shows it: file, field path, what was expected."""
    loc = ".".join(str(p) for p in err["loc"])
    msg = err["msg"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    kind = err["type"]
    given = err.get("input")
    if kind == "extra_forbidden":
        msg = "unknown field; expected one of the documented fields (see `outsim schema`)"
        msg += _did_you_mean(tuple(err["loc"]))
    elif kind not in ("value_error", "missing") and not isinstance(given, dict | list):
        shown = _shown(given)
        msg = f"{msg} (got {shown})"
    return f"{source}: {loc + ': ' if loc else ''}{msg}"


def format_validation_error(source: str, exc: ValidationError) -> str:
    """One readable message per problem: file, field path, what was expected."""
    return "\n".join(_line(source, err) for err in exc.errors(include_url=False))


# -- data files: read before validation, their data put into the document ---------------------
def _rows(block: dict[str, Any], path: str) -> dict[str, Any]:
    """A roster's agents as ``roster_rows`` (unless the section lists them already)."""
    if block.get("roster_rows") is not None:
        return block
    return {**block, "roster_rows": read_roster(path, block.get("roster_decimal"))}


def _history(block: dict[str, Any], path: str) -> dict[str, Any]:
    """A contact history as ``volume_history`` (unless the section gives it already)."""
    if block.get("volume_history") is not None:
        return block
    return {**block, "volume_history": read_volumes(path, block.get("volumes_decimal"))}


def _region(block: dict[str, Any], path: str) -> dict[str, Any]:
    """The region file's values in the local economy (each given in one place only)."""
    region = read_region(path)
    block = dict(block)
    for key, value in region.items():
        if key in block and block[key] != value:
            raise ValueError(
                f"{key} is {block[key]!r} here but {value!r} in region_file; expected it "
                "in one place"
            )
        block[key] = value
    return block


MAX_PATH_CHARS = 1_024  # a data file's path as written (the system's own limit is 4,096)

# (section, field naming a file) -> the section with the file's data put in
DATA_FILES = {
    ("workforce", "roster"): _rows,
    ("customers", "volumes"): _history,
    ("local_economy", "region_file"): _region,
}


def read_data_files(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """``data`` with the data of every file it names put in, and the problems by section (a
    file that cannot be read or is invalid, named with its field; a value given twice).
    ``data`` itself is left as it is."""
    out, problems = dict(data), {}
    for (section, key), put_in in DATA_FILES.items():
        block = out.get(section)
        if not isinstance(block, dict):
            continue
        path = block.get(key)
        if not isinstance(path, str) or not path:
            continue
        if len(path) > MAX_PATH_CHARS:
            problems[section] = (
                f"{key}: a path of {len(path):,} characters ({quote(path)}); expected at most "
                f"{MAX_PATH_CHARS:,}"
            )
            continue
        try:
            out[section] = put_in(block, path)
        except RosterError as exc:
            problems[section] = f"{key}: {exc}"
        except ValueError as exc:  # a value given twice; a path the system refuses
            problems[section] = str(exc)
    return out, problems


def _with_problems(source: str, errors: list[Any], problems: dict[str, str]) -> str:
    """The validation ``errors`` and the data files' ``problems``, section by section in
    schema order: a section whose file failed reports that alone, and checks across
    sections (which need every section) are left out."""
    kept = [e for e in errors if e["loc"] and e["loc"][0] not in problems]
    kept += [{"loc": (s,), "msg": m, "type": "value_error"} for s, m in problems.items()]
    order = list(Scenario.model_fields)
    kept.sort(key=lambda e: order.index(e["loc"][0]) if e["loc"][0] in order else len(order))
    return "\n".join(_line(source, err) for err in kept)


def scenario_from_dict(data: dict[str, Any], source: str = "<scenario>") -> Scenario:
    """Read the data files a mapping names, then validate it as a scenario, raising
    ScenarioError with a readable message (a text holding a control character is refused
    here too, for a mapping built in code)."""
    if troubles := control_problems(data):
        raise ScenarioError("\n".join(f"{source}: {t}" for t in troubles))
    document, problems = read_data_files(data) if isinstance(data, dict) else (data, {})
    try:
        scenario = Scenario.model_validate(document)
    except ValidationError as exc:
        if problems:
            errors = exc.errors(include_url=False)
            raise ScenarioError(_with_problems(source, errors, problems)) from None
        raise ScenarioError(format_validation_error(source, exc)) from None
    except RecursionError:
        raise ScenarioError(f"{source}: nesting too deep; expected a scenario mapping") from None
    if problems:
        raise ScenarioError(_with_problems(source, [], problems))
    return scenario


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
