"""Direction checks: each lever moves its outcome the right way, beyond replication noise.

Each test runs two variants of a small scenario with the same replication seeds (common
random numbers) and requires the paired mean difference to exceed three standard errors.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import simulator
from simulator.model.customers import Customers
from simulator.scenario import load_scenario, scenario_from_dict, scenario_to_dict
from simulator.scenario.schema import Customers as CustomerParams

from .conftest import SCENARIOS

REPS = 6


def variant(
    edit: Callable[[dict[str, Any]], None], base: str = "default", customers: int = 10_000
) -> Any:
    data = scenario_to_dict(load_scenario(SCENARIOS / f"{base}.yaml"))
    scale = customers / data["customers"]["count"]
    data["customers"]["count"] = customers
    data["workforce"]["headcount"] = round(data["workforce"]["headcount"] * scale)
    data["simulation"]["horizon_months"] = 36
    edit(data)
    return scenario_from_dict(data)


def kpi(scenario: Any, name: str) -> np.ndarray:
    res = simulator.run(scenario, replications=REPS, seed=2024)
    return res.kpis[name].astype(float).to_numpy()


def assert_larger(a: np.ndarray, b: np.ndarray) -> None:
    """Paired: mean(a - b) > 3 standard errors (and > 0)."""
    d = a - b
    se = d.std(ddof=1) / np.sqrt(len(d)) if len(d) > 1 else 0.0
    assert d.mean() > 0 and d.mean() > 3 * se, (d.mean(), se, a, b)


def set_shares(manila: float, bogota: float) -> Callable[[dict], None]:
    def edit(d: dict) -> None:
        for phase in d["plan"]["phases"]:
            phase["shares"] = {"manila": manila, "bogota": bogota}

    return edit


@pytest.mark.integration
def test_more_outsourcing_displaces_more_and_costs_less():
    low, high = variant(set_shares(0.2, 0.1)), variant(set_shares(0.5, 0.3))
    assert_larger(kpi(high, "displaced_workers"), kpi(low, "displaced_workers"))
    assert_larger(kpi(high, "npv_operating_savings"), kpi(low, "npv_operating_savings"))


@pytest.mark.integration
def test_retraining_capacity_raises_completions():
    def capacity(n: int) -> Callable[[dict], None]:
        def edit(d: dict) -> None:
            d["policies"]["local_jobs"]["retraining"]["capacity_per_month"] = n

        return edit

    # a company large enough to lay off more people than a course takes in a month
    none, some = variant(capacity(0), customers=40_000), variant(capacity(20), customers=40_000)
    assert_larger(kpi(some, "retraining_starts"), kpi(none, "retraining_starts"))
    done = simulator.run(some, replications=REPS, seed=2024).timeseries
    done0 = simulator.run(none, replications=REPS, seed=2024).timeseries
    per_rep = done.groupby("replication")["training_completions"].sum().to_numpy()
    per_rep0 = done0.groupby("replication")["training_completions"].sum().to_numpy()
    assert_larger(per_rep, per_rep0)


@pytest.mark.integration
def test_higher_vendor_pay_lowers_attrition():
    def floor(ratio: float) -> Callable[[dict], None]:
        def edit(d: dict) -> None:
            d["policies"]["vendor_staff"]["wage_floor_ratio"] = ratio

        return edit

    # more customers -> more vendor staff -> less noise in the attrition rate
    low, high = variant(floor(0.0), customers=200_000), variant(floor(1.5), customers=200_000)
    assert_larger(kpi(low, "vendor_attrition_annual"), kpi(high, "vendor_attrition_annual"))


@pytest.mark.integration
def test_data_minimisation_exposes_fewer_records():
    def fields(share: float) -> Callable[[dict], None]:
        def edit(d: dict) -> None:
            d["policies"]["privacy"]["fields_shared_share"] = share

        return edit

    full, minimal = variant(fields(1.0)), variant(fields(0.3))
    assert_larger(kpi(full, "records_exposed_final"), kpi(minimal, "records_exposed_final"))
    assert_larger(kpi(full, "breach_probability_annual"), kpi(minimal, "breach_probability_annual"))


@pytest.mark.integration
def test_disclosure_loses_less_trust_than_discovery():
    def disclose(flag: bool) -> Callable[[dict], None]:
        def edit(d: dict) -> None:
            d["simulation"]["horizon_months"] = 60
            d["policies"]["transparency"]["disclose_outsourcing"] = flag

        return edit

    hidden = simulator.run(variant(disclose(False), "offshore_cost_first"), REPS, 2024)
    told = simulator.run(variant(disclose(True), "offshore_cost_first"), REPS, 2024)

    def lost(res: simulator.Results) -> np.ndarray:
        last = res.timeseries.groupby("replication").last()
        return (
            last["trust_lost_discovery_cumulative"] + last["trust_lost_disclosure_cumulative"]
        ).to_numpy()

    assert lost(hidden).mean() > 2 * lost(told).mean()
    assert (told.timeseries["discovered"] == 0).all()


def test_disclosure_dip_is_smaller_than_discovery_drop():
    params = CustomerParams(count=20_000)
    a = Customers(params, 1)
    b = Customers(params, 1)
    a.hear_disclosure(reach=1.0, dip=0.02)
    b.discover_outsourcing(drop=0.10)
    assert 0 < a.trust_lost_to_disclosure < b.trust_lost_to_discovery
    # both know; only the disclosure told them (discovery earns no transparency credit)
    assert a.aware_share() == b.aware_share() == 1.0
    assert a.informed_share() == 1.0 and b.informed_share() == 0.0
