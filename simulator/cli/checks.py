"""``outsim validate``, ``outsim schema``, ``outsim validate-model`` and ``outsim bench``."""

from __future__ import annotations

import json
import math
import sys
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
    err,
    guard,
    out,
    print_table,
    read_posterior_option,
    safe,
    say,
    whole_numbers,
)
from simulator.scenario import ScenarioError, load_scenario
from simulator.scenario.schema import Simulation, field_bounds

_REPS = field_bounds(Simulation, "replications")
_MONTHS = field_bounds(Simulation, "horizon_months")


@app.command("validate-model")
def validate_model(
    replications: Annotated[
        int,
        typer.Option(
            "--replications", "-n", min=2, max=_REPS[1], help="Replications per experiment"
        ),
    ] = 10,
    max_replications: Annotated[
        int,
        typer.Option(
            "--max-replications",
            min=2,
            max=_REPS[1],
            help="Add replications (doubling) to experiments whose facts are too imprecise to "
            "judge, up to this many",
        ),
    ] = 40,
    out_dir: Annotated[
        Path, typer.Option("--out", help="Folder for validation.csv and validation.html")
    ] = Path("results") / "validation",
    seed: Annotated[int, typer.Option("--seed", min=0, max=2**63 - 1, help="Root seed")] = 20261129,
    experiments: Annotated[
        Path | None,
        typer.Option(
            "--experiments",
            help="Folder of validation scenarios (default: the package's own)",
        ),
    ] = None,
    posterior: Annotated[
        bool,
        typer.Option(
            "--posterior",
            help="Also give each fact's 90% posterior predictive interval: the calibrated "
            "constants drawn from their posterior (--draws draws, one replication each)",
        ),
    ] = False,
    posterior_file: Annotated[
        Path | None,
        typer.Option(
            "--posterior-file",
            help="With --posterior: a posterior.csv or calibration folder (`outsim "
            "calibrate`; default: the one outsim ships)",
        ),
    ] = None,
    draws: Annotated[
        int, typer.Option("--draws", min=2, max=1000, help="With --posterior: posterior draws")
    ] = 20,
    quiet: QuietOption = False,
) -> None:
    """Check the default calibration against published facts (exit 1 unless every fact
    passes: a fact passes when the model's mean is in the accepted band and its 95% interval
    is narrow enough to say so; one still too noisy at --max-replications is "imprecise").
    --posterior adds where each published value lies against the model's posterior
    predictive interval (it does not change the verdicts)."""
    import simulator
    from simulator.analysis.validation import package_experiments, run_validation, summary_by_kind
    from simulator.outputs.validation.report import save_validation

    folder = experiments or package_experiments()
    if not folder.is_dir():
        raise bad_input(
            f"{folder}: no validation scenarios here; expected a folder like the package's "
            "simulator/scenarios/validation (or leave out --experiments)"
        )
    if posterior_file is not None and not posterior:
        raise bad_input("--posterior-file: give --posterior as well")
    drawn = read_posterior_option(posterior_file) if posterior else None
    check_out(out_dir, "validation folder")
    with guard("validation folder"):
        try:
            table = counted(
                "validation experiments",
                quiet,
                partial(
                    run_validation, replications, seed, folder, max_replications=max_replications
                ),
            )
            if drawn is not None:
                from simulator.analysis.validation.predictive import run_predictive

                predictive = counted(
                    f"posterior predictive ({draws} draws)",
                    quiet,
                    partial(run_predictive, drawn, draws, seed, folder),
                )
                table = table.merge(predictive, on="fact", how="left")
        except (FileNotFoundError, ScenarioError) as exc:
            raise bad_input(str(exc)) from None
        save_validation(table, out_dir, replications, seed, simulator.__version__)
    if not quiet:
        print_table(validation_table(table))
    passed = int(table["pass"].sum())
    say(
        f"{passed}/{len(table)} facts reproduced ({summary_by_kind(table)}); written to "
        f"{out_dir}/ (open {out_dir / 'validation.html'})"
    )
    if drawn is not None:
        from simulator.analysis.validation.predictive import summary as predictive_summary

        say(f"with the constants drawn from their posterior, {predictive_summary(table)}")
    for verdict in ("fail", "imprecise"):
        facts = table.loc[table["verdict"] == verdict, "fact"]
        if len(facts):
            label = "failed" if verdict == "fail" else "imprecise (no verdict)"
            say(f"{label}: {', '.join(facts)}", err)
    if passed < len(table):
        raise typer.Exit(code=1)


VERDICT_STYLE = {
    "pass": "[green]pass[/]",
    "fail": "[bold red]FAIL[/]",
    "imprecise": "[yellow]imprecise[/]",
}


def validation_table(table) -> Table:
    t = Table(title="Default calibration against published facts")
    predictive = "predictive_low" in table
    columns = ["fact", "kind", "model", "95% interval", "accepted", "n", ""]
    if predictive:
        columns[5:5] = ["posterior 90%", "band"]
    for col in columns:
        left = col in ("fact", "kind", "", "band")
        t.add_column(col, justify="left" if left else "right", overflow="fold", no_wrap=col == "")
    for r in table.to_dict("records"):
        cells = [
            r["fact"],
            r["kind"],
            f"{r['model_mean']:.3g}",
            f"{r['model_ci95_low']:.3g} – {r['model_ci95_high']:.3g}",
            f"{r['accepted_low']:.3g} – {r['accepted_high']:.3g}".replace("inf", "∞"),
            str(r["replications"]),
            VERDICT_STYLE[r["verdict"]],
        ]
        if predictive:
            cells[5:5] = [
                f"{r['predictive_low']:.3g} – {r['predictive_high']:.3g}",
                str(r["band_position"]),
            ]
        t.add_row(*cells)
    return whole_numbers(t)


def parse_scales(scales: str) -> list[float]:
    """``--scales`` as numbers, each giving a scenario within the schema's bounds."""
    from simulator.dev.benchmark import scaled_scenario

    try:
        values = [float(s) for s in scales.split(",") if s.strip()]
    except ValueError:
        raise bad_input(f"--scales: {scales!r}; expected numbers separated by commas") from None
    if not values or len(values) > 20 or any(not math.isfinite(v) or v <= 0 for v in values):
        raise bad_input(f"--scales: {scales!r}; expected 1 to 20 positive numbers such as 1,10,100")
    for v in values:
        try:
            scaled_scenario(v)
        except ScenarioError as exc:
            fields = "; ".join(line.split(": ", 1)[-1] for line in str(exc).splitlines())
            raise bad_input(
                f"--scales: {v:g} gives a scenario outside the schema's bounds ({fields})"
            ) from None
    return values


def parse_counts(text: str, option: str, high: int) -> list[int]:
    """A comma-separated list of whole numbers from 1 to ``high`` (may be empty)."""
    try:
        values = [int(s) for s in text.split(",") if s.strip()]
    except ValueError:
        raise bad_input(f"{option}: {text!r}; expected whole numbers separated by commas") from None
    if len(values) > 20 or any(not 1 <= v <= high for v in values):
        raise bad_input(f"{option}: {text!r}; expected up to 20 whole numbers from 1 to {high}")
    return values


@app.command()
def bench(
    scales: Annotated[
        str,
        typer.Option(
            "--scales", help="Comma-separated scales of the default scenario ('' to skip)"
        ),
    ] = "1,10,100",
    months: Annotated[
        int | None,
        typer.Option(
            "--months",
            min=_MONTHS[0],
            max=_MONTHS[1],
            help="Months at every scale (default 60; 24 at ×100)",
        ),
    ] = None,
    no_profile: Annotated[bool, typer.Option("--no-profile", help="Skip the profiles")] = False,
    repeat: Annotated[
        int,
        typer.Option(
            "--repeat",
            min=1,
            max=100,
            help="Runs of the floor and of the model at each scale, alternately (best counts)",
        ),
    ] = 3,
    seed: SeedOption = None,
    replications: Annotated[
        str,
        typer.Option(
            "--replications",
            help="Comma-separated replication counts for `outsim run` ('' to skip)",
        ),
    ] = "10,100",
    workers: Annotated[
        str | None,
        typer.Option("--workers", help="Comma-separated worker counts (default: 1 and cores)"),
    ] = None,
    region: Annotated[
        bool,
        typer.Option(
            "--region",
            help="Also run a region of 100 firms, 50,000 agents and a labour force of "
            "1,000,000 for 60 months on one core",
        ),
    ] = False,
) -> None:
    """Benchmark one replication at several scales against a numpy floor, `outsim run`
    with many replications on one and on several workers, and (``--region``) a region of
    many firms (docs/PERFORMANCE.md)."""
    from simulator.analysis.parallel import cores
    from simulator.dev.benchmark import DEFAULT_SEED, run_benchmark
    from simulator.dev.replications import run_replication_benchmark

    values = parse_scales(scales) if scales.strip() else []
    counts = parse_counts(replications, "--replications", _REPS[1])
    pools = parse_counts(workers, "--workers", 256) if workers else sorted({1, cores()})
    if not values and not counts and not region:
        raise bad_input(
            "--scales and --replications are both empty and no --region: nothing to benchmark"
        )
    if values:
        run_benchmark(
            values,
            months=months,
            profile=not no_profile,
            seed=DEFAULT_SEED if seed is None else seed,
            console=out,
            repeat=repeat,
        )
    if counts:
        with guard("benchmark"):
            run_replication_benchmark(counts, pools, seed, console=out)
    if region:
        from simulator.dev.region_benchmark import RegionBench, run_region_benchmark

        with guard("benchmark"):
            run_region_benchmark(
                RegionBench() if seed is None else RegionBench(seed=seed), console=out
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
            err.print(f"[bold red]invalid:[/] {safe(exc)}", highlight=False, soft_wrap=True)
            continue
        out.print(f"[green]ok[/] {safe(f)} ({safe(sc.name)}, {len(sc.vendors)} vendors)")
    if failed:
        raise typer.Exit(code=2)


@app.command()
def schema(
    levers: Annotated[
        bool, typer.Option("--levers", help="List the levers: what the company decides")
    ] = False,
    uncertainties: Annotated[
        bool,
        typer.Option("--uncertainties", help="List the uncertainties: what it cannot control"),
    ] = False,
    constants: Annotated[
        bool, typer.Option("--constants", help="List the constants: known or bookkeeping")
    ] = False,
) -> None:
    """Print the scenario JSON Schema (for editors and validation tools), each field marked
    lever, uncertainty or constant (``x-kind``); or list the levers, uncertainties or
    constants with their units, ranges and defaults."""
    from simulator.scenario import xlrm

    kinds = [k for k, on in zip(xlrm.Kind, (levers, uncertainties, constants), strict=True) if on]
    if not kinds:
        sys.stdout.write(json.dumps(xlrm.json_schema(), indent=2) + "\n")
        return
    for kind in kinds:
        table = Table(title=f"{xlrm.PLURAL[kind]} of a scenario ({xlrm.MEANING[kind]})")
        table.add_column("field", no_wrap=True)
        for col in ("unit", "range or options", "default"):
            table.add_column(col, overflow="fold")
        dimension = None
        for f in xlrm.inputs(kind):
            if f.dimension != dimension:
                dimension = f.dimension
                table.add_section()
                table.add_row(f"[bold]{xlrm.DIMENSIONS[dimension]}[/]")
            table.add_row(f.path, f.unit, xlrm.span(f), xlrm.shown(f.default))
        out.print(table)
