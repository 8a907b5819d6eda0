"""Who bears the plan over replications (issue 24, item 9): every group measure pooled over
the replications' people with a 95% interval, and groups too small to say anything about
marked as such, in the table, groups.csv, the report and the workbook. Real runs of the
180-agent example company (``scenarios/examples/acme``) at a small scale, no mocks."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import simulator
from simulator.analysis.displacement import displaced, share_in_state
from simulator.analysis.groups import (
    COUNTS,
    MONTH_24,
    POOLED_COLUMNS,
    RATES,
    TOO_FEW,
    group_counts,
    group_outcomes,
    over_replications,
    rates,
)
from simulator.analysis.replicate import run_model
from simulator.analysis.statistics import ratio_interval, wilson_interval
from simulator.model.model import OutsourcingModel
from simulator.outputs.run.results import save_results
from simulator.scenario import load_scenario

from .conftest import shrink

ACME = Path(__file__).resolve().parents[1] / "scenarios" / "examples" / "acme"
REPLICATIONS = 4


@pytest.fixture(scope="module")
def acme():
    # the roster's 180 agents and its layoff order; fewer customers and months than shipped
    return shrink(load_scenario(ACME / "scenario.yaml"), 20_000, 36)


@pytest.fixture(scope="module")
def counts(acme) -> list[pd.DataFrame]:
    """Every replication's group counts, as ``run`` keeps them."""
    tables = []
    for k in range(REPLICATIONS):
        _, _, _, groups = run_model(acme, np.random.SeedSequence([7, k]), k, keep=True)
        tables.append(groups)
    return tables


@pytest.fixture(scope="module")
def table(counts) -> pd.DataFrame:
    return over_replications(counts).set_index(["grouping", "group"])


def test_every_interval_holds_its_estimate(table) -> None:
    assert list(table.reset_index().columns) == list(POOLED_COLUMNS)
    for name in ("displaced", *RATES):
        rows = table.dropna(subset=[name, f"{name}_ci95_low"])
        assert len(rows) > 0, name
        low, high = rows[f"{name}_ci95_low"], rows[f"{name}_ci95_high"]
        assert (low <= rows[name]).all() and (rows[name] <= high).all(), name
        assert (low >= 0).all(), name
    for name, rate in RATES.items():
        if rate.share:
            assert (table[f"{name}_ci95_high"].dropna() <= 1).all(), name
    # a group with hundreds of people pooled gets a tighter interval than one with a few
    width = table["displaced_share_ci95_high"] - table["displaced_share_ci95_low"]
    assert width[("site", "swansea")] < width[("age band", "65 and over")]


def test_pooled_counts_add_up(counts, table) -> None:
    frame = pd.concat(counts)
    sums = frame.groupby(["grouping", "group"]).sum(numeric_only=True).reindex(table.index)
    assert (table["replications"] == REPLICATIONS).all()
    assert (table["displaced_pooled"] == sums["displaced"]).all()
    assert np.allclose(table["displaced"], sums["displaced"] / REPLICATIONS)
    assert np.allclose(table["staff_at_start"], sums["staff_at_start"] / REPLICATIONS)
    for name, rate in RATES.items():
        pooled = sums[rate.numerator] / sums[rate.denominator].where(sums[rate.denominator] > 0)
        assert np.allclose(table[name], pooled, equal_nan=True), name
    # every displaced person is in exactly one band of each grouping; the roster's 180
    # agents are each in one age band, one tenure band and one site
    per = frame.groupby("grouping")[["staff_at_start", "displaced"]].sum()
    assert (per["displaced"] == per["displaced"].iloc[0]).all()
    assert (per["staff_at_start"] == 180 * REPLICATIONS).all()


def test_one_replications_counts_give_its_rates(acme) -> None:
    model = OutsourcingModel(acme, seed=5).run()
    counts = group_counts(model)
    assert list(counts.columns) == list(COUNTS)
    assert counts.groupby("grouping")["displaced"].sum().eq(len(displaced(model))).all()
    out = group_outcomes(model).set_index(["grouping", "group"])
    pd.testing.assert_frame_equal(out.reset_index(), rates(counts))
    # the share re-employed at 24 months is share_in_state's, for the group's own people
    wf = model.workforce
    who = displaced(model)
    swansea = who[wf.site[who] == "swansea"]
    expected = share_in_state(model, swansea, wf.displaced_month[swansea], MONTH_24)
    assert out.loc[("site", "swansea"), "reemployed_24m"] == pytest.approx(expected)


def test_a_tiny_group_is_marked_and_a_big_one_is_not(table) -> None:
    # the roster has 3 agents aged 65 and over, 70 at Swansea (laid off first)
    tiny, big = table.loc[("age band", "65 and over")], table.loc[("site", "swansea")]
    assert tiny["staff_at_start"] < TOO_FEW and tiny["too_few_staff"]
    assert tiny["too_few_displaced"]
    assert big["displaced"] >= TOO_FEW
    assert not big["too_few_staff"] and not big["too_few_displaced"]
    # the rule, for every row
    assert (table["too_few_displaced"] == (table["displaced"] < TOO_FEW)).all()
    assert (table["too_few_staff"] == (table["staff_at_start"] < TOO_FEW)).all()


def test_the_table_is_the_same_every_time(acme, counts) -> None:
    pd.testing.assert_frame_equal(over_replications(counts), over_replications(counts))
    _, _, _, again = run_model(acme, np.random.SeedSequence([7, 0]), 0, keep=True)
    pd.testing.assert_frame_equal(again, counts[0])


def test_fewer_replications_than_a_bootstrap_needs(counts) -> None:
    """With two replications a share has its Wilson interval, a ratio none."""
    row = over_replications(counts[:2]).set_index(["grouping", "group"]).loc[("site", "swansea")]
    assert np.isfinite(row["displaced_share_ci95_low"])
    assert np.isnan(row["months_jobless_mean_ci95_low"])
    assert over_replications([]).columns.tolist() == list(POOLED_COLUMNS)


def test_the_interval_helpers_by_hand() -> None:
    # Wilson, 0 of 20: not a point at zero (upper end 3.84 / 23.84)
    low, high = wilson_interval(0, 20)
    assert low == 0.0 and high == pytest.approx(0.1611, abs=1e-4)
    assert wilson_interval(0, 0) == (0.0, 1.0)
    assert ratio_interval(np.ones(2), np.ones(2)) is None  # too few clusters
    num, den = np.array([1.0, 2.0, 3.0, 4.0]), np.array([4.0, 4.0, 4.0, 4.0])
    interval = ratio_interval(num, den)
    assert interval is not None and interval[0] <= 10 / 16 <= interval[1]
    assert ratio_interval(num, den) == interval  # seeded


@st.composite
def group_replications(draw) -> list[pd.DataFrame]:
    """One group's counts in 1-6 replications, each consistent (nobody counted twice)."""
    tables = []
    for _ in range(draw(st.integers(1, 6))):
        staff = draw(st.integers(0, 60))
        lost = draw(st.integers(0, staff))
        seen_12 = draw(st.integers(0, lost))
        seen_24 = draw(st.integers(0, seen_12))
        pay = draw(st.floats(1_000, 3_000))
        row = {
            "grouping": "age band",
            "group": "45-54",
            "staff_at_start": staff,
            "displaced": lost,
            "reemployed_12m_count": draw(st.integers(0, seen_12)),
            "observed_12m": seen_12,
            "reemployed_24m_count": draw(st.integers(0, seen_24)),
            "observed_24m": seen_24,
            "earned_12m": draw(st.floats(0, 1.2)) * pay * seen_12,
            "counterfactual_12m": pay * seen_12,
            "earned_24m": draw(st.floats(0, 1.2)) * pay * seen_24,
            "counterfactual_24m": pay * seen_24,
            "jobless_months_total": draw(st.integers(0, 24 * lost)),
        }
        tables.append(pd.DataFrame([row], columns=list(COUNTS)))
    return tables


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(group_replications())
def test_pooling_invariants(tables: list[pd.DataFrame]) -> None:
    """Whatever the counts: the pooled displaced add up, each interval holds its estimate,
    shares and their intervals stay in 0-1, and the too-few mark follows the rule."""
    row = over_replications(tables).iloc[0]
    lost = [int(t["displaced"].iloc[0]) for t in tables]
    assert row["displaced_pooled"] == sum(lost)
    assert row["too_few_displaced"] == (np.mean(lost) < TOO_FEW)
    for name, rate in RATES.items():
        value, low, high = row[name], row[f"{name}_ci95_low"], row[f"{name}_ci95_high"]
        if np.isnan(value):
            assert np.isnan(low) and np.isnan(high)
            continue
        if not np.isnan(low):
            assert low <= value <= high, name
        if rate.share:
            assert 0 <= value <= 1 and not np.isnan(low), name
            assert low >= 0 and high <= 1, name


def test_every_output_shows_the_intervals_and_the_small_groups(acme, tmp_path) -> None:
    results = simulator.run(acme, replications=3, seed=11, workers=1)
    folder = save_results(results, tmp_path / "acme", plots=False)
    csv = pd.read_csv(folder / "groups.csv")
    assert list(csv.columns) == list(POOLED_COLUMNS)
    assert {"reemployed_24m_ci95_low", "earnings_ratio_24m_ci95_high"} <= set(csv.columns)
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    by_group = {g["group"]: g for g in summary["groups"]}
    assert by_group["65 and over"]["too_few_displaced"] is True
    assert by_group["swansea"]["too_few_displaced"] is False
    html = (folder / "report.html").read_text(encoding="utf-8")
    table = html[html.index('id="groups-table"') : html.index("</table>", html.index("groups"))]
    rows = {r.split("</td><td>")[1].split("<")[0]: r for r in table.split("<tr")[2:]}
    assert "too few" in rows["65 and over"] and 'class="too-few"' in rows["65 and over"]
    assert "too few" not in rows["swansea"]
    low = by_group["swansea"]["reemployed_24m_ci95_low"]
    assert f"{100 * low:.0f}%\u2013" in rows["swansea"]  # the interval under the value
    from openpyxl import load_workbook

    sheet = load_workbook(folder / "results.xlsx")["Who is affected"]
    header = [c.value for c in sheet[1]]
    assert "Re-employed at 24 m: 95% low" in header and "Too few to say" in header
    marks = {r[1].value: r[2].value for r in sheet.iter_rows(min_row=2)}
    assert marks["65 and over"] == "too few staff and displaced" and not marks["swansea"]
