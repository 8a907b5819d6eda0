"""A customer sample (``customers.simulated``): each simulated customer stands for several, every
count is scaled back up, and the firm's figures match the full customer base's on average."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from simulator.model.model import OutsourcingModel
from simulator.scenario.overrides import with_overrides

from .conftest import shrink

COUNTS = ("customers_active", "issues", "customers_churned", "records_exposed")
SHARES = ("csat", "trust_mean", "service_level", "churn_rate_monthly")


def _series(scenario, seed: int) -> pd.DataFrame:
    return OutsourcingModel(scenario, seed=seed).run().datacollector.get_model_vars_dataframe()


@pytest.fixture(scope="module")
def firm(default_small):
    return shrink(default_small, customers=20_000, months=24)


def test_a_sample_as_large_as_the_base_is_the_full_model(firm) -> None:
    full = _series(firm, 3)
    same = _series(with_overrides(firm, {"customers.simulated": 20_000}), 3)
    pd.testing.assert_frame_equal(full, same)


def test_a_tenth_sample_gives_the_full_bases_totals_and_means(firm) -> None:
    """Over four seeds and the last year: counts within 3%, shares within 1.5% of the full
    base's (a tenth sample is 2,000 customers: its noise, not a bias, is all that differs)."""
    sample = with_overrides(firm, {"customers.simulated": 2000})
    full = pd.concat([_series(firm, s).iloc[-12:] for s in range(4)]).mean()
    part = pd.concat([_series(sample, s).iloc[-12:] for s in range(4)]).mean()
    for k in COUNTS + SHARES:
        assert part[k] == pytest.approx(full[k], rel=0.03 if k in COUNTS else 0.015), k
    # money follows the customers it stands for: revenue at the real customer count
    assert part["customers_active"] > 15_000


def test_a_sample_scales_what_it_counts_back_up(firm) -> None:
    model = OutsourcingModel(with_overrides(firm, {"customers.simulated": 500}), seed=1)
    cu = model.customers
    assert cu.weight == pytest.approx(40.0)
    assert cu.n_active == 500 and cu.count == pytest.approx(20_000)
    assert cu.expected_issues() == pytest.approx(40 * float(cu.contact_rate.sum()), rel=1e-6)
    model.run()
    series = model.datacollector.get_model_vars_dataframe()
    # every count is a whole number of simulated customers times the weight
    for k in ("customers_churned", "customers_acquired", "complaints"):
        assert np.allclose(series[k] / 40, np.round(series[k] / 40)), k
