"""The dashboard shows the figures as the reports do (issue 23): levers named with what they
belong to, shares as percentages, no row numbers in the KPI table."""

from __future__ import annotations

import pytest

from simulator.dashboard import editing
from simulator.model.model import OutsourcingModel
from simulator.scenario import load_scenario, scenario_to_dict

from .conftest import SCENARIOS, shrink


@pytest.mark.parametrize(
    ("path", "label"),
    [
        ("policies.local_jobs.retraining.capacity_per_month", "retraining: capacity per month"),
        (
            "policies.local_jobs.community_investment.focus.skills",
            "community investment focus: skills",
        ),
        ("policies.transparency.employee_notice_months", "employee notice months"),
        ("vendors.manila.wage_ratio", "manila: wage ratio"),
        ("company.service_level_target", "company: service level target"),
        ("plan.announcement_lead_months", "plan: announcement lead months"),
    ],
)
def test_each_lever_says_what_it_belongs_to(path: str, label: str) -> None:
    assert editing.lever_label(path) == label


def test_every_lever_of_the_default_has_a_distinct_label() -> None:
    data = scenario_to_dict(load_scenario(SCENARIOS / "default.yaml"))
    labels = [c.label for group in editing.controls(data).values() for c in group]
    assert len(labels) == len(set(labels)) > 20


def test_the_step_view_shows_unemployment_in_percent() -> None:
    model = OutsourcingModel(shrink(load_scenario(SCENARIOS / "default.yaml"), 3000, 6), seed=1)
    model.step()
    frame = editing.step_frame(model)
    raw = model.datacollector.get_model_vars_dataframe()["local_unemployment_rate"]
    assert frame["local_unemployment_rate"].iloc[0] == pytest.approx(100 * raw.iloc[0])
    assert 1.0 < frame["local_unemployment_rate"].iloc[0] < 20.0  # 4.5, not 0.045


def test_every_lever_shows_a_value_a_contract_left_unset_shows_the_standard() -> None:
    data = scenario_to_dict(load_scenario(SCENARIOS / "default.yaml"))
    for group in editing.controls(data).values():
        for control in group:
            assert editing.lever_value(data, control.path) is not None, control.path
    target = editing.lever_value(data, "vendors.manila.service_level_target")
    assert target == data["company"]["service_level_target"]
