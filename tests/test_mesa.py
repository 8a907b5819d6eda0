"""The model as Mesa's own tools use it: defaults, keyword overrides, seeds, batch_run,
stepping past the horizon, agents that step through AgentSets, agent reporters."""

from __future__ import annotations

import mesa
import numpy as np
import pandas as pd
import pytest

import simulator
from simulator.model.company import Company
from simulator.model.model import OutsourcingModel
from simulator.model.vendors import Vendor
from simulator.scenario import ScenarioError, load_scenario
from simulator.scenario.overrides import field_path, with_overrides

from .conftest import SCENARIOS

SMALL = {"horizon_months": 12, "count": 2000}  # customers.count: a quick run


def series(model: OutsourcingModel) -> pd.DataFrame:
    return model.datacollector.get_model_vars_dataframe()


def test_every_argument_has_a_default() -> None:
    model = OutsourcingModel()
    assert model.scenario == load_scenario(SCENARIOS / "default.yaml")
    model.step()
    assert model.month == 1 and len(series(model)) == 1


def test_overrides_by_name_and_by_path() -> None:
    a = OutsourcingModel(employee_notice_months=5, **SMALL, seed=1)
    b = OutsourcingModel(policies__transparency__employee_notice_months=5, **SMALL, seed=1)
    assert a.scenario.policies.transparency.employee_notice_months == 5
    assert a.scenario == b.scenario
    c = OutsourcingModel(vendors__manila__wage_ratio=1.2, seed=1, **SMALL)
    assert c.scenario.vendors[0].wage_ratio == pytest.approx(1.2)
    # a shorter horizon leaves out the plan's later phases
    assert [p.month for p in a.scenario.plan.phases] == [6]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"employee_notice_months": 2.5}, "employee_notice_months: expected a whole number"),
        ({"employee_notice": 2}, "employee_notice: no scenario field of that name"),
        ({"wage_ratio": 1.1}, "several scenario fields have that name"),
        ({"disclose_outsourcing": 1}, "expected true or false"),
        ({"employee_notice_months": 99}, "employee_notice_months"),
        ({"vendors__lima__wage_ratio": 1.0}, "vendors has no item 'lima'"),
    ],
)
def test_bad_overrides_say_which_field_and_what_was_expected(overrides, message) -> None:
    with pytest.raises(ScenarioError, match=message.replace("(", r"\(")) as info:
        OutsourcingModel(**overrides)
    assert str(info.value).startswith("overrides: ")


def test_lossless_coercion_and_the_public_helper() -> None:
    base = load_scenario(SCENARIOS / "default.yaml")
    changed = simulator.with_overrides(
        base, {"policies.transparency.employee_notice_months": 4.0, "customers.count": 5000}
    )
    assert changed.policies.transparency.employee_notice_months == 4
    assert isinstance(changed.policies.transparency.employee_notice_months, int)
    assert with_overrides(base, {}) is base
    assert field_path("headcount") == "workforce.headcount"
    assert field_path("plan__phases__0__shares__manila") == "plan.phases.0.shares.manila"


def test_seeds_fresh_fixed_and_from_a_generator() -> None:
    a, b = OutsourcingModel(**SMALL), OutsourcingModel(**SMALL)
    assert a.root_seed != b.root_seed  # fresh entropy per instance
    one = series(OutsourcingModel(**SMALL, seed=7).run())
    two = series(OutsourcingModel(**SMALL, rng=7).run())
    pd.testing.assert_frame_equal(one, two)
    again = OutsourcingModel(**SMALL, rng=np.random.default_rng(3))
    assert again.root_seed == OutsourcingModel(**SMALL, rng=np.random.default_rng(3)).root_seed
    with pytest.raises(ValueError, match="seed or rng, not both"):
        OutsourcingModel(seed=1, rng=1)


def test_stepping_past_the_horizon_does_nothing() -> None:
    model = OutsourcingModel(**SMALL, seed=2).run()
    assert not model.running and model.month == 12
    before = series(model).copy()
    model.step()
    model.step()
    assert model.month == 12 and not model.running
    pd.testing.assert_frame_equal(series(model), before)


def test_batch_run_sweeps_keywords_and_iterations_differ() -> None:
    runs = pd.DataFrame(
        mesa.batch_run(
            OutsourcingModel,
            parameters={"employee_notice_months": [0, 4], **SMALL},
            iterations=2,
            display_progress=False,
        )
    )
    assert len(runs) == 4 and set(runs["employee_notice_months"]) == {0, 4}
    assert (runs["Step"] == 11).all()  # the last month of a 12-month horizon
    first = runs[runs["employee_notice_months"] == 0]
    assert first["csat"].nunique() == 2  # two iterations, two different seeds


def test_batch_run_with_a_whole_scenario() -> None:
    small = simulator.with_overrides(
        load_scenario(SCENARIOS / "default.yaml"),
        {"simulation.horizon_months": 12, "customers.count": 2000},
    )
    runs = mesa.batch_run(
        OutsourcingModel, parameters={"scenario": [small]}, iterations=2, display_progress=False
    )
    assert len(runs) == 2 and runs[0]["Step"] == 11
    with pytest.raises(ScenarioError, match=r"in a list\) or the scenario file's path"):
        mesa.batch_run(OutsourcingModel, parameters={"scenario": small}, display_progress=False)


def test_company_and_vendors_step_through_their_agentsets() -> None:
    model = OutsourcingModel(**SMALL, seed=4)
    assert len(model.agents_by_type[Company]) == 1
    vendors = model.agents_by_type[Vendor]
    assert [v.name for v in vendors] == ["manila", "bogota"]
    calls: list[str] = []
    for v in vendors:
        v.learn = lambda v=v: calls.append(v.name)  # instance attribute: seen by step()
    model.step()
    assert calls == ["manila", "bogota"]


def test_agent_reporters_on_request() -> None:
    quiet = OutsourcingModel(**SMALL, seed=1).run()
    assert not quiet.datacollector.agent_reporters  # off by default: nothing recorded
    model = OutsourcingModel(**SMALL, seed=1, collect_agents=True).run()
    agents = model.datacollector.get_agent_vars_dataframe()
    employees = agents[agents["kind"] == "Employee"]
    staff = agents[agents["kind"] == "VendorAgent"]
    assert len(employees) == 12 * model.workforce.n
    assert set(employees["state"]) >= {"in_house"} and employees["earnings"].notna().all()
    assert len(staff) and staff["wellbeing"].between(0, 1).all()
    assert (staff["wage_per_hour"] > 0).all() and staff["state"].isna().all()
    # the model's own series do not change when agents are recorded
    pd.testing.assert_frame_equal(series(quiet), series(model))


def test_simulator_run_takes_overrides() -> None:
    base = load_scenario(SCENARIOS / "default.yaml")
    results = simulator.run(
        base,
        replications=1,
        seed=1,
        status_quo=False,
        workers=1,
        overrides={"customers.count": 2000, "simulation.horizon_months": 12},
    )
    assert results.scenario.customers.count == 2000


@pytest.mark.integration
def test_an_unguarded_script_can_sweep(tmp_path) -> None:
    """Importing mesa selects 'spawn': worker processes would run a script's top-level code
    again. A script without ``if __name__ == "__main__":`` still sweeps (worker
    subprocesses that never import it)."""
    import subprocess
    import sys

    import yaml

    from .test_sweep import TINY

    (tmp_path / "tiny.yaml").write_text(yaml.safe_dump(TINY), encoding="utf-8")
    spec = {
        "base": "tiny.yaml",
        "sampler": "grid",
        "replications": 2,
        "seed": 3,
        "parameters": {"policies.transparency.employee_notice_months": {"levels": [0, 4]}},
        "outputs": ["csat_mean"],
    }
    (tmp_path / "spec.yaml").write_text(yaml.safe_dump(spec), encoding="utf-8")
    script = tmp_path / "plain.py"
    script.write_text(
        "from simulator import sweep\n\n"
        'runs = sweep.run("spec.yaml", out="out", workers=2)\n'
        'print("runs", len(runs), sorted(set(runs["status"])))\n',
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "runs 4 ['ok']" in done.stdout


def test_the_guard_is_recognised(tmp_path) -> None:
    import subprocess
    import sys

    script = tmp_path / "guarded.py"
    script.write_text(
        "from simulator.analysis.parallel import unguarded_script\n"
        "print('top', unguarded_script() is not None)\n"
        "def main():\n"
        "    print('inside', unguarded_script() is not None)\n"
        'if "__main__" == __name__:\n'
        "    main()\n",
        encoding="utf-8",
    )
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True)
    assert done.stdout.split() == ["top", "True", "inside", "False"], done.stderr


@pytest.mark.integration
def test_the_readme_mesa_snippets_run_as_plain_scripts(tmp_path) -> None:
    """The README's snippets for Mesa users and overrides, pasted into a file as they are."""
    import re
    import subprocess
    import sys

    from .conftest import ROOT

    blocks = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(), re.S)
    wanted = [b for b in blocks if "mesa.batch_run" in b or "with_overrides(base" in b]
    assert len(wanted) == 2
    for k, block in enumerate(wanted):
        script = tmp_path / f"snippet_{k}.py"
        script.write_text(block.replace("replications=10", "replications=2"), encoding="utf-8")
        done = subprocess.run(
            [sys.executable, str(script)], cwd=ROOT, capture_output=True, text=True, timeout=600
        )
        assert done.returncode == 0, done.stderr[-2000:]


def test_mesas_internals_are_touched_in_one_place(monkeypatch: pytest.MonkeyPatch) -> None:
    """``mesa_compat.forget_model`` drops Mesa 3.3's class-level reference to a released
    model (projectmesa/mesa#3179); on a Mesa without that registry it does nothing. No other
    module uses a private Mesa name."""
    import ast
    import gc
    import weakref

    from simulator.model import mesa_compat

    model = OutsourcingModel(seed=1, **SMALL)
    registry = getattr(mesa.Agent, "_ids", None)
    if registry is not None:
        assert model in registry
    ref = weakref.ref(model)
    model.release()
    if registry is not None:
        assert all(m is not ref() for m in registry)
    del model
    gc.collect()
    assert ref() is None  # nothing keeps the finished model alive
    other = OutsourcingModel(seed=2, **SMALL)
    monkeypatch.delattr(mesa.Agent, "_ids", raising=False)
    mesa_compat.forget_model(other)  # without the registry: a no-op, no error

    package = SCENARIOS.parent / "simulator"
    for path in package.rglob("*.py"):
        if path.name == "mesa_compat.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr.startswith("_"):
                base = ast.unparse(node.value)
                assert not base.startswith("mesa"), f"{path}: {ast.unparse(node)}"
