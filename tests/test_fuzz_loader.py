"""Property-based fuzzing of the scenario loader through the real CLI.

Documents are generated from the schema itself (every section and field, values within
their bounds), then mutated: wrong types, NaN and ±inf, values out of range, unicode and
control characters, deep nesting, unknown keys, duplicate keys, truncation. Whatever comes
in, ``outsim`` answers with exit 0 or exit 2 — never a traceback — and on exit 2 writes
nothing.

Profiles: ``fast`` (default, seconds, runs in CI) and ``long`` for a longer local run::

    HYPOTHESIS_PROFILE=long .venv/bin/python -m pytest tests/test_fuzz_loader.py
"""

from __future__ import annotations

import enum
import os
import typing
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from simulator.scenario.schema import FOLDER_NAME, Scenario
from tests.reliability_helpers import LEAN, TINY, hidden, outsim

PROFILES = {"fast": 40, "long": 2000}  # documents checked by `outsim validate`
EXAMPLES = PROFILES[os.environ.get("HYPOTHESIS_PROFILE", "fast")]
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


# -- documents from the schema ----------------------------------------------------------------
def _bounds(field: Any) -> tuple[Any, Any]:
    low = high = None
    for item in field.metadata:
        low = getattr(item, "ge", getattr(item, "gt", low))
        high = getattr(item, "le", getattr(item, "lt", high))
    return low, high


def _value(annotation: Any, field: Any) -> st.SearchStrategy[Any]:
    origin = typing.get_origin(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return section(annotation)
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return st.sampled_from([m.value for m in annotation])
    if annotation is bool:
        return st.booleans()
    low, high = _bounds(field) if field is not None else (None, None)
    if annotation is int:
        return st.integers(min_value=low, max_value=high)
    if annotation is float:
        return st.floats(min_value=low, max_value=high, allow_nan=False, allow_infinity=False)
    if annotation is str:
        return st.from_regex(FOLDER_NAME, fullmatch=True)
    if origin is list:
        (item,) = typing.get_args(annotation)
        return st.lists(_value(item, None), max_size=3)
    if origin is dict:
        return st.dictionaries(
            st.sampled_from(["manila", "bogota", "lima"]), st.floats(0, 1), max_size=2
        )
    return st.none()


def section(model: type[BaseModel]) -> st.SearchStrategy[dict[str, Any]]:
    """A partial mapping of ``model``'s fields (defaults fill the rest), values in bounds."""
    fields = {
        name: _value(typing.get_args(f.annotation)[0] if _annotated(f) else f.annotation, f)
        for name, f in model.model_fields.items()
    }
    return st.fixed_dictionaries({}, optional=fields)


def _annotated(field: Any) -> bool:
    return typing.get_origin(field.annotation) is typing.Annotated


SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=10),
    st.sampled_from(["\x1b[2J", "\x00", "\u202e", "\x9b31m", "[/bold]", "../..", "."]),
)


def _mutate(data: Any, draw: st.DrawFn) -> Any:
    """Replace one value somewhere in ``data`` by something wrong."""
    if isinstance(data, dict) and data and draw(st.booleans()):
        key = draw(st.sampled_from(sorted(data, key=str)))
        return {**data, key: _mutate(data[key], draw)}
    if isinstance(data, list) and data and draw(st.booleans()):
        i = draw(st.integers(0, len(data) - 1))
        return [*data[:i], _mutate(data[i], draw), *data[i + 1 :]]
    return draw(
        st.one_of(
            SCALARS,
            st.lists(SCALARS, max_size=3),
            st.dictionaries(st.text(max_size=8), SCALARS, max_size=3),
            st.integers(1, 60).map(lambda depth: _nested(depth)),
        )
    )


def _nested(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = {"x": [value]}
    return value


@st.composite
def documents(draw: st.DrawFn) -> bytes:
    """A scenario document as YAML bytes: from the schema, maybe mutated and damaged."""
    data = draw(section(Scenario))
    if draw(st.booleans()):
        data = _mutate(data, draw)
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    damage = draw(st.sampled_from(["none", "truncate", "duplicate", "unknown", "bytes"]))
    if damage == "truncate":
        text = text[: draw(st.integers(0, len(text)))]
    elif damage == "duplicate" and text.strip() and not text.startswith(("-", "[", "{")):
        first = text.splitlines()[0]
        text = text + first + "\n"
    elif damage == "unknown":
        text = text + f"{draw(st.text(min_size=1, max_size=8))!r}: 1\n"
    elif damage == "bytes":
        return text.encode("utf-8") + draw(st.binary(max_size=20))
    return text.encode("utf-8")


# -- the properties -----------------------------------------------------------------------------
@pytest.mark.integration
@FUZZ
@given(document=documents())
def test_validate_answers_zero_or_two_never_a_traceback(tmp_path: Path, document: bytes) -> None:
    (tmp_path / "s.yaml").write_bytes(document)

    result = outsim("validate", "s.yaml", cwd=tmp_path)

    assert result.code in (0, 2), result.text
    assert "Traceback" not in result.text
    assert "\x1b" not in result.text
    if result.code == 2:
        assert "s.yaml" in result.err


@st.composite
def tiny_scenarios(draw: st.DrawFn) -> dict[str, Any]:
    """The small test scenario, as it is or with one value made wrong."""
    return _mutate(TINY, draw) if draw(st.booleans()) else TINY


@pytest.mark.integration
@settings(FUZZ, max_examples=max(8, EXAMPLES // 5))
@given(doc=tiny_scenarios())
def test_run_answers_zero_or_two_and_writes_nothing_on_two(
    tmp_path_factory: Any, doc: dict[str, Any]
) -> None:
    work = tmp_path_factory.mktemp("fuzz")
    (work / "s.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")

    result = outsim("run", "s.yaml", "--out", "out", "-n", "1", "-q", *LEAN, cwd=work)

    assert result.code in (0, 2), result.text
    assert "Traceback" not in result.text
    if result.code == 2:
        assert not (work / "out").exists()
    assert hidden(work) == []
