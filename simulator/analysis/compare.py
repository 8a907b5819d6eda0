"""Comparing plans with common random numbers.

Every plan runs the same replications with the same child seeds (replication k of every
plan uses child k of ``SeedSequence(seed).spawn(n)``), and the model's random streams are
separate per mechanism and entity, so the difference between any two plans is paired
replication by replication. Any plan can be the reference.

A plan is compared with the reference on every KPI at once (about sixty), so at 95% a few
would look "clear" by luck alone. A difference is *distinguishable from noise* when the
paired t-test rejects zero after Holm's step-down adjustment over all the KPIs compared for
that plan (family-wise error 5%; Holm 1979); the table keeps the unadjusted 95% interval
and both p-values (``p_value``, ``p_holm``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from simulator.analysis.kpis import KPIS
from simulator.analysis.replications import Replications, assemble, run_batch
from simulator.analysis.statistics import mean_interval
from simulator.scenario.schema import Scenario

PlanProgress = Callable[[str, int, int], None]


FAMILY_ALPHA = 0.05  # family-wise error rate over the KPIs of one plan


def paired_p_value(a: np.ndarray, b: np.ndarray) -> float | None:
    """Two-sided p-value of the paired t-test of a − b against zero (None: fewer than two
    finite pairs; 1 when every difference is exactly zero)."""
    diff = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
    diff = diff[np.isfinite(diff)]
    if len(diff) < 2:
        return None
    if np.all(diff == diff[0]):
        return 1.0 if diff[0] == 0 else 0.0
    return float(stats.ttest_1samp(diff, 0.0).pvalue)


def holm(p_values: list[float | None]) -> list[float | None]:
    """Holm's step-down adjusted p-values (None stays None): the i-th smallest of m is
    multiplied by m − i + 1, then made non-decreasing and capped at 1."""
    order = sorted((p, i) for i, p in enumerate(p_values) if p is not None)
    m, out = len(order), list[float | None]([None] * len(p_values))
    running = 0.0
    for rank, (p, i) in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p))
        out[i] = running
    return out


def paired_difference(a: np.ndarray, b: np.ndarray) -> tuple[float, float, float, bool]:
    """Mean and 95% interval of the paired difference a − b, and whether it excludes zero."""
    diff = a - b
    mean, low, high = mean_interval(diff)
    usable = np.isfinite(diff).sum() >= 2
    return mean, low, high, bool(usable and (low > 0 or high < 0))


@dataclass
class Comparison:
    """Several plans run with common random numbers; ``reference`` indexes the plan the
    others are compared with, ``labels`` name the plans (unique)."""

    plans: list[Replications]
    labels: list[str] | None = None
    reference: int = 0
    notes: list[str] = field(default_factory=list)  # e.g. how colliding names were labelled
    # the plans in drawn futures (``knowledge.NestedPlans``), when asked for
    uncertainty: Any = None

    @property
    def names(self) -> list[str]:
        return self.labels or [p.scenario.name for p in self.plans]

    @property
    def reference_name(self) -> str:
        return self.names[self.reference]

    @property
    def replications(self) -> int:
        return self.plans[0].replications

    def values(self, plan: int, kpi: str) -> np.ndarray:
        return pd.to_numeric(self.plans[plan].kpis[kpi], errors="coerce").to_numpy(dtype=float)

    def table(self) -> pd.DataFrame:
        """One row per KPI and plan: mean and 95% interval, and the paired difference from
        the reference plan with its 95% interval, its p-value, the p-value after Holm's
        adjustment over this plan's KPIs, and whether that stays below 5%."""
        rows = []
        adjusted = {}
        names = [k.name for k in KPIS]
        reference = [self.values(self.reference, name) for name in names]
        for i in range(len(self.names)):
            raw = [
                paired_p_value(self.values(i, name), ref)
                for name, ref in zip(names, reference, strict=True)
            ]
            adjusted[i] = dict(zip(names, zip(raw, holm(raw), strict=True), strict=True))
        for k in KPIS:
            ref = self.values(self.reference, k.name)
            for i, name in enumerate(self.names):
                vals = self.values(i, k.name)
                mean, low, high = mean_interval(vals)
                d_mean, d_low, d_high, _ = paired_difference(vals, ref)
                p_raw, p_holm = adjusted[i][k.name]
                clear = i != self.reference and p_holm is not None and p_holm < FAMILY_ALPHA
                rows.append(
                    {
                        "kpi": k.name,
                        "unit": k.unit,
                        "plan": name,
                        "reference": self.reference_name,
                        "mean": mean,
                        "ci95_low": low,
                        "ci95_high": high,
                        "diff_vs_reference": d_mean,
                        "diff_ci95_low": d_low,
                        "diff_ci95_high": d_high,
                        "p_value": p_raw,
                        "p_holm": p_holm,
                        "distinguishable": clear,
                    }
                )
        return pd.DataFrame(rows)

    def pairwise(self, kpi: str) -> pd.DataFrame:
        """Every pair of plans for one KPI: row plan minus column plan (paired mean), with
        whether the difference is clear of noise, as (mean, clear) tuples."""
        names = self.names
        cells = {
            col: [
                paired_difference(self.values(i, kpi), self.values(j, kpi))[::3]
                if i != j
                else (0.0, False)
                for i in range(len(names))
            ]
            for j, col in enumerate(names)
        }
        return pd.DataFrame(cells, index=names)

    def scorecards(self) -> pd.DataFrame:
        """Mean score of every dimension per plan (NaN where a dimension does not apply)."""
        data = {}
        for name, plan in zip(self.names, self.plans, strict=True):
            dims = plan.scorecard["dimensions"]
            data[name] = {
                d: (np.nan if v["score"]["mean"] is None else v["score"]["mean"])
                for d, v in dims.items()
            }
        return pd.DataFrame(data)


def unique_labels(names: list[str], fallbacks: list[str] | None = None) -> tuple[list, list]:
    """Labels for plans whose names may collide: the name, or (where two share it) the
    fallback (e.g. the file name), numbered if still ambiguous; and notes saying so."""
    fallbacks = fallbacks or names
    labels, notes = list(names), []
    for name in sorted({n for n in names if names.count(n) > 1}):
        where = [i for i, n in enumerate(names) if n == name]
        for i in where:
            labels[i] = fallbacks[i]
        notes.append(
            f"plans {', '.join(fallbacks[i] for i in where)} share simulation.name {name!r}; "
            "they are labelled by file name"
        )
    repeated = {label for label in labels if labels.count(label) > 1}
    seen: dict[str, int] = {}
    for i, label in enumerate(labels):
        if label in repeated:
            seen[label] = seen.get(label, 0) + 1
            labels[i] = f"{label} ({seen[label]})"
    return labels, notes


def compare(
    scenarios: list[Scenario],
    replications: int | None = None,
    seed: int | None = None,
    progress: PlanProgress | None = None,
    labels: list[str] | None = None,
    reference: int | str = 0,
    workers: int | None = None,
    scheduler: str | None = None,
    client: Any = None,
    uncertainty: str = "none",
    draws: int = 10,
    posterior: Any = None,
    uncertainty_progress: Callable[[int, int], None] | None = None,
) -> Comparison:
    """Run every plan with the same replications and seeds, all on one pool (``workers``,
    ``scheduler``, ``client``: as for ``replications.run``). ``labels`` name the plans
    (default: their names, made unique); ``reference`` is a plan's index or label.
    ``progress(plan, done, total)`` after every run of a plan.

    ``uncertainty`` ("ranges", "posterior" or "both"; "none" leaves it out) also runs every
    plan in the same ``draws`` drawn futures × 2 seeds each (``knowledge.nested_plans``, with
    ``posterior``), into ``Comparison.uncertainty``; ``uncertainty_progress(done, total)``
    counts its runs."""
    from simulator.analysis import knowledge

    if uncertainty not in knowledge.MODES:
        raise ValueError(
            f"uncertainty: {uncertainty!r}; expected one of {', '.join(knowledge.MODES)}"
        )
    if not scenarios:
        raise ValueError("compare needs at least one scenario")
    names, notes = unique_labels([s.name for s in scenarios], labels)
    if isinstance(reference, str):
        if reference not in names:
            raise ValueError(f"reference {reference!r} is not one of the plans: {names}")
        reference = names.index(reference)
    done = [0] * len(scenarios)

    def step(plan: int, _done: int, total: int) -> None:
        done[plan] += 1
        if progress is not None:
            progress(names[plan], done[plan], total // len(scenarios))

    keep = [True] * len(scenarios)
    b = run_batch(scenarios, replications, seed, keep, step, workers, scheduler, client)
    plans = [
        assemble(sc, g, b.seeds, b.root, b.started, b.finished)
        for sc, g in zip(scenarios, b.gathered, strict=True)
    ]
    result = Comparison(plans, names, reference, notes)
    if uncertainty != "none":
        result.uncertainty = knowledge.nested_plans(
            scenarios,
            uncertainty,
            draws,
            knowledge.DEFAULT_REPLICATIONS,
            b.root,
            uncertainty_progress,
            workers,
            scheduler,
            client,
            posterior,
            names,
            reference,
        )
    return result
