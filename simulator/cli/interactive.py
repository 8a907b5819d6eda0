"""``outsim dashboard``: the interactive web app, served on this machine."""

from __future__ import annotations

import importlib.util
import os
import re
import sys
from pathlib import Path
from typing import Annotated

import typer

from simulator.cli.common import app, bad_input, guard, say

_HOST = re.compile(r"^[A-Za-z0-9.:\-\[\]]{1,255}$")


@app.command()
def dashboard(
    scenario: Annotated[
        Path | None, typer.Argument(help="Scenario YAML to open (default: the bundled default)")
    ] = None,
    host: Annotated[
        str, typer.Option("--host", help="Address to serve on (default: this machine only)")
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", min=0, max=65535, help="Port (0: any free)")
    ] = 8765,
    workdir: Annotated[
        Path | None,
        typer.Option(
            "--workdir",
            help="The folder Save writes into and Load reads from (default: this folder); "
            "paths outside it are refused",
        ),
    ] = None,
) -> None:
    """Open the interactive dashboard (Solara, works offline): edit the levers by ethical
    dimension, run the plan against its status quo, step one run month by month, and save
    the scenario as YAML for `outsim run`. Needs the dashboard extra."""
    if (
        importlib.util.find_spec("solara") is None
        or importlib.util.find_spec("solara_assets") is None
    ):
        raise bad_input(
            "the dashboard needs the dashboard extra; install it with "
            "`.venv/bin/pip install -e '.[dashboard]'` (make test installs it too)"
        )
    if not _HOST.match(host):
        raise bad_input(f"--host {host!r}: expected a host name or IP address, e.g. 127.0.0.1")
    if scenario is not None:
        from simulator.scenario import ScenarioError, load_scenario

        try:
            load_scenario(scenario)
        except ScenarioError as exc:
            raise bad_input(str(exc)) from None
    folder = (workdir or Path.cwd()).resolve()
    if not folder.is_dir():
        raise bad_input(f"--workdir {workdir}: not a folder; expected an existing folder")
    env = os.environ | {
        "OUTSIM_DASHBOARD_SCENARIO": str(scenario.resolve()) if scenario else "",
        "OUTSIM_DASHBOARD_WORKDIR": str(folder),
        "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",  # no calls home: it works offline
    }
    command = [sys.executable, "-m", "solara", "run", "simulator.dashboard.app"]
    command += ["--host", host, "--port", str(port)]
    command += ["--production", "--no-open", "--no-check-version"]
    say(f"outsim dashboard on http://{host}:{port}/ (Ctrl+C stops it); saves in {folder}/")
    sys.stdout.flush()
    sys.stderr.flush()
    # the server replaces this process: stopping it (Ctrl+C, a signal) stops the server,
    # and no server is left behind as an orphan
    with guard("dashboard"):
        os.execve(sys.executable, command, env)
