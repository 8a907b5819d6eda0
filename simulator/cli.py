"""``outsim``: the command-line interface.

Exit status: 0 success, 2 bad input (with a message naming the file, the field path and
what was expected), 1 internal error (one line on stderr; the traceback goes to a log file).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

import simulator
from simulator.analysis.kpis import HEADLINE
from simulator.scenario import Scenario, ScenarioError, load_scenario
from simulator.scenario.schema import Scenario as ScenarioModel

app = typer.Typer(
    name="outsim",
    help="Simulate what a customer-service outsourcing plan does to costs, customers, data, "
    "vendor staff, displaced workers and their community.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
out = Console()
err = Console(stderr=True)


# options shared by the commands that run models
SeedOption = Annotated[int | None, typer.Option("--seed", min=0, help="Root seed")]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No progress or table")]
ReplicationsOption = Annotated[
    int | None,
    typer.Option("--replications", "-n", min=1, help="Replications (per plan)"),
]


def bad_input(message: str) -> typer.Exit:
    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    return typer.Exit(code=2)


def _load(path: Path | None) -> Scenario:
    try:
        return load_scenario(path)
    except ScenarioError as exc:
        raise bad_input(str(exc)) from None


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "n/a"
    if unit == "USD":
        return f"${value / 1e6:,.2f}M" if abs(value) >= 1e5 else f"${value:,.0f}"
    if unit.startswith("share") or unit.startswith("probability"):
        return f"{100 * value:.1f}%"
    return f"{value:,.2f}"


def _summary_table(summary: dict) -> Table:
    table = Table(title=f"Scenario {summary['scenario']} — {summary['replications']} replications")
    for col in ("KPI", "mean", "p05", "p95"):
        table.add_column(col, justify="left" if col == "KPI" else "right")
    for name in HEADLINE:
        k = summary["kpis"][name]
        table.add_row(name, *(_fmt(k[s], k["unit"]) for s in ("mean", "p05", "p95")))
    for name, value in summary["scorecard"].items():
        table.add_row(f"score: {name}", "n/a" if value is None else f"{value:.0f}/100", "", "")
    return table


@app.command()
def run(
    scenario: Annotated[
        Path | None, typer.Argument(help="Scenario YAML file (default: the bundled default)")
    ] = None,
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="Results folder (default results/<name>/)")
    ] = None,
    replications: ReplicationsOption = None,
    seed: SeedOption = None,
    quiet: QuietOption = False,
) -> None:
    """Run a scenario and write its results folder."""
    sc = _load(scenario)
    target = out_dir or Path("results") / sc.name
    with _guard(target, "results folder"):
        n = replications or sc.simulation.replications
        if quiet:
            results = simulator.run(sc, n, seed)
        else:
            with _progress() as bar:
                task = bar.add_task(f"{sc.name}: replications", total=n)
                results = simulator.run(sc, n, seed, lambda k, _: bar.update(task, completed=k))
        results.save(target)
    if not quiet:
        out.print(_summary_table(results.summary))
    out.print(
        escape(f"Results written to {target}/ (open {target / 'report.html'})"), soft_wrap=True
    )


@contextmanager
def _guard(target: Path, what: str, interrupted: str | None = None) -> Iterator[None]:
    """Turn an interrupt or an internal error into an exit status and one line on stderr
    (the traceback goes to ``target/error.log``)."""
    try:
        yield
    except typer.Exit:
        raise
    except KeyboardInterrupt:
        err.print(escape(interrupted or f"interrupted; no {what} was written"), soft_wrap=True)
        raise typer.Exit(code=130) from None
    except Exception as exc:
        log = _log_error(target)
        err.print(
            escape(f"internal error: {type(exc).__name__}: {exc} (traceback in {log})"),
            soft_wrap=True,
        )
        raise typer.Exit(code=1) from None


def _log_error(target: Path) -> Path:
    """Write the current traceback to ``target/error.log`` (or a temp file if impossible)."""
    text = traceback.format_exc()
    try:
        target.mkdir(parents=True, exist_ok=True)
        log = target / "error.log"
        log.write_text(text, encoding="utf-8")
    except OSError:
        fd, name = tempfile.mkstemp(prefix="outsim-error-", suffix=".log")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        log = Path(name)
    return log


@app.command()
def report(
    results_dir: Annotated[Path, typer.Argument(help="A results folder written by `outsim run`")],
) -> None:
    """Rebuild report.html from a results folder, without rerunning."""
    from simulator.outputs.report import ReportError, write_report

    try:
        ReportError.check(results_dir)
    except ReportError as exc:
        raise bad_input(str(exc)) from None
    with _guard(results_dir, "report"):
        path = write_report(results_dir)
    out.print(escape(f"Report written to {path}"), soft_wrap=True)


@app.command()
def compare(
    scenarios: Annotated[
        list[Path], typer.Argument(help="Two or more scenario files; the first is the reference")
    ],
    out_dir: Annotated[
        Path | None,
        typer.Option("--out", help="Comparison folder (default results/compare-<names>/)"),
    ] = None,
    replications: ReplicationsOption = None,
    seed: SeedOption = None,
    quiet: QuietOption = False,
) -> None:
    """Run several plans with common random numbers and compare them."""
    from simulator.analysis.compare import compare as run_comparison
    from simulator.outputs.comparison import save_comparison

    plans = [_load(p) for p in scenarios]
    names = [p.name for p in plans]
    if len(set(names)) != len(names):
        raise bad_input(f"plans must have distinct simulation.name values; got {', '.join(names)}")
    target = out_dir or Path("results") / ("compare-" + "-vs-".join(names))[:120]
    n = replications or plans[0].simulation.replications
    with _guard(target, "comparison folder"):
        if quiet:
            result = run_comparison(plans, n, seed)
        else:
            with _progress() as bar:
                overall = bar.add_task("plans", total=len(plans) * n)
                tasks = {p.name: bar.add_task(f"{p.name}", total=n) for p in plans}

                def step(name: str, k: int, total: int) -> None:
                    bar.update(tasks[name], completed=k)
                    bar.advance(overall)

                result = run_comparison(plans, n, seed, step)
        save_comparison(result, target)
    if not quiet:
        out.print(_comparison_table(result))
    out.print(escape(f"Comparison written to {target}/"), soft_wrap=True)


def _comparison_table(result) -> Table:
    table = result.table()
    names = result.names
    t = Table(title=f"{len(names)} plans, {result.replications} replications each (vs {names[0]})")
    t.add_column("KPI")
    for n in names:
        t.add_column(n, justify="right")
    for kpi in HEADLINE:
        sub = table[table["kpi"] == kpi].set_index("plan")
        cells = []
        for i, n in enumerate(names):
            r = sub.loc[n]
            cell = _fmt(None if r["mean"] != r["mean"] else r["mean"], r["unit"])
            if i and r["distinguishable"]:
                cell += " *"
            cells.append(cell)
        t.add_row(kpi, *cells)
    t.caption = "* paired difference from the first plan is clear of noise (95% interval)"
    return t


def _progress() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
    )


SchedulerOption = Annotated[
    str | None,
    typer.Option(
        "--scheduler",
        help="Address of a running Dask scheduler (tcp://HOST:PORT); default: a local cluster",
    ),
]
WorkersOption = Annotated[
    int | None,
    typer.Option("--workers", min=1, help="Local cluster worker processes (default: cores)"),
]
SweepOutOption = Annotated[
    Path | None,
    typer.Option("--out", help="Sweep folder (default results/sweeps/<name>/); reruns resume"),
]
RetryOption = Annotated[
    bool, typer.Option("--retry-failed", help="Run again the runs that failed last time")
]


def _run_sweep(spec: Path, out_dir, scheduler, workers, quiet: bool, retry: bool):
    """Load, run (or resume) and report a sweep; returns (sweep, outcome)."""
    from simulator import sweep as sweeps

    try:
        sw = sweeps.load_sweep(spec)
    except sweeps.SweepError as exc:
        raise bad_input(str(exc)) from None
    target = out_dir or sweeps.default_folder(sw)
    resume = f"interrupted; finished runs are kept in {target}/; rerun the same command to resume"
    with _guard(target, "sweep", resume):
        try:
            if quiet:
                outcome = sweeps.execute_and_report(
                    sw, target, scheduler=scheduler, workers=workers, retry_failed=retry
                )
            else:
                with _sweep_progress() as bar:
                    task = bar.add_task(f"{sw.name}: runs", total=None, failed=0)

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


def _sweep_progress() -> Progress:
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


def _outcome_line(outcome) -> str:
    done = outcome.ran + outcome.resumed
    text = (
        f"{done}/{outcome.runs} runs stored in {outcome.folder}/ ({outcome.ran} ran now in "
        f"{outcome.wall_seconds:.1f} s, {outcome.resumed} resumed, {outcome.failed} failed); "
        f"open {outcome.folder / 'summary.html'}"
    )
    return text


@app.command()
def sweep(
    spec: Annotated[Path, typer.Argument(help="Sweep spec YAML (see experiments/)")],
    out_dir: SweepOutOption = None,
    scheduler: SchedulerOption = None,
    workers: WorkersOption = None,
    retry_failed: RetryOption = False,
    quiet: QuietOption = False,
) -> None:
    """Run a parameter sweep on Dask into a resumable DuckDB store."""
    _, outcome = _run_sweep(spec, out_dir, scheduler, workers, quiet, retry_failed)
    out.print(escape(_outcome_line(outcome)), soft_wrap=True)
    if outcome.failed:
        err.print(
            escape(f"{outcome.failed} runs failed; their errors are in the runs table"),
            soft_wrap=True,
        )


@app.command("sweep-results")
def sweep_results(
    folder: Annotated[Path, typer.Argument(help="A sweep folder")],
    sql: Annotated[
        str | None,
        typer.Option("--sql", help="SQL on tables runs, kpis, samples, monthly, meta"),
    ] = None,
    csv: Annotated[bool, typer.Option("--csv", help="Print CSV instead of a table")] = False,
) -> None:
    """Summarise a sweep folder, or run a SQL query on its store."""
    from simulator import sweep as sweeps
    from simulator.outputs.sweep_report import kpi_columns, kpi_summary

    try:
        if sql:
            frame = sweeps.query(folder, sql)
        else:
            wide = sweeps.load(folder)
            meta = sweeps.query(folder, "SELECT key, value FROM meta")
            meta = dict(zip(meta["key"], meta["value"], strict=True))
            frame = kpi_summary(wide, kpi_columns(wide, meta)) if len(wide) else wide
    except sweeps.SweepError as exc:
        raise bad_input(str(exc)) from None
    except Exception as exc:  # a query error is the user's input
        raise bad_input(f"--sql: {exc}") from None
    if csv:
        sys.stdout.write(frame.to_csv(index=False))
        return
    if sql:
        t = Table()
        for col in frame.columns:
            t.add_column(escape(str(col)), overflow="fold")
        for row in frame.itertuples(index=False):
            t.add_row(*(_cell(v) for v in row))
    else:
        t = Table(title=escape(f"{folder}: KPIs over successful runs"))
        for col in ("KPI", "runs", "mean", "sd", "p05", "p95"):
            t.add_column(col, justify="left" if col == "KPI" else "right", no_wrap=col == "KPI")
        for r in frame.itertuples(index=False):
            t.add_row(r.kpi, str(r.runs), *(_fmt(_num(getattr(r, c)), r.unit) for c in STATS))
    out.print(t)


STATS = ("mean", "sd", "p05", "p95")


def _num(value) -> float | None:
    return None if value is None or value != value else float(value)


def _cell(value) -> str:
    if isinstance(value, float):
        return "" if value != value else f"{value:.6g}"
    return escape(str(value))


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
    sw, outcome = _run_sweep(spec, out_dir, scheduler, workers, quiet, False)
    with _guard(outcome.folder, "sensitivity analysis"):
        try:
            table, skipped = sweeps.analyse_folder(sw, outcome.folder)
        except sweeps.SweepError as exc:
            raise bad_input(str(exc)) from None
    if not quiet:
        out.print(_sensitivity_table(table, sw.spec.sampler))
    for why in skipped.values():
        err.print(escape(f"not analysed: {why}"), soft_wrap=True)
    out.print(
        escape(
            f"Sensitivity written to {outcome.folder / 'sensitivity.csv'} and "
            f"{outcome.folder / 'summary.html'}"
        ),
        soft_wrap=True,
    )


def _sensitivity_table(table, method: str) -> Table:
    sobol = method == "sobol"
    cols = ("S1", "S1_conf", "ST", "ST_conf") if sobol else ("mu_star", "mu_star_conf", "sigma")
    t = Table(title=f"{'Sobol' if sobol else 'Morris'} indices (on means over replications)")
    t.add_column("KPI")
    t.add_column("parameter")
    for c in cols:
        t.add_column(c.replace("_conf", " ±95%"), justify="right")
    t.add_column("noise", justify="right")
    for r in table.itertuples(index=False):
        noise = "n/a" if r.noise_share != r.noise_share else f"{100 * r.noise_share:.0f}%"
        t.add_row(r.kpi, r.parameter, *(f"{getattr(r, c):.3g}" for c in cols), noise)
    t.caption = "noise: share of the variance of sample means that is replication noise"
    return t


@app.command("validate-model")
def validate_model(
    replications: Annotated[
        int, typer.Option("--replications", "-n", min=2, help="Replications per experiment")
    ] = 10,
    out_dir: Annotated[
        Path, typer.Option("--out", help="Folder for validation.csv and validation.html")
    ] = Path("results") / "validation",
    seed: Annotated[int, typer.Option("--seed", min=0, help="Root seed")] = 20261129,
    experiments: Annotated[
        Path | None,
        typer.Option(
            "--experiments", help="Folder of validation scenarios (experiments/validation)"
        ),
    ] = None,
    quiet: QuietOption = False,
) -> None:
    """Check the default calibration against published facts (exit 1 if any fails)."""
    from simulator.analysis.validation import REPO_EXPERIMENTS, run_validation
    from simulator.outputs.validation_report import save_validation

    folder = experiments or REPO_EXPERIMENTS
    if not folder.is_dir():
        raise bad_input(
            f"{folder}: no validation experiments here; expected the repository's "
            "experiments/validation folder (pass --experiments DIR)"
        )
    with _guard(out_dir, "validation folder"):
        try:
            if quiet:
                table = run_validation(replications, seed, folder)
            else:
                with _progress() as bar:
                    task = bar.add_task("validation experiments", total=None)

                    def step(done: int, total: int) -> None:
                        bar.update(task, completed=done, total=total)

                    table = run_validation(replications, seed, folder, step)
        except (FileNotFoundError, ScenarioError) as exc:
            raise bad_input(str(exc)) from None
        save_validation(table, out_dir, replications, seed, simulator.__version__)
    if not quiet:
        out.print(_validation_table(table))
    passed = int(table["pass"].sum())
    out.print(
        escape(
            f"{passed}/{len(table)} facts reproduced; written to {out_dir}/ "
            f"(open {out_dir / 'validation.html'})"
        ),
        soft_wrap=True,
    )
    if passed < len(table):
        failed = ", ".join(table.loc[~table["pass"], "fact"])
        err.print(escape(f"failed: {failed}"), soft_wrap=True)
        raise typer.Exit(code=1)


def _validation_table(table) -> Table:
    t = Table(title="Default calibration against published facts")
    for col in ("fact", "model", "95% interval", "accepted", ""):
        t.add_column(col, justify="left" if col in ("fact", "") else "right", no_wrap=True)
    for r in table.to_dict("records"):
        t.add_row(
            r["fact"],
            f"{r['model_mean']:.3g}",
            f"{r['model_ci95_low']:.3g} – {r['model_ci95_high']:.3g}",
            f"{r['accepted_low']:.3g} – {r['accepted_high']:.3g}",
            "[green]pass[/]" if r["pass"] else "[bold red]FAIL[/]",
        )
    return t


@app.command()
def bench(
    scales: Annotated[
        str, typer.Option("--scales", help="Comma-separated scales of the default scenario")
    ] = "1,10,100",
    months: Annotated[
        int | None,
        typer.Option("--months", min=1, help="Months at every scale (default 60; 24 at ×100)"),
    ] = None,
    no_profile: Annotated[bool, typer.Option("--no-profile", help="Skip the profiles")] = False,
    seed: SeedOption = None,
) -> None:
    """Benchmark one replication at several scales against a numpy floor (docs/PERFORMANCE.md)."""
    from simulator.benchmark import DEFAULT_SEED, run_benchmark

    try:
        values = [float(s) for s in scales.split(",") if s.strip()]
    except ValueError:
        raise bad_input(f"--scales: {scales!r}; expected numbers separated by commas") from None
    if not values or any(v <= 0 for v in values):
        raise bad_input(f"--scales: {scales!r}; expected positive numbers such as 1,10,100")
    run_benchmark(
        values,
        months=months,
        profile=not no_profile,
        seed=DEFAULT_SEED if seed is None else seed,
        console=out,
    )


@app.command()
def validate(
    files: Annotated[list[Path], typer.Argument(help="Scenario files to check")],
) -> None:
    """Check scenario files; report every problem found."""
    failed = 0
    for f in files:
        try:
            sc = load_scenario(f)
        except ScenarioError as exc:
            failed += 1
            err.print(f"[bold red]invalid:[/] {escape(str(exc))}", highlight=False, soft_wrap=True)
            continue
        out.print(
            f"[green]ok[/] {escape(str(f))} ({sc.name}, {len(sc.vendors)} vendors)", highlight=False
        )
    if failed:
        raise typer.Exit(code=2)


@app.command()
def schema() -> None:
    """Print the scenario JSON Schema (for editors and validation tools)."""
    sys.stdout.write(json.dumps(ScenarioModel.model_json_schema(), indent=2) + "\n")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
