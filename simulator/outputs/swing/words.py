"""A swing analysis in words: the uncertainties that move the answer most, and the values at
which the plan stops (or starts) paying."""

from __future__ import annotations

from typing import Any

from simulator.analysis.kpis import KPI_BY_NAME
from simulator.outputs.formatting import change, span


def _value(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 1e4 else f"{value:.4g}"


def named(path: str, description: str) -> str:
    """How a sentence names an uncertainty: its description, or for a vendor field the
    field across every vendor."""
    text = description.rstrip(". ").split(";")[0]
    if not text or len(text) > 50 or "=" in text:  # long or technical: the field's name
        text = path.rsplit(".", 1)[-1].replace("_", " ")
    text = text[0].lower() + text[1:]
    if path.startswith("vendors.*."):
        return "every vendor's " + text.removeprefix("vendor's ").removeprefix("vendor ")
    return text


def where(item: dict[str, Any]) -> str:
    """``(assumed 3, plausible 1.5–5)``; vendor fields as factors on each vendor's value."""
    if str(item["uncertainty"]).startswith("vendors.*."):
        return (
            f"(as a factor on each vendor's assumed value; plausible ×{_value(item['low'])}–"
            f"×{_value(item['high'])})"
        )
    return (
        f"(assumed {_value(item['default'])}, plausible {_value(item['low'])}–"
        f"{_value(item['high'])})"
    )


def top_sentence(rows: list[dict[str, Any]], kpi: str = "npv_net_savings", n: int = 3) -> str:
    """``What could change the NPV most, one assumption at a time: A (assumed …, plausible
    …): −$1.2M to +$0.8M from its low to its high end; B …`` (``rows``: a swing summary's
    rows, ranked)."""
    chosen = [r for r in rows if r["kpi"] == kpi][:n]
    if not chosen:
        return "No uncertainty was swung."
    unit = KPI_BY_NAME[kpi].unit
    parts = [
        f"{named(r['uncertainty'], r['description'])} {where(r)}: "
        f"{span(r['effect_low'], r['effect_high'], unit, signed=True)} from its low to its "
        "high end"
        for r in chosen
    ]
    return (
        "What could change the plan's NPV against the status quo most, one assumption at a "
        "time: " + "; ".join(parts) + "."
    )


def sentences(swing: dict[str, Any]) -> list[str]:
    """A swing summary (``Swing.summary``) in words: the top three, then the switching
    values."""
    at = swing["npv_at_default"]
    npv = (at["mean"], at["ci95_low"], at["ci95_high"])
    return [top_sentence(swing["rows"]), *switching_sentences(swing["switching"], npv)]


def switching_sentence(crossing: dict[str, Any], default_npv: float) -> str:
    """``The plan stops paying if every vendor's price per agent hour exceeds ×1.05 of its
    assumed value (95% interval ×1.03 to ×1.07; …)``."""
    thing = named(crossing["uncertainty"], crossing["description"])
    vendor = str(crossing["uncertainty"]).startswith("vendors.*.")
    value = ("×" if vendor else "") + _value(crossing["value"])
    above = crossing["pays_above"]
    if default_npv >= 0:
        verb, side = "stops paying", "falls below" if above else "exceeds"
    else:
        verb, side = "starts paying", "exceeds" if above else "falls below"
    interval = ""
    if crossing.get("ci95_low") is not None and crossing.get("ci95_high") is not None:
        mark = "×" if vendor else ""
        interval = (
            f"; 95% interval {mark}{_value(crossing['ci95_low'])} to "
            f"{mark}{_value(crossing['ci95_high'])}"
        )
    how = (
        "found by root-finding on paired runs"
        if crossing["method"] == "root-finding"
        else "read off the runs at the two ends and the default by straight lines"
    )
    return (
        f"The plan {verb} (its NPV against the status quo crosses zero) if {thing} {side} "
        f"{value} {where(crossing)[:-1]}{interval}; {how})."
    )


def switching_sentences(
    crossings: list[dict[str, Any]],
    npv: tuple[float, float, float],
    shown: int = 3,
) -> list[str]:
    """The switching values of the uncertainties that move the NPV most (at most
    ``shown``), after a warning when the NPV at the values assumed (``npv``: mean, 95%
    interval) cannot be told from zero, so that any assumption could flip its sign."""
    if not crossings:
        return [
            "No uncertainty flips the sign of the plan's NPV against the status quo within "
            "its plausible range, one at a time."
        ]
    mean, low, high = npv
    out = []
    if low <= 0 <= high and low < high:
        out.append(
            f"At the values assumed the NPV against the status quo ({change(mean, 'USD')}, "
            f"95% interval {span(low, high, 'USD', signed=True)}) cannot be told from zero, "
            f"so {len(crossings)} of the uncertainties swung can flip its sign; the "
            f"{min(shown, len(crossings))} that move it most:"
        )
    return out + [switching_sentence(c, mean) for c in crossings[:shown]]
