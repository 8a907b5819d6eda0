"""Real cases: a company's documented offshoring (and its reversal) as a scenario, with what
was observed, fixed before the model is run.

A case is a folder ``<library>/<name>/`` holding

- ``scenario.yaml``: the company's size and plan as documented (shares, dates, the reversal
  as a later phase, the region, the currency); every assumption that fills a gap is written
  next to the value it sets;
- ``<case>/sources.md``: each source, with publisher, date, title and what it states;
- ``observed.yaml``: each documented outcome (:class:`Observed`), the measure the model
  gives for it and how they are compared: a direction (``expect: up|down``), a value with a
  relative tolerance, or ``not_comparable`` with the reason. These are set from the record,
  before any replay, and never changed to fit a result.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, model_validator

from simulator.scenario.loading import ScenarioError, format_validation_error, load_scenario
from simulator.scenario.reading import read_yaml
from simulator.scenario.schema import Scenario
from simulator.scenario.schema.base import MAX_MONTH, Strict

CASE_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,59}")
FILES = ("scenario.yaml", "sources.md", "observed.yaml")


class Outcome(Strict):
    """One documented outcome and how the model's value is compared with it."""

    name: str = Field(pattern=r"^[a-z0-9_]{1,60}$", description="Short identifier [text]")
    claim: str = Field(min_length=1, max_length=500, description="What the record says")
    source: str = Field(
        min_length=1,
        max_length=200,
        description="The source (a heading of the case's sources.md) it comes from",
    )
    measure: str = Field(
        min_length=1,
        max_length=80,
        description="A KPI (outsim kpis) or, with months, a monthly series (timeseries.csv)",
    )
    compare: Literal["effect", "level", "change"] = Field(
        "effect",
        description="effect: the plan minus its status quo on the same draws; level: the "
        "plan's value; change: a series' mean over months minus its mean over "
        "baseline_months, within the plan",
    )
    months: tuple[int, int] | None = Field(
        None, description="A series' window: first and last month, inclusive [month index]"
    )
    baseline_months: tuple[int, int] | None = Field(
        None, description="With compare: change, the window compared against [month index]"
    )
    expect: Literal["up", "down", "none"] | None = Field(
        None,
        description="The documented direction of the measure; none: no clear effect (a "
        "study that found none)",
    )
    value: float | None = Field(None, description="The documented value, in the measure's unit")
    tolerance: float | None = Field(
        None, gt=0, le=10, description="With value: the agreement band [share of the value]"
    )
    not_comparable: str | None = Field(
        None, min_length=1, max_length=1000, description="Why the model cannot be compared"
    )
    after_replay: str | None = Field(
        None,
        min_length=1,
        max_length=1000,
        description="Written after the replay: the likely cause of a disagreement (it never "
        "changes what is expected)",
    )

    @model_validator(mode="after")
    def _one_comparison(self) -> Outcome:
        given = [self.expect is not None, self.value is not None, self.not_comparable is not None]
        if sum(given) != 1:
            raise ValueError("give exactly one of expect, value or not_comparable")
        if (self.value is None) != (self.tolerance is None):
            raise ValueError("value and tolerance go together")
        series = self.months is not None  # (the measure's name is checked on replay)
        for window in (self.months, self.baseline_months):
            if window is not None and not 0 <= window[0] <= window[1] <= MAX_MONTH:
                raise ValueError(f"window {list(window)}: expected 0 <= first <= last")
        if (self.compare == "change") != (self.baseline_months is not None):
            raise ValueError("compare: change needs baseline_months (and only it does)")
        if self.compare == "change" and not series:
            raise ValueError("compare: change needs a monthly series (months)")
        return self


class Observed(Strict):
    """``observed.yaml``: the case and its documented outcomes."""

    title: str = Field(min_length=1, max_length=200, description="The case, in a few words")
    period: str = Field(min_length=1, max_length=60, description="Years the case covers")
    summary: str = Field(min_length=1, max_length=3000, description="What happened")
    outcomes: list[Outcome] = Field(min_length=1, max_length=40)

    @model_validator(mode="after")
    def _unique(self) -> Observed:
        names = [o.name for o in self.outcomes]
        doubled = sorted({n for n in names if names.count(n) > 1})
        if doubled:
            raise ValueError(f"outcome names must be unique; doubled: {', '.join(doubled)}")
        return self


@dataclass(frozen=True)
class Case:
    name: str
    folder: Path
    scenario: Scenario
    observed: Observed
    sources: str  # <case>/sources.md


def case_names(library: Path) -> list[str]:
    """The cases in ``library`` (folders holding an observed.yaml), sorted."""
    if not library.is_dir():
        raise ScenarioError(f"{library}: no case library here; expected a folder of cases")
    return sorted(
        p.name for p in library.iterdir() if p.is_dir() and (p / "observed.yaml").is_file()
    )


def load_case(library: Path, name: str) -> Case:
    """The case ``name`` of ``library``, checked: its three files, its scenario, its outcomes
    (windows inside the horizon, sources named in <case>/sources.md). ScenarioError otherwise."""
    if not CASE_NAME.fullmatch(name):
        raise ScenarioError(
            f"{name!r}: not a case name; expected lower-case letters, digits, '_' or '-'"
        )
    folder = library / name
    if not folder.is_dir() or folder.is_symlink():
        known = ", ".join(case_names(library)) or "none"
        raise ScenarioError(f"{folder}: no such case; the library holds: {known}")
    for file in FILES:
        if not (folder / file).is_file():
            raise ScenarioError(f"{folder / file}: missing; a case holds {', '.join(FILES)}")
    scenario = load_scenario(folder / "scenario.yaml")
    source = folder / "observed.yaml"
    try:
        observed = Observed.model_validate(read_yaml(source, "observed outcomes"))
    except ValidationError as exc:
        raise ScenarioError(format_validation_error(str(source), exc)) from None
    sources = (folder / "sources.md").read_text(encoding="utf-8")
    horizon = scenario.simulation.horizon_months
    for i, o in enumerate(observed.outcomes):
        for window in (o.months, o.baseline_months):
            if window is not None and window[1] >= horizon:
                raise ScenarioError(
                    f"{source}: outcomes.{i}.months: {list(window)} ends after the horizon "
                    f"({horizon} months); expected months 0 to {horizon - 1}"
                )
        if o.source not in sources:
            raise ScenarioError(
                f"{source}: outcomes.{i}.source: {o.source!r} is not named in "
                f"{folder / 'sources.md'}"
            )
    return Case(name, folder, scenario, observed, sources)
