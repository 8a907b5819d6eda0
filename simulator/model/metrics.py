"""Model-level monthly metrics: the columns of ``timeseries.csv``.

``METRICS`` names every column with its unit and meaning; ``record_month`` fills them from the
model's parts at the end of a month. The DataCollector reads them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from simulator.model.company import COST_LINES, MITIGATION_LINES, OPERATING_LINES
from simulator.model.complaints import PER_QUARTER
from simulator.model.employees import State
from simulator.model.service import ChannelMonth
from simulator.model.status_quo import SAVING_PARTS, saving_parts

if TYPE_CHECKING:
    from simulator.model.model import OutsourcingModel

METRICS: dict[str, tuple[str, str]] = {
    "month": ("month", "Month index (0-based)"),
    "outsourced_share": ("share", "Planned share of contact volume handled by vendors"),
    "in_house_positions": (
        "positions",
        "In-house agent positions this month: the service standard's staffing (Erlang C) of "
        "the forecast volume kept in-house",
    ),
    **{
        f"employees_{s.name}": (
            "persons",
            "In-house positions (the starting staff's, refilled by replacements, and "
            f"those opened to bring work back) whose holder is now in state {s.name}",
        )
        for s in State
    },
    "displaced_cumulative": (
        "persons",
        "Workers laid off so far (involuntary: excludes the redeployed, quits on notice and "
        "direct moves to a new job)",
    ),
    "early_quits_cumulative": ("persons", "Voluntary quits driven by rumours of the plan"),
    "in_house_quits": ("persons", "In-house agents who quit for other jobs this month"),
    "in_house_at_risk": ("persons", "In-house agents who could quit this month"),
    "in_house_replacements": (
        "persons",
        "New in-house agents hired: leavers replaced and, once work is brought back, new "
        "positions filled",
    ),
    "in_house_morale": ("index 0-1", "Morale of in-house staff"),
    "temp_cover": ("positions", "In-house positions covered by temporary staff"),
    "training_queue": ("persons", "Displaced workers waiting for a training place"),
    "training_starts": ("persons", "Training starts this month"),
    "training_completions": ("persons", "Training completions this month"),
    "displaced_earnings_ratio": (
        "ratio",
        "Displaced workers' earnings over what they would have earned in the old job "
        "(jobless count as zero)",
    ),
    "local_unemployment_rate": ("share", "Home-region unemployment rate"),
    "local_tightness": ("ratio", "Vacancies per unemployed person in the home region"),
    "local_jobs_lost": ("jobs", "Local non-tradable jobs lost through the multiplier"),
    "tradable_jobs_lost": ("jobs", "The company's customer-service jobs moved out of the region"),
    "local_jobs_supported": ("jobs", "Local jobs supported by community investment"),
    "matching_efficiency": ("ratio", "Local matching efficiency relative to baseline"),
    "displaced_job_finding_factor": (
        "ratio",
        "Displaced workers' job-finding hazard relative to reference market conditions",
    ),
    "customers_active": ("customers", "Active customers"),
    "customers_churned": ("customers", "Customers lost this month"),
    "customers_acquired": ("customers", "Customers won this month"),
    "complaints": ("complaints", "Complaints to the regulator or ombudsman this month"),
    "complaints_per_100k_quarter": (
        "complaints/100k customers/quarter",
        "Complaints to the regulator this month per 100,000 active customers, as a quarterly rate",
    ),
    "churn_rate_monthly": ("share/month", "Customers lost this month over active at start"),
    "trust_mean": ("index 0-1", "Mean trust of active customers"),
    "satisfaction_mean": ("0-100", "Mean satisfaction of active customers"),
    "informed_share": ("share", "Active customers the company told that service is outsourced"),
    "aware_share": (
        "share",
        "Active customers who know the service is outsourced (told, or from its discovery)",
    ),
    "trust_lost_discovery_cumulative": (
        "index 0-1",
        "Mean trust per customer lost to the discovery of undisclosed outsourcing",
    ),
    "trust_lost_disclosure_cumulative": (
        "index 0-1",
        "Mean trust per customer lost to honest disclosure",
    ),
    "discovered": ("0/1", "Undisclosed outsourcing has come to light"),
    "issues": ("issues", "Customer issues raised this month"),
    "contacts": ("contacts", "Contacts handled this month, repeats included"),
    "csat": ("0-100", "Customer satisfaction with this month's contacts, all channels"),
    "csat_in_house": ("0-100", "CSAT of the in-house channel"),
    "csat_vendor": ("0-100", "CSAT of vendor channels (issue-weighted); in-house if none"),
    "fcr": ("share", "First-contact resolution, all channels"),
    "fcr_in_house": ("share", "First-contact resolution in-house"),
    "fcr_vendor": ("share", "First-contact resolution at vendors; in-house if none"),
    "service_level": ("share", "Share of contacts answered within 20 s, all channels"),
    "service_level_in_house": ("share", "Service level in-house"),
    "service_level_vendor": ("share", "Service level at vendors; in-house if none"),
    "average_wait_s": ("s", "Average speed of answer, all channels"),
    "handle_time_s": ("s", "Average handle time, all channels"),
    "handle_time_in_house_s": ("s", "Average handle time in-house"),
    "handle_time_vendor_s": ("s", "Average handle time at vendors; in-house if none"),
    "escalations": ("contacts", "Contacts escalated to the in-house team"),
    "records_exposed": ("records", "Customer record-equivalents held by vendors"),
    "breach_probability_monthly": ("probability", "Chance of a material breach this month"),
    "breaches": ("count", "Material breaches this month"),
    "breaches_cumulative": ("count", "Material breaches so far"),
    "breach_records": ("records", "Records exposed in breaches this month"),
    "expected_breach_cost": ("USD/month", "Probability-weighted cost of breaches this month"),
    "customers_breached": ("customers", "Active customers whose records were ever breached"),
    "incidents": ("count", "Scheduled incidents (plan.incidents) that struck customers this month"),
    "incident_victims": ("customers", "Customers a scheduled incident struck this month"),
    "vendor_staff": ("agents", "Vendor agents employed"),
    "vendor_required": ("agents", "Vendor agents the contracts require"),
    "vendor_hires": ("agents", "Vendor agents hired this month"),
    "vendor_quits": ("agents", "Vendor agents who quit this month"),
    "vendor_attrition_monthly": ("share/month", "Vendor quits over vendor staff"),
    "vendor_share_paid_fair": ("share", "Vendor agents paid at least the local industry standard"),
    "vendor_relative_pay": ("ratio", "Vendor pay over the local industry standard (mean)"),
    "vendor_wellbeing": ("index 0-1", "Mean wellbeing of vendor agents"),
    "vendor_proficiency": ("index 0-1", "Mean product proficiency of vendor agents"),
    "vendor_language": ("index 0-1", "Mean language proficiency of vendor agents"),
    "vendor_mean_tenure_months": ("months", "Mean tenure of vendor agents"),
    "vendor_incidents": ("count", "Harassment or health incidents at vendors this month"),
    **{f"cost_{line}": ("USD/month", f"Cost: {line.replace('_', ' ')}") for line in COST_LINES},
    "cost_operating": ("USD/month", "In-house staff, temporary cover and vendor contracts"),
    "cost_mitigation": ("USD/month", "Cost of ethical policies and displacement support"),
    "cost_total": ("USD/month", "All costs, realised breaches included"),
    "cost_decision": (
        "USD/month",
        "All costs with breaches at their expected cost (probability × cost) instead of as "
        "realised",
    ),
    "cost_counterfactual": (
        "USD/month",
        "Operating cost of the status quo (the plan removed) simulated on the same draws",
    ),
    "revenue": ("USD/month", "Revenue from active customers"),
    "net_savings": (
        "USD/month",
        "The status quo's decision cost minus this run's (breaches at their expected cost), "
        "plus margin on revenue over the status quo's; the status quo simulated on the same "
        "draws, so a scenario without a plan saves exactly 0",
    ),
    **{f"saving_{part}": ("USD/month", text) for part, text in SAVING_PARTS.items()},
    "community_investment_cumulative": ("USD", "Community investment spent so far"),
    "local_income_change": (
        "signed share",
        "Change of home-region labour income: payroll lost net of income support and of "
        "community spending at home, over total local labour income (negative = loss)",
    ),
    "customers_lost_to_breaches": ("customers", "Churn this month caused by breaches"),
}


def _weighted(values: Sequence[float], weights: Sequence[float], fallback: float) -> float:
    """Mean of ``values`` weighted by ``weights``; ``fallback`` when the weights sum to 0."""
    total = float(sum(weights))
    if total <= 0:
        return fallback
    return float(sum(v * w for v, w in zip(values, weights, strict=True))) / total


def record_month(
    model: OutsourcingModel,
    t: int,
    channels: list[ChannelMonth],
    lines: dict[str, float],
    events: dict[str, float],
) -> None:
    """Fill ``model.metrics`` for month ``t``, one subsystem at a time."""
    m = model.metrics
    m["month"] = t
    record_workforce(m, model, t, events)
    record_local_economy(m, model)
    record_customers(m, model)
    record_service(m, model, channels)
    record_privacy(m, model)
    record_vendors(m, model)
    record_books(m, model, t, lines)


def record_workforce(
    m: dict[str, float], model: OutsourcingModel, t: int, events: dict[str, float]
) -> None:
    """The plan's positions and the in-house workers: states, quits, training, earnings."""
    co, wf = model.company, model.workforce
    m["outsourced_share"] = co.outsourced_share(t)
    m["in_house_positions"] = model.in_house_target
    counts = np.bincount(wf.state, minlength=len(State)).tolist()
    for st in State:
        m[f"employees_{st.name}"] = counts[st]
    m["displaced_cumulative"] = int(np.count_nonzero(wf.involuntary))
    m["early_quits_cumulative"] = int(np.count_nonzero(wf.voluntary_quit))
    m["in_house_quits"] = events["quits"]
    m["in_house_at_risk"] = events["quit_pool"]
    m["in_house_replacements"] = events["replacements"]
    m["in_house_morale"] = float(co.morale)
    m["temp_cover"] = model.temp_cover
    m["training_queue"] = len(wf.queue)
    m["training_starts"] = events["training_starts"]
    m["training_completions"] = events["training_completions"]
    d = np.flatnonzero(wf.involuntary)
    at = np.full(len(d), t)
    m["displaced_earnings_ratio"] = (
        float(wf.earnings[t, d].sum() / wf.counterfactual_wage(d, at).sum()) if len(d) else 1.0
    )


def record_local_economy(m: dict[str, float], model: OutsourcingModel) -> None:
    """The home region's labour market."""
    wf, ec = model.workforce, model.economy
    jobless = int(np.count_nonzero(wf.in_state(State.unemployed, State.retraining)))
    m["local_unemployment_rate"] = float(ec.unemployment_rate(jobless, model.own_jobless_last()))
    m["local_tightness"] = float(ec.tightness)
    m["local_jobs_lost"] = float(ec.jobs_lost)
    m["tradable_jobs_lost"] = ec.tradable_jobs_lost
    m["local_jobs_supported"] = float(ec.jobs_supported)
    m["matching_efficiency"] = float(ec.efficiency)
    m["displaced_job_finding_factor"] = float(ec.market_factor())


def record_customers(m: dict[str, float], model: OutsourcingModel) -> None:
    """The customer base: size, churn, trust, satisfaction, who knows of the outsourcing."""
    cu = model.customers
    active = cu.count
    m["customers_active"] = active
    m["customers_churned"] = model.churned
    m["complaints"] = model.complaints
    m["complaints_per_100k_quarter"] = model.complaints / max(active, 1) * PER_QUARTER
    m["customers_acquired"] = cu.acquired_this_month
    m["churn_rate_monthly"] = model.churned / max(
        active + model.churned - cu.acquired_this_month, 1
    )
    m["trust_mean"] = cu.mean_trust()
    m["satisfaction_mean"] = cu.mean_satisfaction()
    m["informed_share"] = cu.informed_share()
    m["aware_share"] = cu.aware_share()
    m["trust_lost_discovery_cumulative"] = cu.trust_lost_to_discovery
    m["trust_lost_disclosure_cumulative"] = cu.trust_lost_to_disclosure
    m["discovered"] = float(model.company.discovered)


def record_service(
    m: dict[str, float], model: OutsourcingModel, channels: list[ChannelMonth]
) -> None:
    """This month's contacts by channel: volumes, CSAT, resolution, queues, escalations."""
    issues = [c.issues for c in channels]
    contacts = [c.contacts for c in channels]
    csat = [
        float(x) if np.isfinite(x) else c.csat
        for x, c in zip(model.customers.csat_by_channel.tolist(), channels, strict=True)
    ]
    inh, vend = channels[0], channels[1:]
    m["issues"] = float(sum(issues))
    m["contacts"] = float(sum(contacts))
    m["csat"] = _weighted(csat, issues, csat[0])
    m["csat_in_house"] = csat[0]
    m["csat_vendor"] = _weighted(csat[1:], issues[1:], csat[0])
    m["fcr"] = _weighted([c.fcr for c in channels], issues, inh.fcr)
    m["fcr_in_house"] = inh.fcr
    m["fcr_vendor"] = _weighted([c.fcr for c in vend], issues[1:], inh.fcr)
    levels = [c.queue.service_level for c in channels]
    m["service_level"] = _weighted(levels, contacts, levels[0])
    m["service_level_in_house"] = levels[0]
    m["service_level_vendor"] = _weighted(levels[1:], contacts[1:], levels[0])
    m["average_wait_s"] = _weighted([c.queue.average_wait_s for c in channels], contacts, 0.0)
    m["handle_time_s"] = _weighted([c.handle_time_s for c in channels], contacts, inh.handle_time_s)
    m["handle_time_in_house_s"] = inh.handle_time_s
    m["handle_time_vendor_s"] = _weighted(
        [c.handle_time_s for c in vend], contacts[1:], inh.handle_time_s
    )
    m["escalations"] = float(sum(c.escalations for c in vend))


def record_privacy(m: dict[str, float], model: OutsourcingModel) -> None:
    """Records held by vendors, breach risk and this month's breaches."""
    m["records_exposed"] = model.privacy.records_exposed()
    m["breach_probability_monthly"] = model.breach_probability
    m["breaches"] = len(model.breaches)
    m["breaches_cumulative"] = model.cumulative["breaches"]
    m["breach_records"] = sum(b.records for b in model.breaches)
    m["expected_breach_cost"] = model.expected_breach_cost
    m["customers_breached"] = model.customers.breached_count()
    m["customers_lost_to_breaches"] = model.churn_from_breaches
    struck = [hit for hit in model.incidents_struck if len(hit.slots)]
    m["incidents"] = len(struck)
    m["incident_victims"] = model.customers.real(sum(len(hit.slots) for hit in struck))


def record_vendors(m: dict[str, float], model: OutsourcingModel) -> None:
    """Vendor staff: headcount, hiring and attrition, pay, wellbeing, abilities, incidents."""
    vs = model.vendors
    staff = [v.headcount for v in vs]
    m["vendor_staff"] = sum(staff)
    m["vendor_required"] = sum(v.required for v in vs)
    m["vendor_hires"] = sum(v.hired for v in vs)
    m["vendor_quits"] = sum(v.quits for v in vs)
    start = sum(staff) + m["vendor_quits"]
    m["vendor_attrition_monthly"] = m["vendor_quits"] / start if start else 0.0
    m["vendor_share_paid_fair"] = _weighted([v.share_paid_fair() for v in vs], staff, 0.0)
    m["vendor_relative_pay"] = _weighted([v.relative_pay() for v in vs], staff, 0.0)
    profs = [v.proficiency() for v in vs]
    m["vendor_wellbeing"] = _weighted([p.wellbeing for p in profs], staff, 0.0)
    m["vendor_proficiency"] = _weighted([p.product for p in profs], staff, 0.0)
    m["vendor_language"] = _weighted([p.language for p in profs], staff, 0.0)
    m["vendor_mean_tenure_months"] = _weighted([v.mean_tenure() for v in vs], staff, 0.0)
    m["vendor_incidents"] = sum(v.incidents for v in vs)


def record_books(
    m: dict[str, float], model: OutsourcingModel, t: int, lines: dict[str, float]
) -> None:
    """The month's costs by line, revenue, savings against the status quo simulated on the
    same draws (``status_quo.py``), and the home community's income and investment."""
    s, ec = model.scenario, model.economy
    for line in COST_LINES:
        m[f"cost_{line}"] = lines[line]
    m["cost_operating"] = sum(lines[x] for x in OPERATING_LINES)
    m["cost_mitigation"] = sum(lines[x] for x in MITIGATION_LINES)
    m["cost_total"] = sum(lines.values())
    revenue = model.customers.count * s.company.revenue_per_customer_month
    m["revenue"] = revenue
    # decisions weigh breaches at their expected cost (probability × cost, every month);
    # realised breaches are the risk around it (cost_breaches, breach_cost_realised)
    m["cost_decision"] = m["cost_total"] - lines["breaches"] + model.expected_breach_cost
    base = model.status_quo_books
    if base is None:  # the model is its own status quo: it saves nothing, exactly
        m["cost_counterfactual"], m["net_savings"] = m["cost_operating"], 0.0
        for part in SAVING_PARTS:
            m[f"saving_{part}"] = 0.0
    else:
        m["cost_counterfactual"] = float(base.cost_operating[t])
        m["net_savings"] = (
            float(base.cost_decision[t])
            - m["cost_decision"]
            + s.company.gross_margin * (revenue - float(base.revenue[t]))
        )
        parts = saving_parts(
            base,
            t,
            lines,
            model.expected_breach_cost,
            revenue,
            s.company.gross_margin,
            model.service_level_saving(t),
        )
        for part, value in parts.items():
            m[f"saving_{part}"] = value
    # the firm's own investment and income loss (a region's other firms have theirs)
    m["community_investment_cumulative"] = model.community_invested[0] + model.community_invested[1]
    local_income = ec.e0 * s.local_economy.average_wage_month
    own = model.contribution
    assert own is not None
    m["local_income_change"] = (own.home - own.income_lost) / local_income
