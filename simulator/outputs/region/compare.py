"""A comparison of regions — a region and its variants, such as regional policies — on the
same seeds (``outsim region-compare``): ``runs.csv`` (every run's regional figures),
``differences.csv`` (each variant minus the reference, with its 95% interval) and
``summary.json`` (the bottom line first)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from simulator.analysis.region import REGION_KPIS, RegionComparison
from simulator.outputs.folders import output_folder
from simulator.outputs.formatting import change, in_currency, span
from simulator.outputs.region import written_unit
from simulator.outputs.workbooks import write_csv

# the figures the bottom line speaks of, in its order
SPOKEN = (
    "reemployed_share_12m",
    "earnings_first_year",
    "unemployment_peak_change_pp",
    "public_ui_cost",
    "public_programme_cost",
    "tax_revenue_lost",
)


def unit_of(kpi: str) -> str:
    """The unit the reports write a regional figure in."""
    return written_unit(REGION_KPIS[kpi][0])


def _said(kpi: str, entry: dict[str, float | None]) -> str:
    mean, low, high = entry["mean"], entry["ci95_low"], entry["ci95_high"]
    unit = unit_of(kpi)
    what = REGION_KPIS[kpi][1][0].lower() + REGION_KPIS[kpi][1][1:]
    if mean is None:
        return f"{what}: n/a"
    clear = low is not None and high is not None and (low > 0 or high < 0)
    text = f"{what} {change(mean, unit)}"
    if low is not None and high is not None:
        text += f" ({span(low, high, unit, True)}{'' if clear else ', within luck'})"
    return text


def comparison_bottom_line(c: RegionComparison) -> str:
    """Each variant against the reference, in plain words (money in the region's currency)."""
    with in_currency(c.currency):
        parts = []
        for name, diffs in c.differences.items():
            said = "; ".join(_said(k, diffs[k]) for k in SPOKEN)
            parts.append(f"Against {c.names[0]}, {name}: {said}.")
        return " ".join(parts)


def differences_table(c: RegionComparison) -> pd.DataFrame:
    rows: list[dict[str, Any]] = []
    for name, diffs in c.differences.items():
        for kpi, entry in diffs.items():
            rows.append(
                {"variant": name, "reference": c.names[0], "figure": kpi}
                | {"unit": REGION_KPIS[kpi][0]}
                | entry
            )
    return pd.DataFrame(rows)


def save_region_comparison(c: RegionComparison, target: Path, version: str) -> Path:
    """Write the comparison folder atomically and return its path."""
    summary = {
        "bottom_line": comparison_bottom_line(c),
        "reference": c.names[0],
        "variants": c.names[1:],
        "replications": len(c.seeds),
        "currency": c.currency,
        "differences": c.differences,
    }
    manifest = {"version": version, "seeds": c.seeds, "regions": c.names}
    with output_folder(target, "region comparison", manifest) as tmp:
        write_csv(c.runs, tmp / "runs.csv")
        write_csv(differences_table(c), tmp / "differences.csv")
        (tmp / "summary.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    return Path(target)
