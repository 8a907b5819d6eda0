"""``outsim cases``: real cases replayed, the model against what happened."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from simulator.cli.common import (
    QuietOption,
    WorkersOption,
    app,
    bad_input,
    check_out,
    counted,
    guard,
    out,
    print_table,
    safe,
    say,
)
from simulator.scenario import ScenarioError
from simulator.scenario.schema import Simulation, field_bounds

_REPS = field_bounds(Simulation, "replications")
LIBRARY = Path("scenarios") / "cases"
VERDICT_STYLE = {
    "agree": "[green]agree[/]",
    "disagree": "[bold red]disagree[/]",
    "not comparable": "[dim]not comparable[/]",
}


@app.command("cases")
def cases(
    names: Annotated[
        list[str] | None,
        typer.Argument(help="Cases to replay (folder names in the library; default: all)"),
    ] = None,
    replications: Annotated[
        int,
        typer.Option("--replications", "-n", min=2, max=_REPS[1], help="Replications per case"),
    ] = 10,
    library: Annotated[
        Path, typer.Option("--library", help="The case library: one folder per case")
    ] = LIBRARY,
    out_dir: Annotated[
        Path, typer.Option("--out", help="Folder for cases.csv and cases.html")
    ] = Path("results") / "cases",
    seed: Annotated[int, typer.Option("--seed", min=0, max=2**63 - 1, help="Root seed")] = 20261207,
    workers: WorkersOption = None,
    quiet: QuietOption = False,
) -> None:
    """Replay documented offshoring cases (and their reversals) and compare the model with
    what happened: per case and outcome, the model's value and 95% interval, the observed
    value or direction, and agree / disagree / not comparable. The expectations are in each
    case's observed.yaml, fixed before any replay; a disagreement is a finding, not an
    error (exit 0)."""
    import simulator
    from simulator.analysis.cases import replay_cases, tally
    from simulator.outputs.cases.report import bottom_line, save_cases, shown
    from simulator.scenario.cases import case_names, load_case

    try:
        chosen = list(names or case_names(library))
        if not chosen:
            raise ScenarioError(f"{library}: no cases here (folders with an observed.yaml)")
        loaded = [load_case(library, name) for name in dict.fromkeys(chosen)]
    except ScenarioError as exc:
        raise bad_input(str(exc)) from None
    check_out(out_dir, "cases folder")
    with guard("cases folder"):
        run = partial(replay_cases, loaded, replications, seed, workers=workers)
        table = counted(f"{len(loaded)} cases", quiet, lambda step=None: run(progress=step))
        save_cases(table, loaded, out_dir, replications, seed, simulator.__version__)
    if not quiet:
        grid = Table(title="Real cases: the model against the record")
        for column, justify in (
            ("case", "left"),
            ("outcome", "left"),
            ("observed", "left"),
            ("model", "right"),
            ("result", "left"),
        ):
            grid.add_column(column, justify=justify)  # type: ignore[arg-type]
        for r in table.to_dict("records"):
            grid.add_row(
                safe(r["case"]),
                safe(r["outcome"]),
                safe(r["observed"]),
                shown(r["model_mean"], r["unit"], r["compare"] != "level"),
                VERDICT_STYLE[r["verdict"]],
            )
        print_table(grid, out)
    say(
        f"{bottom_line(tally(table), len(loaded))} Written to {out_dir}/ (open "
        f"{out_dir / 'cases.html'})"
    )
