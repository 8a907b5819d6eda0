"""``outsim discover``: scenario discovery (PRIM) on a sweep's store.

The runs of a sweep are grouped by sample (one combination of the swept inputs); a sample
is a *case of interest* when the outcome (a KPI below or above a threshold) happens in at
least half of its successful replications — replications of one sample share its inputs,
so they are not separate evidence about them. PRIM (``analysis/discovery.py``) then looks
for the combinations of inputs where cases concentrate, and each box is said in a sentence.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from simulator.analysis.discovery import (
    DiscoveryError,
    Leaf,
    Prim,
    Step,
    cart,
    describe_limit,
    shown,
    trajectory_frame,
)
from simulator.analysis.kpis import KPI_BY_NAME
from simulator.outputs.discovery.report import write_discovery
from simulator.outputs.formatting import number
from simulator.outputs.sweep.report import kpi_columns
from simulator.scenario import xlrm
from simulator.sweep.execution import SweepError
from simulator.sweep.store import StoreError, SweepStore


@dataclass(frozen=True)
class Discovery:
    """What PRIM found on one sweep for one outcome."""

    kpi: str
    below: bool  # the outcome is the KPI below the threshold (else above)
    threshold: float
    inputs: pd.DataFrame  # one row per sample: the swept inputs
    cases: np.ndarray  # per sample: the outcome in at least half its replications
    trajectory: list[Step]
    picked: int  # the trajectory's box chosen (highest coverage at the density asked)
    chosen: Step  # that box without restrictions that do not matter, then pasted
    quasi_p: dict[str, float]
    sentence: str
    leaves: list[Leaf]  # CART's leaves, densest first

    def cart_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "conditions": [" and ".join(leaf.conditions) for leaf in self.leaves],
                "runs": [leaf.runs for leaf in self.leaves],
                "cases": [leaf.cases for leaf in self.leaves],
                "coverage": [leaf.coverage for leaf in self.leaves],
                "density": [leaf.density for leaf in self.leaves],
            }
        )

    def boxes(self) -> pd.DataFrame:
        """The trajectory, one row per box, with each input's limits (low/high, or the
        values kept); then the chosen box, if dropping restrictions that do not matter or
        pasting changed it."""
        frame = self._limits(self.trajectory)
        frame.insert(1, "box", "peeled")
        frame["chosen"] = False
        if self.chosen.box == self.trajectory[self.picked].box:
            frame.loc[self.picked, "chosen"] = True
            return frame
        pasted = self._limits([self.chosen])
        pasted.insert(1, "box", "simplified and pasted")
        pasted["step"], pasted["chosen"] = self.picked, True
        return pd.concat([frame, pasted], ignore_index=True)

    def _limits(self, steps: list[Step]) -> pd.DataFrame:
        frame = trajectory_frame(steps)
        for name in self.inputs.columns:
            limits = [s.box.limits.get(name) for s in steps]
            if pd.api.types.is_numeric_dtype(self.inputs[name]):
                frame[f"{name} low"] = [None if lim is None else lim[0] for lim in limits]
                frame[f"{name} high"] = [None if lim is None else lim[1] for lim in limits]
            else:
                frame[name] = [
                    None if lim is None else ", ".join(sorted(map(str, lim))) for lim in limits
                ]
        return frame


def show_input(path: str) -> Callable[[float], str]:
    """How to print values of the input at ``path``: shares as percentages."""
    if xlrm.unit_of(path) in ("share", "share/month", "share/year"):
        return lambda v: f"{100 * v:.3g}%"
    return shown


def outcome_text(kpi: str, below: bool, threshold: float) -> str:
    unit = KPI_BY_NAME[kpi].unit if kpi in KPI_BY_NAME else ""
    return f"{kpi} {'below' if below else 'above'} {number(threshold, unit)}"


def sentence(kpi: str, below: bool, threshold: float, step: Step, inputs: pd.DataFrame) -> str:
    """``npv_net_savings below $0 happens in 92% of the sampled plans where ... (31% of the
    plans explored; 85% of all plans where it happens)``."""
    what = outcome_text(kpi, below, threshold)
    where = " and ".join(
        describe_limit(n, lim, inputs, show_input(n)) for n, lim in step.box.limits.items()
    )
    if not where:
        return f"{what} happens in {step.density:.0%} of the sampled input combinations."
    return (
        f"{what} happens in {step.density:.0%} of the sampled input combinations where "
        f"{where} ({step.mass:.0%} of those explored; {step.coverage:.0%} of all where it "
        "happens)."
    )


def discover(
    folder: str | Path,
    kpi: str,
    threshold: float,
    below: bool = True,
    min_density: float = 0.8,
    max_restricted: int = 3,
    peel_alpha: float = 0.05,
    mass_min: float = 0.05,
) -> Discovery:
    """Run PRIM on the sweep in ``folder`` for ``kpi`` below (or above) ``threshold``."""
    try:
        with SweepStore(folder, read_only=True) as store:
            wide = store.wide()
            samples = store.table("samples")
            meta = dict(store.query("SELECT key, value FROM meta").itertuples(index=False))
    except StoreError as exc:
        raise SweepError(str(exc)) from None
    kept = kpi_columns(wide, meta)
    if kpi not in kept:
        raise SweepError(
            f"{folder}: the sweep kept no KPI {kpi!r}; expected one of " + ", ".join(kept)
        )
    params = [c for c in samples.columns if c != "sample_id"]
    if not params:
        raise SweepError(f"{folder}: the sweep varies no input; nothing to explain")
    ok = wide[(wide["status"] == "ok") & wide[kpi].notna()]
    if ok.empty:
        raise SweepError(f"{folder}: no successful run has {kpi}")
    hit = ok[kpi] < threshold if below else ok[kpi] > threshold
    share = hit.groupby(ok["sample_id"]).mean()
    table = samples.set_index("sample_id")
    missing = share.index.difference(table.index)
    if len(missing) or not table.index.is_unique:
        what = f"no sample {missing[0]}" if len(missing) else "a sample_id twice"
        raise SweepError(
            f"{folder}: damaged sweep store: its samples table has {what} (the runs name "
            "each sample once)"
        )
    inputs = table.loc[share.index, params].reset_index(drop=True)
    cases = share.to_numpy() >= 0.5
    try:
        prim = Prim(inputs, cases, peel_alpha=peel_alpha, mass_min=mass_min)
    except DiscoveryError as exc:
        raise SweepError(f"{folder}: {outcome_text(kpi, below, threshold)}: {exc}") from None
    trajectory = prim.peel()
    picked, simple = prim.choose(trajectory, min_density, max_restricted)
    chosen = prim.paste(simple.box)
    return Discovery(
        kpi,
        below,
        threshold,
        inputs,
        cases,
        trajectory,
        picked,
        chosen,
        prim.quasi_p(chosen.box),
        sentence(kpi, below, threshold, chosen, inputs),
        cart(inputs, cases, mass_min, show=show_input) if 0 < cases.sum() < len(cases) else [],
    )


def save(result: Discovery, out: str | Path, folder: str | Path) -> Path:
    """Write boxes.csv, discovery.json, the trajectory and box plots into ``out``."""
    summary: dict[str, Any] = {
        "sweep": str(folder),
        "outcome": outcome_text(result.kpi, result.below, result.threshold),
        "samples": len(result.cases),
        "cases": int(result.cases.sum()),
        "sentence": result.sentence,
        "box": {
            n: (sorted(map(str, lim)) if isinstance(lim, frozenset) else list(lim))
            for n, lim in result.chosen.box.limits.items()
        },
        "coverage": result.chosen.coverage,
        "density": result.chosen.density,
        "mass": result.chosen.mass,
        "quasi_p": result.quasi_p,
        "cart_densest_leaf": result.cart_frame().iloc[0].to_dict() if result.leaves else None,
    }
    return write_discovery(
        Path(out),
        result.boxes(),
        result.cart_frame(),
        json.loads(json.dumps(summary)),
        result.trajectory,
        result.chosen,
        result.inputs,
    )
