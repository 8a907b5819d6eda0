"""The plan brief: the bottom line of a results folder in plain words, then the safeguards.

Built from summary.json alone (the plan's KPIs, its paired effects against its own status
quo, the safeguards' costs and gains), so ``outsim report`` rebuilds it without rerunning.
"""

from __future__ import annotations

import math
from typing import Any

from simulator.analysis.knowledge import DRAWN
from simulator.outputs.formatting import amount, change, number, percent, span
from simulator.scenario.schema import Scenario
from simulator.scenario.status_quo import is_status_quo


def _mean(block: dict[str, Any] | None, name: str) -> float | None:
    entry = (block or {}).get(name) or {}
    return entry.get("mean")


def _direction(value: float, up: str, down: str) -> str:
    return up if value >= 0 else down


Z95 = 1.959964  # the 95% interval's half-width in standard errors (normal approximation)


def replications_needed(effect: dict[str, Any]) -> int | None:
    """Replications at which the 95% interval of a paired mean effect would exclude zero,
    if its mean and spread stay as measured (None: no spread, or no effect to find)."""
    mean, sd, n = effect.get("mean"), effect.get("sd"), effect.get("n") or 0
    if mean is None or sd is None or mean == 0 or sd == 0:
        return None
    return max(n + 1, math.ceil((Z95 * sd / abs(mean)) ** 2))


def direction_of(effect: dict[str, Any]) -> str | None:
    """ "up" or "down" where the 95% interval of a paired effect excludes zero, else None."""
    low, high = effect.get("ci95_low"), effect.get("ci95_high")
    if low is not None and low > 0:
        return "up"
    if high is not None and high < 0:
        return "down"
    return None


def headline(summary: dict[str, Any], scenario: Scenario) -> str:
    years = scenario.simulation.horizon_months / 12
    period = (
        f"Over {years:g} years"
        if years >= 1
        else f"Over {scenario.simulation.horizon_months} months"
    )
    if is_status_quo(scenario):
        return (
            f"{period} nothing is outsourced: this is the status quo, the baseline every plan "
            "is measured against."
        )
    effects = summary.get("effects")
    npv = (effects or {}).get("npv_net_savings") or summary["kpis"]["npv_net_savings"]
    n = npv.get("n") or 0
    interval = span(npv.get("ci95_low"), npv.get("ci95_high"), "USD", True)
    luck = (
        f"95% interval {interval} over {n} replications: run-to-run luck, with every "
        "assumption held at its value"
    )
    against = "against the status quo simulated on the same draws"
    direction = direction_of(npv)
    if direction is None:
        needed = replications_needed(npv)
        more = (
            f"; about {needed} replications would tell it from zero if it stays this size"
            if needed is not None
            else ""
        )
        return (
            f"{period} it is unclear whether this plan saves money {against}: "
            f"{change(npv.get('mean'), 'USD')} on average ({luck}){more}."
        )
    verb = "saves" if direction == "up" else "costs"
    extra = "" if direction == "up" else " more than it saves"
    return f"{period} this plan {verb} {number(abs(npv['mean']), 'USD')}{extra} {against} ({luck})."


def money(summary: dict[str, Any]) -> dict[str, str] | None:
    """Revenue against the status quo and the month the plan pays back."""
    k, eff = summary["kpis"], summary.get("effects") or {}
    text = []
    revenue = eff.get("revenue_change_final") or {}
    if revenue.get("mean") is not None:
        move = direction_of(revenue)
        size = amount(revenue["mean"], "share")
        if move is None:
            side = "above" if revenue["mean"] >= 0 else "below"
            text.append(
                f"Revenue ends within luck of the status quo's ({size} of starting revenue "
                f"{side} it)"
            )
        else:
            word = "above" if move == "up" else "below"
            text.append(f"Revenue ends {size} of starting revenue {word} the status quo's")
    payback = k.get("payback_month") or {}
    runs = summary.get("replications") or 0
    paid = payback.get("n") or 0
    if payback.get("mean") is not None and paid:
        when = f"it pays back by month {payback['mean']:.0f} on average"
        text.append(when if paid >= runs else f"{when} in the {paid} of {runs} runs that do")
    elif runs:
        text.append("it does not pay back within the horizon in any run")
    if not text:
        return None
    sentence = "; ".join(text)
    return {"topic": "Money", "text": sentence[0].upper() + sentence[1:] + "."}


def points(summary: dict[str, Any], scenario: Scenario) -> list[dict[str, str]]:
    """The bottom line's sentences: people, customers, data, vendor staff, risk."""
    k, eff, sq = summary["kpis"], summary.get("effects"), summary.get("status_quo")
    out = []
    displaced = _mean(k, "displaced_workers") or 0.0
    if displaced >= 0.5:
        people = f"It displaces {displaced:.0f} people"
        back, gone = _mean(k, "reemployed_share_24m"), _mean(k, "left_labour_force_share_24m")
        if back is not None:
            people += f"; two years on {percent(back)} are back at work"
            part = _mean(k, "part_time_share_24m")
            if part is not None:
                people += f" ({percent(part)} of them part-time)"
            if gone is not None:
                people += (
                    f", {percent(gone)} have left the labour force and "
                    f"{percent(max(0.0, 1.0 - back - gone))} are looking for work or training"
                )
        earn = _mean(k, "earnings_first_year")
        if earn is not None:
            people += (
                f". In their first year, those aged 25-54 who stay in the labour force earn "
                f"{earn:.2f} of what their old job would have paid (the jobless at zero; the "
                "measure the validation checks against Couch & Placzek 2010)"
            )
        peak = _mean(k, "local_unemployment_peak_change_pp")
        if peak is not None:
            higher = "higher" if peak >= 0 else "lower"
            people += (
                f". Local unemployment peaks {amount(peak, 'percentage points')} {higher} than "
                "before."
            )
        else:
            people += "."
        out.append({"topic": "People", "text": people})
    else:
        out.append({"topic": "People", "text": "Nobody is laid off."})
    if not is_status_quo(scenario):
        paid = money(summary)
        if paid is not None:
            out.append(paid)
    if is_status_quo(scenario):
        csat, churn = _mean(k, "csat_mean"), _mean(k, "customer_churn_annual")
        breach = _mean(k, "breach_probability_annual")
        text = [
            f"Customer satisfaction averages {number(csat, '0-100')}" if csat is not None else "",
            f"{percent(churn)} of customers leave each year" if churn is not None else "",
            f"the chance of a material data breach is {percent(breach)} a year"
            if breach is not None
            else "",
        ]
        sentence = "; ".join(t for t in text if t)
        if sentence:
            out.append({"topic": "Customers and data", "text": sentence + "."})
    elif eff:
        csat, churn = _mean(eff, "csat_mean"), _mean(eff, "customer_churn_annual")
        base_breach = _mean(sq, "breach_probability_annual")
        plan_breach = _mean(k, "breach_probability_annual")
        text = []
        if csat is not None:
            text.append(
                f"Customer satisfaction {_direction(csat, 'rises', 'falls')} "
                f"{amount(csat, '0-100')}"
            )
        if churn is not None:
            text.append(
                f"churn {_direction(churn, 'rises', 'falls')} {amount(churn, 'share')} a year"
            )
        base_complaints = _mean(sq, "complaints_per_100k_quarter")
        plan_complaints = _mean(k, "complaints_per_100k_quarter")
        if base_complaints and plan_complaints is not None:
            moves = _direction(plan_complaints - base_complaints, "rise", "fall")
            text.append(
                f"complaints to the regulator {moves} from {base_complaints:.0f} to "
                f"{plan_complaints:.0f} per 100,000 customers a quarter"
            )
        if base_breach is not None and plan_breach is not None:
            moves = _direction(plan_breach - base_breach, "rises", "falls")
            text.append(
                f"the chance of a material data breach {moves} from "
                f"{percent(base_breach)} to {percent(plan_breach)} a year"
            )
        if text:
            sentence = "; ".join(text)
            out.append(
                {"topic": "Customers and data", "text": sentence[0].upper() + sentence[1:] + "."}
            )
    attrition = _mean(k, "vendor_attrition_annual")
    if attrition is not None:
        fair = _mean(k, "vendor_share_paid_fair")
        norm = scenario.workforce.attrition_annual
        staff = (
            f"{percent(attrition)} of vendor staff leave each year (in-house norm {percent(norm)})"
        )
        if fair is not None:
            staff += f"; {percent(fair)} are paid at or above the local standard"
        out.append({"topic": "Vendor staff", "text": staff + "."})
    out.extend(risk(summary, scenario))
    sure = how_sure(summary)
    if sure is not None:
        out.append(sure)
    return out


def how_sure(summary: dict[str, Any]) -> dict[str, str] | None:
    """The range of the NPV with the assumptions uncertain too, and how much of its
    variance is knowledge (``analysis/knowledge.py``), or why it was not measured."""
    block = summary.get("uncertainty")
    if not block:
        return None
    if "skipped" in block:
        return {
            "topic": "How sure",
            "text": f"Luck and knowledge were not split: {block['skipped']}.",
        }
    npv = block["kpis"]["npv_net_savings"]
    if npv.get("mean") is None:
        return None
    share = npv.get("knowledge_share")
    part = (
        f"what we do not know (the assumptions) makes up {percent(share)} of its variance, "
        "run-to-run luck the rest"
        if share is not None
        else "its variance could not be split"
    )
    text = (
        f"With {DRAWN.get(block.get('mode', 'ranges'), DRAWN['ranges'])} as well "
        f"({block['uncertainties']} assumptions, {block['draws']} draws × "
        f"{block['replications']} runs), the NPV "
        f"against the status quo ranges from {span(npv['p05'], npv['p95'], 'USD', signed=True)} "
        f"(5th to 95th percentile of single runs; mean {change(npv['mean'], 'USD')}); {part}"
    )
    back = block["kpis"].get("reemployed_share_24m") or {}
    if back.get("mean") is not None and back.get("knowledge_share") is not None:
        share = back["knowledge_share"]
        part = (
            f"{percent(share)} of its variance knowledge"
            if share >= 0.05
            else f"the assumptions adding too little to tell from luck at {block['draws']} draws"
        )
        text += (
            f". Re-employment at 24 months ranges from {percent(back['p05'])} to "
            f"{percent(back['p95'])}, {part}"
        )
    return {"topic": "How sure", "text": text + "."}


TAIL_RUNS = 20  # fewer replications than this say little about a 5% tail


def risk(summary: dict[str, Any], scenario: Scenario) -> list[dict[str, str]]:
    """Realised breaches around their expected cost: the extra loss over the status quo in
    the worst 5% of runs (paired), with a caveat when few runs inform that tail."""
    k, eff = summary["kpis"], summary.get("effects") or {}
    breaches = _mean(k, "breaches")
    extra = eff.get("breach_cost_realised") or {}
    own = k.get("breach_cost_realised") or {}
    runs = summary.get("replications") or 0
    if breaches is None:
        return []
    if extra.get("p95") is not None and not is_status_quo(scenario):
        text = (
            f"Realised breaches vary around their expected cost: {breaches:.2f} breaches per "
            f"run on average; in the worst 5% of runs the plan loses "
            f"{number(max(extra['p95'], 0.0), 'USD')} or more to them beyond what the status "
            "quo loses on the same draws"
        )
    elif own.get("p95") is not None:
        text = (
            f"Realised breaches vary around their expected cost: {breaches:.2f} breaches per "
            f"run on average, and the worst 5% of runs lose {number(own['p95'], 'USD')} or "
            "more to them"
        )
    else:
        return []
    if runs < TAIL_RUNS:
        text += f" (only {runs} runs inform this tail: treat it as a rough guide)"
    return [{"topic": "Risk", "text": text + "."}]


# per safeguard outcome: what it is called, what one unit of it is called, and that unit's
# size in the KPI's own units
OUTCOMES = {
    "trust_final": ("customer trust at the end", "per 0.01 of customer trust gained", 0.01),
    "in_work_count_12m": (
        "displaced workers in work a year after the cut",
        "per additional worker in work a year after the cut",
        1.0,
    ),
    "in_work_count_24m": (
        "displaced workers in work two years after the cut",
        "per additional worker in work two years after the cut",
        1.0,
    ),
    "breach_probability_annual": (
        "chance of a material breach a year",
        "per point of annual breach chance avoided",
        0.01,
    ),
    "vendor_attrition_annual": (
        "vendor staff turnover a year",
        "per point of vendor turnover avoided",
        0.01,
    ),
    "customer_churn_annual": (
        "customer churn a year",
        "per point of annual churn avoided",
        0.01,
    ),
}


def safeguards(summary: dict[str, Any]) -> list[dict[str, str]]:
    """One row per lever group: in the plan or added, what it costs, what it buys, the
    verdict."""
    rows = []
    for s in summary.get("safeguards") or []:
        npv, gain, unit = s["npv_effect"], s["outcome_effect"], s["outcome_unit"]
        npv_low, npv_high = s["npv_effect_ci95"]
        name, words, size = OUTCOMES.get(
            s["outcome"], (s["outcome"], f"per unit of {s['outcome']}", 1.0)
        )
        if npv is not None and npv_low is not None and npv_low > 0:
            verdict = "pays for itself"
        elif npv is not None and npv >= 0:
            verdict = "may pay for itself: its effect on the NPV is within luck of zero"
        elif gain is None:
            verdict = "its outcome is undefined in one of the two runs" + (
                " (nobody's job is cut)" if s["outcome"].startswith("in_work") else ""
            )
        elif s.get("cost_per_unit") is not None:
            verdict = f"{number(s['cost_per_unit'] * size, 'USD')} {words}"
        else:
            verdict = "costs money without a measurable gain in this outcome"
        in_plan = s.get("in_plan", True)
        rows.append(
            {
                "group": s["group"],
                "title": s["title"],
                "in_plan": "in the plan" if in_plan else f"added: {s.get('package')}",
                "npv": change(npv, "USD"),
                "npv_range": span(npv_low, npv_high, "USD", True),
                "outcome": name,
                "gain": change(gain, unit if unit != "index 0-1" else "ratio"),
                "verdict": verdict if in_plan else f"adding it: {verdict}",
            }
        )
    return rows
