"""Complaints to a regulator (issue 27): the published rate at the starting service, a rise
only through unresolved issues, and draws that leave every other outcome alone."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.model.complaints import PER_QUARTER, escalation_probability, file_complaints
from simulator.model.model import OutsourcingModel
from simulator.model.streams import Streams
from simulator.scenario.overrides import with_overrides
from simulator.scenario.status_quo import status_quo_of

from .conftest import shrink

RATE = "customers.regulator_complaints_per_100k_quarter"


def test_the_escalation_probability_by_hand() -> None:
    """15 per 100,000 a quarter from 60,000 customers is 3 complaints a month; with 20,000
    issuers a month and 5% left unresolved (1,000), q = 3 / 1,000."""
    assert escalation_probability(15, 60_000, 20_000, 0.05) == pytest.approx(0.003)
    assert escalation_probability(0, 60_000, 20_000, 0.05) == 0.0
    assert escalation_probability(15, 60_000, 20_000, 0.0) == 0.0
    assert escalation_probability(1e4, 60_000, 10, 0.01) == 1.0  # at most every one


def test_complaints_are_drawn_per_unresolved_customer_and_month() -> None:
    streams = Streams(7)
    slots = np.arange(10_000)
    some = file_complaints(streams, 3, slots, 0.1)
    assert 900 < some < 1100
    assert file_complaints(Streams(7), 3, slots, 0.1) == some  # the same seed, the same
    half = file_complaints(streams, 3, slots[:5000], 0.1)
    assert half <= some  # a customer's draw does not depend on who else is unresolved
    assert file_complaints(streams, 3, slots, 0.0) == 0


def _series(scenario, seed: int = 3):
    model = OutsourcingModel(scenario, seed=seed).run()
    frame = model.datacollector.get_model_vars_dataframe()
    return model, frame


def test_the_status_quo_reproduces_the_published_rate(default_small) -> None:
    """At its starting service the company's centre produces the industry's rate (a high one
    here, so that two years of draws pin it down)."""
    quo = with_overrides(status_quo_of(shrink(default_small, 20_000, 24)), {RATE: 3000})
    model, ts = _series(quo)
    rate = PER_QUARTER * ts["complaints"].sum() / ts["customers_active"].sum()
    assert rate == pytest.approx(3000, rel=0.05)
    fresh = OutsourcingModel(quo, seed=3)  # q is set when the model is built
    expected = escalation_probability(
        3000,
        quo.customers.count,
        fresh.customers.expected_issuers(float(fresh.demand[0])),
        fresh._serve_in_house_alone().p_unresolved,
    )
    assert model.complaint_probability == fresh.complaint_probability == pytest.approx(expected)


def test_complaints_leave_every_other_outcome_alone_and_rise_with_unresolved(default_small):
    """Complaints have their own draws: with none to file every other monthly series is the
    same to the last bit. Under the plan, vendors leave more issues unresolved, and the
    complaints rise with them, at the same escalation probability."""
    plan = shrink(default_small, 20_000, 24)
    _, with_complaints = _series(plan)
    _, without = _series(with_overrides(plan, {RATE: 0}))
    others = [c for c in with_complaints.columns if not c.startswith("complaints")]
    assert (without["complaints"] == 0).all()
    np.testing.assert_array_equal(with_complaints[others].to_numpy(), without[others].to_numpy())
    loud = {RATE: 3000}
    _, plan_ts = _series(with_overrides(plan, loud))
    _, quo_ts = _series(with_overrides(status_quo_of(plan), loud))
    assert plan_ts["complaints"].sum() > 1.2 * quo_ts["complaints"].sum()
