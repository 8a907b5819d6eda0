"""``policies``: the levers of the five ethical dimensions."""

from __future__ import annotations

from pydantic import Field, model_validator

from simulator.scenario.schema.base import MAX_MONTH, Share, Strict


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
