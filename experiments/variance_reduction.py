"""How well do comparisons separate plans? The spread of paired NPV differences.

For each pair (a plan against the status quo, and a plan with against without a package of
safeguards), run both with the same replication seeds (common random numbers) and report
the standard deviation of the paired difference in NPV of net savings, its mean, and the
replications needed for the 95% interval of the mean difference to exclude zero
(n ≈ (t · sd / |mean|)², t ≈ 2). Run it before and after a change to the model's
randomness to measure what the change bought::

    .venv/bin/python experiments/variance_reduction.py --replications 20
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

import numpy as np

import simulator
from simulator.scenario import load_scenario, scenario_from_dict, scenario_to_dict

ROOT = Path(__file__).resolve().parents[1]
PLANS = (
    "offshore_cost_first",
    "default",
    "onshore_vendor",
    "nearshore_phased_responsible",
    "hybrid_full_ethics",
)
KPI = "npv_net_savings"


def with_support(name: str):
    """The plan with retraining and community investment added (the safeguard package)."""
    data = scenario_to_dict(load_scenario(ROOT / "scenarios" / f"{name}.yaml"))
    jobs = data["policies"]["local_jobs"]
    jobs["retraining"].update(capacity_per_month=20, duration_months=6)
    jobs["community_investment"].update(budget_total=2_000_000, duration_months=24)
    data["simulation"]["name"] = f"{name}_supported"
    return scenario_from_dict(data)


def paired(a, b, n: int, seed: int) -> tuple[float, float, int]:
    """Mean and sd of the paired KPI difference a − b, and replications needed."""
    ra = simulator.run(a, n, seed).kpis[KPI].to_numpy(dtype=float)
    rb = simulator.run(b, n, seed).kpis[KPI].to_numpy(dtype=float)
    d = ra - rb
    mean, sd = float(d.mean()), float(d.std(ddof=1))
    need = math.ceil((2.0 * sd / abs(mean)) ** 2) if mean else 10**9
    return mean, sd, max(need, 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", "-n", type=int, default=20)
    parser.add_argument("--seed", type=int, default=20261128)
    args = parser.parse_args()
    status_quo = load_scenario(ROOT / "scenarios" / "status_quo.yaml")
    print(f"paired difference in {KPI}, {args.replications} replications, seed {args.seed}")
    print("| pair | mean difference | sd of the difference | replications needed |")
    print("|---|---|---|---|")
    rows = [
        (f"{p} − status_quo", load_scenario(ROOT / "scenarios" / f"{p}.yaml"), status_quo)
        for p in PLANS
    ]
    default = load_scenario(ROOT / "scenarios" / "default.yaml")
    rows.append(("default + support − default", with_support("default"), default))
    for label, a, b in rows:
        mean, sd, need = paired(a, b, args.replications, args.seed)
        print(f"| {label} | ${mean / 1e6:,.2f}M | ${sd / 1e6:,.2f}M | {need} |")
    np.set_printoptions(precision=3)


if __name__ == "__main__":
    main()
