"""Benchmark one replication of the default scenario at scale ×1, ×10 and ×100.

Prints wall seconds, agent-months per second, peak resident memory and bytes per agent for
the model and for a reference numpy kernel (the floor), the model's time as a ratio to the
floor, a cProfile summary per scale, and the machine's cores, numpy and BLAS. Each scale runs
in a fresh Python process. See docs/PERFORMANCE.md.

    python experiments/benchmark.py                      # ×1, ×10 (60 months), ×100 (24 months)
    python experiments/benchmark.py --scales 1,10 --no-profile
    python experiments/benchmark.py --months 12 --json figures.json
"""

from __future__ import annotations

import argparse
import json

from rich.console import Console

from simulator.dev.benchmark import DEFAULT_SEED, run_benchmark


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,10,100", help="comma-separated scales")
    parser.add_argument(
        "--months", type=int, default=None, help="months at every scale (default: 60, 24 at ×100)"
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--no-profile", action="store_true", help="skip the cProfile runs")
    parser.add_argument("--json", default=None, help="also write the figures to this file")
    args = parser.parse_args()
    scales = [float(s) for s in args.scales.split(",") if s.strip()]
    results = run_benchmark(
        scales, months=args.months, profile=not args.no_profile, seed=args.seed, console=Console()
    )
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
