"""Which way a KPI is better is written once, on the KPI (``KPI.direction``), and the four
places that need it — the safeguards' outcomes, the scorecard, robust objectives and the EMA
adapter's outcomes — all follow it."""

from __future__ import annotations

import warnings

import pytest

from simulator.analysis import effects, scorecard
from simulator.analysis.kpis import KPI_BY_NAME, KPIS, Direction
from simulator.sweep.robust_spec import OptimiseSpec

LEVER = {"policies.transparency.employee_notice_months": {"range": [0, 6]}}


def spec(objectives: dict) -> OptimiseSpec:
    return OptimiseSpec.model_validate(
        {"base": "x.yaml", "levers": LEVER, "objectives": objectives}
    )


def test_every_kpi_has_a_direction() -> None:
    assert all(isinstance(k.direction, Direction) for k in KPIS)
    assert {d.value for d in Direction} == {"maximise", "minimise", "info"}
    assert [d.sign for d in Direction] == [1, -1, 0]
    for name in ("npv_net_savings", "reemployed_share_24m", "vendor_share_paid_fair"):
        assert KPI_BY_NAME[name].direction is Direction.maximise
    for name in ("customer_churn_annual", "breach_probability_annual", "displaced_workers"):
        assert KPI_BY_NAME[name].direction is Direction.minimise


def test_safeguards_improve_their_outcome_the_way_its_kpi_says() -> None:
    for group in effects.LEVER_GROUPS:
        direction = KPI_BY_NAME[group.outcome].direction
        assert direction is not Direction.info, group.name
        assert group.better == direction.sign


def test_scorecard_components_score_the_better_end_highest() -> None:
    for name, (_, components) in scorecard.DIMENSIONS.items():
        for c in components:
            direction = KPI_BY_NAME[c.metric].direction
            assert c.direction is direction is not Direction.info, (name, c.metric)
            low, high = c.score(0.0), c.score(c.reference)
            assert (low, high) == ((0.0, 1.0) if direction is Direction.maximise else (1.0, 0.0))
    with pytest.raises(ValueError, match="no better direction"):
        scorecard.Component("support_cost_total", 1.0, "", 1.0).score(0.5)


def test_robust_objectives_default_to_the_kpis_direction() -> None:
    objectives = {k: {} for k in ("npv_net_savings", "customer_churn_annual")}
    chosen = {k: o.direction for k, o in spec(objectives).objectives.items()}
    assert chosen == {k: KPI_BY_NAME[k].direction.value for k in objectives}
    # a spec may state the other way (a search for the worst plans, an analytic test)
    stated = spec({"npv_net_savings": {"direction": "minimise"}}).objectives
    assert stated["npv_net_savings"].direction == "minimise"
    with pytest.raises(ValueError, match="support_cost_total is reported for information"):
        spec({"support_cost_total": {}})
    assert spec({"support_cost_total": {"direction": "minimise"}})


def test_ema_outcome_kinds_follow_the_kpis_direction() -> None:
    pytest.importorskip("ema_workbench")
    with warnings.catch_warnings():  # ema_workbench warns that optional ipyparallel is missing
        warnings.simplefilter("ignore")
        from ema_workbench import ScalarOutcome

        from simulator.ema import outcome

    kinds = {
        Direction.maximise: ScalarOutcome.MAXIMIZE,
        Direction.minimise: ScalarOutcome.MINIMIZE,
        Direction.info: ScalarOutcome.INFO,
    }
    for k in KPIS:
        assert outcome(k.name).kind == kinds[k.direction] == k.direction.sign, k.name
