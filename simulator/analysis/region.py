"""Running a region (``model/region.py``) over replications, and what a region's reader
asks first: how many jobs went, directly and through the multiplier, how far unemployment
rose, and how the displaced of each firm fared — in the region, and had the firm moved
alone (the same firm, seed and labour market without the other firms)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from simulator.analysis.kpis import compute_kpis
from simulator.analysis.replications import child_seeds
from simulator.analysis.statistics import mean_interval
from simulator.model.region import RegionModel
from simulator.scenario.region import Region, region_from_scenarios

# KPIs kept per firm (the regional brief's and firms.csv's columns)
FIRM_KPIS = (
    "displaced_workers",
    "reemployed_share_12m",
    "reemployed_share_24m",
    "median_unemployment_months",
    "earnings_first_year",
    "npv_net_savings",
)


# a region run's headline figures: name -> (unit, meaning); each defined once (region_kpis)
REGION_KPIS: dict[str, tuple[str, str]] = {
    "direct_jobs_lost_peak": ("jobs", "Customer-service jobs moved out of the region, at most"),
    "multiplier_jobs_lost_peak": ("jobs", "Local jobs lost through the multiplier, at most"),
    "displaced": ("persons", "Workers laid off, every firm"),
    "unemployment_peak_change_pp": (
        "percentage points",
        "The region's highest unemployment rate over its baseline",
    ),
    "reemployed_share_12m": (
        "share",
        "Share of every firm's displaced back at work within a year of displacement",
    ),
    "earnings_first_year": (
        "share",
        "The displaced's earnings in their first year after displacement, over their old pay",
    ),
    "public_ui_cost": ("money", "Unemployment insurance paid to the displaced, every month"),
    "public_programme_cost": (
        "money",
        "Rapid response and wage insurance paid by the public (the region's policies)",
    ),
    "tax_revenue_lost": (
        "money",
        "Taxes and contributions lost on the pay of the displaced and of other local job losers",
    ),
}


def region_kpis(
    series: pd.DataFrame, firms: pd.DataFrame, baseline_rate: float
) -> dict[str, float]:
    """One run's ``REGION_KPIS`` from its monthly series (``REGION_METRICS``) and its firms'
    rows (``FIRM_KPIS``), the region's baseline unemployment rate given."""
    return {
        "direct_jobs_lost_peak": float(series["tradable_jobs_lost"].max()),
        "multiplier_jobs_lost_peak": float(series["local_jobs_lost"].max()),
        "displaced": float(series["displaced"].max()),
        "unemployment_peak_change_pp": float(
            100 * (series["unemployment_rate"].max() - baseline_rate)
        ),
        "reemployed_share_12m": _reemployed(firms),
        "earnings_first_year": _weighted(firms, "earnings_first_year"),
        "public_ui_cost": float(series["ui_paid"].sum()),
        "public_programme_cost": float(
            series["rapid_response_paid"].sum() + series["wage_insurance_paid"].sum()
        ),
        "tax_revenue_lost": float(series["tax_revenue_lost"].sum()),
    }


@dataclass
class RegionResults:
    """A region's replications: its monthly series, every firm's KPIs, and (``alone``)
    every firm's KPIs had it been the region's only firm."""

    region: Region
    seeds: list[int]
    series: pd.DataFrame  # replication, month, REGION_METRICS
    firms: pd.DataFrame  # replication, firm, FIRM_KPIS
    alone: pd.DataFrame | None = None  # the same, each firm alone in the market
    summary: dict[str, Any] = field(default_factory=dict)


def replication_seeds(root: int, n: int) -> list[int]:
    """One region seed per replication: the replications' child seeds (``child_seeds``), as
    integers (a region seeds each firm from it by name)."""
    return [int(s.generate_state(1)[0]) for s in child_seeds(root, n)]


def firm_rows(model: RegionModel, replication: int) -> list[dict[str, Any]]:
    """Every firm's ``FIRM_KPIS`` in a finished region run, one row each."""
    rows = []
    for f in model.firms:
        ts = f.datacollector.get_model_vars_dataframe().reset_index(drop=True)
        kpis = compute_kpis(f, ts)
        rows.append(
            {"replication": replication, "firm": f.scenario.simulation.name}
            | {k: kpis[k] for k in FIRM_KPIS}
        )
    return rows


def run_once(region: Region, seed: int, replication: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One run of ``region`` on the region seed ``seed``: its monthly series
    (``REGION_METRICS``) and its firms' rows (``FIRM_KPIS``, labelled ``replication``); the
    model is freed."""
    model = RegionModel(region, seed=seed).run()
    series = model.datacollector.get_model_vars_dataframe().reset_index(drop=True)
    firms = pd.DataFrame(firm_rows(model, replication))
    model.release()
    return series, firms


def run_region(
    region: Region,
    replications: int | None = None,
    seed: int | None = None,
    alone: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> RegionResults:
    """``replications`` of ``region`` (default: its own), each on its own region seed; with
    ``alone`` also every firm alone in the same labour market on the same seed."""
    n = replications or region.simulation.replications
    seeds = replication_seeds(region.simulation.seed if seed is None else seed, n)
    singles = [  # each firm alone, with the region's programmes for its displaced
        region_from_scenarios(
            [f], region.simulation, region.local_economy, region.source, region.policies
        )
        for f in region.firms
    ]
    total = n * (1 + (len(singles) if alone else 0))
    series, firms, apart = [], [], []
    done = 0
    for r, s in enumerate(seeds):
        frame, rows = run_once(region, s, r)
        frame.insert(0, "replication", r)
        series.append(frame)
        firms.append(rows)
        done += 1
        if progress:
            progress(done, total)
        for single in singles if alone else []:
            apart.append(run_once(single, s, r)[1])
            done += 1
            if progress:
                progress(done, total)
    out = RegionResults(
        region,
        seeds,
        pd.concat(series, ignore_index=True),
        pd.concat(firms, ignore_index=True),
        pd.concat(apart, ignore_index=True) if alone else None,
    )
    out.summary = summarise(out)
    return out


def _interval(values: np.ndarray) -> dict[str, float | None]:
    mean, low, high = mean_interval(np.asarray(values, dtype=float))
    return {
        "mean": None if not np.isfinite(mean) else mean,
        "ci95_low": None if not np.isfinite(low) else low,
        "ci95_high": None if not np.isfinite(high) else high,
    }


def _reemployed(firms: pd.DataFrame) -> float:
    """The share of every firm's displaced back at work within a year (each firm's share
    weighted by its displaced; NaN when nobody was displaced)."""
    displaced = float(firms["displaced_workers"].sum())
    back = float((firms["reemployed_share_12m"].fillna(0.0) * firms["displaced_workers"]).sum())
    return back / displaced if displaced > 0 else float("nan")


def _weighted(firms: pd.DataFrame, kpi: str) -> float:
    """A firm KPI of the displaced averaged over every firm's displaced (NaN: none)."""
    known = firms[firms[kpi].notna() & (firms["displaced_workers"] > 0)]
    weight = float(known["displaced_workers"].sum())
    return (
        float((known[kpi] * known["displaced_workers"]).sum()) / weight if weight else float("nan")
    )


def summarise(res: RegionResults) -> dict[str, Any]:
    """The regional brief's figures, each with its 95% interval over replications."""
    base = res.region.local_economy.baseline_unemployment_rate
    runs = pd.DataFrame(
        [
            region_kpis(series, res.firms[res.firms["replication"] == r], base)
            for r, series in res.series.groupby("replication")
        ]
    )
    out: dict[str, Any] = {
        "region": res.region.simulation.name,
        "firms": res.region.names,
        "currency": res.region.currency,
        "replications": len(res.seeds),
        **{k: _interval(runs[k].to_numpy(dtype=float)) for k in REGION_KPIS},
        "by_firm": {},
    }
    for name, rows in res.firms.groupby("firm", sort=False):
        entry = {k: _interval(rows[k].to_numpy(dtype=float)) for k in FIRM_KPIS}
        if res.alone is not None:
            own = res.alone[res.alone["firm"] == name].sort_values("replication")
            mine = rows.sort_values("replication")
            diff = mine["reemployed_share_12m"].to_numpy(dtype=float) - own[
                "reemployed_share_12m"
            ].to_numpy(dtype=float)
            entry["alone_reemployed_share_12m"] = _interval(
                own["reemployed_share_12m"].to_numpy(dtype=float)
            )
            entry["crowding_reemployed_share_12m"] = _interval(diff)
        out["by_firm"][name] = entry
    return out


@dataclass
class RegionComparison:
    """Regions (a reference and its variants, e.g. regional policies) on the same seeds:
    each run's ``REGION_KPIS`` and each variant's paired differences from the reference."""

    names: list[str]
    seeds: list[int]
    runs: pd.DataFrame  # region, replication, REGION_KPIS
    differences: dict[str, dict[str, dict[str, float | None]]]  # variant -> kpi -> interval
    currency: str = "USD"


def compare_regions(
    regions: list[Region],
    replications: int | None = None,
    seed: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> RegionComparison:
    """Run every region (the first is the reference) on the same replication seeds —
    common random numbers: a firm's draws depend only on the seed and its name — and
    measure each variant against the reference, replication by replication."""
    names = [r.simulation.name for r in regions]
    first = regions[0]
    n = replications or first.simulation.replications
    seeds = replication_seeds(first.simulation.seed if seed is None else seed, n)
    rows, done = [], 0
    for name, region in zip(names, regions, strict=True):
        base = region.local_economy.baseline_unemployment_rate
        for r, s in enumerate(seeds):
            series, firms = run_once(region, s, r)
            rows.append({"region": name, "replication": r} | region_kpis(series, firms, base))
            done += 1
            if progress:
                progress(done, len(regions) * n)
    runs = pd.DataFrame(rows)
    ref = runs[runs["region"] == names[0]].set_index("replication")
    differences = {}
    for name in names[1:]:
        other = runs[runs["region"] == name].set_index("replication")
        differences[name] = {
            k: _interval((other[k] - ref[k]).to_numpy(dtype=float)) for k in REGION_KPIS
        }
    return RegionComparison(names, seeds, runs, differences, first.currency)
