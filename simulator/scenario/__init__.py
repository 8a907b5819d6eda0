"""Scenario layer: the data a user writes (no simulation here)."""

from simulator.scenario.loading import (
    ScenarioError,
    default_scenario_path,
    dump_scenario_yaml,
    load_scenario,
    scenario_from_dict,
    scenario_hash,
    scenario_to_dict,
)
from simulator.scenario.schema import Scenario

__all__ = [
    "Scenario",
    "ScenarioError",
    "default_scenario_path",
    "dump_scenario_yaml",
    "load_scenario",
    "scenario_from_dict",
    "scenario_hash",
    "scenario_to_dict",
]
