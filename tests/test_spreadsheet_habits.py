"""What spreadsheets do to files a user exports (issue 25, found reviewing real files by hand):
a byte-order mark, semicolons for commas, a formula with no saved value, a notes sheet first,
months newest first, a region file's bad value; and a scenario built in code holding a control
character. Each is read right or refused naming the file, line and column."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.scenario import ScenarioError, scenario_from_dict
from simulator.scenario.reading import CONTROL
from simulator.scenario.roster import RosterError, read_region, read_roster, read_volumes

from .test_hostile_inputs import GOOD_ROWS, HEADER, VOLUMES, refused, roster_text, scenario


def _csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


def test_a_byte_order_mark_is_read_as_excel_writes_it(tmp_path: Path) -> None:
    plain = read_roster(_csv(tmp_path / "plain.csv", roster_text()))
    marked = read_roster(_csv(tmp_path / "marked.csv", roster_text(), "utf-8-sig"))
    assert marked == plain and len(marked) == len(GOOD_ROWS)
    assert read_volumes(_csv(tmp_path / "v.csv", VOLUMES, "utf-8-sig"))[0] == 1001


@pytest.mark.parametrize(("mark", "shown"), [(";", "';'"), ("\t", "'\\t'"), ("|", "'|'")])
def test_a_file_separated_by_other_marks_says_so(tmp_path: Path, mark: str, shown: str) -> None:
    path = _csv(tmp_path / "roster.csv", roster_text().replace(",", mark))
    with pytest.raises(RosterError) as caught:
        read_roster(path)
    assert str(caught.value) == (
        f"{path}: line 1: fields separated by {shown}; expected commas (a spreadsheet saves "
        "them with 'CSV (comma delimited)' or 'CSV UTF-8'), or an .xlsx file"
    )


def _xlsx(path: Path, rows: list[list[object]], notes_first: bool = False) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if notes_first:
        book.create_sheet("notes", 0)["A1"] = "exported by HR"
    book.save(path)
    return path


ROWS = [["age", "tenure_years", "wage_per_hour"], [30, 1, 15.5], [40, 2, 16.0], [50, 3, 17.0]]


def test_a_formula_with_no_saved_value_is_named_not_read_as_missing(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "r.xlsx", [*ROWS[:2], [40, 2, "=15+1"], ROWS[3], [55, "=2*2", 9]])
    with pytest.raises(RosterError) as caught:
        read_roster(path)
    lines = str(caught.value).splitlines()
    assert lines == [
        f"{path}: line 3: wage_per_hour: a formula with no saved value ('=15+1'); expected a "
        "value: save the file in a spreadsheet program (which stores each formula's value) or "
        "type the value",
        f"{path}: line 5: tenure_years: a formula with no saved value ('=2*2'); expected a "
        "value: save the file in a spreadsheet program (which stores each formula's value) or "
        "type the value",
    ]
    assert len(read_roster(_xlsx(tmp_path / "ok.xlsx", ROWS))) == 3


def test_the_sheet_read_is_named_when_there_are_several(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "r.xlsx", ROWS, notes_first=True)
    with pytest.raises(RosterError) as caught:
        read_roster(path)
    assert "unknown column 'exported_by_hr'" in str(caught.value)
    assert str(caught.value).endswith("(of its 2 sheets, the first, 'notes', is read)")


def test_months_newest_first_are_refused_once_with_the_reason(tmp_path: Path) -> None:
    rows = VOLUMES.splitlines()
    path = _csv(tmp_path / "v.csv", "\n".join([rows[0], *reversed(rows[1:])]) + "\n")
    with pytest.raises(RosterError) as caught:
        read_volumes(path)
    assert str(caught.value) == (
        f"{path}: line 2: month: the months run newest first (2024-12 down to 2024-01); "
        "expected oldest first"
    )


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "labour_force: -5",
            "labour_force: Input should be greater than or equal to 1000 (got -5)",
        ),
        ("vacancy_rate: '3,1%'", "vacancy_rate: Input should be a valid number"),
        ("average_wage_month: 1.0e9", "average_wage_month: Input should be less than or equal"),
    ],
)
def test_a_region_files_bad_value_names_the_region_file(
    tmp_path: Path, line: str, expected: str
) -> None:
    path = _csv(tmp_path / "region.yaml", f"source: ONS\n{line}\n")
    with pytest.raises(RosterError) as caught:
        read_region(path)
    assert str(caught.value).startswith(f"{path}: {expected}")
    assert read_region(_csv(tmp_path / "ok.yaml", "labour_force: 90000\n")) == {
        "labour_force": 90000
    }


def test_a_region_files_bad_value_is_refused_through_the_cli(tmp_path: Path) -> None:
    _csv(tmp_path / "region.yaml", "labour_force: 12\n")
    path = scenario(tmp_path)
    data = yaml.safe_load(path.read_text())
    data["local_economy"] = {"region_file": "region.yaml"}
    path.write_text(yaml.safe_dump(data))
    refused(path, "region.yaml: labour_force: Input should be greater than or equal to 1000")


@pytest.mark.parametrize(
    ("data", "where"),
    [
        (
            {"simulation": {"description": "a\x1bb"}},
            "simulation.description: control character U+001B",
        ),
        ({"plan": {"layoff_site_order": ["x", "b\x07"]}}, "plan.layoff_site_order.1: control"),
        ({"vendors": [{"name": "v\x9b"}]}, "vendors.0.name: control character U+009B"),
        ({"workforce": {"roster_rows": [{"site": "\x00"}]}}, "roster_rows.0.site: control"),
        ({"plan": {"phases": [{"shares": {"v\x1b": 1}}]}}, "plan.phases.0.shares: key control"),
    ],
)
def test_a_scenario_built_in_code_is_checked_for_control_characters(data: dict, where: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        scenario_from_dict(data)
    assert where in str(caught.value)
    assert "Traceback" not in str(caught.value)


def test_tabs_and_newlines_in_free_text_from_code_are_kept() -> None:
    text = "line one\n\tline two"
    assert scenario_from_dict({"simulation": {"description": text}}).simulation.description == text


def test_a_spaced_header_and_cells_are_read_as_written_without_spaces(tmp_path: Path) -> None:
    spaced = HEADER.replace(",", " , ") + "a1 , north , 30 , 1 , 15.5\n"
    assert read_roster(_csv(tmp_path / "r.csv", spaced))[0]["site"] == "north"


_texts = st.text(st.characters(codec="utf-8"), max_size=12)
_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | _texts,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_texts, inner, max_size=3),
    max_leaves=12,
)
_SECTIONS = ("simulation", "company", "workforce", "customers", "plan", "vendors", "policies")


@settings(max_examples=150, deadline=None)
@given(data=st.dictionaries(st.sampled_from(_SECTIONS) | _texts, _values, max_size=4))
def test_any_mapping_from_code_is_a_scenario_or_one_clear_error(data: dict) -> None:
    """A mapping built in code (any texts, control characters included) gives a scenario or
    a ScenarioError, never another exception; a refusal names no raw control character."""
    try:
        scenario_from_dict(data)
    except ScenarioError as exc:
        assert not CONTROL.search(str(exc).replace("\n", " ")), repr(str(exc))


def test_a_value_longer_than_the_csv_reader_takes_is_refused_by_line(tmp_path: Path) -> None:
    """A 300,000-character field: the csv module's own limit, refused as too long (it was a
    traceback once the reader read row by row)."""
    path = _csv(tmp_path / "v.csv", "month,contacts\n2024-01," + "9" * 300_000 + "\n")
    with pytest.raises(RosterError) as caught:
        read_volumes(path)
    assert str(caught.value) == (
        f"{path}: line 2: a value of more than 131,072 characters; expected cells of at most "
        "1,000 characters"
    )
