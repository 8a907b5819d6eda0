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
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simulator._lazy import lazy_names

if TYPE_CHECKING:
    from simulator.analysis.replications import Progress
    from simulator.outputs.store import Results
    from simulator.scenario import Scenario, ScenarioError, load_scenario

__version__ = "0.1.0"

# imported on first use, so that ``import simulator.cli`` (and ``outsim --help``) stays fast
_LAZY = {
    "Results": "simulator.outputs.store",
    "Scenario": "simulator.scenario",
    "ScenarioError": "simulator.scenario",
    "load_scenario": "simulator.scenario",
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
) -> Results:
    """Run a scenario's replications (default: ``scenario.simulation.replications``).

    With ``status_quo`` (the default) the scenario with the plan removed runs on the same
    seeds, and ``results.effects`` holds the plan's paired effect on every KPI; with
    ``safeguards``, ``results.safeguards`` says what each lever group costs and buys.
    Replications run in parallel: on ``workers`` local processes (default: one per core,
    or this process alone for a job of a few seconds; ``workers=1``: always this process),
    on the Dask cluster at ``scheduler`` (``tcp://HOST:PORT``), or through ``client`` (a
    ``distributed.Client``). The results are the same wherever they run. A script that runs
    in parallel needs the usual ``if __name__ == "__main__":`` guard (worker processes
    import the main module)."""
    from simulator.analysis import replications as reps
    from simulator.outputs.store import Results

    return Results.from_replications(
        reps.run(
            scenario,
            replications,
            seed,
            progress,
            status_quo,
            safeguards,
            workers,
            scheduler,
            client,
        )  # fmt: skip
    )


__all__ = ["Results", "Scenario", "ScenarioError", "load_scenario", "run", "__version__"]
