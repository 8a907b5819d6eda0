"""What ``outsim run`` adds to a run when it fits a small budget: the swing of each
uncertainty (``swing.py``) and the split of the spread into luck and knowledge
(``knowledge.py``). Each is run when asked (True), never (False), or when its estimated
single-core time fits ``swing.RUN_BUDGET_SECONDS`` (None); a result left out says why. The
estimate comes from the scenario's size (``replicate.estimated_seconds``), never from a clock,
so that the same scenario and seed give the same results folder on every machine."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from simulator.analysis import knowledge, swing
from simulator.analysis.replicate import estimated_seconds
from simulator.analysis.replications import Replications
from simulator.scenario.schema import Scenario

Progress = Callable[[int, int], None] | None


def _fits(asked: bool | None, runs: int, scenario: Scenario) -> tuple[bool, float]:
    seconds = estimated_seconds([scenario], runs)
    return (asked is True or seconds <= swing.RUN_BUDGET_SECONDS), seconds


def _anchors(results: Replications, effects: dict[str, Any]) -> dict[str, float | None]:
    """Per swing KPI, the run's mean at the values assumed: the paired effect, or the
    plan's own value where the status quo has none."""
    kpis = results.summary["kpis"]
    out = {}
    for k in swing.SWING_KPIS:
        mean = (effects.get(k) or {}).get("mean")
        out[k] = mean if mean is not None else kpis[k]["mean"]
    return out


def add_swing(
    results: Replications,
    asked: bool | None,
    progress: Progress,
    where: dict[str, Any],
) -> None:
    """Swing every uncertainty (one paired replication per end on the run's first seed),
    anchored on the run's means, into ``results.swing`` (or ``results.swing_note``).
    ``where``: workers, scheduler and client."""
    scenario = results.scenario
    run, seconds = _fits(asked, swing.planned_runs(scenario, 1), scenario)
    if not run:
        results.swing_note = swing.over_budget(seconds)
        return
    result = swing.swing(scenario, 1, results.extra.get("root_seed"), progress, **where)
    effects = results.effects or {}
    result.anchor(_anchors(results, effects))
    npv = effects.get("npv_net_savings") or {}
    ends = [npv.get(k) for k in ("mean", "ci95_low", "ci95_high")]
    interval = None
    if all(isinstance(v, float) for v in ends):
        interval = (float(ends[0] or 0), float(ends[1] or 0), float(ends[2] or 0))
    results.swing = result.summary(interval)


def add_split(
    results: Replications,
    mode: str,
    asked: bool | None,
    progress: Progress,
    where: dict[str, Any],
    draws: int = knowledge.DEFAULT_DRAWS,
    replications: int = knowledge.DEFAULT_REPLICATIONS,
    posterior: Any = None,
) -> None:
    """The nested design (``draws`` × ``replications``) into ``results.uncertainty`` (or
    ``results.uncertainty_note``)."""
    run, seconds = _fits(asked, knowledge.planned_runs(draws, replications), results.scenario)
    if not run:
        results.uncertainty_note = (
            f"not run: {draws} draws × {replications} runs would take about {seconds:.0f} s on "
            f"one core, beyond the {swing.RUN_BUDGET_SECONDS:.0f} s `outsim run` allows it; ask "
            f"for it with `outsim run --uncertainty {mode}`"
        )
        return
    result = knowledge.nested(
        results.scenario,
        mode,
        draws,
        replications,
        results.extra.get("root_seed"),
        progress,
        **where,
        posterior=posterior,
    )
    results.uncertainty = result.summary()
