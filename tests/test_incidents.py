"""Scheduled incidents (issue 27): a data theft or mis-selling at a holder in a given month,
carried by the privacy and trust mechanisms."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.model.incidents import incident_cost, victims
from simulator.model.model import OutsourcingModel
from simulator.model.privacy import TRUST_DROP_PUBLICITY
from simulator.model.streams import Streams
from simulator.scenario import ScenarioError, scenario_from_dict, scenario_to_dict
from simulator.scenario.schema import Incident
from simulator.scenario.status_quo import status_quo_of

from .conftest import shrink


def with_incidents(scenario, *incidents: dict):
    data = scenario_to_dict(scenario)
    data["plan"]["incidents"] = list(incidents)
    return scenario_from_dict(data)


def month_of(scenario, month: int, seed: int = 5):
    """The model after ``month`` + 1 months, and its monthly series."""
    model = OutsourcingModel(scenario, seed=seed)
    for _ in range(month + 1):
        model.step()
    return model, model.datacollector.get_model_vars_dataframe()


def test_victims_are_the_smallest_uniforms_of_those_held() -> None:
    held = np.arange(100, 200)
    streams = Streams(1)
    picked = victims(streams, 0, 4, held, 10)
    assert len(picked) == 10 and set(picked) <= set(held) and (np.diff(picked) > 0).all()
    u = streams.uniforms(("incident", "0"), 4, held)
    assert set(picked) == set(held[np.argsort(u)[:10]])
    assert (victims(streams, 0, 4, held[:5], 10) == held[:5]).all()  # fewer held: all of them
    assert set(victims(streams, 1, 4, held, 10)) != set(picked)  # each incident its own luck


def test_costs_by_hand() -> None:
    theft = Incident(month=1, holder="in_house", kind="data_theft", customers=20, losses=5000)
    assert incident_cost(theft, 20, 150.0, 1e6) == 20 * 150 + 1e6 + 5000
    selling = Incident(month=1, holder="in_house", kind="mis_selling", customers=20, losses=7000)
    assert incident_cost(selling, 20, 150.0, 1e6) == 7000
    assert incident_cost(theft, 0, 150.0, 1e6) == 0.0  # nobody held: nothing happens


@pytest.mark.parametrize(
    ("incident", "message"),
    [
        (
            {"month": 3, "holder": "mumbai", "kind": "data_theft", "customers": 5},
            "plan.incidents.0.holder is 'mumbai'; expected in_house or a vendor's name",
        ),
        (
            {"month": 100, "holder": "in_house", "kind": "data_theft", "customers": 5},
            "plan.incidents.0.month is 100, past the horizon",
        ),
    ],
)
def test_an_incident_must_name_a_holder_and_a_month_inside_the_run(
    default_small, incident, message
) -> None:
    with pytest.raises(ScenarioError, match=message):
        with_incidents(default_small, incident)


def test_a_data_theft_in_house_strikes_its_victims_and_costs_in_full(default_small) -> None:
    quo = status_quo_of(shrink(default_small, 5000, 12))
    theft = {"month": 3, "holder": "in_house", "kind": "data_theft", "customers": 16}
    struck = with_incidents(quo, {**theft, "losses": 400_000.0})
    model, ts = month_of(struck, 3)
    _, calm = month_of(quo, 3)
    assert ts["incident_victims"].tolist() == [0, 0, 0, 16] and ts["incidents"].iloc[3] == 1
    assert model.incidents_struck[0].slots.tolist() == sorted(model.incidents_struck[0].slots)
    # the victims are breached; some of them leave at once (a breach's extra churn)
    assert 8 <= ts["customers_breached"].iloc[3] - calm["customers_breached"].iloc[3] <= 16
    per_record = model.privacy.cost_per_record(model.privacy.holders[0])
    cost = 16 * per_record + quo.costs.breach_fixed_cost + 400_000
    extra = ts["cost_breaches"].iloc[3] - calm["cost_breaches"].iloc[3]
    assert extra == pytest.approx(cost)
    decision = ts["cost_decision"].iloc[3] - calm["cost_decision"].iloc[3]
    assert decision == pytest.approx(cost)  # certain: in the decision cost in full
    assert ts["trust_mean"].iloc[3] < calm["trust_mean"].iloc[3]
    assert ts["breaches"].iloc[3] == calm["breaches"].iloc[3]  # not a random breach


def test_a_vendor_incident_in_the_status_quo_finds_nobody(default_small) -> None:
    plan = shrink(default_small, 5000, 12)
    vendor = plan.vendors[0].name
    theft = {"month": 2, "holder": vendor, "kind": "data_theft", "customers": 50}
    quo = status_quo_of(with_incidents(plan, theft))
    assert len(quo.plan.incidents) == 1  # kept in the status quo
    _, ts = month_of(quo, 2)
    _, calm = month_of(status_quo_of(plan), 2)
    assert ts["incident_victims"].sum() == 0
    np.testing.assert_array_equal(ts.to_numpy(), calm.to_numpy())


def test_mis_selling_wrongs_without_losing_records_and_publicity_is_optional(
    default_small,
) -> None:
    quo = status_quo_of(shrink(default_small, 5000, 12))
    selling = {"month": 2, "holder": "in_house", "kind": "mis_selling", "customers": 30}
    loud, loud_ts = month_of(with_incidents(quo, {**selling, "losses": 9000.0}), 2)
    quiet, quiet_ts = month_of(with_incidents(quo, {**selling, "public": False}), 2)
    calm, calm_ts = month_of(quo, 2)
    assert loud_ts["customers_breached"].iloc[2] == calm_ts["customers_breached"].iloc[2]
    assert loud_ts["cost_breaches"].iloc[2] - calm_ts["cost_breaches"].iloc[2] == 9000.0
    hit = quiet.incidents_struck[0].slots
    assert (hit == loud.incidents_struck[0].slots).all()  # the same victims
    stayed = quiet.customers.active & calm.customers.active & loud.customers.active
    hit = hit[stayed[hit]]
    others = np.setdiff1d(np.flatnonzero(stayed), hit)
    # (a victim who left may have given its slot to a new customer, with a new trust)
    drop = quiet.customers.trust[hit] - calm.customers.trust[hit]
    assert (drop < 0).mean() >= 0.9 and drop.mean() < -0.1
    # the others: untouched when the press does not hear of it (bar the few slots its victims'
    # leaving gave to other new customers), a publicity drop each when it does
    calm_others = calm.customers.trust[others].mean()
    assert quiet.customers.trust[others].mean() == pytest.approx(calm_others, abs=2e-3)
    assert loud.customers.trust[others].mean() < calm_others - TRUST_DROP_PUBLICITY / 2
