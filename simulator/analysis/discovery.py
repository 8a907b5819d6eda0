"""Scenario discovery with PRIM: which combinations of inputs lead to an outcome of interest.

The Patient Rule Induction Method (Friedman & Fisher 1999; Bryant & Lempert 2010 for its use
in scenario discovery) starts from a box holding every run and *peels*: at each step it
removes the slice (a share ``peel_alpha`` of the box's runs at one end of one numeric input,
or one value of a categorical input) that leaves the highest share of cases of interest in
the box, until the box would hold less than ``mass_min`` of all runs. Each step is a point
of the **peeling trajectory**:

- *coverage*: the share of all cases of interest that fall in the box;
- *density*: the share of the box's runs that are cases of interest;
- *mass*: the share of all runs in the box; *restricted*: how many inputs the box limits.

A box from the trajectory can then be *pasted*: widened again, a ``paste_alpha`` slice at a
time, while that raises its density. For each restricted input a **quasi-p-value** asks how
likely the box's density would be if that input were left unrestricted (one-sided binomial:
Bryant & Lempert 2010). EMA Workbench's ``prim`` module implements the same method; it is not
used here because version 2.5 misreports box limits and fails on categorical inputs with
pandas 3 (docs/DECISION.md), and version 3 needs a newer Python.

Pure numpy and pandas; no model code (it reads any table of inputs and a yes/no outcome).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import binom


class DiscoveryError(ValueError):
    """The inputs or the outcome cannot be analysed. ``str()`` is the message."""


@dataclass(frozen=True)
class Box:
    """Limits on inputs: ``(low, high)`` for numeric inputs, a set of values otherwise.
    An input absent from ``limits`` is unrestricted."""

    limits: dict[str, Any] = field(default_factory=dict)

    def contains(self, x: pd.DataFrame) -> np.ndarray:
        inside = np.ones(len(x), dtype=bool)
        for name, limit in self.limits.items():
            col = x[name]
            if isinstance(limit, frozenset):
                inside &= col.isin(limit).to_numpy()
            else:
                values = col.to_numpy(dtype=float)
                inside &= (values >= limit[0]) & (values <= limit[1])
        return inside

    def without(self, name: str) -> Box:
        return Box({k: v for k, v in self.limits.items() if k != name})

    def with_limit(self, name: str, limit: Any) -> Box:
        return Box({**self.limits, name: limit})


@dataclass(frozen=True)
class Step:
    """One box of the peeling trajectory."""

    box: Box
    coverage: float
    density: float
    mass: float
    restricted: int
    runs: int  # runs in the box
    cases: int  # cases of interest in the box


class Prim:
    """PRIM on inputs ``x`` (numeric or categorical columns) and a yes/no outcome ``y``."""

    def __init__(
        self,
        x: pd.DataFrame,
        y: np.ndarray | pd.Series,
        peel_alpha: float = 0.05,
        paste_alpha: float = 0.05,
        mass_min: float = 0.05,
    ) -> None:
        y = np.asarray(y)
        if len(x) != len(y) or len(x) == 0:
            raise DiscoveryError(f"{len(x)} rows of inputs but {len(y)} outcomes")
        if y.dtype != bool and not np.isin(y, (0, 1)).all():
            raise DiscoveryError("the outcome must be yes/no (True/False or 1/0) for every run")
        if not 0 < peel_alpha < 1 or not 0 < paste_alpha < 1 or not 0 < mass_min < 1:
            raise DiscoveryError("peel_alpha, paste_alpha and mass_min must lie between 0 and 1")
        self.x = x.reset_index(drop=True)
        self.y = y.astype(bool)
        self.peel_alpha, self.paste_alpha, self.mass_min = peel_alpha, paste_alpha, mass_min
        self.numeric = {c for c in x.columns if pd.api.types.is_numeric_dtype(x[c])}
        self.numeric -= {c for c in x.columns if pd.api.types.is_bool_dtype(x[c])}
        if not self.y.any():
            raise DiscoveryError("no run has the outcome of interest: nothing to explain")

    # -- measures --------------------------------------------------------------------------
    def step_of(self, box: Box) -> Step:
        inside = box.contains(self.x)
        runs, cases = int(inside.sum()), int(self.y[inside].sum())
        return Step(
            box,
            coverage=cases / int(self.y.sum()),
            density=cases / runs if runs else 0.0,
            mass=runs / len(self.y),
            restricted=len(box.limits),
            runs=runs,
            cases=cases,
        )

    # -- peeling ---------------------------------------------------------------------------
    def _peels(self, box: Box, inside: np.ndarray) -> list[Box]:
        """Every box one peel smaller than ``box``."""
        out = []
        for name in self.x.columns:
            values = self.x[name][inside]
            limit = box.limits.get(name)
            if name in self.numeric:
                v = values.to_numpy(dtype=float)
                low, high = limit if limit is not None else (float(v.min()), float(v.max()))
                cut_low = np.quantile(v, self.peel_alpha, method="lower")
                cut_high = np.quantile(v, 1 - self.peel_alpha, method="higher")
                above, below = v[v > cut_low], v[v < cut_high]
                if 0 < len(above) < len(v):  # drop the lowest slice
                    out.append(box.with_limit(name, (float(above.min()), high)))
                if 0 < len(below) < len(v):  # drop the highest slice
                    out.append(box.with_limit(name, (low, float(below.max()))))
            else:
                present = frozenset(values.unique().tolist())
                if len(present) > 1:
                    out.extend(box.with_limit(name, present - {drop}) for drop in present)
        return out

    def peel(self) -> list[Step]:
        """The peeling trajectory, from the box of every run to the smallest box of at least
        ``mass_min`` of the runs."""
        box = Box()
        trajectory = [self.step_of(box)]
        while True:
            inside = box.contains(self.x)
            best: Step | None = None
            for candidate in self._peels(box, inside):
                s = self.step_of(candidate)
                if s.mass < self.mass_min or s.runs == trajectory[-1].runs:
                    continue
                if best is None or (s.density, s.mass) > (best.density, best.mass):
                    best = s
            if best is None:
                return trajectory
            box = best.box
            trajectory.append(best)

    # -- pasting ---------------------------------------------------------------------------
    def paste(self, box: Box) -> Step:
        """Widen ``box`` a slice at a time while that keeps or raises its density (the
        widening that keeps the most density, then covers the most, first)."""
        current = self.step_of(box)
        while True:
            best = None
            for name, limit in box.limits.items():
                for wider in self._pastes(box, name, limit):
                    s = self.step_of(wider)
                    if s.density < current.density or s.runs == current.runs:
                        continue
                    if best is None or (s.density, s.coverage) > (best.density, best.coverage):
                        best = s
            if best is None:
                return current
            box, current = best.box, best

    def _pastes(self, box: Box, name: str, limit: Any) -> list[Box]:
        outside = box.without(name).contains(self.x) & ~box.contains(self.x)
        values = self.x[name][outside]
        if not len(values):
            return []
        if isinstance(limit, frozenset):
            return [box.with_limit(name, limit | {v}) for v in values.unique().tolist()]
        v = values.to_numpy(dtype=float)
        n = max(1, int(round(self.paste_alpha * box.contains(self.x).sum())))
        out = []
        lower, higher = np.sort(v[v < limit[0]])[::-1], np.sort(v[v > limit[1]])
        if len(lower):
            out.append(box.with_limit(name, (float(lower[:n][-1]), limit[1])))
        if len(higher):
            out.append(box.with_limit(name, (limit[0], float(higher[:n][-1]))))
        return out

    # -- reading a box ---------------------------------------------------------------------
    def quasi_p(self, box: Box) -> dict[str, float]:
        """For each restricted input: the chance of at least the box's cases among its runs
        if the input were unrestricted (one-sided binomial)."""
        here = self.step_of(box)
        out = {}
        for name in box.limits:
            wider = self.step_of(box.without(name))
            out[name] = float(binom.sf(here.cases - 1, here.runs, wider.density))
        return out

    def simplify(self, box: Box, significance: float = 0.05) -> Box:
        """Drop, one at a time, the restriction that matters least (highest quasi-p-value)
        while it is not significant: peeling also trims thin slices of inputs that do not
        matter, and they would only narrow the box by chance."""
        while box.limits:
            p = self.quasi_p(box)
            name = max(p, key=lambda n: p[n])
            if p[name] <= significance:
                return box
            box = box.without(name)
        return box

    def choose(
        self, trajectory: list[Step], min_density: float = 0.8, max_restricted: int = 3
    ) -> tuple[int, Step]:
        """The box of highest coverage with density ≥ ``min_density`` and at most
        ``max_restricted`` restrictions, once restrictions that are not significant are
        dropped (failing that, the densest such box); and its index in the trajectory."""
        simple = [self.step_of(self.simplify(s.box)) for s in trajectory]
        fit = [
            i
            for i, s in enumerate(simple)
            if s.density >= min_density and s.restricted <= max_restricted
        ]
        if not fit:
            fit = list(range(len(simple)))
            best = max(fit, key=lambda i: (simple[i].density, simple[i].coverage))
        else:
            best = max(
                fit, key=lambda i: (simple[i].coverage, simple[i].density, -simple[i].restricted)
            )
        return best, simple[best]


def shown(value: float) -> str:
    """``21.1``, ``0.35``, ``250,000``: three significant digits, thousands separated."""
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"


def describe_limit(
    name: str, limit: Any, x: pd.DataFrame, show: Callable[[float], str] = shown
) -> str:
    """``local unemployment is 5.0 to 8.0`` style text for one restriction; an end that is
    the input's own minimum or maximum is left out (``above 5.0``)."""
    if isinstance(limit, frozenset):
        values = ", ".join(str(v) for v in sorted(limit, key=str))
        return f"{name} is {values}"
    low, high = limit
    lowest, highest = float(x[name].min()), float(x[name].max())
    if low <= lowest:
        return f"{name} is at most {show(high)}"
    if high >= highest:
        return f"{name} is at least {show(low)}"
    return f"{name} is {show(low)} to {show(high)}"


def trajectory_frame(trajectory: list[Step]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "step": range(len(trajectory)),
            "coverage": [s.coverage for s in trajectory],
            "density": [s.density for s in trajectory],
            "mass": [s.mass for s in trajectory],
            "restricted": [s.restricted for s in trajectory],
            "runs": [s.runs for s in trajectory],
            "cases": [s.cases for s in trajectory],
        }
    )


@dataclass(frozen=True)
class Leaf:
    """One leaf of a classification tree: the conditions that lead to it."""

    conditions: tuple[str, ...]
    runs: int
    cases: int
    coverage: float
    density: float


def cart(
    x: pd.DataFrame,
    y: np.ndarray,
    mass_min: float = 0.05,
    seed: int = 0,
    show: Callable[[str], Callable[[float], str]] = lambda name: shown,
) -> list[Leaf]:
    """CART (Breiman et al. 1984; scikit-learn's tree) as a second view: the leaves of a
    classification tree of the outcome on the inputs, each leaf holding at least
    ``mass_min`` of the runs, densest first. Categorical inputs are split one value against
    the rest (one-hot). ``show(input)`` formats that input's thresholds."""
    from sklearn.tree import DecisionTreeClassifier

    y = np.asarray(y).astype(bool)
    if not y.any() or y.all():
        raise DiscoveryError("the outcome is the same in every run: no tree to grow")
    features = pd.get_dummies(x, prefix_sep=" = ", dtype=float)
    leaf_size = max(1, int(np.ceil(mass_min * len(y))))
    tree = DecisionTreeClassifier(min_samples_leaf=leaf_size, random_state=seed)
    tree.fit(features.to_numpy(), y)
    t, names = tree.tree_, list(features.columns)

    def rule(node: int, left: bool) -> str:
        name, cut = names[t.feature[node]], t.threshold[node]
        if " = " in name and name not in x.columns:  # a one-hot column: 'input = value'
            column, value = name.split(" = ", 1)
            return f"{column} is {value}" if not left else f"{column} is not {value}"
        text = show(name)(cut)
        return f"{name} ≤ {text}" if left else f"{name} > {text}"

    leaves: list[Leaf] = []
    total = int(y.sum())
    inside = tree.apply(features.to_numpy())

    def walk(node: int, conditions: tuple[str, ...]) -> None:
        if t.children_left[node] == -1:
            members = inside == node
            runs, cases = int(members.sum()), int(y[members].sum())
            leaves.append(Leaf(conditions, runs, cases, cases / total, cases / runs))
            return
        walk(t.children_left[node], (*conditions, rule(node, True)))
        walk(t.children_right[node], (*conditions, rule(node, False)))

    walk(0, ())
    return sorted(leaves, key=lambda leaf: (-leaf.density, -leaf.coverage))
