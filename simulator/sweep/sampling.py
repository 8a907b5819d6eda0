"""Samples of a sweep: the parameter values of every sample, from the spec's sampler.

``grid`` takes every combination of levels; ``lhs``, ``sobol`` and ``morris`` draw through
SALib (Latin hypercube, Saltelli/Sobol' sequence, Morris trajectories), seeded by the spec's
seed so the same spec always gives the same samples. Sample ``i`` is row ``i`` of SALib's
matrix, the order its analysers expect.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pandas as pd
from SALib.sample import latin, morris, sobol

from simulator.scenario.parameters import Parameter
from simulator.sweep.drawn import draw
from simulator.sweep.spec import Sweep

_SALIB_DIST = {
    "uniform": "unif",
    "loguniform": "logunif",
    "triangular": "triang",
    "truncnorm": "truncnorm",
}


def _salib_bounds(p: Parameter) -> list[float]:
    lo, hi = (p.low, p.high) if p.is_range else (0.0, 1.0)
    if p.distribution == "triangular":
        if p.peak is None:  # the sweep spec requires it (ParameterSpec)
            raise ValueError(f"{p.path}: a triangular distribution needs peak")
        return [lo, hi, (float(p.peak) - lo) / (hi - lo)]  # SALib: peak as a share of width
    if p.distribution == "truncnorm":
        if p.mean is None or p.sd is None:  # the sweep spec requires them (ParameterSpec)
            raise ValueError(f"{p.path}: a truncated normal distribution needs mean and sd")
        return [lo, hi, float(p.mean), float(p.sd)]
    return [lo, hi]


def problem(sweep: Sweep) -> dict[str, Any]:
    """The SALib problem: names, bounds and distributions of the swept parameters."""
    params = sweep.parameters
    return {
        "num_vars": len(params),
        "names": list(params),
        "bounds": [_salib_bounds(p) for p in params.values()],
        "dists": [_SALIB_DIST[p.distribution] for p in params.values()],
    }


def _grid_levels(p: Parameter) -> list[Any]:
    if p.levels is not None:
        return list(p.levels)
    return [float(v) for v in np.linspace(p.low, p.high, p.steps or 2)]


def sample_matrix(sweep: Sweep) -> np.ndarray:
    """Raw sampled values, one row per sample and one column per parameter (as drawn)."""
    spec = sweep.spec
    if spec.sampler == "grid":
        rows = list(itertools.product(*(_grid_levels(p) for p in sweep.parameters.values())))
        return np.array(rows, dtype=object)
    prob = problem(sweep)
    n = int(spec.samples or 1)
    if spec.sampler == "lhs":
        return latin.sample(prob, n, seed=sweep.seed)
    if spec.sampler == "sobol":
        return sobol.sample(prob, n, calc_second_order=spec.second_order, seed=sweep.seed)
    return morris.sample(prob, n, num_levels=spec.morris_levels, seed=sweep.seed)


def expected_samples(sweep: Sweep) -> int:
    """How many samples the spec gives, without drawing them (``Sweep.expected_samples``)."""
    return sweep.expected_samples()


def samples_table(sweep: Sweep) -> pd.DataFrame:
    """``sample_id`` and one column per parameter, each value in its field's type, then one
    per drawn assumption (``sweep/drawn.py``)."""
    matrix = sample_matrix(sweep)
    table = pd.DataFrame({"sample_id": np.arange(len(matrix), dtype=np.int64)})
    for j, (path, p) in enumerate(sweep.parameters.items()):
        table[path] = [p.coerce(v) for v in matrix[:, j]]
    if sweep.drawn:
        spec = sweep.spec
        extra = draw(
            sweep.base, spec.uncertainty, sweep.posterior, sweep.drawn, len(table), sweep.seed
        )
        table = pd.concat([table, extra], axis=1)
    return table
