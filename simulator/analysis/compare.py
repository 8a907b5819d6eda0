"""Comparing plans with common random numbers.

Every plan runs the same replications with the same child seeds (replication k of every
plan uses child k of ``SeedSequence(seed).spawn(n)``), so the difference between a plan and
the first plan is paired replication by replication. A KPI's difference is *distinguishable
from noise* when the 95% t-interval of the paired mean difference excludes zero.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from simulator.analysis.kpis import KPIS
from simulator.analysis.replications import Replications, run
from simulator.analysis.statistics import mean_interval
from simulator.scenario.schema import Scenario

PlanProgress = Callable[[str, int, int], None]


@dataclass
class Comparison:
    """Several plans run with common random numbers; the first plan is the reference."""

    plans: list[Replications]

    @property
    def names(self) -> list[str]:
        return [p.scenario.name for p in self.plans]

    @property
    def replications(self) -> int:
        return self.plans[0].replications

    def table(self) -> pd.DataFrame:
        """One row per KPI and plan: mean and 95% interval, and the paired difference from
        the first plan with its 95% interval and whether it excludes zero."""
        base = self.plans[0].kpis
        rows = []
        for k in KPIS:
            ref = pd.to_numeric(base[k.name], errors="coerce").to_numpy(dtype=float)
            for plan in self.plans:
                vals = pd.to_numeric(plan.kpis[k.name], errors="coerce").to_numpy(dtype=float)
                mean, low, high = mean_interval(vals)
                diff = vals - ref
                d_mean, d_low, d_high = mean_interval(diff)
                usable = np.isfinite(diff).sum() >= 2
                rows.append(
                    {
                        "kpi": k.name,
                        "unit": k.unit,
                        "plan": plan.scenario.name,
                        "mean": mean,
                        "ci95_low": low,
                        "ci95_high": high,
                        "diff_vs_first": d_mean,
                        "diff_ci95_low": d_low,
                        "diff_ci95_high": d_high,
                        "distinguishable": bool(usable and (d_low > 0 or d_high < 0)),
                    }
                )
        return pd.DataFrame(rows)

    def scorecards(self) -> pd.DataFrame:
        """Mean score of every dimension per plan (NaN where a dimension does not apply)."""
        data = {}
        for plan in self.plans:
            dims = plan.scorecard["dimensions"]
            data[plan.scenario.name] = {
                d: (np.nan if v["score"]["mean"] is None else v["score"]["mean"])
                for d, v in dims.items()
            }
        return pd.DataFrame(data)


def compare(
    scenarios: list[Scenario],
    replications: int | None = None,
    seed: int | None = None,
    progress: PlanProgress | None = None,
) -> Comparison:
    """Run every plan with the same replications and seeds (first plan = reference)."""
    if not scenarios:
        raise ValueError("compare needs at least one scenario")
    names = [s.name for s in scenarios]
    if len(set(names)) != len(names):
        raise ValueError(f"plans must have distinct simulation.name values; got {names}")
    n = replications or scenarios[0].simulation.replications
    root = scenarios[0].simulation.seed if seed is None else seed
    plans = []
    for sc in scenarios:
        step = (
            None if progress is None else (lambda k, total, name=sc.name: progress(name, k, total))
        )
        plans.append(run(sc, n, root, step))
    return Comparison(plans)
