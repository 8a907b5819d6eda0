"""One parameter type (``scenario/parameters.py``), built from the XLRM registry and the
schema, shared by sweeps, the robust search and the EMA adapter."""

from __future__ import annotations

import warnings

import pytest

from simulator import sweep
from simulator.scenario import load_scenario, scenario_to_dict, xlrm
from simulator.scenario.parameters import Parameter, ParameterError, ValueKind, concrete
from simulator.scenario.paths import PathError
from simulator.sweep.robust_search import distributions
from simulator.sweep.robust_spec import optimisation_from_dict

from .conftest import SCENARIOS

NOTICE = "policies.transparency.employee_notice_months"
UNEMPLOYMENT = "local_economy.baseline_unemployment_rate"
DEFAULT = SCENARIOS / "default.yaml"


@pytest.fixture(scope="module")
def base() -> dict:
    return scenario_to_dict(load_scenario(DEFAULT))


def test_a_parameter_carries_the_registry_and_the_schema(base) -> None:
    notice = Parameter.of(NOTICE, base, range=(0, 6))
    assert notice.kind is ValueKind.integer and notice.role is xlrm.Kind.lever
    assert notice.dimension == "transparency"
    assert (notice.unit, notice.bounds, notice.low, notice.high) == ("months", (0, 24), 0, 6)
    assert notice.is_range and notice.type_name == "int" and notice.coerce(2.6) == 3
    wage = Parameter.of("vendors.manila.wage_ratio", base)  # no range: the schema's bounds
    assert wage.role is xlrm.Kind.uncertainty and wage.kind is ValueKind.real
    assert (wage.low, wage.high) == wage.bounds == (0.2, 3) and wage.unit == "ratio"
    encryption = Parameter.of("policies.privacy.encryption", base)
    assert encryption.kind is ValueKind.boolean and encryption.levels == (False, True)
    assert encryption.coerce(0.7) is True and not encryption.is_range
    regime = Parameter.of("policies.privacy.regime", base)
    assert regime.kind is ValueKind.categorical
    assert regime.levels == ("gdpr", "hipaa", "ccpa", "none")
    share = Parameter.of("plan.phases.1.shares.manila", base)
    assert share.bounds == (0.0, 1.0) and share.role is xlrm.Kind.lever
    assert share.extremes() == [0.0, 1.0] and share.within_bounds(0.2, 0.6)
    assert not share.within_bounds(0.2, 1.5)


def test_bad_parameters_are_refused(base) -> None:
    with pytest.raises(ParameterError, match="a text field takes levels"):
        Parameter.of("policies.privacy.regime", base, range=(0, 1))
    with pytest.raises(PathError, match="has no item 'lima'"):
        Parameter.of("vendors.lima.wage_ratio", base)


def test_concrete_parameters_follow_the_registry(base) -> None:
    levers = concrete(xlrm.Kind.lever, base)
    vendors = [v["name"] for v in base["vendors"]]
    assert [p.path for p in levers] == [
        path for path, _ in xlrm.concrete(xlrm.Kind.lever, vendors, lists=False)
    ]
    assert all(p.role is xlrm.Kind.lever for p in levers)
    assert "plan.layoff_site_order" not in {p.path for p in levers}
    assert {p.path for p in concrete(xlrm.Kind.uncertainty, base)} >= {
        UNEMPLOYMENT,
        "vendors.manila.wage_ratio",
    }


def test_sweeps_the_robust_search_and_ema_share_the_parameter(base) -> None:
    swept = sweep.from_dict(
        {
            "base": str(DEFAULT),
            "sampler": "lhs",
            "samples": 4,
            "parameters": {NOTICE: {"range": [0, 6]}, UNEMPLOYMENT: {"range": [0.03, 0.08]}},
        },
    ).parameters
    searched = optimisation_from_dict(
        {
            "base": str(DEFAULT),
            "levers": {NOTICE: {"range": [0, 6]}},
            "uncertainties": {UNEMPLOYMENT: {"range": [0.03, 0.08]}},
            "objectives": {"npv_net_savings": {}},
        },
    )
    assert swept[NOTICE] == searched.parameters[NOTICE] == Parameter.of(NOTICE, base, range=(0, 6))
    assert swept[UNEMPLOYMENT] == searched.parameters[UNEMPLOYMENT]
    assert searched.kinds() == {NOTICE: "int", UNEMPLOYMENT: "float"}
    notice = distributions(searched)[NOTICE]
    assert (type(notice).__name__, notice.low, notice.high) == ("IntDistribution", 0, 6)

    pytest.importorskip("ema_workbench")
    with warnings.catch_warnings():  # ema_workbench warns that optional ipyparallel is missing
        warnings.simplefilter("ignore")
        import ema_workbench as wb

        from simulator.ema import parameter, to_ema

    assert parameter(NOTICE, (0, 6), base) == swept[NOTICE]
    as_ema = to_ema(parameter(NOTICE, (0, 6), base))
    assert isinstance(as_ema, wb.IntegerParameter)
    assert (as_ema.lower_bound, as_ema.upper_bound) == (0, 6)
    levels = to_ema(parameter(NOTICE, [0, 3, 6], base))
    assert isinstance(levels, wb.CategoricalParameter)
    assert [c.value for c in levels.categories] == [0, 3, 6]
    assert isinstance(
        to_ema(parameter("policies.privacy.encryption", None, base)), wb.BooleanParameter
    )
