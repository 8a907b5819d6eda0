"""Reading the files a user names: regular files of bounded size, safe YAML, readable errors.

Scenario files, the files they extend, region files and sweep or optimisation specs are all
read here: never a folder, device or FIFO (which could hang or flood the reader), never more
than :data:`MAX_FILE_BYTES`, YAML through a safe loader that refuses duplicate keys and deep
nesting. Every problem is a :class:`ScenarioError` naming the file and what was expected.
"""

from __future__ import annotations

import re
import stat
from pathlib import Path
from typing import Any

import yaml


class ScenarioError(ValueError):
    """A scenario file could not be read or is invalid. ``str()`` is the user-facing message."""


MAX_FILE_BYTES = 1_000_000  # a scenario or spec is a few kB
MAX_DEPTH = 32  # nesting levels a document may have (a scenario needs 6)


CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # C0 and C1 control characters
CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # tab, newline allowed


def quote(value: object) -> str:
    """A value as a message shows it: its repr, at most about 80 characters."""
    text = str(value)
    if len(text) <= 60:
        return repr(text)
    return f"{text[:60]!r}… ({len(text):,} characters)"


def control_problem(text: str, pattern: re.Pattern[str] = CONTROL) -> str | None:
    """What is wrong with a text holding a control character (None if it holds none)."""
    found = pattern.search(text)
    if found is None:
        return None
    return (
        f"control character U+{ord(found.group()):04X} at character {found.start() + 1} of "
        f"{quote(text)}; expected printable text"
    )


class _ControlCharacter(yaml.constructor.ConstructorError):
    """A YAML text (written with an escape such as \\e) holding a control character."""


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

    def construct_scalar(self, node: Any) -> Any:
        value = super().construct_scalar(node)
        if isinstance(value, str) and (trouble := control_problem(value, CONTROL_IN_TEXT)):
            raise _ControlCharacter(None, None, trouble, node.start_mark)
        return value

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
        raise ScenarioError(f"{path}: file not found (looked for {path.resolve()})") from None
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
    except _ControlCharacter as exc:
        mark = exc.problem_mark
        raise ScenarioError(
            f"{path}: line {mark.line + 1}, column {mark.column + 1}: {exc.problem}"
        ) from None
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


def control_problems(data: Any, limit: int = 20) -> list[str]:
    """'field.path: problem' for each text in a nested mapping (a scenario given from code,
    not read from YAML, which is checked as it is parsed) holding a control character (tab
    and newline allowed in values, as in YAML), at most ``limit``."""
    found: list[str] = []
    stack: list[tuple[tuple[str, ...], Any]] = [((), data)]
    while stack and len(found) < limit:
        where, value = stack.pop()
        if len(where) > MAX_DEPTH:
            continue  # validation refuses the nesting itself
        if isinstance(value, str):
            if trouble := control_problem(value, CONTROL_IN_TEXT):
                found.append(f"{'.'.join(where) or '(top)'}: {trouble}")
        elif isinstance(value, dict):
            for key, item in reversed(list(value.items())):
                if isinstance(key, str) and (trouble := control_problem(key)):
                    found.append(f"{'.'.join(where) or '(top)'}: key {trouble}")
                name = str(key)[:60]
                stack.append(((*where, repr(name) if CONTROL.search(name) else name), item))
        elif isinstance(value, list | tuple):
            stack.extend(((*where, str(i)), item) for i, item in reversed(list(enumerate(value))))
    return found
