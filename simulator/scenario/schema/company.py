"""``company`` and ``customers``: the business, its revenue and the customers it serves."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from simulator.scenario.schema.base import Strict


class Company(Strict):
    name: str = Field(
        "Example Co",
        min_length=1,
        max_length=100,
        description="Company name shown in reports [text, ≤ 100 characters]",
    )
    currency: str = Field(
        "USD",
        pattern=r"^[A-Z]{3}$",
        description="ISO 4217 code of every amount of money in the scenario and its results "
        "(wages, prices, costs, revenue); outsim converts nothing [code]",
    )
    revenue_per_customer_month: float = Field(
        45.0, ge=0.01, le=100_000, description="Revenue per active customer [USD/month]"
    )
    gross_margin: float = Field(
        0.35, ge=0, le=1, description="Contribution margin on revenue [share of revenue]"
    )
    discount_rate_annual: float = Field(
        0.08, ge=0, le=0.5, description="Discount rate for NPV [share per year]"
    )
    security_maturity: float = Field(
        0.6,
        ge=0,
        le=1,
        description="In-house security maturity, 0.5 = industry average [index 0-1]",
    )
    service_level_target: float = Field(
        0.80,
        ge=0.05,
        le=0.99,
        description="The service standard: share of contacts answered within "
        "answer_within_seconds. The in-house centre is staffed to it by Erlang C, and so is "
        "every vendor whose contract does not set its own [share]",
    )
    answer_within_seconds: float = Field(
        20.0, ge=1, le=3600, description="The service standard's answer time [s]"
    )


class Customers(Strict):
    count: int = Field(
        120_000, ge=1, le=50_000_000, description="Active customers at month 0 [customers]"
    )
    simulated: int | None = Field(
        None,
        ge=100,
        le=50_000_000,
        description="Customers simulated one by one, each standing for count / simulated "
        "customers (a sample: counts, issues, records and money are scaled back up); unset "
        "or at least count: every customer is simulated. For large firms and regions of many "
        "firms, where the customer base, not the workforce, sets the run time [customers]",
    )
    contacts_per_customer_month: float = Field(
        0.8, ge=0, le=20, description="Mean service contacts per customer [contacts/month]"
    )
    contact_rate_dispersion: float = Field(
        1.0,
        ge=0.05,
        le=10,
        description="Gamma shape of per-customer contact rates; lower = more uneven [shape]",
    )
    baseline_churn_annual: float = Field(
        0.12,
        ge=0,
        le=0.95,
        description="Churn not caused by service, at initial trust [share per year]",
    )
    initial_trust: float = Field(0.7, ge=0, le=1, description="Mean initial trust [index 0-1]")
    privacy_sensitivity_mean: float = Field(
        0.5, ge=0, le=1, description="Mean privacy sensitivity [index 0-1]"
    )
    trust_churn_elasticity: float = Field(
        3.0,
        ge=0,
        le=20,
        description="Churn hazard multiplier is exp(elasticity x trust shortfall) [per unit trust]",
    )
    intent_to_churn_realisation: float = Field(
        0.3,
        ge=0,
        le=1,
        description="Share of stated defection intent after a bad contact that is acted on [share]",
    )
    regulator_complaints_per_100k_quarter: float = Field(
        15.0,
        ge=0,
        le=10_000,
        description="Complaints to the regulator or ombudsman at the company's starting service, "
        "the industry's published rate; a plan moves it only through unresolved issues "
        "(model/complaints.py) [complaints per 100,000 customers per quarter]",
    )
    volumes: str | None = Field(
        None,
        max_length=4096,
        description="History of contacts per month (CSV or XLSX: month, contacts), relative "
        "to the scenario file; the horizon's demand is forecast from it [path]",
    )
    volumes_decimal: Literal[".", ","] | None = Field(
        None,
        description="The volumes file's decimal mark: ',' (decimal comma, '.' groups "
        "thousands) or '.'; unset, a number such as 9,5 or 1,250 is refused as ambiguous",
    )
    volume_history: list[Annotated[float, Field(ge=0, le=1e12)]] | None = Field(
        None,
        min_length=6,
        max_length=1200,
        description="Contacts per month, oldest first, as read from volumes (filled in when "
        "the scenario is loaded) [contacts/month]",
    )
