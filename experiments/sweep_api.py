"""The sweep Python API with a Dask client: does notice and retraining capacity change how
many displaced agents are back at work 24 months on?

    .venv/bin/python experiments/sweep_api.py                      # local cluster, 2 workers
    .venv/bin/python experiments/sweep_api.py --scheduler tcp://HOST:8786   # your cluster

A Latin hypercube over two policy levers of the bundled default plan, 3 replications per
sample; prints the runs' main effects and where the store is.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from distributed import Client, LocalCluster

from simulator import sweep

ROOT = Path(__file__).resolve().parents[1]

SPEC = {
    "base": "scenarios/default.yaml",
    "sampler": "lhs",
    "samples": 16,
    "replications": 3,
    "seed": 7,
    "parameters": {
        "policies.transparency.employee_notice_months": {"range": [0, 12]},
        "policies.local_jobs.retraining.capacity_per_month": {"range": [0, 40]},
    },
    "outputs": ["reemployed_share_24m", "earnings_ratio_24m", "support_cost_total"],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scheduler", help="tcp://HOST:PORT of a running Dask scheduler")
    parser.add_argument("--out", type=Path, default=ROOT / "results" / "sweeps" / "sweep_api")
    args = parser.parse_args()

    spec = sweep.from_dict(SPEC, name="sweep_api", base_dir=ROOT)
    if args.scheduler:
        client = Client(args.scheduler)
    else:
        client = Client(LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None))
    with client:
        runs = sweep.run(spec, client, out=args.out)  # resumes if run before

    ok = runs[runs["status"] == "ok"]
    print(f"{len(ok)} of {len(runs)} runs ok; store: {args.out / 'sweep.duckdb'}")
    for lever in SPEC["parameters"]:
        bins = ok.groupby(ok[lever] >= ok[lever].median())["reemployed_share_24m"].mean()
        print(
            f"{lever}: re-employed at 24 months {bins.get(False, float('nan')):.1%} "
            f"(lower half) vs {bins.get(True, float('nan')):.1%} (upper half)"
        )
    print(ok[[*SPEC["parameters"], *SPEC["outputs"]]].corr().round(2).to_string())


if __name__ == "__main__":
    main()
