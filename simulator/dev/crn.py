"""How well common random numbers couple two plans: the spread of a paired difference over
the spread of the same difference between independently seeded runs.

``python -m simulator.dev.crn --replications 8`` runs the default plan and, for each lever
change below, the changed plan: once on the same seeds (paired) and once on other seeds
(independent). For each headline KPI it prints sd(plan − changed, same seeds) over
sd(plan − changed, other seeds). 1 means the pairing removes none of the luck, 0 all of it;
a stream whose draws depended on the plan would push the ratio towards 1. ``--bundled``
adds every bundled plan against its own status quo (where, for the money KPIs, the
status quo is subtracted inside each run, so only the people and customer KPIs apply).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from simulator.analysis.replicate import run_model
from simulator.analysis.replications import child_seeds
from simulator.scenario import Scenario, load_scenario, scenario_from_dict, scenario_to_dict
from simulator.scenario.status_quo import status_quo_of

ROOT = Path(__file__).resolve().parents[2]
KPIS = (
    "npv_net_savings",
    "customer_churn_annual",
    "csat_mean",
    "vendor_attrition_annual",
    "reemployed_share_24m",
    "breaches",
)


def _notice(data: dict[str, Any]) -> None:
    data["policies"]["transparency"]["employee_notice_months"] += 2


def _manila_pay(data: dict[str, Any]) -> None:
    data["vendors"][0]["wage_ratio"] = 1.2


def _fewer_fields(data: dict[str, Any]) -> None:
    data["policies"]["privacy"]["fields_shared_share"] *= 0.5


# a worker-side, a vendor-side and a privacy lever
CHANGES: dict[str, Callable[[dict[str, Any]], None]] = {
    "notice +2 months": _notice,
    "manila pays 1.2x": _manila_pay,
    "half the fields shared": _fewer_fields,
}


@dataclass(frozen=True)
class Ratio:
    """sd of the paired difference over sd of the independent difference, per KPI."""

    label: str
    ratios: Mapping[str, float | None]


def _kpis(scenario: Scenario, seeds: list[np.random.SeedSequence]) -> dict[str, np.ndarray]:
    rows = [run_model(scenario, s, k, keep=False)[0] for k, s in enumerate(seeds)]
    return {
        name: np.array([np.nan if r[name] is None else r[name] for r in rows], dtype=float)
        for name in KPIS
    }


def _ratio(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> float | None:
    """sd(a − b) over sd(a − c): b on a's seeds, c on other seeds."""
    paired, independent = a - b, a - c
    ok = np.isfinite(paired) & np.isfinite(independent)
    if ok.sum() < 3 or np.std(independent[ok], ddof=1) == 0:
        return None
    return float(np.std(paired[ok], ddof=1) / np.std(independent[ok], ddof=1))


def variance_ratio(
    base: Scenario, other: Scenario, replications: int, label: str, skip: tuple[str, ...] = ()
) -> Ratio:
    """The ratio for ``other`` against ``base`` (seeds 1 for the pairs, 2 for the others);
    the KPIs in ``skip`` are reported as n/a."""
    same, fresh = child_seeds(1, replications), child_seeds(2, replications)
    a, b, c = _kpis(base, same), _kpis(other, same), _kpis(other, fresh)
    return Ratio(label, {k: None if k in skip else _ratio(a[k], b[k], c[k]) for k in KPIS})


def changed(base: Scenario, edit: Callable[[dict[str, Any]], None]) -> Scenario:
    data = scenario_to_dict(base)
    edit(data)
    return scenario_from_dict(data, "changed")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m simulator.dev.crn", description=__doc__)
    parser.add_argument("--replications", type=int, default=8)
    parser.add_argument("--bundled", action="store_true", help="the bundled plans too")
    args = parser.parse_args(argv)
    if args.replications < 3:
        parser.error("--replications must be at least 3")
    base = load_scenario(ROOT / "scenarios" / "default.yaml")
    results = [
        variance_ratio(base, changed(base, edit), args.replications, label)
        for label, edit in CHANGES.items()
    ]
    if args.bundled:
        for path in sorted((ROOT / "scenarios").glob("*.yaml")):
            plan = load_scenario(path)
            if plan.plan.phases:
                # money is already measured against the status quo inside each run
                money = ("npv_net_savings",)
                ratio = variance_ratio(
                    plan, status_quo_of(plan), args.replications, path.stem, money
                )
                results.append(ratio)
    print(f"sd(paired) / sd(independent), {args.replications} replications")
    print(f"{'change':<28}" + "".join(f"{k[:22]:>24}" for k in KPIS))
    for r in results:
        cells = "".join(
            f"{'n/a' if r.ratios[k] is None else format(r.ratios[k], '.2f'):>24}" for k in KPIS
        )
        print(f"{r.label:<28}{cells}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
