"""Luck and knowledge split (issue 26, part 3): the variance decomposition against cases
with a known split, the draws of the uncertainties, and a nested design run for real."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.analysis.knowledge import decompose, draws_from_ranges, nested
from simulator.analysis.swing import SWING_KPIS
from simulator.scenario.overrides import with_overrides
from simulator.scenario.ranges import swung
from simulator.scenario.status_quo import status_quo_of

from .conftest import shrink


@pytest.mark.parametrize(("knowledge", "luck"), [(4.0, 1.0), (1.0, 9.0), (0.0, 2.0), (3.0, 0.0)])
def test_a_known_split_is_recovered(knowledge: float, luck: float) -> None:
    rng = np.random.default_rng(26)
    draws, reps = 4000, 4
    values = (
        5.0
        + rng.normal(0, np.sqrt(knowledge), (draws, 1))
        + rng.normal(0, np.sqrt(luck), (draws, reps))
    )
    split = decompose(values)
    assert split["luck"] == pytest.approx(luck, abs=0.05 * (luck + knowledge) + 1e-12)
    assert split["knowledge"] == pytest.approx(knowledge, abs=0.05 * (luck + knowledge) + 1e-12)
    assert split["variance"] == pytest.approx(split["luck"] + split["knowledge"])
    assert split["mean"] == pytest.approx(5.0, abs=0.1)
    if luck + knowledge > 0:
        share = knowledge / (luck + knowledge)
        assert split["knowledge_share"] == pytest.approx(share, abs=0.03)


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(st.lists(st.floats(-1e6, 1e6), min_size=3, max_size=3), min_size=2, max_size=12)
)
def test_the_split_is_never_negative_and_adds_up(values: list[list[float]]) -> None:
    split = decompose(np.array(values))
    assert split["luck"] >= 0 and split["knowledge"] >= 0
    assert split["variance"] == pytest.approx(split["luck"] + split["knowledge"])
    assert split["p05"] <= split["mean"] + 1e-6 * (1 + abs(split["mean"])) or np.isnan(
        split["mean"]
    )


def test_rows_with_a_missing_value_are_left_out_and_nothing_left_is_nan() -> None:
    assert decompose(np.array([[1.0, np.nan], [2.0, 3.0], [4.0, 6.0]]))["mean"] == 3.75
    assert np.isnan(decompose(np.full((3, 2), np.nan))["mean"])


def test_draws_cover_each_range_and_repeat_with_the_seed(default_small) -> None:
    draws = draws_from_ranges(default_small, 20, seed=3)
    assert draws == draws_from_ranges(default_small, 20, seed=3)
    assert draws != draws_from_ranges(default_small, 20, seed=4)
    item = next(i for i in swung(default_small) if i.path == "customers.trust_churn_elasticity")
    values = sorted(d[item.path] for d in draws)
    width = (item.high - item.low) / 20
    for j, value in enumerate(values):  # a Latin hypercube: one draw in each twentieth
        assert item.low + j * width <= value <= item.low + (j + 1) * width


def test_a_nested_design_needs_a_plan_and_two_of_each(default_small) -> None:
    with pytest.raises(ValueError, match="has no plan"):
        nested(status_quo_of(default_small))
    with pytest.raises(ValueError, match="at least 2 of each"):
        nested(default_small, draws=1)
    with pytest.raises(ValueError, match="expected one of ranges"):
        nested(default_small, mode="guess")


@pytest.mark.integration
def test_a_nested_design_runs_paired_and_splits_each_kpi(default_small) -> None:
    scenario = shrink(default_small, 3000, 18)
    result = nested(scenario, draws=3, replications=2, seed=9, workers=1)
    assert result.effects.shape == (3, 2, len(SWING_KPIS))
    again = nested(scenario, draws=3, replications=2, seed=9, workers=1)
    np.testing.assert_array_equal(result.effects, again.effects)
    summary = result.summary()
    npv = summary["kpis"]["npv_net_savings"]
    assert npv["variance"] == pytest.approx(npv["luck"] + npv["knowledge"])
    assert summary["draws"] == 3 and summary["replications"] == 2


def _posterior_file(tmp_path, rows=((0.15, 0.2), (0.25, 0.5), (0.30, 0.3))):
    path = tmp_path / "posterior.csv"
    lines = ["local_economy.displaced_job_finding,weight"] + [f"{v},{w}" for v, w in rows]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_posterior_draws_follow_the_weights_and_combine_with_ranges(tmp_path, default_small):
    from simulator.analysis.calibrate import read_posterior
    from simulator.analysis.knowledge import draws_from_posterior

    posterior = read_posterior(_posterior_file(tmp_path))
    drawn = draws_from_posterior(posterior, 1000, seed=2)
    values = [d["local_economy.displaced_job_finding"] for d in drawn]
    assert values.count(0.25) == pytest.approx(500, abs=2)
    assert read_posterior(tmp_path).draws.equals(posterior.draws)  # the folder works too


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a,b\n1,2\n", "expected columns of constants and a weight column"),
        ("local_economy.nothing,weight\n1,1\n", "is not a scenario field"),
        ("local_economy.leave_labour_force,weight\nnan,1\n", "finite draws"),
        ("local_economy.leave_labour_force,weight\n0.1,-1\n", "non-negative weights"),
    ],
)
def test_a_bad_posterior_file_is_refused(tmp_path, text, message) -> None:
    from simulator.analysis.calibrate import read_posterior

    path = tmp_path / "posterior.csv"
    path.write_text(text)
    with pytest.raises(ValueError, match=message):
        read_posterior(path)


@pytest.mark.integration
def test_a_nested_design_over_the_posterior_and_both(tmp_path, default_small) -> None:
    from simulator.analysis.calibrate import read_posterior

    scenario = shrink(default_small, 3000, 18)
    posterior = read_posterior(_posterior_file(tmp_path))
    only = nested(scenario, "posterior", 3, 2, seed=4, workers=1, posterior=posterior)
    assert only.names == ["local_economy.displaced_job_finding"]
    assert all(set(d) == {"local_economy.displaced_job_finding"} for d in only.draws)
    both = nested(scenario, "both", 3, 2, seed=4, workers=1, posterior=posterior)
    assert len(both.names) == len(swung(scenario)) + 1
    assert [d["local_economy.displaced_job_finding"] for d in both.draws] == [
        d["local_economy.displaced_job_finding"] for d in only.draws
    ]
    assert both.summary()["method"].startswith("each draw sets every declared uncertainty")


def test_plans_drawn_over_the_same_paths_share_each_draw(default_small) -> None:
    """Plans drawn over the union of their uncertainties (a path one of them lacks is left
    out of its draws) meet the same value of every uncertainty they share, draw by draw."""
    quo = status_quo_of(default_small)
    paths = [*(i.path for i in swung(default_small)), "customers.not_in_this_plan"]
    plan_draws = draws_from_ranges(default_small, 6, 5, paths)
    assert plan_draws == draws_from_ranges(quo, 6, 5, paths)
    assert all("customers.not_in_this_plan" not in d for d in plan_draws)
    assert draws_from_ranges(default_small, 6, 5) == draws_from_ranges(
        default_small, 6, 5, paths[:-1]
    )


@pytest.mark.integration
def test_plans_compared_in_the_same_futures_are_paired(default_small) -> None:
    """Every plan meets the same draws on the same seeds: the first plan's runs are those of
    its own nested design, the difference is taken run by run, and "better in" counts the
    draws whose mean difference favours the plan."""
    from simulator.analysis.knowledge import nested_plans

    a = shrink(default_small, 3000, 18)
    b = with_overrides(a, {"policies.transparency.employee_notice_months": 6})
    both = nested_plans([a, b], draws=3, replications=2, seed=9, workers=1, labels=["a", "b"])
    alone = nested(a, draws=3, replications=2, seed=9, workers=1)
    np.testing.assert_array_equal(both.plan(0).effects, alone.effects)
    npv = SWING_KPIS.index("npv_net_savings")
    diff = both.effects[:, :, 1, npv] - both.effects[:, :, 0, npv]
    got = both.difference(1, "npv_net_savings")
    assert got["mean"] == pytest.approx(diff.mean())
    assert got["better_share"] == pytest.approx((diff.mean(axis=1) > 0).mean())
    assert both.difference(0, "npv_net_savings")["mean"] == 0.0
    table = both.table()
    assert list(table["plan"].unique()) == ["a", "b"] and len(table) == 2 * len(SWING_KPIS)
    assert both.summary()["reference"] == "a"
