"""`outsim dashboard` in a real Chromium: served on loopback, offline (no request leaves the
machine), a lever changed, a run whose KPIs change, the scenario saved and loaded back; and
Mesa's own SolaraViz on the model, stepped past its horizon. Marked ``browser``."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from .conftest import BIN, ROOT, free_port, tiny_scenario
from .test_browser import ARTIFACTS, CHROMIUM

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists() and not shutil.which("chromium"),
        reason="Debian chromium is not installed (.ci/run installs it)",
    ),
    # found, not imported: collecting this module must not pay for Solara's import
    pytest.mark.skipif(
        importlib.util.find_spec("solara") is None, reason="solara is not installed"
    ),
]
TINY = tiny_scenario("tiny_dashboard", 24)
LOCAL = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")


def listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def wait_for(port: int, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if listening(port):
            return
        time.sleep(0.3)
    raise TimeoutError(f"nothing listens on port {port}")


@contextlib.contextmanager
def serve(command: list[str], port: int, cwd: Path) -> Iterator[str]:
    env = os.environ | {"SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False"}
    proc = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    try:
        wait_for(port)
        yield f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
    # stopping the command stops the server: nothing is left listening (no orphan)
    deadline = time.monotonic() + 10
    while listening(port) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not listening(port), f"a server still listens on port {port}"


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    folder = tmp_path_factory.mktemp("dashboard")
    (folder / "tiny.yaml").write_text(yaml.safe_dump(TINY), encoding="utf-8")
    port = free_port()
    command = [str(BIN / "outsim"), "dashboard", "tiny.yaml", "--port", str(port)]
    with serve(command, port, folder) as url:
        yield url, folder


def open_page(browser, url: str):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    seen = {"requests": [], "errors": []}
    page.on("request", lambda r: seen["requests"].append(r.url))
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.goto(url)
    page.get_by_role("button", name="Run").wait_for(timeout=90_000)
    return page, seen


def kpi_table(page) -> str:
    table = page.locator(".v-data-table, table").first
    table.wait_for(timeout=120_000)
    return table.inner_text()


def run_and_read(page) -> str:
    page.get_by_role("button", name="Run").click()
    page.locator(".bottom-line").wait_for(timeout=5_000)  # a run in progress shows the last
    page.get_by_text("Running the plan").wait_for(state="detached", timeout=180_000)
    return kpi_table(page)


def test_dashboard_edits_runs_saves_and_loads_offline(browser, dashboard) -> None:
    from playwright.sync_api import Error as PlaywrightError

    url, folder = dashboard
    page, seen = open_page(browser, url)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard_open.png"))
    page.locator(".replications input").fill("2")
    page.get_by_role("button", name="Run").click()
    page.get_by_text("Running the plan").wait_for(state="detached", timeout=180_000)
    page.locator(".bottom-line").wait_for(timeout=60_000)
    before = kpi_table(page)
    assert "saves" in page.locator(".bottom-line").inner_text() or "costs" in before
    # a lever: disclose the outsourcing to customers (transparency)
    page.get_by_text("Transparency with customers and staff").click()
    lever = page.locator(".lever-policies-transparency-disclose_outsourcing input")
    for _ in range(10):  # the panel may still be opening (a click then changes nothing)
        try:
            lever.check(force=True, timeout=5_000)
            break
        except PlaywrightError:
            page.wait_for_timeout(500)
    page.get_by_text("disclose outsourcing: yes").wait_for(timeout=30_000)
    page.get_by_role("button", name="Run").click()
    page.get_by_text("Running the plan").wait_for(timeout=30_000)
    page.get_by_text("Running the plan").wait_for(state="detached", timeout=180_000)
    after = kpi_table(page)
    assert after != before  # the KPIs moved with the lever
    page.screenshot(path=str(ARTIFACTS / "dashboard_run.png"), full_page=True)
    # save, then load back
    page.get_by_role("tab", name="Scenario file").click()
    target = folder / "saved" / "edited.yaml"
    page.locator(".save-path input").fill(str(target))
    page.get_by_role("button", name="Save scenario").click()
    page.get_by_text("Saved to").wait_for(timeout=30_000)
    saved = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert saved["policies"]["transparency"]["disclose_outsourcing"] is True
    check = subprocess.run(
        [str(BIN / "outsim"), "validate", str(target)], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr
    # a file outsim did not write is never overwritten
    mine = folder / "mine.yaml"
    mine.write_text("# my notes\n", encoding="utf-8")
    page.locator(".save-path input").fill(str(mine))
    page.get_by_role("button", name="Save scenario").click()
    page.get_by_text("Not saved").wait_for(timeout=30_000)
    assert mine.read_text(encoding="utf-8") == "# my notes\n"
    # nothing is written outside the working folder (the folder it was started in)
    outside = Path("/tmp/outside.yaml")
    existed = outside.exists()
    page.locator(".save-path input").fill(str(outside))
    page.get_by_role("button", name="Save scenario").click()
    page.get_by_text("outside the dashboard's working folder").wait_for(timeout=30_000)
    assert outside.exists() == existed
    page.locator(".save-path input").fill("../escape.yaml")
    page.get_by_role("button", name="Save scenario").click()
    page.get_by_text("../escape.yaml: outside").wait_for(timeout=30_000)
    assert not (folder.parent / "escape.yaml").exists()
    # load it in a fresh session: the lever comes back
    fresh, fresh_seen = open_page(browser, url)
    fresh.get_by_role("tab", name="Scenario file").click()
    fresh.locator(".load-path input").fill(str(target))
    fresh.get_by_role("button", name="Load scenario").click()
    fresh.get_by_text("Loaded").wait_for(timeout=30_000)
    fresh.get_by_text("Transparency with customers and staff").click()
    fresh.get_by_text("disclose outsourcing: yes").wait_for(timeout=30_000)
    fresh.screenshot(path=str(ARTIFACTS / "dashboard_loaded.png"))
    for s in (seen, fresh_seen):
        assert s["errors"] == []
        outside = [u for u in s["requests"] if not u.startswith(LOCAL)]
        assert outside == []  # offline: nothing from a CDN or anywhere else
    page.close()
    fresh.close()


def test_dashboard_steps_one_run_month_by_month(browser, dashboard) -> None:
    url, _ = dashboard
    page, seen = open_page(browser, url)
    page.get_by_role("tab", name="Step").click()
    page.get_by_role("button", name="Step").click()
    page.get_by_text("Month 1 of 24").wait_for(timeout=60_000)
    page.get_by_role("button", name="Play").click()
    page.get_by_text("Month 24 of 24").wait_for(timeout=120_000)
    page.screenshot(path=str(ARTIFACTS / "dashboard_step.png"), full_page=True)
    assert seen["errors"] == []
    page.close()


def test_dashboard_refuses_a_bad_scenario(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("simulation: {horizon_months: -1}\n", encoding="utf-8")
    done = subprocess.run(
        [str(BIN / "outsim"), "dashboard", str(bad)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2 and "horizon_months" in done.stderr


def test_mesa_solaraviz_drives_the_model_past_its_horizon(browser, tmp_path: Path) -> None:
    port = free_port()
    app = ROOT / "experiments" / "solaraviz_app.py"
    command = [
        sys.executable,
        "-m",
        "solara",
        "run",
        str(app),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--production",
        "--no-open",
        "--no-check-version",
    ]
    with serve(command, port, tmp_path) as url:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        errors: list[str] = []
        requests: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: requests.append(r.url))
        page.goto(url)
        step = page.get_by_role("button", name="Step")
        step.wait_for(timeout=90_000)
        for month in range(1, 15):  # the app's model has a 12-month horizon
            step.click(force=True)
            # each click is answered before the next (a busy machine answers slowly)
            page.get_by_text(f"Step: {min(month, 12)}").first.wait_for(timeout=60_000)
        time.sleep(0.5)  # the two clicks past the horizon had time to (not) step
        assert page.get_by_text("Step: 13").count() == 0
        text = page.locator("body").inner_text()
        assert "error" not in text.lower() and "Missing required" not in text
        page.screenshot(path=str(ARTIFACTS / "solaraviz.png"), full_page=True)
        assert errors == []
        assert [u for u in requests if not u.startswith(LOCAL)] == []
        page.close()
