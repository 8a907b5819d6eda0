"""Replications on every core: the same results, bit for bit, in this process, on a local
pool of worker processes and on a real Dask cluster; bounded, ordered gathering."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import simulator
from simulator.analysis import parallel
from simulator.analysis.compare import compare
from simulator.analysis.replicate import Gathered, Outcome, Table, estimated_seconds
from simulator.scenario import load_scenario, scenario_to_dict

from .conftest import BIN, SCENARIOS, free_port, shrink

# files of a results folder that hold numbers (the manifest, report and workbook also hold
# the time of the run)
NUMBERS = (
    "timeseries.csv",
    "kpis.csv",
    "kpis_status_quo.csv",
    "displacement.csv",
    "summary.json",
    "scorecard.json",
)


@pytest.fixture(scope="module")
def small_plan():
    return shrink(load_scenario(SCENARIOS / "default.yaml"), 4000, 24)


def outsim(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "outsim"), *args], capture_output=True, text=True, timeout=900, cwd=cwd
    )


@pytest.mark.integration
def test_results_are_identical_on_one_worker_and_on_two(small_plan, tmp_path: Path) -> None:
    one = simulator.run(small_plan, 4, 11, safeguards=True, workers=1)
    two = simulator.run(small_plan, 4, 11, safeguards=True, workers=2)
    pd.testing.assert_frame_equal(one.timeseries, two.timeseries, check_exact=True)
    pd.testing.assert_frame_equal(one.kpis, two.kpis, check_exact=True)
    pd.testing.assert_frame_equal(one.baseline_kpis, two.baseline_kpis, check_exact=True)
    pd.testing.assert_frame_equal(one.displacement, two.displacement, check_exact=True)
    assert one.safeguards == two.safeguards and one.programme == two.programme
    a, b = one.save(tmp_path / "one"), two.save(tmp_path / "two")
    for name in NUMBERS:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


@pytest.mark.integration
def test_a_comparison_is_identical_whatever_the_pool(small_plan) -> None:
    bare = shrink(load_scenario(SCENARIOS / "offshore_cost_first.yaml"), 8000, 30)
    one = compare([small_plan, bare], 3, 5, workers=1)
    two = compare([small_plan, bare], 3, 5, workers=2)
    pd.testing.assert_frame_equal(one.table(), two.table(), check_exact=True)
    for p, q in zip(one.plans, two.plans, strict=True):
        pd.testing.assert_frame_equal(p.timeseries, q.timeseries, check_exact=True)


@pytest.mark.integration
def test_outsim_run_on_a_real_dask_cluster_equals_the_local_run(
    small_plan, tmp_path: Path, dask_scheduler: str
) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(scenario_to_dict(small_plan)))
    common = (
        str(path),
        "-n",
        "3",
        "--seed",
        "4",
        "--quiet",
        "--no-safeguards",
        "--uncertainty",
        "none",
    )
    remote = outsim("run", *common, "--scheduler", dask_scheduler, "--out", "remote", cwd=tmp_path)
    assert remote.returncode == 0, remote.stderr
    local = outsim("run", *common, "--workers", "1", "--out", "local", cwd=tmp_path)
    assert local.returncode == 0, local.stderr
    for name in NUMBERS:
        assert (tmp_path / "remote" / name).read_bytes() == (
            tmp_path / "local" / name
        ).read_bytes(), name
    cmp = outsim(
        "compare",
        str(path),
        str(SCENARIOS / "status_quo.yaml"),
        "-n",
        "2",
        "--quiet",
        "--scheduler",
        dask_scheduler,
        "--out",
        "cmp",
        cwd=tmp_path,
    )
    assert cmp.returncode == 0, cmp.stderr
    assert (tmp_path / "cmp" / "comparison.csv").is_file()


@pytest.mark.integration
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--scheduler", "not a scheduler"), "not a scheduler address"),
        (("--scheduler", "tcp://127.0.0.1:{port}"), "cannot reach a Dask scheduler"),
        (("--workers", "0"), "--workers"),
    ],
)
def test_a_bad_pool_is_bad_input(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    args = tuple(a.format(port=free_port()) for a in args)
    res = outsim("run", str(SCENARIOS / "status_quo.yaml"), "-n", "1", *args, cwd=tmp_path)
    assert res.returncode == 2, res.stderr
    assert message in res.stderr
    assert not (tmp_path / "results").exists()


def test_gathering_puts_replications_in_order_whatever_the_arrival() -> None:
    frame = pd.DataFrame({"replication": [0, 0], "month": [0, 1], "x": [0.5, 1.5]})
    g = Gathered(3)
    for k in (2, 0, 1):
        f = frame.assign(replication=k, x=frame["x"] + k)
        g.add(Outcome(0, k, {"npv": float(k)}, Table.of(f), Table.of(f.head(1))))
    ts = g.timeseries()
    assert ts["replication"].tolist() == [0, 0, 1, 1, 2, 2]
    assert ts["x"].tolist() == [0.5, 1.5, 1.5, 2.5, 2.5, 3.5]
    assert ts["month"].dtype == np.int64 and ts["x"].dtype == np.float64
    assert g.kpi_frame()["npv"].tolist() == [0.0, 1.0, 2.0]
    assert g.displacement()["replication"].tolist() == [0, 1, 2]


def test_small_jobs_stay_in_this_process(small_plan) -> None:
    assert estimated_seconds([small_plan], 2) < 1
    with parallel.pool(small=True) as where:
        assert isinstance(where, parallel.InProcess)
    with parallel.pool(workers=1) as where:
        assert isinstance(where, parallel.InProcess)
    with pytest.raises(parallel.ParallelError, match="workers"), parallel.pool(workers=0):
        pass


@pytest.mark.integration
def test_a_task_error_reaches_the_caller() -> None:
    with parallel.pool(workers=2) as where:
        assert isinstance(where, parallel.DaskPool)
        with pytest.raises(ZeroDivisionError):
            list(where.map(_reciprocal, [1, 0, 2]))


def _reciprocal(x: int) -> float:
    return 1 / x


@pytest.mark.integration
def test_the_summary_of_a_parallel_run_says_nothing_about_the_pool(
    small_plan, tmp_path: Path
) -> None:
    """The manifest records seeds, not the pool: a rerun on any pool reproduces it."""
    out = simulator.run(small_plan, 2, 3, workers=2).save(tmp_path / "r")
    manifest = json.loads((out / "manifest.json").read_text())
    assert "workers" not in manifest and manifest["root_seed"] == 3


@pytest.mark.integration
def test_no_model_outlives_its_replication(small_plan) -> None:
    """After a run in this process no ``OutsourcingModel`` is alive and Mesa's registry of
    agent ids holds no finished model (Mesa 3.3 kept every model there: ~10 MB each)."""
    import gc

    import mesa

    from simulator.model.model import OutsourcingModel

    def alive() -> int:
        gc.collect()
        return sum(isinstance(o, OutsourcingModel) for o in gc.get_objects())

    before, registered = alive(), len(mesa.Agent._ids)
    simulator.run(small_plan, 3, 2, workers=1)
    assert alive() <= before
    assert len(mesa.Agent._ids) <= registered
