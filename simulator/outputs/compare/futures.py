"""A comparison in drawn futures (``outsim compare --uncertainty``): each plan's effect
against its status quo with the assumptions uncertain too, how much of its spread is
knowledge, and how often each plan beats the reference, draw by draw."""

from __future__ import annotations

from typing import Any

import pandas as pd
from markupsafe import Markup, escape

from simulator.analysis.knowledge import DRAWN, NestedPlans
from simulator.analysis.kpis import HEADLINE_LABELS, KPI_BY_NAME
from simulator.outputs.formatting import change, percent, span


def sentences(nested: NestedPlans) -> list[str]:
    """Plain words: each plan against the reference on each headline KPI, and in how many
    drawn futures it does better."""
    reference = nested.reference_label
    return [
        f"{r['plan']} against {reference}, {r['kpi']}: {r['diff']} on average "
        f"({r['diff_range']} over single runs); better in {r['wins']} drawn futures"
        for r in future_rows(nested)
    ]


def future_rows(nested: NestedPlans) -> list[dict[str, str]]:
    """The rows of the plans other than the reference, as text, with ``wins``: ``7 of 10``."""
    reference = nested.labels[nested.reference]
    draws = nested.effects.shape[0]
    rows = []
    for r in nested.table().to_dict("records"):
        if r["plan"] == reference or pd.isna(r["diff_mean"]):
            continue
        share = r["diff_better_share"]
        wins = "n/a" if pd.isna(share) else f"{round(share * draws)} of {draws}"
        rows.append(_row(r, reference) | {"wins": wins})
    return rows


def _row(r: dict[str, Any], reference: str) -> dict[str, str]:
    unit = KPI_BY_NAME[r["kpi"]].unit
    is_reference = r["plan"] == reference
    return {
        "plan": str(r["plan"]),
        "kpi": HEADLINE_LABELS.get(r["kpi"], r["kpi"]),
        "effect": change(r["effect_mean"], unit),
        "range": span(r["effect_p05"], r["effect_p95"], unit, signed=True),
        "knowledge": percent(r["effect_knowledge_share"]),
        "diff": "reference" if is_reference else change(r["diff_mean"], unit),
        "diff_range": "" if is_reference else span(r["diff_p05"], r["diff_p95"], unit, signed=True),
        "better": "" if is_reference else percent(r["diff_better_share"]),
    }


def futures_html(nested: NestedPlans) -> Markup:
    """The section's table and sentences, escaped."""
    reference = nested.labels[nested.reference]
    draws, reps = nested.effects.shape[:2]
    head = (
        "<tr><th>Plan</th><th>KPI</th><th>Effect vs its status quo (mean)</th>"
        "<th>90% of runs</th><th>Knowledge share</th><th>Minus the reference</th>"
        "<th>90% of runs</th><th>Better in (share of futures)</th></tr>"
    )
    cells = [head]
    for r in nested.table().to_dict("records"):
        row = _row(r, reference)
        cells.append(
            f'<tr data-plan="{escape(row["plan"])}" data-kpi="{escape(r["kpi"])}">'
            + "".join(
                f"<td{' class=num' if k not in ('plan', 'kpi') else ''}>{escape(v)}</td>"
                for k, v in row.items()
            )
            + "</tr>"
        )
    words = "".join(f"<li>{escape(t)}</li>" for t in sentences(nested))
    intro = (
        f"<p>Every plan in the same {draws} futures, each with {DRAWN[nested.mode]}, "
        f"and {reps} runs per future on seeds shared by the plans: the range below holds "
        "luck and knowledge together, the knowledge share is the part of its variance the "
        "assumptions make (law of total variance), and “better in” counts the futures in "
        "which the plan's mean beats the reference's.</p>"
    )
    return Markup(
        intro
        + (f'<ul id="futures-sentences">{words}</ul>' if words else "")
        + f'<table id="futures-table">{"".join(cells)}</table>'
    )
