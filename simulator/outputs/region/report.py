"""A region's results folder: ``region_timeseries.csv`` (the region's monthly series per
replication), ``firms.csv`` (every firm's KPIs per replication), ``firms_alone.csv`` (each
firm alone in the same market, on the same seeds), ``summary.json`` with the bottom line
in words first, and ``region.html``, the regional brief."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from simulator.analysis.region import RegionResults
from simulator.outputs.folders import output_folder
from simulator.outputs.formatting import in_currency, number, percent
from simulator.outputs.region.page import write_region_page
from simulator.outputs.region.spreadsheet import write_region_workbook
from simulator.outputs.workbooks import write_csv


def bottom_line(summary: dict[str, Any]) -> str:
    """The region's answer in a few plain sentences (money in the region's currency)."""
    with in_currency(summary.get("currency", "USD")):
        return _bottom_line(summary)


def _bottom_line(summary: dict[str, Any]) -> str:
    s = summary
    firms = len(s["firms"])
    text = (
        f"The {firms} firm{'s' * (firms != 1)}' plans displace about "
        f"{s['displaced']['mean']:,.0f} workers and move up to "
        f"{s['direct_jobs_lost_peak']['mean']:,.0f} customer-service jobs out of the region; "
        f"through the local multiplier about {s['multiplier_jobs_lost_peak']['mean']:,.0f} "
        f"more local jobs go at the peak. Unemployment peaks "
        f"{s['unemployment_peak_change_pp']['mean']:.2f} points above its baseline. Within a "
        f"year {percent(s['reemployed_share_12m']['mean'])} of the displaced are back at work"
        + (
            f"; in their first year they earn {percent(s['earnings_first_year']['mean'])} of "
            "their old pay."
            if s.get("earnings_first_year", {}).get("mean") is not None
            else "."
        )
        + f" The public pays {number(s['public_ui_cost']['mean'], 'USD')} in unemployment "
        f"insurance"
        + (
            f" and {number(s['public_programme_cost']['mean'], 'USD')} for its programmes"
            if (s["public_programme_cost"]["mean"] or 0) > 0
            else ""
        )
        + f", and loses {number(s['tax_revenue_lost']['mean'], 'USD')} in taxes."
    )
    crowding = {
        name: f["crowding_reemployed_share_12m"]
        for name, f in s["by_firm"].items()
        if "crowding_reemployed_share_12m" in f
        and f["crowding_reemployed_share_12m"]["mean"] is not None
    }
    if crowding and firms > 1:
        name, c = min(crowding.items(), key=lambda kv: kv[1]["mean"])
        low, high = c["ci95_low"], c["ci95_high"]
        clear = low is not None and high is not None and (high < 0 or low > 0)
        if clear:
            change = f"{100 * abs(c['mean']):.1f} points {'less' if c['mean'] < 0 else 'more'}"
            text += (
                f" Moving together costs most at {name}: its displaced are back at work "
                f"within a year {change} often than had it moved alone."
            )
        else:
            text += (
                " Moving together makes no clear difference to how soon any firm's displaced "
                f"are back at work (the largest gap, at {name}: {100 * c['mean']:+.1f} points, "
                "is within run-to-run luck)."
            )
    return text


def save_region(results: RegionResults, target: Path, version: str) -> Path:
    """Write the region folder atomically and return its path (``outputs.folders``)."""
    summary = {"bottom_line": bottom_line(results.summary), **results.summary}
    manifest = {
        "version": version,
        "replications": len(results.seeds),
        "seeds": results.seeds,
        "region": results.region.simulation.name,
    }
    with output_folder(target, "region", manifest) as tmp:
        write_csv(results.series, tmp / "region_timeseries.csv")
        write_csv(results.firms, tmp / "firms.csv")
        if results.alone is not None:
            write_csv(results.alone, tmp / "firms_alone.csv")
        (tmp / "summary.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
        write_region_page(results, summary["bottom_line"], tmp, version)
        write_region_workbook(results, summary["bottom_line"], tmp / "region.xlsx")
    return Path(target)
