"""outsim as an EMA Workbench model: parameters from the XLRM registry, KPIs as outcomes,
common random numbers across experiments."""

from __future__ import annotations

import types
import warnings

import pytest

import simulator
from simulator.scenario import load_scenario
from simulator.scenario.paths import with_values

from .conftest import SCENARIOS, shrink

UNEMPLOYMENT = "local_economy.baseline_unemployment_rate"
NOTICE = "policies.transparency.employee_notice_months"


@pytest.fixture(scope="module")
def ema() -> types.SimpleNamespace:
    """The EMA Workbench and outsim's adapter, imported here: the workbench takes about a
    second to import, which the other test modules should not pay at collection."""
    with warnings.catch_warnings():  # ema_workbench warns that optional ipyparallel is missing
        warnings.simplefilter("ignore")
        import ema_workbench

        import simulator.ema

    return types.SimpleNamespace(workbench=ema_workbench, adapter=simulator.ema)


@pytest.fixture(scope="module")
def small():
    return shrink(load_scenario(SCENARIOS / "default.yaml"), 12_000, 36)


def test_parameters_come_from_the_registry_and_the_schema(ema, small) -> None:
    wb = ema.workbench
    model = ema.adapter.ema_model(small)
    names = {u.name for u in model.uncertainties}
    levers = {lever.name for lever in model.levers}
    assert UNEMPLOYMENT in names and "vendors.manila.wage_ratio" in names
    assert NOTICE in levers and "policies.vendor_staff.wage_floor_ratio" in levers
    assert not names & levers and "workforce.headcount" not in names | levers
    notice = model.levers[NOTICE]
    assert isinstance(notice, wb.IntegerParameter) and (notice.lower_bound, notice.upper_bound) == (
        0,
        24,
    )
    assert isinstance(model.levers["policies.privacy.encryption"], wb.BooleanParameter)
    assert isinstance(model.uncertainties[UNEMPLOYMENT], wb.RealParameter)
    kinds = {o.name: o.kind for o in model.outcomes}
    assert kinds["npv_net_savings"] == wb.ScalarOutcome.MAXIMIZE
    assert kinds["customer_churn_annual"] == wb.ScalarOutcome.MINIMIZE


def test_experiments_run_outsim_on_common_seeds(ema, small) -> None:
    wb = ema.workbench
    model = ema.adapter.ema_model(
        small,
        uncertainties={UNEMPLOYMENT: (0.03, 0.10)},
        levers={NOTICE: (0, 6)},
        outcomes=["reemployed_share_24m", "npv_net_savings"],
        seed=5,
    )
    with wb.SequentialEvaluator(model) as evaluator:
        experiments, outcomes = wb.perform_experiments(model, 3, policies=2, evaluator=evaluator)
    assert len(experiments) == 6 and outcomes["npv_net_savings"].shape == (6,)
    # the first experiment, run directly with outsim on the same seed, gives the same KPIs
    row = experiments.iloc[0]
    values = {UNEMPLOYMENT: float(row[UNEMPLOYMENT]), NOTICE: int(row[NOTICE])}
    data = simulator.scenario.scenario_to_dict(small)
    direct = simulator.run(
        simulator.scenario.scenario_from_dict(with_values(data, values)),
        1,
        5,
        status_quo=False,
        workers=1,
    ).kpis
    assert outcomes["npv_net_savings"][0] == pytest.approx(direct["npv_net_savings"].iloc[0])
    assert outcomes["reemployed_share_24m"][0] == pytest.approx(
        direct["reemployed_share_24m"].iloc[0]
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"outcomes": ["nope"]}, "unknown KPIs"),
        ({"levers": ["policies.no_such_field"]}, "not a scenario field"),
        ({"uncertainties": {UNEMPLOYMENT: (0.2, 0.1)}}, "low < high"),
        ({"uncertainties": {UNEMPLOYMENT: (0.0, 0.9)}}, "outside its bounds"),
    ],
)
def test_bad_requests_are_refused(ema, small, kwargs, message: str) -> None:
    with pytest.raises(ema.adapter.EmaError, match=message):
        ema.adapter.ema_model(small, **kwargs)
