"""Assumptions drawn per sample of a sweep and per future of an optimisation (issue 26:
``uncertainty:`` in a spec, ``--uncertainty`` on the command line)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from simulator import sweep
from simulator.cli import app
from simulator.scenario.ranges import swung
from simulator.sweep.sampling import samples_table
from simulator.sweep.spec import SweepError, load_sweep

from .conftest import thread_client
from .test_optimise import analytic
from .test_sweep import write_spec

JOB = "local_economy.displaced_job_finding"
LEAVE = "local_economy.leave_labour_force"
POSTERIOR = [(0.15, 0.05, 0.2), (0.25, 0.08, 0.5), (0.30, 0.12, 0.3)]
LHS = {
    "sampler": "lhs",
    "samples": 12,
    "parameters": {"vendors.manila.wage_ratio": {"range": [0.9, 1.3]}},
}


def posterior_file(folder: Path) -> Path:
    path = folder / "posterior.csv"
    rows = [f"{JOB},{LEAVE},weight"] + [f"{a},{b},{w}" for a, b, w in POSTERIOR]
    path.write_text("\n".join(rows) + "\n")
    return path


def test_each_sample_draws_the_posterior_jointly_and_the_same_again(tmp_path: Path) -> None:
    posterior_file(tmp_path)
    spec = write_spec(tmp_path, **LHS, uncertainty="posterior", posterior="posterior.csv")
    sw = load_sweep(spec)
    assert list(sw.drawn) == [JOB, LEAVE] and list(sw.parameters) == list(LHS["parameters"])
    table = samples_table(sw)
    pairs = set(zip(table[JOB], table[LEAVE], strict=True))
    assert pairs <= {(a, b) for a, b, _ in POSTERIOR} and len(pairs) > 1  # joint draws
    pd.testing.assert_frame_equal(table, samples_table(load_sweep(spec)))
    plain = load_sweep(write_spec(tmp_path, **LHS))
    swept = table[list(LHS["parameters"])]
    pd.testing.assert_frame_equal(swept, samples_table(plain)[list(LHS["parameters"])])
    assert sw.fingerprint() != plain.fingerprint()
    assert sw.kinds()[JOB] == "float"


def test_ranges_draw_every_uncertainty_the_sweep_does_not_vary(tmp_path: Path) -> None:
    sw = load_sweep(write_spec(tmp_path, **LHS, uncertainty="ranges"))
    assert "vendors.manila.wage_ratio" not in sw.drawn  # swept: the sample sets it
    assert "vendors.bogota.wage_ratio" in sw.drawn  # the same factor, on the other vendor
    table = samples_table(sw)
    from simulator.scenario.loading import scenario_from_dict

    trust = next(
        i
        for i in swung(scenario_from_dict(sw.base))
        if i.path == "customers.trust_churn_elasticity"
    )
    values = table["customers.trust_churn_elasticity"]
    assert values.between(trust.low, trust.high).all() and values.nunique() == len(table)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"sampler": "sobol", "samples": 8, "uncertainty": "ranges"},
            "uncertainty: ranges draws assumptions beside the sobol design",
        ),
        (
            {**LHS, "uncertainty": "ranges", "posterior": "posterior.csv"},
            "posterior: applies to uncertainty: posterior or both",
        ),
        ({**LHS, "uncertainty": "maybe"}, "uncertainty: Input should be 'none', 'ranges'"),
        (
            {**LHS, "uncertainty": "posterior", "posterior": "missing.csv"},
            "posterior: ",
        ),
    ],
)
def test_bad_uncertainty_in_a_spec_exits_2_naming_the_field(tmp_path, change, expected) -> None:
    spec = write_spec(tmp_path, **change)
    res = CliRunner().invoke(app, ["sweep", str(spec), "--out", str(tmp_path / "out"), "-q"])
    assert res.exit_code == 2, res.output
    assert expected in " ".join(res.stderr.split())
    assert "Traceback" not in res.stderr and not (tmp_path / "out").exists()


def test_the_command_line_replaces_the_specs_uncertainty(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, **LHS)
    out = str(tmp_path / "out")
    res = CliRunner().invoke(app, ["sweep", str(spec), "--out", out, "-q", "--uncertainty", "x"])
    assert res.exit_code == 2 and "--uncertainty/--posterior: uncertainty:" in res.stderr
    alone = CliRunner().invoke(
        app, ["sweep", str(spec), "--out", out, "-q", "--posterior", str(posterior_file(tmp_path))]
    )
    assert alone.exit_code == 2 and "applies to uncertainty: posterior or both" in alone.stderr
    assert load_sweep(spec, "posterior", posterior_file(tmp_path)).drawn.keys() == {JOB, LEAVE}


def echo(data, seed, replication, outputs, keep):
    """A toy runner reporting the job-finding rate the run was given."""
    return {outputs[0]: data["local_economy"]["displaced_job_finding"]}, {}


@pytest.mark.integration
def test_every_run_of_a_sample_is_given_its_draw(tmp_path: Path) -> None:
    posterior_file(tmp_path)
    spec = write_spec(
        tmp_path,
        **LHS,
        uncertainty="posterior",
        posterior="posterior.csv",
        outputs=["csat_mean"],
        keep_timeseries=[],
    )
    with thread_client(2) as client:
        runs = sweep.run(spec, client, out=tmp_path / "out", runner=echo)
    assert len(runs) == 12 * 2
    assert (runs["csat_mean"] == runs[JOB]).all()
    drawn = samples_table(load_sweep(spec)).set_index("sample_id")[JOB]
    assert (runs.set_index("sample_id")[JOB] == drawn.reindex(runs["sample_id"])).all()


def test_every_future_of_an_optimisation_draws_the_posterior(tmp_path: Path) -> None:
    path = posterior_file(tmp_path)
    opt = analytic(8, uncertainty="posterior", posterior=str(path), check={"scenarios": 3})
    assert opt.uncertainties == ["customers.initial_trust", JOB, LEAVE]
    search, check = opt.ensemble(), opt.ensemble(check=True)
    assert list(search.columns) == ["scenario_id", "customers.initial_trust", JOB, LEAVE]
    assert len(search) == 4 and len(check) == 3 and set(search[JOB]) <= {a for a, _, _ in POSTERIOR}
    assert opt.ensemble(check=True).equals(check)
    assert not search[JOB].equals(check[JOB]) or not search[LEAVE].equals(check[LEAVE])
    only = analytic(8, uncertainties={}, uncertainty="posterior", posterior=str(path))
    assert len(only.ensemble()) == 4 and only.search_size() == 4
    with pytest.raises(SweepError, match="posterior: applies to uncertainty"):
        analytic(8, posterior=str(path))
