"""`outsim run` end to end, in a real subprocess: files, formats, exit codes."""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from simulator.analysis.scorecard import DIMENSIONS

from .conftest import SCENARIOS

REQUIRED_KPIS = {
    "npv_net_savings",
    "displaced_workers",
    "reemployed_share_12m",
    "reemployed_share_24m",
    "median_unemployment_months",
    "earnings_ratio_24m",
    "local_unemployment_peak_change_pp",
    "csat_mean",
    "service_level_mean",
    "first_contact_resolution_mean",
    "customer_churn_annual",
    "trust_final",
    "breach_probability_annual",
    "expected_breach_cost",
    "vendor_attrition_annual",
    "vendor_share_paid_fair",
    "retraining_completion_share",
    "community_investment_total",
}
PLOTS = {
    "workforce",
    "displaced_earnings",
    "local_economy",
    "service",
    "customers",
    "privacy",
    "vendor_workforce",
    "costs",
}


def outsim(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "simulator.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
    )


def small_copy(tmp_path: Path, name: str = "hybrid_full_ethics") -> Path:
    data = yaml.safe_load((SCENARIOS / f"{name}.yaml").read_text())
    data["extends"] = str(SCENARIOS / "default.yaml")
    data.setdefault("customers", {})["count"] = 8000
    data["simulation"]["horizon_months"] = 36
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


@pytest.mark.integration
def test_run_writes_a_complete_results_folder(tmp_path):
    scenario = small_copy(tmp_path)
    out = tmp_path / "res"
    proc = outsim("run", str(scenario), "--out", str(out), "-n", "3", "--seed", "4", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    files = {p.name for p in out.iterdir()}
    assert {
        "timeseries.csv",
        "summary.json",
        "scorecard.json",
        "scenario.resolved.yaml",
        "manifest.json",
        "plots",
    } <= files
    ts = pd.read_csv(out / "timeseries.csv")
    assert len(ts) == 3 * 36
    assert sorted(ts["replication"].unique()) == [0, 1, 2]
    summary = json.loads((out / "summary.json").read_text())
    assert summary["scenario"] == "hybrid_full_ethics"
    assert summary["replications"] == 3
    assert set(summary["kpis"]) >= REQUIRED_KPIS
    for k in summary["kpis"].values():
        assert {"mean", "p05", "p95", "unit", "description"} <= set(k)
    card = json.loads((out / "scorecard.json").read_text())
    assert set(card["dimensions"]) == set(DIMENSIONS)
    for dim in card["dimensions"].values():
        score = dim["score"]["mean"]
        assert score is None or 0 <= score <= 100
        assert dim["formula"]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["root_seed"] == 4
    assert len(manifest["replication_seeds"]) == 3
    assert len(manifest["scenario_hash"]) == 64
    resolved = yaml.safe_load((out / "scenario.resolved.yaml").read_text())
    assert resolved["simulation"]["name"] == "hybrid_full_ethics"
    pngs = {p.stem for p in (out / "plots").glob("*.png")}
    assert pngs >= PLOTS
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


@pytest.mark.integration
def test_run_defaults_to_bundled_scenario_and_results_name(tmp_path):
    # (the safeguard packages are beside the point here: tests/test_decision.py)
    proc = outsim(
        "run",
        "-n",
        "1",
        "--quiet",
        "--no-safeguards",
        "--no-swing",
        "--uncertainty",
        "none",
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "results" / "default" / "summary.json").exists()
    assert "results/default" in proc.stdout


@pytest.mark.integration
def test_internal_error_exits_1_with_log(tmp_path):
    """A real fault (a file-size limit, as a full disk or quota would): exit 1, one line on
    stderr, the traceback in a log file in the temporary folder, no partial output."""
    scenario = small_copy(tmp_path)
    logs = tmp_path / "tmp"
    logs.mkdir()

    def limit_file_size() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of a kill
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))

    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "simulator.cli",
            "run",
            str(scenario),
            "--out",
            "res",
            "-n",
            "1",
            "--quiet",
            *("--no-swing", "--uncertainty", "none"),  # the fault is in writing, not running
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "TMPDIR": str(logs)},
        preexec_fn=limit_file_size,
    )
    assert proc.returncode == 1, proc.stderr
    assert "internal error" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) <= 3
    log = next(logs.glob("outsim-error-*.log"))
    assert str(log) in proc.stderr and "Traceback" in log.read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([scenario.name, "tmp"])
