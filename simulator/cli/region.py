"""``outsim region``: many firms in one labour market."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from simulator.cli.common import (
    QuietOption,
    SeedOption,
    app,
    bad_input,
    check_out,
    counted,
    fmt,
    guard,
    out,
    print_table,
    safe,
    say,
)
from simulator.scenario import ScenarioError
from simulator.scenario.schema import Simulation, field_bounds

_REPS = field_bounds(Simulation, "replications")
RegionReplications = Annotated[
    int | None,
    typer.Option("--replications", "-n", min=1, max=_REPS[1], help="Replications"),
]


@app.command("region")
def region(
    file: Annotated[Path, typer.Argument(help="A region file (scenarios/regions/…)")],
    replications: RegionReplications = None,
    seed: SeedOption = None,
    out_dir: Annotated[
        Path | None,
        typer.Option("--out", help="Results folder (default: results/region/<name>)"),
    ] = None,
    alone: Annotated[
        bool,
        typer.Option(
            "--alone/--no-alone",
            help="Also run each firm alone in the same market on the same seeds, to show "
            "what moving together costs its displaced workers",
        ),
    ] = True,
    quiet: QuietOption = False,
) -> None:
    """Run a region: many firms, each with its own plan, whose displaced workers share one
    labour market. Writes region_timeseries.csv, firms.csv, firms_alone.csv and
    summary.json (the bottom line first)."""
    import simulator
    from simulator.analysis.region import run_region
    from simulator.outputs.region.report import bottom_line, save_region
    from simulator.scenario.region import load_region

    try:
        spec = load_region(file)
    except ScenarioError as exc:
        raise bad_input(str(exc)) from None
    target = out_dir or Path("results") / "region" / spec.simulation.name
    check_out(target, "region folder")
    with guard("region folder"):
        work = partial(run_region, spec, replications, seed, alone)
        results = counted(f"region {spec.simulation.name}", quiet, lambda step=None: work(step))
        save_region(results, target, simulator.__version__)
    if not quiet:
        grid = Table(title=f"{spec.simulation.name}: each firm's displaced workers")
        columns = ["firm", "displaced", "back at work in 12 months"]
        columns += ["had it moved alone"] if alone else []
        for c in columns:
            grid.add_column(c, justify="left" if c == "firm" else "right")
        for name, f in results.summary["by_firm"].items():
            row = [safe(name), fmt(f["displaced_workers"]["mean"], "persons")]
            row.append(fmt(f["reemployed_share_12m"]["mean"], "share"))
            if alone:
                row.append(fmt(f["alone_reemployed_share_12m"]["mean"], "share"))
            grid.add_row(*row)
        print_table(grid, out)
    say(f"{bottom_line(results.summary)} Written to {target}/")


@app.command("region-compare")
def region_compare(
    files: Annotated[
        list[Path],
        typer.Argument(help="Two or more region files; the first is the reference"),
    ],
    replications: RegionReplications = None,
    seed: SeedOption = None,
    out_dir: Annotated[
        Path | None,
        typer.Option("--out", help="Results folder (default: results/region-compare/<reference>)"),
    ] = None,
    quiet: QuietOption = False,
) -> None:
    """Compare regions — the same firms under different regional policies, say — on the same
    seeds: each variant's regional figures minus the reference's, with 95% intervals.
    Writes runs.csv, differences.csv and summary.json (the bottom line first)."""
    import simulator
    from simulator.analysis.region import REGION_KPIS, compare_regions
    from simulator.outputs.region.compare import comparison_bottom_line, save_region_comparison
    from simulator.scenario.region import load_region

    if len(files) < 2:
        raise bad_input(
            "region-compare: expected two or more region files (the first is the reference)"
        )
    regions = []
    for file in files:
        try:
            regions.append(load_region(file))
        except ScenarioError as exc:
            raise bad_input(str(exc)) from None
    names = [r.simulation.name for r in regions]
    doubled = sorted({n for n in names if names.count(n) > 1})
    if doubled:
        raise bad_input(
            f"region-compare: the regions need different simulation names; doubled: "
            f"{', '.join(doubled)}"
        )
    target = out_dir or Path("results") / "region-compare" / names[0]
    check_out(target, "comparison folder")
    with guard("comparison folder"):
        work = partial(compare_regions, regions, replications, seed)
        result = counted(f"compare {len(regions)} regions", quiet, lambda step=None: work(step))
        save_region_comparison(result, target, simulator.__version__)
    if not quiet:
        grid = Table(title=f"Against {names[0]} (95% intervals)")
        grid.add_column("figure", justify="left")
        for name in names[1:]:
            grid.add_column(name, justify="right")
        from simulator.outputs.formatting import change, in_currency
        from simulator.outputs.region.compare import unit_of

        with in_currency(regions[0].currency):
            for kpi in REGION_KPIS:
                diffs = [result.differences[n][kpi]["mean"] for n in names[1:]]
                grid.add_row(kpi, *(change(d, unit_of(kpi)) for d in diffs))
        print_table(grid, out)
    say(f"{comparison_bottom_line(result)} Written to {target}/")
