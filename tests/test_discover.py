"""`outsim discover` on a real sweep: PRIM explains where a plan loses money."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from simulator.sweep.discover import discover

from .test_sweep import outsim, write_spec

PRICE = "vendors.manila.price_per_agent_hour"


@pytest.fixture(scope="module")
def sweep_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """24 plans (LHS) differing in the vendor's price, its pay and the notice given."""
    folder = tmp_path_factory.mktemp("discover")
    spec = write_spec(
        folder,
        name="prices",
        sampler="lhs",
        samples=24,
        replications=1,
        parameters={
            PRICE: {"range": [8.0, 40.0]},
            "vendors.manila.wage_ratio": {"range": [0.8, 1.4]},
            "policies.transparency.employee_notice_months": {"range": [0, 6]},
        },
        keep_timeseries=[],
    )
    result = outsim("sweep", str(spec), "--out", str(folder / "sweep"), "-q", cwd=folder)
    assert result.returncode == 0, result.stderr
    return folder / "sweep"


@pytest.mark.integration
def test_discover_finds_that_expensive_vendors_lose_money(sweep_folder: Path) -> None:
    from simulator import sweep

    runs = sweep.load(sweep_folder)
    median = float(runs["npv_net_savings"].median())
    result = discover(sweep_folder, "npv_net_savings", median, below=True)
    assert result.cases.sum() == 12  # half the plans are below their median
    assert PRICE in result.chosen.box.limits
    low, high = result.chosen.box.limits[PRICE]
    assert low > 8.0 + 5 and high == pytest.approx(runs[PRICE].max())  # the expensive end
    assert result.chosen.density >= 0.8
    assert "price_per_agent_hour is at least" in result.sentence


def median_npv(folder: Path) -> str:
    from simulator import sweep

    return repr(float(sweep.load(folder)["npv_net_savings"].median()))


@pytest.mark.integration
def test_outsim_discover_writes_its_folder(sweep_folder: Path) -> None:
    r = outsim(
        "discover",
        str(sweep_folder),
        "--kpi",
        "npv_net_savings",
        "--below",
        median_npv(sweep_folder),
        cwd=sweep_folder.parent,
    )
    assert r.returncode == 0, r.stderr
    out = sweep_folder.parent / "sweep_discover_npv_net_savings"
    assert {p.name for p in out.iterdir()} >= {
        "boxes.csv",
        "discovery.json",
        "trajectory.png",
        "box.png",
        "discovery.txt",
        "manifest.json",
    }
    boxes = pd.read_csv(out / "boxes.csv")
    assert boxes["chosen"].sum() == 1 and boxes.loc[0, "coverage"] == 1.0
    summary = json.loads((out / "discovery.json").read_text())
    assert summary["sentence"] in r.stdout.replace("\n", " ") or "happens" in r.stdout
    # a rerun replaces the folder outsim wrote
    again = outsim(
        "discover",
        str(sweep_folder),
        "--kpi",
        "npv_net_savings",
        "--below",
        median_npv(sweep_folder),
        "-q",
        cwd=sweep_folder.parent,
    )
    assert again.returncode == 0, again.stderr


@pytest.mark.integration
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--kpi", "npv_net_savings"), "exactly one of --below"),
        (("--kpi", "npv_net_savings", "--below", "0", "--above", "1"), "exactly one of"),
        (("--kpi", "nope", "--below", "0"), "kept no KPI 'nope'"),
        (("--kpi", "npv_net_savings", "--below", "-1e30"), "no run has the outcome"),
    ],
)
def test_bad_discoveries_are_refused(sweep_folder: Path, args, message: str) -> None:
    r = outsim("discover", str(sweep_folder), *args, cwd=sweep_folder.parent)
    assert r.returncode == 2 and message in r.stderr.replace("\n", " "), r.stderr


@pytest.mark.integration
def test_a_folder_without_a_sweep_is_refused(tmp_path: Path) -> None:
    r = outsim("discover", str(tmp_path), "--kpi", "npv_net_savings", "--below", "0", cwd=tmp_path)
    assert r.returncode == 2 and "no sweep results" in r.stderr, r.stderr
