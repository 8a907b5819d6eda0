"""The dashboard page (Solara): edit a plan's levers, run it against the status quo, step
one run month by month, save the scenario. Started by ``outsim dashboard [SCENARIO]``
(the scenario's path comes in ``OUTSIM_DASHBOARD_SCENARIO``, the working folder saves
and loads are confined to in ``OUTSIM_DASHBOARD_WORKDIR``).

Every state below is a Solara reactive variable, one copy per browser session.
"""

from __future__ import annotations

import copy
import os
import time
from functools import partial
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import solara  # noqa: E402
from solara.lab import Tab, Tabs, task  # noqa: E402

from simulator.dashboard import editing  # noqa: E402
from simulator.scenario import ScenarioError  # noqa: E402
from simulator.scenario.xlrm import DIMENSIONS  # noqa: E402

scenario = solara.reactive(editing.initial(os.environ.get("OUTSIM_DASHBOARD_SCENARIO")))
problem = solara.reactive(editing.problem(scenario.value))
replications = solara.reactive(5)
seed = solara.reactive(int(scenario.value["simulation"]["seed"]))
save_path = solara.reactive(f"results/dashboard/{scenario.value['simulation']['name']}.yaml")
load_path = solara.reactive("")
file_message = solara.reactive("")
stepper: solara.Reactive[Any] = solara.reactive(None)
step_months = solara.reactive(0)  # months stepped so far (re-draws the step view)
playing = solara.reactive(False)


def edit(path: str, value: Any) -> None:
    data, why = editing.change(scenario.value, path, value)
    scenario.value, problem.value = data, why


def replace(data: dict[str, Any]) -> None:
    scenario.value, problem.value = data, editing.problem(data)
    stepper.value, step_months.value = None, 0


# -- levers ----------------------------------------------------------------------------------
@solara.component
def Lever(control: editing.Control, value: Any) -> None:
    label = f"{control.label}: {editing.shown(control, value)}"
    css = "lever-" + control.path.replace(".", "-")
    bounds = control.slider_range
    with solara.Tooltip(control.help or control.label), solara.Div(classes=["lever", css]):
        if control.kind == "bool":
            solara.Checkbox(
                label=label, value=bool(value), on_value=lambda v: edit(control.path, bool(v))
            )
        elif control.kind == "list":
            solara.InputText(
                label=label,
                value=", ".join(map(str, value)),
                on_value=lambda v: edit(control.path, _items(v)),
            )
        elif control.kind == "choice":
            solara.Select(
                label=label,
                values=list(control.options),
                value=value,
                on_value=lambda v: edit(control.path, v),
            )
        elif bounds is not None and control.kind == "int":
            low, high = bounds
            solara.SliderInt(
                label=label,
                value=int(value),
                min=int(low),
                max=int(high),
                on_value=lambda v: edit(control.path, int(v)),
            )
        elif bounds is not None:
            low, high = bounds
            solara.SliderFloat(
                label=label,
                value=float(value),
                min=float(low),
                max=float(high),
                step=control.step,
                on_value=lambda v: edit(control.path, float(v)),
            )
        elif control.kind == "int":
            solara.InputInt(
                label=label, value=int(value), on_value=lambda v: edit(control.path, int(v))
            )
        else:
            solara.InputFloat(
                label=label, value=float(value), on_value=lambda v: edit(control.path, float(v))
            )


def _items(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


@solara.component
def Phases() -> None:
    data = scenario.value
    vendors = [v["name"] for v in data["vendors"]]
    horizon = int(data["simulation"]["horizon_months"])
    for i, phase in enumerate(data["plan"]["phases"]):
        with solara.Card(f"Phase {i + 1}", margin=0, classes=["phase"]):
            solara.SliderInt(
                f"starts in month {phase['month']}",
                value=int(phase["month"]),
                min=0,
                max=horizon - 1,
                on_value=partial(_set_phase, i, "month"),
            )
            solara.SliderInt(
                f"ramp: {phase['ramp_months']} months",
                value=int(phase["ramp_months"]),
                min=0,
                max=24,
                on_value=partial(_set_phase, i, "ramp_months"),
            )
            for name in vendors:
                share = float(phase["shares"].get(name, 0.0))
                solara.SliderFloat(
                    f"share to {name}: {share:.0%}",
                    value=share,
                    min=0.0,
                    max=1.0,
                    step=0.01,
                    on_value=partial(_set_share, i, name),
                )
            solara.Button("Remove phase", text=True, on_click=partial(_remove_phase, i))
    solara.Button("Add phase", on_click=lambda: replace(editing.add_phase(scenario.value)))


def _set_phase(index: int, field: str, value: int) -> None:
    edit(f"plan.phases.{index}.{field}", int(value))


def _remove_phase(index: int) -> None:
    replace(editing.remove_phase(scenario.value, index))


def _set_share(index: int, vendor: str, value: float) -> None:
    data = copy.deepcopy(scenario.value)
    data["plan"]["phases"][index]["shares"][vendor] = round(float(value), 4)
    replace(data)


@solara.component
def Levers() -> None:
    groups = editing.controls(scenario.value)
    with solara.Details("The plan: phases and shares", expand=True):
        Phases()
    for dimension in editing.ORDER:
        with solara.Details(DIMENSIONS[dimension], expand=dimension == "plan"):
            for control in groups.get(dimension, []):
                Lever(control, editing.lever_value(scenario.value, control.path))


# -- run -------------------------------------------------------------------------------------
@task
def run_plan(data: dict[str, Any], n: int, root: int) -> editing.Outcome:
    def progress(done: int, total: int) -> None:
        run_plan.progress = 100.0 * done / total

    return editing.run_plan(data, n, root, progress)


def _run() -> None:
    run_plan(scenario.value, max(1, min(200, replications.value)), seed.value)


@solara.component
def RunView() -> None:
    with solara.Row():
        solara.InputInt("replications", value=replications, classes=["replications"])
        solara.InputInt("seed", value=seed)
        solara.Button(
            "Run",
            color="primary",
            classes=["run"],
            disabled=bool(problem.value) or run_plan.pending,
            on_click=_run,
        )
    if run_plan.pending:
        solara.Text(
            f"Running the plan and its status quo ({replications.value} replications "
            "each, same seeds) …"
        )
        solara.ProgressLinear(run_plan.progress or True)
    if run_plan.error:
        solara.Error(f"The run failed: {run_plan.exception}")
    outcome = run_plan.value if run_plan.finished else run_plan.latest
    if outcome is None:
        solara.Info("Set the levers, then Run: the plan against the same company without it.")
        return
    # plain text components: solara.Markdown would load KaTeX from a CDN (not offline)
    with solara.Column(classes=["bottom-line"]):
        solara.Text(outcome.headline, style={"font-weight": "bold", "font-size": "1.2rem"})
        for point in outcome.points:
            solara.Text(f"{point['topic']}. {point['text']}")
    solara.DataFrame(outcome.kpis, items_per_page=20)
    for name, png in outcome.figures.items():
        solara.Image(png, classes=[f"figure-{name}"], width="100%")


# -- step ------------------------------------------------------------------------------------
@task
def play() -> None:
    while playing.value and run_step():
        time.sleep(0.25)
    playing.value = False


def run_step() -> bool:
    """One month of the step-by-step model; False at the horizon."""
    if stepper.value is None:
        stepper.value = editing.step_model(scenario.value, seed.value)
    model = stepper.value
    if not model.running:
        return False
    model.step()
    step_months.value = model.month
    return model.running


@solara.component
def StepView() -> None:
    model = stepper.value
    horizon = int(scenario.value["simulation"]["horizon_months"])
    with solara.Row():
        done = model is not None and not model.running
        solara.Button(
            "Step",
            classes=["step"],
            on_click=run_step,
            disabled=bool(problem.value) or playing.value or done,
        )
        solara.Button(
            "Play" if not playing.value else "Pause",
            classes=["play"],
            disabled=bool(problem.value),
            on_click=_toggle_play,
        )
        solara.Button("Reset", on_click=lambda: replace(scenario.value))
    solara.Text(f"Month {step_months.value} of {horizon}", classes=["month"])
    if model is None or step_months.value == 0:
        solara.Info("Step: one run of the plan, a month at a time (seed as set under Run).")
        return
    frame = editing.step_frame(model)
    fig, axes = plt.subplots(2, 2, figsize=(10, 6), layout="constrained")
    panels = [
        ("employees_in_house", "vendor_staff"),
        ("employees_unemployed", "employees_reemployed"),
        ("csat",),
        ("local_unemployment_rate",),
    ]
    for ax, columns in zip(axes.flat, panels, strict=True):
        for col in columns:
            ax.plot(frame.index, frame[col], label=editing.STEP_SERIES[col])
        ax.set_xlim(0, horizon)
        ax.set_ylim(bottom=0)  # counts, scores and rates: never below zero
        ax.legend(fontsize=8)
    solara.FigureMatplotlib(fig)
    plt.close(fig)


def _toggle_play() -> None:
    playing.value = not playing.value
    if playing.value:
        play()


# -- files -----------------------------------------------------------------------------------
@solara.component
def FileView() -> None:
    solara.Text(
        f"Working folder: {editing.workdir()} (Save and Load stay inside it)",
        classes=["workdir"],
    )
    solara.InputText("Save as (.yaml)", value=save_path, classes=["save-path"])
    solara.Button("Save scenario", classes=["save"], disabled=bool(problem.value), on_click=_save)
    solara.InputText("Load from (.yaml)", value=load_path, classes=["load-path"])
    solara.Button("Load scenario", classes=["load"], on_click=_load)
    if file_message.value:
        solara.Text(file_message.value, classes=["file-message"])
    if not problem.value:
        solara.Preformatted(editing.dump_scenario_yaml(editing.scenario_of(scenario.value)))


def _save() -> None:
    try:
        path = editing.save(scenario.value, save_path.value)
        file_message.value = f"Saved to {path}: run it with `outsim run {path}`"
    except (ScenarioError, OSError) as exc:
        file_message.value = f"Not saved: {exc}"


def _load() -> None:
    try:
        replace(editing.load(load_path.value))
        file_message.value = f"Loaded {load_path.value}"
    except (ScenarioError, OSError) as exc:
        file_message.value = f"Not loaded: {exc}"


# -- the page --------------------------------------------------------------------------------
@solara.component
def Page() -> None:
    solara.Title("outsim dashboard")
    with solara.AppBar():
        solara.AppBarTitle(f"outsim — {scenario.value['simulation']['name']}")
    with solara.Sidebar():
        Levers()
    if problem.value:
        solara.Error(problem.value, classes=["problem"])
    with Tabs():
        with Tab("Run"):
            RunView()
        with Tab("Step"):
            StepView()
        with Tab("Scenario file"):
            FileView()
