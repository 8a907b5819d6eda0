"""How strong the fast tests are: mutmut plants small bugs in ``simulator/model/`` and
``simulator/analysis/`` and runs, for each, the fast-tier tests that cover the mutated
function. A mutant the tests fail on is *killed*; one they pass is a *survivor*.

``python -m simulator.dev.mutation --samples 100 --seed 1`` (or ``make mutation``):

1. ``mutmut run`` with a name that matches no mutant writes every mutant into ``mutants/``
   (about 9,500 of them) and records which tests cover which function, without testing any;
2. a seeded sample of ``--samples`` mutants is drawn from all of them (the same seed and the
   same code give the same sample);
3. ``mutmut run NAME ...`` tests the sample on ``--jobs`` processes;
4. the score (killed and timed-out over tested, with a 95% Wilson interval) and every
   survivor's diff are printed, and written to ``mutants/outsim-sample.json``.

mutmut's settings are ``[tool.mutmut]`` in ``pyproject.toml`` (the fast tier's marker
expression, what to mutate). ``mutants/`` is mutmut's working folder (ignored by git);
``--fresh`` removes it first, and only if it holds mutmut's own files. Needs the ``dev``
extra: ``pip install -e ".[dev]"``.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from simulator.analysis.statistics import wilson_interval

ROOT = Path(__file__).resolve().parents[2]
MUTANTS = ROOT / "mutants"
LAYERS = ("simulator/model", "simulator/analysis")
NO_MUTANT = "outsim_matches_no_mutant*"  # makes `mutmut run` generate and test nothing
KILLED = {"killed", "timeout"}  # a mutant that hangs the tests is caught, as mutmut counts it
SKIPPED = {"skipped", "not checked", "check was interrupted by user"}


@dataclass(frozen=True)
class Score:
    """The sample's outcome: counts by mutmut status, the killed share and its interval."""

    statuses: Mapping[str, str]  # mutant name -> mutmut status

    @property
    def counts(self) -> Counter[str]:
        return Counter(self.statuses.values())

    @property
    def tested(self) -> int:
        return sum(1 for s in self.statuses.values() if s not in SKIPPED)

    @property
    def killed(self) -> int:
        return sum(1 for s in self.statuses.values() if s in KILLED)

    @property
    def share(self) -> float:
        """Killed over tested (0 with nothing tested)."""
        return self.killed / self.tested if self.tested else 0.0

    @property
    def interval(self) -> tuple[float, float]:
        """95% Wilson score interval of the killed share (``statistics.wilson_interval``)."""
        return wilson_interval(self.killed, self.tested)

    @property
    def survivors(self) -> list[str]:
        """Mutants the tests did not catch (survived, no covering test, suspicious, ...)."""
        return sorted(n for n, s in self.statuses.items() if s not in KILLED | SKIPPED)


def all_mutants(mutants: Path = MUTANTS) -> list[str]:
    """Every mutant mutmut generated in the mutated layers, sorted by name."""
    names: list[str] = []
    for layer in LAYERS:
        for meta in sorted((mutants / layer).rglob("*.py.meta")):
            names.extend(json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"])
    return sorted(names)


def sample(names: Iterable[str], samples: int, seed: int) -> list[str]:
    """``samples`` names drawn without replacement by a seeded generator (all if fewer)."""
    pool = sorted(names)
    return sorted(random.Random(seed).sample(pool, min(samples, len(pool))))


def exit_codes(mutants: Path = MUTANTS) -> dict[str, int | None]:
    """mutmut's recorded exit code of every mutant (``None``: not tested yet)."""
    codes: dict[str, int | None] = {}
    for layer in LAYERS:
        for meta in (mutants / layer).rglob("*.py.meta"):
            codes.update(json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"])
    return codes


def score(names: Iterable[str], codes: Mapping[str, int | None]) -> Score:
    """The sampled mutants' statuses, read from mutmut's exit codes."""
    from mutmut.stats import status_by_exit_code

    return Score({n: status_by_exit_code[codes.get(n)] for n in names})


def _mutmut(*args: str) -> None:
    command = [sys.executable, "-c", "from mutmut.__main__ import cli; cli()", *args]
    done = subprocess.run(command, cwd=ROOT, check=False)
    if done.returncode not in (0, 1):  # mutmut exits 1 after a run with survivors
        raise SystemExit(f"mutation: mutmut {args[0]} failed (exit {done.returncode})")


def _diff(name: str) -> str:
    command = [sys.executable, "-c", "from mutmut.__main__ import cli; cli()", "show", name]
    shown = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    lines = [ln for ln in shown.stdout.splitlines() if ln.startswith(("+", "-"))]
    return "\n".join(ln for ln in lines if not ln.startswith(("+++", "---")))


STATS = "mutmut-stats.json"  # mutmut's own record, at the top of its working folder


def _remove_own_folder() -> None:
    """Delete ``mutants/`` only if it is mutmut's: a real folder (not a link) holding
    mutmut's stats file and its per-file metadata. Anything else is refused, untouched."""
    if not MUTANTS.exists() and not MUTANTS.is_symlink():
        return
    own = (
        MUTANTS.is_dir()
        and not MUTANTS.is_symlink()
        and (MUTANTS / STATS).is_file()
        and any(MUTANTS.rglob("*.py.meta"))
    )
    if not own:
        raise SystemExit(f"mutation: {MUTANTS} is not mutmut's working folder; not removing it")
    shutil.rmtree(MUTANTS)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m simulator.dev.mutation", description=__doc__)
    parser.add_argument("--samples", type=int, default=100, help="mutants to test (100)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the sample (1)")
    parser.add_argument("--jobs", type=int, default=2, help="mutants tested at once (2)")
    parser.add_argument("--fresh", action="store_true", help="remove mutants/ first")
    args = parser.parse_args(argv)
    if args.samples < 1 or args.jobs < 1:
        parser.error("--samples and --jobs must be at least 1")
    try:
        import mutmut  # noqa: F401
    except ImportError:
        raise SystemExit('mutation: mutmut is not installed; pip install -e ".[dev]"') from None
    if args.fresh:
        _remove_own_folder()

    print("mutation: generating mutants and mapping tests to functions (mutmut run)")
    _mutmut("run", "--max-children", str(args.jobs), NO_MUTANT)
    names = all_mutants()
    if not names:
        raise SystemExit(f"mutation: mutmut generated no mutants under {', '.join(LAYERS)}")
    chosen = sample(names, args.samples, args.seed)
    print(f"mutation: testing {len(chosen)} of {len(names)} mutants (seed {args.seed})")
    _mutmut("run", "--max-children", str(args.jobs), *chosen)

    result = score(chosen, exit_codes())
    low, high = result.interval
    print()
    print(
        f"Killed {result.killed} of {result.tested} sampled mutants: {result.share:.0%} "
        f"(95% interval {low:.0%}-{high:.0%}); by status: {dict(sorted(result.counts.items()))}"
    )
    survivors = {name: _diff(name) for name in result.survivors}
    for name, diff in survivors.items():
        print(f"\n{name} ({result.statuses[name]})\n{diff}")
    report = {
        "samples": args.samples,
        "seed": args.seed,
        "population": len(names),
        "killed": result.killed,
        "tested": result.tested,
        "score": result.share,
        "interval_95": [low, high],
        "statuses": dict(result.statuses),
        "survivors": survivors,
    }
    out = MUTANTS / "outsim-sample.json"
    out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"\nmutation: written {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
