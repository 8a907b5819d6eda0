"""Unit tests of single mechanisms against known values or hand calculations."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.analysis.kpis import kaplan_meier_median
from simulator.model.company import plan_shares
from simulator.model.labour_market import SPENDING_PER_JOB_YEAR, LocalEconomy
from simulator.model.service import Proficiency, erlang_c, first_contact_resolution, queue, serve
from simulator.model.vendors import LanguagePool
from simulator.scenario import load_scenario, scenario_from_dict
from simulator.scenario.schema import CommunityInvestment
from simulator.scenario.schema import LocalEconomy as LocalParams


@pytest.mark.parametrize(
    ("agents", "load", "expected"),
    [(10, 8.0, 0.4092), (2, 1.0, 0.3333), (1, 0.5, 0.5), (20, 15.0, 0.1604)],
)
def test_erlang_c_matches_the_factorial_formula(agents, load, expected):
    assert erlang_c(agents, load) == pytest.approx(expected, abs=1e-4)


def test_erlang_c_edges_and_large_pools():
    assert erlang_c(5, 0.0) == 0.0
    assert erlang_c(5, 6.0) == 1.0
    big = erlang_c(3000.0, 2900.0)
    assert 0.0 < big < 1.0


def test_queue_overload_abandons_and_service_level_falls():
    calm = queue(contacts=10_000, staff=50, handle_time_s=600, paid_hours=173)
    busy = queue(contacts=60_000, staff=50, handle_time_s=600, paid_hours=173)
    assert calm.service_level > 0.9 and calm.answered_share == 1.0
    assert busy.service_level == 0.0 and busy.answered_share < 1.0


def test_fcr_orders_channels_as_cfi_group_reports():
    in_house = Proficiency(0.85, 1.0, 1.0, 0.7, 1.0)
    weak = Proficiency(0.75, 0.6, 0.45, 0.55, 0.0)
    strong = Proficiency(0.85, 0.9, 0.9, 0.6, 1.0)
    fi, fw, fs = (first_contact_resolution(p) for p in (in_house, weak, strong))
    assert 0.65 < fi < 0.78  # SQM average about 70%
    assert 0.35 < fw < 0.5  # CFI Group offshore about 42%
    assert fw < fs < fi and (fi - fs) < (fi - fw) / 2  # the gap mostly closes
    ci = serve(50_000, 200, 173, in_house, external=False).csat
    cw = serve(50_000, 200, 173, weak, external=True).csat
    assert ci - cw > 12  # CFI: 79 vs 58


def test_plan_shares_ramp_linearly_and_hold():
    sc = scenario_from_dict(
        {
            "simulation": {"horizon_months": 12},
            "vendors": [{"name": "a"}],
            "plan": {
                "phases": [
                    {"month": 2, "ramp_months": 3, "shares": {"a": 0.4}},
                    {"month": 8, "ramp_months": 0, "shares": {"a": 0.1}},
                ]
            },
        }
    )
    s = plan_shares(sc)[:, 0]
    np.testing.assert_allclose(s[:2], 0.0)
    np.testing.assert_allclose(s[2:6], [0.1, 0.2, 0.3, 0.4])
    np.testing.assert_allclose(s[6:8], 0.4)
    np.testing.assert_allclose(s[8:], 0.1)


def test_kaplan_meier_median_with_censoring():
    # events at 1, 2, 3, 4; censored at 5 and 6: S drops by 1/6, 1/5, 1/4 ... median at 3
    d = np.array([1, 2, 3, 4, 5, 6], dtype=float)
    e = np.array([True, True, True, True, False, False])
    assert kaplan_meier_median(d, e) == 3.0
    assert kaplan_meier_median(np.array([2.0, 7.0]), np.array([False, False])) == 7.0
    assert kaplan_meier_median(np.array([]), np.array([], dtype=bool)) is None


def test_language_pool_truncation():
    pool = LanguagePool(0.6)
    rng = np.random.default_rng(3)
    draws = pool.draw_above(0.7, 50_000, rng)
    assert draws.min() >= 0.7 - 1e-9
    assert draws.mean() == pytest.approx(pool.mean_above(0.7), abs=0.003)
    assert 0 < pool.share_below(0.7) < 1
    assert pool.mean_above(0.0) == pytest.approx(0.6)


def economy(**invest) -> LocalEconomy:
    return LocalEconomy(LocalParams(), CommunityInvestment(**invest))


def test_local_market_is_steady_without_shocks():
    ec = economy()
    u0 = ec.unemployment_rate(0)
    for t in range(60):
        ec.invest_in_community(t, 0)
        ec.respond_to_job_losses(0.0, 0.0, 0.0)
        ec.match(0)
    assert ec.unemployment_rate(0) == pytest.approx(u0, rel=1e-6)


@pytest.mark.parametrize("multiplier", [0.5, 1.0, 1.6])
def test_multiplier_is_local_jobs_per_tradable_job(multiplier: float) -> None:
    """Moretti's number: after the lag, `local_multiplier` local jobs per job moved out,
    whatever the wages and income support (a reduced form)."""
    p = LocalParams(local_multiplier=multiplier, multiplier_lag_months=6.0)
    ec = LocalEconomy(p, CommunityInvestment())
    for t in range(120):
        ec.invest_in_community(t, 0)
        ec.respond_to_job_losses(100.0, 100 * 3000.0, 50_000.0)
        ec.match(0)
    assert ec.jobs_lost == pytest.approx(multiplier * 100, rel=1e-6)
    assert ec.income_lost == pytest.approx(250_000.0)
    assert ec.unemployment_rate(0) > p.baseline_unemployment_rate
    # the lag: after one time constant, 1 - e^-1 of the way (monthly steps)
    lagged = LocalEconomy(p, CommunityInvestment())
    for _ in range(6):
        lagged.respond_to_job_losses(100.0, 0.0, 0.0)
    expected = multiplier * 100 * (1 - (1 - (1 - np.exp(-1 / 6))) ** 6)
    assert lagged.jobs_lost == pytest.approx(expected, rel=1e-9)


def test_community_investment_buys_jobs_and_matching():
    budget = 24 * SPENDING_PER_JOB_YEAR * 10  # ten job-years a month for two years
    sb = economy(
        budget_total=budget,
        duration_months=24,
        focus={"skills": 0, "small_business": 1, "infrastructure": 0},
    )
    skills = economy(
        budget_total=budget,
        duration_months=24,
        focus={"skills": 1, "small_business": 0, "infrastructure": 0},
    )
    skills.invest_in_community(0, 100)
    assert skills.efficiency > 1.0  # skills spending raises matching efficiency at once
    job_months = 0.0
    for t in range(120):
        sb.invest_in_community(t, 100)
        job_months += sb.jobs_supported
    assert job_months == pytest.approx(24 * 10 * 12, rel=0.05)  # 1 job-year per USD 48k
    assert sb.efficiency == 1.0


def test_extends_merges_mappings_and_replaces_lists(tmp_path):
    base = tmp_path / "base.yaml"
    base.write_text(
        "simulation: {name: base, horizon_months: 24}\n"
        "vendors: [{name: a}, {name: b}]\n"
        "workforce: {headcount: 50, wage_per_hour: 20}\n"
    )
    child = tmp_path / "sub" / "child.yaml"
    child.parent.mkdir()
    child.write_text("extends: ../base.yaml\nworkforce: {headcount: 30}\nvendors: [{name: c}]\n")
    sc = load_scenario(child)
    assert sc.workforce.headcount == 30 and sc.workforce.wage_per_hour == 20
    assert sc.simulation.horizon_months == 24
    assert [v.name for v in sc.vendors] == ["c"]
