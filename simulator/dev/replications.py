"""Benchmark: ``outsim run`` with many replications, on one worker and on several.

Each measurement runs ``outsim run -n N --workers W --no-safeguards --quiet`` on the bundled
default scenario (so N replications of the plan and N of its status quo: 2N model runs) in a
fresh process, writing its whole results folder into a temporary folder, and reports:

- wall seconds, from start to the folder written, and model runs per second;
- the peak resident memory of the ``outsim`` process itself (the coordinator: it gathers
  the results and writes the files), sampled every 50 ms and checked against the kernel's
  own peak of the process (``ru_maxrss``);
- the peak of the whole process tree (the coordinator and its Dask worker processes, summed
  at each sample).

Run ``outsim bench --replications 10,100,1000 --workers 1,2 --scales ''``.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import psutil
from rich.console import Console
from rich.table import Table

SAMPLE_S = 0.05


def _tree_rss(proc: psutil.Process) -> tuple[int, int]:
    """Resident bytes of ``proc`` and of it with all its descendants."""
    try:
        own = proc.memory_info().rss
        children = proc.children(recursive=True)
    except psutil.NoSuchProcess:
        return 0, 0
    total = own
    for child in children:
        with contextlib.suppress(psutil.NoSuchProcess):
            total += child.memory_info().rss
    return own, total


def measure_run(replications: int, workers: int, seed: int | None = None) -> dict[str, Any]:
    """One ``outsim run`` in a fresh process: wall time and peak memory."""
    with tempfile.TemporaryDirectory(prefix="outsim-bench-") as tmp:
        cmd = [sys.executable, "-m", "simulator.cli", "run", "-n", str(replications)]
        cmd += ["--workers", str(workers), "--no-safeguards", "--quiet"]
        cmd += ["--out", str(Path(tmp) / "run")]
        if seed is not None:
            cmd += ["--seed", str(seed)]
        start = time.perf_counter()
        child = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        proc = psutil.Process(child.pid)
        peak_own = peak_tree = 0
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            own, tree = _tree_rss(proc)
            peak_own, peak_tree = max(peak_own, own), max(peak_tree, tree)
            time.sleep(SAMPLE_S)
        wall = time.perf_counter() - start
        stderr = child.stderr.read().decode(errors="replace") if child.stderr else ""
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            raise RuntimeError(f"outsim run -n {replications} failed:\n{stderr[-4000:]}")
    runs = 2 * replications
    return {
        "replications": replications,
        "workers": workers,
        "model_runs": runs,
        "wall_s": wall,
        "runs_per_s": runs / wall,
        "peak_coordinator_bytes": max(peak_own, usage.ru_maxrss * 1024),
        "peak_tree_bytes": max(peak_tree, peak_own),
    }


def run_replication_benchmark(
    replications: Sequence[int],
    workers: Sequence[int],
    seed: int | None = None,
    console: Console | None = None,
) -> list[dict[str, Any]]:
    """Every replication count on every worker count; prints one table with a ``console``."""
    results = []
    for n in replications:
        for w in workers:
            if console is not None:
                console.print(f"[dim]benchmark: outsim run -n {n} --workers {w} …[/dim]")
            results.append(measure_run(n, w, seed))
    if console is not None:
        print_table(results, console)
    return results


def print_table(results: Sequence[dict[str, Any]], console: Console) -> None:
    table = Table(
        title="outsim run -n N --no-safeguards on the default scenario (N plan + N status quo "
        "runs), whole results folder written"
    )
    for col in (
        "replications",
        "workers",
        "wall s",
        "runs/s",
        "speed-up",
        "peak: outsim",
        "peak: all processes",
    ):
        table.add_column(col, justify="right")
    one = {r["replications"]: r["wall_s"] for r in results if r["workers"] == 1}
    for r in results:
        base = one.get(r["replications"])
        table.add_row(
            f"{r['replications']:,}",
            str(r["workers"]),
            f"{r['wall_s']:.1f}",
            f"{r['runs_per_s']:.2f}",
            f"{base / r['wall_s']:.2f}×" if base else "",
            f"{r['peak_coordinator_bytes'] / 2**20:,.0f} MiB",
            f"{r['peak_tree_bytes'] / 2**20:,.0f} MiB",
        )
    console.print(table)
