"""Separations counted right (issue 23): "displaced" means laid off — still there when the
job ended. Workers on notice keep quitting (at the informed rate) and may move straight to
a new job; both are counted apart, so a longer notice — the humane policy — can only lower
involuntary displacement."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.analysis.displacement import displaced, lost_or_left
from simulator.analysis.kpis import compute_kpis
from simulator.model import employees as E
from simulator.model.employees import State, Workforce
from simulator.model.model import OutsourcingModel
from simulator.scenario import load_scenario
from simulator.scenario.overrides import with_overrides
from simulator.scenario.schema import LocalJobs
from simulator.scenario.schema import Workforce as WorkforceParams

from .conftest import SCENARIOS, shrink


def test_workers_on_notice_quit_at_the_informed_rate_and_are_not_replaced() -> None:
    params = WorkforceParams(headcount=20_000, attrition_annual=0.25)
    wf = Workforce(params, LocalJobs(), 24, 1)
    wf.give_notice(wf.n // 2, separation_month=6)
    on_notice = wf.state == State.notice
    gone = wf.quit_for_other_jobs(market=1.0, plan_extra=0.0)
    left = np.zeros(wf.n, dtype=bool)
    left[gone] = True
    rate = left[on_notice].mean()
    assert rate == pytest.approx(0.25 / 12 + E.INFORMED_QUIT, abs=0.003)
    assert left[~on_notice].mean() == pytest.approx(0.25 / 12, abs=0.003)
    assert wf.quit_on_notice.sum() == left[on_notice].sum() == wf.take_events()["notice_quits"]
    assert wf.voluntary_quit[left & on_notice].all()  # their positions are not refilled
    assert not wf.involuntary.any() and not wf.displaced.any()


def test_a_job_found_on_notice_is_a_move_not_a_displacement() -> None:
    params = WorkforceParams(headcount=2_000)
    wf = Workforce(params, LocalJobs(), 24, 2)
    wf.give_notice(wf.n, separation_month=6)
    wf.search_for_jobs(month=0, market=50.0)  # everyone on notice finds a job at once
    moved = wf.state == State.reemployed
    assert moved.all()
    assert wf.displaced.all() and not wf.involuntary.any()  # "left", not "lost"
    assert (wf.displaced_month == 6).all()  # followed from when the job would have ended
    assert wf.take_events()["job_to_job"] == wf.n


@pytest.fixture(scope="module")
def by_notice() -> dict[int, list[dict[str, float | None]]]:
    base = shrink(load_scenario(SCENARIOS / "default.yaml"), 30_000, 36)
    out = {}
    for months in (0, 12):
        sc = with_overrides(base, {"policies.transparency.employee_notice_months": months})
        runs = []
        for seed in (1, 2, 3):
            m = OutsourcingModel(sc, seed=seed).run()
            kpis = compute_kpis(m, m.datacollector.get_model_vars_dataframe())
            assert kpis["displaced_workers"] == len(displaced(m))
            assert len(lost_or_left(m)) == len(displaced(m)) + kpis["job_to_job_moves"]
            runs.append(kpis)
        out[months] = runs
    return out


def test_longer_notice_does_not_raise_involuntary_displacement(by_notice) -> None:
    """Same seeds, 0 and 12 months' notice: fewer (never more) laid off with the longer
    notice, because some leave for a new job or quit first — each counted apart."""

    def mean(months: int, kpi: str) -> float:
        return float(np.mean([k[kpi] for k in by_notice[months]]))

    assert mean(12, "displaced_workers") <= mean(0, "displaced_workers")
    assert mean(0, "job_to_job_moves") == 0 and mean(0, "notice_quits") == 0
    assert mean(12, "job_to_job_moves") > 0 and mean(12, "notice_quits") > 0


def test_the_same_people_are_let_go_whenever_notice_is_given() -> None:
    """Common random numbers across the notice lever: who is chosen for a layoff depends on
    each position's luck for the run, not on the month the notice goes out."""
    params = WorkforceParams(headcount=500)
    early, late = Workforce(params, LocalJobs(), 24, 7), Workforce(params, LocalJobs(), 24, 7)
    early.start_month(2)
    late.start_month(6)
    early.give_notice(60, separation_month=8)
    late.give_notice(60, separation_month=8)
    assert (early.state == State.notice).sum() == 60
    np.testing.assert_array_equal(early.state == State.notice, late.state == State.notice)
