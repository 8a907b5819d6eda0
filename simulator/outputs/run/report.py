"""The decision report: one self-contained HTML file built from a results folder.

Everything the report shows is read from the folder's files (summary.json, scorecard.json,
scenario.resolved.yaml, manifest.json, kpis.csv, displacement.csv, plots/*.png), so
``outsim report DIR`` rebuilds exactly the report ``outsim run`` wrote. Images are embedded
as data URIs: the file opens offline and can be mailed as it is.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, Field, ValidationError, field_validator

from simulator.analysis.groups import TOO_FEW
from simulator.analysis.kpis import KPI_BY_NAME
from simulator.model.calibration import assumptions
from simulator.outputs.folders import OutputError, check_folder_input, regular_file, write_file
from simulator.outputs.formatting import change, in_currency, number, percent, span
from simulator.outputs.pages import css, embed_image, template
from simulator.outputs.run import brief
from simulator.outputs.swing.words import sentences as swing_sentences
from simulator.scenario import Scenario, ScenarioError, scenario_from_dict
from simulator.scenario.describe import describe_phases, describe_policies, describe_vendors
from simulator.scenario.loading import format_validation_error
from simulator.scenario.status_quo import is_status_quo

PEOPLE_FIGURES = ("displaced_states", "earnings_recovery")
FIGURE_ORDER = (
    "demand",  # only with a contact history (customers.volumes)
    "saving",  # only for a plan: the waterfall of its NPV parts
    "cash",
    "costs",
    "workforce",
    "displaced_earnings",
    "local_economy",
    "service",
    "customers",
    "privacy",
    "vendor_workforce",
)


class ReportError(ValueError):
    """The folder is not a complete, readable results folder. ``str()`` is the message."""


# The structure of the files the report reads (extra keys are allowed and ignored).
class _Stats(BaseModel):
    mean: float | None
    sd: float | None = None
    n: int | None = None  # replications behind the mean (the headline says how many)
    p05: float | None = None
    p95: float | None = None
    ci95_low: float | None = None
    ci95_high: float | None = None


class _Kpi(_Stats):
    unit: str
    description: str


class _Effect(_Stats):
    unit: str


class _Safeguard(BaseModel):
    group: str
    title: str
    in_plan: bool = True
    package: str | None = None
    outcome: str
    outcome_unit: str
    npv_effect: float | None
    npv_effect_ci95: tuple[float | None, float | None]
    outcome_effect: float | None
    outcome_effect_ci95: tuple[float | None, float | None]
    pays_for_itself: bool
    cost_per_unit: float | None


class _Summary(BaseModel):
    scenario: str
    replications: int = Field(ge=1)
    kpis: dict[str, _Kpi]
    scorecard: dict[str, float | None]
    effects: dict[str, _Effect] | None = None  # paired against the plan's own status quo
    status_quo: dict[str, _Stats] | None = None
    safeguards: list[_Safeguard] = Field(default_factory=list)
    programme: dict[str, dict[str, Any]] | None = None
    programme_added: bool = False
    groups: list[dict[str, Any]] = Field(default_factory=list)
    swing: dict[str, Any] | None = None  # what could change the answer (``Swing.summary``)
    uncertainty: dict[str, Any] | None = None  # luck and knowledge (``Nested.summary``)


class _Component(BaseModel):
    metric: str
    weight: float
    mapping: str

    @field_validator("metric")
    @classmethod
    def _known(cls, metric: str) -> str:
        if metric not in KPI_BY_NAME:
            raise ValueError(f"unknown KPI {metric!r}")
        return metric


class _Dimension(BaseModel):
    title: str
    score: _Stats
    metrics: dict[str, _Stats | None]
    formula: list[_Component]
    note: str = ""


class _Scorecard(BaseModel):
    scale: str
    dimensions: dict[str, _Dimension]


class _Manifest(BaseModel):
    package: Literal["outsim"]
    version: str
    root_seed: int | None = None
    scenario_hash: str
    finished: str


FILE_MODELS: dict[str, type[BaseModel]] = {
    "summary.json": _Summary,
    "scorecard.json": _Scorecard,
    "manifest.json": _Manifest,
}


def _read(folder: Path, name: str) -> Any:
    """A required file of the folder, parsed and checked (a regular file inside it)."""
    path = regular_file(folder, name)
    if path is None:
        what = "missing" if not os.path.lexists(folder / name) else "not a regular file"
        raise ReportError(
            f"{folder / name}: {what}; expected a complete results folder written by "
            "`outsim run` (rerun it to rebuild the folder)"
        )
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text) if name.endswith(".yaml") else json.loads(text)
    except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError) as exc:
        problem = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ReportError(
            f"{folder / name}: unreadable ({problem}); expected the file as `outsim run` wrote it"
        ) from None
    if name == "scenario.resolved.yaml":
        if not isinstance(data, dict):
            raise ReportError(f"{folder / name}: expected a scenario mapping")
        try:
            return scenario_from_dict(data, str(folder / name))
        except ScenarioError as exc:
            raise ReportError(str(exc)) from None
    try:
        return FILE_MODELS[name].model_validate(data).model_dump()
    except ValidationError as exc:
        raise ReportError(format_validation_error(str(folder / name), exc)) from None


def _interval(k: dict[str, Any], low: str, high: str) -> str:
    return span(k.get(low), k.get(high), k["unit"])


def kpi_rows(summary: dict[str, Any]) -> list[dict[str, str]]:
    """The KPI table exactly as the report shows it."""
    rows = []
    for name, k in summary["kpis"].items():
        rows.append(
            {
                "name": name,
                "description": k["description"],
                "unit": k["unit"],
                "mean": number(k["mean"], k["unit"]),
                "ci": _interval(k, "ci95_low", "ci95_high"),
                "range": _interval(k, "p05", "p95"),
            }
        )
    return rows


def _tampered(path: Path) -> ReportError:
    what = "a symbolic link" if path.is_symlink() else "not a regular file"
    return ReportError(
        f"{path}: {what}, not what `outsim run` wrote; the folder was changed after the run "
        "(rerun it to rebuild the folder)"
    )


def _figures(folder: Path, names: tuple[str, ...]) -> list[dict[str, str]]:
    """The folder's own plots (regular files inside it: a link is never followed). A plot
    a run did not draw (a status quo has no saving chart) is left out; one that is there but
    is a link or not a regular file is refused (ReportError naming it)."""
    plots = folder / "plots"
    if not os.path.lexists(plots):
        return []
    if plots.is_symlink() or not plots.is_dir():
        raise _tampered(plots)
    figures = []
    for name in names:
        if not os.path.lexists(plots / f"{name}.png"):
            continue
        path = regular_file(folder, f"plots/{name}.png")
        if path is None:
            raise _tampered(plots / f"{name}.png")
        figures.append(embed_image(path))
    return figures


def _people(summary: dict[str, Any]) -> list[dict[str, str]]:
    k = summary["kpis"]
    rows = [
        ("Displaced (laid off)", "displaced_workers"),
        ("Redeployed inside the company", "redeployed_workers"),
        ("Back at work 6 months after displacement", "reemployed_share_6m"),
        ("Back at work 12 months after", "reemployed_share_12m"),
        ("Back at work 24 months after", "reemployed_share_24m"),
        ("Out of the labour force 24 months after", "left_labour_force_share_24m"),
        ("Median months to a new job", "median_unemployment_months"),
        ("Earnings at 24 months over before (jobless at zero)", "earnings_ratio_24m"),
        ("Peak rise in local unemployment", "local_unemployment_peak_change_pp"),
    ]
    return [
        {
            "label": label,
            "mean": number(k[name]["mean"], k[name]["unit"]),
            "range": _interval(k[name], "p05", "p95"),
        }
        for label, name in rows
        if name in k
    ]


PROGRAMME_ROWS = (
    ("Additional workers in work 12 months after their job was cut", "additional_in_work_12m"),
    ("Additional workers in work 24 months after", "additional_in_work_24m"),
    ("Additional earnings of the workers whose job was cut", "additional_earnings"),
    ("What the support costs", "programme_cost"),
    ("Cost per additional worker in work (24 months)", "cost_per_additional_in_work"),
    ("Additional workers in work per $1M", "additional_in_work_per_million"),
)


def _programme(summary: dict[str, Any]) -> list[dict[str, str]]:
    """Support for displaced workers against the same plan without it (paired)."""
    p = summary.get("programme")
    if not p:
        return []
    rows = []
    for label, name in PROGRAMME_ROWS:
        e = p.get(name) or {}
        unit = e.get("unit", "USD")
        ratio = name.startswith(("cost_per", "additional_in_work_per"))
        value = number(e.get("mean"), unit) if ratio else change(e.get("mean"), unit)
        interval = span(e.get("ci95_low"), e.get("ci95_high"), unit, not ratio)
        if interval == "n/a" and ratio:
            interval = ""
        rows.append({"label": label, "value": value, "interval": interval})
    return rows


def programme_note(summary: dict[str, Any]) -> str:
    """Why support can put more people in work yet lower their earnings within the horizon,
    when it does; the cost per additional worker's definition otherwise."""
    p = summary.get("programme") or {}
    earnings = (p.get("additional_earnings") or {}).get("mean")
    extra = (p.get("additional_in_work_24m") or {}).get("mean")
    note = (
        "Cost per additional worker in work: the NPV the company gives up (the support and "
        "everything it changes) per additional displaced worker in work 24 months after the "
        "cut, with a paired bootstrap interval; the safeguards table gives the same figure."
    )
    if earnings is not None and extra is not None and earnings < 0 < extra:
        note += (
            " More people are in work, yet their earnings within the horizon are lower: "
            "trainees search less while in training (the lock-in effect the evaluations "
            "find), and the horizon ends before the better re-employment of the trained pays "
            "back."
        )
    return note


def _retraining(summary: dict[str, Any]) -> list[dict[str, str]]:
    k = summary["kpis"]
    starts = k.get("retraining_starts", {}).get("mean")
    if not starts:
        return []
    items = [
        ("Trainees who started", "retraining_starts"),
        ("Completed (of courses ended)", "retraining_completion_share"),
        ("Completers in a job at the end", "retraining_placement_share"),
    ]
    return [
        {"label": label, "value": number(k[n]["mean"], k[n]["unit"])}
        for label, n in items
        if n in k
    ]


def _dimensions(scorecard: dict[str, Any], levers: dict[str, list[str]]) -> list[dict[str, Any]]:
    dims = []
    for name, d in scorecard["dimensions"].items():
        score = d["score"]["mean"]
        comps = []
        for c in d["formula"]:
            m = d["metrics"].get(c["metric"])
            unit = KPI_BY_NAME[c["metric"]].unit
            comps.append(
                {
                    "metric": c["metric"],
                    "value": "not used" if m is None else number(m["mean"], unit),
                    "weight": f"{c['weight']:.2f}",
                    "mapping": c["mapping"],
                }
            )
        dims.append(
            {
                "name": name,
                "title": d["title"],
                "score_text": "n/a" if score is None else f"{score:.0f}/100",
                "score_pct": 0 if score is None else round(score),
                "note": d.get("note", ""),
                "components": comps,
                "levers": levers.get(name, []),
            }
        )
    return dims


def load_folder(folder: Path) -> dict[str, Any]:
    """Read and check a results folder's files; ReportError names the first bad one."""
    try:
        folder = check_folder_input(folder, "a results folder written by `outsim run`")
    except OutputError as exc:
        raise ReportError(str(exc)) from None
    return {
        "summary": _read(folder, "summary.json"),
        "scorecard": _read(folder, "scorecard.json"),
        "manifest": _read(folder, "manifest.json"),
        "scenario": _read(folder, "scenario.resolved.yaml"),
    }


TOO_FEW_TEXT = "too few"


def _group_cell(
    g: dict[str, Any], name: str, hidden: bool, show: Callable[[float], str]
) -> dict[str, str]:
    """One cell of the groups table: the value and its 95% interval under it; "too few"
    for a group too small to say anything about; "n/a" where nobody was followed."""
    value = g.get(name)
    if hidden:
        return {"value": TOO_FEW_TEXT, "ci": ""}
    if value is None:
        return {"value": "n/a", "ci": ""}
    low, high = g.get(f"{name}_ci95_low"), g.get(f"{name}_ci95_high")
    ci = "" if low is None or high is None else f"{show(low)}\u2013{show(high)}"
    return {"value": show(value), "ci": ci}


def _share(value: float) -> str:
    return percent(value)


def _one_decimal(value: float) -> str:
    return f"{value:,.1f}"


def _groups(summary: dict[str, Any]) -> list[dict[str, Any]]:
    """Who bears the plan, by group, as the report's table shows it: each measure with its
    95% interval, "too few" where the group holds fewer than ``groups.TOO_FEW`` people a
    replication (staff for the share displaced, the displaced for what became of them)."""
    rows = []
    for g in summary.get("groups") or []:
        if not (g["staff_at_start"] or g["displaced"]):
            continue
        few_staff = bool(g.get("too_few_staff", False))
        few_displaced = bool(g.get("too_few_displaced", False))
        rows.append(
            {
                "grouping": g["grouping"],
                "group": g["group"],
                "staff": f"{g['staff_at_start']:,.0f}",
                "displaced": _group_cell(g, "displaced", False, _one_decimal),
                "displaced_share": _group_cell(g, "displaced_share", few_staff, _share),
                "reemployed_24m": _group_cell(g, "reemployed_24m", few_displaced, _share),
                "earnings_24m": _group_cell(g, "earnings_ratio_24m", few_displaced, _share),
                "jobless": _group_cell(g, "months_jobless_mean", few_displaced, _one_decimal),
                "too_few": few_staff or few_displaced,
            }
        )
    return rows


def _swing(summary: dict[str, Any]) -> dict[str, Any]:
    """The report's "What could change the answer": the sentences and how the swing was
    run, or why it was not."""
    swing = summary.get("swing")
    if not swing:
        return {"sentences": [], "skipped": "not run (not asked for: `outsim run --swing`)"}
    if "skipped" in swing:
        return {"sentences": [], "skipped": swing["skipped"]}
    return {
        "sentences": swing_sentences(swing),
        "how": f"{swing['uncertainties']} uncertainties, {swing['replications']} paired "
        f"replication{'s' if swing['replications'] != 1 else ''} per end on the first "
        f"replication's seed, {swing['runs']} model runs; " + swing["method"],
    }


def render_report(folder: Path) -> str:
    """The report HTML of a results folder."""
    data = load_folder(folder)
    sc, summary = data["scenario"], data["summary"]
    with in_currency(sc.company.currency):
        return _render(folder, data, sc, summary)


def _render(folder: Path, data: dict[str, Any], sc: Scenario, summary: dict[str, Any]) -> str:
    return template("report.html.j2").render(
        currency=sc.company.currency,
        css=css(),
        headline=brief.headline(summary, sc),
        bottom_line=brief.points(summary, sc),
        paired=summary.get("effects") is not None,
        safeguards=brief.safeguards(summary),
        scenario_name=sc.name,
        description=sc.simulation.description or "",
        replications=summary["replications"],
        horizon=sc.simulation.horizon_months,
        manifest=data["manifest"],
        phases=describe_phases(sc),
        vendors=describe_vendors(sc),
        dimensions=_dimensions(data["scorecard"], describe_policies(sc)),
        scorecard_scale=data["scorecard"]["scale"],
        kpis=kpi_rows(summary),
        people=_people(summary),
        retraining=_retraining(summary),
        programme=_programme(summary),
        programme_note=programme_note(summary),
        programme_added=summary.get("programme_added", False),
        groups=_groups(summary),
        too_few=f"{TOO_FEW:.0f}",
        is_status_quo=is_status_quo(sc),
        swing=_swing(summary),
        swing_figures=_figures(Path(folder), ("tornado",)),
        people_figures=_figures(Path(folder), PEOPLE_FIGURES),
        figures=_figures(Path(folder), FIGURE_ORDER),
        assumptions=assumptions(),
    )


def write_report(folder: Path, target: Path | None = None, html: str | None = None) -> Path:
    """Write ``report.html`` into the results folder (or to ``target``); ``html`` if it was
    rendered already. An existing report.html that is not a regular file is refused."""
    folder = Path(folder)
    html = render_report(folder) if html is None else html
    try:
        return write_file(target or folder / "report.html", html)
    except OutputError as exc:
        raise ReportError(str(exc)) from None
