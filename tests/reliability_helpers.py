"""Helpers for the reliability tests: run the CLI as a user would, snapshot folders."""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from simulator.cli import main

ROOT = Path(__file__).resolve().parents[1]
# A valid scenario small enough to run in about a second.
TINY: dict[str, Any] = {
    "simulation": {"name": "tiny", "horizon_months": 12, "replications": 1},
    "customers": {"count": 1000},
    "workforce": {"headcount": 10},
    "vendors": [{"name": "manila"}],
    "plan": {"phases": [{"month": 2, "shares": {"manila": 0.5}}]},
}
# what a test of folders and failures does not need: the swing and the luck-and-knowledge
# split (``outsim run`` adds both to a scenario this small; their own tests cover them)
LEAN = ("--no-swing", "--uncertainty", "none")


@dataclass(frozen=True)
class Outcome:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


def outsim(
    *args: Any,
    cwd: Path,
    fresh: bool = False,
    timeout: float = 180,
    env: dict[str, str] | None = None,
) -> Outcome:
    """``outsim ARGS`` run in ``cwd`` through the real entry point: in this interpreter (the
    same code path, without paying start-up per case), or with ``fresh`` in a new process
    (where a hang, a signal or the process's own resources are part of the test), with
    ``env`` added to its environment."""
    if fresh or env:
        proc = subprocess.run(
            [sys.executable, "-m", "simulator.cli", *map(str, args)],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
            env={**os.environ, **(env or {})},
        )
        return Outcome(proc.returncode, proc.stdout, proc.stderr)
    out, err = io.StringIO(), io.StringIO()
    here = os.getcwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main([str(a) for a in args])
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    finally:
        os.chdir(here)
    return Outcome(code, out.getvalue(), err.getvalue())


def write_yaml(path: Path, content: str | dict[str, Any] | list[Any]) -> Path:
    """Text as is; anything else dumped as YAML."""
    text = content if isinstance(content, str) else yaml.safe_dump(content, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return path


def tiny(folder: Path, name: str = "tiny.yaml", **sections: Any) -> Path:
    data = {k: dict(v) if isinstance(v, dict) else v for k, v in TINY.items()}
    for key, value in sections.items():
        data[key] = {**data.get(key, {}), **value} if isinstance(value, dict) else value
    return write_yaml(folder / name, data)


def snapshot(root: Path) -> dict[str, tuple[str, str]]:
    """Every entry under ``root``: its kind and (for files) a content hash, links unfollowed."""
    seen: dict[str, tuple[str, str]] = {}
    for here, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(here) / name
            rel = path.relative_to(root).as_posix()
            mode = path.lstat().st_mode
            if stat.S_ISLNK(mode):
                seen[rel] = ("link", os.readlink(path))
            elif stat.S_ISDIR(mode):
                seen[rel] = ("dir", "")
            elif stat.S_ISREG(mode):
                seen[rel] = ("file", hashlib.sha256(path.read_bytes()).hexdigest())
            else:
                seen[rel] = ("other", "")
    return seen


def hidden(folder: Path) -> list[str]:
    """Hidden entries (temporary or backup folders) in ``folder``."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def assert_refused(result: Outcome, *expected: str) -> None:
    """Exit status 2, the expected texts in the message, no traceback."""
    assert result.code == 2, (result.code, result.out, result.err)
    for text in expected:
        assert text in result.err, f"{text!r} not in stderr:\n{result.err}"
    assert "Traceback" not in result.text, result.err


def assert_unchanged(before: dict, after: dict, allowed_new: tuple[str, ...] = ()) -> None:
    """Nothing that was there changed or went; only ``allowed_new`` prefixes appeared."""
    for rel, entry in before.items():
        assert after.get(rel) == entry, f"{rel} changed or was removed"
    new = [r for r in after if r not in before and not r.startswith(allowed_new)]
    assert not new, f"unexpected new entries: {new}"
