"""The simulated status quo is the only baseline of money (issue 23): a scenario without a
plan saves exactly nothing in any labour market; a plan's savings are measured against its
status quo on the same draws, whether the model simulates it or is handed its books; and a
vendor's pay reaches its price by any route."""

from __future__ import annotations

import numpy as np
import pytest

import simulator
from simulator.analysis.kpis import compute_kpis
from simulator.model.model import OutsourcingModel, simulate_status_quo
from simulator.model.status_quo import StatusQuoBooks
from simulator.scenario import load_scenario
from simulator.scenario.overrides import with_overrides
from simulator.scenario.status_quo import status_quo_of

from .conftest import SCENARIOS, shrink

MONEY = ("npv_net_savings", "npv_operating_savings")
MARKETS = {
    "default": {},
    "slack": {"local_economy.vacancy_rate": 0.02, "local_economy.baseline_unemployment_rate": 0.09},
    "tight": {"local_economy.vacancy_rate": 0.08, "local_economy.baseline_unemployment_rate": 0.03},
}


@pytest.fixture(scope="module")
def tiny():
    """The default plan at a tiny scale (3,000 customers, 40 staff, 24 months)."""
    small = shrink(load_scenario(SCENARIOS / "default.yaml"), 3000, 24)
    return with_overrides(small, {"workforce.headcount": 40, "local_economy.labour_force": 30000})


def _kpis(model: OutsourcingModel) -> dict[str, float | None]:
    return compute_kpis(model, model.datacollector.get_model_vars_dataframe())


@pytest.mark.parametrize("market", sorted(MARKETS))
def test_the_status_quo_saves_exactly_nothing_in_any_market(tiny, market) -> None:
    sq = with_overrides(status_quo_of(tiny), MARKETS[market])
    model = OutsourcingModel(sq, seed=5).run()
    assert model.status_quo_books is None  # its own baseline
    kpis = _kpis(model)
    assert all(kpis[k] == 0.0 for k in MONEY), {k: kpis[k] for k in MONEY}
    ts = model.datacollector.get_model_vars_dataframe()
    assert (ts["net_savings"] == 0.0).all()


def test_the_bundled_status_quo_saves_nothing_over_replications() -> None:
    sq = shrink(load_scenario(SCENARIOS / "status_quo.yaml"), 3000, 12)
    res = simulator.run(sq, replications=3, seed=2, workers=1)
    assert (res.kpis["npv_net_savings"] == 0.0).all()
    assert res.effects["npv_net_savings"]["mean"] == 0.0


def test_a_plan_is_measured_against_its_status_quo_on_the_same_draws(tiny) -> None:
    """The model's own status-quo run and books handed to it give the same savings, to the
    last bit; and the savings are the status quo's decision cost minus the plan's, plus the
    margin on revenue over the status quo's."""
    books = simulate_status_quo(tiny, 9)
    own = OutsourcingModel(tiny, seed=9).run()
    handed = OutsourcingModel(tiny, seed=9, status_quo=books).run()
    a = own.datacollector.get_model_vars_dataframe()
    b = handed.datacollector.get_model_vars_dataframe()
    np.testing.assert_array_equal(a["net_savings"], b["net_savings"])
    sq = OutsourcingModel(status_quo_of(tiny), seed=9).run().datacollector
    base = sq.get_model_vars_dataframe()
    margin = tiny.company.gross_margin
    expected = (
        base["cost_decision"] - a["cost_decision"] + margin * (a["revenue"] - base["revenue"])
    )
    np.testing.assert_allclose(a["net_savings"], expected, rtol=1e-12)
    np.testing.assert_array_equal(a["cost_counterfactual"], books.cost_operating)


def test_a_run_pairs_each_replication_with_its_status_quo(tiny) -> None:
    """``simulator.run`` runs the status quo once per replication and hands its books to the
    plan: the plan's savings equal its paired effect, and the plan's own KPI."""
    res = simulator.run(tiny, replications=3, seed=4, workers=1)
    assert (res.baseline_kpis["npv_net_savings"] == 0.0).all()
    assert res.effects["npv_net_savings"]["mean"] == pytest.approx(
        res.kpis["npv_net_savings"].mean()
    )
    alone = [
        _kpis(OutsourcingModel(tiny, seed=s).run())["npv_net_savings"]
        for s in np.random.SeedSequence(4).spawn(3)
    ]
    np.testing.assert_allclose(res.kpis["npv_net_savings"], alone, rtol=1e-12)


def test_books_of_another_horizon_are_refused(tiny) -> None:
    books = simulate_status_quo(tiny, 1)
    short = StatusQuoBooks(
        {k: v[:12] for k, v in books.cost_lines.items()},
        books.cost_decision[:12],
        books.revenue[:12],
        books.service_level[:12],
    )
    with pytest.raises(ValueError, match="books of 12 months for a 24-month run"):
        OutsourcingModel(tiny, seed=1, status_quo=short)
    with pytest.raises(ValueError, match="missing monthly series"):
        StatusQuoBooks.of({"revenue": [1.0]})


def _price(scenario, **vendor) -> float:
    data = with_overrides(scenario, {f"vendors.0.{k}": v for k, v in vendor.items()})
    model = OutsourcingModel(data, seed=1, status_quo=simulate_status_quo(data, 1))
    return model.vendors[0].price_per_hour()


def test_a_vendors_pay_reaches_its_price_by_any_route(tiny) -> None:
    """Cost-plus: the price rises with the pay the vendor actually pays, whether its own pay
    or the contract's wage floor raises it, by the labour share of the price."""
    ratios = [0.6, 0.8, 1.0, 1.5, 2.0]
    prices = [_price(tiny, wage_ratio=r) for r in ratios]
    assert all(b > a for a, b in zip(prices, prices[1:], strict=False))
    v = tiny.vendors[0]
    quoted = v.price_per_agent_hour  # at the industry standard (ratio 1), no language floor
    language = prices[2] - quoted  # the language floor's premium, whatever the pay
    assert 0 <= language < 0.2 * quoted
    assert prices[4] == pytest.approx(quoted * (1 + v.labour_share_of_price) + language)
    floored = with_overrides(tiny, {"policies.vendor_staff.wage_floor_ratio": 2.0})
    assert _price(floored, wage_ratio=0.6) == pytest.approx(prices[4])


def test_the_waterfall_starts_each_part_where_the_last_ended(tmp_path) -> None:
    from simulator.outputs.figures.waterfall import plot_saving_waterfall, waterfall_bars

    parts = {
        "labour_price": 14e6,
        "service_level": -0.1e6,
        "transition": -0.9e6,
        "safeguards": -0.2e6,
        "revenue_margin": -8.5e6,
        "breach_risk": -5.1e6,
    }
    bars = waterfall_bars(parts)
    assert list(bars["height"].iloc[:-1] * 1e6) == pytest.approx(list(parts.values()))
    ends = (bars["bottom"] + bars["height"]).iloc[:-2].to_numpy()
    assert bars["bottom"].iloc[1:-1].to_numpy() == pytest.approx(ends)
    assert bars["height"].iloc[-1] == pytest.approx(sum(parts.values()) / 1e6)
    assert bars["net"].iloc[-1] and bars["bottom"].iloc[-1] == 0.0
    path = plot_saving_waterfall(parts, tmp_path / "saving.png", 10)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
