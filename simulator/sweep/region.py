"""Sweeps over regions (issue 28): how a wave's outcomes change with how many firms move,
how spread out in time they move, and how tight the regional market is.

A region sweep spec is a sweep spec whose ``region:`` names a region file instead of a
``base:`` scenario; its parameters are field paths into the region file::

    region: ../scenarios/regions/wave_city.yaml
    sampler: grid
    replications: 2
    parameters:
      generator.moving_share: {levels: [0.25, 0.5, 1.0]}
      generator.start_spread_months.1: {levels: [12, 60]}     # all in a year, or over five
      local_economy.vacancy_rate: {levels: [0.02, 0.045]}    # slack or tight
    outputs: [reemployed_share_12m, unemployment_peak_change_pp]

Every value is checked against the region file's schema before a run starts. Each run builds
the region with the sample's values and runs it on replication ``r``'s region seed (the one
``outsim region`` gives replication ``r``): every sample meets the same luck. Runs go through
the same Dask engine and DuckDB store as scenario sweeps (``execution.py``): resumable,
queryable with ``outsim sweep-results``. Outputs are the regional brief's figures
(``analysis/region.py`` ``REGION_KPIS``); ``keep_timeseries`` takes the region's monthly
series (``REGION_METRICS``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import Field

from simulator.analysis.region import REGION_KPIS, region_kpis, replication_seeds, run_once
from simulator.model.region import REGION_METRICS
from simulator.scenario import ScenarioError
from simulator.scenario.region import region_data, region_document, region_of
from simulator.scenario.schema import check_folder_name
from simulator.sweep.runs import Runner
from simulator.sweep.spec import (
    Sweep,
    SweepError,
    SweepSpec,
    check_parameter,
    check_size,
    read_spec,
)


class RegionSweepSpec(SweepSpec):
    """A sweep spec over a region file (``region:``) rather than a scenario (``base:``)."""

    base: str | None = Field(  # type: ignore[assignment]  # a region has no base scenario
        None, description="Not used: a region sweep names region:"
    )
    region: str = Field(..., description="Region file the sweep varies, relative to the spec")

    def _check_outputs(self) -> None:
        if self.base is not None:
            raise ValueError("a region sweep varies region:, not base:; remove base:")
        if self.uncertainty != "none":
            raise ValueError(
                "uncertainty: a region sweep draws no assumptions yet; expected none (vary "
                "the fields as parameters)"
            )
        unknown = [k for k in self.outputs or [] if k not in REGION_KPIS]
        if unknown:
            raise ValueError(
                f"outputs: unknown regional figure {', '.join(unknown)}; expected some of "
                + ", ".join(REGION_KPIS)
            )
        series = [k for k in self.keep_timeseries if k not in REGION_METRICS or k == "month"]
        if series:
            raise ValueError(
                f"keep_timeseries: unknown series {', '.join(series)}; expected columns of "
                "region_timeseries.csv (e.g. unemployment_rate)"
            )
        if self.paired_with:
            raise ValueError("paired_with: not available for region sweeps; remove it")


@dataclass(frozen=True)
class RegionSweep(Sweep):
    """A checked region sweep: its base is the region file's plain data."""

    spec: RegionSweepSpec

    @property
    def outputs(self) -> list[str]:
        return list(self.spec.outputs or REGION_KPIS)

    @property
    def runner(self) -> Runner:
        return run_region_once


def run_region_once(
    data: dict[str, Any],
    seed: int,
    replication: int,
    outputs: Sequence[str],
    keep: Sequence[str],
) -> tuple[dict[str, float | None], dict[str, list[float]]]:
    """Run the region ``data`` describes once, on replication ``replication``'s region seed;
    return the chosen figures and monthly series."""
    doc = region_document(data, "<sweep run>")
    region = region_of(doc, "<sweep run>")
    region_seed = replication_seeds(seed, replication + 1)[replication]
    series, firms = run_once(region, region_seed, replication)
    figures = region_kpis(series, firms, doc.local_economy.baseline_unemployment_rate)
    kpis = {name: figures.get(name) for name in outputs}
    kept = {name: [float(v) for v in series[name]] for name in keep}
    return kpis, kept


def _region_accepts(data: dict[str, Any]) -> None:
    region_document(data, "<sweep>")


def load_region_sweep(path: str | Path) -> RegionSweep:
    """Read and check a region sweep spec; SweepError with a readable message."""
    path = Path(path)
    spec: RegionSweepSpec = read_spec(path, RegionSweepSpec, "region sweep spec")
    region_file = Path(spec.region)
    if not region_file.is_absolute():
        region_file = path.parent / region_file
    try:
        base = region_data(region_file)
        region_of(region_document(base, str(region_file)), region_file)  # its firms load
    except ScenarioError as exc:
        raise SweepError(f"{path}: region: {exc}") from None
    name = spec.name or path.stem
    try:
        check_folder_name(name)
    except ValueError as exc:
        raise SweepError(f"{path}: name: {exc}; set name: in the spec") from None
    params = {
        p: check_parameter(base, str(path), p, given, _region_accepts, "the region file")
        for p, given in spec.parameters.items()
    }
    digest = hashlib.sha256(json.dumps(base, sort_keys=True).encode()).hexdigest()
    sweep = RegionSweep(spec, name, str(path), base, digest, params)
    check_size(sweep)
    return sweep


def is_region_spec(path: str | Path) -> bool:
    """Whether the spec file ``path`` names a region (``region:``) rather than a scenario."""
    from simulator.scenario.reading import read_yaml

    try:
        data = read_yaml(Path(path), "sweep spec")
    except ScenarioError:
        return False
    return isinstance(data, dict) and "region" in data
