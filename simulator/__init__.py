"""outsim: an agent-based simulator of customer-service outsourcing plans.

Public API::

    import simulator
    scenario = simulator.load_scenario("scenarios/offshore_cost_first.yaml")
    results = simulator.run(scenario, replications=20)
    results.timeseries      # pandas DataFrame: one row per replication and month
    results.summary         # KPIs with mean, p05, p95, unit, description
    results.effects         # the plan's effect on each KPI against its own status quo
    results.scorecard       # the five ethical dimensions, 0-100
    results.save("results/offshore_cost_first")
    longer = simulator.with_overrides(scenario, {"policies.transparency.employee_notice_months": 6})
    model = simulator.OutsourcingModel(employee_notice_months=6, seed=1)   # one Mesa model
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simulator._lazy import lazy_names
from simulator._version import __version__

if TYPE_CHECKING:
    from simulator.analysis.replications import Progress
    from simulator.model.model import OutsourcingModel
    from simulator.outputs.run.results import Results
    from simulator.scenario import Scenario, ScenarioError, load_scenario
    from simulator.scenario.overrides import with_overrides

# imported on first use, so that ``import simulator.cli`` (and ``outsim --help``) stays fast
_LAZY = {
    "Results": "simulator.outputs.run.results",
    "Scenario": "simulator.scenario",
    "ScenarioError": "simulator.scenario",
    "load_scenario": "simulator.scenario",
    "with_overrides": "simulator.scenario.overrides",
    "OutsourcingModel": "simulator.model.model",
}


__getattr__ = lazy_names(__name__, _LAZY)


def run(
    scenario: Scenario,
    replications: int | None = None,
    seed: int | None = None,
    progress: Progress | None = None,
    status_quo: bool = True,
    safeguards: bool = False,
    workers: int | None = None,
    scheduler: str | None = None,
    client: Any = None,
    overrides: dict[str, Any] | None = None,
    swing: bool | None = False,
    uncertainty: str = "none",
    split: bool | None = True,
    draws: int = 10,
    posterior: Any = None,
) -> Results:
    """Run a scenario's replications (default: ``scenario.simulation.replications``).

    With ``status_quo`` (the default) the scenario with the plan removed runs on the same
    seeds, and ``results.effects`` holds the plan's paired effect on every KPI; with
    ``safeguards``, ``results.safeguards`` says what each lever group costs and buys.
    Replications run in parallel: on ``workers`` local processes (default: one per core,
    or this process alone for a job of a few seconds; ``workers=1``: always this process),
    on the Dask cluster at ``scheduler`` (``tcp://HOST:PORT``), or through ``client`` (a
    ``distributed.Client``). The results are the same wherever they run.

    ``overrides`` changes scenario fields first, by path as in sweep specs
    (``{"policies.transparency.employee_notice_months": 3}``; see ``with_overrides``).

    ``swing``: also swing every uncertainty over its plausible range (``outsim swing``, one
    paired replication per end on the first replication's seed; ``results.swing``).
    ``uncertainty``: "none", or how to split the spread into luck and knowledge with
    ``draws`` draws × 2 runs each (``results.uncertainty``; ``split`` says when): "ranges"
    draws the declared uncertainties from their plausible ranges, "posterior" the calibrated
    constants from ``posterior`` (a ``posterior.csv`` or calibration folder; default: the
    one outsim ships), "both" the two. ``swing`` and ``split``: True always,
    None when it fits the budget (``analysis.swing.RUN_BUDGET_SECONDS`` on one core,
    estimated from the scenario's size, so every machine decides alike; the ``*_note`` says
    why it was left out), False never."""
    from simulator.analysis import extras
    from simulator.analysis import replications as reps
    from simulator.analysis.calibrate import read_posterior
    from simulator.analysis.knowledge import MODES
    from simulator.outputs.run.results import Results
    from simulator.scenario.overrides import with_overrides
    from simulator.scenario.status_quo import is_status_quo

    if uncertainty not in MODES:
        raise ValueError(f"uncertainty: {uncertainty!r}; expected one of {', '.join(MODES)}")
    drawn = None if posterior is None else read_posterior(posterior)
    scenario = with_overrides(scenario, overrides or {})
    phase = {"offset": 0, "total": 0}  # each later phase extends the progress count

    def step(done: int, total: int) -> None:
        phase["total"] = total
        if progress is not None:
            progress(phase["offset"] + done, phase["offset"] + total)

    def next_phase() -> None:
        phase["offset"] += phase["total"]
        phase["total"] = 0

    results = Results.from_replications(
        reps.run(
            scenario, replications, seed, step, status_quo, safeguards, workers, scheduler, client
        )
    )
    if results.baseline_kpis is None or is_status_quo(scenario):
        return results
    where = {"workers": workers, "scheduler": scheduler, "client": client}
    if uncertainty != "none" and split is not False:
        next_phase()
        extras.add_split(results, uncertainty, split, step, where, draws, posterior=drawn)
    if swing is not False:
        next_phase()
        extras.add_swing(results, swing, step, where)
    return results


__all__ = [
    "OutsourcingModel",
    "Results",
    "Scenario",
    "ScenarioError",
    "load_scenario",
    "run",
    "with_overrides",
    "__version__",
]
