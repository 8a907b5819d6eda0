"""``outsim sweep``, ``outsim sweep-results`` and ``outsim sensitivity``."""

from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from simulator.cli.common import (
    PosteriorOption,
    QuietOption,
    SchedulerOption,
    SpecUncertaintyOption,
    WorkersOption,
    app,
    bad_input,
    err,
    fmt,
    guard,
    print_table,
    safe,
    say,
    whole_numbers,
)

SweepOutOption = Annotated[
    Path | None,
    typer.Option("--out", help="Sweep folder (default results/sweeps/<name>/); reruns resume"),
]
RetryOption = Annotated[
    bool, typer.Option("--retry-failed", help="Run again the runs that failed last time")
]
DEFAULT_LIMIT = 5000


def run_sweep(
    spec: Path,
    out_dir,
    scheduler,
    workers,
    quiet: bool,
    retry: bool,
    uncertainty: str | None = None,
    posterior: Path | None = None,
):
    """Load, run (or resume) and report a sweep; returns (sweep, outcome)."""
    from simulator import sweep as sweeps

    try:
        scheduler = sweeps.check_scheduler(scheduler)
        sw = sweeps.load_any_sweep(spec, uncertainty, posterior)
        target = sweeps.check_sweep_folder(out_dir or sweeps.default_folder(sw))
    except sweeps.SweepError as exc:
        raise bad_input(str(exc)) from None
    resume = f"interrupted; finished runs are kept in {target}/; rerun the same command to resume"
    with guard("sweep", resume):
        try:
            if quiet:
                outcome = sweeps.execute_and_report(
                    sw, target, scheduler=scheduler, workers=workers, retry_failed=retry
                )
            else:
                with sweep_progress() as bar:
                    task = bar.add_task(safe(f"{sw.name}: runs"), total=None, failed=0)

                    def step(done: int, failed: int, total: int) -> None:
                        bar.update(task, completed=done, total=total, failed=failed)

                    outcome = sweeps.execute_and_report(
                        sw,
                        target,
                        scheduler=scheduler,
                        workers=workers,
                        retry_failed=retry,
                        progress=step,
                    )
        except sweeps.SweepError as exc:
            raise bad_input(str(exc)) from None
    return sw, outcome


def sweep_progress() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("[red]{task.fields[failed]} failed"),
        TimeElapsedColumn(),
        TextColumn("left"),
        TimeRemainingColumn(),
        console=err,
        transient=True,
    )


def outcome_line(outcome) -> str:
    done = outcome.ran + outcome.resumed
    return (
        f"{done}/{outcome.runs} runs stored in {outcome.folder}/ ({outcome.ran} ran now in "
        f"{outcome.wall_seconds:.1f} s, {outcome.resumed} resumed, {outcome.failed} failed); "
        f"open {outcome.folder / 'summary.html'}"
    )


@app.command()
def sweep(
    spec: Annotated[Path, typer.Argument(help="Sweep spec YAML (see experiments/)")],
    out_dir: SweepOutOption = None,
    scheduler: SchedulerOption = None,
    workers: WorkersOption = None,
    retry_failed: RetryOption = False,
    uncertainty: SpecUncertaintyOption = None,
    posterior: PosteriorOption = None,
    quiet: QuietOption = False,
) -> None:
    """Run a parameter sweep on Dask into a resumable DuckDB store; with --uncertainty each
    sample also draws the assumptions it does not vary (stored as its columns)."""
    _, outcome = run_sweep(
        spec, out_dir, scheduler, workers, quiet, retry_failed, uncertainty, posterior
    )
    say(outcome_line(outcome))
    if outcome.failed:
        say(f"{outcome.failed} runs failed; their errors are in the runs table", err)


@app.command("sweep-results")
def sweep_results(
    folder: Annotated[Path, typer.Argument(help="A sweep folder")],
    sql: Annotated[
        str | None,
        typer.Option(
            "--sql",
            help="A read-only SQL query on the tables runs, kpis, samples, monthly and meta "
            "(no file, network or settings access)",
        ),
    ] = None,
    csv: Annotated[
        bool, typer.Option("--csv", help="Print every row as CSV (redirect it to a file)")
    ] = False,
    limit: Annotated[
        int,
        typer.Option("--limit", min=1, max=1_000_000, help="Rows shown in a table (not --csv)"),
    ] = DEFAULT_LIMIT,
    timeout: Annotated[
        float, typer.Option("--timeout", min=0.1, max=86_400, help="Seconds a query may run")
    ] = 60.0,
) -> None:
    """Summarise a sweep folder, or run a read-only SQL query on its store."""
    from simulator import sweep as sweeps

    if sql is not None:
        try:
            with sweeps.open_query(folder, sql, timeout=timeout) as result:
                if csv:
                    from simulator.outputs.workbooks import neutralise

                    for chunk in result.csv_chunks(neutralise):
                        sys.stdout.write(chunk)
                    return
                frame, more = result.head(limit)
        except sweeps.SweepError as exc:
            raise bad_input(str(exc)) from None
        from pandas.api.types import is_bool_dtype, is_numeric_dtype

        t = Table()
        for col in frame.columns:
            numeric = is_numeric_dtype(frame[col]) and not is_bool_dtype(frame[col])
            t.add_column(safe(col), overflow="fold", justify="right" if numeric else "left")
        for row in frame.itertuples(index=False):
            t.add_row(*(cell(v) for v in row))
        print_table(t)
        if more:
            say(f"first {limit} rows shown; --limit N for more, --csv for all", err)
        return
    try:
        frame = sweeps.kpi_table(folder)
    except sweeps.SweepError as exc:
        raise bad_input(str(exc)) from None
    if csv:
        from simulator.outputs.workbooks import csv_text

        sys.stdout.write(csv_text(frame))
        return
    t = Table(title=safe(f"{folder}: KPIs over successful runs"))
    for col in ("KPI", "runs", "mean", "sd", "p05", "p95"):
        t.add_column(col, justify="left" if col == "KPI" else "right", overflow="fold")
    for r in frame.itertuples(index=False):
        t.add_row(safe(r.kpi), str(r.runs), *(fmt(num(getattr(r, c)), r.unit) for c in STATS))
    print_table(t)


STATS = ("mean", "sd", "p05", "p95")


def num(value) -> float | None:
    return None if value is None or value != value else float(value)


def cell(value) -> str:
    """A query result's cell: numbers as people read them (no 1.40896e+06)."""
    if isinstance(value, float):
        if value != value:
            return ""
        if abs(value) >= 1e4:
            return f"{value:,.0f}"
        return f"{value:.4g}"
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 1e4:
        return f"{value:,}"
    return safe(value)


@app.command()
def sensitivity(
    spec: Annotated[Path, typer.Argument(help="Sweep spec with sampler: sobol or morris")],
    out_dir: SweepOutOption = None,
    scheduler: SchedulerOption = None,
    workers: WorkersOption = None,
    quiet: QuietOption = False,
) -> None:
    """Run (or resume) a Sobol or Morris sweep and report sensitivity indices."""
    from simulator import sweep as sweeps

    try:
        sw = sweeps.load_sweep(spec)
    except sweeps.SweepError as exc:
        raise bad_input(str(exc)) from None
    if sw.spec.sampler not in ("sobol", "morris"):
        raise bad_input(
            f"{spec}: sampler: sensitivity needs sobol or morris; this spec uses "
            f"{sw.spec.sampler} (run it with `outsim sweep`)"
        )
    sw, outcome = run_sweep(spec, out_dir, scheduler, workers, quiet, False)
    with guard("sensitivity analysis"):
        try:
            table, skipped = sweeps.analyse_folder(sw, outcome.folder)
        except sweeps.SweepError as exc:
            raise bad_input(str(exc)) from None
    if not quiet:
        print_table(sensitivity_table(table, sw.spec.sampler))
    for why in skipped.values():
        say(f"not analysed: {why}", err)
    say(
        f"Sensitivity written to {outcome.folder / 'sensitivity.csv'} and "
        f"{outcome.folder / 'summary.html'}"
    )


def sensitivity_table(table, method: str) -> Table:
    sobol = method == "sobol"
    cols = ("S1", "S1_conf", "ST", "ST_conf") if sobol else ("mu_star", "mu_star_conf", "sigma")
    t = Table(title=f"{'Sobol' if sobol else 'Morris'} indices (on means over replications)")
    t.add_column("KPI", overflow="fold")
    t.add_column("parameter", overflow="fold")
    for c in cols:
        t.add_column(c.replace("_conf", " ±95%"), justify="right")
    t.add_column("noise", justify="right")
    for r in table.itertuples(index=False):
        noise = "n/a" if r.noise_share != r.noise_share else f"{100 * r.noise_share:.0f}%"
        t.add_row(r.kpi, safe(r.parameter), *(f"{getattr(r, c):.3g}" for c in cols), noise)
    t.caption = "noise: share of the variance of sample means that is replication noise"
    return whole_numbers(t)


@app.command()
def discover(
    folder: Annotated[Path, typer.Argument(help="A sweep folder (outsim sweep's --out)")],
    kpi: Annotated[str, typer.Option("--kpi", help="The KPI whose outcome is explained")],
    below: Annotated[
        float | None, typer.Option("--below", help="The outcome: the KPI below this value")
    ] = None,
    above: Annotated[
        float | None, typer.Option("--above", help="The outcome: the KPI above this value")
    ] = None,
    out_dir: Annotated[
        Path | None,
        typer.Option("--out", help="Output folder (default: <FOLDER>_discover_<KPI>, beside it)"),
    ] = None,
    density: Annotated[
        float,
        typer.Option("--density", min=0.05, max=1.0, help="Least density of the chosen box"),
    ] = 0.8,
    max_restricted: Annotated[
        int, typer.Option("--max-restricted", min=1, max=50, help="Most inputs it may limit")
    ] = 3,
    mass_min: Annotated[
        float,
        typer.Option("--mass-min", min=0.001, max=0.5, help="Smallest box (share of samples)"),
    ] = 0.05,
    quiet: QuietOption = False,
) -> None:
    """Scenario discovery (PRIM): which combinations of a sweep's inputs lead to an outcome,
    e.g. `--kpi reemployed_share_24m --below 0.7`. Writes boxes.csv, discovery.json and the
    trajectory and box charts."""
    from simulator.sweep import discover as discovery
    from simulator.sweep.execution import SweepError

    if (below is None) == (above is None):
        raise bad_input("give exactly one of --below VALUE or --above VALUE (the outcome)")
    threshold = below if below is not None else above
    if threshold is None or not math.isfinite(threshold):
        raise bad_input(f"--below/--above {threshold}: expected a finite number")
    try:
        result = discovery.discover(
            folder, kpi, threshold, below is not None, density, max_restricted, mass_min=mass_min
        )
    except SweepError as exc:
        raise bad_input(str(exc)) from None
    target = out_dir or folder.parent / f"{folder.name}_discover_{kpi}"
    with guard("discovery"):
        written = discovery.save(result, target, folder)
    if not quiet and result.chosen.box.limits:
        c = result.chosen
        title = f"Chosen box: density {c.density:.0%}, coverage {c.coverage:.0%}, mass {c.mass:.0%}"
        t = Table(title=title)
        t.add_column("input", overflow="fold")
        t.add_column("limits")
        t.add_column("quasi-p", justify="right")
        for name, limit in result.chosen.box.limits.items():
            text = discovery.describe_limit(name, limit, result.inputs, discovery.show_input(name))
            shown = text.split(" is ", 1)[1]
            t.add_row(safe(name), safe(shown), f"{result.quasi_p[name]:.2g}")
        print_table(t)
    say(result.sentence)
    if result.leaves:
        leaf = result.leaves[0]
        say(
            f"CART's densest leaf: {' and '.join(leaf.conditions) or 'every run'} — "
            f"{leaf.density:.0%} of its {leaf.runs} combinations, {leaf.coverage:.0%} of all "
            "where it happens."
        )
    say(f"Discovery written to {written}")
