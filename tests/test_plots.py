"""Figures: every expected PNG is written, readable and drawn without warnings or leaks."""

from __future__ import annotations

import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import simulator
from simulator.outputs.figures.data import cash_flows, summarise
from simulator.outputs.figures.plots import make_comparison_plots, make_plots
from simulator.scenario import load_scenario

from .conftest import SCENARIOS, shrink

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PLOTS = {
    "workforce",
    "displaced_earnings",
    "local_economy",
    "service",
    "customers",
    "privacy",
    "vendor_workforce",
    "costs",
    "cash",
    "displaced_states",
    "earnings_recovery",
}
COMPARISON_PLOTS = {
    "compare_costs",
    "compare_workforce",
    "compare_customers",
    "compare_service",
    "compare_privacy",
    "compare_vendor",
    "compare_scorecard",
}
DIMENSIONS = ["transparency", "privacy", "fair_treatment", "communication", "local_jobs"]


def small(name: str):
    return shrink(load_scenario(SCENARIOS / f"{name}.yaml"), customers=5000, months=24)


@pytest.fixture(scope="module")
def runs():
    """Small runs of a plan that displaces workers and of the status quo (which does not)."""
    out = {}
    for name in ("default", "status_quo"):
        scenario = small(name)
        out[name] = (scenario, simulator.run(scenario, replications=3, seed=5))
    return out


def phases(scenario) -> list[int]:
    return [p.month for p in scenario.plan.phases]


def assert_pngs(paths: list[Path], expected: set[str], folder: Path) -> None:
    assert {p.stem for p in paths} == expected
    assert {p.stem for p in folder.glob("*.png")} == expected
    for path in paths:
        assert path.parent == folder
        assert path.read_bytes()[:8] == PNG_SIGNATURE, path.name
        image = plt.imread(path)
        height, width = image.shape[:2]
        assert width >= 800 and height >= 400, path.name
        assert image[..., :3].std() > 0.01, f"{path.name} is blank"  # something is drawn


def no_warnings_or_open_figures(fn, *args, **kwargs):
    """Call ``fn`` with every warning an error, and check it leaves no figure open."""
    before = len(plt.get_fignums())
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = fn(*args, **kwargs)
    assert len(plt.get_fignums()) == before == 0
    return result


@pytest.mark.integration
def test_make_plots_writes_every_figure(runs, tmp_path):
    scenario, results = runs["default"]
    assert not results.displacement.empty
    paths = no_warnings_or_open_figures(
        make_plots,
        results.timeseries,
        tmp_path,
        phases(scenario),
        displacement=results.displacement,
        gross_margin=scenario.company.gross_margin,
    )
    assert_pngs(paths, PLOTS, tmp_path)


@pytest.mark.integration
def test_status_quo_still_writes_the_people_figures(runs, tmp_path):
    scenario, results = runs["status_quo"]
    assert results.displacement.empty  # nobody is displaced in the status quo
    paths = no_warnings_or_open_figures(
        make_plots,
        results.timeseries,
        tmp_path,
        phases(scenario),
        displacement=results.displacement,
        gross_margin=scenario.company.gross_margin,
    )
    assert_pngs(paths, PLOTS, tmp_path)


@pytest.mark.integration
def test_positional_call_single_replication_without_displacement(tmp_path):
    """The original call (no displacement given) still writes every file; one replication
    draws lines without bands."""
    scenario = small("default")
    results = simulator.run(scenario, replications=1, seed=1)
    paths = no_warnings_or_open_figures(make_plots, results.timeseries, tmp_path, [6, 18])
    assert_pngs(paths, PLOTS, tmp_path)


def test_comparison_plots_with_missing_scores(runs, tmp_path):
    by_plan = {name: results.timeseries for name, (_s, results) in runs.items()}
    scores = pd.DataFrame(
        {
            "default": [62.0, 11.0, 45.0, 36.0, 90.0],
            "status_quo": [100.0, 84.0, np.nan, 100.0, np.nan],
        },
        index=DIMENSIONS,
    )
    phase_months = {name: phases(scenario) for name, (scenario, _r) in runs.items()}
    paths = no_warnings_or_open_figures(
        make_comparison_plots, by_plan, scores, tmp_path, phase_months
    )
    assert_pngs(paths, COMPARISON_PLOTS, tmp_path)


def test_cash_flows_add_up_to_cumulative_net_savings(runs):
    scenario, results = runs["default"]
    ts = results.timeseries
    cash = cash_flows(ts, scenario.company.gross_margin)
    parts = cash[["cash_operating", "cash_mitigation", "cash_breaches", "cash_margin"]]
    np.testing.assert_allclose(parts.sum(axis=1), cash["cash_net"], rtol=1e-9, atol=1e-9)
    ordered = ts.sort_values(["replication", "month"]).reset_index(drop=True)
    net = ordered.groupby("replication")["net_savings"].cumsum() / 1e6
    np.testing.assert_allclose(cash["cash_net"], net, rtol=1e-9)
    # breach losses are expected breach costs less a constant in-house expectation per month
    expected = ordered.groupby("replication")["expected_breach_cost"].cumsum() / 1e6
    credit = (cash["cash_breaches"] + expected) / (ordered["month"] + 1)
    assert credit.std() < 1e-9 * max(credit.abs().max(), 1.0)
    assert (credit >= 0).all()


def test_summary_statistics_match_pandas():
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {
            "replication": np.repeat(np.arange(4), 6),
            "month": np.tile(np.arange(6), 4),
            "x": rng.normal(size=24),
        }
    )
    frame.loc[frame["month"] == 2, "x"] = np.nan  # a month without values
    frame.loc[[1, 7], "x"] = np.inf  # non-finite values are left out
    got = summarise(frame, "x", scale=2.0)
    values = (2.0 * frame["x"]).where(np.isfinite(frame["x"]))
    grouped = values.groupby(frame["month"])
    np.testing.assert_allclose(got["mean"], grouped.mean())
    np.testing.assert_allclose(got["lo"], grouped.quantile(0.025))
    np.testing.assert_allclose(got["hi"], grouped.quantile(0.975))
    assert got["n"].tolist() == grouped.count().tolist()
    assert got.loc[2].isna()[["mean", "lo", "hi"]].all()


def test_bad_input_is_refused(runs, tmp_path):
    _scenario, results = runs["default"]
    with pytest.raises(ValueError, match="lacks columns"):
        make_plots(results.timeseries.drop(columns=["csat"]), tmp_path)
    with pytest.raises(ValueError, match="displacement lacks columns"):
        make_plots(
            results.timeseries,
            tmp_path,
            displacement=results.displacement.drop(columns=["earnings_ratio"]),
        )
    with pytest.raises(ValueError, match="nothing to compare"):
        make_comparison_plots({}, pd.DataFrame(), tmp_path)
    assert len(plt.get_fignums()) == 0
