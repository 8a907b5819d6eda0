"""``costs``: breach costs and the running costs of the policies."""

from __future__ import annotations

from pydantic import Field

from simulator.scenario.schema.base import Strict


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
