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


def _firm_rows(model: RegionModel, replication: int) -> list[dict[str, Any]]:
    rows = []
    for f in model.firms:
        ts = f.datacollector.get_model_vars_dataframe().reset_index(drop=True)
        kpis = compute_kpis(f, ts)
        rows.append(
            {"replication": replication, "firm": f.scenario.simulation.name}
            | {k: kpis[k] for k in FIRM_KPIS}
        )
    return rows


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
    singles = [
        region_from_scenarios([f], region.simulation, region.local_economy) for f in region.firms
    ]
    total = n * (1 + (len(singles) if alone else 0))
    series, firms, apart = [], [], []
    done = 0
    for r, s in enumerate(seeds):
        model = RegionModel(region, seed=s).run()
        frame = model.datacollector.get_model_vars_dataframe().reset_index(drop=True)
        frame.insert(0, "replication", r)
        series.append(frame)
        firms += _firm_rows(model, r)
        model.release()
        done += 1
        if progress:
            progress(done, total)
        for single in singles if alone else []:
            one = RegionModel(single, seed=s).run()
            apart += _firm_rows(one, r)
            one.release()
            done += 1
            if progress:
                progress(done, total)
    out = RegionResults(
        region,
        seeds,
        pd.concat(series, ignore_index=True),
        pd.DataFrame(firms),
        pd.DataFrame(apart) if alone else None,
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


def _reemployed(frame: pd.DataFrame, share: str) -> np.ndarray:
    """Per replication, the share of every firm's displaced back in work (weighted by the
    firm's displaced)."""
    f = frame.assign(back=frame[share].fillna(0.0) * frame["displaced_workers"])
    g = f.groupby("replication")[["back", "displaced_workers"]].sum()
    return (g["back"] / g["displaced_workers"].where(g["displaced_workers"] > 0)).to_numpy()


def summarise(res: RegionResults) -> dict[str, Any]:
    """The regional brief's figures, each with its 95% interval over replications."""
    s = res.series.groupby("replication")
    base = res.region.local_economy.baseline_unemployment_rate
    out: dict[str, Any] = {
        "region": res.region.simulation.name,
        "firms": res.region.names,
        "replications": len(res.seeds),
        "direct_jobs_lost_peak": _interval(s["tradable_jobs_lost"].max().to_numpy()),
        "multiplier_jobs_lost_peak": _interval(s["local_jobs_lost"].max().to_numpy()),
        "displaced": _interval(s["displaced"].max().to_numpy()),
        "unemployment_peak_change_pp": _interval(
            100 * (s["unemployment_rate"].max().to_numpy() - base)
        ),
        "reemployed_share_12m": _interval(_reemployed(res.firms, "reemployed_share_12m")),
        "public_ui_cost": _interval(s["ui_paid"].sum().to_numpy()),
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
