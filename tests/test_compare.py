"""Plan comparison: common random numbers, paired differences, files."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import yaml

from simulator.analysis.compare import compare
from simulator.scenario import load_scenario, scenario_from_dict, scenario_to_dict

from .conftest import SCENARIOS, shrink


def small(name: str, rename: str | None = None):
    sc = shrink(load_scenario(SCENARIOS / f"{name}.yaml"), 8000, 30)
    if rename:
        data = scenario_to_dict(sc)
        data["simulation"]["name"] = rename
        sc = scenario_from_dict(data)
    return sc


def test_plan_against_itself_differs_by_exactly_zero():
    a, b = small("default"), small("default", rename="default_again")
    table = compare([a, b], replications=3, seed=11).table()
    other = table[table["plan"] == "default_again"]
    diffs = other["diff_vs_reference"].dropna()
    assert len(diffs) > 20
    assert (diffs == 0).all()
    assert not other["distinguishable"].any()


def test_offshoring_saves_money_clear_of_noise():
    result = compare([small("status_quo"), small("offshore_cost_first")], replications=5, seed=2)
    table = result.table().set_index(["kpi", "plan"])
    row = table.loc[("npv_operating_savings", "offshore_cost_first")]
    assert row["diff_vs_reference"] > 0 and row["diff_ci95_low"] > 0 and row["distinguishable"]
    disp = table.loc[("displaced_workers", "offshore_cost_first")]
    assert disp["distinguishable"] and disp["diff_vs_reference"] > 0
    # common random numbers: replication k of both plans used the same child seed
    assert result.plans[0].seeds == result.plans[1].seeds
    cards = result.scorecards()
    assert list(cards.columns) == ["status_quo", "offshore_cost_first"]
    assert cards.loc["local_jobs", "status_quo"] == 100.0
    assert np.isnan(cards.loc["fair_treatment", "status_quo"])


def test_compare_labels_plans_that_share_a_name():
    result = compare([small("default"), small("default")], replications=1)
    assert result.labels == ["default (1)", "default (2)"]
    assert result.notes and "default" in result.notes[0]
    with pytest.raises(ValueError, match="not one of the plans"):
        compare([small("default")], replications=1, reference="nope")


@pytest.mark.integration
def test_outsim_compare_writes_the_comparison_folder(tmp_path):
    files = []
    for name in ("status_quo", "offshore_cost_first"):
        data = scenario_to_dict(small(name))
        path = tmp_path / f"{name}.yaml"
        path.write_text(yaml.safe_dump(data))
        files.append(str(path))
    out = tmp_path / "cmp"
    proc = subprocess.run(
        [
            *(sys.executable, "-m", "simulator.cli", "compare", *files, "--out", str(out)),
            *("-n", "3", "--uncertainty", "ranges", "--draws", "2"),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "COLUMNS": "100"},
    )
    assert proc.returncode == 0, proc.stderr
    table = pd.read_csv(out / "comparison.csv")
    assert {
        "kpi",
        "plan",
        "mean",
        "ci95_low",
        "ci95_high",
        "diff_vs_reference",
        "diff_ci95_low",
        "diff_ci95_high",
        "distinguishable",
    } <= set(table.columns)
    assert set(table["plan"]) == {"status_quo", "offshore_cost_first"}
    html = (out / "comparison.html").read_text(encoding="utf-8")
    assert 'src="http' not in html and "data:image/png;base64," in html
    assert (out / "plots" / "compare_scorecard.png").exists()
    # plan names and KPI names whole at 100 columns
    assert "NPV net savings" in proc.stdout and "offshore_cost_first" in proc.stdout
    assert "…" not in proc.stdout
    assert max(len(line) for line in proc.stdout.splitlines()) <= 100
    # --uncertainty: both plans in the same two drawn futures, two runs each
    futures = pd.read_csv(out / "uncertainty.csv")
    assert set(futures["plan"]) == {"status_quo", "offshore_cost_first"}
    npv = futures.set_index(["plan", "kpi"]).loc[("offshore_cost_first", "npv_net_savings")]
    assert npv["effect_p05"] <= npv["effect_mean"] <= npv["effect_p95"]
    assert 'id="futures"' in html and "drawn futures" in proc.stdout
    manifest = yaml.safe_load((out / "manifest.json").read_text())
    assert manifest["uncertainty"]["draws"] == 2
    import openpyxl

    sheet = openpyxl.load_workbook(out / "comparison.xlsx")["Drawn futures"]
    assert [c.value for c in sheet[1]][:3] == ["plan", "kpi", "effect_mean"]
    assert sheet.max_row == 1 + len(futures)
