"""Mechanisms pinned by value against an independent source: a textbook formula in exact
arithmetic, or a number worked out by hand (the working is in each test's comments)."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest

from simulator.analysis import kpis, scorecard
from simulator.model import customers as cust
from simulator.model.privacy import BASE_MONTHLY_BREACH, Holder, Privacy
from simulator.model.service import OPEN_HOURS_PER_MONTH, SHRINKAGE, erlang_c, queue
from simulator.scenario.schema import Costs
from simulator.scenario.schema import Customers as CustomerParams
from simulator.scenario.schema import Privacy as PrivacyPolicy


# -- Erlang C -----------------------------------------------------------------------------------
def erlang_c_textbook(n: int, a: Fraction) -> Fraction:
    """The textbook Erlang C formula, summed term by term in exact rational arithmetic:
    C = (a^n/n! · n/(n−a)) / (Σ_{k<n} a^k/k! + a^n/n! · n/(n−a))."""
    top = a**n / math.factorial(n) * Fraction(n) / (n - a)
    return top / (sum(a**k / math.factorial(k) for k in range(n)) + top)


@pytest.mark.parametrize(
    ("agents", "load"),
    [(3, 2), (2, 1), (14, 10), (55, 48), (25, 20), (108, 100), (1, Fraction(1, 2))],
)
def test_erlang_c_matches_the_textbook_formula(agents: int, load) -> None:
    """Our Erlang C goes through the regularised incomplete gamma function (stable for
    thousands of agents); the textbook sum must agree to machine precision."""
    exact = erlang_c_textbook(agents, Fraction(load))
    assert erlang_c(agents, float(load)) == pytest.approx(float(exact), rel=1e-12)


def test_erlang_c_hand_values() -> None:
    # 3 agents, 2 Erlangs: (8/6 · 3) / (1 + 2 + 2 + 8/6 · 3) = 4 / 9
    assert erlang_c(3, 2.0) == pytest.approx(4 / 9, rel=1e-12)
    # 2 agents, 1 Erlang: (1/2 · 2) / (1 + 1 + 1) = 1/3
    assert erlang_c(2, 1.0) == pytest.approx(1 / 3, rel=1e-12)
    assert erlang_c(5, 6.0) == 1.0  # overloaded: everyone waits


def test_service_level_and_speed_of_answer_follow_the_standard_formulas() -> None:
    """The classic worked example: 360 calls per half hour of 4 minutes (48 Erlangs) on 55
    agents, answer target 15 s. SL = 1 − C·e^{−(N−A)·T/AHT}; ASA = C·AHT/(N−A). It is one
    interval, so the queue gets a flat intraday profile and a perfect roster (efficiency 1):
    every open hour then has exactly 55 agents and 48 Erlangs."""
    agents, load, aht, target = 55, 48.0, 240.0, 15.0
    c = float(erlang_c_textbook(agents, Fraction(48)))  # 0.2387...
    assert c == pytest.approx(0.23870, abs=5e-5)
    # paid hours chosen so that each paid agent is one agent on duty
    paid_hours = OPEN_HOURS_PER_MONTH / (1.0 - SHRINKAGE)
    contacts = load * OPEN_HOURS_PER_MONTH * 3600.0 / aht
    flat = np.full(12, 1 / 12)
    q = queue(contacts, agents, aht, paid_hours, answer_s=target, profile=flat, efficiency=1.0)
    assert q.service_level == pytest.approx(1 - c * math.exp(-(agents - load) * target / aht))
    assert q.service_level == pytest.approx(0.8459, abs=1e-4)
    assert q.average_wait_s == pytest.approx(c * aht / (agents - load))  # 8.18 s
    assert q.average_wait_s == pytest.approx(8.184, abs=1e-3)
    assert q.occupancy == pytest.approx(48 / 55)


# -- NPV --------------------------------------------------------------------------------------
class _Model:
    class scenario:  # noqa: N801 - a stand-in with the one field discounting reads
        class company:  # noqa: N801
            discount_rate_annual = 0.08


def test_npv_discounts_monthly_at_the_annual_rate() -> None:
    # $1,000 a month for a year at 8%: Σ_{t=0..11} 1000 × 1.08^(−t/12)
    # = 1000 × (1 − v^12) / (1 − v), v = 1.08^(−1/12) = 0.9935868 → 11,586.93
    values = np.full(12, 1000.0)
    assert kpis._discounted(_Model, values) == pytest.approx(11586.93, abs=0.01)
    # a single payment a year out is worth 1/1.08 of it
    one = np.zeros(13)
    one[12] = 1080.0
    assert kpis._discounted(_Model, one) == pytest.approx(1000.0, rel=1e-12)


# -- breach risk and cost ---------------------------------------------------------------------
def _vendor(records: int, maturity: float = 0.5) -> Holder:
    held = np.zeros(200_000, dtype=bool)
    held[:records] = True
    return Holder("manila", maturity, True, held)


def test_breach_probability_by_hand() -> None:
    # Ponemon: 26% within 24 months → monthly 1 − 0.74^(1/24) = 0.0124677, the monthly
    # hazard h = −ln(0.74)/24 = 0.01254604; a holder's hazard is h × its scale and its
    # probability 1 − e^(−h × scale)
    assert pytest.approx(0.0124677, abs=1e-7) == BASE_MONTHLY_BREACH
    full = Privacy(PrivacyPolicy(fields_shared_share=1.0, audits_per_year=0), Costs())
    # the reference holding, 60,000 full records: scale 1, Ponemon's figure
    assert full.breach_probability(_vendor(60_000)) == pytest.approx(0.0124677, abs=1e-7)
    # 10,000 records: scale (1/6)^0.6 = 0.3412788, hazard 0.00428170 → 0.0042725
    assert full.breach_probability(_vendor(10_000)) == pytest.approx(0.0042725, abs=1e-7)
    # 120,000 records: scale 2^0.6 = 1.5157166, hazard 0.01901625 → 0.0188366
    assert full.breach_probability(_vendor(120_000)) == pytest.approx(0.0188366, abs=1e-7)
    # 60,000 records with 40% of the fields, encrypted: scale 0.4^0.6 × 0.85 = 0.4905180,
    # hazard 0.00615406 → 0.0061352
    lean = Privacy(
        PrivacyPolicy(fields_shared_share=0.4, encryption=True, audits_per_year=0), Costs()
    )
    assert lean.breach_probability(_vendor(60_000)) == pytest.approx(0.0061352, abs=1e-7)
    # one step of security maturity above average (0.7): scale e^(−2.5 × 0.2) = 0.6065307,
    # hazard 0.00760956 → 0.0075807
    assert full.breach_probability(_vendor(60_000, 0.7)) == pytest.approx(0.0075807, abs=1e-7)


def test_expected_breach_cost_by_hand() -> None:
    """10,000 records at a vendor; a breach exposes 40% of them (4,000).
    Full records, no controls: 4,000 × (165 + 15) + 1,000,000 + 0.3 × 25 × 4,000 = 1,750,000.
    40% of fields, encryption, incident response: per record (165 + 15 − 13 − 14) ×
    (0.3 + 0.7 × 0.4) = 88.74; fine halved with encryption: 0.3 × 12.5 × 4,000 = 15,000;
    4,000 × 88.74 + 1,000,000 + 15,000 = 1,369,960."""
    revenue = 1e9  # the 4%-of-turnover cap does not bind
    full = Privacy(PrivacyPolicy(fields_shared_share=1.0, regime="gdpr"), Costs())
    assert full.expected_cost(_vendor(10_000), revenue) == pytest.approx(1_750_000.0)
    lean = Privacy(
        PrivacyPolicy(
            fields_shared_share=0.4, encryption=True, incident_response_plan=True, regime="gdpr"
        ),
        Costs(),
    )
    assert lean.expected_cost(_vendor(10_000), revenue) == pytest.approx(1_369_960.0)
    # the fine is capped at 4% of annual turnover: 25 × 4,000 = 100,000 > 4% of 100,000
    assert full.fine(_vendor(10_000), 4_000, 100_000.0) == pytest.approx(4_000.0)


# -- churn and trust --------------------------------------------------------------------------
def _one_customer(trust: float, satisfaction: float = 80.0) -> cust.Customers:
    c = cust.Customers(CustomerParams(count=1), 0, 80.0)
    c.trust[0], c.satisfaction[0] = trust, satisfaction
    return c


def test_churn_probability_by_hand() -> None:
    # baseline 12%/year → monthly 1 − 0.88^(1/12) = 0.0105962
    c = _one_customer(trust=0.7)
    assert c.churn_probability_of(np.array([0]))[0] == pytest.approx(0.0105962, abs=1e-7)
    # trust 0.5, 0.2 below its initial 0.7: × e^(3 × 0.2) = 0.0193076
    low = _one_customer(trust=0.5)
    assert low.churn_probability_of(np.array([0]))[0] == pytest.approx(0.0193076, abs=1e-7)
    # an unresolved issue this month adds 0.3 × (25% − 5%) = 0.06 → 0.0705962
    c.outcome[0] = cust.OUTCOME_UNRESOLVED
    assert c.churn_probability_of(np.array([0]))[0] == pytest.approx(0.0705962, abs=1e-7)


def test_trust_update_by_hand() -> None:
    # satisfaction 90 vs reference 80: target 0.7 + 0.006 × 10 = 0.76; trust 0.7 moves
    # 0.08 × 0.06 = 0.0048 → 0.7048
    c = _one_customer(trust=0.7, satisfaction=90.0)
    c._update_trust(disclosed=False)
    assert c.trust[0] == pytest.approx(0.7048, abs=1e-12)
    # satisfaction 60: target 0.58; an informed customer of a disclosed plan feels the fall
    # 30% less: 0.7 + 0.7 × 0.08 × (0.58 − 0.7) = 0.69328
    d = _one_customer(trust=0.7, satisfaction=60.0)
    d.informed[0] = True
    d._update_trust(disclosed=True)
    assert d.trust[0] == pytest.approx(0.69328, abs=1e-12)


# -- scorecard mappings at their breakpoints ----------------------------------------------------
BREAKPOINTS = [  # (metric, value, score): each mapping's ends and its middle
    ("informed_share_final", 0.0, 0.0),
    ("informed_share_final", 0.5, 0.5),
    ("informed_share_final", 1.0, 1.0),
    ("trust_lost_to_discovery", 0.0, 1.0),
    ("trust_lost_to_discovery", 0.05, 0.5),
    ("trust_lost_to_discovery", 0.10, 0.0),
    ("trust_lost_to_discovery", 0.3, 0.0),
    ("in_house_morale_min", 0.35, 0.5),
    ("in_house_morale_min", 0.70, 1.0),
    ("in_house_morale_min", 0.9, 1.0),
    ("early_quit_share", 0.0, 1.0),
    ("early_quit_share", 0.075, 0.5),
    ("early_quit_share", 0.15, 0.0),
    ("breach_probability_annual", 0.0, 1.0),
    ("breach_probability_annual", 0.15, 0.5),
    ("breach_probability_annual", 0.30, 0.0),
    ("records_exposed_share", 0.0, 1.0),
    ("records_exposed_share", 0.5, 0.5),
    ("records_exposed_share", 1.0, 0.0),
    ("records_exposed_share", 2.0, 0.0),
    ("customers_breached_share", 0.1, 0.5),
    ("customers_breached_share", 0.2, 0.0),
    ("vendor_share_paid_fair", 0.25, 0.25),
    ("vendor_share_paid_fair", 1.0, 1.0),
    ("vendor_attrition_excess", -0.1, 1.0),
    ("vendor_attrition_excess", 0.0, 1.0),
    ("vendor_attrition_excess", 0.175, 0.5),
    ("vendor_attrition_excess", 0.35, 0.0),
    ("vendor_wellbeing_mean", 0.4, 0.5),
    ("vendor_wellbeing_mean", 0.8, 1.0),
    ("vendor_incidents_per_100_agent_years", 2.5, 0.5),
    ("vendor_incidents_per_100_agent_years", 5.0, 0.0),
    ("csat_gap_vendor", 0.0, 1.0),
    ("csat_gap_vendor", 12.5, 0.5),
    ("csat_gap_vendor", 25.0, 0.0),
    ("csat_gap_vendor", -3.0, 1.0),
    ("fcr_gap_vendor", 0.15, 0.5),
    ("fcr_gap_vendor", 0.30, 0.0),
    ("escalation_rate", 0.10, 0.5),
    ("escalation_rate", 0.20, 0.0),
    ("reemployed_share_24m", 0.35, 0.5),
    ("reemployed_share_24m", 0.70, 1.0),
    ("earnings_ratio_24m", 0.45, 0.5),
    ("earnings_ratio_24m", 0.90, 1.0),
    ("local_unemployment_peak_change_pp", 0.25, 0.5),
    ("local_unemployment_peak_change_pp", 0.5, 0.0),
]
COMPONENTS = {c.metric: c for _, comps in scorecard.DIMENSIONS.values() for c in comps}


def test_every_scorecard_mapping_is_pinned() -> None:
    assert set(COMPONENTS) == {metric for metric, _, _ in BREAKPOINTS}


@pytest.mark.parametrize(("metric", "value", "expected"), BREAKPOINTS)
def test_scorecard_mapping_at_breakpoints(metric: str, value: float, expected: float) -> None:
    assert COMPONENTS[metric].score(value) == pytest.approx(expected, abs=1e-12)


def test_a_dimension_score_is_the_weighted_mean_of_its_components() -> None:
    # privacy: 0.4 × 0.5 (15% breach chance) + 0.4 × 1 (nothing exposed) + 0.2 × 0 (20%
    # breached) = 0.6 → 60
    kpi = {
        "breach_probability_annual": 0.15,
        "records_exposed_share": 0.0,
        "customers_breached_share": 0.2,
    }
    assert scorecard.score_dimension("privacy", kpi)["score"] == pytest.approx(60.0)
    # a missing component drops out and the weights renormalise: (0.4×0.5)/(0.4) = 50
    assert scorecard.score_dimension("privacy", {"breach_probability_annual": 0.15})[
        "score"
    ] == pytest.approx(50.0)
