"""Loading scenario files: safe YAML, ``extends:`` chains, and readable errors.

A scenario file may start with ``extends: other.yaml`` (a path relative to the file itself);
its own keys then override the parent's, mapping by mapping (lists are replaced whole).
"""

from __future__ import annotations

import hashlib
import json
import stat
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


MAX_FILE_BYTES = 1_000_000  # a scenario or spec is a few kB
MAX_DEPTH = 32  # nesting levels a document may have (a scenario needs 6)
MAX_EXTENDS = 16  # files in an ``extends:`` chain


class _Loader(yaml.SafeLoader):
    """Safe YAML that refuses duplicate keys and nesting deeper than MAX_DEPTH."""

    depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                mark = self.peek_event().start_mark
                raise yaml.composer.ComposerError(
                    None, None, f"nesting deeper than {MAX_DEPTH} levels", mark
                )
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                first = seen.setdefault(key, key_node.start_mark.line + 1)
            except TypeError:  # an unhashable key: the base class reports it
                continue
            if first != key_node.start_mark.line + 1:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"duplicate key {key!r} (first given at line {first})",
                    key_node.start_mark,
                )
        return super().construct_mapping(node, deep=deep)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _Loader.construct_mapping)


def read_text(path: Path, what: str = "scenario") -> str:
    """The text of a regular file of at most MAX_FILE_BYTES (never a folder, device or FIFO,
    which could hang or flood the reader)."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise ScenarioError(f"{path}: file not found") from None
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot read file ({exc.strerror})") from None
    if stat.S_ISDIR(info.st_mode):
        raise ScenarioError(f"{path}: is a folder; expected a {what} YAML file")
    if not stat.S_ISREG(info.st_mode):
        raise ScenarioError(f"{path}: is not a regular file; expected a {what} YAML file")
    if info.st_size > MAX_FILE_BYTES:
        raise ScenarioError(
            f"{path}: is {info.st_size:,} bytes; expected a {what} file of at most "
            f"{MAX_FILE_BYTES:,} bytes"
        )
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError(
            f"{path}: is not UTF-8 text (byte {exc.start}); expected a {what} YAML file"
        ) from None
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot read file ({exc.strerror})") from None


def read_yaml(path: Path, what: str = "scenario") -> dict[str, Any]:
    """A YAML file's top-level mapping, or ScenarioError saying what is wrong and where."""
    text = read_text(path, what)
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        where = ""
        mark = getattr(exc, "problem_mark", None)
        if mark is not None:
            where = f" at line {mark.line + 1}, column {mark.column + 1}"
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ScenarioError(
            f"{path}: malformed YAML{where}: {problem}; expected a YAML mapping of sections"
        ) from None
    except RecursionError:
        raise ScenarioError(
            f"{path}: nesting too deep; expected at most {MAX_DEPTH} levels"
        ) from None
    except ValueError as exc:  # e.g. an integer of more than 4300 digits
        raise ScenarioError(
            f"{path}: unreadable value ({exc}); expected ordinary numbers"
        ) from None
    if data is None:
        raise ScenarioError(
            f"{path}: empty {what} (no content but blanks or comments); expected a mapping of "
            "sections — is the file truncated?"
        )
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


FILE_FIELDS = (("workforce", "roster"), ("local_economy", "region_file"), ("customers", "volumes"))


def _anchor_files(data: dict[str, Any], folder: Path) -> None:
    """Data files named in a scenario file are relative to that file: make them absolute
    (a scenario that extends another keeps each file relative to where it was written)."""
    for section, key in FILE_FIELDS:
        block = data.get(section)
        value = block.get(key) if isinstance(block, dict) else None
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
    return merged


# a data file replaces the values it provides: a file that names one does not inherit them
REPLACED_BY_FILE = {
    ("workforce", "roster"): ("headcount", "roster_rows"),
    ("customers", "volumes"): ("volume_history",),
    ("local_economy", "region_file"): (
        "labour_force", "baseline_unemployment_rate", "vacancy_rate", "average_wage_month",
    ),
}  # fmt: skip


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
            shown = _shown(given)
            msg = f"{msg} (got {shown})"
        lines.append(f"{source}: {loc + ': ' if loc else ''}{msg}")
    return "\n".join(lines)


def scenario_from_dict(data: dict[str, Any], source: str = "<scenario>") -> Scenario:
    """Validate a mapping as a scenario, raising ScenarioError with a readable message."""
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(format_validation_error(source, exc)) from None
    except RecursionError:
        raise ScenarioError(f"{source}: nesting too deep; expected a scenario mapping") from None


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
