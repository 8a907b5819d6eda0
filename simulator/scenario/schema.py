"""Scenario schema: what a user writes in a YAML scenario file.

Every field states its unit in its description, has a default and bounds. The sources of the
defaults are listed in docs/MODEL.md. Models forbid unknown fields so that a typo is an error,
not a silently ignored setting.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

NAME_PATTERN = r"^[A-Za-z0-9_.-]+$"
# Names that become folder names (results/<name>/): letters, digits, '.', '_', '-', 1 to 100
# characters, not starting with '.' (hidden; '.' and '..' are the folder and its parent).
FOLDER_NAME = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9_.-]{0,99}")
FOLDER_NAME_RULE = (
    "1 to 100 letters, digits, '.', '_' or '-', not starting with '.' (it names the results folder)"
)
SEED_BOUNDS = (0, 2**63 - 1)  # root seeds [integer]
MAX_MONTH = 239  # the last month index of the longest horizon (240 months)


def check_folder_name(value: str) -> str:
    """``value`` if it is a safe folder name, else ValueError saying what is expected."""
    if not isinstance(value, str) or not FOLDER_NAME.fullmatch(value):
        shown = repr(value) if len(value) <= 60 else f"{value[:40]!r}… ({len(value)} characters)"
        raise ValueError(f"{shown} is not a safe name; expected {FOLDER_NAME_RULE}")
    return value


def field_bounds(model: type[BaseModel], name: str) -> tuple[Any, Any]:
    """The (lower, upper) bounds of a numeric field, from its ge/gt and le/lt constraints."""
    low = high = None
    for item in model.model_fields[name].metadata:
        low = getattr(item, "ge", getattr(item, "gt", low))
        high = getattr(item, "le", getattr(item, "lt", high))
    return low, high


class Strict(BaseModel):
    """Base for every section: unknown fields are errors, values are re-validated on change."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)


Share = Annotated[float, Field(ge=0.0, le=1.0)]


# --------------------------------------------------------------------------------------------
# simulation
# --------------------------------------------------------------------------------------------
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


# --------------------------------------------------------------------------------------------
# company
# --------------------------------------------------------------------------------------------
class Company(Strict):
    name: str = Field(
        "Example Co",
        min_length=1,
        max_length=100,
        description="Company name shown in reports [text, ≤ 100 characters]",
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


# --------------------------------------------------------------------------------------------
# workforce (in-house customer-service staff)
# --------------------------------------------------------------------------------------------
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
    roster: str | None = Field(
        None,
        max_length=4096,
        description="Your agents: a CSV or XLSX file, one row per agent (age, tenure_years, "
        "wage_per_hour; optional skill, site, paid_hours_per_month, protected, id), relative "
        "to the scenario file; replaces the sampled workforce, headcount = rows [path]",
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


# --------------------------------------------------------------------------------------------
# customers
# --------------------------------------------------------------------------------------------
class Customers(Strict):
    count: int = Field(
        120_000, ge=1, le=50_000_000, description="Active customers at month 0 [customers]"
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
    volumes: str | None = Field(
        None,
        max_length=4096,
        description="History of contacts per month (CSV or XLSX: month, contacts), relative "
        "to the scenario file; the horizon's demand is forecast from it [path]",
    )
    volume_history: list[Annotated[float, Field(ge=0, le=1e12)]] | None = Field(
        None,
        min_length=6,
        max_length=1200,
        description="Contacts per month, oldest first, as read from volumes (filled in when "
        "the scenario is loaded) [contacts/month]",
    )


# --------------------------------------------------------------------------------------------
# local economy (home region)
# --------------------------------------------------------------------------------------------
class LocalEconomy(Strict):
    labour_force: int = Field(
        150_000, ge=1_000, le=200_000_000, description="Home-region labour force [persons]"
    )
    baseline_unemployment_rate: float = Field(
        0.045,
        ge=0.005,
        le=0.5,
        description="Unemployment rate before the plan; higher = slacker market [share]",
    )
    vacancy_rate: float = Field(
        0.045, ge=0.001, le=0.5, description="Open vacancies per labour-force member [share]"
    )
    reference_tightness: float = Field(
        1.0,
        ge=0.05,
        le=10,
        description="Vacancies per unemployed in normal times, where job finding is calibrated "
        "[ratio]",
    )
    job_finding_rate: float = Field(
        0.28,
        ge=0.01,
        le=1,
        description="Monthly job-finding rate of all local unemployed at reference tightness "
        "[share/month]",
    )
    matching_elasticity: float = Field(
        0.5,
        gt=0,
        lt=1,
        description="Elasticity of hires to unemployment, alpha in A*U^a*V^(1-a) [dimensionless]",
    )
    average_wage_month: float = Field(
        4500.0, ge=100, le=100_000, description="Average local wage per job [USD/month]"
    )
    local_multiplier: float = Field(
        1.0,
        ge=0,
        le=5,
        description="Local non-tradable jobs lost per tradable job moved out of the region, "
        "after the lag (Moretti 2010's local multiplier) [jobs/job]",
    )
    multiplier_lag_months: float = Field(
        6.0, ge=0, le=60, description="Time constant of the local demand response [months]"
    )
    ui_replacement_rate: float = Field(
        0.45, ge=0, le=1, description="Unemployment insurance as share of prior wage [share]"
    )
    ui_max_months: int = Field(
        6, ge=0, le=60, description="Maximum unemployment-insurance duration [months]"
    )
    region_file: str | None = Field(
        None,
        max_length=4096,
        description="YAML file with the home region's labour_force, "
        "baseline_unemployment_rate, vacancy_rate and average_wage_month (local-area "
        "statistics), relative to the scenario file; read when the scenario is loaded [path]",
    )


# --------------------------------------------------------------------------------------------
# vendors
# --------------------------------------------------------------------------------------------
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
        14.0, ge=0.5, le=1000, description="Price billed per paid agent hour [USD/hour]"
    )
    labour_share_of_price: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Share of the price that is agent pay; pay uplifts pass through at this "
        "share [share]",
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
    service_level_target: float = Field(
        0.80,
        ge=0.05,
        le=0.99,
        description="Contract: share of contacts to answer within answer_within_seconds; the "
        "vendor staffs to it with Erlang C [share]",
    )
    answer_within_seconds: float = Field(
        20.0, ge=1, le=3600, description="Contract: service-level answer time [s]"
    )
    transition_cost_per_agent: float = Field(
        4000.0,
        ge=0,
        le=1e6,
        description="One-off knowledge-transfer cost per agent position moved [USD]",
    )
    governance_share: float = Field(
        0.07,
        ge=0,
        le=1,
        description="Vendor-management cost on top of the contract [share of contract]",
    )


# --------------------------------------------------------------------------------------------
# plan
# --------------------------------------------------------------------------------------------
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
        description="by_site: the roster's sites in the order their agents are laid off "
        "(sites not listed follow) [list]",
    )
    phases: list[Phase] = Field(
        default_factory=list,
        max_length=24,
        description="Outsourcing phases in month order [list, ≤ 24]",
    )


# --------------------------------------------------------------------------------------------
# policies (the levers of the five ethical dimensions)
# --------------------------------------------------------------------------------------------
class Transparency(Strict):
    disclose_outsourcing: bool = Field(False, description="Tell customers work is outsourced")
    disclose_location: bool = Field(False, description="Tell customers where agents are")
    disclose_data_handling: bool = Field(
        False, description="Tell customers how their data is handled by vendors"
    )
    disclosure_reach: float = Field(
        0.8, ge=0, le=1, description="Share of customers a disclosure reaches [share]"
    )
    employee_notice_months: int = Field(
        0, ge=0, le=24, description="Advance notice of layoffs to employees [months]"
    )
    open_communication: bool = Field(
        False, description="Open, early communication with in-house staff about the plan"
    )


class Privacy(Strict):
    fields_shared_share: float = Field(
        1.0,
        ge=0,
        le=1,
        description="Share of customer-record fields sent to vendors; 1 = no data "
        "minimisation [share]",
    )
    encryption: bool = Field(False, description="Encrypted transfer and storage at vendors")
    secure_storage: bool = Field(False, description="Access-controlled, segregated storage")
    confidentiality_agreement: bool = Field(
        False, description="Binding confidentiality agreement with vendors"
    )
    audits_per_year: int = Field(
        0, ge=0, le=12, description="Compliance audits of each vendor [audits/year]"
    )
    incident_response_plan: bool = Field(False, description="Tested incident-response plan")
    regime: str = Field(
        "gdpr",
        pattern=r"^(gdpr|hipaa|ccpa|none)$",
        description="Regulatory regime setting the fine scale: gdpr, hipaa, ccpa or none",
    )


class VendorStaff(Strict):
    wage_floor_ratio: float = Field(
        0.0,
        ge=0,
        le=3,
        description="Contractual pay floor relative to the local industry standard; 0 = none "
        "[ratio]",
    )
    benefits_floor_share: float = Field(
        0.0, ge=0, le=2, description="Contractual minimum benefits [share of wage]"
    )
    conditions_floor: float = Field(
        0.0, ge=0, le=1, description="Contractual minimum working-conditions score [index 0-1]"
    )
    anti_harassment_programme: bool = Field(
        False, description="Anti-harassment policy with independent reporting channel"
    )
    career_development: bool = Field(
        False, description="Career paths and promotion from the agent pool"
    )


class Communication(Strict):
    language_proficiency_required: float = Field(
        0.0,
        ge=0,
        le=0.95,
        description="Minimum customer-language proficiency at hiring [index 0-1]",
    )
    cultural_training_hours: float = Field(
        0.0, ge=0, le=400, description="Cultural-sensitivity training per new agent [hours]"
    )
    product_training_hours: float = Field(
        40.0, ge=0, le=800, description="Product training per new agent [hours]"
    )
    joint_meetings_per_month: float = Field(
        0.0,
        ge=0,
        le=30,
        description="Cadence of joint in-house/vendor knowledge sessions [meetings/month]",
    )


class Retraining(Strict):
    capacity_per_month: int = Field(
        0, ge=0, le=1_000_000, description="Training starts available per month [persons/month]"
    )
    duration_months: int = Field(6, ge=1, le=48, description="Programme length [months]")
    cost_per_trainee: float = Field(
        8500.0, ge=0, le=1e6, description="Cost per trainee who starts [USD]"
    )
    take_up_share: float = Field(
        0.65, ge=0, le=1, description="Share of displaced workers who want training [share]"
    )
    completion_probability: float = Field(
        0.86, ge=0, le=1, description="Share of trainees who complete [probability]"
    )
    stipend_share: float = Field(
        0.0, ge=0, le=1, description="Stipend while training [share of prior wage]"
    )


class CommunityFocus(Strict):
    skills: Share = Field(0.34, description="Share spent on local skills programmes [share]")
    small_business: Share = Field(0.33, description="Share spent on small-business support [share]")
    infrastructure: Share = Field(0.33, description="Share spent on infrastructure [share]")

    @model_validator(mode="after")
    def _sum_to_one(self) -> CommunityFocus:
        total = self.skills + self.small_business + self.infrastructure
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"focus shares sum to {total:.3f}; expected exactly 1")
        return self


class CommunityInvestment(Strict):
    budget_total: float = Field(0.0, ge=0, le=1e11, description="Total community investment [USD]")
    start_month: int = Field(
        0, ge=0, le=MAX_MONTH, description="Month spending starts [month index]"
    )
    duration_months: int = Field(24, ge=1, le=240, description="Spending period [months]")
    home_share: float = Field(
        1.0, ge=0, le=1, description="Share spent in the home region; rest in vendor regions"
    )
    focus: CommunityFocus = Field(default_factory=CommunityFocus)


class LocalJobs(Strict):
    redeployment_share: float = Field(
        0.0,
        ge=0,
        le=1,
        description="Share of displaced positions offered an internal move [share]",
    )
    redeployment_cost_per_worker: float = Field(
        3000.0, ge=0, le=1e6, description="Reskilling and relocation per redeployed worker [USD]"
    )
    severance_weeks_per_year: float = Field(
        1.0, ge=0, le=52, description="Severance per year of tenure [weeks of pay/year]"
    )
    severance_max_weeks: float = Field(
        26.0, ge=0, le=260, description="Severance cap [weeks of pay]"
    )
    outplacement: bool = Field(False, description="Outplacement / job-search assistance")
    outplacement_cost_per_worker: float = Field(
        2500.0, ge=0, le=1e6, description="Outplacement cost per displaced worker [USD]"
    )
    retraining: Retraining = Field(default_factory=Retraining)
    community_investment: CommunityInvestment = Field(default_factory=CommunityInvestment)


class Policies(Strict):
    transparency: Transparency = Field(default_factory=Transparency)
    privacy: Privacy = Field(default_factory=Privacy)
    vendor_staff: VendorStaff = Field(default_factory=VendorStaff)
    communication: Communication = Field(default_factory=Communication)
    local_jobs: LocalJobs = Field(default_factory=LocalJobs)


# --------------------------------------------------------------------------------------------
# costs
# --------------------------------------------------------------------------------------------
class Costs(Strict):
    breach_cost_per_record: float = Field(
        165.0, ge=0, le=10_000, description="Cost per breached record [USD/record]"
    )
    third_party_breach_premium_per_record: float = Field(
        15.0, ge=0, le=10_000, description="Extra cost per record when a vendor is breached [USD]"
    )
    breach_fixed_cost: float = Field(
        1_000_000.0,
        ge=0,
        le=1e10,
        description="Detection, escalation and notification per breach [USD]",
    )
    encryption_saving_per_record: float = Field(
        13.0, ge=0, le=10_000, description="Per-record cost avoided by encryption [USD]"
    )
    incident_response_saving_per_record: float = Field(
        14.0, ge=0, le=10_000, description="Per-record cost avoided by incident response [USD]"
    )
    security_controls_per_vendor_month: float = Field(
        8000.0,
        ge=0,
        le=1e8,
        description="Running cost of encryption plus secure storage per vendor [USD/month]",
    )
    confidentiality_agreement_cost: float = Field(
        20_000.0, ge=0, le=1e8, description="Legal cost per vendor agreement [USD]"
    )
    audit_cost: float = Field(25_000.0, ge=0, le=1e8, description="Cost per vendor audit [USD]")
    incident_response_plan_per_month: float = Field(
        5000.0, ge=0, le=1e8, description="Incident-response readiness [USD/month]"
    )
    disclosure_campaign_cost: float = Field(
        50_000.0, ge=0, le=1e9, description="One-off cost of customer disclosure [USD]"
    )
    meeting_cost: float = Field(
        1500.0, ge=0, le=1e7, description="Cost of one joint knowledge session [USD]"
    )
    conditions_cost_per_agent_month: float = Field(
        150.0,
        ge=0,
        le=1e5,
        description="Cost to raise a vendor agent's conditions score by 1.0 [USD/agent-month]",
    )
    anti_harassment_cost_per_agent_month: float = Field(
        8.0, ge=0, le=1e5, description="Anti-harassment programme [USD/agent-month]"
    )
    career_development_cost_per_agent_month: float = Field(
        15.0, ge=0, le=1e5, description="Career-development programme [USD/agent-month]"
    )
    language_premium_per_hour: float = Field(
        3.0,
        ge=0,
        le=1000,
        description="Price uplift when the proficiency floor rejects the whole applicant pool; "
        "scales with the share rejected [USD/hour]",
    )
    temp_cover_premium: float = Field(
        0.5,
        ge=0,
        le=5,
        description="Premium over in-house cost for covering a vacated position [share]",
    )


# --------------------------------------------------------------------------------------------
# the scenario
# --------------------------------------------------------------------------------------------
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
        sites = {r.site for r in self.workforce.roster_rows or []}
        unknown_sites = [x for x in self.plan.layoff_site_order if x not in sites]
        if unknown_sites:
            raise ValueError(
                f"plan.layoff_site_order names site {unknown_sites[0]!r}, which no roster row "
                f"has; expected one of: {', '.join(sorted(s for s in sites if s)) or '(none)'}"
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
