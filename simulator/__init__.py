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

from simulator.analysis import replications as _replications
from simulator.outputs.store import Results
from simulator.scenario import Scenario, ScenarioError, load_scenario

__version__ = "0.1.0"


def run(
    scenario: Scenario,
    replications: int | None = None,
    seed: int | None = None,
    progress: _replications.Progress | None = None,
    status_quo: bool = True,
    safeguards: bool = False,
) -> Results:
    """Run a scenario's replications (default: ``scenario.simulation.replications``).

    With ``status_quo`` (the default) the scenario with the plan removed runs on the same
    seeds, and ``results.effects`` holds the plan's paired effect on every KPI; with
    ``safeguards``, ``results.safeguards`` says what each of the plan's lever groups costs
    and buys."""
    return Results.from_replications(
        _replications.run(scenario, replications, seed, progress, status_quo, safeguards)
    )


__all__ = ["Results", "Scenario", "ScenarioError", "load_scenario", "run", "__version__"]
