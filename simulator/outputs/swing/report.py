"""The folder ``outsim swing`` writes, and the swing's part of a run's results folder.

- ``swing.csv``: per KPI and uncertainty, the range, the plan's effect at the default and
  at each end and the swing (high end minus low end, with its 95% interval), ranked;
- ``switching.csv``: where the NPV against the status quo crosses zero;
- ``swing.json``: the swing's summary (``Swing.summary``) with its sentences; ``swing.txt``
  the sentences;
- ``tornado.png`` (in a run's folder, ``plots/tornado.png``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from simulator.analysis.swing import SUMMARY_COLUMNS, SWITCHING_COLUMNS, Swing
from simulator.outputs.figures.tornado import plot_tornado
from simulator.outputs.folders import output_folder
from simulator.outputs.records import write_json
from simulator.outputs.swing.words import sentences
from simulator.outputs.workbooks import write_csv


def write_swing_parts(summary: dict[str, Any], folder: Path, plot: Path) -> None:
    """``swing.csv`` and ``switching.csv`` in ``folder`` and the tornado at ``plot``, from a
    swing's summary."""
    table = pd.DataFrame(summary["rows"], columns=list(SUMMARY_COLUMNS))
    write_csv(table, folder / "swing.csv")
    switching = pd.DataFrame(summary["switching"], columns=list(SWITCHING_COLUMNS))
    write_csv(switching, folder / "switching.csv")
    plot_tornado(table, plot, summary["replications"])


def write_swing(result: Swing, target: Path) -> dict[str, Any]:
    """Write the swing folder atomically (an existing ``target`` is replaced only if outsim
    wrote it); the summary, with its sentences."""
    summary = result.summary()
    summary["sentences"] = sentences(summary)
    record = {"scenario": result.scenario.name, "replications": result.replications}
    with output_folder(target, "swing", record) as tmp:
        write_swing_parts(summary, tmp, tmp / "tornado.png")
        write_json(tmp / "swing.json", summary)
        text = "\n\n".join(summary["sentences"]) + "\n"
        (tmp / "swing.txt").write_text(text, encoding="utf-8")
    return summary
