"""The wage process (model/wages.py): one process for stayers and the re-employed, and the
job ladder the re-employed climb."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulator.model import wages as W
from simulator.model.employees import State, Workforce
from simulator.scenario.schema import LocalJobs
from simulator.scenario.schema import Workforce as WorkforceParams


def test_returns_to_tenure_are_concave_and_stop_after_twenty_years() -> None:
    assert W.tenure_return(0.0) == 0.0
    assert W.tenure_return(10.0) == pytest.approx(0.15)  # 0.02 × (10 − 100/40)
    assert W.tenure_return(20.0) == pytest.approx(0.20)
    assert W.tenure_return(35.0) == pytest.approx(0.20)  # flat beyond TENURE_RETURN_YEARS
    first, tenth = W.tenure_return(1.0), W.tenure_return(10.0) - W.tenure_return(9.0)
    assert first > tenth > 0  # the early years pay most


@given(st.floats(0.0, 30.0), st.floats(0.0, 5.0))
def test_more_tenure_never_lowers_pay(tenure: float, more: float) -> None:
    assert W.tenure_return(tenure + more) >= W.tenure_return(tenure) - 1e-12


@pytest.mark.parametrize("tenure", [0.0, 3.0, 12.0])
def test_the_monthly_process_compounds_to_the_comparison_path(tenure: float) -> None:
    """A worker's pay month by month (what the re-employed get) and the comparison path
    (what the displaced are measured against) are one process."""
    wage, growth, months = 3000.0, 0.01, 120
    pay = wage
    for k in range(months):
        pay *= W.monthly_growth(np.array([tenure + k / 12.0]), growth)[0]
    expected = W.comparison_pay(np.array([wage]), np.array([tenure]), np.array([months]), growth)
    assert pay == pytest.approx(expected[0], rel=1e-9)
    assert W.comparison_pay(np.array([wage]), np.array([tenure]), np.array([0]), growth)[0] == (
        wage
    )


def _reemployed(n: int = 20_000, seed: int = 3) -> Workforce:
    wf = Workforce(WorkforceParams(headcount=n), LocalJobs(), horizon=24, streams=seed)
    wf.start_month(5)
    wf.displaced[:] = True
    wf.displaced_month[:] = 0
    wf.state[:] = State.reemployed
    wf.months_in_state[:] = 3
    wf.job_start[:] = 2
    wf.new_wage[:] = 0.7 * wf.wage  # a poor first job
    return wf


def test_the_re_employed_move_only_to_better_paid_jobs() -> None:
    """A move swaps the employer's premium and forfeits the tenure built in the job: it is
    taken only when that pays, and the new job starts at tenure zero."""
    wf = _reemployed()
    before, premium = wf.new_wage.copy(), wf.firm_premium.copy()
    moved = wf.climb_job_ladder(5)
    changed = wf.new_wage != before
    assert moved == changed.sum() > 0
    assert (wf.new_wage[changed] > before[changed]).all()
    assert (wf.job_start[changed] == 5).all() and (wf.job_start[~changed] == 2).all()
    gain = np.log(wf.new_wage[changed] / before[changed])
    np.testing.assert_allclose(
        gain, wf.firm_premium[changed] - premium[changed] - W.tenure_return(3 / 12)
    )
    # offers arrive at JOB_TO_JOB_OFFERS a month; from an average premium about half pay more
    assert moved / wf.n == pytest.approx(W.JOB_TO_JOB_OFFERS / 2, abs=0.005)
    assert wf.events["ladder_moves"] == moved


def test_a_top_premium_is_rarely_left_and_offers_are_common_random_numbers() -> None:
    top = _reemployed()
    top.firm_premium[:] = 4 * W.FIRM_PREMIUM_SD
    assert top.climb_job_ladder(5) <= 2
    # the same workers' offers are the same whoever else is drawn: the ladder's draws are
    # keyed by worker and month
    a, b = _reemployed(), _reemployed()
    b.state[: b.n // 2] = State.unemployed  # half the workers do something else
    a.climb_job_ladder(5)
    b.climb_job_ladder(5)
    half = slice(b.n // 2, None)
    np.testing.assert_array_equal(a.new_wage[half], b.new_wage[half])
