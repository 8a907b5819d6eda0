"""outsim as an EMA Workbench model (``pip install 'outsim[ema]'``: ema-workbench 2.5).

The EMA Workbench (Kwakkel 2017) is the toolkit of exploratory modelling and robust decision
making: it samples uncertainties and levers, runs a model, and offers scenario discovery
(PRIM, CART), feature scoring and many-objective robust optimisation. :func:`ema_model`
builds an EMA ``Model`` whose uncertainties and levers come from outsim's XLRM registry
(``simulator/scenario/xlrm.py``) with the schema's units and bounds — outsim's one parameter
type (``scenario/parameters.py``), converted to EMA's — and whose outcomes are outsim's
KPIs::

    from ema_workbench import SequentialEvaluator, perform_experiments
    from simulator.ema import ema_model

    model = ema_model(
        uncertainties={"local_economy.baseline_unemployment_rate": (0.03, 0.10)},
        levers=["policies.transparency.employee_notice_months"],
        outcomes=["reemployed_share_24m", "npv_net_savings"],
    )
    with SequentialEvaluator(model) as evaluator:
        experiments, outcomes = perform_experiments(model, 20, policies=4, evaluator=evaluator)

Every experiment runs on the same seeds (``seed``), so experiments differ only by their
inputs: common random numbers, as in outsim's own comparisons. Each outcome is the mean over
``replications``, to maximise, to minimise or for information as the KPI's direction says
(``analysis/kpis.py``). Fields are named by outsim's field paths
(``vendors.manila.wage_ratio``).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

with warnings.catch_warnings():  # "ipyparallel not installed": an evaluator outsim never uses
    warnings.simplefilter("ignore", UserWarning)
    from ema_workbench import (
        BooleanParameter,
        CategoricalParameter,
        IntegerParameter,
        Model,
        RealParameter,
        ScalarOutcome,
    )

from simulator.analysis.kpis import KPI_BY_NAME, Direction
from simulator.scenario import Scenario, load_scenario, parameters, xlrm
from simulator.scenario.loading import scenario_from_dict, scenario_to_dict
from simulator.scenario.parameters import Parameter, ValueKind
from simulator.scenario.paths import PathError, with_values

DEFAULT_OUTCOMES = (
    "npv_net_savings",
    "reemployed_share_24m",
    "customer_churn_annual",
    "breach_probability_annual",
    "vendor_share_paid_fair",
)

Ranges = Mapping[str, tuple[Any, Any] | Sequence[Any]] | Iterable[str]


class EmaError(ValueError):
    """A field, range or outcome that cannot be used. ``str()`` is the message."""


def concrete_paths(scenario: Scenario, kind: xlrm.Kind) -> list[str]:
    """Every field path of ``kind`` in this scenario (``parameters.concrete``) that EMA can
    sample: list-valued fields such as ``plan.layoff_site_order`` are left out."""
    return [p.path for p in parameters.concrete(kind, scenario_to_dict(scenario))]


def parameter(path: str, spec: Any, data: dict[str, Any]) -> Parameter:
    """outsim's parameter for the field at ``path``: its range is ``spec`` (low, high) or its
    levels (a list), else the schema's options or bounds."""
    if xlrm.field(path) is None:
        raise EmaError(f"{path}: not a scenario field (see `outsim schema --levers`)")
    try:
        whole = Parameter.of(path, data)  # every value the schema allows
    except PathError as exc:
        raise EmaError(str(exc)) from None
    if isinstance(spec, list | tuple) and len(spec) != 2 or whole.levels and spec is not None:
        return replace(whole, levels=tuple(spec), low=None, high=None)
    if whole.levels:
        return whole
    low, high = spec if spec is not None else whole.bounds
    if low is None or high is None or not low < high:
        raise EmaError(f"{path}: needs a range (low, high) with low < high; got {low}, {high}")
    if not whole.within_bounds(low, high):
        lower, upper = whole.bounds
        raise EmaError(f"{path}: range {low}-{high} is outside its bounds {lower}-{upper}")
    return replace(whole, low=low, high=high)


def to_ema(p: Parameter) -> Any:
    """The EMA Workbench's parameter for an outsim parameter."""
    if p.levels is not None:
        if p.kind is ValueKind.boolean and sorted(p.levels) == [False, True]:
            return BooleanParameter(p.path)
        return CategoricalParameter(p.path, list(p.levels))
    if p.kind is ValueKind.integer:
        return IntegerParameter(p.path, int(p.low), int(p.high))
    return RealParameter(p.path, float(p.low), float(p.high))


def _parameters(
    given: Ranges | None, scenario: Scenario, kind: xlrm.Kind, data: dict[str, Any]
) -> list[Parameter]:
    if given is None:
        given = concrete_paths(scenario, kind)
    items = given.items() if isinstance(given, Mapping) else ((p, None) for p in given)
    return [parameter(path, spec, data) for path, spec in items]


def ema_model(
    scenario: Scenario | None = None,
    *,
    uncertainties: Ranges | None = None,
    levers: Ranges | None = None,
    outcomes: Sequence[str] = DEFAULT_OUTCOMES,
    replications: int = 1,
    seed: int | None = None,
    name: str = "outsim",
) -> Model:
    """An EMA ``Model`` of ``scenario`` (default: the bundled default scenario).

    ``uncertainties`` and ``levers``: field paths (each over its schema bounds), or a mapping
    of path to ``(low, high)`` or to a list of levels; default: every uncertainty or lever
    of the registry that the scenario has (over its bounds, which are wide: narrow them).
    ``outcomes``: KPI names, each the mean over ``replications`` on seeds from ``seed``
    (default: the scenario's)."""
    scenario = scenario or load_scenario()
    data = scenario_to_dict(scenario)
    if unknown := [k for k in outcomes if k not in KPI_BY_NAME]:
        raise EmaError(f"unknown KPIs {unknown}; expected names from `outsim run` (kpis.csv)")
    root = scenario.simulation.seed if seed is None else seed
    varied = _parameters(uncertainties, scenario, xlrm.Kind.uncertainty, data)
    chosen_levers = _parameters(levers, scenario, xlrm.Kind.lever, data)
    by_path = {p.path: p for p in varied + chosen_levers}

    def run(**values: Any) -> dict[str, float]:
        import simulator

        chosen = {p: by_path[p].coerce(v) for p, v in values.items()}
        sc = scenario_from_dict(with_values(data, chosen), "<EMA experiment>")
        res = simulator.run(sc, replications, root, status_quo=False, workers=1)
        means = res.kpis[list(outcomes)].mean()
        return {k: float(means[k]) for k in outcomes}

    model = Model(name, function=run)
    model.uncertainties = [to_ema(p) for p in varied]
    model.levers = [to_ema(p) for p in chosen_levers]
    model.outcomes = [outcome(k) for k in outcomes]
    return model


OUTCOME_KINDS = {
    Direction.maximise: ScalarOutcome.MAXIMIZE,
    Direction.minimise: ScalarOutcome.MINIMIZE,
    Direction.info: ScalarOutcome.INFO,
}


def outcome(kpi: str) -> ScalarOutcome:
    """The EMA outcome of a KPI, its kind from the KPI's direction."""
    return ScalarOutcome(kpi, kind=OUTCOME_KINDS[KPI_BY_NAME[kpi].direction])
