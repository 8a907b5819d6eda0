"""Region files: one local economy and many firms that share its labour market (issue 28).

A region file (YAML) holds

- ``simulation``: the region's name, horizon, seed and replications (every firm runs on
  them);
- ``local_economy``: the one labour market every firm's displaced workers search in (each
  firm scenario's own ``local_economy`` is replaced by it);
- ``firms``: each a full scenario file (its own roster, customers, vendors and plan), with
  an optional name (default: the scenario's ``simulation.name``; names are unique);
- ``generator``: firms drawn like an industry (``FirmGenerator``): sizes, customers in
  proportion, a template's plan started over a spread of months, a share of them moving.
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import Field, ValidationError, field_validator, model_validator

from simulator.scenario.loading import (
    ScenarioError,
    format_validation_error,
    load_scenario,
    scenario_from_dict,
    scenario_to_dict,
)
from simulator.scenario.reading import read_yaml
from simulator.scenario.region_policies import RegionPolicies, shift_plan, stagger
from simulator.scenario.schema import LocalEconomy, Scenario, Simulation
from simulator.scenario.schema.base import Strict, check_folder_name
from simulator.scenario.status_quo import status_quo_of


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


class FirmGenerator(Strict):
    """Firms drawn like an industry: sizes from a lognormal, each firm the template's plan
    started at a month drawn over a spread, a share of the firms moving at all."""

    firms: int = Field(..., ge=1, le=500, description="Firms drawn [count]")
    template: str = Field(
        min_length=1,
        max_length=4096,
        description="A scenario file whose vendors, plan and policies every drawn firm uses, "
        "relative to the region file [path]",
    )
    name_prefix: str = Field("firm", description="Drawn firms are called prefix_001, … [text]")
    headcount_median: int = Field(
        200, ge=5, le=100_000, description="Median in-house agents of a firm [agents]"
    )
    headcount_sigma: float = Field(
        0.8, ge=0, le=3, description="Log standard deviation of firm size [log agents]"
    )
    customers_per_agent: float = Field(
        500.0,
        ge=1,
        le=100_000,
        description="Customers per in-house agent (the template's contact rate then sets "
        "the staffing) [customers/agent]",
    )
    customer_sample: float = Field(
        1.0,
        gt=0,
        le=1,
        description="Share of each drawn firm's customers simulated one by one, each standing "
        "for 1/share customers (customers.simulated, at least 100); 1: every customer. Large "
        "regions run in a fraction of the time with noisier customer figures [share]",
    )
    start_spread_months: tuple[int, int] = Field(
        (0, 0),
        description="Each moving firm's plan starts this many months later than the "
        "template's, drawn uniformly between the two bounds [months]",
    )
    moving_share: float = Field(
        1.0, ge=0, le=1, description="Share of the drawn firms that carry out the plan [share]"
    )

    @field_validator("name_prefix")
    @classmethod
    def _safe_prefix(cls, prefix: str) -> str:
        return check_folder_name(prefix)

    @field_validator("start_spread_months")
    @classmethod
    def _ordered(cls, spread: tuple[int, int]) -> tuple[int, int]:
        if not 0 <= spread[0] <= spread[1] <= 239:
            raise ValueError(f"{list(spread)}: expected 0 <= earliest <= latest <= 239")
        return spread


class RegionDocument(Strict):
    """What a region file holds: firms named one by one, drawn by a generator, or both."""

    simulation: Simulation = Field(default_factory=Simulation)
    local_economy: LocalEconomy = Field(default_factory=LocalEconomy)
    firms: list[FirmEntry] = Field(default_factory=list, max_length=500)
    generator: FirmGenerator | None = None
    policies: RegionPolicies = Field(default_factory=RegionPolicies)

    @model_validator(mode="after")
    def _some_firms(self) -> RegionDocument:
        if not self.firms and self.generator is None:
            raise ValueError("a region needs firms: list them (firms:) or draw them (generator:)")
        return self


@dataclass(frozen=True)
class Region:
    """A region ready to run: its settings, its labour market and its firms' scenarios
    (each with the region's horizon, seed and local economy)."""

    simulation: Simulation
    local_economy: LocalEconomy
    firms: tuple[Scenario, ...]
    source: str = "<region>"
    policies: RegionPolicies = field(default_factory=RegionPolicies)

    @property
    def names(self) -> list[str]:
        return [f.simulation.name for f in self.firms]

    @property
    def currency(self) -> str:
        """The currency of every firm's money (one per region)."""
        return self.firms[0].company.currency


def region_from_scenarios(
    scenarios: list[Scenario],
    simulation: Simulation | None = None,
    local_economy: LocalEconomy | None = None,
    source: str = "<region>",
    policies: RegionPolicies | None = None,
) -> Region:
    """A region of ``scenarios`` (names unique), all on ``simulation``'s horizon and seed
    and in ``local_economy`` (defaults: the first firm's), with the region's ``policies``
    (default: none)."""
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
    currencies = sorted({s.company.currency for s in scenarios})
    if len(currencies) > 1:
        raise ScenarioError(
            f"{source}: firms: the firms are in different currencies ({', '.join(currencies)}); "
            "expected one currency (company.currency) for every firm of a region"
        )
    firms = []
    for s in scenarios:
        data = scenario_to_dict(s)
        data["simulation"].update(
            horizon_months=sim.horizon_months, seed=sim.seed, replications=sim.replications
        )
        data["local_economy"] = economy.model_dump(mode="json")
        firms.append(scenario_from_dict(data, f"{source}: firm {s.simulation.name}"))
    return Region(sim, economy, tuple(firms), source, policies or RegionPolicies())


def _load_named(region_file: Path, given: str, field: str) -> Scenario:
    """The scenario file ``given`` at ``field`` of a region file (relative to it), or
    ScenarioError naming the region file and the field."""
    file = Path(given)
    file = file if file.is_absolute() else region_file.parent / file
    try:
        return load_scenario(file)
    except ScenarioError as exc:
        raise ScenarioError(f"{region_file}: {field}: {exc}") from None


def read_region_document(path: str | Path) -> RegionDocument:
    """The region file ``path``, checked (ScenarioError with the file and the field)."""
    path = Path(path)
    return region_document(read_yaml(path, "region"), str(path))


def region_document(data: Any, source: str = "<region>") -> RegionDocument:
    """A region document from plain data (ScenarioError naming ``source`` and the field)."""
    try:
        return RegionDocument.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(format_validation_error(source, exc)) from None


def region_of(doc: RegionDocument, path: str | Path) -> Region:
    """The region ``doc`` describes, its scenario files relative to the file ``path``."""
    path = Path(path)
    scenarios = []
    for i, firm in enumerate(doc.firms):
        scenario = _load_named(path, firm.scenario, f"firms.{i}.scenario")
        if firm.name is not None:
            scenario = scenario.model_copy(
                update={"simulation": scenario.simulation.model_copy(update={"name": firm.name})}
            )
        scenarios.append(scenario)
    if doc.generator is not None:
        template = _load_named(path, doc.generator.template, "generator.template")
        scenarios += draw_firms(doc.generator, template, doc.simulation, f"{path}: generator")
    gap, horizon = doc.policies.staggering.min_gap_months, doc.simulation.horizon_months
    return region_from_scenarios(
        stagger(scenarios, gap, horizon),
        doc.simulation,
        doc.local_economy,
        str(path),
        doc.policies,
    )


def load_region(path: str | Path) -> Region:
    """The region in ``path``: every firm's scenario loaded (relative to the region file)
    and set on the region's horizon, seed and labour market. ScenarioError otherwise, with
    the file and the field."""
    return region_of(read_region_document(path), path)


def region_data(path: str | Path) -> dict[str, Any]:
    """The region file ``path`` as plain data, every default filled in and every scenario
    file it names made absolute (so the data stands on its own, as a sweep's base)."""
    path = Path(path)
    doc = read_region_document(path)
    data = doc.model_dump(mode="json")
    for firm in data["firms"]:
        firm["scenario"] = str((path.parent / firm["scenario"]).resolve())
    if data["generator"] is not None:
        template = data["generator"]["template"]
        data["generator"]["template"] = str((path.parent / template).resolve())
    return data


def draw_firms(
    g: FirmGenerator, template: Scenario, simulation: Simulation, source: str = "generator"
) -> list[Scenario]:
    """``g.firms`` firms like ``template``, drawn from the region's seed (the same firms for
    the same seed and generator): sizes lognormal around the median, customers in proportion,
    the plan shifted by a start drawn over the spread (phases past the horizon left out) for
    the moving share of them, the status quo for the rest."""
    seq = np.random.SeedSequence(simulation.seed, spawn_key=(zlib.crc32(b"generator"),))
    rng = np.random.default_rng(seq)
    sizes = np.maximum(
        5, np.round(g.headcount_median * rng.lognormal(0, g.headcount_sigma, g.firms))
    )
    starts = rng.integers(g.start_spread_months[0], g.start_spread_months[1] + 1, g.firms)
    moving = rng.random(g.firms) < g.moving_share
    out = []
    for i in range(g.firms):
        base = template if moving[i] else status_quo_of(template)
        data: dict[str, Any] = scenario_to_dict(base)
        data["simulation"]["name"] = f"{g.name_prefix}_{i + 1:03d}"
        data["workforce"]["headcount"] = int(sizes[i])
        data["workforce"]["roster"] = data["workforce"]["roster_rows"] = None
        count = data["customers"]["count"] = int(round(sizes[i] * g.customers_per_agent))
        if g.customer_sample < 1:
            data["customers"]["simulated"] = min(
                count, max(100, math.ceil(count * g.customer_sample))
            )
        shift_plan(data, int(starts[i]), simulation.horizon_months)  # the drawn start
        data["simulation"]["horizon_months"] = simulation.horizon_months
        out.append(scenario_from_dict(data, f"{source}: firm {i + 1}"))
    return out
