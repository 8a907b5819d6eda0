"""Results folders of a run: the files, written through ``outputs.folders`` (atomic, and
never replacing anything outsim did not write)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from simulator.analysis.replications import Replications
from simulator.model.status_quo import SAVING_PARTS
from simulator.outputs.figures.demand import plot_demand
from simulator.outputs.figures.plots import make_plots
from simulator.outputs.figures.waterfall import plot_saving_waterfall
from simulator.outputs.folders import output_folder
from simulator.outputs.formatting import in_currency
from simulator.outputs.records import json_safe, package_version, write_json
from simulator.outputs.run.report import write_report
from simulator.outputs.run.spreadsheet import write_results_workbook
from simulator.outputs.swing.report import write_swing_parts
from simulator.outputs.workbooks import write_csv
from simulator.scenario import dump_scenario_yaml, scenario_hash
from simulator.scenario.status_quo import is_status_quo


@dataclass
class Results(Replications):
    """Replications of a scenario that can be saved as a results folder."""

    @classmethod
    def from_replications(cls, reps: Replications) -> Results:
        if isinstance(reps, cls):
            return reps
        return cls(**{f: getattr(reps, f) for f in Replications.__dataclass_fields__})

    def manifest(self) -> dict[str, Any]:
        return {
            "package": "outsim",
            "version": package_version(),
            "scenario": self.scenario.name,
            "scenario_hash": scenario_hash(self.scenario),
            "root_seed": self.extra.get("root_seed"),
            "replication_seeds": self.seeds,
            "seeding": "numpy SeedSequence(root_seed).spawn(replications); replication k uses "
            "child k for both numpy and Mesa's random",
            "replications": self.replications,
            "horizon_months": self.scenario.simulation.horizon_months,
            "started": self.started,
            "finished": self.finished,
        }

    def save(self, directory: str | os.PathLike[str], notes: list[str] | None = None) -> Path:
        """Write the results folder atomically and return its path. Raises
        ``OutputError`` if ``directory`` exists and is not a folder outsim wrote."""
        return save_results(self, Path(directory), notes=notes)


def save_results(
    results: Replications, target: Path, plots: bool = True, notes: list[str] | None = None
) -> Path:
    """Write timeseries.csv, kpis.csv, summary.json, scorecard.json, scenario.resolved.yaml,
    manifest.json, plots/ and report.html into ``target`` atomically (``outputs.folders``:
    an existing target is replaced only if outsim wrote it). ``notes`` collects what was
    done with leftovers of interrupted runs."""
    results = Results.from_replications(results)
    money = in_currency(results.scenario.company.currency)
    with money, output_folder(target, "run", json_safe(results.manifest()), notes) as tmp:
        write_csv(results.timeseries, tmp / "timeseries.csv")
        write_csv(results.kpis, tmp / "kpis.csv")
        if results.baseline_kpis is not None:
            write_csv(results.baseline_kpis, tmp / "kpis_status_quo.csv")
        write_csv(results.displacement, tmp / "displacement.csv")
        write_csv(results.groups, tmp / "groups.csv")
        write_json(tmp / "summary.json", results.summary)
        write_json(tmp / "scorecard.json", results.scorecard)
        (tmp / "scenario.resolved.yaml").write_text(
            dump_scenario_yaml(results.scenario), encoding="utf-8"
        )
        if plots:
            phases = [p.month for p in results.scenario.plan.phases]
            make_plots(
                results.timeseries,
                tmp / "plots",
                phases,
                displacement=results.displacement,
            )
            history = results.scenario.customers.volume_history
            if history:
                plot_demand(history, results.timeseries, tmp / "plots" / "demand.png")
            kpis = results.summary["kpis"]
            parts = {p: kpis[f"npv_saving_{p}"]["mean"] for p in SAVING_PARTS}
            if not is_status_quo(results.scenario) and None not in parts.values():
                n = results.summary["replications"]
                plot_saving_waterfall(parts, tmp / "plots" / "saving.png", n)
        swing = results.swing
        if swing is not None:
            write_swing_parts(swing, tmp, tmp / "plots" / "tornado.png")
        write_report(tmp)
        write_results_workbook(
            tmp / "results.xlsx", json_safe(results.summary), results.scenario, results.timeseries
        )
    return target
