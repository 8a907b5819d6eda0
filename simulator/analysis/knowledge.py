"""Both kinds of uncertainty in one answer: luck and knowledge, split.

A run's replications vary only the luck (every draw of the model's random streams) with
every assumption held at its value. Here the assumptions vary too: K draws of the
uncertainties (each from its plausible range, ``scenario/ranges.py``, by a Latin hypercube),
and for each draw R replications on their own seeds, the plan and its status quo sharing the
draw and the seed (the plan's effect stays paired). A headline KPI's spread over the K × R
runs is then the range with everything uncertain, and the law of total variance splits it:

    Var(Y) = E_k[Var(Y | k)] + Var_k(E[Y | k])
             luck                knowledge

estimated by the one-way random-effects ANOVA of a balanced design: luck = the mean of the
K within-draw variances; knowledge = the variance of the K draw means minus luck / R (an
unbiased estimate, set to zero when sampling makes it negative).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.stats import qmc

from simulator.analysis.calibrate import Posterior, shipped_posterior
from simulator.analysis.parallel import pool
from simulator.analysis.replicate import estimated_seconds
from simulator.analysis.replications import check_run
from simulator.analysis.swing import SWING_KPIS, PairedJob, run_paired
from simulator.scenario.overrides import with_overrides
from simulator.scenario.ranges import swung
from simulator.scenario.schema import Scenario
from simulator.scenario.status_quo import is_status_quo, status_quo_of

MODES = ("none", "ranges", "posterior", "both")
METHODS = {
    "ranges": "each draw sets every declared uncertainty from its plausible range (Latin "
    "hypercube, scenario/ranges.py)",
    "posterior": "each draw sets the calibrated constants from their posterior (outsim "
    "calibrate), resampled by weight",
    "both": "each draw sets every declared uncertainty from its plausible range (Latin "
    "hypercube) and the calibrated constants from their posterior",
}
# the nested design ``outsim run`` uses by default: draws × replications per draw
DEFAULT_DRAWS, DEFAULT_REPLICATIONS = 10, 2


def decompose(values: np.ndarray) -> dict[str, float]:
    """The split of a draws × replications array (NaN-free rows only): mean, 5th and 95th
    percentile over every run, total variance, luck (within draws), knowledge (between
    draws) and knowledge's share of the total."""
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values).all(axis=1)]
    nan = float("nan")
    if values.size == 0:
        return dict.fromkeys(
            ("mean", "p05", "p95", "variance", "luck", "knowledge", "knowledge_share"), nan
        )
    draws, reps = values.shape
    luck = float(values.var(axis=1, ddof=1).mean()) if reps > 1 else nan
    between = float(values.mean(axis=1).var(ddof=1)) if draws > 1 else nan
    knowledge = max(0.0, between - luck / reps) if reps > 1 and draws > 1 else nan
    total = luck + knowledge
    return {
        "mean": float(values.mean()),
        "p05": float(np.percentile(values, 5)),
        "p95": float(np.percentile(values, 95)),
        "variance": total,
        "luck": luck,
        "knowledge": knowledge,
        "knowledge_share": knowledge / total if total > 0 else nan,
    }


def draws_from_ranges(scenario: Scenario, draws: int, seed: int) -> list[dict[str, Any]]:
    """``draws`` sets of overrides: every swung uncertainty drawn uniformly over its
    plausible range by a scrambled Latin hypercube (one column per uncertainty)."""
    items = swung(scenario)
    sample = qmc.LatinHypercube(d=len(items), seed=np.random.default_rng(seed)).random(draws)
    out = []
    for row in sample:
        overrides: dict[str, Any] = {}
        for item, u in zip(items, row, strict=True):
            overrides.update(item.values(scenario, item.low + u * (item.high - item.low)))
        out.append(overrides)
    return out


def draws_from_posterior(posterior: Posterior, draws: int, seed: int) -> list[dict[str, Any]]:
    """``draws`` sets of the calibrated constants, resampled from the posterior by weight."""
    sample = posterior.sample(draws, seed)
    return [{k: float(v) for k, v in row.items()} for row in sample.to_dict("records")]


@dataclass
class Nested:
    """A nested design's runs: the plan's paired effect per draw, replication and KPI."""

    mode: str
    names: list[str]  # what was drawn: uncertainties (vendors.*.x) and constants
    draws: list[dict[str, Any]]
    effects: np.ndarray  # draws × replications × SWING_KPIS
    seed: int
    seconds: float

    def split(self, kpi: str) -> dict[str, float]:
        return decompose(self.effects[:, :, SWING_KPIS.index(kpi)])

    def summary(self) -> dict[str, Any]:
        """What a results folder keeps (``summary.json``'s ``uncertainty``)."""
        draws, reps = self.effects.shape[:2]
        return {
            "mode": self.mode,
            "draws": draws,
            "replications": reps,
            "seed": self.seed,
            "uncertainties": len(self.names),
            "method": METHODS[self.mode]
            + "; each draw runs the plan and its status quo on its own seeds; luck and "
            "knowledge split by the law of total variance (one-way random-effects ANOVA)",
            "kpis": {
                k: {name: (None if not np.isfinite(v) else v) for name, v in self.split(k).items()}
                for k in SWING_KPIS
            },
        }


def planned_runs(draws: int, replications: int) -> int:
    """Model runs of a nested design: the plan and its status quo per draw and seed."""
    return 2 * draws * replications


def nested(
    scenario: Scenario,
    mode: str = "ranges",
    draws: int = DEFAULT_DRAWS,
    replications: int = DEFAULT_REPLICATIONS,
    seed: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    client: Any = None,
    posterior: Posterior | None = None,
) -> Nested:
    """Run the nested design: ``draws`` draws of the uncertainties × ``replications`` seeds
    each (children of ``seed``, default the scenario's, independent of the run's own).
    ``mode``: "ranges" draws the declared uncertainties from their plausible ranges,
    "posterior" the calibrated constants from ``posterior`` (default: the one outsim ships),
    "both" the two together."""
    if mode not in MODES or mode == "none":
        raise ValueError(f"uncertainty: {mode!r}; expected one of {', '.join(MODES[1:])}")
    if is_status_quo(scenario):
        raise ValueError(f"{scenario.name}: has no plan; the split needs a plan to compare")
    if draws < 2 or replications < 2:
        raise ValueError(
            f"draws {draws} × replications {replications}: expected at least 2 of each, to "
            "split the spread into luck and knowledge"
        )
    root = scenario.simulation.seed if seed is None else seed
    check_run(replications, root)
    children = np.random.SeedSequence([root, 26]).spawn(draws)  # not the run's own seeds
    overrides: list[dict[str, Any]] = [{} for _ in range(draws)]
    names: list[str] = []
    if mode in ("ranges", "both"):
        ranged = draws_from_ranges(scenario, draws, root)
        overrides = [{**o, **r} for o, r in zip(overrides, ranged, strict=True)]
        names += [i.path for i in swung(scenario)]
    if mode in ("posterior", "both"):
        posterior = shipped_posterior() if posterior is None else posterior
        drawn = draws_from_posterior(posterior, draws, root)
        overrides = [{**o, **d} for o, d in zip(overrides, drawn, strict=True)]
        names += posterior.parameters
    jobs = []
    for k, (child, changes) in enumerate(zip(children, overrides, strict=True)):
        plan = with_overrides(scenario, changes)
        quo = status_quo_of(plan)
        for r, s in enumerate(child.spawn(replications)):
            jobs.append(PairedJob(quo, ((k, plan),), s, r))
    effects = np.full((draws, replications, len(SWING_KPIS)), np.nan)
    total = planned_runs(draws, replications)
    small = estimated_seconds([scenario], total) < 10
    started, done = time.perf_counter(), 0
    with pool(workers, scheduler, client, small) as where:
        for _, results in where.map(run_paired, jobs):
            for k, r, values in results:
                effects[k, r] = [values[name] for name in SWING_KPIS]
            done += 2
            if progress is not None:
                progress(done, total)
    return Nested(mode, names, overrides, effects, root, time.perf_counter() - started)
