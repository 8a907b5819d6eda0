"""``region.html``: the regional brief — the bottom line, the headline figures, each firm's
displaced workers (in the region and had the firm moved alone) and the region over time."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # files only, never a display
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from simulator.analysis.region import RegionResults  # noqa: E402
from simulator.outputs.figures.style import BAND_ALPHA, BLUE, GREEN, VERMILLION, style  # noqa: E402
from simulator.outputs.formatting import change, in_currency, is_percent, number, span  # noqa: E402
from simulator.outputs.pages import css, embed_image, template  # noqa: E402


def _band(
    ax: Any, series: pd.DataFrame, column: str, colour: str, label: str, scale: float
) -> None:
    by_month = series.groupby("month")[column]
    mean, low, high = (by_month.mean(), by_month.quantile(0.05), by_month.quantile(0.95))
    ax.plot(mean.index, scale * mean, color=colour, label=label)
    ax.fill_between(mean.index, scale * low, scale * high, color=colour, alpha=BAND_ALPHA)


def region_chart(series: pd.DataFrame, path: Path, baseline: float) -> Path:
    """Two panels over months: the region's unemployment rate, and the displaced jobless and
    back at work (mean and 5th-95th percentile of replications)."""
    with plt.rc_context(style()):
        fig, (top, bottom) = plt.subplots(2, 1, sharex=True, layout="constrained")
        _band(top, series, "unemployment_rate", VERMILLION, "unemployment rate", 100)
        top.axhline(100 * baseline, color="grey", linestyle=":", label="baseline")
        top.set_ylabel("percent of the labour force")
        top.set_title("The region's unemployment")
        top.legend(loc="upper right")
        _band(bottom, series, "displaced_jobless", VERMILLION, "displaced, jobless", 1)
        _band(bottom, series, "displaced_reemployed", GREEN, "displaced, back at work", 1)
        _band(bottom, series, "local_jobs_lost", BLUE, "local jobs lost (multiplier)", 1)
        bottom.set_ylabel("persons / jobs")
        bottom.set_xlabel("month")
        bottom.set_title("Every firm's displaced workers, and the jobs the multiplier takes")
        bottom.legend(loc="upper left")
        fig.savefig(path)
        plt.close(fig)
    return path


def _value(entry: dict[str, Any], unit: str, signed: bool = False) -> str:
    """A figure and its 95% interval as the reports write them (``outputs/formatting``)."""
    mean, low, high = entry["mean"], entry["ci95_low"], entry["ci95_high"]
    write = change if signed else number
    if mean is None or low is None or high is None or np.isclose(low, high):
        return write(mean, unit)
    if is_percent(unit):  # a share's interval stays a share
        low, high = max(low, 0.0), min(high, 1.0)
    return f"{write(mean, unit)} ({span(low, high, unit, signed)})"


def render_region(results: RegionResults, bottom_line: str, image: Path, version: str) -> str:
    s = results.summary
    headline = [
        ("Workers displaced", _value(s["displaced"], "persons")),
        ("Customer-service jobs moved out (peak)", _value(s["direct_jobs_lost_peak"], "jobs")),
        (
            "Local jobs lost through the multiplier (peak)",
            _value(s["multiplier_jobs_lost_peak"], "jobs"),
        ),
        (
            "Peak unemployment above baseline",
            _value(s["unemployment_peak_change_pp"], "percentage points", True),
        ),
        ("Displaced back at work within a year", _value(s["reemployed_share_12m"], "share")),
        (
            "Their first year's earnings (of the old pay)",
            _value(s["earnings_first_year"], "share"),
        ),
        ("Unemployment insurance paid (public)", _value(s["public_ui_cost"], "USD")),
        (
            "Rapid response and wage insurance (public)",
            _value(s["public_programme_cost"], "USD"),
        ),
        ("Tax revenue lost (public)", _value(s["tax_revenue_lost"], "USD")),
    ]
    firms = [
        {
            "name": name,
            "displaced": _value(f["displaced_workers"], "persons"),
            "back": _value(f["reemployed_share_12m"], "share"),
            "alone": _value(f["alone_reemployed_share_12m"], "share")
            if "alone_reemployed_share_12m" in f
            else "",
            "earnings": _value(f["earnings_first_year"], "share"),
        }
        for name, f in s["by_firm"].items()
    ]
    return template("region.html.j2").render(
        css=css(),
        name=results.region.simulation.name,
        description=results.region.simulation.description,
        bottom_line=bottom_line,
        headline=headline,
        firms=firms,
        alone=results.alone is not None,
        chart=embed_image(image),
        replications=len(results.seeds),
        labour_force=f"{results.region.local_economy.labour_force:,}",
        version=version,
        finished=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    )


def write_region_page(results: RegionResults, bottom_line: str, folder: Path, version: str) -> Path:
    """``region.html`` in ``folder`` (the chart embedded; nothing else left behind)."""
    with tempfile.TemporaryDirectory() as tmp:
        image = region_chart(
            results.series,
            Path(tmp) / "region.png",
            results.region.local_economy.baseline_unemployment_rate,
        )
        with in_currency(results.region.currency):
            html = render_region(results, bottom_line, image, version)
    path = folder / "region.html"
    path.write_text(html, encoding="utf-8")
    return path
