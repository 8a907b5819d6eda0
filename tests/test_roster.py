"""Bring your own company: a roster and a region file into the model, bad rosters refused
with file, row and column, layoff rules, and who bears the plan in the outputs."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import simulator
from simulator.model.model import OutsourcingModel
from simulator.scenario import ScenarioError, load_scenario

from .conftest import BIN, ROOT

ACME = ROOT / "scenarios" / "examples" / "acme"
ROSTER = pd.DataFrame(
    {
        "id": [f"x{i}" for i in range(30)],
        "site": ["north"] * 18 + ["south"] * 12,
        "age": [20 + i for i in range(30)],
        "tenure_years": [0.5 * i for i in range(30)],
        "wage_per_hour": [15 + 0.25 * i for i in range(30)],
        "paid_hours_per_month": [100 if i % 5 == 0 else 160 for i in range(30)],
        "protected": ["yes" if i in (20, 21) else "no" for i in range(30)],
    }
)


def scenario_file(folder: Path, roster: str = "roster.csv", **plan) -> Path:
    data = {
        "extends": str(ROOT / "scenarios" / "default.yaml"),
        "simulation": {"name": "own_company", "horizon_months": 36},
        "customers": {"count": 3000},
        "local_economy": {"labour_force": 30000},
        "workforce": {"roster": roster, "paid_hours_per_month": 160},
        "plan": plan,
    }
    path = folder / "company.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_a_roster_becomes_the_workforce(tmp_path: Path) -> None:
    ROSTER.to_csv(tmp_path / "roster.csv", index=False)
    scenario = load_scenario(scenario_file(tmp_path))
    assert scenario.workforce.headcount == 30
    wf = OutsourcingModel(scenario, seed=1).workforce
    np.testing.assert_allclose(wf.age, ROSTER["age"])
    np.testing.assert_allclose(wf.tenure, ROSTER["tenure_years"])
    np.testing.assert_allclose(wf.wage, ROSTER["wage_per_hour"] * ROSTER["paid_hours_per_month"])
    assert list(wf.site) == list(ROSTER["site"])
    assert wf.protected.sum() == 2


def test_an_xlsx_roster_gives_the_same_run_as_csv(tmp_path: Path) -> None:
    (tmp_path / "csv").mkdir()
    (tmp_path / "xlsx").mkdir()
    ROSTER.to_csv(tmp_path / "csv" / "roster.csv", index=False)
    ROSTER.to_excel(tmp_path / "xlsx" / "roster.xlsx", index=False)
    a = load_scenario(scenario_file(tmp_path / "csv"))
    b = load_scenario(scenario_file(tmp_path / "xlsx", roster="roster.xlsx"))
    assert a.workforce.roster_rows == b.workforce.roster_rows
    run = [simulator.run(s, replications=1, seed=3, workers=1, status_quo=False) for s in (a, b)]
    pd.testing.assert_frame_equal(run[0].timeseries, run[1].timeseries)


@pytest.mark.integration
@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda t: t.rename(columns={"age": "years"}), "unknown column 'years'"),
        (lambda t: t.drop(columns=["tenure_years"]), "no column 'tenure_years'"),
        (
            lambda t: t.assign(age=t["age"].where(t.index != 3, 12)),
            "line 5: age: Input should be greater than or equal to 16 (got 12.0)",
        ),
        (
            lambda t: t.assign(wage_per_hour=t["wage_per_hour"].where(t.index != 0, -2)),
            "line 2: wage_per_hour: Input should be greater than or equal to 0.5",
        ),
        (
            lambda t: t.assign(age=t["age"].astype(object).where(t.index != 5, "")),
            "line 7: age: missing; expected a value",
        ),
        (lambda t: t.assign(id=["dup"] * 30), "line 3: id: 'dup' repeats line 2"),
        (lambda t: t.assign(protected=["maybe"] * 30), "line 2: protected: expected yes or no"),
        (
            lambda t: t.assign(tenure_years=t["tenure_years"].where(t.index != 0, 30.0)),
            "line 2: tenure_years: 30 years at age 20; expected at most age − 14",
        ),
        (lambda t: t.iloc[0:0], "no agents (only a header)"),
    ],
)
def test_bad_rosters_name_file_row_and_column(tmp_path: Path, change, expected) -> None:
    change(ROSTER.copy()).to_csv(tmp_path / "roster.csv", index=False)
    path = scenario_file(tmp_path)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    message = str(info.value)
    assert str(tmp_path / "roster.csv") in message and expected in message, message
    done = subprocess.run(
        [str(BIN / "outsim"), "run", str(path), "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2 and expected in " ".join(done.stderr.split())
    assert not (tmp_path / "out").exists()


def test_headcount_and_a_missing_roster(tmp_path: Path) -> None:
    ROSTER.to_csv(tmp_path / "roster.csv", index=False)
    path = scenario_file(tmp_path)
    data = yaml.safe_load(path.read_text())
    data["workforce"]["headcount"] = 99
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(ScenarioError, match="headcount is 99 but the roster has 30 agents"):
        load_scenario(path)
    with pytest.raises(ScenarioError, match="file not found"):
        load_scenario(scenario_file(tmp_path, roster="nowhere.csv"))


def displaced_of(scenario) -> np.ndarray:
    model = OutsourcingModel(scenario, seed=2).run()
    return model.workforce.displaced_month >= 0


@pytest.mark.parametrize("rule", ["reverse_tenure", "by_site"])
def test_layoff_rules_choose_who_goes(tmp_path: Path, rule: str) -> None:
    ROSTER.to_csv(tmp_path / "roster.csv", index=False)
    plan = {"layoff_rule": rule}
    if rule == "by_site":
        plan["layoff_site_order"] = ["south", "north"]
    gone = displaced_of(load_scenario(scenario_file(tmp_path, **plan)))
    assert 0 < gone.sum() < 30  # the default plan redeploys nobody
    if rule == "reverse_tenure":  # the shortest-tenured go (those who quit first aside)
        assert ROSTER["tenure_years"][gone].max() <= ROSTER["tenure_years"][~gone].max()
        assert ROSTER["tenure_years"][gone].mean() < ROSTER["tenure_years"][~gone].mean()
    else:
        south = (ROSTER["site"] == "south").to_numpy()
        assert gone[south].mean() > gone[~south].mean()
    assert not gone[[20, 21]].any()  # protected agents go last


def test_unknown_site_in_the_layoff_order(tmp_path: Path) -> None:
    ROSTER.to_csv(tmp_path / "roster.csv", index=False)
    path = scenario_file(tmp_path, layoff_rule="by_site", layoff_site_order=["east"])
    with pytest.raises(ScenarioError, match="names site 'east', which no roster row has"):
        load_scenario(path)


def test_a_region_file_sets_the_labour_market(tmp_path: Path) -> None:
    (tmp_path / "region.yaml").write_text(
        "labour_force: 80000\nbaseline_unemployment_rate: 0.07\nvacancy_rate: 0.02\n"
        "average_wage_month: 3100\nsource: test\n",
        encoding="utf-8",
    )
    data = {
        "extends": str(ROOT / "scenarios" / "default.yaml"),
        "local_economy": {"region_file": "region.yaml"},
    }
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(data))
    le = load_scenario(path).local_economy
    assert (le.labour_force, le.baseline_unemployment_rate, le.vacancy_rate) == (80000, 0.07, 0.02)
    data["local_economy"]["vacancy_rate"] = 0.05
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(ScenarioError, match="vacancy_rate is 0.05 here but 0.02 in region_file"):
        load_scenario(path)
    (tmp_path / "region.yaml").write_text("labour: 1\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="labour: unknown field"):
        load_scenario(path)


@pytest.mark.integration
def test_the_example_company_and_who_bears_the_plan(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            str(BIN / "outsim"),
            "run",
            str(ACME / "scenario.yaml"),
            "-n",
            "2",
            "--no-safeguards",
            "--no-swing",  # a region file's value swung: tests/test_swing.py
            "--uncertainty",
            "none",
            "--workers",
            "1",
            "--out",
            str(tmp_path / "acme"),
            "-q",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    groups = pd.read_csv(tmp_path / "acme" / "groups.csv")
    sites = groups[groups["grouping"] == "site"].set_index("group")
    # Swansea goes first: most of its staff are laid off (some of those given notice quit
    # or move to a new job first, and are not counted as displaced), Leeds' far fewer
    swansea, leeds = sites.loc["swansea", "displaced_share"], sites.loc["leeds", "displaced_share"]
    assert swansea > 0.6 and swansea > 3 * leeds
    assert groups.groupby("grouping")["staff_at_start"].sum().eq(180).all()
    summary = json.loads((tmp_path / "acme" / "summary.json").read_text())
    assert len(summary["groups"]) == len(groups)
    html = (tmp_path / "acme" / "report.html").read_text()
    assert 'id="groups-table"' in html and "swansea" in html and "A0001" not in html
    assert (tmp_path / "acme" / "plots" / "demand.png").exists()  # history and forecast
    from openpyxl import load_workbook

    sheet = load_workbook(tmp_path / "acme" / "results.xlsx")["Who is affected"]
    assert sheet.max_row == len(groups) + 1
    assert load_scenario(ACME / "scenario.yaml").local_economy.vacancy_rate == 0.031
    # the shipped xlsx roster holds the same agents as the csv one
    csv = load_scenario(ACME / "scenario.yaml").workforce.roster_rows
    data = yaml.safe_load((ACME / "scenario.yaml").read_text())
    data["workforce"]["roster"] = str(ACME / "roster.xlsx")
    data["local_economy"]["region_file"] = str(ACME / "region.yaml")
    data["customers"]["volumes"] = str(ACME / "volumes.csv")
    (tmp_path / "acme_xlsx.yaml").write_text(yaml.safe_dump(data))
    assert load_scenario(tmp_path / "acme_xlsx.yaml").workforce.roster_rows == csv


def volumes_scenario(folder: Path, table: pd.DataFrame) -> Path:
    table.to_csv(folder / "volumes.csv", index=False)
    data = {
        "extends": str(ROOT / "scenarios" / "status_quo.yaml"),
        "simulation": {"name": "volumes", "horizon_months": 24},
        "customers": {"count": 20000, "contacts_per_customer_month": 0.8, "volumes": "volumes.csv"},
    }
    path = folder / "volumes.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_contacts_follow_the_forecast_of_the_history(tmp_path: Path) -> None:
    from simulator.model.demand import forecast

    months = pd.period_range("2024-01", periods=30, freq="M").astype(str)
    t = np.arange(30)
    contacts = 16000 * (1 + 0.15 * np.sin(2 * np.pi * t / 12))
    scenario = load_scenario(
        volumes_scenario(tmp_path, pd.DataFrame({"month": months, "contacts": contacts.round()}))
    )
    assert scenario.customers.volume_history == list(contacts.round())
    ahead = forecast(tuple(scenario.customers.volume_history), 24)
    np.testing.assert_allclose(ahead[:12], ahead[12:], rtol=0.05)  # the season repeats
    model = OutsourcingModel(scenario, seed=1).run()
    ts = model.datacollector.get_model_vars_dataframe()
    # per customer at the start of the month (a breach or churn may shrink the base)
    customers = np.concatenate([[20000], ts["customers_active"].to_numpy()[:-1]])
    per_customer = ts["issues"].to_numpy() / customers * 20000
    np.testing.assert_allclose(per_customer[:12], ahead[:12], rtol=0.05)


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        (
            pd.DataFrame(
                {
                    "month": ["2024-01", "2024-03", "2024-04", "2024-05", "2024-06", "2024-07"],
                    "contacts": [1] * 6,
                }
            ),
            "line 3: month: follows 2024-01 with 2024-03; expected consecutive months",
        ),
        (
            pd.DataFrame(
                {"month": [f"2024-0{i}" for i in range(1, 8)], "contacts": [5, 5, -1, 5, 5, 5, 5]}
            ),
            "line 4: contacts: expected a number",
        ),
        (
            pd.DataFrame({"month": ["2024-01", "2024-02"], "contacts": [3, 4]}),
            "2 months of contacts; expected at least 6",
        ),
        (pd.DataFrame({"month": ["2024-01"], "calls": [3]}), "unknown column 'calls'"),
    ],
)
def test_bad_volumes_say_what_is_wrong(tmp_path: Path, table, expected) -> None:
    with pytest.raises(ScenarioError) as info:
        load_scenario(volumes_scenario(tmp_path, table))
    assert expected in str(info.value) and "volumes.csv" in str(info.value)
