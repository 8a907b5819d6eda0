"""The first screen says only what the runs support (issue 23): a verdict on money only where
the 95% interval excludes zero, the range labelled as run-to-run luck, revenue against the
status quo and the payback month, and the risk line as extra loss over the status quo."""

from __future__ import annotations

import math

import numpy as np
import pytest

from simulator.analysis.kpis import payback_month
from simulator.outputs.run import brief
from simulator.scenario import load_scenario

from .conftest import SCENARIOS


def _effect(mean: float, sd: float, n: int) -> dict[str, float]:
    half = brief.Z95 * sd / math.sqrt(n)
    return {"mean": mean, "sd": sd, "n": n, "ci95_low": mean - half, "ci95_high": mean + half}


def _summary(npv: dict, runs: int = 8, **extra) -> dict:
    kpis = {
        "npv_net_savings": npv,
        "payback_month": {"mean": 30.0, "n": runs},
        "breaches": {"mean": 1.2},
        "displaced_workers": {"mean": 90.0},
        "reemployed_share_24m": {"mean": 0.74},
        "left_labour_force_share_24m": {"mean": 0.1},
        "part_time_share_24m": {"mean": 0.2},
        "earnings_first_year": {"mean": 0.61},
        "breach_cost_realised": {"p95": 5e6},
    }
    effects = {
        "npv_net_savings": npv,
        "revenue_change_final": _effect(-0.18, 0.02, runs),
        "breach_cost_realised": {"p95": 3e6},
    }
    return {"replications": runs, "kpis": kpis, "effects": effects, **extra}


@pytest.fixture(scope="module")
def plan():
    return load_scenario(SCENARIOS / "default.yaml")


def test_no_verdict_where_the_interval_spans_zero(plan) -> None:
    npv = _effect(1e5, 6e5, 6)
    text = brief.headline(_summary(npv, 6), plan)
    assert "unclear whether this plan saves money" in text
    assert "saves $" not in text and "costs $" not in text
    assert "run-to-run luck" in text and "95% interval" in text and "6 replications" in text
    # (1.96 × 600k / 100k)² = 138.3: about 139 replications would tell it from zero
    assert "about 139 replications" in text
    assert brief.replications_needed(npv) == 139


def test_a_verdict_where_the_interval_excludes_zero(plan) -> None:
    saves = brief.headline(_summary(_effect(2e6, 5e5, 10), 10), plan)
    assert "this plan saves $2.00M" in saves and "status quo simulated on the same draws" in saves
    costs = brief.headline(_summary(_effect(-2e6, 5e5, 10), 10), plan)
    assert "this plan costs $2.00M more than it saves" in costs


def test_money_and_risk_lines(plan) -> None:
    summary = _summary(_effect(2e6, 5e5, 8))
    topics = {p["topic"]: p["text"] for p in brief.points(summary, plan)}
    assert "Revenue ends 18.0 points of starting revenue below the status quo's" in topics["Money"]
    assert "pays back by month 30" in topics["Money"]
    assert "$3.00M or more to them beyond what the status quo loses" in topics["Risk"]
    assert "only 8 runs inform this tail" in topics["Risk"]
    people = topics["People"]
    assert "It displaces 90 people; two years on 74% are back at work (20% of them part-time)" in (
        people
    )
    assert "10% have left the labour force and 16% are looking for work or training" in people
    assert "earn 0.61 of what their old job would have paid" in people
    summary["kpis"]["payback_month"] = {"mean": 40.0, "n": 3}
    topics = {p["topic"]: p["text"] for p in brief.points(summary, plan)}
    assert "in the 3 of 8 runs that do" in topics["Money"]


def test_a_safeguard_pays_for_itself_only_beyond_luck() -> None:
    row = {
        "group": "privacy",
        "title": "Customer privacy",
        "outcome": "breach_probability_annual",
        "outcome_unit": "probability",
        "outcome_effect": -0.05,
        "cost_per_unit": None,
    }
    sure = brief.safeguards(
        {"safeguards": [{**row, "npv_effect": 1e5, "npv_effect_ci95": (2e4, 2e5)}]}
    )
    unsure = brief.safeguards(
        {"safeguards": [{**row, "npv_effect": 1e5, "npv_effect_ci95": (-5e4, 2e5)}]}
    )
    assert sure[0]["verdict"] == "pays for itself"
    assert "within luck of zero" in unsure[0]["verdict"]


def test_payback_is_the_month_the_cumulative_saving_stays_above_zero() -> None:
    assert payback_month(np.array([-5.0, 2.0, 2.0, 2.0])) == 3.0  # −5, −3, −1, +1
    assert payback_month(np.array([1.0, -2.0, 3.0])) == 2.0  # dips below, back in month 2
    assert payback_month(np.array([1.0, 1.0])) == 0.0
    assert payback_month(np.array([-1.0, 0.5])) is None  # not paid back by the horizon


def test_an_extending_plan_is_described_by_its_changes(tmp_path) -> None:
    """The README's own example: a child with new shares does not inherit the parent's
    description of other shares; one that writes its own keeps it."""
    from simulator.scenario import load_scenario as load

    child = tmp_path / "my_plan.yaml"
    child.write_text(
        f"extends: {SCENARIOS / 'default.yaml'}\n"
        "simulation: {name: my_plan}\n"
        "plan:\n  phases:\n    - {month: 6, ramp_months: 3, shares: {manila: 0.4}}\n",
        encoding="utf-8",
    )
    parent = load(SCENARIOS / "default.yaml")
    described = load(child).simulation.description
    assert described != parent.simulation.description
    assert described == "Based on default, with changes to plan.phases."
    own = tmp_path / "own.yaml"
    own.write_text(
        f"extends: {SCENARIOS / 'default.yaml'}\n"
        "simulation: {name: own, description: Forty per cent to Manila}\n"
        "plan:\n  phases:\n    - {month: 6, ramp_months: 3, shares: {manila: 0.4}}\n",
        encoding="utf-8",
    )
    assert load(own).simulation.description == "Forty per cent to Manila"
    rename_only = tmp_path / "renamed.yaml"
    rename_only.write_text(
        f"extends: {SCENARIOS / 'default.yaml'}\nsimulation: {{name: renamed, seed: 3}}\n",
        encoding="utf-8",
    )
    assert load(rename_only).simulation.description == parent.simulation.description
