"""One service standard (issue 23): the in-house centre is staffed by the rule the vendors
follow — Erlang C to the company's target — so a plan's saving is cheaper labour, not a
service cut against an overstaffed baseline."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.analysis.kpis import compute_kpis
from simulator.model.model import OutsourcingModel
from simulator.scenario import load_scenario, scenario_from_dict, scenario_to_dict
from simulator.scenario.overrides import with_overrides
from simulator.scenario.status_quo import status_quo_of

from .conftest import SCENARIOS, shrink


def _run(scenario, seed: int = 3) -> tuple[OutsourcingModel, object]:
    model = OutsourcingModel(scenario, seed=seed).run()
    return model, model.datacollector.get_model_vars_dataframe()


@pytest.mark.parametrize("customers", [5_000, 20_000, 60_000])
def test_the_status_quo_answers_at_the_standard_whatever_its_size(customers) -> None:
    """The service level the baseline is measured at does not drift with the company's size
    (it did from 0.90 to 1.00 when the roster fixed the staff): after the roster's surplus
    has left, the status quo answers close to the 80/20 standard every month."""
    small = shrink(load_scenario(SCENARIOS / "default.yaml"), customers, 24)
    staff = round(240 * customers / 120_000)  # the default's roster, scaled with the company
    sq = status_quo_of(with_overrides(small, {"workforce.headcount": staff}))
    model, ts = _run(sq)
    level = ts["service_level_in_house"].to_numpy()[6:]
    assert 0.78 <= level.mean() <= 0.90, level
    assert ts["displaced_cumulative"].max() == 0  # a surplus leaves by attrition, not layoff
    positions = ts["in_house_positions"].to_numpy()
    # the staffing follows the volume (customers x contact rate), by the same Erlang C rule
    now = model.in_house_staff_for(float(ts["issues"].iloc[-1]))
    assert abs(int(positions[-1]) - now) <= max(2, 0.03 * now)


def test_a_roster_above_the_standard_shrinks_by_attrition_only() -> None:
    """240 agents where 80/20 needs about 220: nobody is hired until the staff are down to
    the standard, and nobody is laid off."""
    sq = status_quo_of(shrink(load_scenario(SCENARIOS / "default.yaml"), 120_000, 12))
    model, ts = _run(sq)
    staff = ts["employees_in_house"].to_numpy()
    assert staff[0] > ts["in_house_positions"].iloc[0]
    assert (np.diff(staff[:3]) <= 0).all()  # the surplus is not replaced
    assert ts["cost_hiring"].iloc[:2].sum() == 0.0
    assert ts["displaced_cumulative"].max() == 0
    assert model.workforce.hire(-5) == 0  # a negative need hires nobody


def test_vendors_follow_the_companys_standard_unless_their_contract_sets_one() -> None:
    base = shrink(load_scenario(SCENARIOS / "default.yaml"), 3000, 12)
    model = OutsourcingModel(with_overrides(base, {"company.service_level_target": 0.9}), seed=1)
    assert all(v.service_level_target == 0.9 for v in model.vendors)
    contract = with_overrides(base, {"vendors.0.service_level_target": 0.7})
    vendors = OutsourcingModel(contract, seed=1).vendors
    assert vendors[0].service_level_target == 0.7 and vendors[1].service_level_target == 0.8


def test_a_vendor_at_the_in_house_price_and_quality_saves_nothing() -> None:
    """Move everything to a vendor that charges what in-house labour costs per hour and
    serves as well: at the same service standard, the plan cannot save money (it only pays
    for the move)."""
    base = shrink(load_scenario(SCENARIOS / "default.yaml"), 20_000, 36)
    wf = base.workforce
    loaded_hour = wf.wage_per_hour * (1 + wf.benefits_share) + (
        wf.overhead_per_agent_month / wf.paid_hours_per_month
    )
    twin = {
        "name": "twin",
        "location": "onshore",
        "in_home_region": True,
        "price_per_agent_hour": loaded_hour,
        "governance_share": 0.0,
        "language_proficiency_mean": 0.99,
        "cultural_distance": 0.0,
        "security_maturity": base.company.security_maturity,
        "base_attrition_annual": wf.attrition_annual,
    }
    data = scenario_to_dict(base)
    data["vendors"] = [twin]
    data["plan"]["phases"] = [{"month": 3, "ramp_months": 3, "shares": {"twin": 0.5}}]
    plan = scenario_from_dict(data, "twin vendor")
    model, ts = _run(plan)
    kpis = compute_kpis(model, ts)
    at_equal_service = kpis["npv_saving_labour_price"] + kpis["npv_saving_service_level"]
    assert at_equal_service <= 0.0, kpis
    assert kpis["npv_net_savings"] <= 0.0, kpis
