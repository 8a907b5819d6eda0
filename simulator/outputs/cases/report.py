"""The case replay folder: ``cases.csv`` (one row per case and documented outcome) and a
self-contained ``cases.html`` that speaks to a reader first: how many outcomes the model
got right, then each case with its sources and its outcomes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from simulator.analysis.cases import tally
from simulator.outputs.folders import output_folder
from simulator.outputs.formatting import change, number
from simulator.outputs.pages import css, template
from simulator.outputs.workbooks import write_csv
from simulator.scenario.cases import Case


def shown(value: float, unit: str, difference: bool = False) -> str:
    """A model value as the reports write it (``outputs/formatting``): a level, or a signed
    difference (an effect or a change)."""
    return change(value, unit) if difference else number(value, unit)


def bottom_line(counts: dict[str, int], cases: int) -> str:
    judged = counts["agree"] + counts["disagree"]
    other = counts["not comparable"]
    return (
        f"Across {cases} real case{'s' * (cases != 1)}, the model agrees with "
        f"{counts['agree']} of {judged} documented outcomes it can be compared with and "
        f"disagrees with {counts['disagree']}; {other} more "
        f"{'is' if other == 1 else 'are'} outside what it models."
    )


def render_cases(
    table: pd.DataFrame, cases: list[Case], replications: int, seed: int, version: str
) -> str:
    counts = tally(table)
    sections = []
    for case in cases:
        rows = table[table["case"] == case.name]
        sections.append(
            {
                "name": case.name,
                "title": case.observed.title,
                "period": case.observed.period,
                "summary": case.observed.summary,
                "sources": case.sources.strip(),
                "currency": case.scenario.company.currency,
                "scenario_file": str(case.folder / "scenario.yaml"),
                "counts": tally(rows),
                "rows": [
                    {
                        "outcome": r["outcome"],
                        "claim": r["claim"],
                        "source": r["source"],
                        "measure": r["measure"],
                        "how": r["compare"] + (f", {r['window']}" if r["window"] else ""),
                        "observed": r["observed"],
                        "model": shown(r["model_mean"], r["unit"], r["compare"] != "level"),
                        "interval": " – ".join(
                            shown(r[k], r["unit"], r["compare"] != "level")
                            for k in ("model_ci95_low", "model_ci95_high")
                        ),
                        "unit": r["unit"],
                        "verdict": r["verdict"],
                        "why": r["why"],
                        "after": r["after_replay"],
                    }
                    for r in rows.to_dict("records")
                ],
            }
        )
    return template("cases.html.j2").render(
        css=css(),
        bottom_line=bottom_line(counts, len(cases)),
        counts=counts,
        sections=sections,
        replications=replications,
        seed=seed,
        version=version,
        finished=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    )


def save_cases(
    table: pd.DataFrame,
    cases: list[Case],
    target: Path,
    replications: int,
    seed: int,
    version: str,
) -> Path:
    """Write the cases folder atomically and return its path (``outputs.folders``)."""
    manifest = {
        "version": version,
        "replications": replications,
        "root_seed": seed,
        "cases": [c.name for c in cases],
    }
    with output_folder(target, "cases", manifest) as tmp:
        write_csv(table, tmp / "cases.csv")
        html = render_cases(table, cases, replications, seed, version)
        (tmp / "cases.html").write_text(html, encoding="utf-8")
    return Path(target)
