"""Regional policies (issue 28): staggered timing, rapid response, wage insurance and the
public's tax loss — each with its cost and who pays."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.model.region import RegionModel
from simulator.scenario import ScenarioError, scenario_from_dict, scenario_to_dict
from simulator.scenario.region import load_region, region_from_scenarios
from simulator.scenario.region_policies import RegionPolicies, first_move, stagger
from simulator.scenario.status_quo import status_quo_of

from .conftest import shrink


def named(scenario, name: str, outplacement: bool = False):
    data = scenario_to_dict(scenario)
    data["simulation"]["name"] = name
    data["policies"]["local_jobs"]["outplacement"] = outplacement
    return scenario_from_dict(data)


@pytest.fixture(scope="module")
def firms(default_small):
    firm = shrink(default_small, customers=40_000, months=36)
    return [named(firm, "bank"), named(firm, "telecom")]


def run(firms, **policies) -> tuple[RegionModel, pd.DataFrame]:
    region = region_from_scenarios(
        firms,
        firms[0].simulation,
        firms[0].local_economy.model_copy(update={"labour_force": 20_000}),
        policies=RegionPolicies.model_validate(policies),
    )
    model = RegionModel(region, seed=9).run()
    return model, model.datacollector.get_model_vars_dataframe()


def test_staggering_spreads_the_starts_in_their_planned_order(firms) -> None:
    third = named(firms[0], "utility")
    calm = named(status_quo_of(firms[0]), "shop")
    start = first_move(firms[0])
    assert start is not None
    spread = stagger([firms[0], calm, firms[1], third], gap=6, horizon=36)
    assert [first_move(s) for s in spread] == [start, None, start + 6, start + 12]
    later = spread[2].plan.phases[-1].month - firms[1].plan.phases[-1].month
    assert later == 6  # every phase moved together
    assert stagger(firms, gap=0, horizon=36) == firms
    # pushed past the horizon: the phases after it are left out
    assert all(p.month < 20 for p in stagger(firms, gap=14, horizon=20)[1].plan.phases)


def test_rapid_response_helps_the_laid_off_at_a_public_cost(firms) -> None:
    _, without = run(firms)
    model, with_help = run(firms, rapid_response={"enabled": True, "cost_per_worker": 1000})
    laid_off = sum(int(f.workforce.involuntary.sum()) for f in model.firms)
    assert laid_off > 0
    assert with_help["rapid_response_paid"].sum() == pytest.approx(1000 * laid_off)
    assert (without["rapid_response_paid"] == 0).all()
    # the same layoffs, found work sooner (more person-months back at work)
    assert with_help["displaced"].iloc[-1] == without["displaced"].iloc[-1]
    assert with_help["displaced_reemployed"].sum() > without["displaced_reemployed"].sum()
    # a firm that gives outplacement itself: nobody served, nothing paid
    own = [named(f, f.simulation.name, outplacement=True) for f in firms]
    _, theirs = run(own, rapid_response={"enabled": True})
    assert theirs["rapid_response_paid"].sum() == 0


def test_wage_insurance_tops_up_lower_pay_without_changing_who_works(firms) -> None:
    _, without = run(firms)
    insurance = {"enabled": True, "replacement_rate": 0.5, "cap_per_worker": 3000, "min_age": 16}
    model, insured = run(firms, wage_insurance=insurance)
    pd.testing.assert_series_equal(insured["displaced_reemployed"], without["displaced_reemployed"])
    paid = insured["wage_insurance_paid"]
    assert paid.sum() > 0 and (without["wage_insurance_paid"] == 0).all()
    for received in model.policy.received:  # nobody above the cap
        assert received.max() <= 3000 + 1e-9
    # only those paid less than before receive it, and at most half the gap a month
    for f, received in zip(model.firms, model.policy.received, strict=True):
        wf = f.workforce
        got = received[: wf.n] > 0
        assert (wf.displaced[got]).all()


def test_the_public_loses_taxes_on_lost_pay_and_lost_local_jobs(firms) -> None:
    _, wave = run(firms)
    _, calm = run([named(status_quo_of(f), f.simulation.name) for f in firms])
    assert wave["tax_revenue_lost"].sum() > 0
    assert calm["tax_revenue_lost"].sum() == pytest.approx(0.0, abs=1e-6)
    _, untaxed = run(firms, tax_share_of_pay=0.0)
    assert untaxed["tax_revenue_lost"].sum() == 0


def test_a_region_file_takes_policies_and_names_a_bad_one(tmp_path, default_small) -> None:
    (tmp_path / "bank.yaml").write_text(
        yaml.safe_dump(scenario_to_dict(shrink(default_small, customers=3000, months=24))),
        encoding="utf-8",
    )
    doc = {
        "simulation": {"name": "city", "horizon_months": 24},
        "firms": [{"scenario": "bank.yaml"}],
        "policies": {"staggering": {"min_gap_months": 3}, "wage_insurance": {"enabled": True}},
    }
    (tmp_path / "city.yaml").write_text(yaml.safe_dump(doc), encoding="utf-8")
    region = load_region(tmp_path / "city.yaml")
    assert region.policies.wage_insurance.enabled and region.policies.staggering.min_gap_months == 3
    doc["policies"] = {"wage_insurance": {"replacement_rate": 2}}
    (tmp_path / "city.yaml").write_text(yaml.safe_dump(doc), encoding="utf-8")
    with pytest.raises(ScenarioError, match="policies.wage_insurance.replacement_rate"):
        load_region(tmp_path / "city.yaml")


def _region_file(folder, name: str, firm_file: str, **policies):
    doc = {
        "simulation": {"name": name, "horizon_months": 24, "seed": 4},
        "local_economy": {"labour_force": 20000},
        "firms": [{"scenario": firm_file, "name": "bank"}],
        "policies": policies,
    }
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    return path


def test_outsim_region_compare_measures_a_policy_on_the_same_seeds(tmp_path, default_small) -> None:
    import json

    from typer.testing import CliRunner

    from simulator.cli import app

    firm = named(shrink(default_small, customers=20_000, months=24), "bank")
    (tmp_path / "bank.yaml").write_text(yaml.safe_dump(scenario_to_dict(firm)), encoding="utf-8")
    plain = _region_file(tmp_path, "plain", "bank.yaml")
    helped = _region_file(tmp_path, "helped", "bank.yaml", rapid_response={"enabled": True})
    out = tmp_path / "cmp"
    res = CliRunner().invoke(
        app, ["region-compare", str(plain), str(helped), "-n", "2", "--out", str(out)]
    )
    assert res.exit_code == 0, res.output
    runs = pd.read_csv(out / "runs.csv")
    assert len(runs) == 4 and set(runs["region"]) == {"plain", "helped"}
    # the same seeds: the same layoffs; only the help (and what it buys) differs
    by = runs.pivot(index="replication", columns="region", values="displaced")
    assert (by["plain"] == by["helped"]).all()
    diff = pd.read_csv(out / "differences.csv").set_index("figure")
    assert diff.loc["public_programme_cost", "mean"] > 0
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["bottom_line"].startswith("Against plain, helped:")
    # refused: a single file, or two regions of one name; nothing written
    one = CliRunner().invoke(app, ["region-compare", str(plain), "--out", str(tmp_path / "x")])
    assert one.exit_code == 2 and not (tmp_path / "x").exists()
    same = CliRunner().invoke(
        app, ["region-compare", str(plain), str(plain), "--out", str(tmp_path / "y")]
    )
    assert same.exit_code == 2 and "doubled: plain" in same.output
    assert not (tmp_path / "y").exists()


@settings(max_examples=40, deadline=None)
@given(
    starts=st.lists(st.one_of(st.none(), st.integers(0, 30)), min_size=1, max_size=6),
    gap=st.integers(0, 8),
)
def test_staggering_never_starts_a_plan_earlier_and_keeps_the_gap(starts, gap) -> None:
    """Any planned starts: none starts earlier than planned, the movers keep their order and
    start at least ``gap`` apart, and a firm with no plan keeps none."""
    base = _one_phase_firm()
    firms = [
        status_quo_of(base) if s is None else _starting(base, s, f"f{i}")
        for i, s in enumerate(starts)
    ]
    out = stagger(firms, gap, horizon=240)
    after = [first_move(f) for f in out]
    for s, a in zip(starts, after, strict=True):
        assert (s is None) == (a is None)
        assert s is None or a >= s
    movers = sorted((s, i) for i, s in enumerate(starts) if s is not None)
    began = [after[i] for _, i in movers]
    assert all(b - a >= gap for a, b in zip(began, began[1:], strict=False))


_BASE: list = []


def _one_phase_firm():
    if not _BASE:
        from simulator.scenario import load_scenario

        from .conftest import SCENARIOS

        data = scenario_to_dict(shrink(load_scenario(SCENARIOS / "default.yaml"), 3000, 240))
        data["plan"]["phases"] = data["plan"]["phases"][:1]
        data["plan"]["incidents"] = []
        _BASE.append(scenario_from_dict(data))
    return _BASE[0]


def _starting(base, month: int, name: str):
    data = scenario_to_dict(base)
    data["simulation"]["name"] = name
    data["plan"]["phases"][0]["month"] = month
    return scenario_from_dict(data)
