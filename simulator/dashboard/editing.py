"""What the dashboard edits, without the web page: the levers as controls, grouped by the
five ethical dimensions (and the plan), a scenario's phases, runs and step-by-step models,
and saving a scenario as YAML that ``outsim run`` accepts.

Everything here works on the plain-data form of a scenario (``scenario_to_dict``) and is
validated like a scenario file; the page (``app.py``) only draws it.
"""

from __future__ import annotations

import copy
import math
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from simulator.scenario import (
    Scenario,
    ScenarioError,
    default_scenario_path,
    dump_scenario_yaml,
    load_scenario,
    scenario_from_dict,
    scenario_to_dict,
    xlrm,
)
from simulator.scenario.paths import value_at, with_values

HEADER = "# Scenario written by outsim dashboard; run it with `outsim run <this file>`\n"
ORDER = ("plan", "transparency", "privacy", "fair_treatment", "communication", "local_jobs")
SLIDER_SPAN = 1_000  # wider ranges get a number box, not a slider
HEADLINE_FIGURES = ("compare_costs", "compare_workforce", "compare_customers", "compare_vendor")


@dataclass(frozen=True)
class Control:
    """One lever as the page shows it."""

    path: str  # concrete: vendors.manila.service_level_target
    label: str
    help: str
    unit: str
    kind: str  # bool, int, float or choice
    low: float | None
    high: float | None
    options: tuple[Any, ...]

    @property
    def slider_range(self) -> tuple[float, float] | None:
        """(low, high) of a number shown as a slider (bounded, and a narrow range); None
        for any other lever."""
        if (
            self.kind in ("int", "float")
            and self.low is not None
            and self.high is not None
            and self.high - self.low <= SLIDER_SPAN
        ):
            return self.low, self.high
        return None

    @property
    def step(self) -> float:
        if self.kind == "int":
            return 1
        span = (self.high or 1.0) - (self.low or 0.0)
        return 10 ** math.floor(math.log10(span / 100)) if span > 0 else 0.01


def shown(control: Control, value: Any) -> str:
    """A lever's value as the page labels it: ``35%``, ``2 months``, ``yes``."""
    if control.kind == "bool":
        return "yes" if value else "no"
    if control.kind == "choice":
        return str(value)
    if control.kind == "list":
        return ", ".join(map(str, value)) or "(none)"
    if control.unit.startswith("share") and isinstance(value, float):
        return f"{100 * value:.0f}%"
    text = xlrm.shown(round(value, 3) if isinstance(value, float) else value)
    unit = control.unit
    return f"{text} {unit}" if unit and not unit.startswith(("index", "ratio")) else text


def _kind(value: Any, options: tuple[Any, ...]) -> str:
    if isinstance(value, list):
        return "list"
    if isinstance(value, bool):
        return "bool"
    if options:
        return "choice"
    return "int" if isinstance(value, int) else "float"


def lever_value(data: dict[str, Any], path: str) -> Any:
    """A lever's value as the page shows and edits it: a vendor contract's service level
    left unset follows the company's standard, so it shows that."""
    value = value_at(data, path)
    if value is None and path.startswith("vendors."):
        value = data.get("company", {}).get(path.rsplit(".", 1)[-1])
    return value


def lever_label(path: str) -> str:
    """A lever named with what it belongs to: ``retraining: capacity per month``,
    ``manila: wage ratio``, ``company: service level target`` (a policy section's own
    levers are grouped under it on the page, so they need no prefix)."""
    parts = path.split(".")
    field = parts[-1].replace("_", " ")
    if parts[0] == "vendors":
        owner = parts[1]
    elif parts[0] == "policies":
        owner = " ".join(p.replace("_", " ") for p in parts[2:-1])
    else:
        owner = " ".join(p.replace("_", " ") for p in parts[:-1])
    return f"{owner}: {field}" if owner else field


def controls(data: dict[str, Any]) -> dict[str, list[Control]]:
    """Every lever of the scenario ``data`` (but the phases) as a control, by dimension."""
    out: dict[str, list[Control]] = {d: [] for d in ORDER}
    vendors = [v["name"] for v in data["vendors"]]
    for path, field in xlrm.concrete(xlrm.Kind.lever, vendors):  # phases: edited as phases
        value = lever_value(data, path)
        name = lever_label(path)
        out.setdefault(field.dimension, []).append(
            Control(
                path,
                name,
                field.description,
                field.unit,
                _kind(value, field.options),
                field.low,
                field.high,
                field.options,
            )
        )
    return out


def change(data: dict[str, Any], path: str, value: Any) -> tuple[dict[str, Any], str | None]:
    """``data`` with ``path`` set, and the problem if the scenario is then invalid (the
    edit is kept so the user can go on editing)."""
    new = with_values(data, {path: value})
    return new, problem(new)


def problem(data: dict[str, Any]) -> str | None:
    """What is wrong with the scenario ``data`` (None: nothing)."""
    try:
        scenario_from_dict(copy.deepcopy(data), "scenario")
    except ScenarioError as exc:
        return str(exc)
    return None


# -- phases ----------------------------------------------------------------------------------
def add_phase(data: dict[str, Any]) -> dict[str, Any]:
    """A new last phase, six months after the last one, with its shares."""
    new = copy.deepcopy(data)
    phases = new["plan"]["phases"]
    last: dict[str, Any] = phases[-1] if phases else {"month": 0, "ramp_months": 3, "shares": {}}
    horizon = new["simulation"]["horizon_months"]
    month = min(last["month"] + 6, horizon - 1) if phases else 6
    phases.append(
        {"month": month, "ramp_months": last["ramp_months"], "shares": dict(last["shares"])}
    )
    return new


def remove_phase(data: dict[str, Any], index: int) -> dict[str, Any]:
    new = copy.deepcopy(data)
    del new["plan"]["phases"][index]
    return new


# -- files -----------------------------------------------------------------------------------
WORKDIR_ENV = "OUTSIM_DASHBOARD_WORKDIR"


def workdir() -> Path:
    """The folder the dashboard saves into and loads from: ``outsim dashboard --workdir``
    (passed in ``OUTSIM_DASHBOARD_WORKDIR``), else the folder it was started in."""
    return Path(os.environ.get(WORKDIR_ENV) or os.getcwd()).resolve()


def confine(path: str, root: Path | None = None) -> Path:
    """``path`` (relative to ``root``, the working folder, or absolute) as an absolute path
    inside ``root``, with every symbolic link resolved; ScenarioError for a path that is
    empty, holds a control character, is the working folder itself or leads outside it
    (``..``, an absolute path elsewhere, a link pointing out)."""
    base = (root or workdir()).resolve()
    shown = repr(path[:80]) if any(ord(c) < 32 or ord(c) == 127 for c in path) else path[:200]
    if not path.strip():
        raise ScenarioError("no file name given; expected a .yaml file in " + str(base))
    if any(ord(c) < 32 or ord(c) == 127 for c in path):
        raise ScenarioError(f"{shown}: a file name with a control character; expected a plain name")
    try:
        target = (base / path).resolve()
    except (OSError, RuntimeError, ValueError) as exc:
        raise ScenarioError(f"{shown}: not a usable path ({exc})") from None
    if target == base or not target.is_relative_to(base):
        raise ScenarioError(
            f"{shown}: outside the dashboard's working folder {base}; expected a path "
            "inside it (start `outsim dashboard --workdir DIR` to work elsewhere)"
        )
    return target


def initial(path: str | None) -> dict[str, Any]:
    """The scenario the dashboard opens with: ``path`` or the bundled default."""
    return scenario_to_dict(load_scenario(path or default_scenario_path()))


def load(path: str, root: Path | None = None) -> dict[str, Any]:
    """A scenario file inside the working folder (:func:`confine`) as plain data;
    ScenarioError with the file's problems."""
    return scenario_to_dict(load_scenario(confine(path, root)))


def save(data: dict[str, Any], path: str, root: Path | None = None) -> Path:
    """Write the scenario as YAML that ``outsim run`` accepts, inside the working folder
    only (:func:`confine`). An existing file is replaced only if the dashboard wrote it;
    anything else is refused (ScenarioError)."""
    from simulator.outputs.folders import write_file

    target = confine(path, root)
    if ((root or workdir()) / path).is_symlink():
        raise ScenarioError(f"{path}: is a symbolic link; expected a new .yaml file")
    if target.suffix not in (".yaml", ".yml"):
        raise ScenarioError(f"{path}: expected a file name ending in .yaml")
    if target.is_symlink() or (target.exists() and not target.is_file()):
        raise ScenarioError(f"{path}: is not a regular file; expected a new .yaml file")
    if target.exists():
        with target.open(encoding="utf-8", errors="replace") as f:
            if f.readline() != HEADER:
                raise ScenarioError(
                    f"{path}: exists and was not written by outsim dashboard; expected a new "
                    "file name (outsim never overwrites your files)"
                )
    scenario = scenario_from_dict(copy.deepcopy(data), str(path))
    target.parent.mkdir(parents=True, exist_ok=True)
    return write_file(target, HEADER + dump_scenario_yaml(scenario))


# -- running ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Outcome:
    """A dashboard run: the bottom line, headline KPIs against the status quo, charts."""

    headline: str
    points: list[dict[str, str]]
    kpis: pd.DataFrame  # KPI, plan, status quo, change
    figures: dict[str, bytes]  # name -> PNG


def run_plan(
    data: dict[str, Any],
    replications: int,
    seed: int,
    progress: Callable[[int, int], None] | None = None,
) -> Outcome:
    """Run the plan and its status quo on the same seeds; the bottom line and the
    headline charts with their 95% bands."""
    import simulator
    from simulator.analysis.kpis import HEADLINE_LABELS
    from simulator.outputs.figures.plots import make_comparison_plots
    from simulator.outputs.formatting import change as changed
    from simulator.outputs.formatting import number
    from simulator.outputs.run import brief
    from simulator.scenario.status_quo import status_quo_of

    scenario = scenario_from_dict(copy.deepcopy(data), "scenario")
    total = 3 * replications  # the plan with its paired status quo, then the status quo's series
    done = [0]

    def tick(*_: Any) -> None:
        done[0] += 1
        if progress:
            progress(min(done[0], total), total)

    plan = simulator.run(scenario, replications, seed, tick, status_quo=True, workers=1)
    base = simulator.run(
        status_quo_of(scenario), replications, seed, tick, status_quo=False, workers=1
    )
    rows = []
    for kpi, label in HEADLINE_LABELS.items():
        effect = plan.summary.get("effects", {}).get(kpi)
        unit = plan.summary["kpis"][kpi]["unit"]
        row = {
            "KPI": label,
            "plan": number(plan.summary["kpis"][kpi]["mean"], unit),
            "status quo": number(base.summary["kpis"][kpi]["mean"], unit),
            "change": changed(effect["mean"], unit) if effect else "n/a",
        }
        rows.append(row)
    table = pd.DataFrame(rows).set_index("KPI")  # no row numbers: the KPI names the row
    scores = {
        name: {d: v["score"]["mean"] for d, v in r.scorecard["dimensions"].items()}
        for name, r in (("plan", plan), ("status quo", base))
    }
    with tempfile.TemporaryDirectory(prefix="outsim-dashboard-") as tmp:
        phases = [p.month for p in scenario.plan.phases]
        make_comparison_plots(
            {"plan": plan.timeseries, "status quo": base.timeseries},
            pd.DataFrame(scores),
            Path(tmp),
            {"plan": phases},
        )
        figures = {n: (Path(tmp) / f"{n}.png").read_bytes() for n in HEADLINE_FIGURES}
    return Outcome(
        brief.headline(plan.summary, scenario),
        brief.points(plan.summary, scenario),
        table,
        figures,
    )


STEP_SERIES = {  # what the step-by-step view draws, month by month
    "employees_in_house": "In-house agents",
    "vendor_staff": "Vendor agents",
    "employees_unemployed": "Displaced, unemployed",
    "employees_reemployed": "Displaced, re-employed",
    "csat": "CSAT (0-100)",
    "trust_mean": "Customer trust (0-1)",
    "local_unemployment_rate": "Home unemployment rate (%)",
}
PERCENT_SERIES = {"local_unemployment_rate"}  # shares the step view shows as percentages


def step_model(data: dict[str, Any], seed: int) -> Any:
    """A single model of the scenario, to step month by month."""
    from simulator.model.model import OutsourcingModel

    return OutsourcingModel(scenario_from_dict(copy.deepcopy(data), "scenario"), seed=seed)


def step_frame(model: Any) -> pd.DataFrame:
    """The model's months so far, the step view's series only."""
    frame = model.datacollector.get_model_vars_dataframe()
    out = frame[[c for c in STEP_SERIES if c in frame]].copy()
    for column in PERCENT_SERIES & set(out.columns):
        out[column] = 100.0 * out[column]
    return out


def scenario_of(data: dict[str, Any]) -> Scenario:
    return scenario_from_dict(copy.deepcopy(data), "scenario")
