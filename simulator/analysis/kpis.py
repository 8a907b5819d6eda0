"""KPI definitions: one number per replication, computed from a finished model.

Each KPI has a name, a unit, a description and a function of the finished model and its
monthly series. A KPI that does not apply (e.g. re-employment when nobody was displaced)
is ``None``, never NaN.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import pandas as pd

from simulator.analysis.displacement import (
    after_displacement,
    earnings_after_displacement,
    earnings_first_year,
    part_time_share,
)
from simulator.analysis.measures import (
    _annualised,
    _cut_earnings,
    _discounted,
    _displaced_earnings,
    _escalation_rate,
    _gap,
    _in_work,
    _last,
    _mean,
    _median_jobless,
    _npv_of,
    _per_100_agent_years,
    _retraining_completion,
    _share_of_headcount,
    _staff_weighted,
    _sum,
    _support_cost,
    in_house_turnover,
    kaplan_meier_median,
    payback_month,
    vendor_turnover,
)
from simulator.model.employees import State
from simulator.model.model import OutsourcingModel
from simulator.model.status_quo import SAVING_PARTS


class Direction(StrEnum):
    """Which way a KPI is better — the EMA Workbench's outcome kinds: ``maximise``,
    ``minimise``, or ``info`` (reported; neither way is better in itself, e.g. what was spent
    on support, whose worth shows in other KPIs)."""

    maximise = "maximise"
    minimise = "minimise"
    info = "info"

    @property
    def sign(self) -> int:
        """+1 when higher is better, −1 when lower is, 0 for ``info``."""
        return {"maximise": 1, "minimise": -1, "info": 0}[self.value]


UP, DOWN, INFO = Direction.maximise, Direction.minimise, Direction.info


@dataclass(frozen=True)
class KPI:
    name: str
    unit: str
    direction: Direction  # which way is better: the one place it is written
    description: str
    compute: Callable[[OutsourcingModel, pd.DataFrame], float | None]


KPIS: list[KPI] = [
    # business case
    KPI(
        "npv_net_savings",
        "USD",
        UP,
        "Net present value of the savings against the status quo simulated on the same draws: "
        "its costs minus the plan's (mitigation included; breaches at their expected cost, "
        "probability × cost each month) plus margin on revenue over the status quo's; exactly "
        "0 for a scenario without a plan",
        lambda m, ts: _discounted(m, ts["net_savings"].to_numpy()),
    ),
    KPI(
        "npv_operating_savings",
        "USD",
        UP,
        "NPV of operating costs avoided (the status quo's in-house staff, hiring, cover and "
        "vendor costs minus the plan's)",
        lambda m, ts: _discounted(m, (ts["cost_counterfactual"] - ts["cost_operating"]).to_numpy()),
    ),
    *(
        KPI(
            f"npv_saving_{part}",
            "USD",
            INFO,
            f"NPV of the net saving's part: {text}",
            _npv_of(f"saving_{part}"),
        )
        for part, text in SAVING_PARTS.items()
    ),
    KPI(
        "payback_month",
        "month",
        DOWN,
        "First month from which the cumulative net saving against the status quo stays at or "
        "above zero to the horizon (missing: the plan has not paid back by then)",
        lambda m, ts: payback_month(ts["net_savings"].to_numpy()),
    ),
    KPI(
        "mitigation_cost_total",
        "USD",
        INFO,
        "Spent on ethical policies and displacement support",
        _sum("cost_mitigation"),
    ),
    KPI(
        "revenue_change_final",
        "share",
        UP,
        "Revenue in the last month over month-0 revenue, minus 1",
        lambda m, ts: float(ts["revenue"].iloc[-1] / m.company.revenue0 - 1.0),
    ),
    # displaced workers and the local economy
    KPI(
        "displaced_workers",
        "persons",
        DOWN,
        "In-house workers laid off: still there when their job ended (involuntary "
        "separations; redeployed, quits on notice and direct moves to a new job excluded)",
        lambda m, ts: float(m.workforce.involuntary.sum()),
    ),
    KPI(
        "job_to_job_moves",
        "persons",
        UP,
        "Workers given notice who found a new job before it ended: a direct move, never "
        "unemployed (not counted as displaced)",
        lambda m, ts: float((m.workforce.displaced & ~m.workforce.involuntary).sum()),
    ),
    KPI(
        "notice_quits",
        "persons",
        INFO,
        "Workers given notice who quit before it ended (not counted as displaced)",
        lambda m, ts: float(m.workforce.quit_on_notice.sum()),
    ),
    KPI(
        "redeployed_workers",
        "persons",
        UP,
        "In-house workers moved to other internal jobs",
        lambda m, ts: float(m.workforce.count(State.redeployed)),
    ),
    KPI(
        "reemployed_share_6m",
        "share",
        UP,
        "Displaced workers in a job 6 months after displacement",
        lambda m, ts: after_displacement(m, 6),
    ),
    KPI(
        "reemployed_share_12m",
        "share",
        UP,
        "Displaced workers in a job 12 months after displacement",
        lambda m, ts: after_displacement(m, 12),
    ),
    KPI(
        "reemployed_share_24m",
        "share",
        UP,
        "Displaced workers in a job 24 months after displacement",
        lambda m, ts: after_displacement(m, 24),
    ),
    KPI(
        "left_labour_force_share_24m",
        "share",
        DOWN,
        "Displaced workers out of the labour force 24 months after displacement",
        lambda m, ts: after_displacement(m, 24, State.left_labour_force),
    ),
    KPI(
        "median_unemployment_months",
        "months",
        DOWN,
        "Median months from displacement to a new job (Kaplan-Meier; censored at exit from the "
        "labour force and at the horizon)",
        _median_jobless,
    ),
    KPI(
        "earnings_first_year",
        "ratio",
        UP,
        "The validated measure (Couch & Placzek 2010): prime-age (25-54) displaced workers "
        "still in the labour force, earnings in the first year after displacement over their "
        "old pay grown at wage_growth_annual, the jobless at zero",
        lambda m, ts: earnings_first_year(m),
    ),
    KPI(
        "part_time_share_24m",
        "share",
        INFO,
        "Of the displaced back at work 24 months after displacement, the share in a part-time job",
        lambda m, ts: part_time_share(m, 24),
    ),
    KPI(
        "earnings_ratio_24m",
        "ratio",
        UP,
        "Displaced workers' earnings 24 months after displacement over what they would have "
        "earned in the old job (pre-displacement pay grown at wage_growth_annual), the "
        "jobless counted at zero",
        lambda m, ts: earnings_after_displacement(m, 24),
    ),
    KPI(
        "local_unemployment_peak_change_pp",
        "percentage points",
        DOWN,
        "Peak rise of the home-region unemployment rate over its baseline",
        lambda m, ts: float(
            100
            * (
                ts["local_unemployment_rate"].max()
                - m.scenario.local_economy.baseline_unemployment_rate
            )
        ),
    ),
    KPI(
        "local_jobs_lost_peak",
        "jobs",
        DOWN,
        "Peak local jobs lost through the income multiplier",
        lambda m, ts: float(ts["local_jobs_lost"].max()),
    ),
    KPI(
        "retraining_starts",
        "persons",
        INFO,
        "Displaced workers who started training",
        lambda m, ts: float((m.workforce.training_started >= 0).sum()),
    ),
    KPI(
        "retraining_completion_share",
        "share",
        UP,
        "Trainees who completed, among those whose course has ended",
        _retraining_completion,
    ),
    KPI(
        "retraining_placement_share",
        "share",
        UP,
        "Training completers in a job at the end of the horizon",
        lambda m, ts: (
            float((m.workforce.state[m.workforce.training_completed] == State.reemployed).mean())
            if m.workforce.training_completed.any()
            else None
        ),
    ),
    KPI(
        "local_income_change_min",
        "share",
        UP,
        "Largest monthly fall of home-region labour income (net of support and community "
        "spending), as a share of local labour income",
        lambda m, ts: float(ts["local_income_change"].min()),
    ),
    KPI(
        "in_work_count_12m",
        "persons",
        UP,
        "Workers whose position was cut who are in work (re-employed or redeployed) 12 months "
        "after their separation",
        _in_work(12),
    ),
    KPI(
        "in_work_count_24m",
        "persons",
        UP,
        "The same, 24 months after their separation",
        _in_work(24),
    ),
    KPI(
        "cut_earnings_total",
        "USD",
        UP,
        "Earnings of every worker whose position was cut (the redeployed and those who moved "
        "on notice included) from the month it ended to the end of the horizon",
        _cut_earnings,
    ),
    KPI(
        "displaced_earnings_total",
        "USD",
        UP,
        "Earnings of the displaced from displacement to the end of the horizon",
        _displaced_earnings,
    ),
    KPI(
        "support_cost_total",
        "USD",
        INFO,
        "Spent on displaced workers and the community: severance, outplacement, retraining, "
        "redeployment and community investment (a programme's effect per worker is in the "
        "programme section, paired against the plan without it)",
        _support_cost,
    ),
    KPI(
        "community_investment_total",
        "USD",
        INFO,
        "Community investment spent",
        _last("community_investment_cumulative"),
    ),
    # transparency
    KPI(
        "early_quit_share",
        "share",
        DOWN,
        "In-house staff who quit on rumours of the plan",
        _share_of_headcount(lambda m: m.workforce.voluntary_quit.sum()),
    ),
    KPI(
        "in_house_morale_min",
        "index 0-1",
        UP,
        "Lowest in-house morale",
        lambda m, ts: float(ts["in_house_morale"].min()),
    ),
    KPI(
        "informed_share_final",
        "share",
        UP,
        "Customers the company told that service is outsourced (1 if nothing is outsourced; "
        "learning it from a discovery does not count)",
        lambda m, ts: (
            float(ts["informed_share"].iloc[-1]) if ts["outsourced_share"].max() > 0 else 1.0
        ),
    ),
    KPI(
        "trust_lost_to_discovery",
        "index 0-1",
        DOWN,
        "Mean trust per customer lost when undisclosed outsourcing came to light",
        _last("trust_lost_discovery_cumulative"),
    ),
    KPI(
        "trust_final", "index 0-1", UP, "Mean customer trust in the last month", _last("trust_mean")
    ),
    # customers and service
    KPI("csat_mean", "0-100", UP, "Mean monthly CSAT across channels", _mean("csat")),
    KPI(
        "service_level_mean",
        "share",
        UP,
        "Mean share of contacts answered within 20 s",
        _mean("service_level"),
    ),
    KPI(
        "first_contact_resolution_mean", "share", UP, "Mean first-contact resolution", _mean("fcr")
    ),
    KPI(
        "customer_churn_annual",
        "share/year",
        DOWN,
        "Annualised customer churn",
        lambda m, ts: _annualised(ts["churn_rate_monthly"].to_numpy()),
    ),
    KPI(
        "complaints_per_100k_quarter",
        "complaints/100k customers/quarter",
        DOWN,
        "Complaints to the regulator or ombudsman per 100,000 customers a quarter, over the "
        "horizon (from unresolved issues: model/complaints.py)",
        lambda m, ts: (
            3e5 * float(ts["complaints"].sum()) / max(float(ts["customers_active"].sum()), 1.0)
        ),
    ),
    # cultural and communication obstacles
    KPI(
        "csat_gap_vendor",
        "0-100 points",
        DOWN,
        "In-house minus vendor CSAT while vendors serve",
        _gap("csat_in_house", "csat_vendor"),
    ),
    KPI(
        "fcr_gap_vendor",
        "share",
        DOWN,
        "In-house minus vendor first-contact resolution",
        _gap("fcr_in_house", "fcr_vendor"),
    ),
    KPI(
        "handle_time_gap_s",
        "s",
        DOWN,
        "Vendor minus in-house handle time",
        _gap("handle_time_vendor_s", "handle_time_in_house_s"),
    ),
    KPI(
        "escalation_rate",
        "share",
        DOWN,
        "Escalated contacts over all contacts, in months when vendors serve (0 if never)",
        _escalation_rate,
    ),
    # privacy
    KPI(
        "records_exposed_final",
        "records",
        DOWN,
        "Customer record-equivalents held by vendors",
        _last("records_exposed"),
    ),
    KPI(
        "records_exposed_share",
        "ratio",
        DOWN,
        "Record-equivalents held by vendors per customer",
        lambda m, ts: float(
            ts["records_exposed"].iloc[-1] / max(ts["customers_active"].iloc[-1], 1)
        ),
    ),
    KPI(
        "breach_probability_annual",
        "probability/year",
        DOWN,
        "Chance of at least one material breach in a year (company and vendors)",
        lambda m, ts: _annualised(ts["breach_probability_monthly"].to_numpy()),
    ),
    KPI(
        "expected_breach_cost",
        "USD",
        DOWN,
        "Probability-weighted breach cost over the horizon",
        _sum("expected_breach_cost"),
    ),
    KPI("breaches", "count", DOWN, "Material breaches that happened", _sum("breaches")),
    KPI(
        "customers_lost_to_breaches",
        "customers",
        DOWN,
        "Customers who left because of breaches",
        _sum("customers_lost_to_breaches"),
    ),
    KPI(
        "breach_cost_realised", "USD", DOWN, "Cost of breaches that happened", _sum("cost_breaches")
    ),
    KPI(
        "customers_breached_share",
        "share",
        DOWN,
        "Active customers whose records were breached",
        lambda m, ts: float(
            ts["customers_breached"].iloc[-1] / max(ts["customers_active"].iloc[-1], 1)
        ),
    ),
    # vendor staff
    KPI(
        "vendor_attrition_annual",
        "share/year",
        DOWN,
        "Vendor agents' turnover: quits per agent-year (a year's quits over average headcount)",
        lambda m, ts: vendor_turnover(ts),
    ),
    KPI(
        "vendor_attrition_excess",
        "share/year",
        DOWN,
        "Vendor turnover above the in-house norm (workforce.attrition_annual)",
        lambda m, ts: (
            None
            if (v := vendor_turnover(ts)) is None
            else v - m.scenario.workforce.attrition_annual
        ),
    ),
    KPI(
        "in_house_attrition_annual",
        "share/year",
        DOWN,
        "In-house agents' turnover: quits for other jobs per agent-year, plan-driven quits "
        "included",
        lambda m, ts: in_house_turnover(ts),
    ),
    KPI(
        "vendor_share_paid_fair",
        "share",
        UP,
        "Vendor agents paid at least the local industry standard (staff-weighted)",
        _staff_weighted("vendor_share_paid_fair"),
    ),
    KPI(
        "vendor_wellbeing_mean",
        "index 0-1",
        UP,
        "Mean wellbeing of vendor agents",
        _staff_weighted("vendor_wellbeing"),
    ),
    KPI(
        "vendor_mean_tenure_months",
        "months",
        UP,
        "Mean tenure of vendor agents",
        _staff_weighted("vendor_mean_tenure_months"),
    ),
    KPI(
        "vendor_incidents_per_100_agent_years",
        "incidents/100 agent-years",
        DOWN,
        "Harassment and health incidents at vendors",
        _per_100_agent_years,
    ),
    KPI(
        "vendor_proficiency_mean",
        "index 0-1",
        UP,
        "Mean product proficiency of vendor agents",
        _staff_weighted("vendor_proficiency"),
    ),
]
KPI_BY_NAME = {k.name: k for k in KPIS}
# the KPIs a director reads first (CLI tables, comparison headline), with short labels
HEADLINE_LABELS = {
    "npv_net_savings": "NPV net savings",
    "displaced_workers": "Displaced",
    "reemployed_share_24m": "Re-employed at 24 m",
    "earnings_ratio_24m": "Earnings at 24 m",
    "local_unemployment_peak_change_pp": "Local unemployment peak",
    "csat_mean": "CSAT",
    "customer_churn_annual": "Churn / year",
    "trust_final": "Trust (end)",
    "breach_probability_annual": "Breach chance / year",
    "vendor_attrition_annual": "Vendor attrition",
    "vendor_share_paid_fair": "Vendor staff paid fairly",
}
HEADLINE = tuple(HEADLINE_LABELS)


def compute_kpis(model: OutsourcingModel, timeseries: pd.DataFrame) -> dict[str, float | None]:
    """Every KPI of one finished replication."""
    out: dict[str, float | None] = {}
    for k in KPIS:
        value = k.compute(model, timeseries)
        out[k.name] = None if value is None or not np.isfinite(value) else float(value)
    return out


__all__ = [
    "HEADLINE",
    "HEADLINE_LABELS",
    "KPI",
    "Direction",
    "KPIS",
    "KPI_BY_NAME",
    "compute_kpis",
    "kaplan_meier_median",
]
