"""A plan's effects: paired against its own status quo, and what each safeguard adds.

Every plan is run together with the same scenario with the plan removed (no phases, no
community investment: ``scenario.status_quo.status_quo_of``) on the same seeds. With the model's
independent random streams (``model/streams.py``) the two runs share every draw they have in
common, so the paired difference in each KPI is the plan's effect, not its luck; the status
quo against itself is exactly zero.

Safeguards are lever groups, one per ethical dimension (:data:`LEVER_GROUPS`). For a group
the plan uses, its contribution is the plan minus the same plan with that group switched off
(back to the defaults); for a group it does not use, the same plan with the group's standard
package switched on (the settings of the bundled ``hybrid_full_ethics`` plan) minus the
plan. Either way, paired again: what the group costs (its effect on NPV) and what it buys
(its effect on the outcome it is there to improve).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from simulator.analysis.kpis import KPI_BY_NAME, KPIS
from simulator.analysis.statistics import mean_interval, ratio_interval
from simulator.scenario import Scenario, scenario_from_dict, scenario_to_dict
from simulator.scenario.schema import (
    Communication,
    LocalJobs,
    Privacy,
    Transparency,
    VendorStaff,
)
from simulator.scenario.status_quo import is_status_quo, suffixed_name


def _paired(plan: pd.DataFrame, base: pd.DataFrame, kpi: str) -> np.ndarray:
    """Replication by replication, ``kpi`` of ``plan`` minus ``base`` (NaN where missing)."""
    a = pd.to_numeric(plan[kpi], errors="coerce").to_numpy(dtype=float)
    b = pd.to_numeric(base[kpi], errors="coerce").to_numpy(dtype=float)
    return a - b


def paired_effects(plan: pd.DataFrame, base: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """Per KPI: mean, 95% interval and 5th-95th percentile range of the paired difference
    plan − base over replications (None where a KPI does not apply to both)."""
    out: dict[str, dict[str, Any]] = {}
    for k in KPIS:
        d = _paired(plan, base, k.name)
        d = d[np.isfinite(d)]
        if len(d) == 0:
            out[k.name] = {
                "mean": None,
                "ci95_low": None,
                "ci95_high": None,
                "p05": None,
                "p95": None,
                "sd": None,
                "n": 0,
                "unit": k.unit,
            }
            continue
        mean, low, high = mean_interval(d) if len(d) > 1 else (float(d[0]),) * 3
        out[k.name] = {
            "mean": float(mean),
            "ci95_low": float(low),
            "ci95_high": float(high),
            "p05": float(np.percentile(d, 5)),
            "p95": float(np.percentile(d, 95)),
            "sd": float(d.std(ddof=1)) if len(d) > 1 else 0.0,
            "n": int(len(d)),
            "unit": k.unit,
        }
    return out


@dataclass(frozen=True)
class LeverGroup:
    """The levers of one ethical dimension, and the outcome they are there to improve."""

    name: str
    title: str
    switch_off: Callable[[dict[str, Any]], None]  # edits a scenario dict in place
    outcome: str  # KPI
    package: dict[str, Any]  # the standard package: policy settings, by section
    package_text: str  # the standard package in words

    @property
    def better(self) -> int:
        """+1 when more of the outcome is better, −1 when less is (the KPI's direction)."""
        return KPI_BY_NAME[self.outcome].direction.sign


def _reset(section: str, model: type) -> Callable[[dict[str, Any]], None]:
    def edit(data: dict[str, Any]) -> None:
        data["policies"][section] = model().model_dump(mode="json")

    return edit


def _reset_privacy(data: dict[str, Any]) -> None:
    regime = data["policies"]["privacy"]["regime"]  # context, not a lever
    data["policies"]["privacy"] = Privacy(regime=regime).model_dump(mode="json")


def _reset_local_jobs(data: dict[str, Any]) -> None:
    keep = {
        k: data["policies"]["local_jobs"][k]
        for k in ("severance_weeks_per_year", "severance_max_weeks")
    }
    data["policies"]["local_jobs"] = LocalJobs(**keep).model_dump(mode="json")


def _reset_disclosure(data: dict[str, Any]) -> None:
    t, default = data["policies"]["transparency"], Transparency()
    for key in (
        "disclose_outsourcing",
        "disclose_location",
        "disclose_data_handling",
        "disclosure_reach",
    ):
        t[key] = getattr(default, key)


def _reset_notice(data: dict[str, Any]) -> None:
    t = data["policies"]["transparency"]
    t["employee_notice_months"], t["open_communication"] = 0, False


# the standard packages: the settings of the bundled hybrid_full_ethics plan
LEVER_GROUPS: tuple[LeverGroup, ...] = (
    LeverGroup(
        name="disclosure",
        title="Telling customers (disclosure of outsourcing, location, data)",
        switch_off=_reset_disclosure,
        outcome="trust_final",
        package={
            "transparency": {
                "disclose_outsourcing": True,
                "disclose_location": True,
                "disclose_data_handling": True,
                "disclosure_reach": 0.9,
            }
        },
        package_text="outsourcing, location and data handling disclosed to 90% of customers",
    ),
    LeverGroup(
        name="notice",
        title="Telling staff (notice, open communication)",
        switch_off=_reset_notice,
        outcome="in_work_count_12m",
        package={"transparency": {"employee_notice_months": 6, "open_communication": True}},
        package_text="six months' notice and open communication",
    ),
    LeverGroup(
        name="privacy",
        title="Protecting customer data (minimisation, controls, audits)",
        switch_off=_reset_privacy,
        outcome="breach_probability_annual",
        package={
            "privacy": {
                "fields_shared_share": 0.3,
                "encryption": True,
                "secure_storage": True,
                "confidentiality_agreement": True,
                "audits_per_year": 4,
                "incident_response_plan": True,
            }
        },
        package_text=(
            "30% of fields shared, encryption, secure storage, confidentiality "
            "agreements, 4 audits a year, an incident response plan"
        ),
    ),
    LeverGroup(
        name="fair_treatment",
        title="Fair pay and conditions for vendor staff",
        switch_off=_reset("vendor_staff", VendorStaff),
        outcome="vendor_attrition_annual",
        package={
            "vendor_staff": {
                "wage_floor_ratio": 1.2,
                "benefits_floor_share": 0.35,
                "conditions_floor": 0.75,
                "anti_harassment_programme": True,
                "career_development": True,
            }
        },
        package_text=(
            "pay floor 1.2× the local standard, benefits and conditions floors, "
            "anti-harassment and career programmes"
        ),
    ),
    LeverGroup(
        name="communication",
        title="Language, training and joint sessions",
        switch_off=_reset("communication", Communication),
        outcome="customer_churn_annual",
        package={
            "communication": {
                "language_proficiency_required": 0.75,
                "cultural_training_hours": 60,
                "product_training_hours": 100,
                "joint_meetings_per_month": 6,
            }
        },
        package_text=(
            "language proficiency 0.75, 60 h cultural and 100 h product training, six "
            "joint meetings a month"
        ),
    ),
    LeverGroup(
        name="local_jobs",
        title="Support for displaced workers and the community",
        switch_off=_reset_local_jobs,
        outcome="in_work_count_24m",
        package={
            "local_jobs": {
                "redeployment_share": 0.3,
                "outplacement": True,
                "retraining": {
                    "capacity_per_month": 20,
                    "duration_months": 6,
                    "cost_per_trainee": 8500,
                    "take_up_share": 0.65,
                    "stipend_share": 0.3,
                },
            }
        },
        package_text=(
            "30% redeployed, outplacement, retraining for 20 a month (6 months, $8,500 each)"
        ),
    ),
)


def without(scenario: Scenario, group: LeverGroup) -> Scenario | None:
    """The scenario with ``group``'s levers switched off, or None if it uses none of them."""
    data = scenario_to_dict(scenario)
    group.switch_off(data)
    data["simulation"]["name"] = suffixed_name(scenario.name, f"no_{group.name}")
    variant = scenario_from_dict(data, f"<{scenario.name} without {group.name}>")
    same = scenario_to_dict(variant)["policies"] == scenario_to_dict(scenario)["policies"]
    return None if same else variant


def _merge(into: dict[str, Any], values: dict[str, Any]) -> None:
    for key, value in values.items():
        if isinstance(value, dict):
            _merge(into[key], value)
        else:
            into[key] = value


def with_package(scenario: Scenario, group: LeverGroup) -> Scenario | None:
    """The scenario with ``group``'s standard package switched on, or None if that changes
    nothing."""
    data = scenario_to_dict(scenario)
    _merge(data["policies"], group.package)
    data["simulation"]["name"] = suffixed_name(scenario.name, f"with_{group.name}")
    variant = scenario_from_dict(data, f"<{scenario.name} with {group.name}>")
    same = scenario_to_dict(variant)["policies"] == scenario_to_dict(scenario)["policies"]
    return None if same else variant


def safeguard_variants(scenario: Scenario) -> list[tuple[LeverGroup, Scenario, bool]]:
    """Per lever group the companion run that tells what it does: the plan without the
    group if the plan uses it (``True``), else the plan with its standard package
    (``False``). None for a scenario without a plan."""
    if is_status_quo(scenario):
        return []
    out = []
    for group in LEVER_GROUPS:
        off = without(scenario, group)
        if off is not None:
            out.append((group, off, True))
            continue
        on = with_package(scenario, group)
        if on is not None:
            out.append((group, on, False))
    return out


def cost_per_gain(
    npv: np.ndarray, gain: np.ndarray
) -> tuple[float | None, float | None, float | None]:
    """NPV given up per unit of outcome gained, over paired replications: −mean(npv) /
    mean(gain) [USD per unit], with the 95% percentile bootstrap interval that resamples the
    replications in pairs (``statistics.ratio_interval``: seeded, so a result is
    reproducible). None where the gain is not
    positive or no NPV is given up (the ratio would mean nothing)."""
    ok = np.isfinite(npv) & np.isfinite(gain)
    npv, gain = npv[ok], gain[ok]
    if len(npv) == 0 or gain.mean() <= 0 or npv.mean() >= 0:
        return None, None, None
    mean = float(-npv.mean() / gain.mean())
    interval = ratio_interval(-npv, gain)
    if interval is None:
        return mean, None, None
    return mean, interval[0], interval[1]


def safeguard_row(
    group: LeverGroup, on: pd.DataFrame, off: pd.DataFrame, in_plan: bool = True
) -> dict[str, Any]:
    """What a lever group costs and buys: paired KPIs with the group minus without it.
    ``in_plan``: the plan uses the group (``on`` is the plan), else ``on`` is the plan with
    the group's standard package added."""
    effects = paired_effects(on, off)
    npv, gain = effects["npv_net_savings"], effects[group.outcome]
    per_unit, per_low, per_high = cost_per_gain(
        _paired(on, off, "npv_net_savings"), group.better * _paired(on, off, group.outcome)
    )
    return {
        "group": group.name,
        "title": group.title,
        "in_plan": in_plan,
        "package": None if in_plan else group.package_text,
        "outcome": group.outcome,
        "outcome_unit": KPI_BY_NAME[group.outcome].unit,
        "npv_effect": npv["mean"],
        "npv_effect_ci95": (npv["ci95_low"], npv["ci95_high"]),
        "outcome_effect": gain["mean"],
        "outcome_effect_ci95": (gain["ci95_low"], gain["ci95_high"]),
        "pays_for_itself": npv["ci95_low"] is not None and npv["ci95_low"] > 0,
        "cost_per_unit": per_unit,
        "cost_per_unit_ci95": (per_low, per_high),
    }


PROGRAMME_KPIS = {  # effect name -> the KPI it is the paired difference of
    "additional_in_work_12m": "in_work_count_12m",
    "additional_in_work_24m": "in_work_count_24m",
    "additional_earnings": "cut_earnings_total",
    "programme_cost": "support_cost_total",
}
PROGRAMME_UNITS = {
    "additional_in_work_12m": "persons",
    "additional_in_work_24m": "persons",
    "additional_earnings": "USD",
    "programme_cost": "USD",
    "cost_per_additional_in_work": "USD",
    "additional_in_work_per_million": "persons",
}


def programme_effects(plan: pd.DataFrame, without: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """What support for displaced workers buys, against the same plan without it (same
    seeds): additional workers in work (re-employed or redeployed) 12 and 24 months after
    their job was cut, their additional earnings, the programme's cost, and its cost per
    additional worker in work (a ratio of mean effects) and additional workers per $1M."""
    effects = paired_effects(plan, without)
    out = {
        name: {**effects[kpi], "unit": PROGRAMME_UNITS[name]}
        for name, kpi in PROGRAMME_KPIS.items()
    }
    cost, extra = out["programme_cost"]["mean"], out["additional_in_work_24m"]["mean"]
    # one cost per additional worker in work, as the safeguards table gives it: the NPV the
    # company gives up (not only what the programme costs) per additional worker at 24 months
    per_worker, low, high = cost_per_gain(
        _paired(plan, without, "npv_net_savings"), _paired(plan, without, "in_work_count_24m")
    )
    per_million = extra / (cost / 1e6) if cost and extra is not None and cost > 0 else None
    out["cost_per_additional_in_work"] = {
        "mean": per_worker,
        "ci95_low": low,
        "ci95_high": high,
        "unit": "USD",
    }
    out["additional_in_work_per_million"] = {"mean": per_million, "unit": "persons"}
    return out
