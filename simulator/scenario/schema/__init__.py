"""Scenario schema: what a user writes in a YAML scenario file.

Every field states its unit in its description, has a default and bounds. The sources of the
defaults are listed in docs/MODEL.md. Models forbid unknown fields so that a typo is an error,
not a silently ignored setting.

Declarations only: fields, units, bounds and checks on values. No file is opened here — the
data files a scenario names (roster, contact volumes, region file) are read by the loading
step (``scenario/loading.py``, ``scenario/roster.py``), which puts their data into the
document before it is validated. One module per section (``simulation``, ``company`` with
``customers``, ``workforce``, ``local_economy``, ``vendors``, ``plan``, ``policies``,
``costs``); :class:`Scenario`, which joins them and checks them against each other, is here,
and every model is importable from ``simulator.scenario.schema``.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from simulator.scenario.schema.base import (
    FOLDER_NAME,
    FOLDER_NAME_RULE,
    MAX_MONTH,
    NAME_PATTERN,
    SEED_BOUNDS,
    Share,
    Strict,
    check_folder_name,
    field_bounds,
)
from simulator.scenario.schema.company import Company, Customers
from simulator.scenario.schema.costs import Costs
from simulator.scenario.schema.local_economy import LocalEconomy
from simulator.scenario.schema.plan import IN_HOUSE, OTHERS, Incident, Phase, Plan
from simulator.scenario.schema.policies import (
    Communication,
    CommunityFocus,
    CommunityInvestment,
    LocalJobs,
    Policies,
    Privacy,
    Retraining,
    Transparency,
    VendorStaff,
)
from simulator.scenario.schema.simulation import Simulation
from simulator.scenario.schema.vendors import Location, Vendor
from simulator.scenario.schema.workforce import RosterRow, Workforce

__all__ = [
    "FOLDER_NAME",
    "FOLDER_NAME_RULE",
    "MAX_MONTH",
    "NAME_PATTERN",
    "SEED_BOUNDS",
    "Communication",
    "CommunityFocus",
    "CommunityInvestment",
    "Company",
    "Costs",
    "Customers",
    "LocalEconomy",
    "LocalJobs",
    "Location",
    "IN_HOUSE",
    "Incident",
    "Phase",
    "Plan",
    "Policies",
    "Privacy",
    "Retraining",
    "RosterRow",
    "Scenario",
    "Share",
    "Simulation",
    "Strict",
    "Transparency",
    "Vendor",
    "VendorStaff",
    "Workforce",
    "check_folder_name",
    "field_bounds",
]


class Scenario(Strict):
    """A complete, validated outsourcing scenario."""

    simulation: Simulation = Field(default_factory=Simulation)
    company: Company = Field(default_factory=Company)
    workforce: Workforce = Field(default_factory=Workforce)
    customers: Customers = Field(default_factory=Customers)
    local_economy: LocalEconomy = Field(default_factory=LocalEconomy)
    vendors: list[Vendor] = Field(
        default_factory=list, max_length=20, description="Vendors [list, ≤ 20]"
    )
    plan: Plan = Field(default_factory=Plan)
    policies: Policies = Field(default_factory=Policies)
    costs: Costs = Field(default_factory=Costs)

    @model_validator(mode="after")
    def _plan_is_consistent(self) -> Scenario:
        names = [v.name for v in self.vendors]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"vendor names must be unique; repeated: {', '.join(duplicates)}")
        known = set(names)
        horizon = self.simulation.horizon_months
        previous = -1
        for i, phase in enumerate(self.plan.phases):
            unknown = sorted(set(phase.shares) - known)
            if unknown:
                raise ValueError(
                    f"plan.phases.{i}.shares names unknown vendor {unknown[0]!r}; "
                    f"expected one of: {', '.join(sorted(known)) or '(no vendors defined)'}"
                )
            if phase.month >= horizon:
                raise ValueError(
                    f"plan.phases.{i}.month is {phase.month}, past the horizon; expected a "
                    f"month below simulation.horizon_months = {horizon}"
                )
            if phase.month <= previous:
                raise ValueError(
                    f"plan.phases.{i}.month is {phase.month}; expected phases in increasing "
                    "month order"
                )
            previous = phase.month
        for i, incident in enumerate(self.plan.incidents):
            if incident.holder != IN_HOUSE and incident.holder not in known:
                raise ValueError(
                    f"plan.incidents.{i}.holder is {incident.holder!r}; expected {IN_HOUSE} or "
                    f"a vendor's name: {', '.join(sorted(known)) or '(no vendors defined)'}"
                )
            if incident.month >= horizon:
                raise ValueError(
                    f"plan.incidents.{i}.month is {incident.month}, past the horizon; expected "
                    f"a month below simulation.horizon_months = {horizon}"
                )
        sites = {r.site for r in self.workforce.roster_rows or []}
        order = self.plan.layoff_site_order
        unknown_sites = [x for x in order if x not in sites and x != OTHERS]
        if unknown_sites:
            raise ValueError(
                f"plan.layoff_site_order names site {unknown_sites[0]!r}, which no roster row "
                f"has; expected one of: {', '.join(sorted(s for s in sites if s)) or '(none)'}"
            )
        if OTHERS in order[:-1]:
            raise ValueError(
                f"plan.layoff_site_order has {OTHERS!r} before its end; expected it last "
                "(the sites not listed go last)"
            )
        unplaced = sorted(s for s in sites if s and s not in order)
        if self.plan.layoff_rule == "by_site" and unplaced and OTHERS not in order:
            raise ValueError(
                f"plan.layoff_site_order leaves out the roster's site(s) {', '.join(unplaced)}; "
                f"expected every site placed, or {OTHERS!r} last to lay off the sites not "
                "listed last"
            )
        if self.workforce.headcount > 0.5 * self.local_economy.labour_force:
            raise ValueError(
                f"workforce.headcount is {self.workforce.headcount}; expected at most half of "
                f"local_economy.labour_force ({self.local_economy.labour_force})"
            )
        if self.policies.local_jobs.community_investment.start_month >= horizon:
            raise ValueError(
                "policies.local_jobs.community_investment.start_month is past the horizon; "
                f"expected a month below {horizon}"
            )
        return self

    @property
    def name(self) -> str:
        return self.simulation.name

    def vendor(self, name: str) -> Vendor:
        for v in self.vendors:
            if v.name == name:
                return v
        raise KeyError(name)
