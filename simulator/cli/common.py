"""What every ``outsim`` command shares: the app, consoles, safe messages, option types,
the error guard and progress bars.

Exit status: 0 success, 2 bad input (a message naming the file, the field path and what was
expected), 1 internal error (one line on stderr; the traceback goes to a log file in the
system's temporary folder), 130 interrupted.
"""

from __future__ import annotations

import copy
import io
import os
import re
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Annotated, Any, Protocol, TypeVar, runtime_checkable

import typer
from rich.console import Console
from rich.markup import MarkupError, escape
from rich.measure import Measurement
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Column, Table
from rich.text import Text

from simulator.analysis import parallel
from simulator.outputs.folders import OutputError, check_target
from simulator.scenario.schema import SEED_BOUNDS, Simulation, field_bounds

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

# C0 and C1 control characters (but tab and newline), DEL, and Unicode bidirectional
# overrides: never written raw to a terminal, whatever file or value they come from.
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: object) -> str:
    """``text`` with every control character shown as an escape (``\\x1b``)."""
    return _UNSAFE.sub(_escaped, str(text))


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def safe(text: object) -> str:
    """``text`` ready for a Rich console: control characters escaped, markup inert."""
    return escape(printable(text))


def say(text: object, console: Console = out) -> None:
    """Print a plain message (user text inside is shown as it is, never interpreted)."""
    console.print(safe(text), soft_wrap=True, highlight=False)


def bad_input(message: object) -> typer.Exit:
    """Print ``error: message`` and return the exit (status 2) to raise."""
    err.print(f"[bold red]error:[/] {safe(message)}", highlight=False, soft_wrap=True)
    return typer.Exit(code=2)


def check_out(target: Path, what: str) -> Path:
    """Refuse, before any work starts, a target outsim must not replace."""
    try:
        return check_target(target, what)
    except OutputError as exc:
        raise bad_input(str(exc)) from None


# options shared by the commands that run models, bounded like the fields they override
_REPS = field_bounds(Simulation, "replications")
SeedOption = Annotated[
    int | None,
    typer.Option("--seed", min=SEED_BOUNDS[0], max=SEED_BOUNDS[1], help="Root seed"),
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No progress or table")]
ReplicationsOption = Annotated[
    int | None,
    typer.Option(
        "--replications", "-n", min=_REPS[0], max=_REPS[1], help="Replications (per plan)"
    ),
]


SchedulerOption = Annotated[
    str | None,
    typer.Option(
        "--scheduler",
        help="Address of a running Dask scheduler (tcp://HOST:PORT); default: a local cluster",
    ),
]
UNCERTAINTY_MODES = ("none", "ranges", "posterior", "both")
DrawsOption = Annotated[
    int, typer.Option("--draws", min=2, max=1000, help="Draws of the assumptions")
]
PosteriorOption = Annotated[
    Path | None,
    typer.Option(
        "--posterior",
        help="A posterior.csv or calibration folder (`outsim calibrate`; default: the one "
        "outsim ships)",
    ),
]


SpecUncertaintyOption = Annotated[
    str | None,
    typer.Option(
        "--uncertainty",
        help="Also draw assumptions per sample (per future in an optimisation): 'ranges' "
        "the declared uncertainties not varied from their plausible ranges, 'posterior' the "
        "calibrated constants from their posterior (--posterior), 'both'; 'none' holds them "
        "(default: the spec's uncertainty:, else none)",
        show_default=False,
    ),
]


def check_uncertainty(mode: str | None, posterior: Path | None) -> Any:
    """``--uncertainty`` one of the modes, and ``--posterior`` readable; else exit 2. The
    posterior read (None when not given)."""
    if mode not in (None, *UNCERTAINTY_MODES):
        raise bad_input(f"--uncertainty {mode!r}: expected none, ranges, posterior or both")
    return None if posterior is None else read_posterior_option(posterior, "--posterior")


WorkersOption = Annotated[
    int | None,
    typer.Option(
        "--workers",
        min=1,
        max=256,
        help="Local worker processes (default: one per core; 1: run in this process)",
    ),
]


def check_scheduler(address: str | None) -> str | None:
    """The scheduler address if well formed (exit 2 otherwise)."""
    try:
        return parallel.check_scheduler(address)
    except parallel.ParallelError as exc:
        raise bad_input(str(exc)) from None


@contextmanager
def guard(what: str, interrupted: str | None = None) -> Iterator[None]:
    """Turn bad output targets into exit 2, an interrupt into 130 and an internal error into
    exit 1 with one line on stderr (the traceback goes to a log file)."""
    try:
        yield
    except typer.Exit:
        raise
    except (OutputError, parallel.ParallelError) as exc:
        raise bad_input(str(exc)) from None
    except KeyboardInterrupt:
        say(interrupted or f"interrupted; no {what} was written", err)
        raise typer.Exit(code=130) from None
    except Exception as exc:
        log = log_error()
        say(f"internal error: {type(exc).__name__}: {exc} (traceback in {log})", err)
        raise typer.Exit(code=1) from None


def log_error() -> Path:
    """Write the current traceback to a new file in the temporary folder (never into a
    folder of the user's)."""
    fd, name = tempfile.mkstemp(prefix="outsim-error-", suffix=".log")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(traceback.format_exc())
    return Path(name)


def report_notes(notes: list[str]) -> None:
    """Tell the user what was done with leftovers of interrupted runs."""
    for note in notes:
        say(f"note: {note}", err)


def progress_bar() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
    )


T = TypeVar("T")


def counted(label: str, quiet: bool, work: Callable[..., T]) -> T:
    """``work(step)`` under a progress bar named ``label`` (``step(done, total)`` counts
    model runs), or ``work()`` with ``quiet``."""
    if quiet:
        return work()
    with progress_bar() as bar:
        task = bar.add_task(safe(label), total=None)

        def step(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        return work(step)


def read_posterior_option(path: Path | None, option: str = "--posterior-file") -> Any:
    """The posterior in ``path`` (None: the one outsim ships), or exit 2 naming the option
    and the file."""
    from simulator.analysis.calibrate import read_posterior, shipped_posterior

    try:
        return shipped_posterior() if path is None else read_posterior(path)
    except ValueError as exc:
        raise bad_input(f"{option}: {exc}") from None


def fmt(value: float | None, unit: str) -> str:
    """A number for a terminal table (the reports' formatting)."""
    from simulator.outputs.formatting import number

    return number(value, unit)


def whole_numbers(table: Table) -> Table:
    """Keep every number of ``table`` whole on a narrow terminal: each right-aligned
    (number) column is at least as wide as its longest cell and never wrapped, so Rich
    narrows the text columns instead (which wrap, or fold a long name); if even that is not
    enough the table is wider than the terminal, never a number cut to ``$14.4…``."""
    for column in table.columns:
        if column.justify != "right":
            continue
        widths = [_cell_width(cell) for cell in column.cells]
        column.no_wrap = True
        column.min_width = max([column.min_width or 0, *widths])
    return table


def print_table(table: Table, console: Console = out) -> None:
    """Print ``table`` with its numbers whole (:func:`whole_numbers`); on a terminal too
    narrow for all its number columns (beside text columns squeezed to ``LABEL_WIDTH``), as
    several tables, each with the text columns and as many number columns as fit."""
    whole_numbers(table)
    labels = [c for c in table.columns if c.justify != "right"]
    numbers = [c for c in table.columns if c.justify == "right"]
    if not numbers or _needed(console, table, table.columns) <= console.width:
        console.print(table)
        return
    chunks: list[list[Column]] = [[]]
    for column in numbers:
        if chunks[-1] and _needed(console, table, [*labels, *chunks[-1], column]) > console.width:
            chunks.append([])
        chunks[-1].append(column)
    for i, chunk in enumerate(chunks):
        part = _part(table, [*labels, *chunk])
        part.title = table.title if i == 0 else None
        part.caption = table.caption if i == len(chunks) - 1 else None
        console.print(part)


LABEL_WIDTH = 12


def _needed(console: Console, table: Table, columns: list[Column]) -> int:
    """The least width of a table of ``columns`` whose text columns may wrap down to
    ``LABEL_WIDTH``."""
    part = _part(table, columns)
    for column in part.columns:
        if column.justify != "right":
            column.max_width = min(column.max_width or LABEL_WIDTH, LABEL_WIDTH)
    return Measurement.get(console, console.options.update_width(10**6), part).minimum


def _part(table: Table, columns: list[Column]) -> Table:
    """A table of some of ``table``'s columns (in its order), with all its rows."""
    part = Table(show_header=table.show_header, box=table.box, show_lines=table.show_lines)
    for column in table.columns:
        if any(column is c for c in columns):
            part.columns.append(copy.copy(column))
            part.columns[-1]._cells = list(column._cells)
    part.rows = list(table.rows)
    return part


def _cell_width(cell: object) -> int:
    if not isinstance(cell, str):
        return 0
    try:
        return Text.from_markup(cell).cell_len
    except MarkupError:
        return Text(cell).cell_len


@runtime_checkable
class _ShowsItself(Protocol):
    """What Typer raises on a usage error (its copy of Click's ``ClickException``, which its
    public ``TyperException`` does not declare): an exception that prints itself."""

    def show(self, file: IO[Any] | None = None) -> None: ...


def main(argv: list[str] | None = None) -> None:
    """The ``outsim`` entry point. Usage errors are printed here (not by Click) so that
    no control character in an argument reaches the terminal raw."""
    try:
        code = app(args=argv, standalone_mode=False)
    except typer.Abort:
        say("interrupted", err)
        sys.exit(130)
    except typer.TyperException as exc:  # usage errors (Typer's own copy of Click's)
        if not isinstance(exc, _ShowsItself):
            raise
        buffer = io.StringIO()
        exc.show(file=buffer)
        sys.stderr.write(printable(buffer.getvalue()))
        sys.exit(getattr(exc, "exit_code", 2))
    sys.exit(code if isinstance(code, int) else 0)
