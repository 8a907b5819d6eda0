"""Details pinned where mutation testing (``make mutation``) found the fast tier blind: a
planted bug in each of these survived every fast test before. Each test states the value
or the shape a reader relies on."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from simulator.analysis import kpis
from simulator.analysis.compare import compare
from simulator.analysis.discovery import Box, DiscoveryError, Prim, Step, trajectory_frame
from simulator.analysis.displacement import displaced, share_in_state
from simulator.analysis.groups import group_outcomes
from simulator.analysis.replicate import run_model
from simulator.analysis.validation import fact_row
from simulator.analysis.validation.facts import FACTS
from simulator.model.company import plan_shares
from simulator.model.employees import State
from simulator.model.metrics import METRICS
from simulator.model.model import OutsourcingModel
from simulator.model.service import Proficiency, escalation_share
from simulator.model.vendors import LEARNING_RATE, LEARNING_SHARING_BOOST
from simulator.scenario import load_scenario, scenario_from_dict, scenario_to_dict
from simulator.scenario.overrides import with_overrides

from .conftest import SCENARIOS, shrink


@pytest.fixture(scope="module")
def small():
    return shrink(load_scenario(SCENARIOS / "default.yaml"), 3_000, 24)


@pytest.fixture(scope="module")
def finished(small) -> OutsourcingModel:
    return OutsourcingModel(small, seed=4).run()


# -- the model's records ------------------------------------------------------------------------
def test_every_metric_a_month_records_is_a_declared_column(small) -> None:
    """A metric written under another name would leave its column at a stale value."""
    model = OutsourcingModel(small, seed=1)
    model.step()
    assert set(model.metrics) == set(METRICS)


def test_a_vendor_left_out_of_a_phase_gets_no_share(small) -> None:
    data = scenario_to_dict(small)
    data["plan"]["phases"] = [{"month": 2, "ramp_months": 0, "shares": {"manila": 0.3}}]
    shares = plan_shares(scenario_from_dict(data, "one vendor"))
    assert shares[:, 0].max() == pytest.approx(0.3)
    assert (shares[:, 1] == 0.0).all()


def test_the_disclosure_campaign_is_paid_once(small) -> None:
    told = with_overrides(small, {"policies.transparency.disclose_outsourcing": True})
    model = OutsourcingModel(told, seed=2).run()
    cost = model.datacollector.get_model_vars_dataframe()["cost_disclosure"]
    assert (cost > 0).sum() == 1
    assert cost.sum() == pytest.approx(told.costs.disclosure_campaign_cost)
    assert model.company.disclosed is True


# -- customers ----------------------------------------------------------------------------------
def test_new_customers_told_of_the_outsourcing_know_it(small) -> None:
    model = OutsourcingModel(small, seed=3)
    cu = model.customers
    cu.start_month(0)
    slots = cu.acquire(40.0, informed=1.0, aware=1.0)
    assert len(slots) > 0 and cu.informed[slots].all() and cu.aware[slots].all()


def test_trust_lost_on_discovery_by_hand(small) -> None:
    """Each customer loses drop × (0.5 + privacy sensitivity), at most the trust held."""
    cu = OutsourcingModel(small, seed=3).customers
    act = cu.active
    before, sensitivity = cu.trust[act].copy(), cu.privacy_sensitivity[act].copy()
    cu.discover_outsourcing(0.1)
    expected = before - np.minimum(before, 0.1 * (0.5 + sensitivity))
    np.testing.assert_allclose(cu.trust[act], expected, rtol=1e-6)
    assert cu.aware[act].all()


# -- service and vendors ------------------------------------------------------------------------
def test_escalations_by_hand() -> None:
    """25% of the product gap plus 10% of the knowledge-sharing gap."""
    p = Proficiency(product=0.6, language=1.0, culture=1.0, wellbeing=0.6, knowledge_sharing=0.5)
    assert escalation_share(p) == pytest.approx(0.25 * 0.4 + 0.1 * 0.5)


def test_vendor_staff_learn_faster_with_joint_sessions(small) -> None:
    v = OutsourcingModel(small, seed=1).vendors[0]
    v.product[:] = 0.4
    v.learn()
    rate = LEARNING_RATE * (1.0 + LEARNING_SHARING_BOOST * v.sharing)
    np.testing.assert_allclose(v.product, 0.4 + rate * 0.6, rtol=1e-6)


def test_a_fined_breach_costs_records_fixed_cost_and_fine(small) -> None:
    """Searching months for a breach that drew a fine: its cost is the records at their
    cost, the fixed cost and the fine, all added."""
    model = OutsourcingModel(small, seed=5)
    pr, active = model.privacy, model.customers.active
    fined = None
    for month in range(20_000):
        breaches = pr.draw_breaches(model.streams, month, active, model.annual_revenue)
        fined = next((b for b in breaches if b.fine > 0), None)
        if fined is not None:
            break
    assert fined is not None
    holder = next(h for h in pr.holders if h.name == fined.holder)
    per_record = pr.cost_per_record(holder)
    fixed = model.scenario.costs.breach_fixed_cost
    assert fined.cost == pytest.approx(fined.records * per_record + fixed + fined.fine)


# -- analysis -----------------------------------------------------------------------------------
def test_a_share_of_headcount_is_the_count_over_the_staff(finished) -> None:
    ts = finished.datacollector.get_model_vars_dataframe()
    quits = float(finished.workforce.voluntary_quit.sum())
    value = kpis.KPI_BY_NAME["early_quit_share"].compute(finished, ts)
    assert value == pytest.approx(quits / finished.workforce.n)


def test_out_of_the_labour_force_counts_that_state_only() -> None:
    """The share out of the labour force 24 months on is not the share back at work."""
    sc = shrink(load_scenario(SCENARIOS / "default.yaml"), 20_000, 60)
    model = OutsourcingModel(sc, seed=6).run()
    ts = model.datacollector.get_model_vars_dataframe()
    who = displaced(model)
    start = model.workforce.displaced_month[who]
    out = share_in_state(model, who, start, range(24, 25), State.left_labour_force)
    back = share_in_state(model, who, start, range(24, 25), State.reemployed)
    assert out is not None and back is not None and out != back
    assert kpis.KPI_BY_NAME["left_labour_force_share_24m"].compute(model, ts) == out


def test_group_outcomes_name_the_displaced_share(finished) -> None:
    table = group_outcomes(finished)
    assert "displaced_share" in table.columns
    shares = table["displaced_share"].dropna()
    assert ((shares >= 0) & (shares <= 1)).all() and len(shares) > 0


def test_a_kept_series_starts_with_replication_and_month(small) -> None:
    _, series, _, _ = run_model(small, np.random.SeedSequence(1), 7, keep=True)
    assert list(series.columns[:2]) == ["replication", "month"]
    assert (series["replication"] == 7).all()


def test_a_comparison_table_gives_each_plans_interval(small) -> None:
    result = compare([small, small], replications=2, seed=3, workers=1, labels=["a", "b"])
    table = result.table()
    assert {"mean", "ci95_low", "ci95_high", "diff_vs_reference"} <= set(table.columns)
    rows = table.dropna(subset=["mean"])
    assert (rows["ci95_low"] <= rows["mean"]).all() and (rows["mean"] <= rows["ci95_high"]).all()


def test_prim_refuses_a_minimum_mass_outside_zero_to_one() -> None:
    x = pd.DataFrame({"a": np.arange(10.0)})
    y = np.arange(10) > 5
    for bad in ({"mass_min": 0.0}, {"peel_alpha": 1.0}, {"paste_alpha": 0.0}):
        with pytest.raises(DiscoveryError, match="between 0 and 1"):
            Prim(x, y, **bad)


def test_a_trajectory_table_names_its_columns() -> None:
    steps = [Step(box=Box({}), coverage=1.0, density=0.5, mass=1.0, restricted=0, runs=10, cases=5)]
    frame = trajectory_frame(steps)
    assert list(frame.columns) == [
        "step",
        "coverage",
        "density",
        "mass",
        "restricted",
        "runs",
        "cases",
    ]


def test_a_validation_row_skips_missing_values() -> None:
    row = fact_row(FACTS[0], [0.5, None, 0.6, 0.7])  # type: ignore[list-item]
    assert row["model_mean"] == pytest.approx(0.6)


# -- found by the second sample (after issue 23) ----------------------------------------------
def test_group_outcomes_fill_every_column() -> None:
    """Every column carries values where workers were followed long enough (a value under
    another name would leave its column empty)."""
    sc = shrink(load_scenario(SCENARIOS / "default.yaml"), 20_000, 48)
    table = group_outcomes(OutsourcingModel(sc, seed=6).run())
    for column in ("reemployed_12m", "reemployed_24m", "earnings_ratio_12m", "earnings_ratio_24m"):
        assert table[column].notna().any(), column


def test_earnings_after_a_cut_by_hand(finished) -> None:
    from simulator.analysis import measures

    wf = finished.workforce
    nobody = np.array([], dtype=int)
    assert measures._earnings_from(finished, nobody, nobody) is None
    who = np.array([0, 1])
    start = np.array([finished.horizon - 2, finished.horizon - 1])
    by_hand = float(wf.earnings[-2:, 0].sum() + wf.earnings[-1, 1])
    assert measures._earnings_from(finished, who, start) == pytest.approx(by_hand)


def test_kaplan_meier_median_by_hand() -> None:
    """Ten spells, all ending: 3 at month 1, 2 at month 2, then one a month. Survival 0.7,
    then 0.7 × (1 − 2/7) = 0.5: the median is month 2 (a survival that forgot the earlier
    months would not reach one half until month 7)."""
    durations = np.array([1, 1, 1, 2, 2, 3, 5, 6, 7, 8], dtype=float)
    assert kpis.kaplan_meier_median(durations, np.ones(10, dtype=bool)) == 2.0


def test_turnover_is_a_years_quits_over_average_headcount() -> None:
    from simulator.analysis.measures import turnover

    assert turnover(np.array([2.0, 1.0]), np.array([100.0, 80.0])) == pytest.approx(12 * 3 / 180)
    assert turnover(np.array([1.0]), np.array([0.0])) is None


def test_local_jobs_scored_only_when_someone_is_displaced() -> None:
    from simulator.analysis.scorecard import score_dimension

    nobody = score_dimension("local_jobs", {"displaced_workers": 0.0})
    one = score_dimension("local_jobs", {"displaced_workers": 1.0})
    assert nobody.get("note") == "not affected" and one.get("note") is None


def test_a_breached_customer_loses_trust_by_hand(small) -> None:
    cu = OutsourcingModel(small, seed=3).customers
    slots = np.flatnonzero(cu.active)[:5]
    others = np.flatnonzero(cu.active)[5:10]
    before, sensitivity = cu.trust[slots].copy(), cu.privacy_sensitivity[slots].copy()
    other_before = cu.trust[others].copy()
    cu.suffer_breach(slots, 0.2, 0.01)
    expected = np.clip(np.clip(before - 0.01, 0, 1) - 0.2 * (0.5 + sensitivity), 0, 1)
    np.testing.assert_allclose(cu.trust[slots], expected, rtol=1e-6)
    np.testing.assert_allclose(cu.trust[others], np.clip(other_before - 0.01, 0, 1), rtol=1e-6)


def test_nobody_out_of_the_labour_force_returns_nobody(small) -> None:
    wf = OutsourcingModel(small, seed=1).workforce
    assert wf.return_to_search() == 0


def test_workers_on_notice_still_staff_the_centre(small) -> None:
    wf = OutsourcingModel(small, seed=1).workforce
    wf.give_notice(2, separation_month=5)
    assert wf.working_for_company().sum() == wf.n


def test_the_monthly_churn_rate_is_over_the_customers_at_the_start(small) -> None:
    model = OutsourcingModel(small, seed=2)
    model.step()
    m = model.metrics
    start = m["customers_active"] + m["customers_churned"] - m["customers_acquired"]
    assert m["churn_rate_monthly"] == pytest.approx(m["customers_churned"] / start)


def test_no_vendor_staff_no_vendor_language(small) -> None:
    from simulator.scenario.status_quo import status_quo_of

    model = OutsourcingModel(status_quo_of(small), seed=2)
    model.step()
    assert model.metrics["vendor_language"] == 0.0


def test_vendor_training_is_paid_at_the_vendors_price(small) -> None:
    trained = with_overrides(small, {"policies.communication.cultural_training_hours": 40.0})
    model = OutsourcingModel(trained, seed=2)
    paid = 0.0
    for _ in range(small.simulation.horizon_months):
        model.step()
        hires = [(v.hired, v.extra_training_hours(), v.price_per_hour()) for v in model.vendors]
        by_hand = sum(h * hours * price for h, hours, price in hires)
        assert model.metrics["cost_vendor_training"] == pytest.approx(by_hand)
        paid += by_hand
    assert paid > 0


def test_the_model_stops_running_at_its_horizon(small) -> None:
    model = OutsourcingModel(small, seed=1).run()
    assert model.running is False and model.month == small.simulation.horizon_months


def test_an_unresolved_issue_costs_more_with_an_accent_and_a_cultural_gap() -> None:
    from simulator.model.service import ACCENT_PENALTY, SCORE_UNRESOLVED, serve

    def unresolved(culture: float) -> float:
        p = Proficiency(
            product=1.0, language=0.5, culture=culture, wellbeing=0.6, knowledge_sharing=1.0
        )
        return serve(1000.0, 50.0, 160.0, p, external=False).score_unresolved

    accent = ACCENT_PENALTY * 0.5 * (0.6 + 0.4 * 0.5)
    wait = unresolved(0.5) - (SCORE_UNRESOLVED - accent)  # the same wait either way
    assert unresolved(1.0) - unresolved(0.5) == pytest.approx(ACCENT_PENALTY * 0.5 * 0.4 * 0.5)
    assert wait == pytest.approx(unresolved(1.0) - (SCORE_UNRESOLVED - ACCENT_PENALTY * 0.5 * 0.6))


def test_discovery_numbers_are_written_as_people_read_them() -> None:
    from simulator.analysis.discovery import shown

    assert shown(250000.0) == "250,000" and shown(21.123) == "21.1" and shown(0.3512) == "0.351"
