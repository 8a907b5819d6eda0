"""One default model run of this checkout against the same run at another commit, side by
side in one process.

``python -m simulator.dev.versus 859979a --runs 15`` extracts that commit's ``simulator/``
and ``scenarios/`` with ``git archive`` into a temporary folder, renames its package to
``outsim_then`` (so both versions import side by side), then alternates runs of the two: the
commit's, this checkout's, the commit's, ... Each run builds the model on the bundled default
scenario and steps it to the horizon (wall seconds; the same seed for both). Alternating in
one process puts both versions under the same machine load and the same numpy, so their
ratio is robust on a shared machine where single timings vary by 2×. Prints the best and
median of each and the median ratio of the pairs (this checkout's time over the commit's).
"""

from __future__ import annotations

import argparse
import gc
import importlib
import inspect
import re
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
THEN = "outsim_then"  # the other commit's package name, once extracted
SEED = 20261128


def extract(commit: str, into: Path) -> Path:
    """``commit``'s ``simulator/`` (renamed ``outsim_then``) and ``scenarios/`` under
    ``into``; returns the folder holding the scenarios."""
    if not re.fullmatch(r"[0-9A-Za-z_./-]{1,100}", commit) or commit.startswith("-"):
        raise SystemExit(f"versus: {commit!r} does not look like a commit")
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", commit, "simulator", "scenarios"],
        capture_output=True,
        check=False,
    )
    if archive.returncode != 0:
        raise SystemExit(f"versus: git archive {commit}: {archive.stderr.decode().strip()}")
    with tarfile.open(fileobj=BytesIO(archive.stdout)) as tar:
        tar.extractall(into, filter="data")
    (into / "simulator").rename(into / THEN)
    pattern = re.compile(r"\bsimulator(?=[.\s])")
    for path in (into / THEN).rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        path.write_text(pattern.sub(THEN, text), encoding="utf-8")
    return into / "scenarios"


def _runner(package: str, scenarios: Path) -> Any:
    """A function that builds and runs ``package``'s model on its default scenario once and
    returns the wall seconds."""
    module = importlib.import_module(f"{package}.model.model")
    model_class = module.OutsourcingModel
    load = importlib.import_module(f"{package}.scenario").load_scenario
    scenario = load(scenarios / "default.yaml")
    # a version that measures money against a simulated status quo is given its books, as
    # ``simulator.run`` gives them: one model run against one model run
    given = {}
    if "status_quo" in inspect.signature(model_class.__init__).parameters:
        given["status_quo"] = module.simulate_status_quo(scenario, SEED)

    def run() -> float:
        gc.collect()
        start = time.perf_counter()
        model = model_class(scenario, seed=SEED, **given)
        for _ in range(model.horizon):
            model.step()
        seconds = time.perf_counter() - start
        if hasattr(model, "release"):
            model.release()
        return seconds

    return run


def compare(commit: str, runs: int) -> dict[str, float]:
    """Alternate ``runs`` runs of ``commit``'s model and this checkout's; their timings."""
    with tempfile.TemporaryDirectory(prefix="outsim-versus-") as tmp:
        scenarios_then = extract(commit, Path(tmp))
        sys.path.insert(0, tmp)
        try:
            then = _runner(THEN, scenarios_then)
            now = _runner("simulator", ROOT / "scenarios")
            then(), now()  # warm up both (imports, caches)
            pairs = [(then(), now()) for _ in range(runs)]
        finally:
            sys.path.remove(tmp)
    t_then, t_now = [p[0] for p in pairs], [p[1] for p in pairs]
    return {
        "then_best": min(t_then),
        "then_median": statistics.median(t_then),
        "now_best": min(t_now),
        "now_median": statistics.median(t_now),
        "ratio_of_bests": min(t_now) / min(t_then),
        "median_pair_ratio": statistics.median(n / t for t, n in pairs),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("commit", help="the commit to compare with (e.g. 859979a)")
    parser.add_argument("--runs", type=int, default=15, help="pairs of runs (default 15)")
    args = parser.parse_args(argv)
    if not 1 <= args.runs <= 1000:
        raise SystemExit("versus: --runs must be between 1 and 1000")
    r = compare(args.commit, args.runs)
    print(
        f"{args.commit}: best {r['then_best']:.3f} s, median {r['then_median']:.3f} s\n"
        f"this checkout: best {r['now_best']:.3f} s, median {r['now_median']:.3f} s\n"
        f"this checkout / {args.commit}: {r['ratio_of_bests']:.3f} (bests), "
        f"{r['median_pair_ratio']:.3f} (median of {args.runs} pairs)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
