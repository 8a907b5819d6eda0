"""``outsim run``, ``outsim report`` and ``outsim compare``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from simulator.analysis.kpis import HEADLINE
from simulator.cli.common import (
    QuietOption,
    ReplicationsOption,
    SeedOption,
    app,
    bad_input,
    check_out,
    fmt,
    guard,
    out,
    progress_bar,
    report_notes,
    safe,
    say,
)
from simulator.scenario import Scenario, ScenarioError, load_scenario


def load(path: Path | None) -> Scenario:
    try:
        return load_scenario(path)
    except ScenarioError as exc:
        raise bad_input(str(exc)) from None


def summary_table(summary: dict) -> Table:
    table = Table(
        title=safe(f"Scenario {summary['scenario']} — {summary['replications']} replications")
    )
    for col in ("KPI", "mean", "p05", "p95"):
        table.add_column(col, justify="left" if col == "KPI" else "right")
    for name in HEADLINE:
        k = summary["kpis"][name]
        table.add_row(name, *(fmt(k[s], k["unit"]) for s in ("mean", "p05", "p95")))
    for name, value in summary["scorecard"].items():
        table.add_row(f"score: {name}", "n/a" if value is None else f"{value:.0f}/100", "", "")
    return table


@app.command()
def run(
    scenario: Annotated[
        Path | None, typer.Argument(help="Scenario YAML file (default: the bundled default)")
    ] = None,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Results folder (default results/<name>/); an existing one is replaced only "
            "if outsim wrote it",
        ),
    ] = None,
    replications: ReplicationsOption = None,
    seed: SeedOption = None,
    quiet: QuietOption = False,
) -> None:
    """Run a scenario and write its results folder."""
    import simulator

    sc = load(scenario)
    target = check_out(out_dir or Path("results") / sc.name, "results folder")
    notes: list[str] = []
    with guard("results folder"):
        n = replications or sc.simulation.replications
        if quiet:
            results = simulator.run(sc, n, seed)
        else:
            with progress_bar() as bar:
                task = bar.add_task(safe(f"{sc.name}: replications"), total=n)
                results = simulator.run(sc, n, seed, lambda k, _: bar.update(task, completed=k))
        results.save(target, notes)
    report_notes(notes)
    if not quiet:
        out.print(summary_table(results.summary))
    say(f"Results written to {target}/ (open {target / 'report.html'})")


@app.command()
def report(
    results_dir: Annotated[Path, typer.Argument(help="A results folder written by `outsim run`")],
) -> None:
    """Rebuild report.html from a results folder, without rerunning."""
    from simulator.outputs.report import ReportError, render_report, write_report

    try:
        html = render_report(results_dir)  # reads and checks every file before writing
    except ReportError as exc:
        raise bad_input(str(exc)) from None
    with guard("report"):
        try:
            path = write_report(results_dir, html=html)
        except ReportError as exc:
            raise bad_input(str(exc)) from None
    say(f"Report written to {path}")


@app.command()
def compare(
    scenarios: Annotated[
        list[Path], typer.Argument(help="Two or more scenario files; the first is the reference")
    ],
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Comparison folder (default results/compare-<names>/); an existing one is "
            "replaced only if outsim wrote it",
        ),
    ] = None,
    replications: ReplicationsOption = None,
    seed: SeedOption = None,
    quiet: QuietOption = False,
) -> None:
    """Run several plans with common random numbers and compare them."""
    from simulator.analysis.compare import compare as run_comparison
    from simulator.outputs.comparison import save_comparison

    plans = [load(p) for p in scenarios]
    names = [p.name for p in plans]
    if len(set(names)) != len(names):
        raise bad_input(f"plans must have distinct simulation.name values; got {', '.join(names)}")
    default = Path("results") / ("compare-" + "-vs-".join(names))[:120]
    target = check_out(out_dir or default, "comparison folder")
    n = replications or plans[0].simulation.replications
    notes: list[str] = []
    with guard("comparison folder"):
        if quiet:
            result = run_comparison(plans, n, seed)
        else:
            with progress_bar() as bar:
                overall = bar.add_task("plans", total=len(plans) * n)
                tasks = {p.name: bar.add_task(safe(p.name), total=n) for p in plans}

                def step(name: str, k: int, total: int) -> None:
                    bar.update(tasks[name], completed=k)
                    bar.advance(overall)

                result = run_comparison(plans, n, seed, step)
        save_comparison(result, target, notes)
    report_notes(notes)
    if not quiet:
        out.print(comparison_table(result))
    say(f"Comparison written to {target}/")


def comparison_table(result) -> Table:
    table = result.table()
    names = result.names
    t = Table(title=f"{len(names)} plans, {result.replications} replications each (vs {names[0]})")
    t.add_column("KPI")
    for n in names:
        t.add_column(safe(n), justify="right")
    for kpi in HEADLINE:
        sub = table[table["kpi"] == kpi].set_index("plan")
        cells = []
        for i, n in enumerate(names):
            r = sub.loc[n]
            cell = fmt(None if r["mean"] != r["mean"] else r["mean"], r["unit"])
            if i and r["distinguishable"]:
                cell += " *"
            cells.append(cell)
        t.add_row(kpi, *cells)
    t.caption = "* paired difference from the first plan is clear of noise (95% interval)"
    return t
