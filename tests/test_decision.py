"""Decisions: plans paired with their own status quo on independent random streams,
breaches at their expected cost, safeguards, programmes, numbers for people, spreadsheets."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import openpyxl
import pytest
import yaml

import simulator
from simulator.analysis.compare import compare, unique_labels
from simulator.analysis.effects import LEVER_GROUPS, safeguard_variants, without
from simulator.model.model import OutsourcingModel
from simulator.model.status_quo import SAVING_PARTS
from simulator.model.streams import Streams
from simulator.outputs.formatting import change, number, plural, span
from simulator.scenario import load_scenario
from simulator.scenario.status_quo import is_status_quo, status_quo_of

from .conftest import SCENARIOS, shrink


@pytest.fixture(scope="module")
def small_default():
    return shrink(load_scenario(SCENARIOS / "default.yaml"), 8000, 36)


def test_streams_do_not_depend_on_the_order_of_use() -> None:
    a, b = Streams(7), Streams(7)
    first = a("workforce", "search").random(5)
    a("customers", "churn").random(100)
    b("customers", "churn").random(3)
    assert np.array_equal(b("workforce", "search").random(5), first)
    assert not np.array_equal(Streams(8)("workforce", "search").random(5), first)
    assert a("x") is a("x")


def test_the_status_quo_against_itself_is_exactly_zero() -> None:
    sq = shrink(load_scenario(SCENARIOS / "status_quo.yaml"), 5000, 24)
    assert is_status_quo(sq)
    effects = simulator.run(sq, replications=3, seed=4).effects
    assert effects["npv_net_savings"]["mean"] == 0.0
    assert all(e["mean"] in (0.0, None) for e in effects.values())


def test_a_plans_status_quo_removes_the_plan_only(small_default) -> None:
    sq = status_quo_of(small_default)
    assert sq.plan.phases == [] and not is_status_quo(small_default) and is_status_quo(sq)
    assert sq.vendors == small_default.vendors and sq.policies.transparency == (
        small_default.policies.transparency
    )
    assert sq.simulation.seed == small_default.simulation.seed


def test_the_status_quo_shares_the_plans_luck(small_default) -> None:
    """Same seed, keyed streams: the in-house holder's breach draws are the same in the plan
    and its status quo in every month, whatever each run drew before (customers' and
    workers' luck: ``tests/test_streams.py``)."""
    plan = OutsourcingModel(small_default, seed=11)
    base = OutsourcingModel(status_quo_of(small_default), seed=11)
    assert np.array_equal(plan.customers.contact_rate, base.customers.contact_rate)
    for month in range(3):
        plan.step(), base.step()
        stream = ("breach", "in_house")
        assert plan.streams.uniform(stream, month) == base.streams.uniform(stream, month)
        a = plan.streams.generator(*stream, month=month).random(4)
        assert np.array_equal(a, base.streams.generator(*stream, month=month).random(4))


def test_decisions_count_breaches_at_their_expected_cost(small_default) -> None:
    res = simulator.run(small_default, replications=2, seed=3, status_quo=False)
    ts = res.timeseries
    np.testing.assert_allclose(
        ts["cost_decision"], ts["cost_total"] - ts["cost_breaches"] + ts["expected_breach_cost"]
    )


@pytest.mark.integration
def test_default_is_told_apart_from_its_status_quo_at_ten_replications() -> None:
    """At ten replications the default plan's effects on people and customers are beyond
    luck; its saving decomposes exactly into its parts."""
    res = simulator.run(load_scenario(SCENARIOS / "default.yaml"), replications=10)
    eff = res.effects
    assert eff["displaced_workers"]["ci95_low"] > 0
    assert eff["csat_mean"]["ci95_high"] < 0 and eff["revenue_change_final"]["ci95_high"] < 0
    assert eff["npv_saving_labour_price"]["ci95_low"] > 0  # cheaper labour, at equal service
    parts = sum(res.kpis[f"npv_saving_{p}"] for p in SAVING_PARTS)
    np.testing.assert_allclose(parts, res.kpis["npv_net_savings"], rtol=1e-6)


def test_safeguards_cover_the_groups_a_plan_uses() -> None:
    plan = shrink(load_scenario(SCENARIOS / "hybrid_full_ethics.yaml"), 6000, 36)
    used = [g.name for g in LEVER_GROUPS if without(plan, g) is not None]
    assert {"privacy", "fair_treatment", "local_jobs"} <= set(used)
    bare = shrink(load_scenario(SCENARIOS / "offshore_cost_first.yaml"), 30_000, 36)
    assert without(bare, next(g for g in LEVER_GROUPS if g.name == "fair_treatment")) is None
    res = simulator.run(plan, replications=2, seed=5, safeguards=True)
    rows = {s["group"]: s for s in res.safeguards}
    assert all(rows[g]["in_plan"] for g in used)
    programme = res.programme
    assert programme["programme_cost"]["mean"] > 0
    assert set(programme) >= {"additional_in_work_24m", "cost_per_additional_in_work"}
    assert not res.programme_added


def test_safeguards_a_plan_lacks_are_tried_as_standard_packages() -> None:
    """A bare plan: every group is tried added; its standard package changes the scenario
    exactly as documented, and support for displaced workers then buys work."""
    bare = shrink(load_scenario(SCENARIOS / "offshore_cost_first.yaml"), 30_000, 36)
    variants = safeguard_variants(bare)
    assert [g.name for g, _, in_plan in variants if not in_plan] == [
        g.name for g in LEVER_GROUPS if without(bare, g) is None
    ]
    support = next(v for g, v, _ in variants if g.name == "local_jobs")
    assert support.policies.local_jobs.retraining.capacity_per_month == 20
    assert support.policies.local_jobs.redeployment_share == 0.3
    assert support.plan == bare.plan
    res = simulator.run(bare, replications=2, seed=5, safeguards=True)
    assert res.programme_added
    assert res.programme["additional_in_work_24m"]["mean"] > 0
    rows = {s["group"]: s for s in res.safeguards}
    assert rows["privacy"]["outcome_effect"] < 0  # the package lowers the breach chance
    assert safeguard_variants(status_quo_of(bare)) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (number(-1_234_567, "USD"), "−$1.23M"),
        (number(41_000, "USD"), "$41,000"),
        (number(0.731, "share"), "73.1%"),
        (number(1.853, "ratio"), "1.85"),
        (change(0.0084, "percentage points"), "+0.01 points"),
        (change(-11.04, "0-100"), "−11.0 points"),
        (change(0.029, "share"), "+2.9 points"),
        (change(2_300_000, "USD"), "+$2.30M"),
        (span(-0.177, -0.118, "share"), "−17.7% to −11.8%"),
        (span(-1_040_000, 16_354, "USD", True), "−$1.04M to +$0.02M"),
        (change(-0.001, "ratio"), "±0.00"),
        (plural(1, "audit"), "1 audit"),
        (plural(2, "audit"), "2 audits"),
    ],
)
def test_numbers_are_written_for_people(text: str, expected: str) -> None:
    assert text == expected
    assert "++" not in text and "-" not in text.replace("−", "")


@pytest.mark.integration
def test_the_workbook_holds_the_summarys_numbers(small_default, tmp_path: Path) -> None:
    out = simulator.run(small_default, replications=2, seed=6, safeguards=True).save(tmp_path / "r")
    summary = json.loads((out / "summary.json").read_text())
    wb = openpyxl.load_workbook(out / "results.xlsx")
    assert {"Bottom line", "KPIs", "Scorecard", "Monthly", "Assumptions"} <= set(wb.sheetnames)
    rows = {r[0].value: r for r in wb["KPIs"].iter_rows(min_row=2)}
    for name, k in summary["kpis"].items():
        cell = rows[name][3]
        if k["mean"] is None:
            assert cell.value is None
        else:
            assert isinstance(cell.value, float | int) and cell.value == pytest.approx(k["mean"])
    npv = rows["npv_net_savings"]
    assert npv[3].number_format == '"$"#,##0'
    assert npv[9].value == pytest.approx(summary["effects"]["npv_net_savings"]["mean"])


def test_any_plan_can_be_the_reference_and_every_pair_is_paired() -> None:
    plans = [
        shrink(load_scenario(SCENARIOS / f"{n}.yaml"), 5000, 24)
        for n in ("status_quo", "default", "nearshore_phased_responsible")
    ]
    res = compare(plans, replications=2, seed=1, reference="default")
    table = res.table()
    assert (table["reference"] == "default").all()
    mine = table[(table["plan"] == "default") & (table["kpi"] == "npv_net_savings")]
    assert mine["diff_vs_reference"].iloc[0] == 0.0
    pairs = res.pairwise("npv_net_savings")
    for a in res.names:
        for b in res.names:
            assert pairs.loc[a, b][0] == pytest.approx(-pairs.loc[b, a][0])


def test_colliding_names_are_labelled_by_file_name() -> None:
    labels, notes = unique_labels(["default", "default", "x"], ["a", "b", "x"])
    assert labels == ["a", "b", "x"] and "share simulation.name 'default'" in notes[0]
    assert unique_labels(["p", "p"], ["p", "p"])[0] == ["p (1)", "p (2)"]


@pytest.mark.integration
def test_compare_cli_labels_collisions_and_takes_a_reference(tmp_path: Path) -> None:
    base = {
        "extends": str(SCENARIOS / "default.yaml"),
        "customers": {"count": 4000},
        "simulation": {"horizon_months": 24},
    }
    (tmp_path / "plan_a.yaml").write_text(yaml.safe_dump(base))
    (tmp_path / "plan_b.yaml").write_text(yaml.safe_dump(base))
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "simulator.cli",
            "compare",
            "plan_a.yaml",
            "plan_b.yaml",
            "-n",
            "2",
            "--reference",
            "plan_b",
            "--out",
            "cmp",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        env={"COLUMNS": "100", "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 0, proc.stderr
    assert "labelled by file name" in proc.stderr
    assert "plan_a" in proc.stdout and "plan_b" in proc.stdout and "…" not in proc.stdout
    html = (tmp_path / "cmp" / "comparison.html").read_text()
    assert "The reference is <strong>plan_b</strong>" in html and 'id="pairs"' in html
    assert openpyxl.load_workbook(tmp_path / "cmp" / "comparison.xlsx").sheetnames[:3] == [
        "Headline",
        "Comparison",
        "Pairs",
    ]


@pytest.mark.integration
def test_the_status_quo_report_states_levels_not_changes(tmp_path: Path) -> None:
    sq = shrink(load_scenario(SCENARIOS / "status_quo.yaml"), 6000, 24)
    out = simulator.run(sq, replications=1, seed=3, safeguards=True).save(tmp_path / "sq")
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "nothing is outsourced" in html and "Nobody is laid off" in html
    assert "Customer satisfaction averages" in html
    assert "rises from" not in html and "Every change is the plan" not in html
    assert "nothing to safeguard" in html
