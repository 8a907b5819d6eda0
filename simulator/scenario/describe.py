"""The plan in plain words: phases, vendors and policies of a scenario, as sentences.

Used by reports; pure data to text (no simulation).
"""

from __future__ import annotations

from simulator.scenario.schema import Scenario


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _n(count: float, one: str, many: str | None = None) -> str:
    """``1 audit``, ``2 audits``, ``1.5 sessions``."""
    return f"{count:g} {one if count == 1 else many or one + 's'}"


def describe_phases(s: Scenario) -> list[str]:
    if not s.plan.phases:
        return ["Nothing is outsourced: all customer service stays in-house."]
    lines = []
    for p in s.plan.phases:
        moves = ", ".join(f"{_pct(v)} to {name}" for name, v in p.shares.items() if v > 0)
        moves = moves or "nothing to vendors"
        total = sum(p.shares.values())
        ramp = f"over {p.ramp_months + 1} months" if p.ramp_months else "at once"
        lines.append(
            f"From month {p.month}, {ramp}: {moves} (vendors handle {_pct(total)} of "
            f"contacts; in-house keeps {_pct(1 - total)})."
        )
    lead = s.plan.announcement_lead_months
    lines.append(f"The decision is taken {lead} months before the first phase.")
    return lines


def describe_vendors(s: Scenario) -> list[str]:
    out = []
    for v in s.vendors:
        where = f"{v.location.value}" + (", in the home region" if v.in_home_region else "")
        out.append(
            f"{v.name} ({where}): ${v.price_per_agent_hour:.2f} per agent hour; pays "
            f"{v.wage_ratio:.2f}× the local standard of ${v.industry_wage_per_hour:.2f}/h; "
            f"conditions {v.conditions:.2f}; security maturity {v.security_maturity:.2f}; "
            f"language proficiency of its pool {v.language_proficiency_mean:.2f}; cultural "
            f"distance {v.cultural_distance:.2f}; base attrition {_pct(v.base_attrition_annual)}"
            "/year."
        )
    return out or ["No vendors."]


def _on(flag: bool, text: str) -> list[str]:
    return [text] if flag else []


def describe_policies(s: Scenario) -> dict[str, list[str]]:
    """Levers in use, by ethical dimension (an empty list means none)."""
    p = s.policies
    t, pr, vs, c, lj = p.transparency, p.privacy, p.vendor_staff, p.communication, p.local_jobs
    transparency = (
        _on(t.disclose_outsourcing, f"customers are told (reach {_pct(t.disclosure_reach)})")
        + _on(t.disclose_location, "the vendors' location is disclosed")
        + _on(t.disclose_data_handling, "data handling is disclosed")
        + _on(t.employee_notice_months > 0, f"{_n(t.employee_notice_months, 'month')}' notice")
        + _on(t.open_communication, "open communication with staff")
    )
    privacy = (
        _on(
            pr.fields_shared_share < 1,
            f"data minimisation: {_pct(pr.fields_shared_share)} of fields shared",
        )
        + _on(pr.encryption, "encryption")
        + _on(pr.secure_storage, "secure storage")
        + _on(pr.confidentiality_agreement, "confidentiality agreements")
        + _on(pr.audits_per_year > 0, f"{_n(pr.audits_per_year, 'audit')} a year")
        + _on(pr.incident_response_plan, "incident-response plan")
        + [f"regulatory regime: {pr.regime}"]
    )
    fairness = (
        _on(vs.wage_floor_ratio > 0, f"pay floor {vs.wage_floor_ratio:.2f}× local standard")
        + _on(vs.benefits_floor_share > 0, f"benefits floor {_pct(vs.benefits_floor_share)}")
        + _on(vs.conditions_floor > 0, f"conditions floor {vs.conditions_floor:.2f}")
        + _on(vs.anti_harassment_programme, "anti-harassment programme")
        + _on(vs.career_development, "career development")
    )
    communication = (
        _on(
            c.language_proficiency_required > 0,
            f"language proficiency ≥ {c.language_proficiency_required:.2f} at hiring",
        )
        + _on(c.cultural_training_hours > 0, f"{c.cultural_training_hours:.0f} h cultural training")
        + [f"{c.product_training_hours:.0f} h product training"]
        + _on(
            c.joint_meetings_per_month > 0,
            f"{_n(c.joint_meetings_per_month, 'joint session')} a month",
        )
    )
    r, ci = lj.retraining, lj.community_investment
    local = (
        _on(lj.redeployment_share > 0, f"{_pct(lj.redeployment_share)} of cut positions redeployed")
        + [
            f"severance {_n(lj.severance_weeks_per_year, 'week')} of pay per year of tenure "
            f"(at most {_n(lj.severance_max_weeks, 'week')})"
        ]
        + _on(lj.outplacement, "outplacement")
        + _on(
            r.capacity_per_month > 0,
            f"retraining: {_n(r.capacity_per_month, 'place')} a month, "
            f"{_n(r.duration_months, 'month')}, ${r.cost_per_trainee:,.0f} each",
        )
        + _on(
            ci.budget_total > 0,
            f"community investment ${ci.budget_total:,.0f} over "
            f"{_n(ci.duration_months, 'month')} ({_pct(ci.home_share)} at home)",
        )
    )
    return {
        "transparency": transparency,
        "privacy": privacy,
        "fair_treatment": fairness,
        "communication": communication,
        "local_jobs": local,
    }
