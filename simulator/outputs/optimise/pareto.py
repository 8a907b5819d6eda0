"""What ``outsim optimise`` writes beside its store: the Pareto plans, runnable, and a page.

- ``candidates.csv``: every plan tried — origin, levers, robust objectives, constraint means,
  feasibility, Pareto rank, and the check ensemble's values for the plans checked;
- ``pareto.csv``: the Pareto plans (``plan_01`` … best on the first objective first), with
  the base plan as a reference row;
- ``pareto/plan_NN.yaml``: each Pareto plan as a whole scenario (the base scenario with the
  plan's levers), which ``outsim run`` accepts;
- ``optimise.html``: the bottom line, the plans, what each gives up for what against the base
  plan, a parallel-coordinates view (levers then objectives, every axis "up is better") and
  the trade-off between each pair of objectives; charts also in ``plots/``.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import yaml  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from simulator.analysis.kpis import HEADLINE_LABELS, KPI_BY_NAME  # noqa: E402
from simulator.analysis.robustness import Constraint, Objective, oriented  # noqa: E402
from simulator.outputs.figures.style import GREY, PALETTE, style  # noqa: E402
from simulator.outputs.folders import output_folder, subfolder, write_file  # noqa: E402
from simulator.outputs.formatting import number, plural  # noqa: E402
from simulator.outputs.pages import asset, css, embed_image, template  # noqa: E402
from simulator.outputs.records import write_json  # noqa: E402
from simulator.outputs.workbooks import csv_text  # noqa: E402
from simulator.scenario import xlrm  # noqa: E402
from simulator.scenario.loading import scenario_from_dict  # noqa: E402
from simulator.scenario.paths import with_values  # noqa: E402

MAX_PAIRS = 6  # trade-off panels


@dataclass(frozen=True)
class Search:
    """What a search found, as plain data for the files and the page."""

    name: str
    description: str
    base: dict[str, Any]  # the base scenario, every default filled in
    levers: list[str]
    uncertainties: list[str]
    objectives: list[Objective]
    constraints: list[Constraint]
    table: pd.DataFrame  # one row per candidate (``candidate_id`` 0: the base plan)
    pareto: list[int]
    futures: int
    replications: int
    check: tuple[int, int]  # fresh futures, replications
    sampler: str
    seed: int

    def plan_name(self, candidate: int) -> str:
        if candidate == 0:
            return "base plan"
        return f"plan_{[c for c in self.pareto if c != 0].index(candidate) + 1:02d}"

    def file_name(self, candidate: int) -> str:
        """``plan_01.yaml``; ``base_plan.yaml`` when the base plan is on the front."""
        return self.plan_name(candidate).replace(" ", "_") + ".yaml"


def objective_unit(obj: Objective) -> str:
    if obj.robustness == "satisficing":
        return "share"
    return KPI_BY_NAME[obj.kpi].unit if obj.kpi in KPI_BY_NAME else ""


def lever_text(path: str, value: Any, unit: bool = True) -> str:
    """A lever's value as people read it: ``45%``, ``yes``, ``4 months``."""
    kind = xlrm.unit_of(path)
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, float) and kind.startswith("share"):
        return f"{100 * value:.0f}%"
    shown = xlrm.shown(round(value, 3) if isinstance(value, float) else value)
    plain = not kind or kind.startswith(("index", "ratio", "share"))
    return shown if plain or not unit else f"{shown} {kind}"


def short(path: str) -> str:
    """``policies.transparency.employee_notice_months`` -> ``employee notice months``;
    plan shares keep their phase and vendor."""
    parts = path.split(".")
    if parts[:2] == ["plan", "phases"] and len(parts) >= 5:
        return f"phase {int(parts[2]) + 1} share to {parts[4]}"
    return parts[-1].replace("_", " ")


def objective_name(obj: Objective) -> str:
    """``Re-employed at 24 m (P10)``."""
    return f"{HEADLINE_LABELS.get(obj.kpi, obj.kpi.replace('_', ' '))} ({obj.how})"


def _changes(search: Search, before: pd.Series, after: pd.Series) -> list[str]:
    """``employee notice months 2 → 4 months`` for each lever that differs."""
    out = []
    for p in search.levers:
        a, b = lever_text(p, before[p], unit=False), lever_text(p, after[p])
        if lever_text(p, before[p]) != b:
            out.append(f"{short(p)} {a} → {b}")
    return out


def _moves(search: Search, before: pd.Series, after: pd.Series) -> tuple[list[str], list[str]]:
    """(gains, losses): objectives that get better and worse from ``before`` to ``after``."""
    gains: list[str] = []
    losses: list[str] = []
    for obj in search.objectives:
        a, b = before[obj.label], after[obj.label]
        if pd.isna(a) or pd.isna(b) or np.isclose(a, b, rtol=1e-9, atol=1e-12):
            continue
        unit = objective_unit(obj)
        text = f"{objective_name(obj)} {number(a, unit)} → {number(b, unit)}"
        (gains if (b > a) == obj.higher_is_better else losses).append(text)
    return gains, losses


def tradeoff(search: Search, candidate: int) -> str:
    """What a plan gains and gives up, in words: the first Pareto plan against the base plan,
    every other one against the first (moving along the front)."""
    table = search.table.set_index("candidate_id")
    first = search.pareto[0]
    other = 0 if candidate == first else first
    before, after = table.loc[other], table.loc[candidate]
    gains, losses = _moves(search, before, after)
    changes = _changes(search, before, after)
    name, ref = search.plan_name(candidate), search.plan_name(other)
    says = f"{name} over the {ref}" if other == 0 else f"{name} over {ref}"
    says = f"Choosing {says} ({'; '.join(changes) or 'the same levers'})"
    if gains and losses:
        return f"{says} gains {', '.join(gains)}, and gives up {', '.join(losses)}."
    if gains:
        return f"{says} gains {', '.join(gains)}, and gives up nothing on these objectives."
    if losses:
        return f"{says} gives up {', '.join(losses)}."
    return f"{says} changes none of the objectives."


def bottom_line(search: Search) -> str:
    table = search.table.set_index("candidate_id")
    tried = len(table) - 1
    feasible = int(table["feasible"].drop(index=0).sum())
    k = len(search.pareto)
    sampled = plural(search.futures, "sampled future")
    futures = f"{sampled} × {plural(search.replications, 'replication')}"
    if not k:
        return (
            f"None of the {tried} plans tried meets every constraint "
            f"({'; '.join(c.text for c in search.constraints)}) across {futures}: "
            "relax a constraint or widen the levers' ranges."
        )
    head = (
        f"Of {tried} plans tried, {feasible} meet the constraints and {k} are Pareto-"
        f"optimal: no other plan is better on every objective across {futures}."
    )
    if 0 in search.pareto:
        return head + " The base plan is one of them: nothing tried beats it on every objective."
    if not table.at[0, "feasible"]:
        missed = [c.text for c in search.constraints if c.violation(table.at[0, c.label]) > 0]
        head += f" The base plan misses {' and '.join(missed) or 'a constraint'}."
    values = oriented(table, search.objectives)
    base = values[table.index.get_loc(0)]
    plans = {c: values[table.index.get_loc(c)] for c in search.pareto}
    beats = [c for c, v in plans.items() if (v >= base).all() and (v > base).any()]
    if beats:
        names = ", ".join(search.plan_name(c) for c in beats[:4])
        return head + f" The base plan is beaten on every objective by {names}."
    return head + " The base plan is not among them, but none beats it on every objective."


def plan_scenario(search: Search, candidate: int) -> dict[str, Any]:
    """The base scenario with a Pareto plan's levers: a whole, valid scenario."""
    row = search.table.set_index("candidate_id").loc[candidate]
    values = {p: _plain(row[p]) for p in search.levers}
    name = search.plan_name(candidate)
    data = with_values(search.base, values)
    data["simulation"]["name"] = f"{search.name}_{name.replace(' ', '_')}"
    data["simulation"]["description"] = (
        f"Pareto plan {name} of outsim optimise {search.name}: the base scenario with "
        + "; ".join(f"{p} = {v}" for p, v in values.items())
    )
    scenario_from_dict(data, search.file_name(candidate))  # a plan that fails is a bug here
    return data


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def pareto_frame(search: Search) -> pd.DataFrame:
    table = search.table.set_index("candidate_id")
    rows = [*search.pareto, *([0] if 0 not in search.pareto else [])]
    out = table.loc[rows].reset_index()
    out.insert(0, "plan", [search.plan_name(c) for c in rows])
    return out.drop(columns=["sampler_state"], errors="ignore")


# -- charts ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Axes:
    """Parallel coordinates: one axis per lever then per robust objective."""

    names: list[str]  # in words; objectives minimised say "(lower is up)"
    scaled: np.ndarray  # candidates × axes, 0 = bottom, 1 = top (objectives: top is best)
    ends: list[tuple[str, str]]  # (bottom, top) of each axis in its own unit


def parallel_axes(search: Search) -> Axes:
    table = search.table
    columns = [*search.levers, *[o.label for o in search.objectives]]
    scaled = np.zeros((len(table), len(columns)))
    names, ends = [], []
    for j, col in enumerate(columns):
        raw = table[col]
        obj = search.objectives[j - len(search.levers)] if j >= len(search.levers) else None
        if raw.dtype in (object, bool):
            cats = sorted(raw.astype(str).unique())
            values = raw.astype(str).map({c: i for i, c in enumerate(cats)}).to_numpy(float)
        else:
            values = raw.astype(float).to_numpy()
        flip = obj is not None and not obj.higher_is_better
        shown = -values if flip else values
        lo, hi = np.nanmin(shown), np.nanmax(shown)
        scaled[:, j] = (shown - lo) / (hi - lo) if hi > lo else 0.5
        if obj is None:
            names.append(short(col))
            bottom, top = raw.iloc[int(np.nanargmin(values))], raw.iloc[int(np.nanargmax(values))]
            ends.append((lever_text(col, _plain(bottom)), lever_text(col, _plain(top))))
        else:
            names.append(objective_name(obj) + (" (lower is up)" if flip else ""))
            unit = objective_unit(obj)
            low, high = np.nanmin(values), np.nanmax(values)
            worst, best = (high, low) if flip else (low, high)
            ends.append((number(worst, unit), number(best, unit)))
    return Axes(names, scaled, ends)


def parallel_data(search: Search) -> dict[str, Any]:
    """The parallel-coordinates view as data for the page's script."""
    axes = parallel_axes(search)
    ids = [int(c) for c in search.table["candidate_id"]]
    lines = []
    for i, cid in enumerate(ids):
        on_front = cid in search.pareto
        colour = PALETTE[search.pareto.index(cid) % len(PALETTE)] if on_front else GREY
        line = {
            "name": search.plan_name(cid) if on_front or cid == 0 else f"candidate {cid}",
            "values": [round(float(v), 4) if np.isfinite(v) else None for v in axes.scaled[i]],
            "colour": "#000000" if cid == 0 else colour,
            "front": on_front,
            "base": cid == 0,
        }
        lines.append(line)
    return {"axes": axes.names, "ends": axes.ends, "lines": lines}


def parallel_plot(search: Search, path: Path) -> Path:
    """Levers then robust objectives, each scaled to the candidates' range, objectives turned
    so that up is better; Pareto plans in colour, the base plan dashed, the rest grey."""
    table = search.table
    axes = parallel_axes(search)
    scaled, ticks = (
        axes.scaled,
        [n.replace(" (lower is up)", "\n(lower is up)") for n in axes.names],
    )
    # figures.style.style() is typed dict[str, Any], not matplotlib's dict[RcKeyType, Any]
    with plt.rc_context(style()):
        fig, ax = plt.subplots(figsize=(max(6.4, 1.3 * len(ticks)), 4.8), layout="constrained")
        x = np.arange(len(ticks))
        ids = list(table["candidate_id"])
        for i, cid in enumerate(ids):
            if cid not in search.pareto and cid != 0:
                ax.plot(x, scaled[i], color=GREY, alpha=0.35, lw=0.8)
        for k, cid in enumerate(search.pareto):
            ax.plot(
                x,
                scaled[ids.index(cid)],
                color=PALETTE[k % len(PALETTE)],
                lw=2,
                label=search.plan_name(cid),
            )
        ax.plot(x, scaled[ids.index(0)], color="black", lw=1.6, ls="--", label="base plan")
        ax.set_xticks(x, ticks, rotation=30, ha="right", fontsize=8)
        ax.set_yticks([0, 1], ["worst\ntried", "best\ntried"])
        for xi in range(len(ticks)):
            ax.axvline(xi, color="#cccccc", lw=0.6, zorder=0)
        ax.set_title("Plans tried: levers, then robust objectives (up is better)")
        ax.legend(fontsize=7, ncol=2, loc="upper left", bbox_to_anchor=(1.0, 1.0))
        fig.savefig(path)
        plt.close(fig)
    return path


def tradeoff_plot(search: Search, path: Path) -> Path:
    """Each pair of robust objectives: every feasible plan grey, Pareto plans in colour."""
    table = search.table
    pairs = list(combinations(search.objectives, 2))[:MAX_PAIRS] or [
        (search.objectives[0], search.objectives[0])
    ]
    cols = min(3, len(pairs))
    rows = -(-len(pairs) // cols)
    # figures.style.style() is typed dict[str, Any], not matplotlib's dict[RcKeyType, Any]
    with plt.rc_context(style()):
        fig, axes = plt.subplots(
            rows, cols, figsize=(4.2 * cols, 3.6 * rows), layout="constrained", squeeze=False
        )
        for ax, (a, b) in zip(axes.flat, pairs, strict=False):
            ok = table[table["feasible"]]
            bad = table[~table["feasible"]]
            ax.scatter(
                bad[a.label],
                bad[b.label],
                marker="x",
                color=GREY,
                alpha=0.5,
                s=14,
                label="misses a constraint",
            )
            ax.scatter(ok[a.label], ok[b.label], color=GREY, s=16, label="feasible")
            front = table.set_index("candidate_id").loc[search.pareto]
            for k, (cid, row) in enumerate(front.iterrows()):
                ax.scatter(
                    row[a.label], row[b.label], color=PALETTE[k % len(PALETTE)], s=46, zorder=3
                )
                tag = search.plan_name(cid).removeprefix("plan_")
                ax.annotate(
                    tag,
                    (row[a.label], row[b.label]),
                    fontsize=7,
                    xytext=(3, 3),
                    textcoords="offset points",
                )
            base = table.set_index("candidate_id").loc[0]
            ax.scatter(
                base[a.label],
                base[b.label],
                marker="*",
                color="black",
                s=120,
                zorder=4,
                label="base plan",
            )
            ax.set_xlabel(objective_name(a), fontsize=8)
            ax.set_ylabel(objective_name(b), fontsize=8)
            ax.xaxis.set_major_formatter(_ticks(a))
            ax.yaxis.set_major_formatter(_ticks(b))
        for ax in list(axes.flat)[len(pairs) :]:
            ax.set_visible(False)
        axes.flat[0].legend(fontsize=7)
        fig.suptitle("Trade-offs between robust objectives")
        fig.savefig(path)
        plt.close(fig)
    return path


def _ticks(obj: Objective) -> FuncFormatter:
    """Tick labels in the objective's unit: ``$2.5M``, ``60%``."""
    unit = objective_unit(obj)
    if unit == "USD":
        return FuncFormatter(lambda v, _: f"{'−' if v < 0 else ''}${abs(v) / 1e6:.1f}M")
    if unit.startswith(("share", "probability")):
        return FuncFormatter(lambda v, _: f"{100 * v:.0f}%")
    return FuncFormatter(lambda v, _: f"{v:g}")


# -- the files -------------------------------------------------------------------------------
def _cell(value: Any, unit: str = "") -> str:
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, float | np.floating):
        return number(float(value), unit) if unit else f"{value:.4g}"
    return str(value)


def write_results(folder: Path, search: Search) -> Path:
    """Write candidates.csv, pareto.csv, pareto/plan_NN.yaml, optimise.json, the charts and
    optimise.html into a search's folder; return the page's path."""
    table = search.table.drop(columns=["sampler_state"], errors="ignore")
    write_file(folder / "candidates.csv", csv_text(table))
    frame = pareto_frame(search)
    write_file(folder / "pareto.csv", csv_text(frame))
    with output_folder(folder / "pareto", "pareto plans", {"search": search.name}) as tmp:
        for cid in search.pareto:
            data = plan_scenario(search, cid)
            head = (
                f"# {search.plan_name(cid)} of outsim optimise {search.name}: "
                "run it with `outsim run <this file>`\n"
            )
            text = head + yaml.safe_dump(data, sort_keys=False)
            (tmp / search.file_name(cid)).write_text(text, encoding="utf-8")
    sentences = [tradeoff(search, c) for c in search.pareto if c != 0]
    summary = {
        "name": search.name,
        "bottom_line": bottom_line(search),
        "objectives": [o.describe() for o in search.objectives],
        "constraints": [c.text for c in search.constraints],
        "pareto": frame.to_dict("records"),
        "tradeoffs": sentences,
    }
    write_json(folder / "optimise.json", summary)
    plots = subfolder(folder, "plots")
    parallel_plot(search, plots / "parallel_coordinates.png")
    figures = [embed_image(tradeoff_plot(search, plots / "tradeoffs.png"))]
    units = {o.label: objective_unit(o) for o in search.objectives}
    units |= {c.label: KPI_BY_NAME[c.kpi].unit for c in search.constraints}
    value_cols = [o.label for o in search.objectives] + [c.label for c in search.constraints]
    value_cols = list(dict.fromkeys(value_cols))
    check_cols = [f"check_{c}" for c in value_cols if f"check_{c}" in frame]
    html = template("optimise.html.j2").render(
        css=css(),
        search=search,
        bottom_line=summary["bottom_line"],
        objectives=summary["objectives"],
        tradeoffs=sentences,
        lever_heads=[short(p) for p in search.levers],
        value_heads=[_head(c, search) for c in value_cols],
        check_heads=[_head(c.removeprefix("check_"), search) for c in check_cols],
        rows=[
            {
                "plan": r["plan"],
                "levers": [lever_text(p, _plain(r[p])) for p in search.levers],
                "values": [_cell(r[c], units.get(c, "")) for c in value_cols],
                "checks": [
                    _cell(r[c], units.get(c.removeprefix("check_"), "")) for c in check_cols
                ],
            }
            for r in frame.to_dict("records")
        ],
        figures=figures,
        parallel=parallel_data(search),
        parallel_js=asset("parallel.js"),
        tried=len(table) - 1,
    )
    return write_file(folder / "optimise.html", html)


def _head(label: str, search: Search) -> str:
    for o in search.objectives:
        if o.label == label:
            return objective_name(o)
    return label.replace("_", " ")
