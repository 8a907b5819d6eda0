"""The status quo simulated beside a plan: the baseline of every money figure.

A plan's savings are what the plan changes: its costs and revenue minus those of the same
company without the plan (``scenario.status_quo.status_quo_of``), simulated on the same seed
— the same customers, workers and incidents wherever the plan leaves them alone (common
random numbers: ``streams.py``). :class:`StatusQuoBooks` holds what that run spent and earned
each month. A scenario without a plan is its own status quo, so its savings are exactly zero,
in any labour market.

There is no cost formula for "serving in-house": the status quo pays what its simulated
workforce costs (quits, replacement hiring, the labour market's pull) and loses what its
simulated customers take with them, exactly as the plan does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from simulator.model.company import COST_LINES, MITIGATION_LINES, OPERATING_LINES

# Where a plan's saving comes from: each month's net saving split into parts that add up to
# it exactly (signs: + saves money, - costs money). Knowledge transfer and severance are the
# transition; every other ethical policy and support programme is a safeguard; workers
# serving notice work, so their pay stays with labour.
SAVING_PARTS: dict[str, str] = {
    "labour_price": "Operating cost avoided at the status quo's service level: in-house staff, "
    "hiring, temporary cover and vendor contracts, less the service-level part",
    "service_level": "Cost avoided by answering fewer contacts within 20 s than the status quo: "
    "the vendor staff needed to match the status quo's service level each month less the "
    "staff the vendors have, at their price (negative when vendors answer faster)",
    "transition": "Knowledge transfer to vendors and severance (negative)",
    "safeguards": "Ethical policies and support for displaced workers other than severance "
    "(negative)",
    "revenue_margin": "Gross margin on revenue over the status quo's (negative when customers "
    "leave)",
    "breach_risk": "Expected breach cost of the status quo less the plan's",
}
TRANSITION_LINES = ("transition", "severance")
SAFEGUARD_LINES = tuple(line for line in MITIGATION_LINES if line not in TRANSITION_LINES)
EQUAL_SERVICE_CAP = 0.995  # highest service level matched (Erlang C never reaches 1) [share]


@dataclass(frozen=True)
class StatusQuoBooks:
    """Month by month, what the status quo spent by cost line, its decision cost (breaches
    at their expected cost) and its revenue [USD/month]."""

    cost_lines: Mapping[str, np.ndarray]  # every line of ``company.COST_LINES``
    cost_decision: np.ndarray
    revenue: np.ndarray
    service_level: np.ndarray  # in-house, answered within 20 s [share]

    @property
    def expected_breach_cost(self) -> np.ndarray:
        """Breaches at their expected cost (probability × cost) [USD/month]."""
        others = np.sum([self.cost_lines[x] for x in COST_LINES if x != "breaches"], axis=0)
        return self.cost_decision - others

    @property
    def cost_operating(self) -> np.ndarray:
        """In-house staff, hiring, temporary cover and vendor contracts [USD/month]."""
        return np.sum([self.cost_lines[line] for line in OPERATING_LINES], axis=0)

    @property
    def months(self) -> int:
        return len(self.revenue)

    @classmethod
    def of(cls, series: Mapping[str, Sequence[float]]) -> StatusQuoBooks:
        """The books of a finished status-quo run from its monthly metrics (a model's
        ``datacollector.model_vars`` or its ``timeseries.csv`` columns)."""
        needed = ("cost_decision", "revenue", "service_level_in_house")
        missing = [c for c in needed if c not in series]
        missing += [f"cost_{line}" for line in COST_LINES if f"cost_{line}" not in series]
        if missing:
            raise ValueError(f"status-quo books: missing monthly series {', '.join(missing)}")
        lines = {line: np.asarray(series[f"cost_{line}"], dtype=float) for line in COST_LINES}
        return cls(
            cost_lines=lines,
            cost_decision=np.asarray(series["cost_decision"], dtype=float),
            revenue=np.asarray(series["revenue"], dtype=float),
            service_level=np.asarray(series["service_level_in_house"], dtype=float),
        )


def saving_parts(
    base: StatusQuoBooks,
    t: int,
    lines: Mapping[str, float],
    expected_breach_cost: float,
    revenue: float,
    gross_margin: float,
    service_level_saving: float,
) -> dict[str, float]:
    """Month ``t``'s net saving against ``base`` by part (``SAVING_PARTS``) [USD/month]; the
    parts add up to the net saving. ``service_level_saving``: what the vendors' staffing
    below the status quo's service level saves this month."""

    def avoided(names: tuple[str, ...]) -> float:
        return sum(float(base.cost_lines[x][t]) - lines[x] for x in names)

    return {
        "labour_price": avoided(OPERATING_LINES) - service_level_saving,
        "service_level": service_level_saving,
        "transition": avoided(TRANSITION_LINES),
        "safeguards": avoided(SAFEGUARD_LINES),
        "revenue_margin": gross_margin * (revenue - float(base.revenue[t])),
        "breach_risk": float(base.expected_breach_cost[t]) - expected_breach_cost,
    }
