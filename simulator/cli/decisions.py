"""``outsim optimise``: the robust Pareto plans of a plan's levers."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from simulator.cli.common import (
    PosteriorOption,
    QuietOption,
    SchedulerOption,
    SpecUncertaintyOption,
    WorkersOption,
    app,
    bad_input,
    guard,
    print_table,
    safe,
    say,
    whole_numbers,
)
from simulator.cli.sweeps import sweep_progress

if TYPE_CHECKING:
    from rich.progress import TaskID

PHASES = {"search": "search: runs", "check": "check on fresh futures: runs"}


@app.command()
def optimise(
    spec: Annotated[Path, typer.Argument(help="Optimisation spec YAML (see experiments/)")],
    out_dir: Annotated[
        Path | None,
        typer.Option("--out", help="Folder (default results/optimise/<name>/); reruns resume"),
    ] = None,
    scheduler: SchedulerOption = None,
    workers: WorkersOption = None,
    uncertainty: SpecUncertaintyOption = None,
    posterior: PosteriorOption = None,
    quiet: QuietOption = False,
) -> None:
    """Search a plan's levers for the plans no other plan beats across sampled futures
    (Optuna MOTPE, common random numbers, resumable DuckDB store). Writes pareto.csv,
    pareto/plan_NN.yaml (runnable with `outsim run`) and optimise.html. With --uncertainty
    every future also draws the assumptions the spec does not declare."""
    from simulator import sweep as sweeps
    from simulator.outputs.optimise.pareto import bottom_line, tradeoff
    from simulator.sweep.robust_search import search_record

    try:
        scheduler = sweeps.check_scheduler(scheduler)
        opt = sweeps.load_optimisation(spec, uncertainty, posterior)
        target = sweeps.check_sweep_folder(out_dir or sweeps.OPTIMISE_ROOT / opt.name)
    except sweeps.SweepError as exc:
        raise bad_input(str(exc)) from None
    resume = f"interrupted; finished runs are kept in {target}/; rerun the same command to resume"
    with guard("optimisation", resume):
        try:
            if quiet:
                outcome = sweeps.optimise(opt, out=target, scheduler=scheduler, workers=workers)
            else:
                with sweep_progress() as bar:
                    tasks: dict[str, TaskID] = {}

                    def step(phase: str, done: int, total: int) -> None:
                        if phase not in tasks:
                            tasks[phase] = bar.add_task(PHASES[phase], total=total, failed=0)
                        bar.update(tasks[phase], completed=done, total=total)

                    outcome = sweeps.optimise(
                        opt, out=target, scheduler=scheduler, workers=workers, progress=step
                    )
        except sweeps.SweepError as exc:
            raise bad_input(str(exc)) from None
    record = search_record(opt, outcome)
    if not quiet:
        print_table(pareto_table(record))
    say(bottom_line(record))
    for candidate in outcome.pareto:
        if candidate and not quiet:
            say(tradeoff(record, candidate))
    say(
        f"{outcome.ran} runs now ({outcome.resumed} resumed, {outcome.failed} failed) in "
        f"{outcome.wall_seconds:.1f} s; plans in {outcome.folder / 'pareto'}/, open "
        f"{outcome.folder / 'optimise.html'}"
    )


def pareto_table(record) -> Table:
    """Levers, robust objectives and their check values (rows) of each plan (columns)."""
    from simulator.outputs.formatting import number
    from simulator.outputs.optimise.pareto import lever_text, objective_name, objective_unit, short

    table = record.table.set_index("candidate_id")
    plans = [*record.pareto, *([0] if 0 not in record.pareto else [])]
    t = Table(title="Pareto plans: levers, then robust values over the search's futures")
    t.add_column("", overflow="fold")
    for cid in plans:
        t.add_column(record.plan_name(cid), justify="right")
    for p in record.levers:
        t.add_row(safe(short(p)), *(safe(lever_text(p, table.at[c, p])) for c in plans))
    for prefix in ("", "check_"):
        for o in record.objectives:
            if prefix + o.label in table:
                name = ("check: " if prefix else "") + objective_name(o)
                values = (number(table.at[c, prefix + o.label], objective_unit(o)) for c in plans)
                t.add_row(safe(name), *values, end_section=o is record.objectives[-1])
    t.caption = "check: the same measures on fresh futures and seeds the search never saw"
    return whole_numbers(t)
