"""``policies:`` of a region file (issue 28): what a region's public bodies and firms can do
about a wave, each with its cost and who pays.

- ``wage_insurance``: the public tops up the pay of displaced workers re-employed for less, as
  the US Reemployment Trade Adjustment Assistance does (RTAA, Trade Act of 1974 as amended in
  2002 and 2015: half the difference between old and new pay, at most USD 10,000 over two
  years, for workers aged 50 and over). Paid by the public.
- ``rapid_response``: job-search assistance for every displaced worker from the month of the
  layoff, publicly funded, as the US Rapid Response services (Workforce Innovation and
  Opportunity Act, 2014) and the EU Globalisation Adjustment Fund (Regulation (EU) 2021/691:
  personalised job-search assistance for workers of a mass layoff, EU co-financing 85%) give.
  The same assistance as a firm's outplacement (``employees.py``: the job-finding hazard x1.15
  for six months), for the workers whose employer gives none. Paid by the public.
- ``staggering``: the region's firms agree that no two of them start moving work out within
  ``min_gap_months`` of each other (in the order they planned to start); a firm held back
  starts later and keeps its costs longer. Paid by the firms (their savings come later).

The model's mechanics of the first two are in ``model/regional_policy.py``; staggering moves
the firms' plans (:func:`stagger`).
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from simulator.scenario.loading import scenario_from_dict, scenario_to_dict
from simulator.scenario.schema import Scenario
from simulator.scenario.schema.base import Strict


class WageInsurance(Strict):
    """Top-ups of the displaced's pay in a new job paid less than the old (RTAA)."""

    enabled: bool = Field(False, description="Pay wage insurance to the re-employed displaced")
    replacement_rate: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Share of the gap between old and new monthly pay paid (RTAA: 50%) [share]",
    )
    cap_per_worker: float = Field(
        10_000.0,
        ge=0,
        le=1e7,
        description="Most one worker receives over the programme (RTAA: USD 10,000) [money]",
    )
    months: int = Field(
        24,
        ge=1,
        le=120,
        description="Months after re-employment it is paid (RTAA: two years) [months]",
    )
    min_age: float = Field(
        50.0, ge=16, le=80, description="Youngest age at displacement eligible (RTAA: 50) [years]"
    )


class RapidResponse(Strict):
    """Public job-search assistance from the layoff (US Rapid Response, EU EGF)."""

    enabled: bool = Field(False, description="Give every displaced worker job-search help")
    cost_per_worker: float = Field(
        1_500.0,
        ge=0,
        le=1e6,
        description="Cost per displaced worker served (assumption: the default outplacement "
        "cost, policies.local_jobs.outplacement_cost_per_worker) [money]",
    )


class Staggering(Strict):
    """An agreement between the region's firms to spread their moves in time."""

    min_gap_months: int = Field(
        0,
        ge=0,
        le=120,
        description="Months at least between two firms' starts of moving work out; 0: no "
        "agreement [months]",
    )


class RegionPolicies(Strict):
    """What the region does about a wave (``policies:`` of a region file)."""

    wage_insurance: WageInsurance = Field(default_factory=WageInsurance)
    rapid_response: RapidResponse = Field(default_factory=RapidResponse)
    staggering: Staggering = Field(default_factory=Staggering)
    tax_share_of_pay: float = Field(
        0.348,
        ge=0,
        le=0.9,
        description="Taxes and social contributions the public collects per unit of pay: "
        "what earnings lost cost it (OECD Taxing Wages 2024: average tax wedge 34.8%, 2023) "
        "[share]",
    )


def first_move(scenario: Scenario) -> int | None:
    """The month a firm starts moving work out: its plan's first phase (None: no plan)."""
    months = [p.month for p in scenario.plan.phases]
    return min(months) if months else None


def stagger(scenarios: list[Scenario], gap: int, horizon: int) -> list[Scenario]:
    """The firms with their plans delayed so that no two start within ``gap`` months of each
    other, taken in the order of their planned starts (ties: as listed); a plan's phases and
    scheduled incidents move together, those pushed past the horizon are left out."""
    if gap <= 0:
        return list(scenarios)
    movers = sorted(
        (i for i, s in enumerate(scenarios) if first_move(s) is not None),
        key=lambda i: (first_move(scenarios[i]), i),
    )
    out = list(scenarios)
    earliest = None
    for i in movers:
        start = first_move(scenarios[i])
        assert start is not None
        begin = start if earliest is None else max(start, earliest)
        earliest = begin + gap
        if begin != start:
            out[i] = _delayed(scenarios[i], begin - start, horizon)
    return out


def _delayed(scenario: Scenario, months: int, horizon: int) -> Scenario:
    data: dict[str, Any] = scenario_to_dict(scenario)
    shift_plan(data, months, horizon)
    return scenario_from_dict(data, f"staggering: firm {scenario.simulation.name}")


def shift_plan(data: dict[str, Any], months: int, horizon: int) -> None:
    """Move a scenario document's plan (phases and scheduled incidents) ``months`` later, in
    place; those pushed past ``horizon`` are left out."""
    for key in ("phases", "incidents"):
        for item in data["plan"][key]:
            item["month"] += months
        data["plan"][key] = [x for x in data["plan"][key] if x["month"] < horizon]
