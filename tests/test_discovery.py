"""PRIM finds planted boxes; its measures, pasting and quasi-p-values by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from simulator.analysis.discovery import Box, DiscoveryError, Prim, describe_limit


def planted(n: int = 2000, noise: float = 0.05, seed: int = 3) -> tuple[pd.DataFrame, np.ndarray]:
    """Failure when x1 > 0.6 and x2 < 0.3 (12% of the runs), with 5% of outcomes flipped."""
    rng = np.random.default_rng(seed)
    x = pd.DataFrame(rng.uniform(0, 1, (n, 3)), columns=["x1", "x2", "x3"])
    y = (x.x1 > 0.6) & (x.x2 < 0.3)
    flip = rng.uniform(size=n) < noise
    return x, np.where(flip, ~y, y)


def test_prim_finds_a_planted_box() -> None:
    x, y = planted()
    prim = Prim(x, y)
    trajectory = prim.peel()
    assert trajectory[0].coverage == 1.0 and trajectory[0].mass == 1.0
    assert all(a.mass > b.mass for a, b in zip(trajectory, trajectory[1:], strict=False))
    assert trajectory[-1].mass >= 0.05
    chosen = prim.paste(prim.choose(trajectory)[1].box)
    assert set(chosen.box.limits) == {"x1", "x2"}  # x3 is noise: never restricted
    x1, x2 = chosen.box.limits["x1"], chosen.box.limits["x2"]
    assert x1[0] == pytest.approx(0.6, abs=0.05) and x1[1] == pytest.approx(1.0, abs=0.01)
    assert x2[0] == pytest.approx(0.0, abs=0.01) and x2[1] == pytest.approx(0.3, abs=0.06)
    # 5% of outcomes flipped: the true box holds 0.95 × 12% of runs as cases, the rest of
    # the runs 0.05 × 88% more; so its density is 0.95 and its coverage about 0.72
    assert chosen.density > 0.8 and chosen.coverage > 0.7
    p = prim.quasi_p(chosen.box)
    assert set(p) == {"x1", "x2"} and max(p.values()) < 1e-6


def test_prim_restricts_a_categorical_input() -> None:
    rng = np.random.default_rng(5)
    n = 1500
    x = pd.DataFrame(
        {"vendor": rng.choice(["manila", "bogota", "leeds"], n), "notice": rng.uniform(0, 12, n)}
    )
    y = (x.vendor == "manila").to_numpy() & (x.notice.to_numpy() < 3)
    prim = Prim(x, y)
    chosen = prim.choose(prim.peel())[1]
    assert chosen.box.limits["vendor"] == frozenset({"manila"})
    assert 3.0 <= chosen.box.limits["notice"][1] < 3.8
    assert chosen.density > 0.8 and chosen.coverage > 0.95
    assert describe_limit("vendor", chosen.box.limits["vendor"], x) == "vendor is manila"


def test_box_measures_by_hand() -> None:
    x = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0], "b": ["p", "q", "p", "q"]})
    y = np.array([True, False, True, True])
    prim = Prim(x, y)
    s = prim.step_of(Box({"a": (2.0, 4.0), "b": frozenset({"p"})}))
    assert (s.runs, s.cases, s.mass, s.density, s.coverage, s.restricted) == (
        1,
        1,
        0.25,
        1.0,
        1 / 3,
        2,
    )
    # without 'b' the box holds 3 runs and 2 cases: P(X ≥ 1), X ~ B(1, 2/3) = 2/3
    assert prim.quasi_p(s.box)["b"] == pytest.approx(2 / 3)
    assert describe_limit("a", (2.0, 4.0), x) == "a is at least 2"
    assert describe_limit("a", (1.0, 3.0), x) == "a is at most 3"
    assert describe_limit("a", (2.0, 3.0), x) == "a is 2 to 3"


def test_pasting_widens_a_box_only_while_density_rises() -> None:
    x, y = planted(noise=0.0)
    prim = Prim(x, y)
    tight = Box({"x1": (0.8, 1.0), "x2": (0.0, 0.1)})
    pasted = prim.paste(tight)
    assert pasted.density == 1.0 and pasted.coverage > prim.step_of(tight).coverage
    assert pasted.box.limits["x1"][0] >= 0.6 - 1e-9 and pasted.box.limits["x2"][1] <= 0.3


@pytest.mark.parametrize(
    ("y", "message"),
    [(np.zeros(4, bool), "no run has"), (np.array([0, 1, 2, 1]), "yes/no"), (np.ones(3), "rows")],
)
def test_bad_outcomes_are_refused(y, message: str) -> None:
    x = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0]})
    with pytest.raises(DiscoveryError, match=message):
        Prim(x, y)


def test_cart_finds_the_planted_box_as_its_densest_leaf() -> None:
    from simulator.analysis.discovery import cart

    x, y = planted(noise=0.0)
    leaves = cart(x, y)
    best = leaves[0]
    assert best.density == 1.0 and best.coverage > 0.9
    text = " and ".join(best.conditions)
    assert "x1 >" in text and "x2 ≤" in text and "x3" not in text
    assert sum(leaf.runs for leaf in leaves) == len(y)
    assert sum(leaf.cases for leaf in leaves) == int(y.sum())


def test_cart_splits_categories_one_against_the_rest() -> None:
    from simulator.analysis.discovery import cart

    rng = np.random.default_rng(2)
    x = pd.DataFrame({"vendor": rng.choice(["manila", "bogota"], 400), "z": rng.uniform(size=400)})
    leaves = cart(x, (x.vendor == "manila").to_numpy())
    assert leaves[0].density == 1.0
    assert leaves[0].conditions in (("vendor is manila",), ("vendor is not bogota",))
