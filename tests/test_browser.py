"""report.html and comparison.html in a real headless Chromium (Debian's, via Playwright).

Marked ``browser``: deselect locally with ``-m "not browser"``; .ci/run installs Chromium
and runs them. Screenshots are saved under test-artifacts/.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import simulator
from simulator.analysis.compare import compare
from simulator.outputs.compare.report import save_comparison
from simulator.scenario import load_scenario

from .conftest import CHROMIUM, ROOT, SCENARIOS, shrink

ARTIFACTS = ROOT / "test-artifacts"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists() and not shutil.which("chromium"),
        reason="Debian chromium is not installed (.ci/run installs it)",
    ),
]


def render(browser, page_path: Path, shot: str) -> dict:
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(page_path.resolve().as_uri())
    page.wait_for_load_state("load")
    widths = page.evaluate("Array.from(document.images).map(i => i.complete ? i.naturalWidth : 0)")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / shot), full_page=True)
    page.close()
    return {"errors": errors, "widths": widths, "requests": requests}


def out_summary(folder: Path) -> dict:
    return json.loads((folder / "summary.json").read_text(encoding="utf-8"))


def test_report_renders_with_every_image(browser, tmp_path):
    sc = shrink(load_scenario(SCENARIOS / "hybrid_full_ethics.yaml"), 8000, 36)
    out = simulator.run(sc, replications=2, seed=1).save(tmp_path / "hybrid")
    seen = render(browser, out / "report.html", "report.png")
    assert seen["errors"] == []
    assert len(seen["widths"]) >= 8 and all(w > 0 for w in seen["widths"])
    assert all(u.startswith(("file:", "data:")) for u in seen["requests"])


def test_comparison_renders_with_every_image(browser, tmp_path):
    plans = [
        shrink(load_scenario(SCENARIOS / f"{n}.yaml"), 6000, 30)
        for n in ("status_quo", "nearshore_phased_responsible")
    ]
    out = save_comparison(compare(plans, replications=2, seed=1), tmp_path / "cmp")
    seen = render(browser, out / "comparison.html", "comparison.png")
    assert seen["errors"] == []
    assert len(seen["widths"]) >= 3 and all(w > 0 for w in seen["widths"])
    assert all(u.startswith(("file:", "data:")) for u in seen["requests"])


def test_sweep_summary_with_sensitivity_renders(browser, tmp_path):
    from distributed import Client, LocalCluster

    from simulator import sweep

    from .test_sweep import ISHIGAMI_FIELDS, ishigami, write_spec

    spec = write_spec(
        tmp_path,
        name="morris",
        sampler="morris",
        samples=10,
        replications=1,
        parameters={f: {"range": [0.0, 1.0]} for f in ISHIGAMI_FIELDS},
        outputs=["csat_mean"],
        keep_timeseries=[],
    )
    cluster = LocalCluster(n_workers=1, processes=False, dashboard_address=None)
    with cluster, Client(cluster) as client:
        sweep.sensitivity(spec, client, out=tmp_path / "out", runner=ishigami)
    page = tmp_path / "out" / "summary.html"
    assert 'id="sensitivity-table"' in page.read_text(encoding="utf-8")
    seen = render(browser, page, "sweep_summary.png")
    assert seen["errors"] == []
    assert len(seen["widths"]) >= 2 and all(w > 0 for w in seen["widths"])
    assert all(u.startswith(("file:", "data:")) for u in seen["requests"])


def test_validation_page_renders(browser, tmp_path):
    from simulator.analysis.validation import FACTS, fact_row
    from simulator.outputs.validation.report import save_validation

    rows = [fact_row(f, [f.low + 0.01 * k for k in range(3)]) for f in FACTS]
    import pandas as pd

    out = save_validation(pd.DataFrame(rows), tmp_path / "validation", 2, 1, "test")
    seen = render(browser, out / "validation.html", "validation.png")
    assert seen["errors"] == []
    assert all(u.startswith(("file:", "data:")) for u in seen["requests"])


def test_the_bottom_line_is_on_the_first_screen(browser, tmp_path):
    """At 1280×800, without scrolling, the report answers: the NPV against the status quo,
    the people displaced and back at work, customer satisfaction."""
    sc = shrink(load_scenario(SCENARIOS / "default.yaml"), 8000, 36)
    out = simulator.run(sc, replications=3, seed=2, safeguards=True).save(tmp_path / "default")
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto((out / "report.html").resolve().as_uri())
    page.wait_for_load_state("load")
    box = page.locator("#bottom-line")
    bounds = box.bounding_box()
    assert bounds is not None and bounds["y"] + bounds["height"] <= 800, bounds
    text = box.inner_text()
    assert "against the status quo simulated on the same draws" in text and "$" in text
    assert "run-to-run luck" in text and "95% interval" in text  # what the range covers
    assert "displaces" in text and "are back at work" in text and "labour force" in text
    assert "Revenue ends" in text and ("pays back" in text or "does not pay back" in text)
    assert "Customer satisfaction falls" in text
    npv = out_summary(out)["effects"]["npv_net_savings"]
    if npv["ci95_low"] <= 0 <= npv["ci95_high"]:  # no verdict where luck could flip it
        assert "unclear whether this plan saves money" in text
        assert "this plan saves" not in text and "pays for itself" not in text
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report_first_screen.png"))
    assert page.locator("#safeguards-table tr").count() >= 2
    page.close()


def test_optimise_page_brushes_its_parallel_coordinates(browser, tmp_path):
    from simulator.sweep.robust_search import report

    from .test_optimise import analytic, run_analytic

    outcome = run_analytic(tmp_path / "zdt1", 20)
    page_path = report(analytic(20), outcome)
    seen = render(browser, page_path, "optimise.png")
    assert seen["errors"] == []
    assert seen["widths"] and all(w > 0 for w in seen["widths"])
    assert all(u.startswith(("file:", "data:")) for u in seen["requests"])
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.goto(page_path.resolve().as_uri())
    assert page.locator("#parallel polyline").count() == 21  # 20 candidates and the base
    status = page.locator("#parallel-status")
    assert status.get_attribute("data-kept") == "21"
    page.locator("#parallel").scroll_into_view_if_needed()
    area = page.locator("#parallel .brush-area").nth(2).bounding_box()  # first objective
    assert area is not None
    middle = area["x"] + area["width"] / 2
    page.mouse.move(middle, area["y"] + 1)
    page.mouse.down()
    page.mouse.move(middle, area["y"] + area["height"] * 0.3, steps=5)
    page.mouse.up()
    kept = int(status.get_attribute("data-kept") or 0)
    assert 0 < kept < 21 and "brushed range" in status.inner_text()
    visible = page.locator('#parallel polyline[visibility="visible"]').count()
    assert visible == kept
    page.locator("#parallel .brush-area").nth(2).dblclick()
    assert status.get_attribute("data-kept") == "21"
    page.close()


def test_cases_page_renders_with_its_bottom_line_first(browser, tmp_path):
    """cases.html in Chromium: no errors or outside requests, the bottom line on the first
    screen, one row per documented outcome, each case's sources behind a summary."""
    from simulator.analysis.cases import replay_cases
    from simulator.outputs.cases.report import save_cases
    from simulator.scenario.cases import load_case

    from .test_cases import OUTCOMES, write_case

    write_case(tmp_path / "library")
    cases = [load_case(tmp_path / "library", "example")]
    table = replay_cases(cases, 2, seed=3)
    out = save_cases(table, cases, tmp_path / "cases", 2, 3, "test")
    seen = render(browser, out / "cases.html", "cases.png")
    assert seen["errors"] == []
    assert all(u.startswith(("file:", "data:")) for u in seen["requests"])
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto((out / "cases.html").resolve().as_uri())
    page.wait_for_load_state("load")
    bounds = page.locator("#bottom-line").bounding_box()
    assert bounds is not None and bounds["y"] + bounds["height"] <= 800, bounds
    assert (
        "documented outcomes it can be compared with" in page.locator("#bottom-line").inner_text()
    )
    rows = page.locator("#cases-table tr[data-outcome]")
    assert rows.count() == len(OUTCOMES)
    verdicts = {rows.nth(i).get_attribute("data-verdict") for i in range(rows.count())}
    assert verdicts <= {"agree", "disagree", "not comparable"}
    assert page.locator("#case-example details summary").inner_text() == "Sources"
    page.close()


def test_region_brief_renders_with_its_bottom_line_first(browser, tmp_path):
    """region.html in Chromium: no errors or outside requests, the bottom line and the
    headline figures on the first screen, one row per firm, the chart drawn."""
    from simulator.analysis.region import run_region
    from simulator.outputs.region.report import save_region
    from simulator.scenario.region import load_region

    from .test_region import write_region

    path = write_region(tmp_path / "in", [{"scenario": "bank.yaml"}, {"scenario": "telecom.yaml"}])
    results = run_region(load_region(path), replications=2)
    out = save_region(results, tmp_path / "region", "test")
    seen = render(browser, out / "region.html", "region.png")
    assert seen["errors"] == [] and seen["widths"] and min(seen["widths"]) > 0
    assert all(u.startswith(("file:", "data:")) for u in seen["requests"])
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto((out / "region.html").resolve().as_uri())
    page.wait_for_load_state("load")
    for selector in ("#bottom-line", "#headline"):
        bounds = page.locator(selector).bounding_box()
        assert bounds is not None and bounds["y"] + bounds["height"] <= 800, (selector, bounds)
    assert "firms' plans displace about" in page.locator("#bottom-line").inner_text()
    assert page.locator("#firms-table tr[data-firm]").count() == 2
    page.close()
