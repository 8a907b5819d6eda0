"""One cost per additional worker in work (issue 23): the NPV given up per unit gained,
with a paired bootstrap interval, the same in the programme table, the safeguards table
and sweeps."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from simulator.analysis.effects import LEVER_GROUPS, cost_per_gain, programme_effects, safeguard_row
from simulator.analysis.kpis import KPIS
from simulator.outputs.sweep.report import COST_PER_IN_WORK, sample_means


def test_cost_per_gain_by_hand() -> None:
    npv = np.array([-100.0, -120.0, -80.0, -100.0])
    gain = np.array([2.0, 3.0, 1.0, 2.0])
    mean, low, high = cost_per_gain(npv, gain)
    assert mean == pytest.approx(50.0)  # 100 given up for 2 more
    assert low is not None and high is not None and low <= mean <= high
    assert cost_per_gain(npv, -gain) == (None, None, None)  # nothing gained
    assert cost_per_gain(-npv, gain) == (None, None, None)  # nothing given up
    assert cost_per_gain(npv[:2], gain[:2])[1:] == (None, None)  # too few for an interval
    again = cost_per_gain(npv, gain)
    assert again == (mean, low, high)  # seeded: the same interval every time


def test_the_programme_and_the_safeguards_table_give_one_figure() -> None:
    rng = np.random.default_rng(3)
    n = 8
    off = pd.DataFrame(0.0, index=range(n), columns=[k.name for k in KPIS])
    off["npv_net_savings"] = rng.normal(0, 1e5, n)
    off["in_work_count_24m"] = rng.integers(40, 50, n).astype(float)
    on = off.copy()
    on["npv_net_savings"] -= rng.normal(5e5, 5e4, n)
    on["in_work_count_24m"] += rng.integers(5, 10, n)
    group = next(g for g in LEVER_GROUPS if g.name == "local_jobs")
    programme = programme_effects(on, off)["cost_per_additional_in_work"]
    row = safeguard_row(group, on, off)
    assert programme["mean"] == pytest.approx(row["cost_per_unit"])
    interval = (programme["ci95_low"], programme["ci95_high"])
    assert interval == pytest.approx(row["cost_per_unit_ci95"])
    assert programme["ci95_low"] < programme["mean"] < programme["ci95_high"]


def test_a_sweep_uses_the_same_definition() -> None:
    wide = pd.DataFrame(
        {
            "sample_id": [0, 0, 1, 1],
            "status": ["ok"] * 4,
            "x": [1, 1, 2, 2],
            "effect_npv_net_savings": [-100.0, -100.0, 50.0, 50.0],
            "effect_in_work_count_24m": [2.0, 2.0, 1.0, 1.0],
        }
    )
    means = sample_means(wide, ["x"], ["effect_npv_net_savings", "effect_in_work_count_24m"])
    assert means.loc[0, COST_PER_IN_WORK] == pytest.approx(50.0)
    assert np.isnan(means.loc[1, COST_PER_IN_WORK])  # it gains money: no cost to divide
