"""Reshoring (issue 27): a later phase lowers a vendor's share and the work comes back
in-house — recruitment at a limited pace, temporary cover meanwhile, hires who learn over
months, and the contract's exit cost."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.model import reshoring as R
from simulator.model.employee import Employee
from simulator.model.employees import REPLACEMENT_COST_MONTHS, State, Workforce
from simulator.model.model import OutsourcingModel
from simulator.scenario import scenario_from_dict, scenario_to_dict
from simulator.scenario.schema import LocalJobs
from simulator.scenario.schema import Workforce as WorkforceParams

from .conftest import shrink

BACK = 24  # the month the offshore share is brought back


def reshored(scenario, **workforce):
    """The default plan (at a small scale) with manila's share brought back at ``BACK``."""
    data = scenario_to_dict(scenario)
    data["plan"]["phases"].append({"month": BACK, "shares": {"manila": 0.0, "bogota": 0.2}})
    data["workforce"].update(workforce)
    return scenario_from_dict(data)


def series(scenario, seed: int = 3):
    model = OutsourcingModel(scenario, seed=seed).run()
    return model, model.datacollector.get_model_vars_dataframe().reset_index(drop=True)


@pytest.fixture(scope="module")
def small(default_small):
    return shrink(default_small, customers=12_000)


def test_ramp_rises_linearly_from_the_first_day_share_to_one() -> None:
    share = R.ramp(np.array([0.0, 1.5, 3.0, 9.0]), first_day=0.5, months=3.0)
    assert share == pytest.approx([0.5, 0.75, 1.0, 1.0])
    assert R.ramp(np.array([0.0]), 0.5, 0.0) == pytest.approx([1.0])  # no learning needed


def test_hiring_limit_is_a_share_of_the_starting_staff_and_at_least_one() -> None:
    assert R.hires_allowed(0.10, 240) == 24
    assert R.hires_allowed(0.10, 4) == 1
    assert R.hires_allowed(0.0, 240) == 0


def test_released_positions_are_the_fall_only() -> None:
    assert list(R.released_positions(np.array([10, 5, 0]), np.array([4, 7, 0]))) == [6, 0, 0]


def test_every_per_worker_array_grows_with_a_new_position() -> None:
    """``WORKER_FILLS`` names every array with one entry per worker: opening positions
    widens them all (a new array forgotten there would be caught here)."""
    wf = Workforce(WorkforceParams(headcount=50), LocalJobs(), 12, 4)
    per_worker = {
        name
        for name, value in vars(wf).items()
        if isinstance(value, np.ndarray) and value.shape[-1] == wf.n and name != "_everyone"
    }
    assert per_worker == set(R.WORKER_FILLS)
    assert wf.hire(8) == 8  # nobody has quit: eight new positions
    assert wf.n == 58 and all(getattr(wf, k).shape[-1] == 58 for k in per_worker)
    assert (wf.state[50:] == State.in_house).all() and (wf.opened_month[50:] == 0).all()
    assert (wf.opened_month[:50] == -1).all() and (wf.tenure[50:] == 0).all()
    events = wf.take_events()
    assert events["positions_opened"] == 8
    assert events["hiring_paid"] == pytest.approx(REPLACEMENT_COST_MONTHS * wf.wage[50:].sum())


def test_replacements_come_first_and_the_limit_holds() -> None:
    wf = Workforce(WorkforceParams(headcount=400, attrition_annual=1.2), LocalJobs(), 12, 4)
    quits = wf.quit_for_other_jobs(market=1.0, plan_extra=0.0)
    assert len(quits) > 10
    assert wf.hire(len(quits) + 30, limit=len(quits) + 5) == len(quits) + 5
    assert (wf.state[quits] == State.in_house).all() and wf.n == 405


def test_the_starting_staffs_draws_do_not_depend_on_positions_opened() -> None:
    a = Workforce(WorkforceParams(headcount=30), LocalJobs(), 12, 4)
    b = Workforce(WorkforceParams(headcount=30), LocalJobs(), 12, 4)
    b.hire(7)
    na = a.normals(np.random.default_rng(1), 3)
    nb = b.normals(np.random.default_rng(1), 3)
    assert nb.shape == (3, 37) and np.array_equal(na, nb[:, :30])
    assert np.array_equal(a.draw("search"), b.draw("search")[:30])


def test_new_hires_learn_over_months_to_proficiency() -> None:
    wf = Workforce(WorkforceParams(headcount=90), LocalJobs(), 12, 4)
    wf.hire(10)  # month 0: 10 of 100 are new
    assert wf.ramp_up(0.5, 3.0) == pytest.approx((90 + 10 * 0.5) / 100)
    wf.start_month(2)
    assert wf.ramp_up(0.5, 3.0) == pytest.approx((90 + 10 * (0.5 + 0.5 * 2 / 3)) / 100)
    wf.start_month(3)
    assert wf.ramp_up(0.5, 3.0) == pytest.approx(1.0)


def test_bringing_work_back_hires_at_the_limit_with_cover_and_pays_the_exit(small) -> None:
    scenario = reshored(small)
    model, ts = series(scenario)
    plain_model, plain = series(small)
    wf = model.workforce
    limit = R.hires_allowed(0.10, wf.n0)
    opened = wf.opened_month[wf.n0 :]
    assert (opened >= BACK).sum() > 0  # new positions once the work is back
    assert np.bincount(opened).max() <= limit  # never more than the limit in a month
    # every new position is a Mesa agent reading its arrays
    assert len(model.agents_by_type[Employee]) == wf.n
    # temporary staff bridge the gap for months (hiring is limited), then hires replace them
    assert (ts["temp_cover"][BACK : BACK + 3] > 0).all() and ts["temp_cover"].iloc[-1] == 0
    # the exit cost: manila's positions released, once
    released = int(model.company.required_vendor_staff(BACK - 1)[0])
    extra = ts["cost_transition"][BACK] - plain["cost_transition"][BACK]
    assert extra == pytest.approx(released * scenario.vendors[0].exit_cost_per_agent)
    assert (ts["cost_transition"][BACK + 1 :] == plain["cost_transition"][BACK + 1 :]).all()
    assert ts["cost_hiring"][BACK:].sum() > plain["cost_hiring"][BACK:].sum()
    # the vendor share is gone; its staff are released
    assert ts["vendor_staff"].iloc[-1] < plain["vendor_staff"].iloc[-1]


def test_slower_hiring_means_more_cover_and_no_hires_means_cover_throughout(small) -> None:
    _, fast = series(reshored(small))
    _, slow = series(reshored(small, hiring_capacity_monthly=0.02))
    _, none = series(reshored(small, hiring_capacity_monthly=0.0))
    after = slice(BACK, BACK + 6)
    assert slow["temp_cover"][after].sum() > fast["temp_cover"][after].sum()
    assert none["temp_cover"].iloc[-1] > 0 and none["cost_hiring"][BACK:].sum() == 0


def test_hires_still_learning_lower_first_contact_resolution(small) -> None:
    """Right after the cover is replaced, the in-house FCR is lower when new hires start at
    a low share of proficiency than when they start fully proficient."""
    _, learning = series(reshored(small, new_hire_proficiency=0.2, months_to_proficiency=6))
    _, expert = series(reshored(small, new_hire_proficiency=1.0))
    window = slice(BACK + 2, BACK + 6)
    assert learning["fcr"][window].mean() < expert["fcr"][window].mean()
    assert learning["fcr"].iloc[-1] == pytest.approx(expert["fcr"].iloc[-1], abs=0.02)
