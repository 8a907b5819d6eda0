"""Keyed random numbers (``simulator/model/streams.py``): a draw is a function of (seed,
stream, month, entity) alone, so no plan shifts another entity's luck, and the numbers are
uniform and independent enough for the model."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from simulator.model.model import OutsourcingModel
from simulator.model.streams import Streams, hashed_uniform_pairs, hashed_uniforms
from simulator.scenario import load_scenario
from simulator.scenario.status_quo import status_quo_of

from .conftest import SCENARIOS, shrink

entities = st.lists(st.integers(0, 2**40), min_size=1, max_size=200, unique=True)


@settings(max_examples=50, deadline=None)
@given(key=st.integers(0, 2**64 - 1), who=entities, data=st.data())
def test_an_entitys_uniform_does_not_depend_on_who_else_draws(key, who, data) -> None:
    who = np.array(who)
    some = data.draw(st.lists(st.sampled_from(list(range(len(who)))), unique=True))
    everyone = hashed_uniforms(key, who)
    assert np.array_equal(hashed_uniforms(key, who[some]), everyone[some])
    assert ((everyone >= 0) & (everyone < 1)).all()
    high, low = hashed_uniform_pairs(key, who)
    sub_high, sub_low = hashed_uniform_pairs(key, who[some])
    assert np.array_equal(sub_high, high[some]) and np.array_equal(sub_low, low[some])
    assert ((high >= 0) & (high < 1) & (low >= 0) & (low < 1)).all()


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32), month=st.integers(0, 600), entity=st.integers(0, 10**7))
def test_one_uniform_is_the_one_the_vector_gives(seed, month, entity) -> None:
    s = Streams(seed)
    name = ("workforce", "search")
    assert s.uniform(name, month, entity) == s.uniforms(name, month, np.array([entity]))[0]


def test_keys_differ_by_seed_stream_and_month() -> None:
    a, b = Streams(7), Streams(8)
    who = np.arange(1000)
    draws = [
        a.uniforms(("x",), 0, who),
        a.uniforms(("x",), 1, who),
        a.uniforms(("y",), 0, who),
        b.uniforms(("x",), 0, who),
    ]
    for i in range(len(draws)):
        for j in range(i):
            assert abs(np.corrcoef(draws[i], draws[j])[0, 1]) < 0.15
            assert not np.array_equal(draws[i], draws[j])
    # a stream's hashed uniforms and its monthly generator have keys of their own
    assert a.key(("x",), 3) != a.key(("x",), 3, salt=3)


def test_hashed_uniforms_are_uniform_and_serially_independent() -> None:
    """Consecutive entities (the worst case for a counter-based hash), one month: the
    Kolmogorov-Smirnov test, the mean and variance of U(0, 1), no serial correlation; the two
    halves of a pair are independent of each other."""
    who = np.arange(200_000)
    u = Streams(20261128).uniforms(("customers", "churn"), 5, who)
    assert stats.kstest(u, "uniform").pvalue > 1e-3
    assert u.mean() == pytest.approx(0.5, abs=0.003)
    assert u.var() == pytest.approx(1 / 12, abs=0.001)
    assert abs(np.corrcoef(u[:-1], u[1:])[0, 1]) < 0.01
    high, low = Streams(3).uniform_pairs(("customers", "issue"), 0, who)
    for half in (high, low):
        assert stats.kstest(half, "uniform").pvalue > 1e-3
    assert abs(np.corrcoef(high, low)[0, 1]) < 0.01
    # across months, the same entity's draws are independent too
    months = np.array([Streams(3).uniform(("x",), m, 17) for m in range(5000)])
    assert stats.kstest(months, "uniform").pvalue > 1e-3


def test_a_months_generator_starts_afresh_whatever_was_drawn_before() -> None:
    a, b = Streams(11), Streams(11)
    first = a.generator("customers", "issues", month=4).random(10)
    a.generator("customers", "issues", month=5).random(1000)
    a.generator("customers", "churn", month=4).random(7)
    again = a.generator("customers", "issues", month=4).random(10)
    assert np.array_equal(first, again)
    assert np.array_equal(b.generator("customers", "issues", month=4).random(10), first)
    # a block's first slots are the same however long the block
    assert np.array_equal(b.generator("customers", "issues", month=4).random(3), first[:3])
    other = a.generator("customers", "issues", month=5).random(10)
    assert not np.array_equal(other, first)
    assert stats.kstest(a.generator("z", month=0).random(100_000), "uniform").pvalue > 1e-3


def test_a_plan_and_its_status_quo_share_every_customers_and_workers_luck() -> None:
    """Month by month, a customer active in both runs at the start of the month with the same
    contact rate raises an issue in one exactly when it does in the other (the plan churns
    and acquires different customers, so slots are compared only where they hold the same
    customer), and every worker meets the same luck in every mechanism."""
    plan_scenario = shrink(load_scenario(SCENARIOS / "default.yaml"), 6000, 12)
    plan = OutsourcingModel(plan_scenario, seed=11)
    base = OutsourcingModel(status_quo_of(plan_scenario), seed=11)
    assert np.array_equal(plan.customers.contact_rate, base.customers.contact_rate)
    compared = 0
    for _ in range(12):
        p, b = plan.customers, base.customers  # the same customer in a slot at the start
        same = np.flatnonzero(p.active & b.active & (p.contact_rate == b.contact_rate))
        plan.step()
        base.step()
        assert np.array_equal(np.intersect1d(p._issuers, same), np.intersect1d(b._issuers, same))
        compared += len(same)
        for mechanism in ("search", "quits", "leave"):
            assert np.array_equal(plan.workforce.draw(mechanism), base.workforce.draw(mechanism))
    assert compared > 12 * 5000  # most customers are the same in both runs


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32), month=st.integers(0, 600), who=entities)
def test_a_table_of_streams_is_each_streams_uniforms(seed, month, who) -> None:
    s = Streams(seed)
    names = (("workforce", "search"), ("workforce", "quits"), ("x",))
    table = s.uniform_table(names, month, np.array(who))
    for row, name in zip(table, names, strict=True):
        assert np.array_equal(row, s.uniforms(name, month, np.array(who)))
