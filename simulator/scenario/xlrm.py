"""Levers, uncertainties and constants: every scenario field in the XLRM frame.

Robust decision analysis (Lempert, Popper & Bankes 2003) sorts a model's inputs by who
controls them. Of each field we ask: would the company write it into the plan or a
contract? Then it is a **lever** (L). Is it set by markets, vendors, customers, regulators
or thin evidence, with a range but no agreed probability? Then it is an **uncertainty** (X).
Is it known today, structural or bookkeeping? Then it is a **constant**. The model is R and
the KPIs are M. A vendor field is a lever only if the contract fixes it (service level);
a vendor's pay or security before a contract is signed is an uncertainty, and the
company's own floors on them (``policies.vendor_staff``, ``policies.privacy``) are levers.

:data:`REGISTRY` holds the one classification (a test checks that it covers every field of
the schema and nothing else). Each field also belongs to one of the five ethical dimensions,
to the plan itself, or to the business context. ``outsim schema --levers`` and
``--uncertainties`` print them with units, bounds and defaults.
"""

from __future__ import annotations

import functools
import re
import typing
from dataclasses import dataclass
from enum import Enum, StrEnum
from typing import Any

from pydantic import BaseModel

from simulator.scenario.schema import Scenario, field_bounds


class Kind(StrEnum):
    lever = "lever"
    uncertainty = "uncertainty"
    constant = "constant"


L, X, C = Kind.lever, Kind.uncertainty, Kind.constant

# the ethical dimensions (as the scorecard names them), the plan, and the business context
DIMENSIONS = {
    "plan": "The plan: what moves to which vendor, when",
    "transparency": "Transparency with customers and staff",
    "privacy": "Customer privacy",
    "fair_treatment": "Fair treatment of vendor staff",
    "communication": "Cultural and communication obstacles",
    "local_jobs": "Local job markets and displaced staff",
    "context": "The business and its costs",
}

_VENDOR = "vendors[]."
_JOBS = "policies.local_jobs."
# field path (lists as ``[]``) -> (kind, dimension)
REGISTRY: dict[str, tuple[Kind, str]] = {
    **{
        f"simulation.{f}": (C, "context")
        for f in ("name", "description", "horizon_months", "seed", "replications")
    },
    **{
        f"company.{f}": (C, "context")
        for f in ("name", "revenue_per_customer_month", "gross_margin", "discount_rate_annual")
    },
    "company.security_maturity": (C, "privacy"),
    # the service standard every centre is staffed to: changing it is a choice (a lever)
    "company.service_level_target": (L, "communication"),
    "company.answer_within_seconds": (L, "communication"),
    **{
        f"workforce.{f}": (C, "local_jobs")
        for f in (
            "headcount",
            "wage_per_hour",
            "wage_dispersion",
            "paid_hours_per_month",
            "benefits_share",
            "overhead_per_agent_month",
            "mean_age",
            "age_sd",
            "mean_tenure_years",
            "mean_skill",
            "attrition_annual",
        )
    },
    "workforce.proficiency": (C, "communication"),
    "workforce.roster": (C, "local_jobs"),
    "workforce.roster_rows": (C, "local_jobs"),
    "workforce.roster_decimal": (C, "local_jobs"),
    "workforce.wage_growth_annual": (X, "local_jobs"),
    # bringing work back: how fast the company can hire and how long its hires take to learn
    "workforce.hiring_capacity_monthly": (X, "plan"),
    "workforce.months_to_proficiency": (X, "communication"),
    "workforce.new_hire_proficiency": (X, "communication"),
    "customers.count": (C, "context"),
    "customers.simulated": (C, "context"),  # the model's resolution, not the world
    "customers.volumes": (C, "plan"),
    "customers.volume_history": (C, "plan"),
    "customers.volumes_decimal": (C, "plan"),
    "company.currency": (C, "context"),
    "customers.baseline_churn_annual": (C, "context"),
    # the industry's published rate: a company sets its own sector's figure
    "customers.regulator_complaints_per_100k_quarter": (C, "context"),
    "customers.contacts_per_customer_month": (X, "plan"),
    "customers.contact_rate_dispersion": (X, "plan"),
    "customers.initial_trust": (X, "transparency"),
    "customers.trust_churn_elasticity": (X, "transparency"),
    "customers.intent_to_churn_realisation": (X, "communication"),
    "customers.privacy_sensitivity_mean": (X, "privacy"),
    **{
        f"local_economy.{f}": (C, "local_jobs")
        for f in (
            "labour_force",
            "reference_tightness",
            "average_wage_month",
            "ui_replacement_rate",
            "ui_max_months",
            "region_file",
            # fitted to published facts: their uncertainty is a posterior (``outsim
            # calibrate``), not a range
            "displaced_job_finding",
            "leave_labour_force",
            "discouragement",
            "exit_tightness_elasticity",
        )
    },
    **{
        f"local_economy.{f}": (X, "local_jobs")
        for f in (
            "baseline_unemployment_rate",
            "vacancy_rate",
            "job_finding_rate",
            "matching_elasticity",
            "reference_unemployment_rate",
            "local_multiplier",
            "multiplier_lag_months",
        )
    },
    **{
        _VENDOR + f: (C, "context")
        for f in ("name", "location", "in_home_region", "labour_share_of_price")
    },
    **{
        _VENDOR + f: (X, "context")
        for f in (
            "price_per_agent_hour",
            "transition_cost_per_agent",
            "exit_cost_per_agent",
            "governance_share",
        )
    },
    **{
        _VENDOR + f: (X, "fair_treatment")
        for f in (
            "industry_wage_per_hour",
            "wage_ratio",
            "benefits_share",
            "conditions",
            "base_attrition_annual",
        )
    },
    _VENDOR + "hiring_capacity_per_month": (X, "plan"),
    _VENDOR + "security_maturity": (X, "privacy"),
    _VENDOR + "language_proficiency_mean": (X, "communication"),
    _VENDOR + "cultural_distance": (X, "communication"),
    _VENDOR + "service_level_target": (L, "communication"),
    _VENDOR + "answer_within_seconds": (L, "communication"),
    "plan.announcement_lead_months": (L, "plan"),
    "plan.layoff_rule": (L, "local_jobs"),
    "plan.layoff_site_order": (L, "local_jobs"),
    "plan.phases[].month": (L, "plan"),
    "plan.phases[].ramp_months": (L, "plan"),
    "plan.phases[].shares": (L, "plan"),
    # what happened (a case's record) or a stress test: context, not a decision
    **{f"plan.incidents[].{f}": (C, "privacy") for f in ("month", "holder", "kind", "customers")},
    **{f"plan.incidents[].{f}": (C, "privacy") for f in ("losses", "public")},
    **{
        f"policies.transparency.{f}": (L, "transparency")
        for f in (
            "disclose_outsourcing",
            "disclose_location",
            "disclose_data_handling",
            "employee_notice_months",
            "open_communication",
        )
    },
    "policies.transparency.disclosure_reach": (X, "transparency"),
    **{
        f"policies.privacy.{f}": (L, "privacy")
        for f in (
            "fields_shared_share",
            "encryption",
            "secure_storage",
            "confidentiality_agreement",
            "audits_per_year",
            "incident_response_plan",
        )
    },
    "policies.privacy.regime": (X, "privacy"),
    **{
        f"policies.vendor_staff.{f}": (L, "fair_treatment")
        for f in (
            "wage_floor_ratio",
            "benefits_floor_share",
            "conditions_floor",
            "anti_harassment_programme",
            "career_development",
        )
    },
    **{
        f"policies.communication.{f}": (L, "communication")
        for f in (
            "language_proficiency_required",
            "cultural_training_hours",
            "product_training_hours",
            "joint_meetings_per_month",
        )
    },
    **{
        _JOBS + f: (L, "local_jobs")
        for f in (
            "redeployment_share",
            "severance_weeks_per_year",
            "severance_max_weeks",
            "outplacement",
            "retraining.capacity_per_month",
            "retraining.duration_months",
            "retraining.stipend_share",
            "community_investment.budget_total",
            "community_investment.start_month",
            "community_investment.duration_months",
            "community_investment.home_share",
            "community_investment.focus.skills",
            "community_investment.focus.small_business",
            "community_investment.focus.infrastructure",
        )
    },
    **{
        _JOBS + f: (C, "local_jobs")
        for f in (
            "redeployment_cost_per_worker",
            "outplacement_cost_per_worker",
            "retraining.cost_per_trainee",
        )
    },
    **{
        _JOBS + f: (X, "local_jobs")
        for f in ("retraining.take_up_share", "retraining.completion_probability")
    },
    **{
        f"costs.{f}": (X, "privacy")
        for f in (
            "breach_cost_per_record",
            "third_party_breach_premium_per_record",
            "breach_fixed_cost",
            "encryption_saving_per_record",
            "incident_response_saving_per_record",
        )
    },
    **{
        f"costs.{f}": (C, "privacy")
        for f in (
            "security_controls_per_vendor_month",
            "confidentiality_agreement_cost",
            "audit_cost",
            "incident_response_plan_per_month",
        )
    },
    "costs.disclosure_campaign_cost": (C, "transparency"),
    "costs.meeting_cost": (C, "communication"),
    "costs.language_premium_per_hour": (X, "communication"),
    **{
        f"costs.{f}": (C, "fair_treatment")
        for f in (
            "conditions_cost_per_agent_month",
            "anti_harassment_cost_per_agent_month",
            "career_development_cost_per_agent_month",
        )
    },
    "costs.temp_cover_premium": (C, "context"),
}

_UNIT = re.compile(r"\[([^\[\]]+)\]\s*$")


@dataclass(frozen=True)
class Input:
    """One scenario field in the XLRM frame."""

    path: str  # lists as ``[]``: ``vendors[].wage_ratio``
    kind: Kind
    dimension: str
    description: str
    unit: str
    low: Any  # bound or None
    high: Any
    options: tuple[Any, ...]  # for choices (True/False, enumerations); () for numbers
    default: Any  # None where the field has no single default (a phase's shares)


def _leaves(
    model: type[BaseModel], prefix: str = ""
) -> typing.Iterator[tuple[str, type[BaseModel], str]]:
    """(path, owning model, field name) of every leaf field below ``model``."""
    for name, info in model.model_fields.items():
        ann, path = info.annotation, prefix + name
        inner = typing.get_args(ann)
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            yield from _leaves(ann, path + ".")
        elif typing.get_origin(ann) is list and inner and issubclass(inner[0], BaseModel):
            yield from _leaves(inner[0], path + "[].")
        else:
            yield path, model, name


def _options(annotation: Any, description: str) -> tuple[Any, ...]:
    if typing.get_origin(annotation) is typing.Literal:
        return typing.get_args(annotation)
    if annotation is bool:
        return (False, True)
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return tuple(m.value for m in annotation)
    choices = re.search(r":\s*([a-z]+(?:, [a-z]+)* or [a-z]+)\s*$", description)
    if annotation is str and choices:
        return tuple(re.split(r", | or ", choices.group(1)))
    return ()


def inputs(kind: Kind | None = None) -> list[Input]:
    """Every scenario field (or those of one ``kind``), by dimension, in schema order within
    each."""
    out = []
    for path, model, name in _leaves(Scenario):
        if path not in REGISTRY:
            raise KeyError(f"scenario field {path} is not classified in simulator/scenario/xlrm.py")
        k, dimension = REGISTRY[path]
        if kind is not None and k != kind:
            continue
        info = model.model_fields[name]
        text = info.description or ""
        unit = _UNIT.search(text)
        low, high = field_bounds(model, name)
        if path.endswith(".shares"):  # vendor -> share of contacts
            low, high = 0.0, 1.0
        default = None if info.is_required() else info.get_default(call_default_factory=True)
        if isinstance(default, Enum):
            default = default.value
        out.append(
            Input(
                path,
                k,
                dimension,
                _UNIT.sub("", text).strip(),
                unit.group(1) if unit else "",
                low,
                high,
                _options(info.annotation, text),
                default,
            )
        )
    order = list(DIMENSIONS)
    return sorted(out, key=lambda f: order.index(f.dimension))


def concrete(
    kind: Kind, vendors: list[str], lists: bool = True
) -> typing.Iterator[tuple[str, Input]]:
    """(field path, its registry entry) of every field of ``kind`` in a scenario with these
    vendors: vendor fields once per vendor (``vendors.manila.wage_ratio``); a plan's phases
    left out (name ``plan.phases.N.shares.VENDOR`` to vary one); list-valued fields such as
    ``plan.layoff_site_order`` only with ``lists``."""
    for field in inputs(kind):
        if field.path.startswith("plan.phases[]") or (
            not lists and isinstance(field.default, list)
        ):
            continue
        if field.path.startswith(_VENDOR):
            for name in vendors:
                yield f"vendors.{name}.{field.path[len(_VENDOR) :]}", field
        else:
            yield field.path, field


def unclassified() -> list[str]:
    """Schema fields missing from :data:`REGISTRY`, then registry entries the schema lacks."""
    paths = [p for p, _, _ in _leaves(Scenario)]
    return [p for p in paths if p not in REGISTRY] + [p for p in REGISTRY if p not in paths]


PLURAL = {Kind.lever: "Levers", Kind.uncertainty: "Uncertainties", Kind.constant: "Constants"}
MEANING = {
    Kind.lever: "what the company decides",
    Kind.uncertainty: "what it cannot control or know well",
    Kind.constant: "known today, structural or bookkeeping",
}


def shown(value: Any) -> str:
    """A default or bound as a person reads it."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None or value == {}:
        return "—"
    if isinstance(value, float):
        whole = value.is_integer() and abs(value) < 1e15
        return f"{int(value):,}" if whole else f"{value:,.6g}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def span(field: Input) -> str:
    """``0 – 1``, ``no / yes``, ``gdpr / hipaa / ccpa / none``."""
    if field.options:
        return " / ".join(shown(o) for o in field.options)
    if field.low is None and field.high is None:
        return "any"
    return f"{shown(field.low)} – {shown(field.high)}"


def json_schema() -> dict[str, Any]:
    """The scenario JSON Schema with each field's ``x-kind`` and ``x-dimension``."""
    schema = Scenario.model_json_schema()
    defs = schema.get("$defs", {})
    for path, model, name in _leaves(Scenario):
        kind, dimension = REGISTRY[path]
        holder = schema if model is Scenario else defs[model.__name__]
        prop = holder["properties"][name]
        if prop.get("x-kind", kind.value) != kind.value:  # one model class at two paths
            raise ValueError(f"{model.__name__}.{name} is classified two ways")
        prop["x-kind"], prop["x-dimension"] = kind.value, dimension
    return schema


def pattern(path: str) -> str:
    """The registry's form of a concrete field path: ``vendors.manila.wage_ratio`` ->
    ``vendors[].wage_ratio``, ``plan.phases.0.shares.manila`` -> ``plan.phases[].shares``."""
    parts = path.split(".")
    if len(parts) >= 3 and parts[0] == "vendors":
        return "vendors[]." + ".".join(parts[2:])
    if len(parts) >= 4 and parts[:2] == ["plan", "phases"]:
        return "plan.phases[]." + parts[3]
    return path


@functools.cache
def _by_pattern() -> dict[str, Input]:
    return {f.path: f for f in inputs()}


def field(path: str) -> Input | None:
    """The registry entry of a concrete field path (``vendors.manila.wage_ratio``), or None
    when the schema has no such field."""
    return _by_pattern().get(pattern(path))


def unit_of(path: str) -> str:
    """The unit of a concrete field path ('' when unknown)."""
    found = field(path)
    return found.unit if found else ""
