"""Sweeps: specs, sampling, the DuckDB store, Dask execution (local and a real scheduler),
resuming after SIGKILL, and SALib sensitivity on a problem with known indices."""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from simulator import sweep
from simulator.analysis.sensitivity import sample_means
from simulator.cli import app
from simulator.sweep.sampling import samples_table
from simulator.sweep.spec import SweepError, load_sweep
from simulator.sweep.store import SweepStore

from .conftest import free_port, thread_client, tiny_scenario

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
TINY = tiny_scenario("tiny", 36)
KPIS = ["reemployed_share_24m", "csat_mean", "npv_net_savings", "vendor_share_paid_fair"]


def write_spec(folder: Path, name: str = "tiny_sweep", **changes) -> Path:
    base = folder / "tiny.yaml"
    base.write_text(yaml.safe_dump(TINY), encoding="utf-8")
    spec = {
        "base": "tiny.yaml",
        "sampler": "grid",
        "replications": 2,
        "seed": 11,
        "parameters": {
            "policies.local_jobs.retraining.capacity_per_month": {"levels": [0, 10]},
            "vendors.manila.wage_ratio": {"range": [0.9, 1.3], "steps": 3},
        },
        "outputs": KPIS,
        "keep_timeseries": ["local_unemployment_rate"],
        "batch_size": 2,
    } | changes
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    return path


def outsim(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "outsim"), *args], capture_output=True, text=True, timeout=600, **kw
    )


def kpi_values(folder: Path) -> pd.DataFrame:
    cols = ["run_id", "sample_id", "replication", "status", *KPIS]
    return sweep.load(folder)[cols].sort_values("run_id").reset_index(drop=True)


# -- specs ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"parameters": {"policies.retraining.capacity": {"levels": [1, 2]}}},
            "parameters.policies.retraining.capacity: policies has no field 'retraining'",
        ),
        (
            {"parameters": {"vendors.lima.wage_ratio": {"levels": [1.0]}}},
            "vendors has no item 'lima'; expected a position 0-1 or a name (manila, bogota)",
        ),
        (
            {"parameters": {"policies.local_jobs.retraining.duration_months": {"levels": [3, 60]}}},
            "duration_months.levels: value 60 is outside what the scenario field accepts "
            "(Input should be less than or equal to 48",
        ),
        ({"sampler": "random"}, "sampler: Input should be 'grid', 'lhs', 'sobol' or 'morris'"),
        (
            {"sampler": "sobol"},
            "sampler sobol needs samples: (a whole number)",
        ),
        ({"outputs": ["happiness"]}, "outputs: unknown KPI happiness"),
        ({"colour": "blue"}, "colour: unknown field"),
        (
            {"parameters": {"vendors.manila.wage_ratio": {"range": [1.2, 0.9]}}},
            "range [1.2, 0.9]: expected low < high",
        ),
        ({"base": "missing.yaml"}, "base: "),
    ],
)
def test_bad_spec_exits_2_with_a_clear_message(tmp_path: Path, change, expected) -> None:
    spec = write_spec(tmp_path, **change)
    res = CliRunner().invoke(app, ["sweep", str(spec), "--out", str(tmp_path / "out"), "-q"])
    assert res.exit_code == 2, res.output
    message = " ".join(res.stderr.split())
    assert str(spec) in message
    assert expected in message, message
    assert "Traceback" not in res.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.integration
def test_bad_spec_through_the_installed_command(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, replications=0)
    res = outsim("sweep", str(spec), "--quiet")
    assert res.returncode == 2
    assert f"{spec}: replications: Input should be greater than or equal to 1" in res.stderr
    assert "Traceback" not in res.stderr


def test_samples_follow_the_sampler_and_field_types(tmp_path: Path) -> None:
    grid = load_sweep(write_spec(tmp_path))
    table = samples_table(grid)
    assert len(table) == 2 * 3 == sweep.expected_samples(grid)
    assert table["vendors.manila.wage_ratio"].tolist() == pytest.approx([0.9, 1.1, 1.3] * 2)
    params = {
        "policies.local_jobs.retraining.capacity_per_month": {"range": [0, 40]},
        "policies.vendor_staff.career_development": {"range": [0, 1]},
        "vendors.manila.wage_ratio": {
            "range": [0.8, 1.4],
            "distribution": "triangular",
            "peak": 1.0,
        },
    }
    for sampler, n, expected in (("lhs", 16, 16), ("sobol", 8, 8 * 5), ("morris", 4, 4 * 4)):
        sw = load_sweep(write_spec(tmp_path, sampler=sampler, samples=n, parameters=params))
        a, b = samples_table(sw), samples_table(sw)
        assert len(a) == expected == sweep.expected_samples(sw)
        pd.testing.assert_frame_equal(a, b)  # same seed, same samples
        caps = a["policies.local_jobs.retraining.capacity_per_month"]
        assert all(isinstance(v, int) for v in caps) and caps.between(0, 40).all()
        assert set(a["policies.vendor_staff.career_development"]) <= {True, False}
        assert a["vendors.manila.wage_ratio"].between(0.8, 1.4).all()


# -- running --------------------------------------------------------------------------------
@pytest.mark.integration
def test_local_sweep_stores_every_run_and_reports(tmp_path: Path) -> None:
    spec = write_spec(tmp_path)
    res = outsim("sweep", str(spec), "--out", str(tmp_path / "out"), "--workers", "2")
    assert res.returncode == 0, res.stderr
    folder = tmp_path / "out"
    runs = sweep.load(folder)
    assert len(runs) == 12 and runs["run_id"].is_unique and (runs["status"] == "ok").all()
    assert set(KPIS) <= set(runs.columns)
    assert runs["reemployed_share_24m"].between(0, 1).all()
    # the wage ratio moves the share of vendor staff paid at least the industry standard
    by_wage = runs.groupby("vendors.manila.wage_ratio")["vendor_share_paid_fair"].mean()
    assert by_wage.is_monotonic_increasing and by_wage.iloc[-1] > by_wage.iloc[0]
    monthly = sweep.query(folder, "SELECT count(*) AS n, max(month) AS last FROM monthly")
    assert monthly["n"][0] == 12 * 36 and monthly["last"][0] == 35
    manifest = json.loads((folder / "sweep.json").read_text())
    assert manifest["complete"] and manifest["runs"] == 12 and manifest["failed"] == 0
    html = (folder / "summary.html").read_text()
    assert "vendors.manila.wage_ratio" in html and "csat_mean" in html
    # summary and SQL through the CLI (in this process: the command's start-up is tested above)
    cli = CliRunner()
    summary = cli.invoke(app, ["sweep-results", str(folder), "--csv"])
    assert summary.exit_code == 0 and "csat_mean" in summary.stdout
    sql = ["--sql", "SELECT count(*) AS n FROM runs"]
    query = cli.invoke(app, ["sweep-results", str(folder), "--csv", *sql])
    assert query.stdout.split() == ["n", "12"]
    bad = cli.invoke(app, ["sweep-results", str(folder), "--sql", "SELECT nothing FROM nowhere"])
    assert bad.exit_code == 2 and "--sql" in bad.stderr
    # a rerun finds everything done
    again = cli.invoke(app, ["sweep", str(spec), "--out", str(folder), "--quiet"])
    assert again.exit_code == 0 and "0 ran now" in again.stdout and "12 resumed" in again.stdout
    # a different spec cannot resume into the same folder
    other = write_spec(tmp_path, name="other", seed=12)
    clash = cli.invoke(app, ["sweep", str(other), "--out", str(folder), "--quiet"])
    assert clash.exit_code == 2 and "different sweep" in clash.stderr


@pytest.mark.integration
def test_failed_runs_are_recorded_and_the_sweep_goes_on(tmp_path: Path) -> None:
    # each level is valid alone, but manila 0.7 + bogota 0.4 breaks "shares sum to at most 1"
    spec = write_spec(
        tmp_path,
        parameters={
            "plan.phases.1.shares.manila": {"levels": [0.5, 0.7]},
            "plan.phases.1.shares.bogota": {"levels": [0.2, 0.4]},
        },
        replications=1,
    )
    with thread_client(1) as client:
        runs = sweep.run(spec, client, out=tmp_path / "out")
    assert runs["status"].tolist() == ["ok", "ok", "ok", "failed"]
    assert "shares sum to 1.100" in runs["error"][3]
    assert math.isnan(runs["csat_mean"][3]) and not runs["csat_mean"][:3].isna().any()
    assert "1 failed" in (tmp_path / "out" / "summary.html").read_text()


@pytest.mark.integration
def test_sweep_on_a_real_dask_scheduler_equals_the_local_run(
    tmp_path: Path, dask_scheduler: str
) -> None:
    address = dask_scheduler
    spec = write_spec(tmp_path)
    remote = outsim(
        "sweep", str(spec), "--out", str(tmp_path / "remote"), "--scheduler", address, "--quiet"
    )
    assert remote.returncode == 0, remote.stderr
    local = outsim(
        "sweep", str(spec), "--out", str(tmp_path / "local"), "--workers", "1", "--quiet"
    )
    assert local.returncode == 0, local.stderr
    pd.testing.assert_frame_equal(kpi_values(tmp_path / "remote"), kpi_values(tmp_path / "local"))
    # the Python API with a client on the same cluster gives the same again
    from distributed import Client

    with Client(address, timeout="60s") as client:
        api = sweep.run(spec, client, out=tmp_path / "api")
    pd.testing.assert_frame_equal(
        api[kpi_values(tmp_path / "local").columns].sort_values("run_id").reset_index(drop=True),
        kpi_values(tmp_path / "local"),
    )


@pytest.mark.integration
def test_unreachable_scheduler_is_bad_input(tmp_path: Path) -> None:
    spec = write_spec(tmp_path)
    res = outsim(
        "sweep",
        str(spec),
        "--out",
        str(tmp_path / "out"),
        "--scheduler",
        f"tcp://127.0.0.1:{free_port()}",
        "--quiet",
    )
    assert res.returncode == 2
    assert "cannot reach a Dask scheduler" in res.stderr


@pytest.mark.integration
@pytest.mark.slow
def test_sigkill_then_rerun_stores_every_run_once(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, replications=2, batch_size=1)  # 12 runs
    folder = tmp_path / "killed"
    proc = subprocess.Popen(
        [
            str(BIN / "outsim"),
            "sweep",
            str(spec),
            "--out",
            str(folder),
            "--workers",
            "2",
            "--quiet",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 300
    done = 0
    while time.monotonic() < deadline and proc.poll() is None:
        progress = folder / "progress.json"
        if progress.exists():
            done = json.loads(progress.read_text())["done"]
            if done >= 3:
                break
        time.sleep(0.1)
    assert proc.poll() is None, "the sweep finished before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert 3 <= done < 12
    with SweepStore(folder, read_only=True) as store:
        kept = len(store.run_ids())
    assert done <= kept < 12
    rerun = outsim("sweep", str(spec), "--out", str(folder), "--workers", "2", "--quiet")
    assert rerun.returncode == 0, rerun.stderr
    assert f"{kept} resumed" in rerun.stdout
    with SweepStore(folder, read_only=True) as store:
        counts = store.query("SELECT run_id, count(*) AS n FROM runs GROUP BY run_id")
        per_kpi = store.query("SELECT run_id, kpi, count(*) AS n FROM kpis GROUP BY ALL")
    assert len(counts) == 12 and (counts["n"] == 1).all()
    assert (per_kpi["n"] == 1).all() and len(per_kpi) == 12 * len(KPIS)
    clean = outsim(
        "sweep", str(spec), "--out", str(tmp_path / "clean"), "--workers", "2", "--quiet"
    )
    assert clean.returncode == 0, clean.stderr
    pd.testing.assert_frame_equal(kpi_values(folder), kpi_values(tmp_path / "clean"))


# -- sensitivity ----------------------------------------------------------------------------
# Ishigami (a = 7, b = 0.1) on x1..x3 uniform on [-pi, pi]: known Sobol' indices.
ISHIGAMI_S1 = (0.3139, 0.4424, 0.0)
ISHIGAMI_ST = (0.5576, 0.4424, 0.2437)
ISHIGAMI_FIELDS = (
    "vendors.manila.conditions",
    "vendors.manila.security_maturity",
    "vendors.manila.cultural_distance",
)


def ishigami(data, seed, replication, outputs, keep):
    """A toy runner: Ishigami of three [0, 1] scenario fields mapped to [-pi, pi], reported
    under the first KPI name so it travels the model's path (spec, sampler, Dask, store)."""
    manila = next(v for v in data["vendors"] if v["name"] == "manila")
    x = [-math.pi + 2 * math.pi * manila[f.rsplit(".", 1)[1]] for f in ISHIGAMI_FIELDS]
    y = math.sin(x[0]) + 7 * math.sin(x[1]) ** 2 + 0.1 * x[2] ** 4 * math.sin(x[0])
    return {outputs[0]: y}, {}


def ishigami_sensitivity(tmp_path: Path, sampler: str, samples: int) -> pd.DataFrame:
    """Indices of Ishigami through sweep.sensitivity on an in-process Dask cluster."""
    spec = write_spec(
        tmp_path,
        name=sampler,
        sampler=sampler,
        samples=samples,
        replications=1,
        parameters={f: {"range": [0.0, 1.0]} for f in ISHIGAMI_FIELDS},
        outputs=["csat_mean"],
        keep_timeseries=[],
        batch_size=256,
    )
    with thread_client(2) as client:
        return sweep.sensitivity(spec, client, out=tmp_path / "out", runner=ishigami)


@pytest.mark.integration
def test_sobol_indices_of_ishigami_match_the_known_values(tmp_path: Path) -> None:
    table = ishigami_sensitivity(tmp_path, "sobol", 1024)
    assert len(sweep.load(tmp_path / "out")) == 1024 * 5
    assert table["S1"].to_numpy() == pytest.approx(ISHIGAMI_S1, abs=0.05)
    assert table["ST"].to_numpy() == pytest.approx(ISHIGAMI_ST, abs=0.05)
    assert (table["S1_conf"] > 0).all() and (table["S1_conf"] < 0.1).all()
    saved = pd.read_csv(tmp_path / "out" / "sensitivity.csv")
    assert list(saved["parameter"]) == list(ISHIGAMI_FIELDS)
    html = (tmp_path / "out" / "summary.html").read_text()
    assert 'id="sensitivity"' in html
    assert (tmp_path / "out/plots/sensitivity_csat_mean.png").exists()


def test_morris_ranks_ishigami_inputs(tmp_path: Path) -> None:
    table = ishigami_sensitivity(tmp_path, "morris", 60)
    mu = dict(zip(table["parameter"], table["mu_star"], strict=True))
    sigma = dict(zip(table["parameter"], table["sigma"], strict=True))
    x1, x2, x3 = ISHIGAMI_FIELDS
    assert mu[x2] > mu[x3] and mu[x1] > mu[x3]  # x3 acts only through x1
    assert sigma[x3] > 0 and (table["mu_star_conf"] >= 0).all()


def test_replication_noise_is_measured() -> None:
    rng = np.random.default_rng(1)
    signal_ = np.repeat(np.arange(20.0), 5)
    wide = pd.DataFrame(
        {
            "sample_id": np.repeat(np.arange(20), 5),
            "status": "ok",
            "k": signal_ + rng.normal(0, 3.0, 100),
        }
    )
    means, noise, reps = sample_means(wide, "k", 20)
    assert reps == 5 and len(means) == 20
    expected = 9.0 / 5 / np.var(np.arange(20.0), ddof=1)  # noise var of a mean / signal var
    assert noise == pytest.approx(expected, rel=0.5)


@pytest.mark.integration
def test_sensitivity_refuses_a_grid_spec(tmp_path: Path) -> None:
    res = outsim("sensitivity", str(write_spec(tmp_path)), "--quiet")
    assert res.returncode == 2 and "needs sobol or morris" in res.stderr


def test_load_of_a_folder_without_a_store_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(SweepError, match="no sweep results here"):
        sweep.load(tmp_path)


# -- region sweeps (issue 28) -----------------------------------------------------------
REGION_KPIS = ["displaced", "reemployed_share_12m", "unemployment_peak_change_pp"]


def write_region_spec(folder: Path, **changes) -> Path:
    """A wave sweep over a small drawn region: four firms of about 40 agents in a town of
    20,000 workers; how many of them move, and how spread out."""
    (folder / "tiny.yaml").write_text(yaml.safe_dump(TINY), encoding="utf-8")
    region = {
        "simulation": {"name": "town", "horizon_months": 24, "seed": 3, "replications": 1},
        "local_economy": {"labour_force": 20000},
        "generator": {
            "firms": 4,
            "template": "tiny.yaml",
            "headcount_median": 40,
            "headcount_sigma": 0.3,
            "customers_per_agent": 75,
            "start_spread_months": [0, 6],
            "moving_share": 1.0,
        },
    }
    (folder / "town.yaml").write_text(yaml.safe_dump(region), encoding="utf-8")
    spec = {
        "region": "town.yaml",
        "sampler": "grid",
        "replications": 1,
        "parameters": {
            "generator.moving_share": {"levels": [0.0, 1.0]},
            "generator.start_spread_months.1": {"levels": [0, 12]},
        },
        "outputs": REGION_KPIS,
        "keep_timeseries": ["unemployment_rate"],
        "batch_size": 1,
    } | changes
    path = folder / "wave.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    return path


def region_values(folder: Path) -> pd.DataFrame:
    cols = ["run_id", "sample_id", "status", *REGION_KPIS]
    return sweep.load(folder)[cols].sort_values("run_id").reset_index(drop=True)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"outputs": ["csat_mean"]}, "outputs: unknown regional figure csat_mean"),
        (
            {"parameters": {"generator.moving_share": {"levels": [1.5]}}},
            "parameters.generator.moving_share.levels: value 1.5 is outside what the region "
            "file accepts",
        ),
        (
            {"parameters": {"generator.movers": {"levels": [1]}}},
            "parameters.generator.movers: generator has no field 'movers'",
        ),
        ({"keep_timeseries": ["csat"]}, "keep_timeseries: unknown series csat"),
        ({"base": "tiny.yaml"}, "a region sweep varies region:, not base:"),
    ],
)
def test_a_bad_region_sweep_spec_is_refused_with_the_field(
    tmp_path: Path, change, expected
) -> None:
    path = write_region_spec(tmp_path, **change)
    with pytest.raises(SweepError) as err:
        sweep.load_any_sweep(path)
    assert expected in str(err.value)


@pytest.mark.integration
def test_a_wave_sweep_on_a_real_dask_scheduler_equals_the_local_run(
    tmp_path: Path, dask_scheduler: str
) -> None:
    """A region sweep goes through the Dask engine into the store like any sweep: on a real
    scheduler with two workers on loopback it stores what one local worker stores, and the
    wave's samples differ from the calm ones as they should."""
    spec = write_region_spec(tmp_path)
    remote = outsim(
        "sweep", str(spec), "--out", str(tmp_path / "remote"), "--scheduler", dask_scheduler, "-q"
    )
    assert remote.returncode == 0, remote.stderr
    with thread_client(1) as client:  # one local worker, in this process
        sweep.run(spec, client, out=tmp_path / "local")
    far, near = region_values(tmp_path / "remote"), region_values(tmp_path / "local")
    pd.testing.assert_frame_equal(far, near)
    assert (near["status"] == "ok").all() and len(near) == 4
    runs = sweep.load(tmp_path / "local")
    calm = runs[runs["generator.moving_share"] == 0.0]
    wave = runs[runs["generator.moving_share"] == 1.0]
    assert (calm["displaced"] == 0).all() and (wave["displaced"] > 0).all()
    assert (wave["unemployment_peak_change_pp"] > calm["unemployment_peak_change_pp"].max()).all()
    res = outsim(
        "sweep-results", str(tmp_path / "local"), "--sql", "SELECT count(*) AS n FROM monthly"
    )
    assert res.returncode == 0 and "96" in res.stdout  # 4 runs x 24 months of one series
