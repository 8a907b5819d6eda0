"""A scenario's status quo: the same company with the plan removed.

Every money figure of a plan is measured against its status quo simulated on the same draws
(``model.OutsourcingModel`` runs it beside the plan), so this is where "the plan removed"
is defined, once: no phases (nothing moves to a vendor) and no community investment; every
other setting, and the seed, unchanged.
"""

from __future__ import annotations

from simulator.scenario.loading import scenario_from_dict, scenario_to_dict
from simulator.scenario.schema import Scenario, check_folder_name


def status_quo_of(scenario: Scenario) -> Scenario:
    """The scenario with the plan removed: nothing outsourced, no community investment
    (every other setting, and the seed, unchanged)."""
    data = scenario_to_dict(scenario)
    data["plan"]["phases"] = []
    data["policies"]["local_jobs"]["community_investment"]["budget_total"] = 0.0
    data["simulation"]["name"] = suffixed_name(scenario.name, "status_quo")
    return scenario_from_dict(data, f"<status quo of {scenario.name}>")


def is_status_quo(scenario: Scenario) -> bool:
    """Whether the scenario has no plan (its status quo is itself)."""
    nothing_moves = all(sum(p.shares.values()) == 0 for p in scenario.plan.phases)
    return nothing_moves and scenario.policies.local_jobs.community_investment.budget_total == 0


def suffixed_name(base: str, suffix: str) -> str:
    """``base_suffix``, shortened to a valid folder name."""
    name = f"{base[: 99 - len(suffix)]}_{suffix}"
    return check_folder_name(name)
