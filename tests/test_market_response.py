"""How displaced workers' prospects follow the local labour market (issue 24): job finding
and the exit from the labour force move with tightness, and new hires' pay with the
unemployment rate at hiring."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.model import labour_market as LM
from simulator.model.employees import State, Workforce
from simulator.model.labour_market import LocalEconomy
from simulator.scenario.schema import CommunityInvestment, LocalJobs
from simulator.scenario.schema import LocalEconomy as LocalParams
from simulator.scenario.schema import Workforce as WorkforceParams


def economy(unemployment: float, vacancies: float) -> LocalEconomy:
    params = LocalParams(baseline_unemployment_rate=unemployment, vacancy_rate=vacancies)
    return LocalEconomy(params, CommunityInvestment())


def test_a_slack_market_cuts_job_finding_and_the_exit_from_the_labour_force() -> None:
    normal, slack = economy(0.045, 0.045), economy(0.0928, 0.0193)  # 2009-11's market
    assert normal.market_factor() == pytest.approx(1.0)
    assert normal.exit_factor() == pytest.approx(1.0)
    theta = 0.0193 / 0.0928
    alpha = LocalParams().matching_elasticity
    assert slack.market_factor() == pytest.approx(theta ** (1 - alpha))
    assert slack.exit_factor() == pytest.approx(theta**slack.params.exit_tightness_elasticity)
    assert slack.exit_factor() < slack.market_factor() < 1.0  # exits fall more than finding


def test_new_hires_are_paid_less_when_unemployment_at_hiring_is_higher() -> None:
    reference = LocalParams().reference_unemployment_rate
    assert economy(reference, 0.045).pay_at_hiring(0) == pytest.approx(0.0)
    slack = economy(reference + 0.03, 0.02)
    # three points more unemployment: 3 × 2.5 = 7.5 log points less pay
    assert slack.pay_at_hiring(0) == pytest.approx(-3 * 100 * LM.PAY_PER_UNEMPLOYMENT_POINT / 100)
    tight = economy(reference - 0.01, 0.06)
    assert tight.pay_at_hiring(0) > 0
    # the displaced still jobless count in the rate
    assert slack.pay_at_hiring(4000) < slack.pay_at_hiring(0)


def _jobless(n: int = 50_000) -> Workforce:
    wf = Workforce(WorkforceParams(headcount=n), LocalJobs(), horizon=12, streams=9)
    wf.start_month(3)
    wf.displaced[:] = True
    wf.displaced_month[:] = 0
    wf.state[:] = State.unemployed
    wf.age[:] = 40.0
    return wf


def test_the_exit_from_the_labour_force_scales_with_the_market_on_the_same_draws() -> None:
    normal, slack = _jobless(), _jobless()
    left_normal = normal.leave_labour_force(1.0)
    left_slack = slack.leave_labour_force(0.5)
    assert left_slack == pytest.approx(left_normal / 2, rel=0.05)
    # common random numbers: whoever leaves in the slack market also leaves in the normal one
    out = State.left_labour_force
    assert not np.any((slack.state == out) & (normal.state != out))


def test_pay_at_hiring_moves_every_new_job_by_the_same_factor() -> None:
    a, b = _jobless(2000), _jobless(2000)
    found_a = a.search_for_jobs(3, market=50.0, pay_shift=0.0)  # everyone finds a job
    found_b = b.search_for_jobs(3, market=50.0, pay_shift=-0.05)
    assert found_a == found_b == 2000
    np.testing.assert_allclose(b.first_pay_ratio, a.first_pay_ratio * np.exp(-0.05))
