"""Running a sweep on Dask and streaming its results into the store.

By default a ``LocalCluster`` of worker processes (one per core, one thread each) runs the
sweep; ``scheduler="tcp://HOST:PORT"`` uses an existing Dask cluster instead, and a
``distributed.Client`` may be passed directly (``analysis/parallel.py``, shared with runs and
comparisons). Runs are grouped into batches (Dask tasks)
so that scheduling overhead stays small next to a model run; at most two batches per worker
thread are in flight, and each finished batch is written to the store in one transaction
before the next is submitted, so the coordinator holds no more than the batches in flight.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import json
import math
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from simulator.analysis import parallel
from simulator.outputs.folders import OutputError, check_store_folder, write_file
from simulator.sweep.runs import BatchResult, Runner, RunTask, run_batch, run_model
from simulator.sweep.sampling import samples_table
from simulator.sweep.spec import Sweep, SweepError
from simulator.sweep.store import DB_NAME, StoreError, SweepStore

# (runs done so far, runs failed so far, runs in this sweep) after each stored batch
Progress = Callable[[int, int, int], None]


def package_version() -> str:
    try:
        return importlib.metadata.version("outsim")
    except importlib.metadata.PackageNotFoundError:
        from simulator._version import __version__

        return __version__


@dataclass(frozen=True)
class SweepOutcome:
    """What a call to ``execute`` did."""

    folder: Path
    runs: int  # runs in the sweep
    ran: int  # runs executed by this call
    resumed: int  # runs already in the store, skipped
    failed: int  # failed runs in the store after this call
    wall_seconds: float
    workers: int


def _native(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def run_tasks(sweep: Sweep, samples: pd.DataFrame, skip: set[int]) -> Iterator[RunTask]:
    """Every run of the sweep not in ``skip``: run id = sample id × replications + replication."""
    reps = sweep.spec.replications
    params = sweep.inputs
    for row in samples.itertuples(index=False, name=None):
        sample_id = int(row[0])
        values = {p: _native(v) for p, v in zip(params, row[1:], strict=True)}
        for r in range(reps):
            run_id = sample_id * reps + r
            if run_id not in skip:
                yield RunTask(run_id, sample_id, r, values)


def in_batches(tasks: Iterator[RunTask], size: int) -> Iterator[list[RunTask]]:
    batch: list[RunTask] = []
    for task in tasks:
        batch.append(task)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def batch_size(pending: int, slots: int, requested: int | None) -> int:
    """Runs per task: the spec's choice, else about eight tasks per worker thread, at most 50."""
    if requested:
        return requested
    return int(min(50, max(1, math.ceil(pending / max(1, slots * 8)))))


def _failed_batch(batch: list[RunTask], seed: int, version: str, exc: BaseException) -> BatchResult:
    """A batch whose task died (e.g. its worker was lost): every run recorded as failed."""
    result = BatchResult()
    for t in batch:
        result.runs.append(
            {
                "run_id": t.run_id,
                "sample_id": t.sample_id,
                "replication": t.replication,
                "seed": seed,
                **t.values,
                "status": "failed",
                "error": f"task lost: {type(exc).__name__}: {exc}",
                "wall_seconds": None,
                "version": version,
                "scenario_hash": None,
            }
        )
    return result


def write_progress(folder: Path, done: int, failed: int, total: int, started: float) -> None:
    """``progress.json``: runs stored, failed and total, for watching a sweep from elsewhere
    (the store itself is locked by the running sweep)."""
    data = {
        "done": done,
        "failed": failed,
        "total": total,
        "elapsed_seconds": round(time.perf_counter() - started, 2),
        "updated": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    write_file(folder / "progress.json", json.dumps(data))


def check_sweep_folder(folder: str | Path) -> Path:
    """``folder`` if a sweep may write into it: new, empty, or an earlier sweep's folder."""
    try:
        return check_store_folder(folder, DB_NAME, "sweep")
    except OutputError as exc:
        raise SweepError(str(exc)) from None


def check_scheduler(address: str | None) -> str | None:
    """A Dask scheduler address as given, if it has the form PROTOCOL://HOST:PORT."""
    try:
        return parallel.check_scheduler(address)
    except parallel.ParallelError as exc:
        raise SweepError(str(exc)) from None


def _prepare(sweep: Sweep, folder: Path) -> tuple[SweepStore, pd.DataFrame]:
    folder = check_sweep_folder(folder)
    folder.mkdir(parents=True, exist_ok=True)
    samples = samples_table(sweep)
    try:
        store = SweepStore(folder)
        store.initialise(
            {
                "fingerprint": sweep.fingerprint(),
                "name": sweep.name,
                "spec": sweep.spec.model_dump(mode="json"),
                "spec_file": sweep.source,
                "base": sweep.base,
                "version": package_version(),
                "samples": len(samples),
                "runs": len(samples) * sweep.spec.replications,
                "complete": False,
            },
            sweep.kinds(),
            samples,
        )
    except StoreError as exc:
        raise SweepError(str(exc)) from None
    return store, samples


def execute(
    sweep: Sweep,
    folder: str | Path,
    *,
    client: Any = None,
    scheduler: str | None = None,
    workers: int | None = None,
    retry_failed: bool = False,
    progress: Progress | None = None,
    runner: Runner = run_model,
) -> SweepOutcome:
    """Run every run of ``sweep`` not yet in ``folder``'s store; return what was done."""
    start = time.perf_counter()
    folder = Path(folder)
    version = package_version()
    store, samples = _prepare(sweep, folder)
    with store:
        total = len(samples) * sweep.spec.replications
        skip = store.run_ids() - (store.run_ids("failed") if retry_failed else set())
        resumed = len(skip)
        pending = total - resumed
        done = resumed
        failed = len(store.run_ids("failed")) if not retry_failed else 0
        if progress:
            progress(done, failed, total)
        n_workers = 0
        if pending:
            with _client(client, scheduler, workers) as dc:
                slots = max(1, sum(dc.nthreads().values()))
                n_workers = len(dc.nthreads())
                size = batch_size(pending, slots, sweep.spec.batch_size)
                batches = in_batches(run_tasks(sweep, samples, skip), size)
                spec = sweep.spec
                stream = stream_batches(
                    dc,
                    batches,
                    2 * slots,
                    sweep.base,
                    sweep.seed,
                    sweep.outputs,
                    list(spec.keep_timeseries),
                    version,
                    runner,
                    spec.paired_with,
                )
                for batch, result in stream:
                    store.write(result.runs, result.kpis, result.monthly)
                    done += len(batch)
                    failed += sum(r["status"] != "ok" for r in result.runs)
                    write_progress(folder, done, failed, total, start)
                    if progress:
                        progress(done, failed, total)
        failed = len(store.run_ids("failed"))
        write_progress(folder, done, failed, total, start)
        store.set_meta("complete", done == total)
        return SweepOutcome(
            folder, total, pending, resumed, failed, time.perf_counter() - start, n_workers
        )


@contextlib.contextmanager
def _client(client: Any, scheduler: str | None, workers: int | None) -> Iterator[Any]:
    try:
        with parallel.dask_client(client, check_scheduler(scheduler), workers) as dc:
            yield dc
    except parallel.ParallelError as exc:
        raise SweepError(str(exc)) from None


def stream_batches(
    client: Any,
    batches: Iterator[list[RunTask]],
    in_flight: int,
    base: dict[str, Any],
    seed: int,
    outputs: list[str],
    keep: list[str],
    version: str,
    runner: Runner,
    paired: dict[str, Any] | None = None,
) -> Iterator[tuple[list[RunTask], BatchResult]]:
    """Submit batches, at most ``in_flight`` at a time; yield each as it finishes (a batch
    whose task died, e.g. with its worker, has every run recorded as failed)."""

    def submit(batch: list[RunTask]) -> Any:
        return client.submit(
            run_batch, base, batch, seed, outputs, keep, version, runner, paired, pure=False
        )

    for batch, fut in parallel.bounded(submit, batches, in_flight):
        try:
            result = fut.result()
        except Exception as exc:  # noqa: BLE001 - a lost task fails its runs, not the sweep
            result = _failed_batch(batch, seed, version, exc)
        fut.release()
        yield batch, result
