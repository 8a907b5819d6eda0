"""The decision report: one self-contained HTML file built from a results folder.

Everything the report shows is read from the folder's files (summary.json, scorecard.json,
scenario.resolved.yaml, manifest.json, kpis.csv, displacement.csv, plots/*.png), so
``outsim report DIR`` rebuilds exactly the report ``outsim run`` wrote. Images are embedded
as data URIs: the file opens offline and can be mailed as it is.
"""

from __future__ import annotations

import base64
import json
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from jinja2 import Environment, StrictUndefined

from simulator.analysis.kpis import KPI_BY_NAME
from simulator.model.calibration import assumptions
from simulator.scenario import scenario_from_dict
from simulator.scenario.describe import describe_phases, describe_policies, describe_vendors

REQUIRED_FILES = ("summary.json", "scorecard.json", "scenario.resolved.yaml", "manifest.json")
PEOPLE_FIGURES = ("displaced_states", "earnings_recovery")
FIGURE_ORDER = (
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
    """The folder is not a complete results folder."""

    @classmethod
    def check(cls, folder: Path) -> None:
        """Raise if ``folder`` is not a complete results folder."""
        folder = Path(folder)
        if not folder.is_dir():
            raise cls(f"{folder}: not a folder; expected a results folder from `outsim run`")
        missing = [f for f in REQUIRED_FILES if not (folder / f).exists()]
        if missing:
            raise cls(
                f"{folder}: missing {', '.join(missing)}; expected a complete results folder "
                "written by `outsim run`"
            )


def fmt(value: float | None, unit: str) -> str:
    """A number as a director would read it, by unit."""
    if value is None or pd.isna(value):
        return "n/a"
    if unit == "USD":
        return f"${value / 1e6:,.2f}M" if abs(value) >= 1e5 else f"${value:,.0f}"
    if unit.startswith(("share", "probability")):
        return f"{100 * value:.1f}%"
    if unit == "percentage points":
        return f"{value:+.2f} pp"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:,.2f}"


def _interval(k: dict[str, Any], low: str, high: str) -> str:
    if k.get(low) is None or k.get(high) is None:
        return "n/a"
    return f"{fmt(k[low], k['unit'])} – {fmt(k[high], k['unit'])}"


def kpi_rows(summary: dict[str, Any]) -> list[dict[str, str]]:
    """The KPI table exactly as the report shows it."""
    rows = []
    for name, k in summary["kpis"].items():
        rows.append(
            {
                "name": name,
                "description": k["description"],
                "unit": k["unit"],
                "mean": fmt(k["mean"], k["unit"]),
                "ci": _interval(k, "ci95_low", "ci95_high"),
                "range": _interval(k, "p05", "p95"),
            }
        )
    return rows


def embed_image(path: Path) -> dict[str, str]:
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    alt = path.stem.replace("_", " ").capitalize()
    return {"src": f"data:image/png;base64,{data}", "alt": alt}


def _figures(plots: Path, names: tuple[str, ...]) -> list[dict[str, str]]:
    return [embed_image(plots / f"{n}.png") for n in names if (plots / f"{n}.png").exists()]


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
        ("Support spend per worker back in work", "cost_per_worker_reemployed"),
    ]
    return [
        {
            "label": label,
            "mean": fmt(k[name]["mean"], k[name]["unit"]),
            "range": _interval(k[name], "p05", "p95"),
        }
        for label, name in rows
        if name in k
    ]


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
        {"label": label, "value": fmt(k[n]["mean"], k[n]["unit"])} for label, n in items if n in k
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
                    "value": "not used" if m is None else fmt(m["mean"], unit),
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
    """Read a results folder's files, with a clear error if one is missing."""
    folder = Path(folder)
    ReportError.check(folder)
    return {
        "summary": json.loads((folder / "summary.json").read_text(encoding="utf-8")),
        "scorecard": json.loads((folder / "scorecard.json").read_text(encoding="utf-8")),
        "manifest": json.loads((folder / "manifest.json").read_text(encoding="utf-8")),
        "scenario": scenario_from_dict(
            yaml.safe_load((folder / "scenario.resolved.yaml").read_text(encoding="utf-8")),
            str(folder / "scenario.resolved.yaml"),
        ),
    }


def css() -> str:
    return (resources.files("simulator.outputs") / "templates" / "base.css").read_text("utf-8")


def environment() -> Environment:
    return Environment(autoescape=True, undefined=StrictUndefined, trim_blocks=True)


def template(name: str):
    text = (resources.files("simulator.outputs") / "templates" / name).read_text("utf-8")
    return environment().from_string(text)


def render_report(folder: Path) -> str:
    """The report HTML of a results folder."""
    data = load_folder(folder)
    sc, summary = data["scenario"], data["summary"]
    plots = Path(folder) / "plots"
    return template("report.html.j2").render(
        css=css(),
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
        people_figures=_figures(plots, PEOPLE_FIGURES),
        figures=_figures(plots, FIGURE_ORDER),
        assumptions=assumptions(),
    )


def write_report(folder: Path, target: Path | None = None) -> Path:
    """Write ``report.html`` into the results folder (or to ``target``)."""
    folder = Path(folder)
    target = target or folder / "report.html"
    html = render_report(folder)
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(target)
    return target
