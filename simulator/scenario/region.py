"""Region files: one local economy and many firms that share its labour market (issue 28).

A region file (YAML) holds

- ``simulation``: the region's name, horizon, seed and replications (every firm runs on
  them);
- ``local_economy``: the one labour market every firm's displaced workers search in (each
  firm scenario's own ``local_economy`` is replaced by it);
- ``firms``: each a full scenario file (its own roster, customers, vendors and plan), with
  an optional name (default: the scenario's ``simulation.name``; names are unique).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import Field, ValidationError, field_validator

from simulator.scenario.loading import (
    ScenarioError,
    format_validation_error,
    load_scenario,
    scenario_from_dict,
    scenario_to_dict,
)
from simulator.scenario.reading import read_yaml
from simulator.scenario.schema import LocalEconomy, Scenario, Simulation
from simulator.scenario.schema.base import Strict, check_folder_name


class FirmEntry(Strict):
    """One firm of the region: a scenario file and the name it goes by."""

    scenario: str = Field(
        min_length=1,
        max_length=4096,
        description="The firm's scenario file, relative to the region file [path]",
    )
    name: str | None = Field(
        None, description="The firm's name in the region (default: the scenario's name) [text]"
    )

    @field_validator("name")
    @classmethod
    def _safe_name(cls, name: str | None) -> str | None:
        return None if name is None else check_folder_name(name)


class RegionDocument(Strict):
    """What a region file holds."""

    simulation: Simulation = Field(default_factory=Simulation)
    local_economy: LocalEconomy = Field(default_factory=LocalEconomy)
    firms: list[FirmEntry] = Field(min_length=1, max_length=500)


@dataclass(frozen=True)
class Region:
    """A region ready to run: its settings, its labour market and its firms' scenarios
    (each with the region's horizon, seed and local economy)."""

    simulation: Simulation
    local_economy: LocalEconomy
    firms: tuple[Scenario, ...]
    source: str = "<region>"

    @property
    def names(self) -> list[str]:
        return [f.simulation.name for f in self.firms]


def region_from_scenarios(
    scenarios: list[Scenario],
    simulation: Simulation | None = None,
    local_economy: LocalEconomy | None = None,
    source: str = "<region>",
) -> Region:
    """A region of ``scenarios`` (names unique), all on ``simulation``'s horizon and seed
    and in ``local_economy`` (defaults: the first firm's)."""
    first = scenarios[0]
    sim = simulation or first.simulation
    economy = local_economy or first.local_economy
    names = [s.simulation.name for s in scenarios]
    doubled = sorted({n for n in names if names.count(n) > 1})
    if doubled:
        raise ScenarioError(
            f"{source}: firms: names must be unique; doubled: {', '.join(doubled)} (give "
            "each firm a name)"
        )
    firms = []
    for s in scenarios:
        data = scenario_to_dict(s)
        data["simulation"].update(
            horizon_months=sim.horizon_months, seed=sim.seed, replications=sim.replications
        )
        data["local_economy"] = economy.model_dump(mode="json")
        firms.append(scenario_from_dict(data, f"{source}: firm {s.simulation.name}"))
    return Region(sim, economy, tuple(firms), source)


def load_region(path: str | Path) -> Region:
    """The region in ``path``: every firm's scenario loaded (relative to the region file)
    and set on the region's horizon, seed and labour market. ScenarioError otherwise, with
    the file and the field."""
    path = Path(path)
    try:
        doc = RegionDocument.model_validate(read_yaml(path, "region"))
    except ValidationError as exc:
        raise ScenarioError(format_validation_error(str(path), exc)) from None
    scenarios = []
    for i, firm in enumerate(doc.firms):
        file = Path(firm.scenario)
        file = file if file.is_absolute() else path.parent / file
        try:
            scenario = load_scenario(file)
        except ScenarioError as exc:
            raise ScenarioError(f"{path}: firms.{i}.scenario: {exc}") from None
        if firm.name is not None:
            scenario = scenario.model_copy(
                update={"simulation": scenario.simulation.model_copy(update={"name": firm.name})}
            )
        scenarios.append(scenario)
    return region_from_scenarios(scenarios, doc.simulation, doc.local_economy, str(path))
