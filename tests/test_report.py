"""report.html: self-contained, complete, and rebuilt identically by `outsim report`."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

import simulator
from simulator.analysis.scorecard import DIMENSIONS
from simulator.outputs.run.report import (
    ReportError,
    kpi_rows,
    load_folder,
    render_report,
    write_report,
)
from simulator.scenario import load_scenario

from .conftest import SCENARIOS, shrink


class Collector(HTMLParser):
    """Collects tags, image sources and the report's KPI table rows."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.images: list[str] = []
        self.links: list[str] = []
        self.kpi_rows: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "img":
            self.images.append(a.get("src", ""))
        if tag in ("link", "script") and (a.get("href") or a.get("src")):
            self.links.append(a.get("href") or a.get("src"))
        if tag == "tr" and "data-kpi" in a:
            self.kpi_rows.append(a["data-kpi"])
        if tag not in ("meta", "img", "br", "link", "input"):
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in ("meta", "img", "br", "link", "input"):
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unexpected </{tag}> (open: {self.stack[-3:]})")
            return
        self.stack.pop()


@pytest.fixture(scope="module")
def results_dir(tmp_path_factory) -> Path:
    sc = shrink(load_scenario(SCENARIOS / "nearshore_phased_responsible.yaml"), 8000, 36)
    out = tmp_path_factory.mktemp("run") / "responsible"
    simulator.run(sc, replications=3, seed=3).save(out)
    return out


def parse(path: Path) -> Collector:
    c = Collector()
    c.feed(path.read_text(encoding="utf-8"))
    c.close()
    return c


@pytest.mark.integration
def test_report_is_valid_self_contained_html(results_dir):
    html = (results_dir / "report.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    c = parse(results_dir / "report.html")
    assert not c.errors, c.errors[:5]
    assert c.stack == []
    assert c.images and all(src.startswith("data:image/png;base64,") for src in c.images)
    assert not c.links
    assert 'src="http' not in html and "url(http" not in html


def test_report_has_every_kpi_and_dimension(results_dir):
    summary = json.loads((results_dir / "summary.json").read_text())
    c = parse(results_dir / "report.html")
    assert c.kpi_rows == list(summary["kpis"])
    html = (results_dir / "report.html").read_text(encoding="utf-8")
    for name, (title, _) in DIMENSIONS.items():
        assert f'data-dimension="{name}"' in html
        assert title in html
    for heading in ("The plan in plain words", "People: the displaced workers", "Assumptions"):
        assert heading in html
    # the bottom line says how many replications its interval rests on (the report reads
    # summary.json: its statistics keep their count and spread)
    assert f"over {summary['replications']} replications: run-to-run luck" in html
    # the people view and its two charts
    assert "Back at work 24 months after" in html
    assert "Displaced states" in html and "Earnings recovery" in html


def outsim_report(folder: Path) -> subprocess.CompletedProcess[str]:
    """``outsim report FOLDER`` in a real process."""
    return subprocess.run(
        [sys.executable, "-m", "simulator.cli", "report", str(folder)],
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.integration
def test_outsim_report_rebuilds_the_same_kpi_table(results_dir, tmp_path):
    before = kpi_rows(load_folder(results_dir)["summary"])
    original = (results_dir / "report.html").read_text(encoding="utf-8")
    (results_dir / "report.html").unlink()
    proc = outsim_report(results_dir)
    assert proc.returncode == 0, proc.stderr
    rebuilt = (results_dir / "report.html").read_text(encoding="utf-8")
    table = re.compile(r'<table id="kpi-table">.*?</table>', re.S)
    assert table.search(rebuilt).group(0) == table.search(original).group(0)
    assert kpi_rows(load_folder(results_dir)["summary"]) == before


@pytest.mark.integration
def test_report_on_a_non_results_folder_is_bad_input(tmp_path):
    with pytest.raises(ReportError, match="summary.json: missing"):
        write_report(tmp_path)
    proc = outsim_report(tmp_path)
    assert proc.returncode == 2
    assert "missing" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.integration
@pytest.mark.parametrize("tamper", ["plot_link", "plots_link", "plot_folder"])
def test_report_refuses_a_tampered_plot_naming_it(results_dir, tmp_path, tamper):
    """A results folder whose plot (or ``plots/``) was replaced by a link or a folder is
    refused: exit status 2, one line naming it, no traceback, report.html untouched."""
    folder = tmp_path / "results"
    shutil.copytree(results_dir, folder, symlinks=True)
    (tmp_path / "elsewhere.png").write_bytes((folder / "plots" / "workforce.png").read_bytes())
    if tamper == "plot_link":
        bad = folder / "plots" / "workforce.png"
        bad.unlink()
        bad.symlink_to(tmp_path / "elsewhere.png")
    elif tamper == "plots_link":
        bad = folder / "plots"
        shutil.copytree(bad, tmp_path / "other_plots")
        shutil.rmtree(bad)
        bad.symlink_to(tmp_path / "other_plots")
    else:
        bad = folder / "plots" / "workforce.png"
        bad.unlink()
        bad.mkdir()
    before = (folder / "report.html").read_bytes()
    with pytest.raises(ReportError, match=re.escape(str(bad))):
        render_report(folder)
    proc = outsim_report(folder)
    assert proc.returncode == 2, proc.stderr
    assert str(bad) in proc.stderr and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert (folder / "report.html").read_bytes() == before
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]  # no temporary left
