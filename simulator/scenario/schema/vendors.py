"""``vendors``: the outsourcing vendors, their prices, pay, conditions and contracts."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from simulator.scenario.schema.base import NAME_PATTERN, Strict


class Location(StrEnum):
    onshore = "onshore"
    nearshore = "nearshore"
    offshore = "offshore"


class Vendor(Strict):
    name: str = Field(
        ...,
        pattern=NAME_PATTERN,
        max_length=100,
        description="Vendor name used by plan phases [text: letters, digits, _ . -]",
    )
    location: Location = Field(
        Location.offshore, description="onshore, nearshore or offshore [category]"
    )
    in_home_region: bool = Field(
        False, description="Vendor's centre is in the company's home region [true/false]"
    )
    price_per_agent_hour: float = Field(
        14.0,
        ge=0.5,
        le=1000,
        description="Price billed per paid agent hour when the vendor pays the local industry "
        "standard (wage_ratio 1); the labour share moves with the pay actually paid "
        "[USD/hour]",
    )
    labour_share_of_price: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Share of the price that is agent pay (cost-plus): pay above or below the "
        "industry standard passes through at this share [share]",
    )
    industry_wage_per_hour: float = Field(
        2.5, ge=0.1, le=500, description="Local industry-standard agent wage [USD/hour]"
    )
    wage_ratio: float = Field(
        0.95, ge=0.2, le=3, description="Vendor's own pay relative to the industry standard [ratio]"
    )
    benefits_share: float = Field(
        0.2, ge=0, le=2, description="Vendor benefits on top of wage [share of wage]"
    )
    conditions: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Working-conditions score (safety, workload, schedules) [index 0-1]",
    )
    security_maturity: float = Field(
        0.5, ge=0, le=1, description="Security maturity, 0.5 = industry average [index 0-1]"
    )
    language_proficiency_mean: float = Field(
        0.65,
        ge=0,
        le=1,
        description="Mean customer-language proficiency of the hiring pool [index 0-1]",
    )
    cultural_distance: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Cultural distance between agents and customers [index 0-1]",
    )
    base_attrition_annual: float = Field(
        0.35,
        ge=0,
        le=3.0,
        description="Agent quits per agent-year (a year's quits over average headcount, as "
        "centres report turnover) at standard pay and average conditions, before the "
        "new-hire, wellbeing and policy factors [quits/agent-year]",
    )
    hiring_capacity_per_month: int = Field(
        150, ge=1, le=1_000_000, description="Most agents the vendor can hire in a month [persons]"
    )
    service_level_target: float | None = Field(
        None,
        ge=0.05,
        le=0.99,
        description="Contract: share of contacts to answer within answer_within_seconds; the "
        "vendor staffs to it with Erlang C. Unset: the company's standard "
        "(company.service_level_target) [share]",
    )
    answer_within_seconds: float | None = Field(
        None,
        ge=1,
        le=3600,
        description="Contract: service-level answer time. Unset: the company's standard "
        "(company.answer_within_seconds) [s]",
    )
    transition_cost_per_agent: float = Field(
        4000.0,
        ge=0,
        le=1e6,
        description="One-off knowledge-transfer cost per agent position moved [USD]",
    )
    exit_cost_per_agent: float = Field(
        4000.0,
        ge=0,
        le=1e6,
        description="One-off cost per agent position released when the plan lowers this "
        "vendor's share (contract exit: notice, termination fees, knowledge transfer "
        "back) [USD]",
    )
    governance_share: float = Field(
        0.07,
        ge=0,
        le=1,
        description="Vendor-management cost on top of the contract [share of contract]",
    )
