"""``plan``: what moves to which vendor, when, and who is laid off."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from simulator.scenario.schema.base import MAX_MONTH, Share, Strict


class Phase(Strict):
    month: int = Field(
        ..., ge=0, le=MAX_MONTH, description="Month the phase starts [month index, 0-based]"
    )
    ramp_months: int = Field(
        0, ge=0, le=120, description="Months to move linearly to the phase's shares [months]"
    )
    shares: dict[str, Share] = Field(
        default_factory=dict,
        max_length=20,
        description="Share of contact volume per vendor at the end of the ramp [share]",
    )

    @field_validator("shares")
    @classmethod
    def _shares_at_most_one(cls, shares: dict[str, float]) -> dict[str, float]:
        total = sum(shares.values())
        if total > 1.0 + 1e-9:
            raise ValueError(f"shares sum to {total:.3f}; expected a total of at most 1")
        return shares


OTHERS = "*"  # in layoff_site_order: the sites not listed (last)
IN_HOUSE = "in_house"  # an incident's holder: the company itself


class Incident(Strict):
    """An incident that happened (a case's record) or that a plan should be tested against:
    in ``month`` at ``holder``, affecting ``customers`` of the customers whose records it
    holds then (model/incidents.py)."""

    month: int = Field(..., ge=0, le=MAX_MONTH, description="Month it happens [month index]")
    holder: str = Field(
        ...,
        min_length=1,
        max_length=100,
        description="Where: a vendor's name, or in_house [name]",
    )
    kind: Literal["data_theft", "mis_selling"] = Field(
        ...,
        description="data_theft: records stolen (a breach of their records, at the breach "
        "costs); mis_selling: customers sold or offered what they did not ask for (their trust "
        "falls as a breach's victims' does; no records lost)",
    )
    customers: int = Field(..., ge=1, le=100_000_000, description="Customers affected [customers]")
    losses: float = Field(
        0.0,
        ge=0,
        le=1e12,
        description="Money taken from them or paid to put it right, reimbursed by the company "
        "[USD]",
    )
    public: bool = Field(
        True,
        description="Reported in the press: every customer's trust takes the publicity drop of "
        "a breach",
    )


class Plan(Strict):
    announcement_lead_months: int = Field(
        3,
        ge=0,
        le=60,
        description="Months before the first phase that the decision is taken internally [months]",
    )
    layoff_rule: Literal["random", "reverse_tenure", "by_site"] = Field(
        "random",
        description="Who is laid off when in-house positions go: random, reverse_tenure "
        "(shortest tenure first) or by_site (site by site in layoff_site_order, at random "
        "within a site); agents marked protected in the roster go last",
    )
    layoff_site_order: list[str] = Field(
        default_factory=list,
        max_length=100,
        description="by_site: the roster's sites in the order their agents are laid off; "
        "every site of the roster must be listed, or '*' last to lay off the sites not listed "
        "last (agents without a site go last) [list]",
    )
    phases: list[Phase] = Field(
        default_factory=list,
        max_length=24,
        description="Outsourcing phases in month order [list, ≤ 24]",
    )
    incidents: list[Incident] = Field(
        default_factory=list,
        max_length=100,
        description="Scheduled incidents (data theft, mis-selling) at a holder of records; kept "
        "in the status quo, where a vendor holds nothing [list]",
    )
