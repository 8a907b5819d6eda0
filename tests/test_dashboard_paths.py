"""The dashboard saves and loads only inside its working folder: ``..`` escapes, absolute
paths elsewhere and symbolic links pointing out are refused, whatever the path string."""

from __future__ import annotations

import copy
import os
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.dashboard import editing
from simulator.scenario import ScenarioError


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """A working folder with a sub-folder, a link inside it pointing out, one pointing in,
    and a folder beside it."""
    root = tmp_path / "work"
    (root / "sub").mkdir(parents=True)
    (tmp_path / "outside").mkdir()
    (root / "out").symlink_to(tmp_path / "outside")
    (root / "in").symlink_to(root / "sub")
    (root / "out.yaml").symlink_to(tmp_path / "outside" / "x.yaml")
    return root


DEFAULT = editing.initial(None)


def data() -> dict:
    d = copy.deepcopy(DEFAULT)
    d["simulation"]["name"] = "tiny_paths"
    return d


@pytest.mark.parametrize(
    "path",
    [
        "/tmp/outside.yaml",
        "/etc/outsim.yaml",
        "../outside/x.yaml",
        "sub/../../outside/x.yaml",
        "out/x.yaml",
        "out.yaml",
        "in/../../outside/x.yaml",
        ".",
        "",
        "   ",
        "a\x1b[31m.yaml",
        "a\x00.yaml",
    ],
)
def test_paths_outside_the_working_folder_are_refused(work: Path, path: str) -> None:
    before = sorted(p.name for p in work.parent.rglob("*"))
    with pytest.raises(ScenarioError) as info:
        editing.save(data(), path, work)
    with pytest.raises(ScenarioError):
        editing.load(path, work)
    assert "\x1b" not in str(info.value) and "\x00" not in str(info.value)
    assert sorted(p.name for p in work.parent.rglob("*")) == before


@pytest.mark.parametrize(
    "path", ["plan.yaml", "sub/plan.yaml", "in/plan.yaml", "new/deeper/plan.yml", "./a.yaml"]
)
def test_paths_inside_are_saved_and_loaded(work: Path, path: str) -> None:
    written = editing.save(data(), path, work)
    assert written.resolve().is_relative_to(work)
    assert yaml.safe_load(written.read_text(encoding="utf-8"))["simulation"]["name"] == (
        "tiny_paths"
    )
    assert editing.load(path, work)["simulation"]["name"] == "tiny_paths"
    absolute = str((work / path).resolve())
    assert editing.load(absolute, work)["simulation"]["name"] == "tiny_paths"


def test_the_working_folder_defaults_to_the_environment_then_cwd(
    work: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(editing.WORKDIR_ENV, str(work / "sub"))
    assert editing.workdir() == (work / "sub").resolve()
    monkeypatch.delenv(editing.WORKDIR_ENV)
    monkeypatch.chdir(work)
    assert editing.workdir() == work.resolve()
    with pytest.raises(ScenarioError, match="outside the dashboard's working folder"):
        editing.save(data(), "/tmp/outside.yaml")


PIECES = st.sampled_from(["..", ".", "sub", "in", "out", "x.yaml", "/", "//", "a", "~", "…"])


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    parts=st.lists(st.one_of(PIECES, st.text(max_size=6)), max_size=8),
    absolute=st.booleans(),
)
def test_every_accepted_path_resolves_inside(work: Path, parts: list[str], absolute: bool) -> None:
    path = "/".join(parts)
    if absolute:
        path = os.path.join(str(work), path)
    try:
        target = editing.confine(path, work)
    except ScenarioError as exc:
        assert "\x1b" not in str(exc) and "\x00" not in str(exc)
        return
    assert target.is_absolute()
    assert target == target.resolve()
    assert target.is_relative_to(work.resolve()) and target != work.resolve()
    assert Path(os.path.realpath(os.path.join(work, path))).is_relative_to(work.resolve())


def test_the_dashboard_command_refuses_a_missing_workdir(tmp_path: Path) -> None:
    pytest.importorskip("solara")
    from .reliability_helpers import assert_refused, outsim

    result = outsim("dashboard", "--workdir", tmp_path / "nowhere", cwd=tmp_path)
    assert_refused(result, "--workdir")
