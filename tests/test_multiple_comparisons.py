"""A comparison tests some sixty KPIs at once (issue 23): a difference is called clear only
after Holm's adjustment over them, so luck alone rarely marks one."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.analysis.compare import holm, paired_p_value


def test_holm_by_hand() -> None:
    """Sorted 0.01, 0.03, 0.04 of three: × 3, × 2, × 1 = 0.03, 0.06, 0.04, then made
    non-decreasing: 0.03, 0.06, 0.06; a missing test stays missing."""
    assert holm([0.01, 0.04, 0.03, None]) == pytest.approx([0.03, 0.06, 0.06, None])
    assert holm([0.9, 0.8]) == [1.0, 1.0]  # capped at 1
    assert holm([]) == []


def test_the_paired_t_test() -> None:
    a = np.array([1.0, 2.0, 3.0, 4.0])
    assert paired_p_value(a, a) == 1.0  # no difference at all
    assert paired_p_value(a + 1.0, a) == 0.0  # the same difference every time
    assert paired_p_value(np.array([1.0]), np.array([0.0])) is None
    # differences 0.5, 1.5, 1.0, 1.0: mean 1, sd 0.408, t = 4.90 on 3 df → p = 0.0163
    p = paired_p_value(np.array([1.5, 3.5, 4.0, 5.0]), a)
    assert p == pytest.approx(0.0163, abs=2e-4)


def test_pure_noise_over_many_kpis_is_rarely_called_clear() -> None:
    """Sixty KPIs that do not differ, ten replications, two hundred comparisons: unadjusted,
    about three KPIs a comparison look clear at 5%; after Holm, at most one in twenty
    comparisons has any."""
    rng = np.random.default_rng(7)
    unadjusted = any_after_holm = 0
    for _ in range(200):
        a, b = rng.normal(size=(60, 10)), rng.normal(size=(60, 10))
        raw = [paired_p_value(x, y) for x, y in zip(a, b, strict=True)]
        unadjusted += sum(p < 0.05 for p in raw if p is not None)
        any_after_holm += any(p is not None and p < 0.05 for p in holm(raw))
    assert 2.0 < unadjusted / 200 < 4.0
    assert any_after_holm / 200 <= 0.05 + 0.03
