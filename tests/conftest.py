"""Shared fixtures: small, fast versions of the bundled scenarios, and a real Dask cluster
on loopback."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from simulator.scenario import Scenario, load_scenario
from simulator.scenario.overrides import with_overrides

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
BIN = Path(sys.executable).parent


def shrink(scenario: Scenario, customers: int = 20_000, months: int | None = None) -> Scenario:
    """The same plan at a smaller scale (fewer customers and, without a roster file, the
    in-house staff in proportion, so the centre stays near its service standard; optionally
    fewer months: phases after the shorter horizon left out, as ``with_overrides`` does)."""
    changes: dict[str, int] = {"customers.count": customers}
    if scenario.workforce.roster is None:
        scale = customers / scenario.customers.count
        changes["workforce.headcount"] = max(5, round(scenario.workforce.headcount * scale))
    if months is not None:
        changes["simulation.horizon_months"] = months
    return with_overrides(scenario, changes)


def tiny_scenario(name: str, months: int) -> dict:
    """A scenario document extending the default plan at a tiny scale (3,000 customers, 40
    staff, a labour force of 30,000), for tests that write it to a file."""
    return {
        "extends": str(SCENARIOS / "default.yaml"),
        "simulation": {"name": name, "horizon_months": months},
        "customers": {"count": 3000},
        "workforce": {"headcount": 40},
        "local_economy": {"labour_force": 30000},
    }


@pytest.fixture(scope="session")
def scenario_dir() -> Path:
    return SCENARIOS


@pytest.fixture(scope="session")
def default_small() -> Scenario:
    return shrink(load_scenario(SCENARIOS / "default.yaml"), months=36)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def thread_client(threads: int = 1) -> Iterator[Any]:
    """A Dask client on a ``LocalCluster`` of one worker with ``threads`` threads inside this
    process (Dask imported here, not at collection)."""
    from distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=1, threads_per_worker=threads, processes=False, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


@pytest.fixture(scope="module")
def dask_scheduler() -> Iterator[str]:
    """The address of a real ``dask scheduler`` with two single-thread ``dask worker``
    processes on loopback (started from the installed command-line tools)."""
    from distributed import Client

    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = os.environ | {"DASK_DISTRIBUTED__WORKER__DAEMON": "False"}
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "env": env}
    scheduler = subprocess.Popen(
        [
            str(BIN / "dask"),
            "scheduler",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-dashboard",
        ],
        **quiet,
    )
    worker = subprocess.Popen(
        [
            str(BIN / "dask"),
            "worker",
            address,
            "--nworkers",
            "2",
            "--nthreads",
            "1",
            "--no-dashboard",
            "--host",
            "127.0.0.1",
        ],
        **quiet,
    )
    try:
        with Client(address, timeout="60s") as client:
            client.wait_for_workers(2, timeout=60)
        yield address
    finally:
        for proc in (worker, scheduler):
            proc.terminate()
        for proc in (worker, scheduler):
            proc.wait(timeout=30)


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    """Debian's headless Chromium through Playwright (the browser tests' one browser)."""
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The longest tests (marked ``slow``) first, the rest in their order: started first, they
    leave the short tests to fill both workers' last minutes (``-n 2 --dist worksteal``)."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
