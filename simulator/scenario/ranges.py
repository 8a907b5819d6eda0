"""Plausible ranges of the uncertainties: how far each could be from its value.

The schema's bounds say what a field may hold; they are far wider than what anyone expects
(a trust elasticity from 0 to 20). A swing analysis (``analysis/swing.py``) needs the range
a strategy team would call plausible: this table gives it, with its source, for every
uncertainty of the XLRM registry (``scenario/xlrm.py``) but those listed in
:data:`NOT_SWUNG` with the reason.

A range is absolute (the field's value runs from ``low`` to ``high``) or relative (the
scenario's own value times ``low`` to times ``high``: for values a company sets from its own
data, such as its contact rate or its vendors' prices). A vendor field is swung for every
vendor at once, each vendor's value times the same factor (so a relative range), and is
named ``vendors.*.field``. Every range is clipped to the schema's bounds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from simulator.scenario import xlrm
from simulator.scenario.overrides import with_overrides
from simulator.scenario.paths import attribute_at
from simulator.scenario.schema import Scenario

ALL_VENDORS = "vendors.*."
VENDOR_FIELD = "vendors[]."  # the registry's spelling of a vendor field


@dataclass(frozen=True)
class Plausible:
    """A plausible range: ``low`` to ``high`` (times the scenario's value if ``relative``)."""

    low: float
    high: float
    relative: bool
    source: str


def _a(low: float, high: float, source: str) -> Plausible:
    return Plausible(low, high, False, source)


def _x(low: float, high: float, source: str) -> Plausible:
    return Plausible(low, high, True, source)


# registry pattern -> plausible range (docs/MODEL.md §13 gives the same table)
PLAUSIBLE: dict[str, Plausible] = {
    "customers.contacts_per_customer_month": _x(
        0.85, 1.15, "assumption: a year-ahead contact forecast misses by up to ~15%"
    ),
    "customers.contact_rate_dispersion": _x(0.5, 2.0, "assumption: the shape is not measured"),
    "customers.initial_trust": _a(0.55, 0.85, "assumption: a trust index neither low nor high"),
    "customers.trust_churn_elasticity": _a(
        1.5, 5.0, "assumption: the range of the robust-plan study (experiments/robust_plan.yaml)"
    ),
    "customers.privacy_sensitivity_mean": _a(0.3, 0.7, "assumption: the middle of the index"),
    "customers.intent_to_churn_realisation": _a(
        0.2, 0.45, "assumption: stated intent to leave overstates leaving (about a third acts)"
    ),
    "policies.transparency.disclosure_reach": _a(
        0.6, 0.95, "assumption: not every customer reads a disclosure"
    ),
    "costs.breach_cost_per_record": _a(
        140.0, 200.0, "IBM/Ponemon cost per record, 2019-2024 ($146-$169) widened by industry"
    ),
    "costs.third_party_breach_premium_per_record": _a(
        5.0, 45.0, "Ponemon: third-party error added up to ~$43 per record (US, 2013)"
    ),
    "costs.breach_fixed_cost": _x(0.5, 2.0, "assumption: fixed costs of a breach vary by firm"),
    "costs.encryption_saving_per_record": _x(0.5, 1.5, "Ponemon: ~$13-14 in older studies"),
    "costs.incident_response_saving_per_record": _x(0.5, 1.5, "Ponemon: ~$13-14 in older studies"),
    "costs.language_premium_per_hour": _x(0.5, 1.5, "assumption: a premium negotiated per deal"),
    "workforce.wage_growth_annual": _a(0.0, 0.03, "assumption: real pay growth 0-3% a year"),
    "workforce.hiring_capacity_monthly": _x(0.5, 1.5, "assumption: recruiting pipelines vary"),
    "workforce.months_to_proficiency": _a(
        1.5, 6.0, "Dimension Data 2015: 12.9 weeks to competency on average; range assumed"
    ),
    "workforce.new_hire_proficiency": _a(0.3, 0.7, "assumption: a trainee's first month"),
    "local_economy.baseline_unemployment_rate": _x(
        0.75, 1.75, "FRED UNRATE 2005-2019: 4.4% to 9.9% around a 5.7% mean"
    ),
    "local_economy.vacancy_rate": _x(
        0.75, 1.25, "FRED JTSJOL 2005-2015 window means: 1.9% to 3.1% around 2.6%"
    ),
    "local_economy.job_finding_rate": _x(0.8, 1.2, "assumption: +-20% of the fitted value"),
    "local_economy.matching_elasticity": _a(
        0.5, 0.8, "Petrongolo & Pissarides (2001): 0.5-0.7; Shimer (2005): 0.72"
    ),
    "local_economy.reference_unemployment_rate": _a(
        0.04, 0.055, "assumption: the natural rate of recent decades"
    ),
    "local_economy.local_multiplier": _a(
        0.5, 1.6, "van Dijk (2014): ~1.0; Moretti (2010): 1.0 unskilled, 1.6 manufacturing"
    ),
    "local_economy.multiplier_lag_months": _a(3.0, 12.0, "assumption: within a year"),
    "policies.local_jobs.retraining.take_up_share": _a(
        0.5, 0.8, "DOL/Mathematica TAA: 65% trained (range assumed)"
    ),
    "policies.local_jobs.retraining.completion_probability": _a(
        0.75, 0.93, "DOL/Mathematica TAA: 86% of leavers completed (range assumed)"
    ),
    # vendors: every vendor's value times the same factor
    "vendors[].hiring_capacity_per_month": _x(0.5, 1.5, "assumption"),
    "vendors[].security_maturity": _x(0.7, 1.3, "assumption: a vendor audit's uncertainty"),
    "vendors[].industry_wage_per_hour": _x(
        0.85, 1.15, "assumption: offshore pay drift over a contract"
    ),
    "vendors[].wage_ratio": _x(0.85, 1.15, "assumption: where the vendor pays in its market"),
    "vendors[].benefits_share": _x(0.75, 1.5, "CALIBRATION: benefits 20-50% of base pay"),
    "vendors[].conditions": _x(0.7, 1.3, "assumption: conditions seen before a contract"),
    "vendors[].base_attrition_annual": _x(
        0.75, 1.4, "Holman, Batt & Holtgrewe (2007): agent turnover 25% to over 50% a year"
    ),
    "vendors[].language_proficiency_mean": _x(0.8, 1.2, "assumption: a pilot's uncertainty"),
    "vendors[].cultural_distance": _x(0.75, 1.25, "assumption"),
    "vendors[].price_per_agent_hour": _x(0.9, 1.15, "assumption: price until signed"),
    "vendors[].transition_cost_per_agent": _x(0.5, 2.0, "assumption: transitions overrun"),
    "vendors[].exit_cost_per_agent": _x(0.5, 2.0, "assumption: exits overrun"),
    "vendors[].governance_share": _x(0.5, 1.5, "assumption: 3-10% of contract value"),
}

# uncertainties left out of a swing, with the reason
NOT_SWUNG = {
    "policies.privacy.regime": "a choice of law, not a number: compare regimes as plans",
}


@dataclass(frozen=True)
class Swung:
    """One uncertainty as a swing varies it: its concrete path, its range in the
    scenario's units (or, for vendor fields, the factor on each vendor's value)."""

    path: str  # ``customers.trust_churn_elasticity`` or ``vendors.*.wage_ratio``
    low: float
    default: float
    high: float
    relative: bool  # the values are factors on each vendor's own (vendor fields only)
    source: str
    description: str
    unit: str

    def values(self, scenario: Scenario, value: float) -> dict[str, Any]:
        """The overrides that put this uncertainty at ``value`` in ``scenario``."""
        if not self.path.startswith(ALL_VENDORS):
            return {self.path: _fit(self.path, value)}
        name = self.path[len(ALL_VENDORS) :]
        return {
            f"vendors.{v.name}.{name}": _fit(f"vendors.{v.name}.{name}", getattr(v, name) * value)
            for v in scenario.vendors
        }

    def at(self, scenario: Scenario, value: float) -> Scenario:
        """``scenario`` with this uncertainty at ``value``."""
        return with_overrides(scenario, self.values(scenario, value))


def _fit(path: str, value: float) -> Any:
    """``value`` clipped to the field's bounds, whole where the field is whole."""
    entry = xlrm.field(path)
    low = None if entry is None else entry.low
    high = None if entry is None else entry.high
    if low is not None:
        value = max(value, low)
    if high is not None:
        value = min(value, high)
    if entry is not None and isinstance(entry.default, int) and not isinstance(entry.default, bool):
        return round(value)
    return value


def swung(scenario: Scenario) -> list[Swung]:
    """Every uncertainty of ``scenario`` a swing varies, with its plausible range (a range
    narrowed to nothing by the bounds, such as a factor on a zero, is left out)."""
    out: list[Swung] = []
    for entry in xlrm.inputs(xlrm.Kind.uncertainty):
        plausible = PLAUSIBLE.get(entry.path)
        if plausible is None or entry.path.startswith("plan.phases"):
            continue
        if entry.path.startswith(VENDOR_FIELD):
            if not scenario.vendors:
                continue
            name = entry.path[len(VENDOR_FIELD) :]
            path = ALL_VENDORS + name
            item = Swung(
                path,
                plausible.low,
                1.0,
                plausible.high,
                True,
                plausible.source,
                entry.description,
                "× each vendor's value",
            )
            values = [item.values(scenario, f) for f in (plausible.low, plausible.high)]
            if values[0] == values[1]:
                continue
        else:
            value = float(attribute_at(scenario, entry.path))
            low, high = plausible.low, plausible.high
            if plausible.relative:
                low, high = low * value, high * value
            low, high = float(_fit(entry.path, low)), float(_fit(entry.path, high))
            if low == high:
                continue
            low, high = min(low, value), max(high, value)
            item = Swung(
                entry.path,
                low,
                value,
                high,
                False,
                plausible.source,
                entry.description,
                entry.unit,
            )
        out.append(item)
    return out


def missing_ranges() -> list[str]:
    """Uncertainties of the registry with neither a plausible range nor a reason to be left
    out (a test keeps this empty), then ranges for fields that are not uncertainties."""
    patterns = {f.path for f in xlrm.inputs(xlrm.Kind.uncertainty)}
    return sorted(patterns - set(PLAUSIBLE) - set(NOT_SWUNG)) + sorted(set(PLAUSIBLE) - patterns)
