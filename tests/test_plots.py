"""Figures: every expected PNG is written, readable and drawn without warnings or leaks, and
laid out with no text cut off or overlapping other text or another axes."""

from __future__ import annotations

import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.text import Text
from matplotlib.transforms import Bbox

import simulator
from simulator.model.status_quo import SAVING_PARTS
from simulator.outputs.figures import layout, plots
from simulator.outputs.figures.data import CASH_FLOWS, cash_flows, summarise
from simulator.outputs.figures.plots import make_comparison_plots, make_plots
from simulator.scenario import load_scenario

from .conftest import SCENARIOS, shrink

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PLOTS = {
    "workforce",
    "displaced_earnings",
    "local_economy",
    "service",
    "customers",
    "privacy",
    "vendor_workforce",
    "costs",
    "cash",
    "displaced_states",
    "earnings_recovery",
}
COMPARISON_PLOTS = {
    "compare_costs",
    "compare_workforce",
    "compare_customers",
    "compare_service",
    "compare_privacy",
    "compare_vendor",
    "compare_scorecard",
}
DIMENSIONS = ["transparency", "privacy", "fair_treatment", "communication", "local_jobs"]


def small(name: str):
    return shrink(load_scenario(SCENARIOS / f"{name}.yaml"), customers=5000, months=24)


@pytest.fixture(scope="module")
def runs():
    """Small runs of a plan that displaces workers and of the status quo (which does not)."""
    out = {}
    for name in ("default", "status_quo"):
        scenario = small(name)
        out[name] = (scenario, simulator.run(scenario, replications=3, seed=5))
    return out


def phases(scenario) -> list[int]:
    return [p.month for p in scenario.plan.phases]


def assert_pngs(paths: list[Path], expected: set[str], folder: Path) -> None:
    assert {p.stem for p in paths} == expected
    assert {p.stem for p in folder.glob("*.png")} == expected
    for path in paths:
        assert path.parent == folder
        assert path.read_bytes()[:8] == PNG_SIGNATURE, path.name
        image = plt.imread(path)
        height, width = image.shape[:2]
        assert width >= 800 and height >= 400, path.name
        assert image[..., :3].std() > 0.01, f"{path.name} is blank"  # something is drawn


def no_warnings_or_open_figures(fn, *args, **kwargs):
    """Call ``fn`` with every warning an error, and check it leaves no figure open."""
    before = len(plt.get_fignums())
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = fn(*args, **kwargs)
    assert len(plt.get_fignums()) == before == 0
    return result


@pytest.mark.integration
def test_make_plots_writes_every_figure(runs, tmp_path):
    scenario, results = runs["default"]
    assert not results.displacement.empty
    paths = no_warnings_or_open_figures(
        make_plots,
        results.timeseries,
        tmp_path,
        phases(scenario),
        displacement=results.displacement,
    )
    assert_pngs(paths, PLOTS, tmp_path)


@pytest.mark.integration
def test_status_quo_still_writes_the_people_figures(runs, tmp_path):
    scenario, results = runs["status_quo"]
    assert results.displacement.empty  # nobody is displaced in the status quo
    paths = no_warnings_or_open_figures(
        make_plots,
        results.timeseries,
        tmp_path,
        phases(scenario),
        displacement=results.displacement,
    )
    assert_pngs(paths, PLOTS, tmp_path)


@pytest.mark.integration
def test_positional_call_single_replication_without_displacement(tmp_path):
    """The original call (no displacement given) still writes every file; one replication
    draws lines without bands."""
    scenario = small("default")
    results = simulator.run(scenario, replications=1, seed=1)
    paths = no_warnings_or_open_figures(make_plots, results.timeseries, tmp_path, [6, 18])
    assert_pngs(paths, PLOTS, tmp_path)


def test_comparison_plots_with_missing_scores(runs, tmp_path):
    by_plan = {name: results.timeseries for name, (_s, results) in runs.items()}
    scores = pd.DataFrame(
        {
            "default": [62.0, 11.0, 45.0, 36.0, 90.0],
            "status_quo": [100.0, 84.0, np.nan, 100.0, np.nan],
        },
        index=DIMENSIONS,
    )
    phase_months = {name: phases(scenario) for name, (scenario, _r) in runs.items()}
    paths = no_warnings_or_open_figures(
        make_comparison_plots, by_plan, scores, tmp_path, phase_months
    )
    assert_pngs(paths, COMPARISON_PLOTS, tmp_path)


def test_cash_flows_add_up_to_cumulative_net_savings(runs):
    """The parts of the saving against the status quo add up to the net saving, month by
    month, and each cumulates its own monthly column."""
    scenario, results = runs["default"]
    ts = results.timeseries
    cash = cash_flows(ts)
    parts = cash[[c for c in CASH_FLOWS if c != "cash_net"]]
    assert len(parts.columns) == len(SAVING_PARTS) == 6
    np.testing.assert_allclose(parts.sum(axis=1), cash["cash_net"], rtol=1e-9, atol=1e-9)
    ordered = ts.sort_values(["replication", "month"]).reset_index(drop=True)
    net = ordered.groupby("replication")["net_savings"].cumsum() / 1e6
    np.testing.assert_allclose(cash["cash_net"], net, rtol=1e-9)
    for part in SAVING_PARTS:
        own = ordered.groupby("replication")[f"saving_{part}"].cumsum() / 1e6
        np.testing.assert_allclose(cash[f"cash_{part}"], own, rtol=1e-12)
    # once the first phase has ramped up, the default plan answers more slowly than the
    # status quo: the vendors save by it in every replication (before, while they hire
    # ahead of their share, they cost more; in a 5,000-customer company the two are a few
    # agent-months each, so the sign of the whole run's sum is one hire's luck)
    ramped = phases(scenario)[0] + scenario.plan.phases[0].ramp_months
    late = ordered[ordered["month"] >= ramped].groupby("replication")["saving_service_level"]
    assert (late.sum() > 0).all()


def test_summary_statistics_match_pandas():
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {
            "replication": np.repeat(np.arange(4), 6),
            "month": np.tile(np.arange(6), 4),
            "x": rng.normal(size=24),
        }
    )
    frame.loc[frame["month"] == 2, "x"] = np.nan  # a month without values
    frame.loc[[1, 7], "x"] = np.inf  # non-finite values are left out
    got = summarise(frame, "x", scale=2.0)
    values = (2.0 * frame["x"]).where(np.isfinite(frame["x"]))
    grouped = values.groupby(frame["month"])
    np.testing.assert_allclose(got["mean"], grouped.mean())
    np.testing.assert_allclose(got["lo"], grouped.quantile(0.025))
    np.testing.assert_allclose(got["hi"], grouped.quantile(0.975))
    assert got["n"].tolist() == grouped.count().tolist()
    assert got.loc[2].isna()[["mean", "lo", "hi"]].all()


def test_bad_input_is_refused(runs, tmp_path):
    _scenario, results = runs["default"]
    with pytest.raises(ValueError, match="lacks columns"):
        make_plots(results.timeseries.drop(columns=["csat"]), tmp_path)
    with pytest.raises(ValueError, match="displacement lacks columns"):
        make_plots(
            results.timeseries,
            tmp_path,
            displacement=results.displacement.drop(columns=["earnings_ratio"]),
        )
    with pytest.raises(ValueError, match="nothing to compare"):
        make_comparison_plots({}, pd.DataFrame(), tmp_path)
    assert len(plt.get_fignums()) == 0


# -- layout: nothing cut off, nothing overlapping ------------------------------------------
def _overlap(a: Bbox, b: Bbox) -> bool:
    """More than a pixel of overlap in both directions (touching is allowed)."""
    return min(a.x1, b.x1) - max(a.x0, b.x0) > 1 and min(a.y1, b.y1) - max(a.y0, b.y0) > 1


def layout_problems(fig: Figure, drawn: dict[Text, Bbox]) -> list[str]:
    """What is wrong with the layout of ``fig``, drawn with the texts ``drawn`` (and their
    extents): text outside the figure; text overlapping other text, except texts inside the
    same axes (notes and labels placed with the data, a legend inside the axes); a legend or
    text outside the axes (titles, tick and axis labels, the figure's title and caption)
    overlapping an axes or another such legend."""
    problems = []
    frame = fig.bbox
    owner: dict[Text, object] = {}  # texts placed with an axes' data: their axes
    boxes: list[tuple[str, Bbox, object]] = []  # (what, extent, the axes it belongs in or None)
    for ax in fig.findobj(Axes):
        for text in ax.texts:
            owner[text] = ax
    for legend in fig.findobj(Legend):
        extent = legend.get_window_extent()
        inside = legend.axes is not None and legend.axes.bbox.contains(*extent.p0)
        inside = inside and legend.axes.bbox.contains(*extent.p1)
        for text in [*legend.texts, legend.get_title()]:
            owner[text] = "legend"
        boxes.append(
            (
                f"legend {[t.get_text() for t in legend.texts]}",
                extent,
                legend.axes if inside else None,
            )
        )
    for text, extent in drawn.items():
        what = repr(text.get_text()[:40])
        if not (
            extent.x0 >= frame.x0 - 0.5
            and extent.y0 >= frame.y0 - 0.5
            and extent.x1 <= frame.x1 + 0.5
            and extent.y1 <= frame.y1 + 0.5
        ):
            problems.append(f"{what} is cut off: {extent.bounds} outside {frame.bounds}")
        if owner.get(text) != "legend":
            boxes.append((what, extent, owner.get(text)))
    for i, (what, box, home) in enumerate(boxes):
        for other, box2, home2 in boxes[i + 1 :]:
            if (home is None or home is not home2) and _overlap(box, box2):
                problems.append(f"{what} overlaps {other}")
        if home is None:
            for ax in fig.findobj(Axes):
                if _overlap(box, ax.bbox):
                    problems.append(f"{what} overlaps the axes {ax.get_title(loc='left')!r}")
    return problems


@pytest.fixture
def checked(monkeypatch):
    """Check every figure's layout as it is saved: {file name: problems}."""
    found: dict[str, list[str]] = {}
    save = layout.save

    def save_and_check(fig: Figure, path: Path) -> Path:
        drawn: dict[Text, Bbox] = {}
        draw = Text.draw

        def recording_draw(text: Text, renderer) -> None:
            draw(text, renderer)
            if text.get_visible() and text.get_text():
                drawn[text] = text.get_window_extent(renderer)

        with monkeypatch.context() as m:
            m.setattr(Text, "draw", recording_draw)
            out = save(fig, path)
        found[path.name] = layout_problems(fig, drawn)
        shortest = min(ax.bbox.height for ax in fig.axes) / fig.dpi
        if shortest < layout.MIN_AXES_HEIGHT - 0.01:
            found[path.name].append(f"an axes squeezed to {shortest:.2f} inches")
        assert drawn, "no text drawn"
        return out

    monkeypatch.setattr(plots, "save", save_and_check)
    return found


def test_the_layout_check_sees_clipped_and_overlapping_text():
    """The check itself: a caption running off the figure, a title running into the next
    axes' tick labels, a figure text over an axes."""
    with plt.rc_context(plots.style()):
        fig, axes = layout.new_figure((6.0, 3.0), 1, 2)
        axes[0, 0].set_title("A title that runs into the next axes", loc="left")
        fig.text(0.5, 0.97, "A caption running off the right edge")
        fig.text(0.1, 0.5, "A note over an axes")
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        drawn = {
            text: text.get_window_extent(renderer)
            for text in fig.findobj(Text)
            if text.get_visible() and text.get_text()
        }
        problems = layout_problems(fig, drawn)
        plt.close(fig)
    assert any(p.startswith("'A caption") and "cut off" in p for p in problems), problems
    assert "'A title that runs into the next axes' overlaps '1.0'" in problems, problems
    assert any(p.startswith("'A note") and "overlaps the axes" in p for p in problems), problems
    assert not any(p.startswith("'0.") for p in problems), problems  # tick labels are fine


@pytest.mark.integration
@pytest.mark.parametrize("name", ["default", "status_quo"])
def test_run_figures_leave_no_text_cut_off_or_overlapping(runs, tmp_path, checked, name):
    scenario, results = runs[name]
    make_plots(
        results.timeseries,
        tmp_path,
        phases(scenario),
        displacement=results.displacement,
    )
    assert set(checked) == {f"{p}.png" for p in PLOTS}
    assert {k: v for k, v in checked.items() if v} == {}


@pytest.mark.parametrize("plans", [2, 12])
def test_comparison_figures_leave_no_text_cut_off_or_overlapping(runs, tmp_path, checked, plans):
    """Two plans, and twelve with names of 100 characters (the longest a scenario may have):
    one legend column, and figures grown taller rather than axes squeezed."""
    series = [results.timeseries for _s, results in runs.values()]
    names = ["status_quo"] + [f"plan_{i:02}_{'x' * 92}" for i in range(1, plans)]
    if plans == 2:
        names = list(runs)
    by_plan = {name: series[i % 2] for i, name in enumerate(names)}
    scores = pd.DataFrame(
        {name: [62.0, 11.0, np.nan, 36.0, 90.0 - i] for i, name in enumerate(names)},
        index=DIMENSIONS,
    )
    phase_months = {name: [3, 12] for name in names}
    paths = no_warnings_or_open_figures(
        make_comparison_plots, by_plan, scores, tmp_path, phase_months
    )
    assert_pngs(paths, COMPARISON_PLOTS, tmp_path)
    assert {k: v for k, v in checked.items() if v} == {}
    if plans == 12:  # twelve legend lines: the 5-inch figures grew rather than squeeze axes
        height = plt.imread(tmp_path / "compare_workforce.png").shape[0]
        assert height > 5.0 * plots.style()["figure.dpi"]
