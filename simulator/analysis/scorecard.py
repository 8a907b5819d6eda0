"""The ethics scorecard: the five dimensions of docs/DESIGN.md, each scored 0-100 from outcomes.

A score is a weighted mean of components, each an outcome mapped onto [0, 1] against a
stated reference ("a 30% annual breach chance scores 0"), the way the KPI's own direction
(``analysis/kpis.py``) says is better. Levers never enter directly: a policy earns credit
only through what it did in the simulation. A dimension that does not
apply (no vendor staff to treat fairly) is ``None``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from simulator.analysis.kpis import KPI_BY_NAME, Direction

KpiValues = Mapping[str, float | None]


def _clip01(x: float) -> float:
    return max(0.0, min(1.0, x))


def higher_is_better(reference: float) -> Callable[[float], float]:
    return lambda x: _clip01(x / reference)


def lower_is_better(worst: float, best: float = 0.0) -> Callable[[float], float]:
    return lambda x: _clip01((worst - x) / (worst - best))


@dataclass(frozen=True)
class Component:
    """One outcome's contribution to a dimension's score. ``reference``: for a KPI to
    maximise, the value that scores 1 (0 scores 0); for one to minimise, the value that
    scores 0 (0 scores 1)."""

    metric: str
    weight: float
    explain: str
    reference: float

    @property
    def direction(self) -> Direction:
        return KPI_BY_NAME[self.metric].direction

    @property
    def mapping(self) -> Callable[[float], float]:
        """The KPI's value onto [0, 1], better towards 1 as its direction says."""
        if self.direction is Direction.maximise:
            return higher_is_better(self.reference)
        if self.direction is Direction.minimise:
            return lower_is_better(self.reference)
        raise ValueError(f"{self.metric} has no better direction (info); it cannot be scored")

    def score(self, value: float) -> float:
        return self.mapping(value)


DIMENSIONS: dict[str, tuple[str, list[Component]]] = {
    "transparency": (
        "Conserving clarity with customers and employees",
        [
            Component(
                "informed_share_final",
                0.3,
                "share of customers told by the company (1 = all; found out does not count)",
                1.0,
            ),
            Component(
                "trust_lost_to_discovery", 0.3, "0 trust lost scores 1; 0.10 or more, 0", 0.10
            ),
            Component("in_house_morale_min", 0.2, "lowest morale over 0.70 (the baseline)", 0.70),
            Component("early_quit_share", 0.2, "no rumour-driven quits scores 1; 15%, 0", 0.15),
        ],
    ),
    "privacy": (
        "Upholding the privacy of customers",
        [
            Component("breach_probability_annual", 0.4, "0 scores 1; a 30% annual chance, 0", 0.30),
            Component(
                "records_exposed_share",
                0.4,
                "record-equivalents at vendors per customer: 0 scores 1; 1 or more, 0",
                1.0,
            ),
            Component("customers_breached_share", 0.2, "0 scores 1; 20% of customers, 0", 0.20),
        ],
    ),
    "fair_treatment": (
        "Equitable treatment of vendor staff",
        [
            Component(
                "vendor_share_paid_fair", 0.30, "share paid at least the local standard", 1.0
            ),
            Component(
                "vendor_attrition_excess",
                0.30,
                "vendor turnover no higher than in-house scores 1; 35 points a year above, 0",
                0.35,
            ),
            Component("vendor_wellbeing_mean", 0.25, "wellbeing index over 0.8", 0.8),
            Component(
                "vendor_incidents_per_100_agent_years",
                0.15,
                "0 incidents scores 1; 5 per 100 agent-years, 0",
                5.0,
            ),
        ],
    ),
    "communication": (
        "Managing cultural and communication obstacles",
        [
            Component(
                "csat_gap_vendor", 0.4, "no CSAT gap to in-house scores 1; 25 points, 0", 25.0
            ),
            Component("fcr_gap_vendor", 0.4, "no FCR gap scores 1; 0.30, 0", 0.30),
            Component("escalation_rate", 0.2, "0 escalations scores 1; 20% of contacts, 0", 0.20),
        ],
    ),
    "local_jobs": (
        "Impact on local job markets",
        [
            Component(
                "reemployed_share_24m",
                0.35,
                "re-employed at 24 months over 0.70 (a good normal-times outcome)",
                0.70,
            ),
            Component("earnings_ratio_24m", 0.35, "earnings recovered at 24 months over 0.9", 0.90),
            Component(
                "local_unemployment_peak_change_pp",
                0.30,
                "no rise in local unemployment scores 1; +0.5 pp, 0",
                0.5,
            ),
        ],
    ),
}
FALLBACKS = {"reemployed_share_24m": ("reemployed_share_12m", "reemployed_share_6m")}
# a dimension with no affected people scores full marks through these defaults
NOT_AFFECTED = {
    "local_jobs": ("displaced_workers", 100.0),
    "fair_treatment": ("vendor_attrition_excess", None),
}


def score_dimension(name: str, kpis: KpiValues) -> dict[str, object]:
    """Score one dimension from one replication's KPIs."""
    title, components = DIMENSIONS[name]
    guard = NOT_AFFECTED.get(name)
    if guard is not None:
        value = kpis.get(guard[0])
        if value is None or (guard[0] == "displaced_workers" and value == 0):
            return {"title": title, "score": guard[1], "metrics": {}, "note": "not affected"}
    total = weights = 0.0
    used: dict[str, float] = {}
    for c in components:
        value = kpis.get(c.metric)
        for alt in FALLBACKS.get(c.metric, ()):
            if value is None:
                value = kpis.get(alt)
        if value is None:
            continue
        used[c.metric] = value
        total += c.weight * c.score(value)
        weights += c.weight
    score = 100.0 * total / weights if weights else None
    return {"title": title, "score": score, "metrics": used}


def score(kpis: KpiValues) -> dict[str, dict[str, object]]:
    """All five dimensions for one replication."""
    return {name: score_dimension(name, kpis) for name in DIMENSIONS}


def describe() -> dict[str, dict[str, object]]:
    """The formula of every dimension, for reports and docs."""
    return {
        name: {
            "title": title,
            "components": [
                {"metric": c.metric, "weight": c.weight, "mapping": c.explain} for c in comps
            ],
        }
        for name, (title, comps) in DIMENSIONS.items()
    }
