"""A posterior, not a point (issue 26, part 2): the spec admits fitted facts only; the method
is trusted on a synthetic problem whose truth is known (coverage of its 90% intervals) and on
the model's own synthetic facts (recovery), in one process and on a real Dask cluster."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import yaml

from simulator.analysis.calibrate import (
    DEFAULT_SPEC,
    CalibrationSpec,
    FactSimulator,
    GaussianToy,
    Posterior,
    Problem,
    load_spec,
    model_problem,
    run_abc,
    weighted_quantiles,
)

from .reliability_helpers import outsim

TINY = {  # two constants, the three facts of the displaced-workers experiment, a small layoff
    "name": "tiny",
    "parameters": {
        "local_economy.displaced_job_finding": [0.12, 0.32],
        "local_economy.leave_labour_force": [0.04, 0.16],
    },
    "facts": ["dws_reemployed", "cps_unemployed_15_weeks", "cps_unemployed_27_weeks"],
    "population": 12,
    "generations": 2,
    "pilot": 3,
    "overrides": {"customers.count": 1000, "workforce.headcount": 400},
}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"facts": ["earnings_first_year"]}, "is not a fitted fact: out-of-sample facts stay out"),
        ({"facts": ["no_such_fact"]}, "unknown fact 'no_such_fact'"),
        ({"parameters": {"local_economy.nothing": [0, 1]}}, "no such scenario field"),
        ({"parameters": {"local_economy.leave_labour_force": [0.2, 0.1]}}, "expected low < high"),
        ({"parameters": {"local_economy.leave_labour_force": [-1, 0.1]}}, "leaves the field's"),
        ({"population": 3}, "population"),
    ],
)
def test_a_spec_admits_only_fitted_facts_and_known_constants(change, message) -> None:
    with pytest.raises(ValueError, match=message):
        CalibrationSpec.model_validate({**TINY, **change})


def test_the_default_spec_uses_fitted_facts_and_the_shipped_file_matches_it() -> None:
    from .conftest import ROOT

    shipped = load_spec(ROOT / "experiments" / "calibrate.yaml")
    assert shipped.model_dump() == DEFAULT_SPEC.model_dump()
    assert len(DEFAULT_SPEC.facts) == 7 and len(DEFAULT_SPEC.parameters) == 5


def test_a_bad_spec_file_is_refused_naming_file_and_field(tmp_path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump({**TINY, "facts": ["earnings_first_year"]}))
    result = outsim("calibrate", path, "--out", tmp_path / "out", cwd=tmp_path)
    assert result.code == 2
    assert f"{path}: facts" in result.err and "out-of-sample facts stay out" in result.err
    assert "Traceback" not in result.err and not (tmp_path / "out").exists()


def test_weighted_quantiles_and_resampling_follow_the_weights() -> None:
    values, weights = np.array([0.0, 1.0, 2.0, 3.0]), np.array([0.1, 0.2, 0.3, 0.4])
    assert weighted_quantiles(values, np.ones(4), (0.5,)) == [1.5]
    draws = pd.DataFrame({"a": values, "weight": weights})
    posterior = Posterior(draws, pd.DataFrame(), 0, 0.0)
    sample = posterior.sample(10_000, seed=1)["a"].to_numpy()
    for v, w in zip(values, weights, strict=True):
        assert (sample == v).mean() == pytest.approx(w, abs=0.001)
    assert posterior.ess() == pytest.approx(1 / (weights**2).sum())


def test_the_toy_problem_has_the_posterior_it_claims() -> None:
    toy = GaussianToy()
    problem = toy.problem({"a": 0.5, "b": -1.0}, seed=3)
    assert set(problem.observed) == {"y_a", "y_b"}
    assert problem.scales["y_a"] == pytest.approx(0.5)  # noise 1 over sqrt(4)
    assert toy({"a": 0.5, "b": -1.0}, 3) == problem.observed  # a function of its seed


@pytest.mark.integration
def test_the_90_percent_intervals_cover_the_truth_about_90_percent_of_the_time() -> None:
    """Coverage over repeated synthetic datasets: the truth drawn from the prior's middle,
    one observation each, the posterior's 90% interval checked against the truth."""
    toy = GaussianToy()
    rng = np.random.default_rng(26)
    hits, widths, datasets = 0, [], 10
    for i in range(datasets):
        truth = {p: float(rng.uniform(-2, 2)) for p in toy.names}
        posterior = run_abc(toy.problem(truth, seed=100 + i), 100, 5, 0.3, seed=i)
        q = posterior.quantiles((0.05, 0.95))
        for p in toy.names:
            hits += q.loc[p, 0.05] <= truth[p] <= q.loc[p, 0.95]
            widths.append(q.loc[p, 0.95] - q.loc[p, 0.05])
    coverage = hits / (datasets * len(toy.names))
    assert 0.75 <= coverage <= 1.0, coverage
    exact = 2 * 1.645 * 0.5  # the true posterior's 90% width
    assert 0.7 * exact < np.mean(widths) < 1.6 * exact, np.mean(widths)


@pytest.mark.integration
@pytest.mark.slow
def test_the_model_recovers_the_constants_that_made_its_own_facts() -> None:
    small = {"customers.count": 500, "workforce.headcount": 300}
    spec = CalibrationSpec.model_validate(
        {**TINY, "population": 25, "generations": 2, "overrides": small}
    )
    truth = {"local_economy.displaced_job_finding": 0.26, "local_economy.leave_labour_force": 0.07}
    simulate = FactSimulator(spec)
    scaled = model_problem(spec)
    problem = Problem(scaled.lows, scaled.highs, simulate, simulate(truth, 99), scaled.scales)
    posterior = run_abc(problem, spec.population, spec.generations, 0.3, seed=5)
    q = posterior.quantiles((0.05, 0.5, 0.95))
    prior_middle = {p: (lo + hi) / 2 for p, (lo, hi) in spec.parameters.items()}
    for p, value in truth.items():
        assert q.loc[p, 0.05] <= value <= q.loc[p, 0.95], (p, q.loc[p].to_dict())
        assert abs(q.loc[p, 0.5] - value) < abs(prior_middle[p] - value), p


@pytest.mark.integration
def test_abc_runs_on_a_real_dask_scheduler(dask_scheduler) -> None:
    from distributed import Client

    toy = GaussianToy()
    with Client(dask_scheduler, timeout="20s") as client:
        posterior = run_abc(toy.problem({"a": 1.0, "b": 0.0}, seed=7), 40, 2, 0.5, 1, client)
    assert len(posterior.draws) == 40
    assert posterior.draws["weight"].sum() == pytest.approx(1.0)
    median = posterior.quantiles((0.5,))
    assert abs(median.loc["a", 0.5] - toy({"a": 1.0, "b": 0.0}, 7)["y_a"]) < 0.6


@pytest.mark.integration
def test_outsim_calibrate_writes_draws_record_and_diagnostics(tmp_path) -> None:
    spec = tmp_path / "tiny.yaml"
    spec.write_text(yaml.safe_dump(TINY))
    result = outsim("calibrate", spec, "--workers", "1", "--out", tmp_path / "c", cwd=tmp_path)
    assert result.code == 0, result.err
    folder = tmp_path / "c"
    for name in ("posterior.csv", "posterior.parquet", "generations.csv", "calibration.json"):
        assert (folder / name).is_file(), name
    for name in ("marginals.png", "pairs.png", "progress.png"):
        assert (folder / name).stat().st_size > 1000, name
    record = json.loads((folder / "calibration.json").read_text())
    assert record["spec"]["facts"] == TINY["facts"] and record["spec"]["seed"] == 20261207
    assert set(record["posterior"]) == set(TINY["parameters"])
    assert record["git_commit"] and record["method"].startswith("ABC-SMC")
    assert set(record["pilot_covariance"]) == set(TINY["facts"])
    draws = pd.read_csv(folder / "posterior.csv")
    assert len(draws) == 12 and draws["weight"].sum() == pytest.approx(1.0)
    assert "generation 1: tolerance" in result.out


def test_the_shipped_posterior_holds_the_default_specs_constants() -> None:
    """outsim ships the default spec's posterior (docs/UNCERTAINTY.md): every constant of the
    spec, inside its prior, weights summing to one."""
    from simulator.analysis.calibrate import shipped_posterior

    posterior = shipped_posterior()
    assert posterior.parameters == list(DEFAULT_SPEC.parameters)
    assert posterior.draws["weight"].sum() == pytest.approx(1.0)
    for name, (low, high) in DEFAULT_SPEC.parameters.items():
        assert posterior.draws[name].between(low, high).all(), name
    assert posterior.ess() >= 20


def test_abc_removes_only_its_own_scratch_folder(tmp_path, monkeypatch) -> None:
    """pyABC's history goes to a folder outsim makes and removes; a database the caller names
    is left where it is, and nothing else in the temporary folder is touched."""
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)  # re-read TMPDIR
    (tmp_path / "users_file.txt").write_text("keep me")
    toy = GaussianToy()
    run_abc(toy.problem({"a": 0.0, "b": 0.0}, seed=1), 10, 1, 0.5, seed=1)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["users_file.txt"]
    kept = tmp_path / "history.db"
    run_abc(toy.problem({"a": 0.0, "b": 0.0}, seed=1), 10, 1, 0.5, 1, database=f"sqlite:///{kept}")
    assert kept.is_file() and (tmp_path / "users_file.txt").read_text() == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["history.db", "users_file.txt"]
