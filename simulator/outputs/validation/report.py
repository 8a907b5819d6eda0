"""The validation folder: ``validation.csv`` and a self-contained ``validation.html``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from simulator.analysis.validation import EXPERIMENTS, PRECISION_SHARE, summary_by_kind
from simulator.analysis.validation.predictive import PLACES
from simulator.analysis.validation.predictive import summary as predictive_summary
from simulator.outputs.folders import output_folder
from simulator.outputs.pages import css, template
from simulator.outputs.workbooks import write_csv


def _num(value: float, unit: str) -> str:
    if pd.isna(value):
        return "n/a"
    if not np.isfinite(value):
        return "∞" if value > 0 else "−∞"
    if unit in ("share", "probability", "share/year"):
        return f"{100 * value:.1f}%"
    return f"{value:.2f}"


def _predictive(r: dict, unit: str) -> str:
    """The posterior predictive interval and where the published value lies against it."""
    if "predictive_low" not in r or pd.isna(r["predictive_low"]):
        return ""
    interval = f"{_num(r['predictive_low'], unit)} – {_num(r['predictive_high'], unit)}"
    where = r["band_position"]
    return f"{interval} (band {where})" if where in PLACES else interval


def render_validation(table: pd.DataFrame, replications: int, seed: int, version: str) -> str:
    predictive = "predictive_low" in table
    rows = [
        {
            "fact": r["fact"],
            "kind": r["kind"],
            "claim": r["claim"],
            "source": r["source"],
            "published": r["published"],
            "model": _num(r["model_mean"], r["unit"]),
            "ci": f"{_num(r['model_ci95_low'], r['unit'])} – "
            f"{_num(r['model_ci95_high'], r['unit'])}",
            "accepted": f"{_num(r['accepted_low'], r['unit'])} – "
            f"{_num(r['accepted_high'], r['unit'])}",
            "tolerance": r["tolerance_reason"],
            "measured": r["measured"],
            "verdict": r["verdict"],
            "replications": int(r["replications"]),
            "provenance": r["provenance"] if isinstance(r["provenance"], str) else "",
            "predictive": _predictive(r, r["unit"]),
            "position": r.get("band_position", ""),
        }
        for r in table.to_dict("records")
    ]
    return template("validation.html.j2").render(
        css=css(),
        rows=rows,
        passed=int(table["pass"].sum()),
        by_kind=summary_by_kind(table),
        predictive=predictive_summary(table) if predictive else "",
        draws=int(table["predictive_draws"].max()) if predictive else 0,
        total=len(table),
        precision_pct=round(100 * PRECISION_SHARE),
        replications=replications,
        seed=seed,
        version=version,
        finished=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        experiments=[
            {
                "name": e.name,
                "scenarios": ", ".join(f"{s}.yaml" for s in e.files),
                "description": e.description,
            }
            for e in EXPERIMENTS
        ],
    )


def save_validation(
    table: pd.DataFrame, target: Path, replications: int, seed: int, version: str
) -> Path:
    """Write the validation folder atomically and return its path (``outputs.folders``)."""
    manifest = {
        "version": version,
        "replications": replications,
        "replications_used": int(table["replications"].max()) if len(table) else 0,
        "root_seed": seed,
    }
    with output_folder(target, "validation", manifest) as tmp:
        write_csv(table, tmp / "validation.csv")
        html = render_validation(table, replications, seed, version)
        (tmp / "validation.html").write_text(html, encoding="utf-8")
    return Path(target)
