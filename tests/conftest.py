"""Shared fixtures: small, fast versions of the bundled scenarios."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.scenario import Scenario, load_scenario, scenario_from_dict, scenario_to_dict

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"


def shrink(scenario: Scenario, customers: int = 20_000, months: int | None = None) -> Scenario:
    """The same plan at a smaller scale (fewer customers, optionally fewer months)."""
    data = scenario_to_dict(scenario)
    data["customers"]["count"] = customers
    if months is not None:
        data["simulation"]["horizon_months"] = months
        data["plan"]["phases"] = [p for p in data["plan"]["phases"] if p["month"] < months]
    return scenario_from_dict(data)


@pytest.fixture(scope="session")
def scenario_dir() -> Path:
    return SCENARIOS


@pytest.fixture(scope="session")
def default_small() -> Scenario:
    return shrink(load_scenario(SCENARIOS / "default.yaml"), months=36)
