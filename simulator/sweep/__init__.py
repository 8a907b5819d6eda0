"""Parameter sweeps and sensitivity analysis on Dask, with a resumable DuckDB store.

Python API::

    from distributed import Client
    from simulator import sweep

    results = sweep.run("experiments/retraining_programme.yaml")        # LocalCluster
    results = sweep.run(spec, client=Client("tcp://10.0.0.5:8786"))     # existing cluster
    results = sweep.load("results/sweeps/retraining_programme")         # one row per run
    indices = sweep.sensitivity("experiments/vendor_fairness_sobol.yaml")
    found = sweep.optimise("experiments/robust_plan.yaml")              # Pareto plans
    found.table[found.table["pareto_rank"].notna()]

``run`` writes into ``results/sweeps/<name>`` unless ``out`` is given; rerunning on the same
folder resumes (finished runs are skipped). DataFrames have one row per run: run id, sample,
replication, seed, each parameter, status, error, wall seconds, then one column per KPI.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
from pydantic import ValidationError

from simulator.analysis.sensitivity import SensitivityError, analyse
from simulator.outputs.folders import check_target, write_file
from simulator.outputs.sweep.report import (
    SENSITIVITY_FILE,
    kpi_columns,
    kpi_summary,
    write_sweep_report,
)
from simulator.scenario.loading import format_validation_error
from simulator.sweep import robust_search
from simulator.sweep.execution import (
    Progress,
    SweepOutcome,
    check_scheduler,
    check_sweep_folder,
    execute,
)
from simulator.sweep.robust_search import OptimiseOutcome
from simulator.sweep.robust_spec import Optimisation, load_optimisation, optimisation_from_dict
from simulator.sweep.runs import Runner, run_model
from simulator.sweep.sampling import expected_samples, problem, sample_matrix
from simulator.sweep.spec import Sweep, SweepError, SweepSpec, load_sweep, sweep_from_spec
from simulator.sweep.store import QueryResult, StoreError, SweepStore

DEFAULT_ROOT = Path("results") / "sweeps"
OPTIMISE_ROOT = Path("results") / "optimise"


def _sweep(spec: str | Path | Sweep) -> Sweep:
    return spec if isinstance(spec, Sweep) else load_sweep(spec)


def load_any_sweep(
    path: str | Path, uncertainty: str | None = None, posterior: str | Path | None = None
) -> Sweep:
    """A sweep spec over a scenario (``base:``) or over a region (``region:``,
    ``sweep/region.py``), checked; SweepError with a readable message."""
    from simulator.sweep.region import is_region_spec, load_region_sweep

    if is_region_spec(path):
        if uncertainty is not None or posterior is not None:
            raise SweepError(
                f"{path}: --uncertainty/--posterior: a region sweep draws no assumptions yet"
            )
        return load_region_sweep(path)
    return load_sweep(path, uncertainty, posterior)


def from_dict(data: dict[str, Any], name: str = "sweep", base_dir: str | Path = ".") -> Sweep:
    """A sweep from a spec written as a Python dict (``base`` relative to ``base_dir``)."""
    try:
        spec = SweepSpec.model_validate(data)
    except ValidationError as exc:
        raise SweepError(format_validation_error(f"<{name}>", exc)) from None
    return sweep_from_spec(spec, f"<{name}>", Path(base_dir), name)


def default_folder(sweep: Sweep) -> Path:
    return DEFAULT_ROOT / sweep.name


def _write_report(folder: str | Path, skipped: dict[str, str] | None = None) -> Path:
    """Write ``summary.html`` (and its charts) from what the folder's store holds."""
    with SweepStore(folder, read_only=True) as store:
        meta, wide = store.meta(), store.wide()
    return write_sweep_report(folder, meta, wide, skipped)


def execute_and_report(
    spec: str | Path | Sweep,
    out: str | Path | None = None,
    *,
    client: Any = None,
    scheduler: str | None = None,
    workers: int | None = None,
    retry_failed: bool = False,
    progress: Progress | None = None,
    runner: Runner | None = None,
) -> SweepOutcome:
    """Run (or resume) a sweep, then write ``sweep.json`` and ``summary.html``. ``runner``:
    what runs one run (default: the sweep's own, the outsourcing model or a region)."""
    sw = spec if isinstance(spec, Sweep) else load_any_sweep(spec)
    folder = Path(out) if out is not None else default_folder(sw)
    outcome = execute(
        sw,
        folder,
        client=client,
        scheduler=scheduler,
        workers=workers,
        retry_failed=retry_failed,
        progress=progress,
        runner=runner or sw.runner,
    )
    manifest = {
        "name": sw.name,
        "spec": sw.source,
        "runs": outcome.runs,
        "failed": outcome.failed,
        "complete": outcome.ran + outcome.resumed == outcome.runs,
        "ran_this_time": outcome.ran,
        "resumed": outcome.resumed,
        "wall_seconds": round(outcome.wall_seconds, 3),
        "workers": outcome.workers,
    }
    write_file(folder / "sweep.json", json.dumps(manifest, indent=2))
    _write_report(folder)
    return outcome


def run(
    spec: str | Path | Sweep,
    client: Any = None,
    *,
    out: str | Path | None = None,
    scheduler: str | None = None,
    workers: int | None = None,
    runner: Runner | None = None,
) -> pd.DataFrame:
    """Run (or resume) a sweep and return one row per run with its KPIs."""
    outcome = execute_and_report(
        spec, out, client=client, scheduler=scheduler, workers=workers, runner=runner
    )
    return load(outcome.folder)


def load(folder: str | Path) -> pd.DataFrame:
    """The runs of a sweep folder, one row per run with parameters and KPI columns."""
    try:
        with SweepStore(folder, read_only=True) as store:
            return store.wide()
    except StoreError as exc:
        raise SweepError(str(exc)) from None


def query(folder: str | Path, sql: str, timeout: float | None = 60.0) -> pd.DataFrame:
    """The whole result of a read-only SQL query on a sweep folder's store (its tables only:
    no file, network or settings access)."""
    with open_query(folder, sql, timeout=timeout) as result:
        frame, _ = result.head(10**12)
    return frame


@contextlib.contextmanager
def open_query(
    folder: str | Path, sql: str, *, timeout: float | None = 60.0
) -> Iterator[QueryResult]:
    """A read-only SQL query on a sweep folder's store, as a stream of rows: ``head(n)``
    for the first rows, ``csv_chunks()`` for all. A refused or failing query, or one still
    running after ``timeout`` seconds, raises SweepError with DuckDB's reason."""
    try:
        with SweepStore(folder, read_only=True) as store, store.stream(sql, timeout) as result:
            yield result
    except StoreError as exc:
        raise SweepError(str(exc)) from None
    except duckdb.InterruptException:
        raise SweepError(
            f"--sql: the query was stopped after {timeout:g} s; raise --timeout to let it run "
            "longer"
        ) from None
    except duckdb.Error as exc:
        raise SweepError(f"--sql: {exc}") from None


def kpi_table(folder: str | Path) -> pd.DataFrame:
    """Mean, sd, 5th and 95th percentile of each kept KPI over a sweep's successful runs."""
    wide = load(folder)
    meta = query(folder, "SELECT key, value FROM meta")
    meta = dict(zip(meta["key"], meta["value"], strict=True))
    return kpi_summary(wide, kpi_columns(wide, meta)) if len(wide) else wide


def analyse_folder(sw: Sweep, folder: str | Path) -> tuple[pd.DataFrame, dict[str, str]]:
    """Sensitivity indices of a finished sobol or morris sweep; writes ``sensitivity.csv``
    and adds the section (with charts) to ``summary.html``."""
    if sw.spec.sampler not in ("sobol", "morris"):
        raise SweepError(
            f"{sw.source}: sampler: sensitivity needs sobol or morris; this spec uses "
            f"{sw.spec.sampler}"
        )
    folder = Path(folder)
    wide = load(folder)
    try:
        table, skipped = analyse(
            sw.spec.sampler,
            problem(sw),
            sample_matrix(sw),
            wide,
            [k for k in sw.outputs if k in wide.columns],
            second_order=sw.spec.second_order,
            morris_levels=sw.spec.morris_levels,
            seed=sw.seed,
        )
    except SensitivityError as exc:
        raise SweepError(str(exc)) from None
    from simulator.outputs.workbooks import csv_text

    write_file(folder / SENSITIVITY_FILE, csv_text(table))
    _write_report(folder, skipped)
    return table, skipped


def sensitivity(
    spec: str | Path | Sweep,
    client: Any = None,
    *,
    out: str | Path | None = None,
    scheduler: str | None = None,
    workers: int | None = None,
    runner: Runner = run_model,
) -> pd.DataFrame:
    """Run (or resume) a sobol/morris sweep and return its sensitivity indices."""
    sw = _sweep(spec)
    if sw.spec.sampler not in ("sobol", "morris"):
        raise SweepError(
            f"{sw.source}: sampler: sensitivity needs sobol or morris; got {sw.spec.sampler}"
        )
    outcome = execute_and_report(
        sw, out, client=client, scheduler=scheduler, workers=workers, runner=runner
    )
    return analyse_folder(sw, outcome.folder)[0]


def optimise(
    spec: str | Path | Optimisation,
    client: Any = None,
    *,
    out: str | Path | None = None,
    scheduler: str | None = None,
    workers: int | None = None,
    progress: Any = None,
    runner: Runner = run_model,
) -> OptimiseOutcome:
    """Search (or resume searching) a plan's levers for the robust Pareto plans; write
    candidates.csv, pareto.csv, pareto/plan_NN.yaml and optimise.html into ``out``
    (default ``results/optimise/<name>``)."""
    opt = spec if isinstance(spec, Optimisation) else load_optimisation(spec)
    folder = Path(out) if out is not None else OPTIMISE_ROOT / opt.name
    # the plans' folder is replaced at the end: refuse one outsim did not write before work
    check_target(folder / "pareto", "folder of Pareto plans")
    outcome = robust_search.optimise(
        opt,
        folder,
        client=client,
        scheduler=scheduler,
        workers=workers,
        progress=progress,
        runner=runner,
    )
    robust_search.report(opt, outcome)
    return outcome


__all__ = [
    "Sweep",
    "SweepError",
    "SweepOutcome",
    "SweepSpec",
    "analyse_folder",
    "check_scheduler",
    "check_sweep_folder",
    "execute_and_report",
    "expected_samples",
    "from_dict",
    "load",
    "kpi_table",
    "load_any_sweep",
    "load_sweep",
    "open_query",
    "optimise",
    "optimisation_from_dict",
    "load_optimisation",
    "query",
    "run",
    "sensitivity",
]
