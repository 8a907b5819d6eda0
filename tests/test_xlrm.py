"""Every scenario field is a lever, an uncertainty or a constant (the XLRM frame)."""

from __future__ import annotations

import json
import subprocess

import pytest

from simulator.scenario import xlrm
from simulator.scenario.schema import Scenario

from .conftest import BIN


def test_every_field_is_classified_once_and_the_registry_names_only_fields() -> None:
    assert xlrm.unclassified() == []
    fields = xlrm.inputs()
    assert len(fields) == len(xlrm.REGISTRY) == len({f.path for f in fields})
    assert {f.dimension for f in fields} <= set(xlrm.DIMENSIONS)


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("plan.phases[].shares", "lever"),
        ("policies.transparency.employee_notice_months", "lever"),
        ("policies.vendor_staff.wage_floor_ratio", "lever"),
        ("policies.local_jobs.retraining.capacity_per_month", "lever"),
        ("vendors[].service_level_target", "lever"),  # the contract fixes it
        ("vendors[].wage_ratio", "uncertainty"),  # the vendor's own pay: not the company's
        ("local_economy.baseline_unemployment_rate", "uncertainty"),
        ("customers.trust_churn_elasticity", "uncertainty"),
        ("costs.breach_cost_per_record", "uncertainty"),
        ("simulation.seed", "constant"),
        ("workforce.headcount", "constant"),
    ],
)
def test_decisions_and_uncertainties_are_told_apart(path: str, kind: str) -> None:
    assert xlrm.REGISTRY[path][0] == kind


def test_units_bounds_options_and_defaults_come_from_the_schema() -> None:
    by_path = {f.path: f for f in xlrm.inputs()}
    notice = by_path["policies.transparency.employee_notice_months"]
    assert (notice.unit, notice.low, notice.high, notice.default) == ("months", 0, 24, 0)
    assert by_path["policies.privacy.encryption"].options == (False, True)
    assert by_path["policies.privacy.regime"].options == ("gdpr", "hipaa", "ccpa", "none")
    assert by_path["vendors[].location"].options == ("onshore", "nearshore", "offshore")
    assert xlrm.span(notice) == "0 – 24" and xlrm.shown(True) == "yes"
    assert [f.kind for f in xlrm.inputs(xlrm.Kind.lever)] == ["lever"] * len(
        [p for p, (k, _) in xlrm.REGISTRY.items() if k == "lever"]
    )


def test_the_json_schema_marks_every_field() -> None:
    schema = xlrm.json_schema()
    marked = [
        prop
        for holder in [schema, *schema["$defs"].values()]
        for prop in holder.get("properties", {}).values()
        if "x-kind" in prop
    ]
    assert len(marked) == len(xlrm.REGISTRY)
    plain = Scenario.model_json_schema()  # the marks add keys, change nothing else
    vendor = schema["$defs"]["Vendor"]["properties"]["wage_ratio"]
    assert vendor.pop("x-kind") == "uncertainty" and vendor.pop("x-dimension") == "fair_treatment"
    assert vendor == plain["$defs"]["Vendor"]["properties"]["wage_ratio"]


@pytest.mark.integration
def test_outsim_schema_lists_levers_and_uncertainties(tmp_path) -> None:
    def outsim(*args: str) -> subprocess.CompletedProcess[str]:
        cmd = [str(BIN / "outsim"), "schema", *args]
        env = {"COLUMNS": "120"}
        return subprocess.run(
            cmd, capture_output=True, text=True, cwd=tmp_path, env=env, timeout=60
        )

    levers = outsim("--levers")
    assert levers.returncode == 0, levers.stderr
    assert "policies.vendor_staff.wage_floor_ratio" in levers.stdout
    assert "local_economy.baseline_unemployment_rate" not in levers.stdout
    assert "Fair treatment of vendor staff" in levers.stdout and "0 – 3" in levers.stdout
    both = outsim("--levers", "--uncertainties")
    assert "local_economy.baseline_unemployment_rate" in both.stdout
    assert "Uncertainties of a scenario" in both.stdout
    plain = outsim()
    assert json.loads(plain.stdout)["$defs"]["Privacy"]["properties"]["encryption"]["x-kind"] == (
        "lever"
    )


def test_concrete_paths_find_their_registry_entry() -> None:
    assert xlrm.pattern("vendors.manila.wage_ratio") == "vendors[].wage_ratio"
    assert xlrm.pattern("plan.phases.0.shares.manila") == "plan.phases[].shares"
    assert xlrm.unit_of("local_economy.baseline_unemployment_rate") == "share"
    assert xlrm.unit_of("vendors.bogota.price_per_agent_hour") == "USD/hour"
    assert xlrm.unit_of("no.such.field") == ""
