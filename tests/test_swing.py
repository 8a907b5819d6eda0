"""What could change the answer (issue 26, part 1): plausible ranges, the swing of each
uncertainty on common random numbers, and switching values checked against a case solved
by hand."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.analysis.replicate import run_kpis
from simulator.analysis.replications import child_seeds
from simulator.analysis.swing import (
    PLAN_ONLY,
    SWING_KPIS,
    crossings,
    planned_runs,
    reaches_status_quo,
    refine_switching,
    swing,
)
from simulator.scenario import xlrm
from simulator.scenario.overrides import with_overrides
from simulator.scenario.ranges import PLAUSIBLE, missing_ranges, swung
from simulator.scenario.status_quo import status_quo_of

from .conftest import shrink


def small(scenario, customers: int = 4000, months: int = 24):
    return shrink(scenario, customers, months)


def test_every_uncertainty_has_a_plausible_range_or_a_reason() -> None:
    assert missing_ranges() == []
    for path, plausible in PLAUSIBLE.items():
        assert plausible.low < plausible.high, path
        assert plausible.source, path


def test_swung_ranges_hold_the_default_and_stay_in_bounds(default_small) -> None:
    items = swung(default_small)
    assert len(items) >= 30
    for item in items:
        assert item.low <= item.default <= item.high and item.low < item.high, item
        for end in (item.low, item.high):
            for path, value in item.values(default_small, end).items():
                entry = xlrm.field(path)
                assert entry is not None, path
                assert entry.low is None or value >= entry.low, (path, value)
                assert entry.high is None or value <= entry.high, (path, value)


def test_a_vendor_field_moves_every_vendor_by_the_same_factor(default_small) -> None:
    item = next(i for i in swung(default_small) if i.path == "vendors.*.price_per_agent_hour")
    changed = item.at(default_small, 1.1)
    for before, after in zip(default_small.vendors, changed.vendors, strict=True):
        assert after.price_per_agent_hour == pytest.approx(before.price_per_agent_hour * 1.1)


def test_plan_only_uncertainties_leave_the_status_quo_untouched(default_small) -> None:
    """The swing lets these share the default's status quo: its run must be the same to
    the last bit at both ends."""
    scenario = small(default_small)
    seed = child_seeds(7, 1)[0]
    reference, _ = run_kpis(status_quo_of(scenario), seed)
    shared = [i for i in swung(scenario) if not reaches_status_quo(i)]
    assert {i.path for i in shared} >= PLAN_ONLY
    for item in shared:
        for end in (item.low, item.high):
            kpis, _ = run_kpis(status_quo_of(item.at(scenario, end)), seed)
            assert kpis == reference, item.path


@pytest.fixture(scope="module")
def priced():
    """A plan whose vendors' price dominates: a large offshore share at a high price, so
    the price's ±15% swings the NPV more than anything else."""
    from simulator.scenario import load_scenario

    from .conftest import SCENARIOS

    base = small(load_scenario(SCENARIOS / "default.yaml"))
    return with_overrides(
        base,
        {"vendors.manila.price_per_agent_hour": 40.0, "vendors.bogota.price_per_agent_hour": 40.0},
    )


@pytest.mark.integration
def test_a_planted_dominant_uncertainty_tops_the_tornado(priced) -> None:
    result = swing(priced, replications=1, seed=11, workers=1)
    top = result.top("npv_net_savings", 1).iloc[0]
    assert top["uncertainty"] == "vendors.*.price_per_agent_hour"
    assert top["effect_high"] < top["effect_default"] < top["effect_low"]
    assert result.runs == planned_runs(priced, 1)
    table = result.table()
    assert set(table["kpi"]) == set(SWING_KPIS)
    assert len(table) == len(SWING_KPIS) * len(result.items)


@pytest.mark.integration
def test_switching_value_matches_the_hand_solved_price(priced) -> None:
    """The NPV is a straight line in the vendors' price (price only bills; nothing in the
    world reacts to it): from two runs the price at which the plan stops paying is solved
    by hand, and the swing finds it."""
    seed = child_seeds(5, 1)[0]

    def npv(factor: float) -> float:
        plan = with_overrides(
            priced,
            {
                f"vendors.{v.name}.price_per_agent_hour": v.price_per_agent_hour * factor
                for v in priced.vendors
            },
        )
        kpis, _ = run_kpis(plan, seed)
        return kpis["npv_net_savings"]

    a, b = npv(0.2), npv(0.6)
    root = 0.2 + (0.6 - 0.2) * a / (a - b)  # the factor at which the NPV is zero
    assert npv(0.4) == pytest.approx(a + (b - a) * 0.5, rel=1e-9)  # a straight line
    scenario = with_overrides(
        priced,
        {
            f"vendors.{v.name}.price_per_agent_hour": v.price_per_agent_hour * root / 1.05
            for v in priced.vendors
        },
    )  # the price at which the NPV is zero is now 1.05 times the scenario's
    result = swing(scenario, replications=1, seed=5, workers=1)
    found = next(c for c in result.switching if c["uncertainty"].endswith("price_per_agent_hour"))
    assert found["value"] == pytest.approx(1.05, rel=1e-6)
    assert found["pays_above"] is False
    assert crossings(result) == result.switching
    refined = refine_switching(result, workers=1)
    price = next(c for c in refined if c["uncertainty"].endswith("price_per_agent_hour"))
    assert price["value"] == pytest.approx(1.05, abs=0.02 * 0.25)
    assert price["method"] == "root-finding"


def test_a_swing_of_a_plan_without_a_plan_is_refused(default_small) -> None:
    with pytest.raises(ValueError, match="has no plan"):
        swing(status_quo_of(default_small))


def test_planned_runs_counts_shared_status_quo_runs(default_small) -> None:
    items = swung(default_small)
    own = 2 * sum(reaches_status_quo(i) for i in items)
    shared = 1 + 2 * sum(not reaches_status_quo(i) for i in items)
    assert planned_runs(default_small, 3) == 3 * (2 * own + shared + -(-shared // 8))
    assert np.isfinite(planned_runs(default_small, 1))


@pytest.mark.integration
def test_outsim_swing_writes_its_folder_and_refuses_a_status_quo(tmp_path) -> None:
    import json

    import yaml

    from simulator.scenario import load_scenario

    from .conftest import tiny_scenario
    from .reliability_helpers import outsim

    plan = tmp_path / "plan.yaml"
    plan.write_text(yaml.safe_dump(tiny_scenario("tiny", 24)))
    result = outsim(
        "swing", plan, "-n", "1", "--no-refine", "-q", "--out", tmp_path / "s", cwd=tmp_path
    )
    assert result.code == 0, result.err
    folder = tmp_path / "s"
    names = {"swing.csv", "switching.csv", "swing.json", "swing.txt", "tornado.png"}
    assert names <= {p.name for p in folder.iterdir()}
    summary = json.loads((folder / "swing.json").read_text())
    assert summary["runs"] == planned_runs(load_scenario(plan), 1)
    assert summary["sentences"][0].startswith("What could change the plan's NPV")
    assert "What could change the plan's NPV" in result.out

    quo = tmp_path / "quo.yaml"
    data = tiny_scenario("quo", 24)
    data["plan"] = {"phases": []}
    quo.write_text(yaml.safe_dump(data))
    refused = outsim("swing", quo, "-q", "--out", tmp_path / "q", cwd=tmp_path)
    assert refused.code == 2 and "has no plan" in refused.err
    assert not (tmp_path / "q").exists()


def test_model_md_lists_every_plausible_range() -> None:
    from .conftest import ROOT

    text = (ROOT / "docs" / "MODEL.md").read_text(encoding="utf-8")
    section = text[text.index("## 16. Plausible ranges") :]
    for path, plausible in PLAUSIBLE.items():
        assert f"| `{path}` | {plausible.low:g} – {plausible.high:g} |" in section, path


def _synthetic(scenario, values):
    """A Swing with given NPV effects per point (other KPIs zero), one replication."""
    from simulator.analysis.swing import Swing

    items = swung(scenario)[:2]
    effects = np.zeros((1 + 2 * len(items), 1, len(SWING_KPIS)))
    effects[:, 0, 0] = values
    result = Swing(scenario, items, effects, 1, 1, 0, 0.0)
    result.switching = crossings(result)
    return result, items


def test_anchoring_moves_every_point_and_keeps_the_paired_changes(default_small) -> None:
    result, items = _synthetic(default_small, [10.0, 4.0, 20.0, -5.0, 30.0])
    before = result.effects[:, 0, 0] - result.effects[0, 0, 0]
    result.anchor({"npv_net_savings": -12.0, "csat_mean": None})
    assert result.effects[0, 0, 0] == -12.0
    np.testing.assert_allclose(result.effects[:, 0, 0] - result.effects[0, 0, 0], before)
    # now the second uncertainty crosses zero between its default (-12) and its high end
    # (+8), by straight lines at default + (high - default) * 12 / 20; the first does not
    first = items[1]
    assert items[0].path not in {c["uncertainty"] for c in result.switching}
    crossing = next(c for c in result.switching if c["uncertainty"] == first.path)
    expected = first.default + (first.high - first.default) * 12 / 20
    assert crossing["value"] == pytest.approx(expected)
    assert crossing["pays_above"] is True


def test_switching_sentences_warn_when_the_default_cannot_be_told_from_zero(default_small):
    from simulator.outputs.swing.words import switching_sentences

    result, _ = _synthetic(default_small, [-1e5, -3e5, 2e5, -2e5, -1e4])
    texts = switching_sentences(result.switching, (-1e5, -5e5, 3e5))
    assert texts[0].startswith("At the values assumed the NPV against the status quo")
    assert "starts paying" in texts[1]
    clear = switching_sentences(result.switching, (-1e5, -2e5, -0.5e5))
    assert clear[0].startswith("The plan starts paying")
    assert switching_sentences([], (1.0, 0.5, 2.0))[0].startswith("No uncertainty flips")


@pytest.mark.integration
def test_a_run_carries_its_swing_into_every_output(tmp_path, default_small) -> None:
    """``simulator.run(swing=True)``: the summary, swing.csv, the tornado, the report's
    section and the spreadsheet's sheet; anchored on the run's own mean at the default."""
    import json

    import openpyxl

    import simulator

    scenario = small(default_small, 3000, 18)
    results = simulator.run(
        scenario, replications=3, workers=1, swing=True, uncertainty="ranges", split=True, draws=2
    )
    split = results.summary["uncertainty"]["kpis"]["npv_net_savings"]
    assert split["variance"] == pytest.approx(split["luck"] + split["knowledge"])
    swing = results.summary["swing"]
    npv = results.effects["npv_net_savings"]
    assert swing["npv_at_default"]["mean"] == pytest.approx(npv["mean"])
    assert swing["npv_at_default"]["ci95_low"] == pytest.approx(npv["ci95_low"])
    first = swing["rows"][0]
    assert first["kpi"] == "npv_net_savings" and first["effect_default"] == pytest.approx(
        npv["mean"]
    )
    folder = results.save(tmp_path / "run")
    assert (folder / "swing.csv").is_file() and (folder / "plots" / "tornado.png").is_file()
    assert json.loads((folder / "summary.json").read_text())["swing"]["runs"] == swing["runs"]
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert 'id="swing-sentences"' in html and "What could change the plan" in html
    book = openpyxl.load_workbook(folder / "results.xlsx")
    sheet = book["What could change it"]
    assert sheet.max_row == 1 + len(swing["rows"]) and sheet._charts
    assert "Luck and knowledge" in book.sheetnames
    assert 'data-topic="How sure"' in html and "of its variance" in html


@pytest.mark.integration
def test_a_swing_over_budget_is_left_out_saying_why(monkeypatch, default_small) -> None:
    import simulator
    from simulator.analysis import swing as swings

    monkeypatch.setattr(swings, "RUN_BUDGET_SECONDS", 0.0)
    scenario = small(default_small, 3000, 12)
    results = simulator.run(scenario, replications=2, workers=1, swing=None)
    assert results.swing is None
    assert results.summary["swing"]["skipped"].startswith("not run: it would take about")
    assert "uncertainty" not in results.summary  # not asked for
    both = simulator.run(scenario, replications=2, workers=1, uncertainty="ranges", split=None)
    assert both.summary["uncertainty"]["skipped"].startswith("not run: 10 draws × 2 runs")
    off = simulator.run(scenario, replications=2, workers=1)
    assert "swing" not in off.summary and "uncertainty" not in off.summary


def test_a_region_files_value_can_be_swung() -> None:
    """The example company's region comes from a file: swinging its unemployment overrides
    the file's value (found by the CI of issue 26: the file was re-read and refused)."""
    from simulator.scenario import load_scenario

    from .conftest import SCENARIOS

    acme = load_scenario(SCENARIOS / "examples" / "acme" / "scenario.yaml")
    item = next(i for i in swung(acme) if i.path == "local_economy.baseline_unemployment_rate")
    high = item.at(acme, item.high)
    assert high.local_economy.baseline_unemployment_rate == pytest.approx(item.high)
    assert high.local_economy.labour_force == acme.local_economy.labour_force  # the file's
    assert high.local_economy.region_file is None
