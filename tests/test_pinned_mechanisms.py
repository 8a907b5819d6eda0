"""More mechanisms pinned by value, each against a hand calculation: vendor staff's quit
hazard, wellbeing and hiring; the queue at its edges; the churn bound and the status quo's
expected churn; job finding by age and spell; income support; the skills effect's decay;
the cost of privacy audits. Mutation testing (then a hand-written tool) found these
pinned only by direction before."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from simulator.model import customers as cust
from simulator.model.employees import State, Workforce
from simulator.model.labour_market import LocalEconomy
from simulator.model.model import OutsourcingModel
from simulator.model.service import (
    MAX_WAIT_S,
    OPEN_HOURS_PER_MONTH,
    SHRINKAGE,
    ChannelMonth,
    Queue,
    queue,
)
from simulator.model.vendors import LanguagePool, Vendor
from simulator.scenario import load_scenario
from simulator.scenario.schema import CommunityInvestment, LocalJobs
from simulator.scenario.schema import Customers as CustomerParams
from simulator.scenario.schema import LocalEconomy as LocalParams
from simulator.scenario.schema import Workforce as WorkforceParams

from .conftest import SCENARIOS, shrink


# -- vendor staff -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def model() -> OutsourcingModel:
    return OutsourcingModel(shrink(load_scenario(SCENARIOS / "default.yaml"), 2_000), seed=3)


def _vendor(
    model: OutsourcingModel,
    attrition: float = 0.36,
    conditions: float = 0.7,
    career: bool = False,
    harassment: bool = False,
    culture_hours: float = 0.0,
    distance: float = 0.4,
    capacity: int = 4,
) -> Vendor:
    s = model.scenario
    params = s.vendors[0].model_copy(
        update={
            "base_attrition_annual": attrition,
            "conditions": conditions,
            "cultural_distance": distance,
            "hiring_capacity_per_month": 10_000,
        }
    )
    fairness = s.policies.vendor_staff.model_copy(
        update={
            "career_development": career,
            "anti_harassment_programme": harassment,
            "conditions_floor": 0.0,
            "wage_floor_ratio": 0.0,
        }
    )
    talk = s.policies.communication.model_copy(update={"cultural_training_hours": culture_hours})
    return Vendor(model, params, fairness, talk, s.costs, capacity)


def _two_staff(v: Vendor) -> None:
    """Slot 0: paid the local standard, tenure 2 months, normal wellbeing (0.55).
    Slot 1: paid 1.2 × the standard, tenure 10 months, wellbeing 0.45. Slots 2-3 empty."""
    v.active[:] = [True, True, False, False]
    v.set_pay(np.arange(4), v.industry_wage * np.array([1.0, 1.2, 1.0, 1.0]))
    v.tenure[:] = [2, 10, 0, 0]
    v.wellbeing[:] = [0.55, 0.45, 0.55, 0.55]


def test_vendor_quit_hazard_by_hand(model: OutsourcingModel) -> None:
    """36%/year → 3%/month; conditions 0.7: × e^(−1.5 × 0.2); a new hire (≤ 3 months) × 1.6;
    pay 1.2 × standard: × 1.2^(−0.2); wellbeing 0.10 below normal: × 1.1."""
    v = _vendor(model)
    _two_staff(v)
    conditions = math.exp(-1.5 * 0.2)
    expected = [0.03 * conditions * 1.6, 0.03 * 1.2**-0.2 * conditions * 1.1, 0.0, 0.0]
    assert v.attrition_hazard() == pytest.approx(expected, rel=1e-12)
    career = _vendor(model, career=True)
    _two_staff(career)
    assert career.attrition_hazard() == pytest.approx([0.85 * e for e in expected], rel=1e-12)
    safe = _vendor(model, harassment=True)
    _two_staff(safe)
    assert safe.attrition_hazard() == pytest.approx([0.90 * e for e in expected], rel=1e-12)


def test_vendor_wellbeing_update_by_hand(model: OutsourcingModel) -> None:
    """Target = 0.55 + 0.30 ln(pay ratio) + 0.40 (conditions − 0.5) + 0.05 career
    + 0.10 region support − 0.8 × occupancy above 85%; wellbeing moves a quarter of the way."""
    v = _vendor(model, career=True)
    _two_staff(v)
    v.wellbeing[:2] = 0.5
    v.region_support = 0.2
    v.update_wellbeing(occupancy=0.95)
    target0 = 0.55 + 0.40 * 0.2 + 0.05 + 0.10 * 0.2 - 0.8 * 0.10  # 0.62
    target1 = target0 + 0.30 * math.log(1.2)
    assert v.wellbeing[:2] == pytest.approx(
        [0.5 + 0.25 * (target0 - 0.5), 0.5 + 0.25 * (target1 - 0.5)], abs=1e-12
    )
    calm = _vendor(model)
    _two_staff(calm)
    calm.wellbeing[:2] = 0.5
    calm.update_wellbeing(occupancy=0.80)  # below 85%: no workload penalty, no career bonus
    assert calm.wellbeing[0] == pytest.approx(0.5 + 0.25 * (0.55 + 0.08 - 0.5), abs=1e-12)


def test_new_hires_cultural_fit_by_hand(model: OutsourcingModel) -> None:
    """Cultural fit at hiring: 1 − distance × e^(−hours / 40), plus noise of sd 0.05."""
    v = _vendor(model, distance=0.4, culture_hours=40.0)
    v.hire(2_000)
    assert v.headcount == 2_000
    fit = v.culture[v.active]
    assert fit.mean() == pytest.approx(1 - 0.4 * math.exp(-1.0), abs=0.005)  # 0.8528
    assert fit.std() == pytest.approx(0.05, abs=0.005)
    assert v.new_hire_proficiency().culture == pytest.approx(1 - 0.4 * math.exp(-1.0))
    slot, agent = next(iter(v.staff_agents.items()))
    assert agent.proficiency == v.product[slot] and agent.language == v.language[slot]
    assert agent.wellbeing == pytest.approx(0.55) and agent.tenure_months == 0


def test_language_pool_keeps_a_perfect_mean_inside_the_beta() -> None:
    """A mean of 1 is clipped to 0.999: Beta(11.988, 0.012)."""
    pool = LanguagePool(1.0)
    assert (pool.a, pool.b) == pytest.approx((11.988, 0.012), abs=1e-12)
    assert LanguagePool(0.5).mean_above(0.0) == pytest.approx(0.5)


# -- the queue at its edges ---------------------------------------------------------------------
def test_queue_without_staff_answers_nobody() -> None:
    assert queue(contacts=1_000, staff=0, handle_time_s=300, paid_hours=160) == Queue(
        0.0, MAX_WAIT_S, 0.0, 1.0
    )
    assert queue(contacts=0, staff=5, handle_time_s=300, paid_hours=160) == Queue(
        1.0, 0.0, 1.0, 0.0
    )


def test_overloaded_queue_answers_what_the_staff_can_handle() -> None:
    """10 agents × 160 paid hours, shrinkage removed, spread over the open hours: the agents
    on duty; 60,000 contacts of 600 s: the load in Erlangs. Agents are fully busy and answer
    on_duty / load of the contacts."""
    q = queue(contacts=60_000, staff=10, handle_time_s=600, paid_hours=160)
    on_duty = 10 * 160 * (1 - SHRINKAGE) / OPEN_HOURS_PER_MONTH
    load = 60_000 * 600 / (OPEN_HOURS_PER_MONTH * 3600)
    assert on_duty < load
    assert q == Queue(0.0, MAX_WAIT_S, pytest.approx(on_duty / load), 1.0)


# -- churn ----------------------------------------------------------------------------------------
def _customers(trust: float) -> cust.Customers:
    c = cust.Customers(CustomerParams(count=4), 0, 80.0)
    c.trust[:] = trust
    return c


def test_churn_bound_is_the_churn_of_a_customer_with_no_trust_and_an_unresolved_issue() -> None:
    """Baseline monthly churn 1 − 0.88^(1/12), × e^(3 × 0.7) at trust 0, plus 0.3 × (25% − 5%)."""
    c = _customers(0.7)
    base = 1 - 0.88 ** (1 / 12)
    top = base * math.exp(3 * 0.7) + 0.3 * 0.20
    assert c.highest_churn_probability() == pytest.approx(
        top * (1 + cust.ROUNDING_MARGIN), rel=1e-12
    )
    c.trust[:] = 0.0
    c.outcome[:] = cust.OUTCOME_UNRESOLVED
    # (customer state and these probabilities are single precision: 7 digits)
    assert c.churn_probability_of(np.arange(4)) == pytest.approx([top] * 4, rel=1e-6)
    assert (c.churn_probability_of(np.arange(4)) <= c.highest_churn_probability()).all()


def _channel(p_first: float, p_later: float) -> ChannelMonth:
    """A channel month with these outcome shares (the other fields do not enter)."""
    fields = {f.name: 0.0 for f in dataclasses.fields(ChannelMonth)}
    fields.update(
        queue=Queue(1.0, 0.0, 1.0, 0.5),
        p_first=p_first,
        p_later=p_later,
        p_unresolved=1 - p_first - p_later,
    )
    return ChannelMonth(**fields)


def test_status_quo_expected_churn_by_hand() -> None:
    """Issue chance with gamma-distributed contact rates: 1 − (1 + r/k)^−k; expected extra
    defection 0.3 × (p_later × 4% + p_unresolved × 20%) for each issue."""
    c = _customers(0.7)
    p = c.params
    r, k = p.contacts_per_customer_month, p.contact_rate_dispersion
    p_issue = 1 - (1 + r / k) ** -k
    base = 1 - 0.88 ** (1 / 12)
    expected = base + 0.3 * p_issue * (0.2 * 0.04 + 0.1 * 0.20)
    # trust is stored in single precision (0.7 as 0.69999999): 7 digits
    assert c.expected_status_quo_churn(_channel(0.7, 0.2)) == pytest.approx(expected, rel=1e-6)


# -- displaced workers ----------------------------------------------------------------------------
def _workforce(n: int = 8) -> Workforce:
    return Workforce(WorkforceParams(headcount=n), LocalJobs(), 60, 1)


def test_job_finding_by_age_band_and_spell_by_hand() -> None:
    """The default rate (``local_economy.displaced_job_finding``, the posterior median) a month
    for a prime-age worker of average skill at the start of a spell; × 1.05 under 25, × 0.6 at
    55-64, × 0.35 from 65; falls by e^(−0.0854 a month) — 45% from month 1 to month 8 (Kroft,
    Lange & Notowidigdo 2013) — to a floor of 50.5% from month 8."""
    rate = LocalParams().displaced_job_finding
    wf = _workforce(6)
    wf.state[:] = State.unemployed
    wf.skill[:] = 0.5
    wf.age[:] = [24.9, 25.0, 54.9, 55.0, 65.0, 40.0]
    wf.spell[:] = [0, 0, 0, 0, 0, 0]
    wf.severance_months[:] = 0.0
    wf.outplacement_left[:] = 0
    wf.training_effect[:] = 0.0
    h = wf.job_finding_hazard(market=1.0)
    assert h == pytest.approx(rate * np.array([1.05, 1.0, 1.0, 0.6, 0.35, 1.0]), rel=1e-12)
    wf.spell[:] = [0, 1, 7, 8, 9, 30]
    wf.age[:] = 40.0
    h = wf.job_finding_hazard(market=1.0)
    decay = np.maximum(np.exp(-0.0854 * np.array([0, 1, 7, 8, 9, 30])), 0.505)
    assert decay[3] == 0.505 and decay[2] > 0.505  # the floor binds from month 8
    assert decay[3] / decay[1] == pytest.approx(0.55, abs=1e-3)  # 45% lower at 8 than at 1
    assert h == pytest.approx(rate * decay, rel=1e-12)


def test_leaving_the_labour_force_by_age_band_at_its_edges() -> None:
    """The default rate (``local_economy.leave_labour_force``) a month prime-age, × 0.8 at
    55-64, × 1.5 from 65, plus ``discouragement`` a month for each month jobless: a worker of
    exactly 55 or 65 is in the older band. The uniforms sit just inside or outside each
    worker's hazard."""
    leave, per_month = LocalParams().leave_labour_force, LocalParams().discouragement
    wf = _workforce(4)
    wf.state[:] = State.unemployed
    wf.age[:] = [54.99, 55.0, 64.99, 65.0]
    wf.spell[:] = 0
    hazards = leave * np.array([1.0, 0.8, 0.8, 1.5])
    wf.draw = lambda mechanism: hazards * np.array([0.99, 1.01, 0.99, 0.99])  # type: ignore[method-assign]
    assert wf.leave_labour_force() == 3
    assert list(wf.state == State.left_labour_force) == [True, False, True, True]
    # ten months jobless add ten months of discouragement to the prime-age hazard
    again = _workforce(2)
    again.state[:] = State.unemployed
    again.age[:] = 40.0
    again.spell[:] = 10
    ten = leave + 10 * per_month
    again.draw = lambda mechanism: np.array([ten - 1e-4, ten + 1e-4])  # type: ignore[method-assign]
    assert again.leave_labour_force() == 1 and again.state[0] == State.left_labour_force


def test_jobs_taken_from_outside_the_labour_force_by_hand() -> None:
    """The displaced out of the labour force take jobs at 10% a month in their first two
    months out and 2% from the third (Kudlyak & Lange 2014), × the market and their own age,
    skill and training factors — not their spell, notice or outplacement."""
    wf = _workforce(5)
    wf.state[:] = State.left_labour_force
    wf.displaced[:] = True
    wf.months_in_state[:] = [1, 2, 3, 12, 1]
    wf.age[:] = [40.0, 40.0, 40.0, 40.0, 60.0]
    wf.skill[:] = 0.5
    wf.spell[:] = 20
    wf.outplacement_left[:] = 3
    wf.training_effect[:] = [0.0, 0.0, 0.0, 0.5, 0.0]  # half-strength training: × 1.15
    h = wf.job_finding_hazard(market=0.8)
    expected = 0.8 * np.array([0.10, 0.10, 0.02, 0.02 * 1.15, 0.10 * 0.6])
    assert h == pytest.approx(expected, rel=1e-12)


def test_returning_to_search_by_months_out_and_age() -> None:
    """Search resumes at 10% a month in the first two months out and 2% after, × the age
    factor of job finding; nobody returns in the month they left, and only the displaced.
    Each rate has one worker just inside it and one just outside."""
    wf = _workforce(10)
    wf.state[:] = State.left_labour_force
    wf.displaced[:] = [True] * 9 + [False]
    wf.months_in_state[:] = [1, 1, 2, 2, 3, 30, 1, 1, 0, 1]
    wf.age[:] = [40.0] * 6 + [66.0, 66.0, 40.0, 40.0]
    wf.spell[:] = 7
    rate = np.array([0.10, 0.10, 0.10, 0.10, 0.02, 0.02, 0.035, 0.035, 1.0, 1.0])
    side = np.array([0.99, 1.01, 0.99, 1.01, 0.99, 1.01, 0.99, 1.01, 0.0, 0.0])
    wf.draw = lambda mechanism: rate * side  # type: ignore[method-assign]
    assert wf.return_to_search() == 4
    back = [True, False, True, False, True, False, True, False, False, False]
    assert list(wf.state == State.unemployed) == back
    assert list(wf.spell) == [7] * 10  # the spell resumes where it stopped
    assert list(wf.months_in_state[np.array(back)]) == [0, 0, 0, 0]


def test_the_displaced_come_back_from_outside_the_labour_force() -> None:
    """In a layoff's aftermath some displaced workers leave the labour force and later take a
    job or search again: leaving is no longer absorbing."""
    m = OutsourcingModel(seed=3)
    m.run()
    hist = m.workforce.history[:, m.workforce.displaced]
    out_then = hist[:-1] == State.left_labour_force
    assert (out_then & (hist[1:] == State.reemployed)).sum() > 0
    assert (out_then & (hist[1:] == State.unemployed)).sum() > 0


def test_income_support_and_ui_paid_by_hand() -> None:
    """A worker displaced in month 2 with 1.5 months of severance: in month 3 (one month on)
    half a month's wage of severance, plus unemployment insurance at 45% of the wage."""
    wf = _workforce(2)
    wf.wage[:] = [3_000.0, 4_000.0]
    wf.state[:] = [State.unemployed, State.in_house]
    wf.displaced[:] = [True, False]
    wf.displaced_month[:] = [2, -1]
    wf.severance_months[:] = [1.5, 0.0]
    wf.ui_months_left[:] = [6, 0]
    assert wf.income_support(3, ui_rate=0.45) == pytest.approx(0.45 * 3_000 + 0.5 * 3_000)
    assert wf.income_support(2, ui_rate=0.45) == pytest.approx(0.45 * 3_000 + 3_000)
    wf.take_events()
    wf.pass_month(3, ui_rate=0.45)
    events = wf.take_events()
    assert events["ui_paid"] == pytest.approx(0.45 * 3_000)
    assert wf.ui_months_left[0] == 5 and wf.spell[0] == 1


# -- local economy and privacy costs --------------------------------------------------------------
def test_skills_effect_decays_with_a_twelve_month_time_constant() -> None:
    """With nothing spent, the skills effect keeps e^(−1/12) of itself each month."""
    economy = LocalEconomy(LocalParams(), CommunityInvestment())
    economy.skills_effect = 0.10
    economy.invest_in_community(month=0, searching=100)
    assert economy.skills_effect == pytest.approx(0.10 * math.exp(-1 / 12), rel=1e-12)
    assert economy.efficiency == pytest.approx(1 + 0.10 * math.exp(-1 / 12), rel=1e-12)


def test_privacy_controls_cost_by_hand(model: OutsourcingModel) -> None:
    """For each vendor holding records, each month: the controls' share of the per-vendor
    security cost, a twelfth of the yearly audits, and the agreement once; plus the
    incident-response plan once for the company."""
    m = OutsourcingModel(model.scenario, seed=5)
    pol, c = (
        m.scenario.policies.privacy.model_copy(
            update={
                "encryption": True,
                "secure_storage": False,
                "audits_per_year": 4,
                "confidentiality_agreement": True,
                "incident_response_plan": True,
            }
        ),
        m.scenario.costs,
    )
    m.scenario = m.scenario.model_copy(
        update={"policies": m.scenario.policies.model_copy(update={"privacy": pol})}
    )
    m.privacy.holders[1].held[:10] = True
    m.company.close_books()
    m._pay_privacy_controls()
    first = m.company.close_books()["privacy_controls"]
    monthly = 0.5 * c.security_controls_per_vendor_month + 4 / 12 * c.audit_cost
    assert first == pytest.approx(
        monthly + c.confidentiality_agreement_cost + c.incident_response_plan_per_month
    )
    m._pay_privacy_controls()
    assert m.company.close_books()["privacy_controls"] == pytest.approx(
        monthly + c.incident_response_plan_per_month
    )


def test_each_channel_is_rated_by_its_own_issuers() -> None:
    """Two issuers in channel 0 (score 90), one in channel 1 (score 70): a channel's CSAT is
    its issuers' mean experience, even with a single rating; satisfaction moves towards it."""
    c = _customers(0.7)
    c.satisfaction[:] = 80.0
    c._issuers = np.array([0, 1, 2])
    c._issuer_channel = np.array([0, 0, 1])
    c._outcome_luck = np.array([0.0, 0.5, 0.99])  # every draw resolves at first contact here
    first = _channel(1.0, 0.0)
    c.experience_service(
        [
            dataclasses.replace(first, score_first=90.0),
            dataclasses.replace(first, score_first=70.0),
        ],
        disclosed=False,
    )
    assert list(c.csat_by_channel) == [90.0, 70.0]
    w = cust.SATISFACTION_WEIGHT
    assert c.satisfaction[:4] == pytest.approx([80 + 10 * w, 80 + 10 * w, 80 - 10 * w, 80.0])


# -- people KPIs with censoring -------------------------------------------------------------------
def _kpi_model(horizon: int, **workforce: np.ndarray) -> object:
    from types import SimpleNamespace

    retraining = SimpleNamespace(duration_months=6)
    scenario = SimpleNamespace(
        policies=SimpleNamespace(local_jobs=SimpleNamespace(retraining=retraining))
    )
    return SimpleNamespace(
        horizon=horizon, scenario=scenario, workforce=SimpleNamespace(**workforce)
    )


def test_median_jobless_months_are_censored_at_the_last_month() -> None:
    """Four displaced in month 0 of a 12-month run; one finds work in month 3. The survival
    curve never reaches one half, so the median is the longest observed spell: month 11."""
    from simulator.analysis import kpis

    n = 4
    m = _kpi_model(
        12,
        displaced=np.ones(n, bool),
        involuntary=np.ones(n, bool),
        displaced_month=np.zeros(n, int),
        first_job_month=np.array([3, -1, -1, -1]),
        state=np.full(n, int(State.unemployed)),
        months_in_state=np.zeros(n, int),
    )
    assert kpis._median_jobless(m, None) == 11.0


def test_retraining_completion_counts_only_courses_that_could_end() -> None:
    """Six-month courses in a 12-month run (months 0-11): one started in month 5 ends in
    month 11 and counts; one started in month 6 could not end and is left out."""
    from simulator.analysis import kpis

    m = _kpi_model(
        12,
        training_started=np.array([5, 6, -1]),
        training_completed=np.array([True, False, False]),
    )
    assert kpis._retraining_completion(m, None) == 1.0


def test_an_empty_training_queue_starts_nobody_and_employees_show_their_arrays(model) -> None:
    wf = _workforce(3)
    assert wf.start_training(month=0, capacity=5) == 0
    emp = next(a for a in model.agents if type(a).__name__ == "Employee")
    i = emp.index
    assert emp.age == model.workforce.age[i] and emp.wage == model.workforce.wage[i]
    assert emp.tenure == model.workforce.tenure[i] and emp.state == model.workforce.state[i]
