"""A region (issue 28): many firms share one labour market; a region of one firm is that
firm alone on its seed; region files load with clear errors."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from simulator.model.model import OutsourcingModel
from simulator.model.region import RegionModel, firm_seed
from simulator.scenario import ScenarioError, scenario_from_dict, scenario_to_dict
from simulator.scenario.region import load_region, region_from_scenarios

from .conftest import shrink, tiny_scenario


def named(scenario, name: str, **economy):
    data = scenario_to_dict(scenario)
    data["simulation"]["name"] = name
    data["local_economy"].update(economy)
    return scenario_from_dict(data)


@pytest.fixture(scope="module")
def firm(default_small):
    return named(shrink(default_small, customers=8000, months=24), "bank")


def test_a_region_of_one_firm_is_that_firm_alone_on_its_seed(firm) -> None:
    region = RegionModel(region_from_scenarios([firm])).run()
    inside = region.firms[0].datacollector.get_model_vars_dataframe()
    alone = OutsourcingModel(firm, seed=firm_seed(firm.simulation.seed, "bank")).run()
    pd.testing.assert_frame_equal(inside, alone.datacollector.get_model_vars_dataframe())
    series = region.datacollector.get_model_vars_dataframe()
    assert len(series) == 24
    assert series["unemployment_rate"].iloc[-1] == pytest.approx(
        inside["local_unemployment_rate"].iloc[-1]
    )


def test_firms_share_one_market_and_crowd_each_other(firm) -> None:
    """Two firms displacing workers into one small labour market: the region's tightness
    falls further, and the first firm's displaced find jobs more slowly, than with the
    first firm alone in the same market."""
    small = {"labour_force": 4000, "vacancy_rate": 0.02}
    a = named(firm, "bank", **small)
    b = named(firm, "telecom", **small)
    alone = RegionModel(region_from_scenarios([a])).run()
    both = RegionModel(region_from_scenarios([a, b])).run()
    one = alone.datacollector.get_model_vars_dataframe()
    two = both.datacollector.get_model_vars_dataframe()
    assert two["displaced"].iloc[-1] > one["displaced"].iloc[-1]
    assert two["tightness"].min() < one["tightness"].min()
    assert two["unemployment_rate"].max() > one["unemployment_rate"].max()
    factor = "displaced_job_finding_factor"
    first_alone = alone.firms[0].datacollector.get_model_vars_dataframe()[factor]
    first_with = both.firms[0].datacollector.get_model_vars_dataframe()[factor]
    assert first_with.min() < first_alone.min()
    assert two["tradable_jobs_lost"].max() > one["tradable_jobs_lost"].max()


def test_a_firms_seed_depends_on_its_name_only() -> None:
    a, b = firm_seed(7, "bank"), firm_seed(7, "bank")
    assert a.generate_state(4).tolist() == b.generate_state(4).tolist()
    assert firm_seed(7, "telecom").generate_state(4).tolist() != a.generate_state(4).tolist()


def write_region(folder: Path, firms: list[dict], **extra) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("bank", "telecom"):
        (folder / f"{name}.yaml").write_text(yaml.safe_dump(tiny_scenario(name, 36)), "utf-8")
    doc = {
        "simulation": {"name": "city", "horizon_months": 24, "seed": 5},
        "local_economy": {"labour_force": 90000},
        "firms": firms,
        **extra,
    }
    path = folder / "city.yaml"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    return path


def test_a_region_file_sets_every_firm_on_its_horizon_seed_and_market(tmp_path) -> None:
    path = write_region(tmp_path, [{"scenario": "bank.yaml"}, {"scenario": "telecom.yaml"}])
    region = load_region(path)
    assert region.names == ["bank", "telecom"]
    for f in region.firms:
        assert f.simulation.horizon_months == 24 and f.simulation.seed == 5
        assert f.local_economy.labour_force == 90000


@pytest.mark.parametrize(
    ("firms", "message"),
    [
        ([{"scenario": "nowhere.yaml"}], "firms.0.scenario:"),
        ([{"scenario": "bank.yaml"}, {"scenario": "bank.yaml"}], "doubled: bank"),
        ([{"scenario": "bank.yaml", "name": "../x"}], "firms.0.name"),
        ([], "a region needs firms"),
    ],
)
def test_a_bad_region_file_is_named_with_the_field(tmp_path, firms, message) -> None:
    path = write_region(tmp_path, firms)
    with pytest.raises(ScenarioError, match="city.yaml") as err:
        load_region(path)
    assert message in str(err.value)


@pytest.mark.integration
def test_outsim_region_writes_series_firms_and_the_bottom_line(tmp_path) -> None:
    import json

    from typer.testing import CliRunner

    from simulator.cli import app

    path = write_region(tmp_path / "in", [{"scenario": "bank.yaml"}, {"scenario": "telecom.yaml"}])
    out = tmp_path / "out"
    res = CliRunner().invoke(app, ["region", str(path), "-n", "2", "--out", str(out)])
    assert res.exit_code == 0, res.output
    series = pd.read_csv(out / "region_timeseries.csv")
    assert len(series) == 2 * 24 and set(series["replication"]) == {0, 1}
    firms = pd.read_csv(out / "firms.csv")
    assert sorted(set(firms["firm"])) == ["bank", "telecom"] and len(firms) == 4
    assert len(pd.read_csv(out / "firms_alone.csv")) == 4
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["bottom_line"].startswith("The 2 firms' plans displace about")
    assert set(summary["by_firm"]) == {"bank", "telecom"}
    assert "crowding_reemployed_share_12m" in summary["by_firm"]["bank"]
    assert "back at work" in res.output.replace("\n", " ")
    from openpyxl import load_workbook

    book = load_workbook(out / "region.xlsx", read_only=True)
    assert book.sheetnames == ["Bottom line", "Firms", "Firms alone", "Monthly (mean)"]
    first = [row for row in book["Bottom line"].iter_rows(values_only=True)]
    assert first[0][0] == summary["bottom_line"]
    assert {"tax_revenue_lost", "public_programme_cost"} <= {r[0] for r in first[3:]}
    assert book["Monthly (mean)"].max_row == 1 + 24


def test_outsim_region_refuses_a_bad_file_and_writes_nothing(tmp_path) -> None:
    from typer.testing import CliRunner

    from simulator.cli import app

    path = write_region(tmp_path / "in", [{"scenario": "nowhere.yaml"}])
    out = tmp_path / "out"
    res = CliRunner().invoke(app, ["region", str(path), "--out", str(out)])
    assert res.exit_code == 2 and "firms.0.scenario" in res.stderr
    assert "Traceback" not in res.stderr and not out.exists()


def test_a_generator_draws_an_industry_from_the_region_seed(tmp_path) -> None:
    """Sizes around the median, customers in proportion, each moving firm's plan shifted by
    a start inside the spread, the same firms for the same seed, names in order."""
    generator = {
        "firms": 12,
        "template": "bank.yaml",
        "name_prefix": "call",
        "headcount_median": 30,
        "headcount_sigma": 0.5,
        "customers_per_agent": 100,
        "start_spread_months": [0, 4],
        "moving_share": 0.5,
    }
    path = write_region(tmp_path, [{"scenario": "telecom.yaml"}], generator=generator)
    region = load_region(path)
    assert region.names == ["telecom"] + [f"call_{i:03d}" for i in range(1, 13)]
    drawn = region.firms[1:]
    sizes = [f.workforce.headcount for f in drawn]
    assert len(set(sizes)) > 3 and min(sizes) >= 5
    assert all(f.customers.count == f.workforce.headcount * 100 for f in drawn)
    template = region.firms[0].plan.phases  # telecom is the same tiny plan, unshifted
    moving = [f for f in drawn if f.plan.phases]
    assert 0 < len(moving) < len(drawn)  # about half move; the others keep the status quo
    for f in moving:
        shift = f.plan.phases[0].month - template[0].month
        assert 0 <= shift <= 4
        assert all(p.month < 24 for p in f.plan.phases)
    again = load_region(path)
    assert [f.model_dump() for f in again.firms] == [f.model_dump() for f in region.firms]


def test_a_generator_with_a_missing_template_is_named(tmp_path) -> None:
    path = write_region(tmp_path, [], generator={"firms": 3, "template": "nowhere.yaml"})
    with pytest.raises(ScenarioError, match="generator.template"):
        load_region(path)


def test_the_shipped_regions_load() -> None:
    from .conftest import SCENARIOS

    four = load_region(SCENARIOS / "regions" / "four_firms.yaml")
    assert four.names == ["example_co", "cost_first", "phased", "onshore"]
    wave = load_region(SCENARIOS / "regions" / "wave_city.yaml")
    assert len(wave.firms) == 12 and wave.local_economy.labour_force == 100000


def test_a_region_refuses_firms_in_different_currencies(firm) -> None:
    """A region sums money across firms (unemployment insurance): one currency only."""
    data = scenario_to_dict(named(firm, "telecom"))
    data["company"]["currency"] = "GBP"
    with pytest.raises(ScenarioError, match=r"different currencies \(GBP, USD\)"):
        region_from_scenarios([firm, scenario_from_dict(data)])
