"""Real cases (issue 27): the case files are checked on load, every documented outcome is
measured and judged as observed.yaml says, and `outsim cases` writes cases.csv and
cases.html (or exits 2 naming the problem, writing nothing)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from simulator.analysis.cases import AGREE, DISAGREE, NOT_COMPARABLE, check_measures, verdict
from simulator.cli import app
from simulator.scenario import ScenarioError
from simulator.scenario.cases import Outcome, case_names, load_case

from .conftest import ROOT, tiny_scenario

LIBRARY = ROOT / "scenarios" / "cases"

OUTCOMES = [
    {
        "name": "csat_falls",
        "claim": "Satisfaction fell once calls went abroad",
        "source": "Example Times",
        "measure": "csat",
        "months": [8, 17],
        "expect": "down",
    },
    {
        "name": "complaints_rise",
        "claim": "Complaints rose",
        "source": "Example Times",
        "measure": "complaints_per_100k_quarter",
        "expect": "up",
    },
    {
        "name": "share_read_back",
        "claim": "70% of calls abroad",
        "source": "Example Times",
        "measure": "outsourced_share",
        "compare": "level",
        "months": [12, 17],
        "value": 0.7,
        "tolerance": 0.05,
    },
    {
        "name": "csat_recovers",
        "claim": "Satisfaction rose after the calls came back",
        "source": "Example Times",
        "measure": "csat",
        "compare": "change",
        "months": [20, 23],
        "baseline_months": [12, 17],
        "expect": "up",
    },
    {
        "name": "union",
        "claim": "Jobs came back through a union agreement",
        "source": "Example Times",
        "measure": "displaced_workers",
        "not_comparable": "the reason is bargaining, which the model does not represent",
    },
]


def write_case(library: Path, name: str = "example", **changes) -> Path:
    folder = library / name
    folder.mkdir(parents=True)
    scenario = tiny_scenario(name, 24)
    scenario["plan"] = {
        "phases": [
            {"month": 3, "ramp_months": 2, "shares": {"manila": 0.5, "bogota": 0.2}},
            {"month": 18, "shares": {"manila": 0.0, "bogota": 0.0}},
        ]
    }
    (folder / "scenario.yaml").write_text(yaml.safe_dump(scenario), encoding="utf-8")
    (folder / "sources.md").write_text("- Example Times, 2004: what it states\n", "utf-8")
    observed = {
        "title": "Example Co",
        "period": "2003-2005",
        "summary": "Calls went abroad and came back.",
        "outcomes": OUTCOMES,
        **changes,
    }
    (folder / "observed.yaml").write_text(yaml.safe_dump(observed), encoding="utf-8")
    return folder


def outcome(**fields) -> Outcome:
    base = {"name": "x", "claim": "c", "source": "s", "measure": "csat_mean"}
    return Outcome.model_validate(base | fields)


# -- verdicts -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("expect", "interval", "result", "why"),
    [
        ("down", (-3.0, -2.0, -1.0), AGREE, "the whole interval is down"),
        ("down", (-1.0, 0.5, 2.0), DISAGREE, "no clear effect"),
        ("down", (1.0, 2.0, 3.0), DISAGREE, "opposite direction"),
        ("up", (1.0, 2.0, 3.0), AGREE, "the whole interval is up"),
        ("up", (-3.0, -2.0, -1.0), DISAGREE, "opposite direction"),
        ("none", (-1.0, 0.5, 2.0), AGREE, "the interval includes zero"),
        ("none", (1.0, 2.0, 3.0), DISAGREE, "a clear effect (up)"),
    ],
)
def test_a_direction_agrees_only_when_the_whole_interval_is_on_its_side(
    expect, interval, result, why
) -> None:
    low, mean, high = interval
    assert verdict(outcome(expect=expect), low, mean, high) == (result, why)


def test_a_value_agrees_inside_the_interval_or_the_tolerance() -> None:
    o = outcome(value=100.0, tolerance=0.2)
    assert verdict(o, 90.0, 95.0, 105.0)[0] == AGREE  # inside the interval
    assert verdict(o, 115.0, 118.0, 121.0)[0] == AGREE  # 18% off, tolerance 20%
    assert verdict(o, 125.0, 130.0, 135.0) == (
        DISAGREE,
        "30% off the documented value (tolerance 20%)",
    )
    assert verdict(outcome(not_comparable="why"), 1, 2, 3) == (NOT_COMPARABLE, "why")
    assert verdict(outcome(expect="up"), np.nan, np.nan, np.nan)[0] == NOT_COMPARABLE


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"expect": "up", "value": 1.0, "tolerance": 0.1}, "exactly one of"),
        ({}, "exactly one of"),
        ({"value": 1.0}, "value and tolerance go together"),
        ({"expect": "up", "compare": "change", "months": [3, 4]}, "needs baseline_months"),
        ({"expect": "up", "compare": "change", "baseline_months": [1, 2]}, "needs a monthly"),
        ({"expect": "up", "months": [5, 2]}, "expected 0 <= first <= last"),
        ({"expect": "sideways"}, "'up', 'down' or 'none'"),
    ],
)
def test_an_outcome_says_how_it_is_compared_or_is_refused(fields, message) -> None:
    with pytest.raises(ValueError, match=message):
        outcome(**fields)


# -- loading --------------------------------------------------------------------------------
def test_a_case_loads_and_names_its_problems(tmp_path: Path) -> None:
    write_case(tmp_path)
    case = load_case(tmp_path, "example")
    assert case_names(tmp_path) == ["example"] and len(case.observed.outcomes) == 5
    check_measures(case)
    with pytest.raises(ScenarioError, match="not a case name"):
        load_case(tmp_path, "../example")
    with pytest.raises(ScenarioError, match="no such case; the library holds: example"):
        load_case(tmp_path, "missing")
    (tmp_path / "example" / "sources.md").unlink()
    with pytest.raises(ScenarioError, match="sources.md: missing"):
        load_case(tmp_path, "example")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"measure": "csat_gap"}, "outcomes.0.measure: 'csat_gap' is not a monthly series"),
        ({"months": [8, 30]}, "ends after the horizon (24 months)"),
        ({"source": "Nowhere Post"}, "'Nowhere Post' is not named in "),
    ],
)
def test_a_bad_outcome_is_named_with_its_file_and_index(tmp_path, change, message) -> None:
    write_case(tmp_path, outcomes=[OUTCOMES[0] | change])
    with pytest.raises(ScenarioError, match="observed.yaml") as err:
        check_measures(load_case(tmp_path, "example"))
    assert message in str(err.value)


def test_the_library_holds_at_least_eight_cases_that_load() -> None:
    """Every case of scenarios/cases loads: scenario, sources named, outcomes measurable."""
    names = case_names(LIBRARY)
    assert len(names) >= 8, names
    for name in names:
        case = load_case(LIBRARY, name)
        check_measures(case)
        assert "## " in case.sources  # one section per source


# -- the command ----------------------------------------------------------------------------
@pytest.mark.integration
def test_outsim_cases_writes_the_table_and_the_page(tmp_path: Path) -> None:
    write_case(tmp_path / "library")
    out = tmp_path / "out"
    args = ["cases", "--library", str(tmp_path / "library"), "--out", str(out), "-n", "3"]
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, res.output
    table = pd.read_csv(out / "cases.csv")
    assert list(table["outcome"]) == [o["name"] for o in OUTCOMES]
    verdicts = dict(zip(table["outcome"], table["verdict"], strict=True))
    assert verdicts["union"] == NOT_COMPARABLE
    assert verdicts["share_read_back"] == AGREE  # the plan's own share, read back
    assert set(verdicts.values()) <= {AGREE, DISAGREE, NOT_COMPARABLE}
    assert (table["replications"][:4] == 3).all()
    page = (out / "cases.html").read_text(encoding="utf-8")
    assert "Example Co" in page and "documented outcomes" in page
    assert "documented outcomes it can be compared with" in res.output.replace("\n", " ")


def test_outsim_cases_refuses_an_unknown_case_and_writes_nothing(tmp_path: Path) -> None:
    write_case(tmp_path / "library")
    out = tmp_path / "out"
    lib = str(tmp_path / "library")
    res = CliRunner().invoke(app, ["cases", "nope", "--library", lib, "--out", str(out)])
    assert res.exit_code == 2 and "no such case; the library holds: example" in res.stderr
    assert "Traceback" not in res.stderr and not out.exists()
    res = CliRunner().invoke(app, ["cases", "--library", str(tmp_path / "x"), "--out", str(out)])
    assert res.exit_code == 2 and "no case library here" in res.stderr


@pytest.mark.integration
def test_a_real_case_replays_with_every_outcome_judged() -> None:
    """Dell 2001-03 from the library, 3 replications: one row per documented outcome, each
    on 3 replications with a finite model value and an ordered interval, and a verdict (the
    verdicts themselves are findings, not pinned here)."""
    from simulator.analysis.cases import replay_cases

    case = load_case(LIBRARY, "dell-2003")
    table = replay_cases([case], 3, seed=1)
    assert list(table["outcome"]) == [o.name for o in case.observed.outcomes]
    assert (table["replications"] == 3).all()
    assert np.isfinite(table["model_mean"]).all()
    assert (table["model_ci95_low"] <= table["model_ci95_high"]).all()
    judged = table[table["observed"] != "—"]
    assert set(judged["verdict"]) <= {AGREE, DISAGREE} and len(judged) == 4
    assert set(table.loc[table["observed"] == "—", "verdict"]) == {NOT_COMPARABLE}
