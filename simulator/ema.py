"""outsim as an EMA Workbench model (``pip install 'outsim[ema]'``: ema-workbench 2.5).

The EMA Workbench (Kwakkel 2017) is the toolkit of exploratory modelling and robust decision
making: it samples uncertainties and levers, runs a model, and offers scenario discovery
(PRIM, CART), feature scoring and many-objective robust optimisation. :func:`ema_model`
builds an EMA ``Model`` whose uncertainties and levers come from outsim's XLRM registry
(``simulator/scenario/xlrm.py``) with the schema's units and bounds, and whose outcomes are
outsim's KPIs::

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
from simulator.scenario import Scenario, load_scenario, xlrm
from simulator.scenario.loading import scenario_from_dict, scenario_to_dict
from simulator.scenario.paths import coerce, get_value, with_values

DEFAULT_OUTCOMES = ("npv_net_savings", "reemployed_share_24m", "customer_churn_annual",
                    "breach_probability_annual", "vendor_share_paid_fair")  # fmt: skip

Ranges = Mapping[str, tuple[Any, Any] | Sequence[Any]] | Iterable[str]


class EmaError(ValueError):
    """A field, range or outcome that cannot be used. ``str()`` is the message."""


def concrete_paths(scenario: Scenario, kind: xlrm.Kind) -> list[str]:
    """Every field path of ``kind`` in this scenario (``xlrm.concrete``) that EMA can
    sample: list-valued fields such as ``plan.layoff_site_order`` are left out."""
    vendors = [v.name for v in scenario.vendors]
    return [path for path, _ in xlrm.concrete(kind, vendors, lists=False)]


def _parameter(path: str, spec: Any, data: dict[str, Any]) -> Any:
    """An EMA parameter for the field at ``path``: its range is ``spec`` (low, high) or its
    levels (a list), else the schema's bounds."""
    fields = {f.path: f for f in xlrm.inputs()}
    field = fields.get(xlrm.pattern(path))
    if field is None:
        raise EmaError(f"{path}: not a scenario field (see `outsim schema --levers`)")
    try:
        current = get_value(data, path)
    except KeyError as exc:
        raise EmaError(str(exc.args[0])) from None
    if isinstance(spec, list | tuple) and len(spec) != 2 or field.options and spec is not None:
        levels = list(spec) if spec is not None else list(field.options)
        if isinstance(current, bool) and sorted(levels) == [False, True]:
            return BooleanParameter(path)
        return CategoricalParameter(path, levels)
    if field.options:
        if isinstance(current, bool):
            return BooleanParameter(path)
        return CategoricalParameter(path, list(field.options))
    low, high = spec if spec is not None else (field.low, field.high)
    if low is None or high is None or not low < high:
        raise EmaError(f"{path}: needs a range (low, high) with low < high; got {low}, {high}")
    if field.low is not None and low < field.low or field.high is not None and high > field.high:
        raise EmaError(f"{path}: range {low}-{high} is outside its bounds "
                       f"{field.low}-{field.high}")  # fmt: skip
    if isinstance(current, int) and not isinstance(current, bool):
        return IntegerParameter(path, int(low), int(high))
    return RealParameter(path, float(low), float(high))


def _parameters(given: Ranges | None, scenario: Scenario, kind: xlrm.Kind, data) -> list:
    if given is None:
        given = concrete_paths(scenario, kind)
    items = given.items() if isinstance(given, Mapping) else ((p, None) for p in given)
    return [_parameter(path, spec, data) for path, spec in items]


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

    def run(**values: Any) -> dict[str, float]:
        import simulator

        chosen = {p: coerce(v, get_value(data, p)) for p, v in values.items()}
        sc = scenario_from_dict(with_values(data, chosen), "<EMA experiment>")
        res = simulator.run(sc, replications, root, status_quo=False, workers=1)
        means = res.kpis[list(outcomes)].mean()
        return {k: float(means[k]) for k in outcomes}

    model = Model(name, function=run)
    model.uncertainties = _parameters(uncertainties, scenario, xlrm.Kind.uncertainty, data)
    model.levers = _parameters(levers, scenario, xlrm.Kind.lever, data)
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
