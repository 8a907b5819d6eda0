"""``outsim run``, ``outsim report`` and ``outsim compare``."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from simulator.cli.common import (
    DrawsOption,
    PosteriorOption,
    QuietOption,
    ReplicationsOption,
    SchedulerOption,
    SeedOption,
    WorkersOption,
    app,
    bad_input,
    check_out,
    check_scheduler,
    check_uncertainty,
    counted,
    err,
    fmt,
    guard,
    print_table,
    progress_bar,
    report_notes,
    safe,
    say,
    whole_numbers,
)
from simulator.outputs.formatting import in_currency
from simulator.scenario import Scenario, ScenarioError, load_scenario


def load(path: Path | None) -> Scenario:
    try:
        return load_scenario(path)
    except ScenarioError as exc:
        raise bad_input(str(exc)) from None


def summary_table(summary: dict) -> Table:
    """The headline KPIs: this plan, its own status quo and the paired change (or, without a
    status quo, the plan's mean and 5-95% range)."""
    from simulator.analysis.kpis import HEADLINE, HEADLINE_LABELS
    from simulator.outputs.formatting import change, span

    table = Table(
        title=safe(f"Scenario {summary['scenario']} — {summary['replications']} replications")
    )
    effects, base = summary.get("effects"), summary.get("status_quo")
    with_base = ("KPI", "this plan", "status quo", "change")
    cols = with_base if effects and base is not None else ("KPI", "mean", "5–95%")
    for col in cols:
        table.add_column(col, justify="left" if col == "KPI" else "right", overflow="fold")
    for name in HEADLINE:
        k = summary["kpis"][name]
        if effects and base is not None:
            cells = [
                fmt(k["mean"], k["unit"]),
                fmt(base[name]["mean"], k["unit"]),
                change(effects[name]["mean"], k["unit"]),
            ]
        else:
            cells = [fmt(k["mean"], k["unit"]), span(k["p05"], k["p95"], k["unit"])]
        table.add_row(HEADLINE_LABELS[name], *cells)
    for name, value in summary["scorecard"].items():
        score = "n/a" if value is None else f"{value:.0f}/100"
        table.add_row(f"Score: {name.replace('_', ' ')}", score, *[""] * (len(cols) - 2))
    return whole_numbers(table)


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
    no_safeguards: Annotated[
        bool,
        typer.Option(
            "--no-safeguards",
            help="Skip assessing each of the plan's lever groups (faster; the report then "
            "has no safeguards table)",
        ),
    ] = False,
    swing: Annotated[
        bool | None,
        typer.Option(
            "--swing/--no-swing",
            help="Swing each uncertainty over its plausible range (the report's tornado and "
            "switching values): --swing always, --no-swing never; by default when it fits "
            "2 minutes on one core, by the scenario's size (see `outsim swing`)",
            show_default=False,
        ),
    ] = None,
    uncertainty: Annotated[
        str | None,
        typer.Option(
            "--uncertainty",
            help="Split the spread into luck and knowledge (--draws draws × 2 runs): "
            "'ranges' draws the declared uncertainties from their plausible ranges, "
            "'posterior' the calibrated constants from their posterior (--posterior), "
            "'both' the two; 'none' holds them at their values. Default: both when it "
            "fits 2 minutes on one core",
            show_default=False,
        ),
    ] = None,
    draws: DrawsOption = 10,
    posterior: PosteriorOption = None,
    workers: WorkersOption = None,
    scheduler: SchedulerOption = None,
    quiet: QuietOption = False,
) -> None:
    """Run a scenario and write its results folder.

    The plan runs together with its own status quo (the scenario with the plan removed) on
    the same random draws, and with each of its lever groups switched off, so the report
    shows the plan's effects and what each safeguard costs and buys; when it fits a small
    budget, each uncertainty is swung over its plausible range (what could change the
    answer)."""
    import simulator

    check_uncertainty(uncertainty, posterior)
    sc = load(scenario)
    target = check_out(out_dir or Path("results") / sc.name, "results folder")
    scheduler = check_scheduler(scheduler)
    notes: list[str] = []
    with guard("results folder"):
        n = replications or sc.simulation.replications
        run_plan = partial(
            simulator.run,
            sc,
            n,
            seed,
            status_quo=True,
            safeguards=not no_safeguards,
            workers=workers,
            scheduler=scheduler,
            swing=swing,
            uncertainty=uncertainty or "both",
            split=True if uncertainty not in (None, "none") else None,
            draws=draws,
            posterior=posterior,
        )
        results = counted(f"{sc.name}: model runs", quiet, run_plan)
        results.save(target, notes)
    report_notes(notes)
    with in_currency(sc.company.currency):
        if not quiet:
            print_table(summary_table(results.summary))
        if results.swing is not None:
            from simulator.outputs.swing.words import top_sentence

            say(top_sentence(results.swing["rows"]))
        elif results.swing_note:
            say(f"What could change the answer: {results.swing_note}.")
    say(f"Results written to {target}/ (open {target / 'report.html'})")


@app.command()
def report(
    results_dir: Annotated[Path, typer.Argument(help="A results folder written by `outsim run`")],
) -> None:
    """Rebuild report.html from a results folder, without rerunning."""
    from simulator.outputs.run.report import ReportError, render_report, write_report

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
    reference: Annotated[
        str | None,
        typer.Option("--reference", help="The plan the others are compared with (default: first)"),
    ] = None,
    uncertainty: Annotated[
        str,
        typer.Option(
            "--uncertainty",
            help="Also run every plan in the same drawn futures (--draws × 2 runs): "
            "'ranges' draws the declared uncertainties from their plausible ranges, "
            "'posterior' the calibrated constants from their posterior (--posterior), "
            "'both' the two; 'none' leaves it out",
        ),
    ] = "none",
    draws: DrawsOption = 10,
    posterior: PosteriorOption = None,
    workers: WorkersOption = None,
    scheduler: SchedulerOption = None,
    quiet: QuietOption = False,
) -> None:
    """Run several plans with common random numbers and compare them; with --uncertainty,
    also in drawn futures (how often each plan beats the reference, and how much of the
    spread is knowledge)."""
    from simulator.analysis.compare import compare as run_comparison
    from simulator.analysis.compare import unique_labels
    from simulator.outputs.compare.report import save_comparison

    if len(scenarios) < 2:
        raise bad_input("compare needs two or more scenario files")
    drawn = check_uncertainty(uncertainty, posterior)
    plans = [load(p) for p in scenarios]
    currencies = sorted({p.company.currency for p in plans})
    if len(currencies) > 1:
        raise bad_input(
            f"the plans are in different currencies ({', '.join(currencies)}); expected one "
            "currency (company.currency) for every plan compared"
        )
    names, _ = unique_labels([p.name for p in plans], [p.stem for p in scenarios])
    if reference is not None and reference not in names:
        raise bad_input(f"--reference {reference!r}: not one of the plans ({', '.join(names)})")
    default = Path("results") / ("compare-" + "-vs-".join(names))[:120]
    target = check_out(out_dir or default, "comparison folder")
    scheduler = check_scheduler(scheduler)
    n = replications or plans[0].simulation.replications
    notes: list[str] = []
    with guard("comparison folder"):
        files = [p.stem for p in scenarios]
        run_plans = partial(
            run_comparison,
            plans,
            n,
            seed,
            labels=files,
            reference=reference or 0,
            workers=workers,
            scheduler=scheduler,
            uncertainty=uncertainty,
            draws=draws,
            posterior=drawn,
        )
        if quiet:
            result = run_plans()
        else:
            with progress_bar() as bar:
                overall = bar.add_task("plans", total=len(plans) * n)
                tasks = {name: bar.add_task(safe(name), total=n) for name in names}
                futures = None

                def step(name: str, k: int, total: int) -> None:
                    bar.update(tasks[name], completed=k)
                    bar.advance(overall)

                def drawn(done: int, total: int) -> None:
                    nonlocal futures
                    if futures is None:
                        futures = bar.add_task("drawn futures", total=total)
                    bar.update(futures, completed=done)

                result = run_plans(step, uncertainty_progress=drawn)
        with in_currency(currencies[0]):
            save_comparison(result, target, notes)
    report_notes(notes)
    for note in result.notes:
        say(f"note: {note}", err)
    with in_currency(currencies[0]):
        if not quiet:
            for t in comparison_tables(result):
                print_table(t)
        if result.uncertainty is not None and not quiet:
            print_table(futures_table(result.uncertainty))
    say(f"Comparison written to {target}/")


def futures_table(nested) -> Table:
    """Each plan against the reference in the drawn futures: the mean difference, the 90%
    range of single runs, and in how many futures the plan does better."""
    from simulator.outputs.compare.futures import future_rows

    draws = nested.effects.shape[0]
    t = Table(
        title=f"In {draws} drawn futures ({nested.mode}), against {safe(nested.reference_label)}"
    )
    for col in ("plan", "KPI", "difference", "90% of runs", "better in"):
        t.add_column(col, justify="left" if col in ("plan", "KPI") else "right", overflow="fold")
    for row in future_rows(nested):
        t.add_row(*(safe(row[k]) for k in ("plan", "kpi", "diff", "diff_range", "wins")))
    return whole_numbers(t)


def comparison_tables(result) -> list[Table]:
    """The headline KPIs, plans as rows (names never cut), a few KPIs per table so that
    each fits 100 columns; '*' marks a paired difference from the reference clear of noise."""
    from simulator.analysis.kpis import HEADLINE, HEADLINE_LABELS

    table = result.table()
    names = result.names
    tables = []
    groups = [HEADLINE[i : i + 4] for i in range(0, len(HEADLINE), 4)]
    for g, kpis in enumerate(groups):
        title = (
            f"{len(names)} plans, {result.replications} replications each (vs "
            f"{safe(result.reference_name)})"
            if g == 0
            else None
        )
        t = Table(title=title)
        t.add_column("plan", overflow="fold")
        for kpi in kpis:
            t.add_column(HEADLINE_LABELS[kpi], justify="right")
        for name in names:
            cells = []
            for kpi in kpis:
                r = table[(table["kpi"] == kpi) & (table["plan"] == name)].iloc[0]
                cell = fmt(None if r["mean"] != r["mean"] else r["mean"], r["unit"])
                cells.append(cell + (" *" if r["distinguishable"] else ""))
            t.add_row(safe(name), *cells)
        tables.append(whole_numbers(t))
    tables[-1].caption = (
        "* paired difference from the reference is clear of noise (paired t-test, Holm's "
        "adjustment over the KPIs, 5%)"
    )
    return tables
