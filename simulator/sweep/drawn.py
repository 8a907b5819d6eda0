"""Assumptions drawn as part of a sweep's samples or an optimisation's futures
(``uncertainty:`` in a spec, ``--uncertainty`` on the command line).

A sweep varies the parameters it names and holds everything else at the base scenario's
values. With ``uncertainty: ranges`` each sample (sweep) or future (optimisation) also draws
every declared uncertainty the spec does not vary from its plausible range
(``scenario/ranges.py``, a Latin hypercube); with ``posterior`` it draws the calibrated
constants jointly from their posterior (``outsim calibrate``, resampled by weight); ``both``
does the two. The draws are the sample's own columns, as its swept values are: stored with
it, shown by ``sweep-results``, and inputs for ``outsim discover`` (PRIM can then find that a
plan fails when, say, displaced workers find jobs slowly). A sample's replications and a
paired run (``paired_with``) share its draw, so they differ by luck alone, and every
candidate of an optimisation meets the same drawn futures.

Sobol' and Morris samples are refused: their estimators need the sampler's own design, and
draws beside it would be noise they cannot attribute. Sweep an assumption as a parameter to
measure its effect.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from simulator.scenario.loading import scenario_from_dict
from simulator.scenario.parameters import Parameter
from simulator.scenario.ranges import swung

Mode = Literal["none", "ranges", "posterior", "both"]
MODES: tuple[Mode, ...] = ("none", "ranges", "posterior", "both")


UNCERTAINTY_HELP = (
    "Also draw, per sample (per future in an optimisation), every declared uncertainty not "
    "varied from its plausible range (ranges), the calibrated constants from their "
    "posterior (posterior), or both; none holds them at the base's values"
)
POSTERIOR_HELP = (
    "With uncertainty posterior or both: a posterior.csv or calibration folder, relative to "
    "the spec (default: the one outsim ships)"
)


def check_drawn(spec: Any) -> None:
    """``posterior:`` only where the posterior is drawn."""
    if spec.posterior is not None and spec.uncertainty not in ("posterior", "both"):
        raise ValueError(
            f"posterior: applies to uncertainty: posterior or both (uncertainty is "
            f"{spec.uncertainty}); expected one of them, or no posterior:"
        )


def read_posterior_spec(posterior: str | None, base_dir: Path) -> Any:
    """The posterior a spec names (relative to the spec's folder), or the shipped one."""
    from simulator.analysis.calibrate import read_posterior, shipped_posterior

    if posterior is None:
        return shipped_posterior()
    path = Path(posterior)
    return read_posterior(path if path.is_absolute() else base_dir / path)


def resolve_drawn(
    spec: Any, base: dict[str, Any], source: str, base_dir: Path, taken: set[str]
) -> tuple[dict[str, Parameter], Any]:
    """The fields ``spec.uncertainty`` draws and the posterior it draws from (None when it
    draws none), or a ValueError naming the spec's field."""
    mode = spec.uncertainty
    if mode == "none":
        return {}, None
    posterior = None
    if mode in ("posterior", "both"):
        try:
            posterior = read_posterior_spec(spec.posterior, base_dir)
        except ValueError as exc:
            raise ValueError(f"{source}: posterior: {exc}") from None
    return drawn_parameters(base, mode, posterior, taken), posterior


def posterior_digest(posterior: Any) -> str:
    """A hash of a posterior's draws (a store's fingerprint changes with them)."""
    if posterior is None:
        return ""
    draws = posterior.draws
    blob = json.dumps([list(draws.columns), draws.to_numpy(dtype=float).tolist()])
    return hashlib.sha256(blob.encode()).hexdigest()


def drawn_parameters(
    base: dict[str, Any], mode: Mode, posterior: Any, taken: set[str]
) -> dict[str, Parameter]:
    """The concrete fields ``mode`` draws for ``base`` (a plain-data scenario), those in
    ``taken`` (swept, levers or declared uncertainties) left out, each with the range its
    draws span."""
    out: dict[str, Parameter] = {}
    if mode in ("ranges", "both"):
        scenario = scenario_from_dict(base, "<sweep base>")
        for item in swung(scenario):
            ends = (item.values(scenario, item.low), item.values(scenario, item.high))
            for path in ends[0]:
                low, high = sorted((ends[0][path], ends[1][path]))
                if path not in taken and low < high:
                    out[path] = Parameter.of(path, base, range=(low, high))
    if mode in ("posterior", "both"):
        for path in posterior.parameters:
            if path not in taken:
                values = posterior.draws[path]
                out[path] = Parameter.of(path, base, range=(values.min(), values.max()))
    return out


def draw(
    base: dict[str, Any],
    mode: Mode,
    posterior: Any,
    drawn: dict[str, Parameter],
    n: int,
    seed: int,
) -> pd.DataFrame:
    """``n`` rows, one column per drawn field: the ranges by a Latin hypercube, the
    posterior resampled by weight; seeded apart from the sweep's own sample."""
    from simulator.analysis.knowledge import draws_from_posterior, draws_from_ranges

    own = int(np.random.SeedSequence([seed, 26]).generate_state(1)[0])
    rows: list[dict[str, Any]] = [{} for _ in range(n)]
    if n and mode in ("ranges", "both"):
        scenario = scenario_from_dict(base, "<sweep base>")
        for row, values in zip(rows, draws_from_ranges(scenario, n, own), strict=True):
            row.update(values)
    if n and mode in ("posterior", "both"):
        for row, values in zip(rows, draws_from_posterior(posterior, n, own), strict=True):
            row.update(values)
    table = pd.DataFrame(rows, columns=list(drawn), index=range(n))
    for path, p in drawn.items():
        table[path] = [p.coerce(v) for v in table[path]]
    return table
