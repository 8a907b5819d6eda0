"""Benchmark: a region of many firms (issue 28) — how fast and how lean one run is.

The region is drawn like an industry (``scenario/region.py``'s generator) around the bundled
default scenario: ``firms`` firms whose in-house agents add up to about ``agents`` (lognormal
sizes, median set so the mean is ``agents / firms``), 500 customers per agent as in the
default scenario, three in four carrying out the default plan with starts spread over four
years, in a labour market of ``labour_force`` workers. Each firm simulates a sample of its
customers (``customer_sample``; ``customers.simulated``): the customer base, not the
workforce, sets the run time, and a 10% sample of 25 million customers is 2.5 million
simulated ones.

One run (no replications, no firm-alone runs), in a fresh Python process on one core
(single-threaded BLAS), reports: the seconds to draw the firms, to build the region (every
firm's model and its status quo, which each firm's money is measured against) and to step
it; peak resident memory; and the totals simulated. The issue's target: 1M labour force,
100 firms, 50,000 agents, 60 months in under 2 minutes on one core and under 4 GB.

Run ``python -m simulator.dev.region_benchmark`` or ``outsim bench --region``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from typing import Any

from rich.console import Console
from rich.table import Table

from simulator.dev.benchmark import SINGLE_THREAD, machine_info, peak_rss_bytes
from simulator.model.region import RegionModel
from simulator.scenario import default_scenario_path, load_scenario
from simulator.scenario.region import (
    FirmGenerator,
    Region,
    draw_firms,
    region_from_scenarios,
)
from simulator.scenario.schema import LocalEconomy, Simulation

TARGET_SECONDS = 120.0  # the figure: under 2 minutes on one core
TARGET_BYTES = 4 * 10**9  # and under 4 GB
SIZE_SIGMA = 0.6  # log standard deviation of firm size [log agents]


@dataclass(frozen=True)
class RegionBench:
    """The benchmarked region's size."""

    firms: int = 100
    agents: int = 50_000  # in-house agents across the firms, about [agents]
    labour_force: int = 1_000_000  # [persons]
    months: int = 60
    customer_sample: float = 0.1  # share of customers simulated one by one [share]
    seed: int = 20261207


def bench_region(b: RegionBench) -> Region:
    """The region ``b`` describes, drawn from its seed."""
    median = max(5, round(b.agents / b.firms / math.exp(SIZE_SIGMA**2 / 2)))
    generator = FirmGenerator(
        firms=b.firms,
        template="default.yaml",
        name_prefix="firm",
        headcount_median=median,
        headcount_sigma=SIZE_SIGMA,
        customers_per_agent=500.0,
        customer_sample=b.customer_sample,
        start_spread_months=(0, 48),
        moving_share=0.75,
    )
    simulation = Simulation(name="region_bench", horizon_months=b.months, seed=b.seed)
    template = load_scenario(default_scenario_path())
    firms = draw_firms(generator, template, simulation, "region benchmark")
    economy = LocalEconomy(labour_force=b.labour_force)
    return region_from_scenarios(firms, simulation, economy, "region benchmark")


def measure_region(b: RegionBench) -> dict[str, Any]:
    """Draw, build and run the region in this process; the figures (seconds, bytes, totals).
    Peak memory is this process's: honest only in a fresh one (``run_region_benchmark``)."""
    t0, c0 = time.perf_counter(), time.process_time()
    region = bench_region(b)
    t1 = time.perf_counter()
    model = RegionModel(region)
    t2 = time.perf_counter()
    model.run()
    t3, c3 = time.perf_counter(), time.process_time()
    series = model.datacollector.get_model_vars_dataframe()
    firms = region.firms
    simulated = sum(f.customers.simulated or f.customers.count for f in firms)
    return {
        "bench": asdict(b),
        "agents": sum(f.workforce.headcount for f in firms),
        "customers": sum(f.customers.count for f in firms),
        "customers_simulated": simulated,
        "moving_firms": sum(bool(f.plan.phases) for f in firms),
        "draw_s": t1 - t0,
        "build_s": t2 - t1,
        "run_s": t3 - t2,
        "wall_s": t3 - t0,
        "cpu_s": c3 - c0,
        "peak_rss_bytes": peak_rss_bytes(),
        "displaced": float(series["displaced"].iloc[-1]),
        "peak_unemployment_rate": float(series["unemployment_rate"].max()),
    }


def run_region_benchmark(
    b: RegionBench | None = None, isolate: bool = True, console: Console | None = None
) -> dict[str, Any]:
    """Measure the region ``b`` (default: the issue's) in a fresh single-threaded process
    (``isolate``; else in this one, for tests); prints the figures to ``console``."""
    b = b or RegionBench()
    if console is not None:
        console.print(
            f"[dim]benchmark: a region of {b.firms} firms, about {b.agents:,} agents, "
            f"{b.months} months …[/dim]"
        )
    if isolate:
        cmd = [sys.executable, "-m", "simulator.dev.region_benchmark", "--one"]
        cmd += ["--json-args", json.dumps(asdict(b))]
        env = os.environ | SINGLE_THREAD
        done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"the region benchmark failed:\n{done.stderr[-4000:]}")
        result = json.loads(done.stdout.strip().splitlines()[-1])
    else:
        result = measure_region(b)
    result["machine"] = machine_info()
    if console is not None:
        print_region_result(result, console)
    return result


def print_region_result(r: dict[str, Any], console: Console) -> None:
    """The figures as a table, with the issue's targets."""
    b = r["bench"]
    table = Table(title="A region on one core")
    table.add_column("figure")
    table.add_column("value", justify="right")
    rows = [
        ("firms (moving)", f"{b['firms']} ({r['moving_firms']})"),
        ("in-house agents", f"{r['agents']:,}"),
        ("customers (simulated)", f"{r['customers']:,} ({r['customers_simulated']:,})"),
        ("labour force", f"{b['labour_force']:,}"),
        ("months", str(b["months"])),
        ("draw the firms [s]", f"{r['draw_s']:.1f}"),
        ("build, with every status quo [s]", f"{r['build_s']:.1f}"),
        ("run [s]", f"{r['run_s']:.1f}"),
        ("wall [s]", f"{r['wall_s']:.1f}"),
        ("peak resident memory", f"{r['peak_rss_bytes'] / 2**20:,.0f} MiB"),
    ]
    for row in rows:
        table.add_row(*row)
    console.print(table)
    seconds = "met" if r["wall_s"] < TARGET_SECONDS else "NOT met"
    memory = "met" if r["peak_rss_bytes"] < TARGET_BYTES else "NOT met"
    console.print(
        f"targets: under {TARGET_SECONDS:.0f} s on one core — {seconds}; under "
        f"{TARGET_BYTES / 1e9:.0f} GB — {memory}. CPU {r['cpu_s']:.1f} s. The run displaced "
        f"{r['displaced']:,.0f} workers; the region's unemployment peaked at "
        f"{r['peak_unemployment_rate']:.2%}."
    )


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    d = RegionBench()
    p.add_argument("--firms", type=int, default=d.firms)
    p.add_argument("--agents", type=int, default=d.agents)
    p.add_argument("--labour-force", type=int, default=d.labour_force)
    p.add_argument("--months", type=int, default=d.months)
    p.add_argument("--customer-sample", type=float, default=d.customer_sample)
    p.add_argument("--seed", type=int, default=d.seed)
    p.add_argument("--in-process", action="store_true", help="no child process")
    p.add_argument("--json", default=None, help="also write the figures to this file")
    p.add_argument("--one", action="store_true", help=argparse.SUPPRESS)  # child mode
    p.add_argument("--json-args", default=None, help=argparse.SUPPRESS)
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.one:
        print(json.dumps(measure_region(RegionBench(**json.loads(args.json_args)))))
        return 0
    b = RegionBench(
        args.firms, args.agents, args.labour_force, args.months, args.customer_sample, args.seed
    )
    result = run_region_benchmark(b, not args.in_process, Console())
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
