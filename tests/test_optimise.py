"""`outsim optimise`: robust measures, Pareto fronts, the search recovering a known front,
kill-and-resume, specs refused with clear messages, and Pareto plans that run."""

from __future__ import annotations

import math
import os
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from simulator.analysis.robustness import (
    Constraint,
    Objective,
    epsilon_front,
    non_dominated,
    pareto,
    robust_table,
)
from simulator.scenario import ScenarioError, load_scenario
from simulator.sweep.robust_search import optimise
from simulator.sweep.robust_spec import load_optimisation, optimisation_from_dict
from simulator.sweep.store import SweepStore

from .conftest import thread_client
from .test_sweep import ROOT, TINY, outsim

X = "policies.privacy.fields_shared_share"  # two [0, 1] levers and a [0.5, 0.7] uncertainty
Y = "policies.vendor_staff.conditions_floor"
U = "customers.initial_trust"
KILL = {"after": None, "count": 0}
_lock = threading.Lock()


# -- robust measures and fronts --------------------------------------------------------------
def test_robust_measures_of_known_futures() -> None:
    futures = np.array([1.0, 2.0, 3.0, 4.0, 10.0])
    base = np.array([2.0, 2.0, 2.0, 2.0, 2.0])
    assert Objective("k", True).value(futures) == pytest.approx(4.0)
    assert Objective("k", True, "percentile").value(futures) == pytest.approx(1.4)  # P10
    assert Objective("k", False, "percentile").value(futures) == pytest.approx(7.6)  # P90
    assert Objective("k", True, "satisficing", threshold=3).value(futures) == pytest.approx(0.6)
    assert Objective("k", False, "satisficing", threshold=3).value(futures) == pytest.approx(0.6)
    # regret against the base plan in each future, P90: maximised, base − plan
    regret = Objective("k", True, "regret").value(futures, base)
    assert regret == pytest.approx(np.percentile(base - futures, 90))
    assert Objective("k", True, "regret").higher_is_better is False
    assert math.isnan(Objective("k", True).value(np.array([1.0, np.nan])))
    assert Objective("npv", True, "percentile").label == "npv_p10"


def test_constraint_violations() -> None:
    assert Constraint("k", True, 0.7).violation(0.75) < 0
    assert Constraint("k", True, 0.7).violation(0.65) == pytest.approx(0.05)
    assert Constraint("k", False, 0.2).violation(0.25) == pytest.approx(0.05)
    assert Constraint("k", False, 0.2).violation(math.nan) == math.inf


def test_non_dominated_and_epsilon_front() -> None:
    values = np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5], [0.4, 0.4], [0.52, 0.49]])
    assert non_dominated(values).tolist() == [True, True, True, False, True]
    # with boxes of 0.25 the two points near (0.5, 0.5) share a box: one is kept
    thin = epsilon_front(values, np.array([0.25, 0.25]))
    assert thin[[0, 1]].all() and not thin[3] and thin[[2, 4]].sum() == 1
    assert epsilon_front(values, np.zeros(2)).tolist() == non_dominated(values).tolist()


def test_robust_table_and_pareto_respect_constraints() -> None:
    rows = []
    for cid, (a, b) in enumerate([(1.0, 0.5), (2.0, 0.1), (0.5, 0.9), (0.4, 0.4)]):
        for s in range(2):
            rows.append(
                {
                    "candidate_id": cid,
                    "scenario_id": s,
                    "replication": 0,
                    "status": "ok",
                    "a": a + s,
                    "b": b,
                }
            )
    cells = pd.DataFrame(rows)
    objectives = [Objective("a", True), Objective("b", True)]
    table = robust_table(cells, objectives, [Constraint("b", True, 0.2)], 2, 1)
    assert table.loc[0, "a_mean"] == pytest.approx(1.5)
    assert table["feasible"].tolist() == [True, False, True, True]
    assert pareto(table, objectives) == [0, 2]  # 1 misses the constraint, 3 is dominated
    failed = cells.assign(status=np.where(cells["candidate_id"] == 2, "failed", "ok"))
    table = robust_table(failed, objectives, [], 2, 1)
    assert not table.loc[2, "complete"] and pareto(table, objectives) == [1, 0]


# -- the search on an analytic problem -------------------------------------------------------
def zdt1(data, seed, stream, outputs, keep):
    """ZDT1 on two levers, plus an uncertainty added to the second objective; both
    minimised. Pareto front: y = 0, f2 = 1 − √f1 + mean(u)."""
    with _lock:
        KILL["count"] += 1
        if KILL["after"] is not None and KILL["count"] >= KILL["after"]:
            os.kill(os.getpid(), signal.SIGKILL)
    x = data["policies"]["privacy"]["fields_shared_share"]
    y = data["policies"]["vendor_staff"]["conditions_floor"]
    u = data["customers"]["initial_trust"]
    g = 1 + 9 * y
    return {"npv_net_savings": x, "customer_churn_annual": g * (1 - math.sqrt(x / g)) + u}, {}


def analytic(budget: int, **changes):
    spec = {
        "base": str(ROOT / "scenarios" / "default.yaml"),
        "levers": {X: {"range": [0.0, 1.0]}, Y: {"range": [0.0, 1.0]}},
        "uncertainties": {U: {"range": [0.5, 0.7]}},
        "scenarios": 4,
        "seed": 3,
        "objectives": {
            "npv_net_savings": {"direction": "minimise"},
            "customer_churn_annual": {"direction": "minimise"},
        },
        "budget": budget,
        "batch": 8,
        "check": {"scenarios": 0},
    } | changes
    return optimisation_from_dict(spec, "zdt1")


def run_analytic(folder: str | Path, budget: int, kill_after: int | None = None, **changes):
    KILL["after"], KILL["count"] = kill_after, 0
    with thread_client(2) as client:
        return optimise(analytic(budget, **changes), folder, client=client, runner=zdt1)


@pytest.mark.integration
def test_search_recovers_the_known_front_of_an_analytic_problem(tmp_path: Path) -> None:
    found = run_analytic(tmp_path / "zdt1", 100)
    shift = analytic(100).ensemble()[U].mean()  # the uncertainty's mean over the futures
    front = found.table.set_index("candidate_id").loc[found.pareto]
    f1 = front["npv_net_savings_mean"].to_numpy()
    f2 = front["customer_churn_annual_mean"].to_numpy()
    gap = f2 - (1 - np.sqrt(f1) + shift)  # ≥ 0: nothing beats the true front
    assert (gap >= -1e-9).all()
    assert gap.mean() < 0.05 and gap.max() < 0.15
    assert len(front) >= 8 and f1.min() < 0.05 and f1.max() > 0.9  # the whole front


@pytest.mark.integration
def test_a_killed_search_resumes_to_the_same_pareto_plans(tmp_path: Path) -> None:
    budget = 30
    whole = run_analytic(tmp_path / "whole", budget, batch=6)
    folder = tmp_path / "killed"
    code = (
        f"from tests.test_optimise import run_analytic; "
        f"run_analytic({str(folder)!r}, {budget}, kill_after=70, batch=6)"
    )
    killed = subprocess.run([sys.executable, "-c", code], cwd=ROOT, timeout=300)
    assert killed.returncode == -signal.SIGKILL
    with SweepStore(folder, read_only=True) as store:
        stored = len(store.run_ids())
        candidates = len(store.table("candidates"))
    assert 0 < stored < (budget + 1) * 4 and candidates < budget + 1  # stopped midway
    resumed = run_analytic(folder, budget, batch=6)
    assert resumed.resumed == stored
    assert resumed.pareto == whole.pareto
    cols = ["candidate_id", X, Y, "npv_net_savings_mean", "customer_churn_annual_mean"]
    pd.testing.assert_frame_equal(resumed.table[cols], whole.table[cols])


@pytest.mark.integration
def test_nsga2_sampler_searches_too(tmp_path: Path) -> None:
    found = run_analytic(tmp_path / "nsga", 40, sampler="nsga2")
    assert len(found.table) == 41 and found.pareto
    front = found.table.set_index("candidate_id").loc[found.pareto]
    assert front["customer_churn_annual_mean"].min() < 1.0


# -- specs -----------------------------------------------------------------------------------
def write_spec(folder: Path, name: str = "tiny_search", **changes) -> Path:
    (folder / "tiny.yaml").write_text(yaml.safe_dump(TINY), encoding="utf-8")
    spec = {
        "base": "tiny.yaml",
        "levers": {
            "policies.transparency.employee_notice_months": {"range": [0, 6]},
            "policies.vendor_staff.career_development": {"levels": [False, True]},
        },
        "uncertainties": {"local_economy.baseline_unemployment_rate": {"range": [0.03, 0.08]}},
        "scenarios": 2,
        "seed": 5,
        "objectives": {
            "npv_net_savings": {"direction": "maximise", "robustness": "percentile"},
            "reemployed_share_24m": {"direction": "maximise"},
        },
        "constraints": ["customer_churn_annual <= 0.5"],
        "budget": 5,
        "batch": 3,
        "check": {"scenarios": 2},
    } | changes
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.integration
@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"levers": {"local_economy.vacancy_rate": {"range": [0.02, 0.05]}}},
            "levers.local_economy.vacancy_rate: the schema classes this field as uncertainty",
        ),
        (
            {"uncertainties": {"policies.local_jobs.redeployment_share": {"range": [0, 0.3]}}},
            "uncertainties.policies.local_jobs.redeployment_share: this field is a lever",
        ),
        (
            {"levers": {"policies.transparency.employee_notice_months": {"range": [0, 99]}}},
            "levers.policies.transparency.employee_notice_months.range: value 99.0 is outside",
        ),
        (
            {"levers": {"policies.local_jobs.outplacement": {"range": [0, 1]}}},
            "a yes/no field takes levels",
        ),
        ({"objectives": {"npv_net_gains": {"direction": "maximise"}}}, "unknown KPI npv_net_gains"),
        (
            {
                "objectives": {
                    "npv_net_savings": {"direction": "maximise", "robustness": "satisficing"}
                }
            },
            "robustness satisficing needs threshold",
        ),
        (
            {"objectives": {"npv_net_savings": {"direction": "up"}}},
            "objectives.npv_net_savings.direction",
        ),
        ({"constraints": ["churn < 3"]}, "expected 'kpi >= number' or 'kpi <= number'"),
        (
            {"uncertainties": {"customers.initial_trust": {"levels": [0.5]}}},
            "uncertainties.customers.initial_trust: needs range",
        ),
        ({"budget": 100_000, "max_runs": 1000}, "more than max_runs: 1,000"),
        ({"sampler": "cmaes"}, "sampler"),
        ({"seeds": 3}, "seeds"),
    ],
)
def test_bad_specs_are_refused_with_the_field_path(tmp_path: Path, change, expected) -> None:
    spec = write_spec(tmp_path, **change)
    result = outsim("optimise", str(spec), "--out", str(tmp_path / "out"))
    assert result.returncode == 2, result.stderr
    message = " ".join(result.stderr.split())
    assert str(spec) in message and expected in message, message
    assert "Traceback" not in result.stderr and not (tmp_path / "out").exists()


def test_the_shipped_spec_is_valid() -> None:
    opt = load_optimisation(ROOT / "experiments" / "robust_plan.yaml")
    assert len(opt.levers) == 6 and len(opt.uncertainties) == 4 and opt.spec.budget == 40
    assert len(opt.ensemble()) == 6 and len(opt.ensemble(check=True)) == 12


# -- end to end on the model -----------------------------------------------------------------
@pytest.fixture(scope="module")
def searched(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("optimise")
    spec = write_spec(folder)
    result = outsim("optimise", str(spec), "--out", str(folder / "out"), cwd=folder)
    assert result.returncode == 0, result.stderr
    assert "Pareto-optimal" in result.stdout
    return folder / "out"


@pytest.mark.integration
def test_optimise_writes_plans_table_and_page(searched: Path) -> None:
    names = {p.name for p in searched.iterdir()}
    assert names >= {
        "sweep.duckdb",
        "candidates.csv",
        "pareto.csv",
        "pareto",
        "optimise.html",
        "optimise.json",
        "plots",
    }
    candidates = pd.read_csv(searched / "candidates.csv")
    assert len(candidates) == 6 and candidates["origin"].tolist()[0] == "base"
    assert candidates["complete"].all()
    frame = pd.read_csv(searched / "pareto.csv")
    plans = [p for p in frame["plan"] if p != "base plan"]
    assert plans == [f"plan_{i:02d}" for i in range(1, len(plans) + 1)]
    assert frame["pareto_rank"].notna().sum() >= 1
    assert "check_npv_net_savings_p10" in frame  # the plans were run on fresh futures
    assert frame["check_npv_net_savings_p10"].notna().all()
    html = (searched / "optimise.html").read_text()
    assert "Pareto-optimal" in html and "data:image/png;base64," in html


@pytest.mark.integration
def test_every_pareto_plan_validates_and_runs(searched: Path, tmp_path: Path) -> None:
    frame = pd.read_csv(searched / "pareto.csv")
    frame = frame.set_index(frame["plan"].str.replace(" ", "_"))
    files = sorted((searched / "pareto").glob("*.yaml"))
    assert sorted(f.stem for f in files) == sorted(frame.index[frame["pareto_rank"].notna()])
    for f in files:
        scenario = load_scenario(f)
        notice = scenario.policies.transparency.employee_notice_months
        assert notice == frame.loc[f.stem, "policies.transparency.employee_notice_months"]
    result = outsim(
        "run",
        str(files[0]),
        "-n",
        "1",
        "--no-safeguards",
        "--workers",
        "1",
        "--out",
        str(tmp_path / "run"),
        "-q",
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "run" / "kpis.csv").exists()


@pytest.mark.integration
def test_a_rerun_resumes_without_running_again(searched: Path) -> None:
    spec = searched.parent / "tiny_search.yaml"
    result = outsim("optimise", str(spec), "--out", str(searched), "-q", cwd=searched.parent)
    assert result.returncode == 0, result.stderr
    assert "0 runs now" in result.stdout


@pytest.mark.integration
def test_a_different_spec_is_refused_on_the_same_folder(searched: Path) -> None:
    spec = write_spec(searched.parent, name="other", budget=6)
    result = outsim("optimise", str(spec), "--out", str(searched), "-q")
    assert result.returncode == 2 and "different sweep" in result.stderr


@pytest.mark.integration
def test_a_pareto_folder_outsim_did_not_write_is_refused_before_any_work(
    searched: Path, tmp_path: Path
) -> None:
    """The plans' folder is replaced at the end of a search: one holding a user's file, or
    a link to the user's own folder, is refused at once and left as it is."""
    spec = searched.parent / "tiny_search.yaml"
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine\n", encoding="utf-8")
    for case in ("file", "link"):
        copy = tmp_path / f"copy_{case}"
        shutil.copytree(searched, copy)
        if case == "file":
            (copy / "pareto" / "notes.txt").write_text("mine\n", encoding="utf-8")
        else:
            shutil.rmtree(copy / "pareto")
            (copy / "pareto").symlink_to(mine, target_is_directory=True)
        before = (copy / "sweep.duckdb").stat().st_mtime_ns
        result = outsim("optimise", str(spec), "--out", str(copy), "-q", cwd=searched.parent)
        assert result.returncode == 2, result.stderr
        assert "pareto" in result.stderr and "outsim" in result.stderr
        assert (copy / "sweep.duckdb").stat().st_mtime_ns == before  # nothing ran
        if case == "file":
            assert (copy / "pareto" / "notes.txt").read_text() == "mine\n"
        else:
            assert (copy / "pareto").is_symlink() and sorted(os.listdir(mine)) == ["notes.txt"]


def test_the_dashboard_saves_only_over_its_own_files(tmp_path: Path) -> None:
    from simulator.dashboard import editing

    data = editing.initial(None)
    own = editing.save(data, str(tmp_path / "plan.yaml"), tmp_path)
    assert own.read_text(encoding="utf-8").startswith(editing.HEADER)
    editing.save(data, str(own), tmp_path)  # its own file: replaced
    foreign = tmp_path / "notes.yaml"
    foreign.write_text("mine\n", encoding="utf-8")
    link = tmp_path / "link.yaml"
    link.symlink_to(own)
    for target, message in (
        (foreign, "was not written by outsim dashboard"),
        (link, "is a symbolic link"),
        (tmp_path / "plan.txt", "expected a file name ending in .yaml"),
        (tmp_path, "outside the dashboard's working folder"),
    ):
        with pytest.raises(ScenarioError, match=message):
            editing.save(data, str(target), tmp_path)
    assert foreign.read_text(encoding="utf-8") == "mine\n" and link.is_symlink()
    assert load_scenario(own) is not None
