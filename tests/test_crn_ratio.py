"""Full common random numbers (issue 23): a lever change leaves everyone else's luck alone,
so the paired difference between two plans varies far less than the same difference
between independently seeded runs. A stream whose draws depended on the plan would push
the ratio towards 1 (docs/DECISION.md: the measured ratios)."""

from __future__ import annotations

import pytest

from simulator.dev import crn
from simulator.scenario import load_scenario

from .conftest import SCENARIOS, shrink


@pytest.mark.parametrize("label", sorted(crn.CHANGES))
def test_a_lever_change_keeps_everyone_elses_luck(label: str) -> None:
    base = shrink(load_scenario(SCENARIOS / "default.yaml"), 10_000, 36)
    other = crn.changed(base, crn.CHANGES[label])
    ratio = crn.variance_ratio(base, other, 6, label).ratios
    for kpi in ("npv_net_savings", "customer_churn_annual", "csat_mean"):
        assert ratio[kpi] is not None and ratio[kpi] <= 0.5, (kpi, ratio)
