"""Mutation testing of the model and analysis code: how many small planted bugs do the tests catch?

Method. The repository's tracked files (`git ls-files`, as they are in the work tree) are copied
once into a temporary snapshot, and every .py file under --paths there is parsed with `ast`. Each
place where a small, plausible bug could be planted is a *site*: + and -, * and / swapped (also
in +=, *=...), < and <=, > and >=, == and != swapped, `and` and `or` swapped, a `not` or a unary
minus dropped, a number changed (0 -> 1, 1 -> 2, other ints +1, other floats x1.1), min and max
swapped, True and False swapped, `return X` made `return None`. Strings and docstrings,
annotations, __all__, f-strings, print/logging/warnings/.format calls and lines marked
`# pragma: no mutate` are left alone. --samples sites are drawn with --seed, stratified across
files in proportion to their number of sites. Each job has its own copy of the snapshot, made
once; a mutant rewrites only the affected characters of one file there (formatting elsewhere is
kept, and the result must parse to exactly the intended syntax tree), runs the test command in
the copy with the copy first on PYTHONPATH (so the copy's `simulator` is imported, not the
editable install; checked for each copy), then restores the file. Tests fail or time out:
*killed*; tests pass: *survived*; the module no longer compiles or imports: *invalid*, left out.

Reading the kill rate: killed / (killed + survived), per file and overall, with a 95% Wilson
interval (with 60 mutants it is roughly +/-12 points). A survivor is either a gap in the tests (a
bug of that kind would go unnoticed) or an *equivalent* mutant that cannot change behaviour
(e.g. < -> <= where values never tie); read the survivor list to tell which. Compare rates only
between runs with the same paths, seed, samples and test command.

    python experiments/mutation_testing.py                      # 60 mutants, 2 jobs
    python experiments/mutation_testing.py --samples 4 --pytest-args "-x -q tests/test_model.py"
    python experiments/mutation_testing.py --dry-run            # list the sampled mutants only
"""

from __future__ import annotations

import argparse
import ast
import bisect
import io
import itertools
import json
import math
import os
import queue
import random
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
DEFAULT_PYTEST_ARGS = '-x -q -p no:cacheprovider -m "not slow and not browser" tests'
PRAGMA = "# pragma: no mutate"
OPERATORS = ("arith", "compare", "boolop", "not", "number", "min-max", "true-false")
OPERATORS += ("unary-minus", "return-none")
ARITH = {ast.Add: (ast.Sub, "+", "-"), ast.Sub: (ast.Add, "-", "+")}
ARITH |= {ast.Mult: (ast.Div, "*", "/"), ast.Div: (ast.Mult, "/", "*")}
COMPARE = {ast.Lt: (ast.LtE, "<", "<="), ast.LtE: (ast.Lt, "<=", "<")}
COMPARE |= {ast.Gt: (ast.GtE, ">", ">="), ast.GtE: (ast.Gt, ">=", ">")}
COMPARE |= {ast.Eq: (ast.NotEq, "==", "!="), ast.NotEq: (ast.Eq, "!=", "==")}
MINMAX = {"min": "max", "max": "min", "minimum": "maximum", "maximum": "minimum"}
MINMAX |= {"nanmin": "nanmax", "nanmax": "nanmin", "fmin": "fmax", "fmax": "fmin"}
LOG_METHODS = {"debug", "info", "warning", "error", "exception", "critical", "log"}
NOT_NUMBERS = (ast.JoinedStr, ast.List, ast.Tuple, ast.Set, ast.Dict, ast.ListComp)
ACTIVE: set[subprocess.Popen[bytes]] = set()  # test processes running now (killed on Ctrl-C)
LOCK, STOP = threading.Lock(), threading.Event()  # STOP: no new processes after Ctrl-C
Edit = tuple[int, int, str]  # (start, end, replacement) in characters of the file's text


@dataclass
class Site:
    """One mutation: text edits to one file, and the syntax-tree change they must make."""

    path: str  # relative to the repository root
    line: int
    operator: str
    edits: list[Edit]
    before: str  # the source lines concerned, whitespace collapsed
    after: str
    toggle: Callable[[], None] = field(repr=False)  # flips the tree to the mutant and back
    expected: str = field(default="", repr=False)  # ast.dump of the mutated module


def swapper(holder: Any, key: str | int, new: Any) -> Callable[[], None]:
    """A function swapping ``holder[key]`` (a list) or ``holder.key`` (a node) with ``new``."""
    box, is_list = [new], isinstance(holder, list)
    get, put = (list.__getitem__, list.__setitem__) if is_list else (getattr, setattr)

    def toggle() -> None:
        old = get(holder, key)
        put(holder, key, box[0])
        box[0] = old

    return toggle


def bump(value: float) -> float:
    """The mutated number: 0 -> 1, 1 -> 2, other ints +1, other floats x1.1."""
    if value in (0, 1):
        return type(value)(value + 1)
    return value + 1 if isinstance(value, int) else float(f"{value * 1.1:.6g}")


def is_message(node: ast.AST) -> bool:
    """f-strings and print, logging, warnings.warn and .format calls: they only build text."""
    if isinstance(node, ast.JoinedStr):
        return True
    func = node.func if isinstance(node, ast.Call) else None
    if isinstance(func, ast.Name):
        return func.id in {"print", "warn"}
    if not isinstance(func, ast.Attribute):
        return False
    owner = func.value.id.lower() if isinstance(func.value, ast.Name) else ""
    logging = "log" in owner and func.attr in LOG_METHODS
    return logging or func.attr == "format" or owner == "warnings"


def constant(node: ast.AST, kinds: tuple[type, ...]) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, kinds)


class Collector:
    """The mutation sites of one file's ``text``."""

    def __init__(self, rel: str, text: str, operators: set[str]) -> None:
        self.rel, self.text, self.operators = rel, text, operators
        self.lines = io.StringIO(text, newline="").readlines() or [""]  # as the tokenizer splits
        self.starts = [0, *itertools.accumulate(map(len, self.lines))]
        self.tree = ast.parse(text, filename=rel)
        self.sites: list[Site] = []
        self.visit(self.tree, None, True)

    def pos(self, line: int, col: int) -> int:
        """Character offset of an ast position (whose column counts UTF-8 bytes)."""
        return self.starts[line - 1] + len(self.lines[line - 1].encode()[:col].decode())

    def span(self, node: Any) -> tuple[int, int]:
        start = self.pos(node.lineno, node.col_offset)
        return start, self.pos(node.end_lineno, node.end_col_offset)

    def add(self, op: str, edits: list[Edit], change: tuple[Any, str | int, Any]) -> None:
        """Record a site: its text ``edits`` and the tree ``change`` (holder, key, new)."""
        if op not in self.operators or not edits:
            return
        first = bisect.bisect_right(self.starts, edits[0][0]) - 1
        last = min(bisect.bisect_right(self.starts, edits[-1][1]), len(self.lines))
        if any(PRAGMA in line for line in self.lines[first:last]):
            return
        lo, hi = self.starts[first], self.starts[last]
        after = apply_edits(self.text[lo:hi], [(s - lo, e - lo, t) for s, e, t in edits])
        squash = " ".join(self.text[lo:hi].split()), " ".join(after.split())
        self.sites.append(Site(self.rel, first + 1, op, edits, *squash, swapper(*change)))

    def token(self, a: ast.AST, b: ast.AST, old: str, new: str) -> list[Edit]:
        """Edit the one token ``old`` between nodes ``a`` and ``b`` (comments ignored)."""
        lo, hi = self.span(a)[1], self.span(b)[0]
        gap = re.sub(r"#[^\n]*", lambda m: " " * len(m.group()), self.text[lo:hi])
        pattern = rf"\b{old}\b" if old.isalpha() else rf"(?<![<>=!*/+-]){re.escape(old)}(?![=*/<>])"
        found = list(re.finditer(pattern, gap))
        return [(lo + found[0].start(), lo + found[0].end(), new)] if len(found) == 1 else []

    def visit(self, node: ast.AST, holder: tuple[Any, str | int] | None, returns: bool) -> None:
        if is_message(node):
            return
        if isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
                return
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):  # `-> None`: nothing to drop
            returns = not (
                isinstance(node.returns, ast.Constant) and node.returns.value in (None, "None")
            )
        self.sites_of(node, holder, returns)
        for name, value in ast.iter_fields(node):
            if name in ("annotation", "returns", "type_comment"):
                continue
            many = isinstance(value, list)
            for key, child in enumerate(value) if many else [(name, value)]:
                if isinstance(child, ast.AST):
                    self.visit(child, (value if many else node, key), returns)

    def sites_of(self, node: ast.AST, holder: tuple[Any, str | int] | None, returns: bool) -> None:
        if isinstance(node, ast.BinOp | ast.AugAssign) and type(node.op) in ARITH:
            new, old_s, new_s = ARITH[type(node.op)]
            binop = isinstance(node, ast.BinOp)
            a, b = (node.left, node.right) if binop else (node.target, node.value)
            if not any(isinstance(x, NOT_NUMBERS) or constant(x, (str, bytes)) for x in (a, b)):
                eq = "" if binop else "="
                self.add("arith", self.token(a, b, old_s + eq, new_s + eq), (node, "op", new()))
        elif isinstance(node, ast.Compare):
            lefts = [node.left, *node.comparators]
            for i, (a, b) in enumerate(zip(lefts, node.comparators, strict=False)):
                if type(node.ops[i]) in COMPARE:
                    new, old_s, new_s = COMPARE[type(node.ops[i])]
                    self.add("compare", self.token(a, b, old_s, new_s), (node.ops, i, new()))
        elif isinstance(node, ast.BoolOp):
            is_and = isinstance(node.op, ast.And)
            old_s, new_s, new = ("and", "or", ast.Or) if is_and else ("or", "and", ast.And)
            pairs = zip(node.values, node.values[1:], strict=False)
            edits = [e for a, b in pairs for e in self.token(a, b, old_s, new_s)]
            if len(edits) == len(node.values) - 1:
                self.add("boolop", edits, (node, "op", new()))
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not | ast.USub) and holder:
            word, op = ("not", "not") if isinstance(node.op, ast.Not) else ("-", "unary-minus")
            start = end = self.span(node)[0]
            if self.text.startswith(word, start):
                end += len(word)
                while self.text[end] in " \t":
                    end += 1
                self.add(op, [(start, end, "")], (*holder, node.operand))
        elif isinstance(node, ast.Constant) and type(node.value) in (int, float, bool):
            flip = isinstance(node.value, bool)
            value = (not node.value) if flip else bump(node.value)
            edit = [(*self.span(node), ast.unparse(ast.Constant(value)))]
            self.add("true-false" if flip else "number", edit, (node, "value", value))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name | ast.Attribute):
            func, key = node.func, "id" if isinstance(node.func, ast.Name) else "attr"
            name, end = getattr(func, key), self.span(func)[1]
            plausible = name in MINMAX and (key == "attr" or name in ("min", "max"))
            if plausible and self.text[end - len(name) : end] == name:
                edit = [(end - len(name), end, MINMAX[name])]
                self.add("min-max", edit, (func, key, MINMAX[name]))
        elif isinstance(node, ast.Return) and node.value and returns:
            edit = [(*self.span(node.value), "None")]
            if not constant(node.value, (type(None),)):
                self.add("return-none", edit, (node, "value", ast.Constant(None)))


def apply_edits(text: str, edits: list[Edit]) -> str:
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def excerpt(before: str, after: str, width: int = 60) -> str:
    """``before → after`` from a little ahead of the first difference, ``width`` chars each."""
    diff = next((i for i, (x, y) in enumerate(zip(before, after, strict=False)) if x != y), 0)
    start = max(0, diff - width // 3)

    def cut(s: str) -> str:
        more = "…" if start + width < len(s) else ""
        return ("…" if start else "") + s[start : start + width] + more

    return f"{cut(before)} → {cut(after)}"


def git(*args: str) -> str:
    cmd = ["git", "-C", str(ROOT), *args]
    return subprocess.run(cmd, capture_output=True, check=True, text=True).stdout


def read(path: Path) -> str:
    return path.read_bytes().decode("utf-8")  # line endings kept exactly


def stratified_sample(sites: list[Site], n: int, seed: int) -> list[Site]:
    """``n`` sites, each file's share proportional to its number of sites (largest remainders)."""
    if n >= len(sites):
        return list(sites)
    by_file: dict[str, list[Site]] = defaultdict(list)
    for site in sites:
        by_file[site.path].append(site)
    quota = {f: n * len(s) / len(sites) for f, s in by_file.items()}
    take = {f: int(q) for f, q in quota.items()}
    for f in sorted(quota, key=lambda f: (take[f] - quota[f], f))[: n - sum(take.values())]:
        take[f] += 1
    rng = random.Random(seed)
    chosen = [s for f in sorted(by_file) for s in rng.sample(by_file[f], take[f])]
    return sorted(chosen, key=lambda s: (s.path, s.edits[0][0]))


def earlier_survivors(sites: list[Site], result: Path) -> list[Site]:
    """The sites of the survivors recorded in an earlier result file."""
    chosen = []
    for old in json.loads(result.read_text(encoding="utf-8"))["survivors"]:
        key = (old["path"], old["operator"], old["before"], old["after"])
        same = [s for s in sites if (s.path, s.operator, s.before, s.after) == key]
        if not same:
            print(f"  not found now: {old['path']}:{old['line']} {old['operator']}")
            continue
        chosen.append(min(same, key=lambda s: abs(s.line - old["line"])))
    return sorted(chosen, key=lambda s: (s.path, s.edits[0][0]))


def environment(copy: Path) -> dict[str, str]:
    """The copy first on PYTHONPATH, ahead of the editable install; no bytecode written."""
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")  # else a same-size edit may reuse a .pyc
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(copy), env.get("PYTHONPATH")]))
    return env


def run(cmd: list[str], copy: Path, timeout: float, cwd: Path | None = None) -> tuple:
    """Return code (None on time-out) and output of ``cmd`` run against ``copy``."""
    with tempfile.TemporaryFile() as log:
        env, cwd = environment(copy), cwd or copy
        proc = subprocess.Popen(
            cmd, cwd=cwd, env=env, stdout=log, stderr=log, start_new_session=True
        )
        with LOCK:
            ACTIVE.add(proc)
            if STOP.is_set():
                os.killpg(proc.pid, signal.SIGKILL)
        try:
            code: int | None = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # pytest and whatever it started
            proc.wait()
            code = None
        except BaseException:  # Ctrl-C: the new session does not get the terminal's SIGINT
            os.killpg(proc.pid, signal.SIGKILL)
            raise
        finally:
            with LOCK:
                ACTIVE.discard(proc)
        log.seek(0)
        return code, log.read().decode(errors="replace")


def tail(output: str, lines: int = 3) -> str:
    return " | ".join(line.strip() for line in output.strip().splitlines()[-lines:])


def make_copies(files: list[str], n: int, workdir: Path, python: str) -> list[Path]:
    """A snapshot of the tracked ``files`` and ``n - 1`` more copies of it, each checked to
    import its own ``simulator``, from its root and from elsewhere (tests run the CLI in tmp)."""
    copies = [workdir / f"copy{k}" for k in range(n)]
    for rel in files:
        if (ROOT / rel).is_file():  # tracked but deleted in the work tree: skipped
            (copies[0] / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / rel, copies[0] / rel)
    for copy in copies:
        if copy != copies[0]:
            shutil.copytree(copies[0], copy)
        own = (copy / "simulator" / "__init__.py").resolve()
        for cwd in (copy, workdir):
            probe = [python, "-c", "import simulator; print(simulator.__file__)"]
            code, out = run(probe, copy, 300, cwd)
            if code != 0 or Path(out.strip()).resolve() != own:
                sys.exit(f"sanity check failed: from {cwd}, `import simulator` gives {out.strip()}")
    print(f"{n} copies in {workdir}; each imports simulator from <copy>/simulator/__init__.py")
    return copies


def outcome(site: Site, copy: Path, python: str, test_cmd: list[str], timeout: float) -> tuple:
    """Apply ``site`` in ``copy``, run the tests there, restore the file: (result, code, detail)."""
    target = copy / site.path
    original = read(target)
    mutated = apply_edits(original, site.edits)
    try:
        tree = ast.parse(mutated, filename=site.path)
        compile(tree, site.path, "exec")
    except SyntaxError as err:
        return "invalid", None, f"does not compile: {err}"
    if ast.dump(tree) != site.expected:
        return "invalid", None, "the edit is not the intended mutation (a bug of this script)"
    try:
        target.write_bytes(mutated.encode())
        module = site.path.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
        code, out = run([python, "-c", f"import {module}"], copy, min(timeout, 300))
        if code != 0:
            return "invalid", code, f"does not import: {tail(out, 1)}"
        code, out = run(test_cmd, copy, timeout)
        detail = "timed out" if code is None else (tail(out) if code not in (0, 1) else "")
        return ("survived" if code == 0 else "killed"), code, detail
    finally:
        target.write_bytes(original.encode())
        shutil.rmtree(copy / ".hypothesis", ignore_errors=True)  # no examples carried over


def run_all(sample: list[Site], copies: list[Path], args: argparse.Namespace) -> list[dict]:
    """Baseline, then the mutants' records (a progress line each); partial after Ctrl-C."""
    test_cmd = [args.python, "-m", "pytest", *shlex.split(args.pytest_args)]
    print(f"baseline: python -m pytest {args.pytest_args}", flush=True)
    start = time.monotonic()
    code, output = run(test_cmd, copies[0], args.timeout)
    shutil.rmtree(copies[0] / ".hypothesis", ignore_errors=True)
    if code != 0:
        why = f"exit {code}" if code is not None else f"timed out after {args.timeout:g} s"
        sys.exit(f"{output[-3000:]}\nthe unmutated tests do not pass ({why}): stopped")
    print(f"baseline passes in {time.monotonic() - start:.1f} s\n", flush=True)
    free: queue.Queue[Path] = queue.Queue()
    for copy in copies:
        free.put(copy)

    def job(site: Site) -> dict:
        copy, start = free.get(), time.monotonic()
        try:
            result, code, detail = outcome(site, copy, args.python, test_cmd, args.timeout)
        finally:
            free.put(copy)
        record = {k: getattr(site, k) for k in ("path", "line", "operator", "before", "after")}
        seconds = round(time.monotonic() - start, 1)
        return record | {"result": result, "seconds": seconds, "returncode": code, "detail": detail}

    records: list[dict] = []
    with ThreadPoolExecutor(max_workers=len(copies)) as pool:
        futures = [pool.submit(job, site) for site in sample]
        try:
            for i, future in enumerate(as_completed(futures), 1):
                records.append(r := future.result())
                line = f"[{i}/{len(sample)}] {r['path']}:{r['line']} {r['operator']}  "
                line += f"{excerpt(r['before'], r['after'])}  {r['result'].upper()} {r['seconds']}s"
                print(line + (f"  ({r['detail']})" if r["detail"] else ""), flush=True)
        except KeyboardInterrupt:
            print("\ninterrupted: stopping the running tests; partial results follow")
            for future in futures:
                future.cancel()
            with LOCK:
                STOP.set()
                for proc in ACTIVE:
                    os.killpg(proc.pid, signal.SIGKILL)
    return sorted(records, key=lambda r: (r["path"], r["line"]))


def wilson(k: int, n: int, z: float = 1.96) -> list[float] | None:
    """95% Wilson score interval of the proportion k/n."""
    if n == 0:
        return None
    p, d = k / n, 1 + z * z / n
    centre = (p + z * z / (2 * n)) / d
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return [round(centre - half, 3), round(centre + half, 3)]


def stats(records: list[dict], sites: int) -> dict:
    """Counts and kill rate = killed / (killed + survived), with its 95% interval."""
    counts = {k: sum(r["result"] == k for r in records) for k in ("killed", "survived", "invalid")}
    valid = counts["killed"] + counts["survived"]
    rate = round(counts["killed"] / valid, 3) if valid else None
    interval = wilson(counts["killed"], valid)
    return {"sites": sites, "mutants": len(records), **counts, "kill_rate": rate, "ci95": interval}


def print_table(per_file: dict, overall: dict) -> None:
    cols = ("sites", "mutants", "killed", "survived", "invalid")
    head = f"{'file':<36}" + "".join(f"{c:>9}" for c in cols) + "  kill rate (95% CI)"
    print(f"\n{head}\n{'-' * len(head)}")
    for name, s in [*((f, s) for f, s in per_file.items() if s["mutants"]), ("overall", overall)]:
        rate = "-" if s["kill_rate"] is None else f"{s['kill_rate']:.0%}"
        rate += f" ({s['ci95'][0]:.0%}-{s['ci95'][1]:.0%})" if s["ci95"] else ""
        rule = "-" * len(head) + "\n" if name == "overall" else ""
        print(rule + f"{name:<36}" + "".join(f"{s[c]:>9}" for c in cols) + f"  {rate}")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    doc, examples = (__doc__ or "").split("\n\n    python", 1)
    parser = argparse.ArgumentParser(
        description=doc,
        epilog="examples:\n    python" + examples,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    python = str(VENV_PYTHON if VENV_PYTHON.exists() else sys.executable)
    for flag, default, text in [
        ("--samples", 60, "number of mutants (all sites if there are fewer)"),
        ("--seed", 1, "seed of the sample"),
        ("--jobs", 2, "mutants run in parallel, each job in its own copy of the repository"),
        ("--timeout", 600.0, "seconds per mutant's test run; a time-out counts as killed"),
        ("--pytest-args", DEFAULT_PYTEST_ARGS, "what follows `python -m pytest`, run in a copy"),
        ("--python", python, "interpreter that runs the tests"),
        ("--operators", ",".join(OPERATORS), "comma-separated mutation operators to use"),
        (
            "--out",
            "results/mutation/mutation.json",
            "JSON results (relative to the repository root, folders created); "
            "the only file written",
        ),
    ]:
        parser.add_argument(flag, type=type(default), default=default, help=f"{text} [%(default)s]")
    paths = ["simulator/model", "simulator/analysis"]
    text = f"folders or .py files to mutate, relative to the repository root [{' '.join(paths)}]"
    parser.add_argument("--paths", nargs="+", metavar="PATH", default=paths, help=text)
    parser.add_argument("--dry-run", action="store_true", help="list the mutants, run nothing")
    parser.add_argument(
        "--retest",
        metavar="JSON",
        default=None,
        help="instead of sampling, run again the survivors of an earlier result (matched by "
        "file, operator and the mutated text; the nearest line if several match)",
    )
    return parser.parse_args(argv)


def collect(copy: Path, targets: list[str], args: argparse.Namespace) -> tuple[dict, list]:
    """Sites per file and the sample, each site's intended tree recorded to check its edit."""
    collectors = {f: Collector(f, read(copy / f), set(args.operators)) for f in targets}
    all_sites = [s for c in collectors.values() for s in c.sites]
    if args.retest:
        sample = earlier_survivors(all_sites, Path(args.retest))
    else:
        sample = stratified_sample(all_sites, args.samples, args.seed)
    for site in sample:
        site.toggle()
        site.expected = ast.dump(collectors[site.path].tree)
        site.toggle()
    print(
        f"{len(all_sites)} sites in {len(targets)} file(s); {len(sample)} mutants, seed {args.seed}"
    )
    return {f: len(c.sites) for f, c in collectors.items()}, sample


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    args.operators = sorted({o.strip() for o in args.operators.split(",") if o.strip()})
    if unknown := set(args.operators) - set(OPERATORS):
        sys.exit(f"unknown operators {sorted(unknown)}; choose from {', '.join(OPERATORS)}")
    files = [f for f in git("ls-files", "-z").split("\0") if f]
    others = git("ls-files", "-z", "--others", "--exclude-standard").split("\0")
    if untracked := [f for f in others if f.endswith(".py")]:
        print(f"warning: untracked, so not copied (git add to include): {' '.join(untracked)}")
    prefixes = [p.strip("/") for p in args.paths]
    inside = [f for f in files if any(f"{f}/".startswith(f"{p}/") for p in prefixes)]
    if not (targets := [f for f in inside if f.endswith(".py")]):
        sys.exit(f"no tracked .py files under {' '.join(args.paths)}")
    workdir = Path(tempfile.mkdtemp(prefix="mutation-"))
    jobs = 1 if args.dry_run else max(1, min(args.jobs, args.samples))
    try:  # sites come from the snapshot, so edits to the work tree meanwhile cannot misplace them
        copies = make_copies(files, jobs, workdir, args.python)
        sites, sample = collect(copies[0], targets, args)
        for site in sample if args.dry_run else []:
            print(f"  {site.path}:{site.line} {site.operator}  {excerpt(site.before, site.after)}")
        records = [] if args.dry_run else run_all(sample, copies, args)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if args.dry_run:
        return
    per_file = {f: stats([r for r in records if r["path"] == f], n) for f, n in sites.items()}
    overall = stats(records, sum(sites.values()))
    print_table(per_file, overall)
    keys = ("path", "line", "operator", "before", "after")
    survivors = [{k: r[k] for k in keys} for r in records if r["result"] == "survived"]
    print(f"\nsurvivors ({len(survivors)}):")
    for s in survivors:
        print(f"  {s['path']}:{s['line']} {s['operator']}  {excerpt(s['before'], s['after'], 90)}")
    dirty = bool(git("status", "--porcelain", "--untracked-files=no").strip())
    config = vars(args) | {"commit": git("rev-parse", "HEAD").strip(), "uncommitted": dirty}
    report = {"config": config, "complete": len(records) == len(sample), "overall": overall}
    report |= {"per_file": per_file, "survivors": survivors, "mutants": records}
    out = ROOT / args.out  # an absolute --out stays as it is
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nwritten {out}")
    if not report["complete"]:
        sys.exit(130)


if __name__ == "__main__":
    main()
