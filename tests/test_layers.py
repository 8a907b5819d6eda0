"""The package's layers import downwards only, and no modules import each other in a circle.

Every module under ``simulator/`` is parsed (nothing is imported) and each of its imports of
a ``simulator`` module becomes an edge: module-level imports, those inside functions, those
under ``if TYPE_CHECKING:`` and the names a package imports on first use (its ``_LAZY``
table). An edge may stay inside its unit (a package in ``LAYERS``) or go to a unit in a lower
layer; units side by side in one layer do not import each other. Among the imports that run
when a module is imported (module level, not under ``TYPE_CHECKING``), no cycle.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "simulator"

API = "simulator"  # the package itself (``simulator/__init__.py``): only that module

# Lowest first. A module belongs to the unit of its longest prefix here.
LAYERS: tuple[tuple[str, ...], ...] = (
    # what every package may use: PEP 562 lazy names, the version
    ("simulator._lazy", "simulator._version"),
    # DATA: what a user writes
    ("simulator.scenario",),
    # SIMULATION: one Mesa model and its parts
    ("simulator.model",),
    # ANALYSIS: KPIs, scorecard, replications, effects, sensitivity, robustness, validation
    ("simulator.analysis",),
    # OUTPUTS: files a person reads. First what every writer shares (outputs/*.py: the
    # folders' safety rules, numbers in words, JSON records, HTML pages, workbooks), then
    # the figures, then one sub-package per kind of answer, side by side
    ("simulator.outputs",),
    ("simulator.outputs.figures",),
    # what could change the answer: its own folder, and a part of every run's
    ("simulator.outputs.swing",),
    # a calibration's folder
    ("simulator.outputs.calibration",),
    (
        "simulator.outputs.run",
        "simulator.outputs.compare",
        "simulator.outputs.sweep",
        "simulator.outputs.optimise",
        "simulator.outputs.discovery",
        "simulator.outputs.validation",
        "simulator.outputs.cases",
        "simulator.outputs.region",
    ),
    # SWEEPS: specs, samplers, Dask execution, the DuckDB store, robust search, discovery
    ("simulator.sweep",),
    # the public API: simulator.run, simulator.Results, simulator.load_scenario, ...
    (API,),
    # development tools: the benchmarks
    ("simulator.dev",),
    # INTERFACES: the command line, the dashboard, the EMA Workbench adapter
    ("simulator.cli", "simulator.dashboard", "simulator.ema"),
)


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    where: str  # file:line
    runtime: bool  # runs when the source module is imported
    typing_only: bool = False  # under ``if TYPE_CHECKING:``: never runs

    def __str__(self) -> str:
        return f"{self.source} -> {self.target} ({self.where})"


def module_name(path: Path, root: Path = PACKAGE) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules(root: Path = PACKAGE) -> dict[str, Path]:
    return {module_name(p, root): p for p in sorted(root.rglob("*.py"))}


def _resolve(name: str, known: Iterable[str]) -> str | None:
    """The longest prefix of a dotted name that is a known module."""
    known = set(known)
    parts = name.split(".")
    for n in range(len(parts), 0, -1):
        if ".".join(parts[:n]) in known:
            return ".".join(parts[:n])
    return None


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(
    node: ast.AST, runtime: bool, typing_only: bool = False
) -> Iterator[tuple[ast.Import | ast.ImportFrom | ast.Constant, bool, bool]]:
    """Every import below ``node`` (and every string of a ``_LAZY`` table), with whether it
    runs when the module is imported and whether it is for type checking only."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.Import | ast.ImportFrom):
            yield child, runtime, typing_only
        elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            yield from _imports(child, False, typing_only)
        elif isinstance(child, ast.If) and _is_type_checking(child.test):
            for stmt in child.body:
                yield from _imports(ast.Module(body=[stmt], type_ignores=[]), False, True)
            for stmt in child.orelse:
                yield from _imports(ast.Module(body=[stmt], type_ignores=[]), runtime)
        elif (
            isinstance(child, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "_LAZY" for t in child.targets)
            and isinstance(child.value, ast.Dict)
        ):
            for value in child.value.values:
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    yield value, False, False  # imported on first use of the name
        else:
            yield from _imports(child, runtime, typing_only)


def edges(root: Path = PACKAGE) -> list[Edge]:
    """Every import of one ``simulator`` module by another."""
    known = modules(root)
    found = []
    for source, path in known.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        package = source if path.name == "__init__.py" else source.rpartition(".")[0]
        for node, runtime, typing_only in _imports(tree, True):
            if isinstance(node, ast.Import):
                targets = [_resolve(a.name, known) for a in node.names]
            elif isinstance(node, ast.Constant):
                targets = [_resolve(node.value, known)]
            else:
                base = node.module or ""
                if node.level:  # relative: from the source's package, up level - 1
                    up = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    base = ".".join([*up, base] if base else up)
                targets = [
                    _resolve(f"{base}.{a.name}", known) or _resolve(base, known) for a in node.names
                ]
            where = f"{path.relative_to(root.parent)}:{node.lineno}"
            found += [
                Edge(source, t, where, runtime, typing_only) for t in targets if t and t != source
            ]
    return found


def unit_of(module: str, layers: Sequence[Sequence[str]] = LAYERS) -> tuple[int, str] | None:
    """(layer, unit) of a module: the longest prefix of it in ``layers``."""
    best = None
    for level, units in enumerate(layers):
        for unit in units:
            inside = module == unit or (unit != API and module.startswith(unit + "."))
            if inside and (best is None or len(unit) > len(best[1])):
                best = (level, unit)
    return best


def wrong_way(found: Iterable[Edge], layers: Sequence[Sequence[str]] = LAYERS) -> list[str]:
    """The edges that go up a layer or sideways to another unit of the same layer."""
    bad = []
    for e in found:
        (low, unit), (high, other) = unit_of(e.source, layers), unit_of(e.target, layers)
        if unit == other or high < low:
            continue
        how = "up" if high > low else "sideways"
        bad.append(f"{e} goes {how}: {unit} (layer {low}) must not import {other} (layer {high})")
    return bad


def cycle(found: Iterable[Edge]) -> list[Edge]:
    """A cycle among the imports that run at import time (edges in order), or []."""
    graph: dict[str, list[Edge]] = {}
    for e in found:
        if e.runtime:
            graph.setdefault(e.source, []).append(e)
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[Edge] = []  # the edges from the root of the search to the current module

    def visit(node: str) -> list[Edge]:
        state[node] = 1
        for e in graph.get(node, []):
            if state.get(e.target) == 1:  # back on the path: the cycle closes here
                start = next(i for i, p in enumerate(path) if p.source == e.target)
                return [*path[start:], e]
            if e.target not in state:
                path.append(e)
                if closed := visit(e.target):
                    return closed
                path.pop()
        state[node] = 2
        return []

    for node in sorted(graph):
        if node not in state and (closed := visit(node)):
            return closed
    return []


# -- the package ------------------------------------------------------------------------------
def test_every_module_has_a_layer() -> None:
    missing = [m for m in modules() if unit_of(m) is None]
    assert not missing, f"modules in no layer (add them to LAYERS in {__file__}): {missing}"


def test_imports_go_down_the_layers_only() -> None:
    bad = wrong_way(edges())
    assert not bad, "imports against the layers:\n" + "\n".join(bad)


def test_no_import_cycle_at_import_time() -> None:
    found = cycle(edges())
    assert not found, "an import cycle: " + "; ".join(map(str, found))


def test_no_import_cycle_even_through_imports_made_on_first_use() -> None:
    """Imports inside functions and lazy names run too, later: no circle through them either
    (imports for type checking only never run and may point back)."""
    executed = [replace(e, runtime=True) for e in edges() if not e.typing_only]
    found = cycle(executed)
    assert not found, "an import cycle through a deferred import: " + "; ".join(map(str, found))


def test_the_graph_holds_every_kind_of_import() -> None:
    """The parser sees module-level, function-level, type-checking and lazy imports."""
    found = {(e.source, e.target): e.runtime for e in edges()}
    assert found[("simulator.sweep.execution", "simulator.sweep.runs")] is True
    assert found[("simulator.cli.checks", "simulator.dev.benchmark")] is False
    assert found[("simulator", "simulator.analysis.replications")] is False
    assert found[("simulator.analysis", "simulator.analysis.kpis")] is False  # _LAZY


# -- the checks themselves --------------------------------------------------------------------
def _edge(source: str, target: str, runtime: bool = True) -> Edge:
    return Edge(source, target, f"{source.replace('.', '/')}.py:1", runtime)


def test_an_upward_or_sideways_import_is_named() -> None:
    found = [
        _edge("simulator.model.model", "simulator.scenario.schema"),
        _edge("simulator.outputs.folders", "simulator.sweep.store", runtime=False),
        _edge("simulator.cli.runs", "simulator.dashboard.app"),
    ]
    bad = wrong_way(found)
    assert len(bad) == 2
    assert bad[0].startswith("simulator.outputs.folders -> simulator.sweep.store")
    assert "goes up" in bad[0] and "simulator/outputs/folders.py:1" in bad[0]
    assert "goes sideways: simulator.cli" in bad[1] and "import simulator.dashboard" in bad[1]


def test_a_cycle_is_named_edge_by_edge() -> None:
    found = [
        _edge("simulator.a", "simulator.b"),
        _edge("simulator.b", "simulator.c"),
        _edge("simulator.c", "simulator.a"),
        _edge("simulator.c", "simulator.d", runtime=False),
        _edge("simulator.d", "simulator.c"),
    ]
    assert [str(e) for e in cycle(found)] == [
        "simulator.a -> simulator.b (simulator/a.py:1)",
        "simulator.b -> simulator.c (simulator/b.py:1)",
        "simulator.c -> simulator.a (simulator/c.py:1)",
    ]
    assert cycle(found[3:]) == []  # a function-level import closes no cycle at import time
