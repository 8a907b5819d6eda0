"""``outsim swing``: what could change the answer (a tornado and switching values)."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from simulator.cli.common import (
    QuietOption,
    SchedulerOption,
    SeedOption,
    WorkersOption,
    app,
    bad_input,
    check_out,
    check_scheduler,
    counted,
    guard,
    print_table,
    safe,
    say,
    whole_numbers,
)
from simulator.cli.runs import load


@app.command()
def swing(
    scenario: Annotated[
        Path | None, typer.Argument(help="Scenario YAML file (default: the bundled default)")
    ] = None,
    out_dir: Annotated[
        Path | None,
        typer.Option("--out", help="Folder (default results/<name>_swing/)"),
    ] = None,
    replications: Annotated[
        int,
        typer.Option(
            "--replications", "-n", min=1, max=200, help="Paired replications per end (CRN)"
        ),
    ] = 5,
    seed: SeedOption = None,
    refine: Annotated[
        bool,
        typer.Option(
            "--refine/--no-refine",
            help="Find switching values by root-finding on paired runs, with an interval "
            "(default), or only read them off the three points run",
        ),
    ] = True,
    workers: WorkersOption = None,
    scheduler: SchedulerOption = None,
    quiet: QuietOption = False,
) -> None:
    """Swing each uncertainty over its plausible range, one at a time on common random
    numbers: which assumptions move the plan's effect most (tornado.png, swing.csv) and at
    which value its NPV against the status quo crosses zero (switching.csv)."""
    from simulator.analysis.swing import refine_switching
    from simulator.analysis.swing import swing as run_swing
    from simulator.outputs.swing.report import write_swing

    sc = load(scenario)
    target = check_out(out_dir or Path("results") / f"{sc.name}_swing", "swing folder")
    scheduler = check_scheduler(scheduler)
    with guard("swing folder"):
        work = partial(run_swing, sc, replications, seed, workers=workers, scheduler=scheduler)
        try:
            result = counted(f"{sc.name}: swing runs", quiet, work)
        except ValueError as exc:
            raise bad_input(str(exc)) from None
        if refine and result.switching:
            if not quiet:
                say(f"Refining {len(result.switching)} switching value(s) by root-finding …")
            refine_switching(result, workers=workers, scheduler=scheduler)
        summary = write_swing(result, target)
    if not quiet:
        print_table(swing_table(result))
    for sentence in summary["sentences"]:
        say(sentence)
    say(f"{result.runs} model runs in {result.seconds:.0f} s; written to {target}/")


def swing_table(result, shown: int = 10) -> Table:
    """The uncertainties that move the NPV most: range, effect at each end, swing."""
    from simulator.outputs.formatting import change

    table = result.table()
    rows = table[table["kpi"] == "npv_net_savings"].head(shown)
    t = Table(
        title=f"What moves the NPV against the status quo ({result.replications} paired "
        "replications per end)"
    )
    for col in ("uncertainty", "range", "at low", "at high", "swing"):
        t.add_column(col, justify="left" if col == "uncertainty" else "right", overflow="fold")
    for _, r in rows.iterrows():
        vendor = str(r["uncertainty"]).startswith("vendors.*.")
        low, high = (
            (f"×{r['low']:.3g}", f"×{r['high']:.3g}")
            if vendor
            else (
                f"{r['low']:.3g}",
                f"{r['high']:.3g}",
            )
        )
        t.add_row(
            safe(str(r["uncertainty"])),
            f"{low}–{high}",
            change(r["effect_low"], "USD"),
            change(r["effect_high"], "USD"),
            change(r["swing"], "USD"),
        )
    return whole_numbers(t)


@app.command()
def calibrate(
    spec: Annotated[
        Path | None,
        typer.Argument(help="Calibration spec YAML (default: the labour-market constants)"),
    ] = None,
    out_dir: Annotated[
        Path | None,
        typer.Option("--out", help="Folder (default results/calibration/<name>/)"),
    ] = None,
    workers: WorkersOption = None,
    scheduler: SchedulerOption = None,
    quiet: QuietOption = False,
) -> None:
    """Estimate fitted constants from the fitted facts only, as a posterior (ABC-SMC,
    pyABC): posterior.csv/.parquet, calibration.json and diagnostics. The default spec
    (experiments/calibrate.yaml) takes about 30 minutes on 2 cores."""
    from simulator.analysis.calibrate import calibrate as run_calibration
    from simulator.analysis.calibrate import defaults_of, load_spec, record_of
    from simulator.outputs.calibration.report import write_calibration
    from simulator.scenario import ScenarioError

    try:
        loaded = load_spec(spec)
    except (ValueError, ScenarioError) as exc:
        raise bad_input(str(exc)) from None
    target = check_out(
        out_dir or Path("results") / "calibration" / loaded.name, "calibration folder"
    )
    scheduler = check_scheduler(scheduler)
    with guard("calibration folder"):
        posterior, runs, problem = run_calibration(
            loaded, workers, scheduler, progress=None if quiet else say
        )
        record = record_of(loaded, problem, runs)
        before = defaults_of(loaded)
        write_calibration(posterior, target, record, dict(loaded.parameters), before)
    if not quiet:
        print_table(posterior_table(posterior, before))
    say(
        f"{posterior.simulations} simulations in {posterior.seconds:.0f} s, effective sample "
        f"size {posterior.ess():.0f}; written to {target}/"
    )


def posterior_table(posterior, defaults: dict[str, float]) -> Table:
    """Each constant's posterior median and 90% interval beside its value before."""
    t = Table(title="Posterior of the constants (weighted ABC-SMC draws)")
    for col in ("constant", "before", "median", "90% interval"):
        t.add_column(col, justify="left" if col == "constant" else "right", overflow="fold")
    for name, row in posterior.quantiles((0.05, 0.5, 0.95)).iterrows():
        t.add_row(
            safe(str(name)),
            f"{defaults.get(str(name), float('nan')):.4g}",
            f"{row[0.5]:.4g}",
            f"{row[0.05]:.4g} – {row[0.95]:.4g}",
        )
    return whole_numbers(t)
