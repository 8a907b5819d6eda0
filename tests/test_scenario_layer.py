"""The scenario layer's shape: the schema only declares (it opens no file and imports neither
the roster reader nor the loader), no import cycle inside ``simulator/scenario/``, and the
loading step puts a data file's contents into the document before validation."""

from __future__ import annotations

import ast
from pathlib import Path

import pandas as pd
import pytest
import yaml

from simulator.scenario import ScenarioError, load_scenario, scenario_from_dict
from simulator.scenario.loading import read_data_files

SCENARIO = Path(__file__).resolve().parents[1] / "simulator" / "scenario"


def _module(path: Path) -> str:
    parts = path.relative_to(SCENARIO.parents[1]).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def scenario_imports() -> dict[str, set[str]]:
    """Module -> the ``simulator.scenario`` modules it imports (lazy imports included)."""
    modules = {_module(p): p for p in SCENARIO.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                continue
            found |= {t for t in targets if t in modules and t != name}
        graph[name] = found
    return graph


def test_the_schema_imports_neither_the_roster_reader_nor_the_loader() -> None:
    graph = scenario_imports()
    schema = {m for m in graph if m == "simulator.scenario.schema" or ".schema." in m}
    assert schema, "no schema modules found"
    for module in schema:
        outside = {t for t in graph[module] if t not in schema}
        assert not outside, f"{module} imports {outside}"
        source = (
            SCENARIO / (module.removeprefix("simulator.scenario.").replace(".", "/"))
        ).with_suffix(".py")
        if not source.exists():
            source = source.with_suffix("") / "__init__.py"
        text = source.read_text(encoding="utf-8")
        assert "open(" not in text and "read_text" not in text and "read_csv" not in text


def test_no_import_cycle_in_the_scenario_layer() -> None:
    graph = scenario_imports()
    done: set[str] = set()

    def visit(module: str, path: tuple[str, ...]) -> None:
        if module in path:
            cycle = " -> ".join((*path[path.index(module) :], module))
            pytest.fail(f"import cycle: {cycle}")
        if module in done:
            return
        for target in sorted(graph[module]):
            visit(target, (*path, module))
        done.add(module)

    for module in sorted(graph):
        visit(module, ())


def test_data_files_are_read_into_the_document_before_validation(tmp_path: Path) -> None:
    roster = pd.DataFrame({"age": [30, 40], "tenure_years": [2, 9], "wage_per_hour": [18, 21]})
    roster.to_csv(tmp_path / "roster.csv", index=False)
    data = {"workforce": {"roster": str(tmp_path / "roster.csv")}}
    document, problems = read_data_files(data)
    assert problems == {} and data == {"workforce": {"roster": str(tmp_path / "roster.csv")}}
    assert [r["age"] for r in document["workforce"]["roster_rows"]] == [30, 40]
    assert scenario_from_dict(data).workforce.headcount == 2
    # rows already in the document (a resolved scenario) are not read again
    given = {
        "workforce": {"roster": "gone.csv", "roster_rows": document["workforce"]["roster_rows"]}
    }
    assert read_data_files(given) == (given, {})


def test_a_bad_data_file_is_reported_in_its_sections_place(tmp_path: Path) -> None:
    (tmp_path / "region.yaml").write_text("labour: 1\n", encoding="utf-8")
    path = tmp_path / "s.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "workforce": {"headcount": -1},
                "local_economy": {"region_file": "region.yaml"},
                "plan": {"layoff_site_order": ["east"]},
            }
        ),
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    lines = str(info.value).splitlines()
    assert len(lines) == 2, lines
    assert lines[0].startswith(f"{path}: workforce.headcount: Input should be greater")
    assert lines[1].startswith(f"{path}: local_economy: region_file: {tmp_path / 'region.yaml'}")
    assert "labour: unknown field" in lines[1]


@pytest.mark.parametrize("value", [5, ["roster.csv"], {"file": "roster.csv"}])
def test_a_file_field_that_is_not_text_is_a_field_error(value) -> None:
    with pytest.raises(ScenarioError, match="workforce.roster: Input should be a valid string"):
        scenario_from_dict({"workforce": {"roster": value}})


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("region\x00.yaml", "local_economy.region_file: control character U+0000 at character 7"),
        ("a" * 300 + ".yaml", "local_economy: region_file: " + "a" * 300 + ".yaml: cannot read"),
        ("a" * 5000, "local_economy: region_file: a path of 5,000 characters ('aaaa"),
    ],
)
def test_a_path_the_system_refuses_is_a_section_error_not_a_crash(path: str, expected: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        scenario_from_dict({"local_economy": {"region_file": path}})
    assert expected in str(caught.value)
    assert len(str(caught.value)) < 500
