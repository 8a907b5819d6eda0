"""``outsim``: the command-line interface, one module per group of commands.

Exit status: 0 success, 2 bad input (a message naming the file, the field path and what
was expected), 1 internal error (one line on stderr; the traceback goes to a log file),
130 interrupted.
"""

import importlib

from simulator.cli.common import app, main

for _group in (
    "runs",
    "sweeps",
    "decisions",
    "uncertainty",
    "interactive",
    "checks",
    "cases",
    "region",
):  # registers the commands, in --help order
    importlib.import_module(f"simulator.cli.{_group}")

__all__ = ["app", "main"]
