"""The benchmark keeps working, and the vectorised hot paths give the same results as the
straightforward implementations they replaced (same seed, same numbers: no draw order changed).

Performance itself is not asserted here (timings are noisy); see docs/PERFORMANCE.md.
"""

from __future__ import annotations

import io
import json
import math

import numpy as np
import pytest
from rich.console import Console

from simulator.dev import benchmark
from simulator.model import customers as customers_module
from simulator.model import model as model_module
from simulator.model.customers import (
    DEFECT_FIRST,
    DEFECT_LATER,
    DEFECT_UNRESOLVED,
    DISCLOSURE_DAMPING,
    FLOAT,
    OUTCOME_FIRST,
    OUTCOME_NONE,
    SATISFACTION_WEIGHT,
    TRUST_ADJUSTMENT,
    TRUST_PER_SATISFACTION,
    Customers,
    poisson_by_inversion,
)
from simulator.model.employees import State, Workforce
from simulator.model.model import OutsourcingModel
from simulator.scenario import Scenario
from tests.conftest import SCENARIOS, shrink

# -- the benchmark -------------------------------------------------------------------------------


def test_scaled_scenario_multiplies_the_company() -> None:
    base = benchmark.scaled_scenario(1)
    big = benchmark.scaled_scenario(10)
    assert big.customers.count == 10 * base.customers.count
    assert big.workforce.headcount == 10 * base.workforce.headcount
    assert big.local_economy.labour_force == 10 * base.local_economy.labour_force
    for small_v, big_v in zip(base.vendors, big.vendors, strict=True):
        assert big_v.hiring_capacity_per_month == 10 * small_v.hiring_capacity_per_month
    assert big.plan == base.plan
    assert benchmark.default_months(1) == 60 and benchmark.default_months(100) < 60


def test_benchmark_runs_at_a_tiny_scale() -> None:
    scale, months, seed = 0.05, 6, 3
    (r,) = benchmark.run_benchmark((scale,), months=months, isolate=False, seed=seed)
    scenario = benchmark.scaled_scenario(scale)
    assert r["scale"] == scale and r["months"] == months
    assert r["customers"] == scenario.customers.count == 6000
    assert r["employees"] == scenario.workforce.headcount == 12

    # agent-months counted from an independent run of the same configuration
    model = OutsourcingModel(scenario, seed=seed)
    for _ in range(months):
        model.step()
    ts = model.datacollector.get_model_vars_dataframe()
    customers = 6000 + ts["customers_active"].iloc[:-1].sum()
    assert r["customer_months"] == customers
    assert r["employee_months"] == 12 * months
    assert r["vendor_staff_months"] == ts["vendor_staff"].sum() > 0
    assert r["agent_months"] == customers + 12 * months + ts["vendor_staff"].sum()

    for key in ("wall_s", "cpu_s", "agent_months_per_s", "peak_rss_bytes"):
        assert math.isfinite(r[key]) and r[key] > 0, key
    # (in a process that has been busy before, the high-water mark may not move at all)
    assert math.isfinite(r["bytes_per_agent"]) and r["bytes_per_agent"] >= 0
    assert r["recorded_series_bytes_per_month"] > 0
    assert r["wall_s"] >= r["step_s"] > 0
    floor = r["floor"]
    assert floor["agent_months"] == 6000 * months
    for key in ("wall_s", "agent_months_per_s", "peak_rss_bytes", "contacts"):
        assert math.isfinite(floor[key]) and floor[key] > 0, key
    assert math.isfinite(r["ratio_to_floor"]) and r["ratio_to_floor"] > 0
    assert 0 < len(r["profile"]) <= benchmark.PROFILE_ROWS
    assert all(row["cumtime_s"] >= 0 and row["calls"] > 0 for row in r["profile"])
    assert r["machine"]["cpu_count"] >= 1 and r["machine"]["numpy"] == np.__version__

    out = io.StringIO()
    benchmark.print_results([r], Console(file=out, width=200))
    text = out.getvalue()
    assert "cores:" in text and "numpy" in text and "BLAS" in text and "cProfile" in text


def test_child_mode_prints_one_json_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert benchmark.main(["--one", "--scales", "0.02", "--months", "2", "--no-profile"]) == 0
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert result["months"] == 2 and result["agent_months"] > 0 and "profile" not in result


# -- vectorised paths against straightforward references ---------------------------------------


def reference_poisson(u: np.ndarray, rate: np.ndarray, p_zero: np.ndarray) -> np.ndarray:
    """Every draw walks the whole way, one step for all at a time (the former loop)."""
    term, cdf = p_zero.copy(), p_zero.copy()
    counts = np.zeros(len(u), dtype=np.int64)
    pending = np.ones(len(u), dtype=bool)
    k = 0
    while pending.any() and k < 200:
        k += 1
        term *= rate / k
        counts += pending
        cdf += term
        pending &= u >= cdf
    return counts


@pytest.mark.parametrize("shape", [0.3, 1.0, 5.0])
def test_poisson_by_inversion_matches_the_reference(shape: float) -> None:
    rng = np.random.default_rng(11)
    rate = rng.gamma(shape, 2.0 / shape, 50_000)
    p_zero = np.exp(-rate)
    u = rng.random(len(rate))
    issuing = u >= p_zero
    args = (u[issuing], rate[issuing], p_zero[issuing])
    counts = poisson_by_inversion(*args)
    assert np.array_equal(counts, reference_poisson(*args))
    assert counts.min() >= 1
    # and it is Poisson: the mean count of all draws (zeros included) is the mean rate
    assert counts.sum() / len(rate) == pytest.approx(rate.mean(), rel=0.03)


class ReferenceCustomers(Customers):
    """The customer steps as first written: plain whole-array expressions over every slot, no
    buffers, no thinning, no prefix of used slots, ``searchsorted`` routing, boolean masks;
    on the same draws (a month's dense block drawn for every slot, whose first slots are the
    production's; the issue's hashed pair for every slot, of which the production hashes only
    the issuers')."""

    def dense(self, mechanism: str) -> np.ndarray:
        rng = self.streams.generator("customers", mechanism, month=self.month)
        return rng.random(len(self.active), dtype=FLOAT)

    def raise_issues(self, routing: np.ndarray, volume: float = 1.0) -> np.ndarray:
        rate = self.contact_rate * volume
        p_none = np.exp(-rate) if volume != 1.0 else self.p_no_issue
        u = self.dense("issues")
        who = np.flatnonzero((u >= p_none) & self.active)
        counts = reference_poisson(*(x[who].astype(np.float64) for x in (u, rate, p_none)))
        cdf = np.cumsum(routing)
        cdf[-1] = 1.0
        every = np.arange(len(self.active))
        pick, luck = self.streams.uniform_pairs(("customers", "issue"), self.month, every)
        channel = np.searchsorted(cdf, pick[who], side="right")
        self._issuers, self._issuer_channel, self._outcome_luck = who, channel, luck[who]
        self.issues_by_channel = np.bincount(channel, weights=counts, minlength=len(routing))
        return self.issues_by_channel

    def experience_service(self, channels: list, disclosed: bool) -> None:
        who, ch = self._issuers, self._issuer_channel
        p_first = np.array([c.p_first for c in channels])[ch]
        p_later = np.array([c.p_later for c in channels])[ch]
        u = self._outcome_luck
        outcome = (OUTCOME_FIRST + (u >= p_first) + (u >= p_first + p_later)).astype(np.int8)
        self.outcome[self._last_issuers] = OUTCOME_NONE
        self.outcome[who] = outcome
        self._last_issuers = who
        self.unresolved = who[outcome == 2]  # left unresolved: may complain to the regulator
        scores = np.array([[c.score_first, c.score_later, c.score_unresolved] for c in channels])
        csat = np.full(len(channels), np.nan)
        for c in range(len(channels)):  # a channel's mean score: its outcomes counted
            n = np.array([np.count_nonzero((ch == c) & (outcome == o)) for o in range(3)])
            if n.sum():
                csat[c] = (n * scores[c]).sum() / n.sum()
        self.csat_by_channel = csat
        experience = scores.astype(FLOAT)[ch, outcome]
        s = self.satisfaction
        s[who] += FLOAT(SATISFACTION_WEIGHT) * (experience - s[who])
        p = self.params
        offset = p.initial_trust - TRUST_PER_SATISFACTION * self.reference_satisfaction
        target = np.clip(TRUST_PER_SATISFACTION * s + offset, 0, 1)
        change = TRUST_ADJUSTMENT * (target - self.trust)
        change[~self.active] = 0.0
        if disclosed:
            change[self.informed & (change < 0)] *= 1.0 - DISCLOSURE_DAMPING
        self.trust += change
        np.clip(self.trust, 0, 1, out=self.trust)

    def churn_probability(self, out: np.ndarray | None = None) -> np.ndarray:
        p = self.params
        prob = self.monthly_baseline_churn * np.exp(
            p.trust_churn_elasticity * (p.initial_trust - self.trust)
        )
        defect = np.array([0.0, DEFECT_LATER - DEFECT_FIRST, DEFECT_UNRESOLVED - DEFECT_FIRST])
        who = self._last_issuers
        prob[who] += p.intent_to_churn_realisation * defect[self.outcome[who]]
        prob[~self.active] = 0.0
        return np.minimum(prob, 1.0)

    def churn(self, extra: np.ndarray | None = None) -> int:
        prob = ReferenceCustomers.churn_probability(self)  # (also for a plain Customers)
        if extra is not None:
            prob += extra
        leaving = (ReferenceCustomers.dense(self, "churn") < prob) & self.active
        self.leavers = np.flatnonzero(leaving)
        self.leaver_probability = prob[leaving]
        self.active[leaving] = False
        self._empty(self.leavers)
        self.n_active -= len(self.leavers)
        self.churned_this_month = int(np.count_nonzero(leaving))
        return self.churned_this_month


def reference_in_state(self: Workforce, *states: State) -> np.ndarray:
    return np.isin(self.state, [int(s) for s in states])


def run_pair(
    monkeypatch: pytest.MonkeyPatch, scenario: Scenario, seed: int
) -> tuple[OutsourcingModel, OutsourcingModel]:
    """The model run with the production code and with the reference implementations."""
    fast = OutsourcingModel(scenario, seed=seed).run()
    with monkeypatch.context() as m:
        m.setattr(model_module, "Customers", ReferenceCustomers)
        m.setattr(Workforce, "in_state", reference_in_state)
        slow = OutsourcingModel(scenario, seed=seed).run()
    assert type(slow.customers) is ReferenceCustomers
    return fast, slow


@pytest.mark.parametrize(
    ("name", "seed", "insecure"),
    [
        ("default", 1, False),
        ("offshore_cost_first", 2, False),
        ("hybrid_full_ethics", 3, False),  # disclosure: damped trust losses
        ("offshore_cost_first", 2, True),  # breaches: churn with extra probability
    ],
)
def test_model_matches_the_reference_implementation(
    monkeypatch: pytest.MonkeyPatch, name: str, seed: int, insecure: bool
) -> None:
    """Same seed, same month-by-month figures and the same final state, to the last bit."""
    from simulator.scenario import load_scenario, scenario_from_dict, scenario_to_dict

    scenario = shrink(load_scenario(SCENARIOS / f"{name}.yaml"), customers=15_000, months=30)
    if insecure:
        data = scenario_to_dict(scenario)
        data["company"]["security_maturity"] = 0.0
        for vendor in data["vendors"]:
            vendor["security_maturity"] = 0.0
        scenario = scenario_from_dict(data)
        # the first seed from ``seed`` on whose run has a breach (the path under test)
        seed = next(
            s
            for s in range(seed, seed + 20)
            if model_module.OutsourcingModel(scenario, seed=s)
            .run()
            .datacollector.get_model_vars_dataframe()["breaches"]
            .sum()
            > 0
        )
    fast, slow = run_pair(monkeypatch, scenario, seed)
    a = fast.datacollector.get_model_vars_dataframe()
    b = slow.datacollector.get_model_vars_dataframe()
    assert a.equals(b)
    if insecure:
        assert a["breaches"].sum() > 0 and a["customers_lost_to_breaches"].sum() > 0
    for attr in ("trust", "satisfaction", "active", "outcome", "informed", "contact_rate"):
        assert np.array_equal(getattr(fast.customers, attr), getattr(slow.customers, attr)), attr
    assert np.array_equal(fast.workforce.earnings, slow.workforce.earnings)


def test_churn_thinning_matches_every_slot_compared(monkeypatch: pytest.MonkeyPatch) -> None:
    """Month by month, thinned churn picks exactly the leavers a draw for every slot picks,
    with and without breach churn (``extra``)."""
    from simulator.scenario import load_scenario

    scenario = shrink(load_scenario(SCENARIOS / "offshore_cost_first.yaml"), 8_000, 24)
    model = OutsourcingModel(scenario, seed=5)
    kept = ("active", "contact_rate", "p_no_issue", "satisfaction", "trust", "_pull")
    for month in range(12):
        model.step()
        cu = model.customers
        before = {name: getattr(cu, name).copy() for name in kept}
        count = cu.n_active
        extra = None if month % 3 else np.where(np.arange(len(cu.active)) % 7 == 0, 0.04, 0.0)
        n = cu.churn(extra)  # (the month's churn stream starts afresh on every call)
        fast_leavers, fast_prob = cu.leavers.copy(), cu.leaver_probability.copy()
        after = {name: getattr(cu, name).copy() for name in kept}
        for name in kept:
            getattr(cu, name)[:] = before[name]
        cu.n_active = count
        assert ReferenceCustomers.churn(cu, extra) == n
        for name in kept:
            assert np.array_equal(getattr(cu, name), after[name]), name
        assert np.array_equal(cu.leavers, fast_leavers)
        assert np.array_equal(cu.leaver_probability, fast_prob)
        assert np.all(cu.leaver_probability <= cu.highest_churn_probability() + (0.04 * 1.0001))


def test_vectorised_paths_are_what_the_model_uses() -> None:
    # guards the monkeypatching above: the model builds its customers from this name
    assert model_module.Customers is customers_module.Customers


@pytest.mark.integration  # runs git (a process) on this checkout's history
def test_versus_extracts_another_commit_beside_this_checkout(tmp_path) -> None:
    """``python -m simulator.dev.versus COMMIT`` times this checkout against COMMIT's code,
    extracted and renamed so that both import in one process."""
    import ast

    from simulator.dev import versus

    scenarios = versus.extract("HEAD", tmp_path)
    assert (scenarios / "default.yaml").is_file()
    package = tmp_path / versus.THEN
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                assert not node.module.startswith("simulator"), (path, node.module)
    with pytest.raises(SystemExit, match="does not look like a commit"):
        versus.extract("--output=/tmp/x", tmp_path / "other")
    with pytest.raises(SystemExit, match="git archive"):
        versus.extract("no-such-commit", tmp_path / "other")


def test_repeated_runs_alternate_and_keep_the_best() -> None:
    (r,) = benchmark.run_benchmark((0.05,), months=3, profile=False, isolate=False, repeat=3)
    f = r["floor"]
    assert len(r["wall_s_runs"]) == len(f["wall_s_runs"]) == 3 and r["repeat"] == 3
    assert r["wall_s"] == min(r["wall_s_runs"]) and f["wall_s"] == min(f["wall_s_runs"])
    expected = (r["wall_s"] / r["agent_months"]) / (f["wall_s"] / f["agent_months"])
    assert r["ratio_to_floor"] == pytest.approx(expected)


# -- the region benchmark -----------------------------------------------------------------------
def test_the_region_benchmark_draws_and_runs_a_small_region() -> None:
    from simulator.dev import region_benchmark as rb

    small = rb.RegionBench(firms=4, agents=200, labour_force=50_000, months=4, customer_sample=0.1)
    out = io.StringIO()
    result = rb.run_region_benchmark(small, isolate=False, console=Console(file=out, width=100))
    assert 100 <= result["agents"] <= 400  # lognormal sizes around 50 a firm
    assert result["customers"] == pytest.approx(500 * result["agents"], rel=0.01)
    # a tenth of each firm's customers simulated (at least 100 each)
    assert result["customers_simulated"] == pytest.approx(result["customers"] / 10, rel=0.05)
    assert result["wall_s"] >= result["run_s"] > 0 and result["peak_rss_bytes"] > 0
    text = out.getvalue()
    assert "peak resident memory" in text and "targets: under 120 s" in text


def test_the_region_benchmark_child_prints_one_json_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from simulator.dev import region_benchmark as rb

    args = json.dumps({"firms": 2, "agents": 60, "labour_force": 20_000, "months": 2})
    assert rb.main(["--one", "--json-args", args]) == 0
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert result["bench"]["firms"] == 2 and result["bench"]["months"] == 2
