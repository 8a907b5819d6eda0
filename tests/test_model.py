"""Core invariants of the model: conservation, the status quo, reproducibility."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import simulator
from simulator.analysis.kpis import KPIS
from simulator.model import OutsourcingModel
from simulator.model.employee import Employee
from simulator.model.employees import REPLACEMENT_COST_MONTHS, State
from simulator.model.vendors import VendorAgent
from simulator.scenario import load_scenario

from .conftest import SCENARIOS, shrink

STATE_COLUMNS = [f"employees_{s.name}" for s in State]


def frame(model: OutsourcingModel) -> pd.DataFrame:
    return model.datacollector.get_model_vars_dataframe()


def test_employees_are_conserved_every_month(default_small):
    model = OutsourcingModel(default_small, seed=7).run()
    ts = frame(model)
    assert len(ts) == default_small.simulation.horizon_months
    totals = ts[STATE_COLUMNS].sum(axis=1)
    assert (totals == default_small.workforce.headcount).all()
    # and the plan did move people through the states
    assert ts["employees_unemployed"].max() > 0
    assert ts["employees_reemployed"].iloc[-1] > 0


def test_agents_are_mesa_agents(default_small):
    model = OutsourcingModel(default_small, seed=3)
    for _ in range(12):
        model.step()
    employees = model.agents_by_type[Employee]
    assert len(employees) == default_small.workforce.headcount
    staff = model.agents_by_type[VendorAgent]
    assert len(staff) == sum(v.headcount for v in model.vendors) > 0
    states = {e.state for e in employees}
    assert State.in_house in states and len(states) > 1


def test_status_quo_displaces_nobody_and_costs_in_house():
    """The status quo keeps its centre at the service standard: the roster's surplus over
    what 80/20 needs leaves by attrition (not replaced, nobody laid off), then every leaver
    is replaced; it costs its loaded payroll and replacement hiring, and saves nothing."""
    sc = shrink(load_scenario(SCENARIOS / "status_quo.yaml"), 120_000, months=24)
    model = OutsourcingModel(sc, seed=11).run()
    ts = frame(model)
    staff = ts["employees_in_house"].to_numpy()
    target = ts["in_house_positions"].to_numpy()
    assert staff[0] <= sc.workforce.headcount and target[0] < sc.workforce.headcount
    assert abs(staff[12:] - target[12:]).max() <= 2  # at the standard once the surplus left
    assert ts["displaced_cumulative"].max() == 0
    assert ts["early_quits_cumulative"].max() == 0
    # the status quo is its own baseline: it saves nothing, exactly, every month
    assert (ts["cost_counterfactual"] == ts["cost_operating"]).all()
    assert (ts["net_savings"] == 0.0).all()
    wf = sc.workforce
    pay = model.workforce.wage.mean()
    # replacement hires once at the standard: about attrition / 12 of the staff a month,
    # each costing 3.5 months of pay
    hires_per_month = ts["cost_hiring"].iloc[12:].mean() / (REPLACEMENT_COST_MONTHS * pay)
    assert hires_per_month == pytest.approx(wf.attrition_annual / 12 * target[12:].mean(), rel=0.35)
    loaded = (pay * (1 + wf.benefits_share) + wf.overhead_per_agent_month) * staff[12:]
    hiring = ts["cost_hiring"].to_numpy()[12:]
    assert ts["cost_operating"].iloc[12:].to_numpy() == pytest.approx(loaded + hiring, rel=0.05)
    assert (ts["cost_mitigation"] == 0).all()
    assert (ts["vendor_staff"] == 0).all()
    assert (ts["records_exposed"] == 0).all()


def test_same_seed_same_timeseries_csv(tmp_path, default_small):
    a = simulator.run(default_small, replications=2, seed=5)
    b = simulator.run(default_small, replications=2, seed=5)
    a.timeseries.to_csv(tmp_path / "a.csv", index=False)
    b.timeseries.to_csv(tmp_path / "b.csv", index=False)
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


def test_different_seeds_differ(default_small):
    a = simulator.run(default_small, replications=1, seed=5).timeseries
    b = simulator.run(default_small, replications=1, seed=6).timeseries
    assert not a.equals(b)
    assert not np.allclose(a["customers_churned"], b["customers_churned"])


def test_replications_are_independent_and_common_across_scenarios(default_small):
    res = simulator.run(default_small, replications=3, seed=9)
    assert len(set(res.seeds)) == 3
    other = shrink(load_scenario(SCENARIOS / "status_quo.yaml"), months=36)
    res2 = simulator.run(other, replications=3, seed=9)
    assert res.seeds == res2.seeds  # common random numbers: replication k, same child seed
    by_rep = res.timeseries.groupby("replication")["customers_churned"].sum()
    assert by_rep.nunique() == 3


@pytest.mark.parametrize("name", sorted(p.stem for p in SCENARIOS.glob("*.yaml")))
def test_every_bundled_scenario_runs_a_few_months(name):
    sc = shrink(load_scenario(SCENARIOS / f"{name}.yaml"), customers=5_000, months=14)
    res = simulator.run(sc, replications=1)
    ts = res.timeseries
    assert len(ts) == 14
    assert np.isfinite(ts.select_dtypes("number").to_numpy()).all()
    assert set(res.summary["kpis"]) >= {"npv_net_savings", "csat_mean", "trust_final"}


def test_bundled_default_matches_the_packaged_copy():
    from simulator.scenario import default_scenario_path

    assert default_scenario_path().read_text() == (SCENARIOS / "default.yaml").read_text()


def test_every_kpi_lies_within_its_units_bounds(default_small):
    """Shares and probabilities in [0, 1], counts and costs of people never negative, the
    realised turnover consistent with its monthly series."""
    res = simulator.run(default_small, replications=2, seed=3)
    for k in KPIS:
        values = res.kpis[k.name].dropna().to_numpy(dtype=float)
        if k.unit in ("share", "probability/year") and not k.name.endswith("_change_final"):
            if k.name in ("local_income_change_min", "revenue_change_final"):
                continue
            assert ((values >= 0) & (values <= 1)).all(), (k.name, values)
        if k.unit in ("persons", "customers", "count", "jobs", "records", "months"):
            assert (values >= 0).all(), (k.name, values)
    ts = res.timeseries[res.timeseries["replication"] == 0]
    quits, staff = ts["vendor_quits"].sum(), (ts["vendor_staff"] + ts["vendor_quits"]).sum()
    assert res.kpis["vendor_attrition_annual"].iloc[0] == pytest.approx(12 * quits / staff)
    excess = res.kpis["vendor_attrition_excess"].iloc[0]
    assert excess == pytest.approx(quits * 12 / staff - default_small.workforce.attrition_annual)
