"""``workforce``: the in-house customer-service staff, sampled or from a roster (the
roster file is read by the loading step, ``scenario/roster.py``; its rows arrive here as
``roster_rows``)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from simulator.scenario.schema.base import CONTROL, Strict


class RosterRow(BaseModel):
    """One in-house agent of a roster."""

    model_config = ConfigDict(extra="forbid")

    age: float = Field(..., ge=16, le=80, description="Age [years]")
    tenure_years: float = Field(..., ge=0, le=60, description="Tenure with the company [years]")
    wage_per_hour: float = Field(..., ge=0.5, le=500, description="Hourly wage [USD/hour]")
    skill: float | None = Field(None, ge=0, le=1, description="General skill [index 0-1]")
    site: str | None = Field(None, max_length=100, description="Centre the agent works at")
    paid_hours_per_month: float | None = Field(
        None, ge=20, le=400, description="Contracted hours (part-timers) [hours/month]"
    )
    protected: bool = Field(False, description="Protected from layoff")
    id: str | None = Field(None, max_length=100, description="Your own label (outputs only)")

    @field_validator("site", "id")
    @classmethod
    def _printable(cls, value: str | None) -> str | None:
        if value is not None and CONTROL.search(value):
            raise ValueError("holds a control character; expected printable text")
        return value


class Workforce(Strict):
    headcount: int = Field(
        240, ge=0, le=200_000, description="In-house customer-service agents at month 0 [persons]"
    )
    wage_per_hour: float = Field(
        19.0, ge=0.5, le=500, description="Median in-house agent wage [USD/hour]"
    )
    wage_dispersion: float = Field(
        0.15, ge=0, le=1, description="Std. dev. of log wage across agents [log points]"
    )
    paid_hours_per_month: float = Field(
        173.0, ge=40, le=400, description="Paid hours per full-time agent [hours/month]"
    )
    benefits_share: float = Field(
        0.30, ge=0, le=2, description="Benefits and payroll taxes on top of wage [share of wage]"
    )
    overhead_per_agent_month: float = Field(
        1500.0,
        ge=0,
        le=100_000,
        description="Facilities, IT and supervision per in-house agent [USD/month]",
    )
    mean_age: float = Field(38.0, ge=18, le=70, description="Mean agent age [years]")
    age_sd: float = Field(11.0, ge=0, le=30, description="Std. dev. of agent age [years]")
    mean_tenure_years: float = Field(
        5.0, ge=0, le=40, description="Mean tenure with the company [years]"
    )
    mean_skill: float = Field(
        0.5, ge=0, le=1, description="Mean general (portable) skill [index 0-1]"
    )
    proficiency: float = Field(
        0.85, ge=0, le=1, description="Product proficiency of established in-house agents [0-1]"
    )
    wage_growth_annual: float = Field(
        0.01,
        ge=-0.1,
        le=0.2,
        description="Real wage growth of an agent who keeps a job (experience and raises): "
        "the counterfactual path displaced workers' earnings are measured against, and the "
        "growth of pay in a new job [share/year]",
    )
    attrition_annual: float = Field(
        0.25,
        ge=0,
        le=3.0,
        description="In-house agents' quits per agent-year in normal times (a year's quits "
        "over average headcount); leavers are replaced except while the plan is under way "
        "[quits/agent-year]",
    )
    hiring_capacity_monthly: float = Field(
        0.10,
        ge=0,
        le=1,
        description="The most agents the company can recruit and train in a month, "
        "replacements and new positions together (work brought back in-house waits for "
        "it; temporary staff cover the gap) [share of the starting headcount per month]",
    )
    months_to_proficiency: float = Field(
        3.0,
        ge=0,
        le=24,
        description="Time an agent hired into a new position takes to reach the "
        "established staff's proficiency [months]",
    )
    new_hire_proficiency: float = Field(
        0.5,
        ge=0,
        le=1,
        description="A new position's hire's product proficiency on the first day, as a "
        "share of the established staff's; it rises linearly to 1 over "
        "months_to_proficiency [share]",
    )
    roster: str | None = Field(
        None,
        max_length=4096,
        description="Your agents: a CSV or XLSX file, one row per agent (age, tenure_years, "
        "wage_per_hour; optional skill, site, paid_hours_per_month, protected, id), relative "
        "to the scenario file; replaces the sampled workforce, headcount = rows [path]",
    )
    roster_decimal: Literal[".", ","] | None = Field(
        None,
        description="The roster file's decimal mark: ',' (decimal comma, '.' groups "
        "thousands) or '.'; unset, a number such as 9,5 or 1,250 is refused as ambiguous",
    )
    roster_rows: list[RosterRow] | None = Field(
        None,
        max_length=200_000,
        description="The roster's agents as read from roster (filled in when the scenario is "
        "loaded; a scenario may also list them here) [list]",
    )

    @model_validator(mode="before")
    @classmethod
    def _headcount_is_the_roster(cls, data: Any) -> Any:
        rows = data.get("roster_rows") if isinstance(data, dict) else None
        if isinstance(rows, list):
            if "headcount" in data and data["headcount"] != len(rows):
                raise ValueError(
                    f"headcount is {data['headcount']} but the roster has {len(rows)} agents; "
                    "expected no headcount (the roster's rows are the agents)"
                )
            data = {**data, "headcount": len(rows)}
        return data
