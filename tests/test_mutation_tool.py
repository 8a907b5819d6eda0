"""The mutation-testing tool's own logic (simulator/dev/mutation.py): which mutants it sees,
how it samples them, how it scores the outcome, and that it never removes a folder that is
not mutmut's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simulator.dev import mutation


def _meta(root: Path, relative: str, codes: dict[str, int | None]) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"exit_code_by_key": codes}), encoding="utf-8")


def test_mutants_are_read_from_the_mutated_layers_only(tmp_path: Path) -> None:
    _meta(tmp_path, "simulator/model/queue.py.meta", {"m.q__mutmut_2": None, "m.q__mutmut_1": 1})
    _meta(tmp_path, "simulator/analysis/kpis.py.meta", {"a.k__mutmut_1": 0})
    _meta(tmp_path, "simulator/outputs/report.py.meta", {"o.r__mutmut_1": None})
    assert mutation.all_mutants(tmp_path) == ["a.k__mutmut_1", "m.q__mutmut_1", "m.q__mutmut_2"]
    assert mutation.exit_codes(tmp_path) == {
        "m.q__mutmut_2": None,
        "m.q__mutmut_1": 1,
        "a.k__mutmut_1": 0,
    }


def test_a_sample_depends_on_its_seed_only() -> None:
    names = [f"x__mutmut_{i}" for i in range(500)]
    first = mutation.sample(names, 40, seed=1)
    assert first == mutation.sample(list(reversed(names)), 40, seed=1)  # order does not matter
    assert first != mutation.sample(names, 40, seed=2)
    assert len(set(first)) == 40 and set(first) <= set(names)
    assert mutation.sample(names[:3], 40, seed=1) == sorted(names[:3])  # capped at the population


def test_the_score_counts_timeouts_as_caught_and_leaves_skipped_out() -> None:
    statuses = {
        "a": "killed",
        "b": "killed",
        "c": "timeout",
        "d": "survived",
        "e": "no tests",
        "f": "skipped",
    }
    score = mutation.Score(statuses)
    assert (score.killed, score.tested) == (3, 5)
    assert score.share == pytest.approx(0.6)
    assert score.survivors == ["d", "e"]
    low, high = score.interval
    # Wilson interval for 3 of 5 at 95%, by hand: 0.2307 to 0.8824
    assert low == pytest.approx(0.2307, abs=1e-4) and high == pytest.approx(0.8824, abs=1e-4)
    assert mutation.Score({}).interval == (0.0, 1.0) and mutation.Score({}).share == 0.0


def test_statuses_come_from_mutmuts_own_exit_codes() -> None:
    pytest.importorskip("mutmut")
    score = mutation.score(["k", "s", "n", "u"], {"k": 1, "s": 0, "n": 33})
    assert score.statuses == {"k": "killed", "s": "survived", "n": "no tests", "u": "not checked"}


def test_fresh_refuses_a_folder_that_is_not_mutmuts(tmp_path: Path, monkeypatch) -> None:
    """Only mutmut's own working folder is removed: a folder of someone else's files, one
    that merely holds a ``.py.meta`` file, and a link to a folder are all refused and left
    exactly as they were."""
    foreign = tmp_path / "mutants"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine", encoding="utf-8")
    monkeypatch.setattr(mutation, "MUTANTS", foreign)
    with pytest.raises(SystemExit, match="not mutmut's working folder"):
        mutation._remove_own_folder()
    _meta(foreign, "simulator/model/queue.py.meta", {})  # looks like mutmut's, is not
    with pytest.raises(SystemExit, match="not mutmut's working folder"):
        mutation._remove_own_folder()
    assert (foreign / "notes.txt").read_text(encoding="utf-8") == "mine"

    target = tmp_path / "elsewhere"
    target.mkdir()
    (target / mutation.STATS).write_text("{}", encoding="utf-8")
    _meta(target, "simulator/model/queue.py.meta", {})
    link = tmp_path / "linked"
    link.symlink_to(target, target_is_directory=True)
    monkeypatch.setattr(mutation, "MUTANTS", link)
    with pytest.raises(SystemExit, match="not mutmut's working folder"):
        mutation._remove_own_folder()
    assert (target / mutation.STATS).is_file() and link.is_symlink()

    (foreign / mutation.STATS).write_text("{}", encoding="utf-8")  # now mutmut's
    monkeypatch.setattr(mutation, "MUTANTS", foreign)
    mutation._remove_own_folder()
    assert not foreign.exists()
