"""Breach risk grows with what a holder holds (issue 24, item 7): record-equivalents (records ×
share of fields) raise the monthly probability smoothly, less than in proportion, with no
plateau at 10,000 records; the reference holding reproduces Ponemon's 26% in 24 months."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.model import privacy
from simulator.model.privacy import (
    REFERENCE_RECORDS,
    SIZE_EXPONENT,
    Holder,
    Privacy,
    breach_probability,
)
from simulator.scenario.schema import Costs
from simulator.scenario.schema import Privacy as PrivacyPolicy

SLOTS = 300_000


def _holder(records: int, third_party: bool = True, maturity: float = 0.5) -> Holder:
    held = np.zeros(SLOTS, dtype=bool)
    held[:records] = True
    return Holder("manila" if third_party else "in_house", maturity, third_party, held)


def _privacy(fields: float = 1.0, **controls: object) -> Privacy:
    policy = PrivacyPolicy(fields_shared_share=fields, audits_per_year=0, **controls)
    return Privacy(policy, Costs())


def _two_years(p: float) -> float:
    return 1.0 - (1.0 - p) ** 24


def test_the_reference_holding_reproduces_ponemon_in_closed_form() -> None:
    """60,000 full records at average security, no controls: 26% within 24 months, for a
    vendor and for the company itself alike."""
    assert REFERENCE_RECORDS == 60_000
    for third_party in (True, False):
        p = _privacy().breach_probability(_holder(REFERENCE_RECORDS, third_party))
        assert _two_years(p) == pytest.approx(0.26, abs=1e-12)
    assert breach_probability(REFERENCE_RECORDS) == pytest.approx(privacy.BASE_MONTHLY_BREACH)


def test_the_hazard_scales_as_exposure_to_the_size_exponent() -> None:
    """−log of the monthly survival is the reference hazard × (exposure / reference)^γ."""
    hazard = -math.log1p(-privacy.BASE_MONTHLY_BREACH)
    for exposure in (1.0, 2_500.0, 10_000.0, 60_000.0, 250_000.0, 5e6):
        p = breach_probability(exposure)
        expected = hazard * (exposure / REFERENCE_RECORDS) ** SIZE_EXPONENT
        assert -math.log1p(-p) == pytest.approx(expected, rel=1e-12)


def test_no_plateau_above_ten_thousand_records() -> None:
    """Every step in records held above the old 10,000-record saturation raises the risk, by
    less than in proportion (diminishing returns)."""
    pr = _privacy()
    sizes = [10_000, 20_000, 40_000, 60_000, 120_000, 240_000]
    probs = [pr.breach_probability(_holder(n)) for n in sizes]
    assert all(b > a for a, b in zip(probs, probs[1:], strict=False))
    for (n0, p0), (n1, p1) in zip(
        zip(sizes, probs, strict=True), zip(sizes[1:], probs[1:], strict=True), strict=False
    ):
        assert p1 / p0 < n1 / n0  # less than in proportion
        assert p1 / p0 == pytest.approx((n1 / n0) ** SIZE_EXPONENT, rel=0.02)
    # twice the reference: more than the reference, less than twice it
    ref = pr.breach_probability(_holder(REFERENCE_RECORDS))
    assert ref < pr.breach_probability(_holder(2 * REFERENCE_RECORDS)) < 2 * ref


def test_a_small_holder_has_a_small_risk_not_zero_nor_full() -> None:
    """Below 10,000 records the risk is below the reference's, and above zero."""
    pr = _privacy()
    ref = pr.breach_probability(_holder(REFERENCE_RECORDS))
    for n in (1, 100, 1_000, 5_000, 9_999):
        p = pr.breach_probability(_holder(n))
        assert 0.0 < p < ref
    # 6,000 records, a tenth of the reference: 0.1^0.6 ≈ 0.251 of its hazard
    assert pr.breach_probability(_holder(6_000)) == pytest.approx(0.251 * ref, rel=0.01)
    assert pr.breach_probability(_holder(0)) == 0.0


def test_fields_shared_lower_the_risk_less_than_in_proportion() -> None:
    """Data minimisation: 40% of the fields is 40% of the record-equivalents, so 0.4^γ of the
    hazard; fewer fields, lower risk."""
    shares = [0.1, 0.25, 0.4, 0.7, 1.0]
    probs = [_privacy(f).breach_probability(_holder(REFERENCE_RECORDS)) for f in shares]
    assert all(b > a for a, b in zip(probs, probs[1:], strict=False))
    full, lean = probs[-1], probs[2]
    hazard = -math.log1p(-full)
    assert -math.log1p(-lean) == pytest.approx(0.4**SIZE_EXPONENT * hazard, rel=1e-12)
    assert 0.4 < lean / full < 0.6
    # the fields shared bind vendors only: the company holds its full records
    company = _privacy(0.4).breach_probability(_holder(REFERENCE_RECORDS, third_party=False))
    assert company == pytest.approx(full)


def test_controls_and_maturity_still_cut_the_risk_at_any_holding() -> None:
    for n in (5_000, 60_000, 500_000):
        bare = _privacy().breach_probability(_holder(n))
        guarded = _privacy(secure_storage=True, encryption=True).breach_probability(_holder(n))
        mature = _privacy().breach_probability(_holder(n, maturity=0.8))
        assert guarded < bare and mature < bare


def test_the_probability_stays_below_one_at_any_holding_a_scenario_allows() -> None:
    """The schema allows 50 million customers (with spare slots, up to ~62.5 million held);
    even at maturity 0 the probability is below 1, and it has no cap below that."""
    assert breach_probability(1e8, maturity=0.0) < 1.0
    assert breach_probability(1e7) < breach_probability(1e8) < 1.0


@settings(max_examples=200, deadline=None)
@given(
    exposure=st.floats(min_value=1.0, max_value=1e6, allow_nan=False),
    factor=st.floats(min_value=1.01, max_value=100.0, allow_nan=False),
    maturity=st.floats(min_value=0.0, max_value=1.0, allow_nan=False),
    controls=st.floats(min_value=0.1, max_value=1.0, allow_nan=False),
)
def test_more_exposure_never_lowers_the_risk(
    exposure: float, factor: float, maturity: float, controls: float
) -> None:
    """Monotone in exposure (records × fields) at any security and controls, less than in
    proportion, and a probability."""
    p0 = breach_probability(exposure, maturity, controls)
    p1 = breach_probability(exposure * factor, maturity, controls)
    assert 0.0 < p0 <= p1 < 1.0
    assert p1 <= p0 * factor
    if p1 < 0.5:  # far from 1, where the rounding of 1 − p would hide the step
        assert p1 > p0


@settings(max_examples=50, deadline=None)
@given(
    records=st.integers(min_value=1, max_value=SLOTS - 1),
    more=st.integers(min_value=1, max_value=50_000),
    fields=st.floats(min_value=0.01, max_value=1.0, allow_nan=False),
)
def test_more_records_or_fields_never_lower_a_vendors_risk(
    records: int, more: int, fields: float
) -> None:
    pr = _privacy(fields)
    p = pr.breach_probability(_holder(records))
    assert pr.breach_probability(_holder(min(records + more, SLOTS))) >= p
    assert _privacy(min(1.0, fields * 1.5)).breach_probability(_holder(records)) >= p
