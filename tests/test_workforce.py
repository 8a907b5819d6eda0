"""The in-house workforce and displaced workers' mechanisms, pinned by value: turnover and
replacement hiring, the severance cushion, new-job pay and hours, the counterfactual path,
fragile new jobs, and vendors staffing to a service level."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.model import employees as E
from simulator.model.employees import State, Workforce
from simulator.model.service import Proficiency, contacts_for, handle_time, queue
from simulator.model.service import staff_for_service_level as staff_for
from simulator.scenario.schema import LocalJobs
from simulator.scenario.schema import Workforce as WorkforceParams


def workforce(n: int = 20_000, seed: int = 1, **params) -> Workforce:
    params = WorkforceParams(headcount=n, **params)
    return Workforce(params, LocalJobs(), 60, seed)


def test_normal_turnover_and_plan_driven_quits_share_one_draw() -> None:
    """25%/year → 2.083%/month of in-house staff leave; with a plan's rumours 1 point more,
    and only those extra quits are flagged as early (plan-driven) quits."""
    wf = workforce(attrition_annual=0.25)
    quits = wf.quit_for_other_jobs(market=1.0, plan_extra=0.0)
    assert len(quits) / wf.n == pytest.approx(0.25 / 12, abs=0.003)
    assert (wf.state[quits] == State.quit).all() and not wf.voluntary_quit.any()
    again = workforce(attrition_annual=0.25)
    both = again.quit_for_other_jobs(market=1.0, plan_extra=E.RUMOUR_QUIT)
    assert len(both) / again.n == pytest.approx(0.25 / 12 + 0.010, abs=0.003)
    assert set(quits) <= set(both)  # the same uniforms: normal leavers leave either way
    assert again.voluntary_quit.sum() == len(both) - len(quits)


def test_replacement_hires_take_leavers_slots_and_cost_three_and_a_half_months() -> None:
    wf = workforce(n=1000, attrition_annual=0.6)
    quits = wf.quit_for_other_jobs(market=1.0, plan_extra=0.0)
    old_wages = wf.wage[quits].copy()
    hired = wf.hire(len(quits) - 3)
    assert hired == len(quits) - 3
    assert (wf.state == State.quit).sum() == 3
    new = quits[: len(quits) - 3]
    assert (wf.state[new] == State.in_house).all() and (wf.tenure[new] == 0).all()
    assert not np.allclose(wf.wage[new], old_wages[: len(new)])  # new people
    events = wf.take_events()
    assert events["hiring_paid"] == pytest.approx(E.REPLACEMENT_COST_MONTHS * wf.wage[new].sum())
    assert events["replacements"] == hired


def test_plan_driven_leavers_are_never_replaced() -> None:
    wf = workforce(n=2000, attrition_annual=0.0)
    early = wf.quit_for_other_jobs(market=1.0, plan_extra=0.05)
    assert len(early) > 0 and wf.voluntary_quit[early].all()
    # their positions stay empty: a hire takes a new position, never a plan leaver's slot
    assert wf.hire(len(early)) == len(early)
    assert (wf.state[early] == State.quit).all() and wf.n == 2000 + len(early)


def test_severance_slows_search_only_in_the_first_spell() -> None:
    """Two months of severance pay cut the hazard by 2 × 5% = 10% in the first two months
    of the first spell; a worker who has had (and lost) a new job gets no cushion."""
    wf = workforce(n=2)
    who = np.array([0, 1])
    wf.lose_job(who, month=0, capacity=0)
    wf.severance_months[who] = 2.0
    wf.skill[:], wf.age[:] = 0.5, 40.0
    wf.first_job_month[1] = 5
    h = wf.job_finding_hazard(market=1.0)
    # prime age (×1), average skill (0.7 + 0.6 × 0.5 = 1), new spell (×1), market 1
    assert h[1] == pytest.approx(wf.search.job_finding)
    assert h[0] == pytest.approx(0.9 * wf.search.job_finding)
    wf.spell[:] = 2  # the two months of pay are over
    later = wf.job_finding_hazard(market=1.0)
    assert later[0] == pytest.approx(later[1])


def test_new_jobs_pay_and_hours() -> None:
    """Among many new jobs: 19% part-time at 55% of hours; full-time pay ratios follow the
    fitted skew-normal (about 57% below the old pay); the first job's ratio is kept."""
    wf = workforce(n=40_000, seed=3)
    who = np.arange(wf.n)
    wf.lose_job(who, month=0, capacity=0)
    wf.spell[:] = 0
    wf.search_for_jobs(month=0, market=50.0)  # everyone finds a job at once
    found = wf.state == State.reemployed
    assert found.all()
    assert wf.part_time.mean() == pytest.approx(E.PART_TIME_SHARE, abs=0.01)
    ratio = wf.new_wage / wf.wage
    hours = np.where(wf.part_time, E.PART_TIME_HOURS, 1.0)
    np.testing.assert_allclose(ratio, wf.first_pay_ratio * hours, rtol=1e-12)
    assert (wf.first_pay_ratio < 1).mean() == pytest.approx(0.57, abs=0.04)


def test_counterfactual_wage_grows_from_displacement() -> None:
    """Market growth 1%/year: 24 months after displacement the old wage would be 1.01² =
    1.0201 times higher, times the return to two more years of the tenure the worker had."""
    from simulator.model.wages import tenure_return

    wf = workforce(n=3, wage_growth_annual=0.01)
    wf.displaced_month[:] = [0, 12, 30]
    got = wf.counterfactual_wage(np.arange(3), np.array([24, 36, 30]))
    tenure = wf.tenure
    extra = np.exp(tenure_return(tenure + [2, 2, 0]) - tenure_return(tenure))
    np.testing.assert_allclose(got, wf.wage * np.array([1.0201, 1.0201, 1.0]) * extra)
    assert (got[:2] > wf.wage[:2] * 1.0201).all()  # tenure still pays off in the old job


def test_new_jobs_are_lost_more_often_in_their_first_year() -> None:
    wf = workforce(n=100_000, seed=5)
    wf.displaced[:] = True
    wf.state[:] = State.reemployed
    wf.months_in_state[: wf.n // 2] = 3  # first year
    wf.months_in_state[wf.n // 2 :] = 30
    lost = wf.lose_new_jobs()
    first = (wf.state[: wf.n // 2] == State.unemployed).mean()
    later = (wf.state[wf.n // 2 :] == State.unemployed).mean()
    assert lost == pytest.approx(wf.n / 2 * (E.JOB_LOSS_FIRST_YEAR + E.JOB_LOSS), rel=0.05)
    assert first == pytest.approx(E.JOB_LOSS_FIRST_YEAR, abs=0.002)
    assert later == pytest.approx(E.JOB_LOSS, abs=0.001)


@pytest.mark.parametrize("issues", [200, 1_000, 5_000, 20_000, 100_000])
def test_vendors_staff_to_the_service_level_with_the_fewest_agents(issues: int) -> None:
    p = Proficiency(0.7, 0.8, 0.8, 0.55, 0.5)
    staff = staff_for(issues, p, 173.0, target=0.80, answer_s=20.0)
    contacts, aht = contacts_for(issues, p), handle_time(p)
    assert queue(contacts, staff, aht, 173.0).service_level >= 0.80
    assert queue(contacts, staff - 1, aht, 173.0).service_level < 0.80


def test_small_vendors_need_proportionally_more_agents() -> None:
    p = Proficiency(0.7, 0.8, 0.8, 0.55, 0.5)
    one = staff_for(100_000, p, 173.0)
    split = 2 * staff_for(50_000, p, 173.0)
    assert split > one
    tenth = staff_for(10_000, p, 173.0)
    assert tenth / one > 0.1 * 1.05  # per issue, a tenth of the volume costs more
    assert staff_for(0, p, 173.0) == 0
