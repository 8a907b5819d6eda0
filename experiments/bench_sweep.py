"""Benchmark of sweeps: throughput on 1 vs 2 Dask workers, the coordinator's memory at 200 and
2,000 runs, and the same figures for ``mesa.batch_run(number_processes=2)``.

    .venv/bin/python experiments/bench_sweep.py            # 200 and 2,000 runs (≈ 10 min)
    .venv/bin/python experiments/bench_sweep.py --quick    # 20 and 60 runs (a smoke test)

Every measurement runs in a fresh child process (so peak memory is that measurement's own).
The model is the bundled default plan at a reduced size (3,000 customers, 40 agents,
36 months) so thousands of runs fit in minutes; the sample is a Latin hypercube over
retraining capacity and the offshore vendor's wage ratio, one replication per sample, the
same sample and seeds for the sweep and for batch_run. The coordinator's memory is sampled
every 20 ms (resident set size of the coordinating process only, not its workers).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from simulator.analysis.replications import child_seeds
from simulator.model.model import OutsourcingModel
from simulator.scenario import load_scenario, scenario_from_dict, scenario_to_dict
from simulator.scenario.paths import with_values

ROOT = Path(__file__).resolve().parents[1]
SEED = 20261129
PARAMS = {
    "policies.local_jobs.retraining.capacity_per_month": {"range": [0, 20]},
    "vendors.manila.wage_ratio": {"range": [0.8, 1.4]},
}
BASE = {
    "extends": str(ROOT / "scenarios" / "default.yaml"),
    "simulation": {"name": "bench", "horizon_months": 36},
    "customers": {"count": 3000},
    "workforce": {"headcount": 40},
    "local_economy": {"labour_force": 30000},
}


class PeakRSS:
    """Samples this process's resident set size in a background thread."""

    def __init__(self, every: float = 0.02) -> None:
        import psutil

        self.proc = psutil.Process()
        self.every = every
        self.peak = self.proc.memory_info().rss
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self.peak = max(self.peak, self.proc.memory_info().rss)

    def __enter__(self) -> PeakRSS:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.proc.memory_info().rss)


def spec(runs: int, folder: Path) -> dict[str, Any]:
    import yaml

    (folder / "bench.yaml").write_text(yaml.safe_dump(BASE), encoding="utf-8")
    return {
        "base": "bench.yaml",
        "sampler": "lhs",
        "samples": runs,
        "replications": 1,
        "seed": SEED,
        "parameters": PARAMS,
    }


# -- children ---------------------------------------------------------------------------------
def child_sweep(runs: int, workers: int, folder: Path) -> dict[str, Any]:
    from simulator import sweep
    from simulator.analysis.parallel import dask_client
    from simulator.sweep.execution import execute

    sw = sweep.from_dict(spec(runs, folder), name="bench", base_dir=folder)
    with PeakRSS() as mem:
        start = time.perf_counter()
        with dask_client(workers=workers) as client:
            client.wait_for_workers(workers)
            ready = time.perf_counter()
            outcome = execute(sw, folder / "out", client=client)
            done = time.perf_counter()
        wall = time.perf_counter() - start
    return {
        "wall": wall,
        "startup": ready - start,
        "run_phase": done - ready,
        "runs": outcome.runs,
        "failed": outcome.failed,
        "peak": mem.peak,
    }


class BenchModel(OutsourcingModel):
    """The outsourcing model with the swept values as keyword arguments (for batch_run),
    seeded like replication 0 of the sweep."""

    def __init__(self, values: tuple[float, ...] = (0, 1.0), folder: str = ".") -> None:
        base = scenario_to_dict(load_scenario(Path(folder) / "bench.yaml"))
        data = with_values(base, dict(zip(PARAMS, values, strict=True)))
        super().__init__(scenario_from_dict(data), child_seeds(SEED, 1)[0])


def child_batch_run(runs: int, folder: Path) -> dict[str, Any]:
    import mesa

    from simulator import sweep
    from simulator.sweep.sampling import samples_table

    sw = sweep.from_dict(spec(runs, folder), name="bench", base_dir=folder)
    table = samples_table(sw)
    values = [tuple(row[1:]) for row in table.itertuples(index=False, name=None)]
    horizon = BASE["simulation"]["horizon_months"]
    with PeakRSS() as mem:
        start = time.perf_counter()
        results = mesa.batch_run(
            BenchModel,
            parameters={"values": values, "folder": str(folder)},
            number_processes=2,
            iterations=1,
            max_steps=horizon,
            data_collection_period=-1,
            display_progress=False,
        )
        wall = time.perf_counter() - start
    return {"wall": wall, "runs": len(results), "failed": 0, "peak": mem.peak}


# -- parent -----------------------------------------------------------------------------------
def measure(kind: str, runs: int, workers: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-sweep-") as tmp:
        cmd = [sys.executable, __file__, "--child", kind, "--runs", str(runs)]
        cmd += ["--workers", str(workers), "--folder", tmp]
        res = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
        if res.returncode != 0:
            raise SystemExit(f"{kind} with {runs} runs failed:\n{res.stderr[-3000:]}")
        data = json.loads(res.stdout.strip().splitlines()[-1])
    data |= {"kind": kind, "workers": workers, "runs_per_min": 60 * data["runs"] / data["wall"]}
    if "run_phase" in data:
        data["runs_per_min_running"] = 60 * data["runs"] / data["run_phase"]
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20 and 60 runs instead")
    parser.add_argument("--child", choices=("sweep", "batch_run"), help=argparse.SUPPRESS)
    parser.add_argument("--runs", type=int, default=200, help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, default=2, help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "sweep":
        print(json.dumps(child_sweep(args.runs, args.workers, args.folder)))
        return
    if args.child == "batch_run":
        print(json.dumps(child_batch_run(args.runs, args.folder)))
        return

    from rich.console import Console
    from rich.table import Table

    small, large = (20, 60) if args.quick else (200, 2000)
    console = Console()
    console.print(
        f"machine: {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.machine()}; model: default plan at 3,000 customers, 40 agents, 36 months"
    )
    plan = [
        ("sweep", small, 1),
        ("sweep", small, 2),
        ("sweep", large, 2),
        ("batch_run", small, 2),
        ("batch_run", large, 2),
    ]
    rows = []
    for kind, runs, workers in plan:
        console.print(f"running {kind}, {runs} runs, {workers} worker(s) ...")
        rows.append(measure(kind, runs, workers))
    table = Table(title="Sweep throughput and coordinator memory")
    cols = ("runner", "workers", "runs", "wall s", "runs/min", "runs/min once started", "peak MB")
    for col in cols:
        table.add_column(col, justify="left" if col == "runner" else "right")
    for r in rows:
        name = "outsim sweep" if r["kind"] == "sweep" else "mesa.batch_run"
        table.add_row(
            name,
            str(r["workers"]),
            str(r["runs"]),
            f"{r['wall']:.1f}",
            f"{r['runs_per_min']:.0f}",
            f"{r['runs_per_min_running']:.0f}" if "runs_per_min_running" in r else "n/a",
            f"{r['peak'] / 2**20:.0f}",
        )
    console.print(table)
    one, two, big, br_small, br_big = rows
    speedup = two["runs_per_min_running"] / one["runs_per_min_running"]
    console.print(
        f"2 workers vs 1: {speedup:.2f}× the runs per minute once started; "
        f"coordinator memory {small}→{large} runs: sweep {two['peak'] / 2**20:.0f}→"
        f"{big['peak'] / 2**20:.0f} MB, batch_run {br_small['peak'] / 2**20:.0f}→"
        f"{br_big['peak'] / 2**20:.0f} MB. Wall s and runs/min include starting the workers "
        "(Dask cluster, batch_run's process pool); peak MB is the coordinating process's "
        "resident memory."
    )


if __name__ == "__main__":
    main()
