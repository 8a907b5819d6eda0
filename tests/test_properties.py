"""Property tests: any valid scenario runs to a finite, physically sensible timeseries.

Scenarios are drawn as plain dicts (what a YAML file holds) and validated with
``scenario_from_dict``. Numeric fields are drawn inside the bounds the schema itself declares,
so the strategies follow the schema when its bounds change; only the size of the run is kept
small on purpose (customers, headcount, horizon) so that the whole file stays fast.
"""

from __future__ import annotations

import math
import tempfile
from pathlib import Path
from typing import Any

import annotated_types as at
import numpy as np
import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from simulator.model.company import plan_shares
from simulator.model.employees import State
from simulator.model.metrics import METRICS
from simulator.model.model import OutsourcingModel
from simulator.model.status_quo import SAVING_PARTS
from simulator.scenario import Scenario, ScenarioError, load_scenario, scenario_from_dict
from simulator.scenario import schema as S

STATE_COLUMNS = [f"employees_{s.name}" for s in State]
# Columns that may legitimately be negative; every other column is a count, a stock, a cost,
# a rate or a score and must never go below zero.
SIGNED_COLUMNS = {c for c, (unit, _) in METRICS.items() if unit.startswith("signed")}
SIGNED_COLUMNS |= {"net_savings", *(f"saving_{part}" for part in SAVING_PARTS)}
UNIT_INTERVAL_UNITS = {"share", "share/month", "probability", "index 0-1"}
UNIT_INTERVAL_COLUMNS = [
    c for c, (unit, _) in METRICS.items() if unit in UNIT_INTERVAL_UNITS and c not in SIGNED_COLUMNS
]
NONNEGATIVE_COLUMNS = [c for c in METRICS if c not in SIGNED_COLUMNS]
SCORE_COLUMNS = [c for c, (unit, _) in METRICS.items() if unit == "0-100"]
VENDOR_NAMES = ("alpha", "beta")
# Fields bounded below by "> 0" (wages, prices, hours, tightness, rates) are drawn from this
# floor up: hypothesis would otherwise favour values such as 5e-324 that no scenario author
# writes and that overflow the model (see test_tiny_positive_values_are_rejected_or_run).
OPEN_FLOOR = 0.01

PROPERTY_SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


# --------------------------------------------------------------------------------------------
# strategies
# --------------------------------------------------------------------------------------------
def number(
    model: type[BaseModel], field: str, lo: float | None = None, hi: float | None = None
) -> st.SearchStrategy[Any]:
    """A value for a numeric ``field`` of ``model`` inside its schema bounds.

    ``lo``/``hi`` narrow the range (to keep runs small); they must lie inside the schema's.
    """
    info = model.model_fields[field]
    low, high, low_open, high_open = -math.inf, math.inf, False, False
    for m in info.metadata:
        if isinstance(m, at.Ge):
            low = m.ge
        elif isinstance(m, at.Gt):
            low, low_open = m.gt, True
        elif isinstance(m, at.Le):
            high = m.le
        elif isinstance(m, at.Lt):
            high, high_open = m.lt, True
    if low_open:  # (0, x]: start at a small but representable value, see OPEN_FLOOR
        low, low_open = max(low, OPEN_FLOOR), False
    if lo is not None:
        assert lo >= low, f"{model.__name__}.{field}: {lo} is below the schema bound {low}"
        low = lo
    if hi is not None:
        assert hi <= high, f"{model.__name__}.{field}: {hi} is above the schema bound {high}"
        high, high_open = hi, False
    assert math.isfinite(low) and math.isfinite(high), f"{model.__name__}.{field} is unbounded"
    if info.annotation is int:
        return st.integers(int(low) + low_open, int(high) - high_open)
    return st.floats(low, high, exclude_min=low_open, exclude_max=high_open, allow_nan=False)


def section(
    model: type[BaseModel], narrowed: dict[str, tuple[float, float]] | None = None, **fixed: Any
) -> st.SearchStrategy[dict[str, Any]]:
    """Every bool and numeric field of a schema section drawn at random.

    ``narrowed`` maps fields to a (lo, hi) range inside the schema's; ``fixed`` gives
    strategies (or values) for fields that need special handling.
    """
    narrowed = narrowed or {}
    parts: dict[str, st.SearchStrategy[Any]] = {}
    for name, info in model.model_fields.items():
        if name in fixed:
            value = fixed[name]
            parts[name] = value if isinstance(value, st.SearchStrategy) else st.just(value)
        elif info.annotation is bool:
            parts[name] = st.booleans()
        elif info.annotation in (int, float):
            parts[name] = number(model, name, *narrowed.get(name, (None, None)))
    return st.fixed_dictionaries(parts)


def vendor(name: str) -> st.SearchStrategy[dict[str, Any]]:
    return section(S.Vendor, name=name, location=st.sampled_from([loc.value for loc in S.Location]))


@st.composite
def focus(draw: st.DrawFn) -> dict[str, float]:
    """Community-investment focus shares summing to exactly 1 (two cut points on [0, 1])."""
    a, b = sorted(draw(st.floats(0, 1)) for _ in range(2))
    return {"skills": a, "small_business": b - a, "infrastructure": 1.0 - b}


@st.composite
def phases(draw: st.DrawFn, horizon: int, vendor_names: list[str]) -> list[dict[str, Any]]:
    """0-2 phases in increasing month order below the horizon, shares summing to at most 1."""
    months = sorted(draw(st.sets(st.integers(0, horizon - 1), max_size=2)))
    out = []
    for month in months:
        shares, left = {}, 1.0
        for name in vendor_names:
            if draw(st.booleans()):
                shares[name] = draw(st.floats(0, left))
                left -= shares[name]
        out.append(
            {"month": month, "ramp_months": draw(number(S.Phase, "ramp_months")), "shares": shares}
        )
    return out


@st.composite
def policies(draw: st.DrawFn, horizon: int) -> dict[str, Any]:
    investment = section(
        S.CommunityInvestment,
        narrowed={"budget_total": (0, 1e6), "start_month": (0, horizon - 1)},
        focus=focus(),
    )
    retraining = section(S.Retraining, narrowed={"capacity_per_month": (0, 10)})
    return draw(
        st.fixed_dictionaries(
            {
                "transparency": section(
                    S.Transparency, narrowed={"employee_notice_months": (0, 6)}
                ),
                "privacy": section(
                    S.Privacy, regime=st.sampled_from(["gdpr", "hipaa", "ccpa", "none"])
                ),
                "vendor_staff": section(S.VendorStaff),
                "communication": section(S.Communication),
                "local_jobs": section(
                    S.LocalJobs, retraining=retraining, community_investment=investment
                ),
            }
        )
    )


@st.composite
def scenario_dicts(draw: st.DrawFn) -> dict[str, Any]:
    """A random valid scenario, as the mapping a YAML file would hold."""
    horizon = draw(st.integers(6, 24))
    names = list(VENDOR_NAMES[: draw(st.integers(0, len(VENDOR_NAMES)))])
    return {
        "simulation": {"name": "prop", "horizon_months": horizon, "replications": 1},
        "company": draw(section(S.Company, name="Prop Co")),
        # few paid hours per agent mean many (slow) vendor agents: keep agents near full time
        "workforce": draw(
            section(S.Workforce, narrowed={"headcount": (5, 60), "paid_hours_per_month": (40, 400)})
        ),
        "customers": draw(section(S.Customers, narrowed={"count": (500, 5000)})),
        "local_economy": draw(section(S.LocalEconomy)),
        "vendors": [draw(vendor(n)) for n in names],
        "plan": {
            "announcement_lead_months": draw(number(S.Plan, "announcement_lead_months", 0, 12)),
            "phases": draw(phases(horizon, names)),
        },
        "policies": draw(policies(horizon)),
        "costs": draw(section(S.Costs)),
    }


scenarios = scenario_dicts().map(lambda d: scenario_from_dict(d, "<hypothesis>"))
seeds = st.integers(0, 2**32 - 1)


def frame(model: OutsourcingModel) -> pd.DataFrame:
    return model.run().datacollector.get_model_vars_dataframe()


def assert_finite(ts: pd.DataFrame) -> None:
    bad = ~np.isfinite(ts.to_numpy(dtype=float))
    assert not bad.any(), f"non-finite values in {list(ts.columns[bad.any(axis=0)])}"


# --------------------------------------------------------------------------------------------
# properties
# --------------------------------------------------------------------------------------------
def test_metrics_table_covers_the_columns_checked_here():
    """Guard against the property tests silently checking nothing."""
    assert set(STATE_COLUMNS) <= set(METRICS)
    assert {"customers_active", "vendor_staff", "records_exposed", "revenue"} <= set(
        NONNEGATIVE_COLUMNS
    )
    assert {"churn_rate_monthly", "breach_probability_monthly", "trust_mean"} <= set(
        UNIT_INTERVAL_COLUMNS
    )


@PROPERTY_SETTINGS
@given(scenario=scenarios, seed=seeds)
def test_any_valid_scenario_gives_a_sane_timeseries(scenario: Scenario, seed: int):
    model = OutsourcingModel(scenario, seed=seed)
    ts = frame(model)

    assert list(ts.columns) == list(METRICS)
    assert len(ts) == scenario.simulation.horizon_months
    assert_finite(ts)

    negative = {c: ts[c].min() for c in NONNEGATIVE_COLUMNS if (ts[c] < 0).any()}
    assert not negative, f"negative values: {negative}"

    outside = {
        c: (ts[c].min(), ts[c].max())
        for c in UNIT_INTERVAL_COLUMNS
        if ((ts[c] < 0) | (ts[c] > 1)).any()
    }
    assert not outside, f"values outside [0, 1]: {outside}"

    scores = ts[SCORE_COLUMNS]
    assert ((scores >= 0) & (scores <= 100)).all().all(), scores.describe().T

    # every position is held by someone in exactly one state; positions are only ever
    # added (work brought back, issue 27), never lost
    totals = ts[STATE_COLUMNS].sum(axis=1)
    assert totals.iloc[0] >= scenario.workforce.headcount, totals.tolist()
    assert (totals.diff().fillna(0) >= 0).all(), totals.tolist()
    if (np.diff(plan_shares(scenario).sum(axis=1)) >= 0).all():  # nothing brought back
        assert (totals == scenario.workforce.headcount).all(), totals.tolist()


@pytest.mark.integration
@PROPERTY_SETTINGS
@given(data=scenario_dicts(), seed=seeds)
def test_same_file_and_seed_give_identical_timeseries(data: dict[str, Any], seed: int):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "scenario.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        first, second = load_scenario(path), load_scenario(path)

    assert first == second == scenario_from_dict(data)
    a, b = frame(OutsourcingModel(first, seed=seed)), frame(OutsourcingModel(second, seed=seed))
    pd.testing.assert_frame_equal(a, b, check_exact=True)


# --------------------------------------------------------------------------------------------
# known failures found by the properties above, as minimal reproducers
# --------------------------------------------------------------------------------------------
def small(**sections: dict[str, Any]) -> dict[str, Any]:
    """A small scenario that moves all contacts to one vendor at month 1."""
    data: dict[str, Any] = {
        "simulation": {"horizon_months": 12},
        "workforce": {"headcount": 20},
        "customers": {"count": 2000},
        "vendors": [{"name": "alpha"}],
        "plan": {"phases": [{"month": 1, "shares": {"alpha": 1.0}}]},
    }
    for name, values in sections.items():
        data[name] = values if name == "vendors" else {**data.get(name, {}), **values}
    return data


def validated_or_none(data: dict[str, Any]) -> Scenario | None:
    """The scenario, or None if validation rejects it (rejecting is an acceptable fix)."""
    try:
        return scenario_from_dict(data)
    except ScenarioError:
        return None


TINY = 5e-324  # the smallest positive float: valid wherever the schema says "> 0"


def tiny(name: str, error: type[Exception], symptom: str, **sections: dict[str, Any]) -> Any:
    """A scenario with an absurdly small positive value that once broke the model with
    ``error`` (``symptom``); it must now be rejected by validation or run cleanly."""
    return pytest.param(small(**sections), id=name)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize(
    "data",
    [
        tiny(
            "paid_hours",
            OverflowError,
            "OverflowError in service.staff_for (workload / paid hours = inf)",
            workforce={"paid_hours_per_month": TINY},
        ),
        tiny(
            "dispersion",
            ValueError,
            "ValueError in service.staff_for (gamma scale = rate / shape = inf gives NaN)",
            customers={"contact_rate_dispersion": TINY},
        ),
        tiny(
            "tightness",
            AssertionError,
            "displaced_job_finding_factor = inf (LocalEconomy.market_factor overflows)",
            local_economy={"reference_tightness": TINY},
        ),
        tiny(
            "local_wage",
            AssertionError,
            "NaN local labour-market columns (jobs lost = payroll / wage = inf)",
            local_economy={"average_wage_month": TINY},
        ),
        tiny(
            "wage_ratio_with_floor",
            AssertionError,
            "inf costs (Vendor.price_per_hour: pay uplift = floor / own wage ratio)",
            vendors=[{"name": "alpha", "wage_ratio": TINY}],
            policies={"vendor_staff": {"wage_floor_ratio": 1.0}},
        ),
    ],
)
def test_tiny_positive_values_are_rejected_or_run(data: dict[str, Any]):
    scenario = validated_or_none(data)
    if scenario is not None:
        assert_finite(frame(OutsourcingModel(scenario, seed=1)))


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(
            small(workforce={"headcount": 1200}, local_economy={"labour_force": 1000}),
            id="more-agents-than-labour-force",
        ),
        pytest.param(
            small(
                workforce={"headcount": 240},
                local_economy={"labour_force": 1000, "average_wage_month": 500.0},
            ),
            id="payroll-above-local-income",
        ),
    ],
)
def test_local_unemployment_rate_is_a_share(data: dict[str, Any]):
    scenario = validated_or_none(data)
    if scenario is not None:
        rate = frame(OutsourcingModel(scenario, seed=1))["local_unemployment_rate"]
        assert rate.between(0, 1).all(), rate.max()
