"""Bad scenario input through the real CLI: exit status 2, a readable message, nothing written.

Every case runs ``python -m simulator.cli run FILE --out OUT -n 1 --quiet`` in a subprocess
(cwd = the test's tmp folder) and checks that the user gets exit status 2, a message on
stderr naming the file and, where there is one, the field path, and no traceback; and that
neither the results folder nor a temporary sibling of it (``.NAME.tmp-*``) is left behind.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

SECTIONS = {
    "simulation",
    "company",
    "workforce",
    "customers",
    "local_economy",
    "vendors",
    "plan",
    "policies",
    "costs",
}
TWO_VENDORS = [{"name": "manila"}, {"name": "bogota", "location": "nearshore"}]
# A small valid scenario (validated by test_validate_accepts_a_good_file).
GOOD: dict[str, Any] = {
    "simulation": {"name": "good", "horizon_months": 12},
    "customers": {"count": 1000},
    "workforce": {"headcount": 10},
    "vendors": TWO_VENDORS,
    "plan": {"phases": [{"month": 3, "shares": {"manila": 0.3, "bogota": 0.2}}]},
}


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------
def outsim(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the CLI as a user would, in a fresh interpreter."""
    return subprocess.run(
        [sys.executable, "-m", "simulator.cli", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def write(folder: Path, name: str, content: str | dict[str, Any] | list[Any]) -> Path:
    """Write a scenario file: text is written as is, anything else is dumped as YAML."""
    path = folder / name
    text = content if isinstance(content, str) else yaml.safe_dump(content, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return path


def leftovers(folder: Path) -> list[str]:
    """Hidden entries (temporary or backup result folders) left in ``folder``."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def assert_bad_input(
    proc: subprocess.CompletedProcess[str], file_name: str, *expected: str
) -> None:
    """Exit status 2, a message naming the file and ``expected`` texts, no traceback."""
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    assert file_name in proc.stderr, proc.stderr
    for text in expected:
        assert text in proc.stderr, f"{text!r} not in stderr:\n{proc.stderr}"
    assert "Traceback" not in proc.stderr + proc.stdout, proc.stderr


# --------------------------------------------------------------------------------------------
# outsim run with bad input
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Case:
    """Files to write (name -> YAML text or data), the file to run, texts stderr must hold."""

    files: dict[str, str | dict[str, Any] | list[Any]]
    target: str = "scenario.yaml"
    expected: tuple[str, ...] = field(default_factory=tuple)


def one(content: str | dict[str, Any] | list[Any], *expected: str) -> Case:
    return Case({"scenario.yaml": content}, expected=expected)


def phase(month: int, **shares: float) -> dict[str, Any]:
    return {"plan": {"phases": [{"month": month, "shares": shares}]}}


BAD_RUNS = [
    pytest.param(one({"workforce": {"headcout": 10}}, "workforce.headcout"), id="unknown-field"),
    pytest.param(
        one({"simulation": {"horizon_months": "ten"}}, "simulation.horizon_months"),
        id="wrong-type",
    ),
    pytest.param(one({"customers": {"count": -5}}, "customers.count"), id="out-of-range"),
    pytest.param(
        one({"vendors": TWO_VENDORS, **phase(2, manila=0.7, bogota=0.6)}, "plan.phases.0.shares"),
        id="shares-above-one",
    ),
    pytest.param(
        one({"vendors": TWO_VENDORS, **phase(2, lima=0.3)}, "plan.phases.0.shares", "lima"),
        id="unknown-vendor",
    ),
    pytest.param(
        one(
            {"simulation": {"horizon_months": 12}, "vendors": TWO_VENDORS, **phase(12, manila=0.5)},
            "plan.phases.0.month",
        ),
        id="phase-past-horizon",
    ),
    pytest.param(one("workforce: {headcount: [10, 20\n", "malformed YAML", "line"), id="malformed"),
    pytest.param(Case({}, target="missing.yaml", expected=("not found",)), id="missing-file"),
    pytest.param(
        Case(
            {"a.yaml": "extends: b.yaml\n", "b.yaml": "extends: a.yaml\n"},
            target="a.yaml",
            expected=("b.yaml", "cycle"),
        ),
        id="extends-cycle",
    ),
    pytest.param(one("- simulation\n- workforce\n", "list"), id="top-level-list"),
    # user text is echoed in messages; it must not be read as Rich console markup
    pytest.param(
        one({"simulation": {"name": "[/bold]"}}, "simulation.name", "[/bold]"),
        id="markup-in-value",
    ),
    pytest.param(
        Case(
            {"[draft].yaml": {"workforce": {"headcout": 10}}},
            target="[draft].yaml",
            expected=("workforce.headcout",),
        ),
        id="markup-in-file-name",
    ),
]


@pytest.mark.integration
@pytest.mark.parametrize("case", BAD_RUNS)
def test_run_rejects_bad_input(tmp_path: Path, case: Case) -> None:
    for name, content in case.files.items():
        write(tmp_path, name, content)
    out = tmp_path / "out"

    proc = outsim("run", case.target, "--out", out, "-n", "1", "--quiet", cwd=tmp_path)

    assert_bad_input(proc, case.target, *case.expected)
    assert not out.exists()
    assert leftovers(tmp_path) == []


# --------------------------------------------------------------------------------------------
# outsim validate and outsim schema
# --------------------------------------------------------------------------------------------
@pytest.mark.integration
@pytest.mark.parametrize("name", ["good.yaml", "[draft].yaml"])
def test_validate_accepts_a_good_file(tmp_path: Path, name: str) -> None:
    write(tmp_path, name, GOOD)

    proc = outsim("validate", name, cwd=tmp_path)

    assert proc.returncode == 0, proc.stderr
    assert name in proc.stdout
    assert proc.stderr == ""


def test_validate_rejects_a_bad_file(tmp_path: Path) -> None:
    write(tmp_path, "bad.yaml", {**GOOD, "customers": {"count": -5}})

    proc = outsim("validate", "bad.yaml", cwd=tmp_path)

    assert_bad_input(proc, "bad.yaml", "customers.count")


def test_validate_reports_every_bad_file(tmp_path: Path) -> None:
    write(tmp_path, "good.yaml", GOOD)
    write(tmp_path, "bad1.yaml", {"workforce": {"headcout": 10}})
    write(tmp_path, "bad2.yaml", "simulation: [\n")

    proc = outsim("validate", "bad1.yaml", "good.yaml", "bad2.yaml", cwd=tmp_path)

    assert_bad_input(proc, "bad1.yaml", "workforce.headcout", "bad2.yaml")
    assert "good.yaml" in proc.stdout


def test_validate_survives_markup_in_a_value(tmp_path: Path) -> None:
    write(tmp_path, "bad.yaml", {"simulation": {"name": "[/bold]"}})

    proc = outsim("validate", "bad.yaml", cwd=tmp_path)

    assert_bad_input(proc, "bad.yaml", "simulation.name", "[/bold]")


def test_schema_is_json_with_every_section(tmp_path: Path) -> None:
    proc = outsim("schema", cwd=tmp_path)

    assert proc.returncode == 0, proc.stderr
    schema = json.loads(proc.stdout)
    assert set(schema["properties"]) >= SECTIONS
