"""``simulation``: the run itself (name, horizon, seed, replications)."""

from __future__ import annotations

from pydantic import Field, field_validator

from simulator.scenario.schema.base import SEED_BOUNDS, Strict, check_folder_name


class Simulation(Strict):
    name: str = Field(
        "scenario",
        description="Scenario name, used for the results folder [text: 1-100 letters, digits, "
        "_ . -, not starting with .]",
    )
    description: str = Field(
        "", max_length=5000, description="Free text shown in reports [text, ≤ 5000 characters]"
    )
    horizon_months: int = Field(60, ge=1, le=240, description="Months simulated [months]")
    seed: int = Field(
        20261128,
        ge=SEED_BOUNDS[0],
        le=SEED_BOUNDS[1],
        description="Root seed of all random draws [integer]",
    )
    replications: int = Field(
        10, ge=1, le=10_000, description="Independent replications per run [count]"
    )

    @field_validator("name")
    @classmethod
    def _safe_folder_name(cls, name: str) -> str:
        return check_folder_name(name)
