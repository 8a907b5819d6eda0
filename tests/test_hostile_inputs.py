"""Hostile and careless input files (issue 25): every refusal is exit 2 with one clear
message naming the file, line and column, no traceback and nothing written; and the readers,
fed mutated files, either parse them or raise the errors the CLI turns into exit 2."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.scenario import ScenarioError
from simulator.scenario.roster import RosterError, read_roster, read_volumes

from .conftest import ROOT
from .reliability_helpers import Outcome, outsim

HEADER = "id,site,age,tenure_years,wage_per_hour\n"
GOOD_ROWS = [f"a{i},{'north' if i % 2 else 'south'},{30 + i},{i % 5},{15 + i}.5" for i in range(8)]
VOLUMES = "month,contacts\n" + "".join(f"2024-{m:02d},{1000 + m}\n" for m in range(1, 13))


def roster_text(*rows: str) -> str:
    return HEADER + "\n".join(rows or GOOD_ROWS) + "\n"


def scenario(folder: Path, roster: str | None = None, volumes: str | None = None, **extra) -> Path:
    """A small scenario in ``folder`` with the given roster and volumes texts."""
    data: dict = {
        "simulation": {"name": "hostile", "horizon_months": 12, "replications": 1},
        "customers": {"count": 2000},
        "local_economy": {"labour_force": 30000},
    }
    if roster is not None:
        (folder / "roster.csv").write_text(roster, encoding="utf-8")
        data["workforce"] = {"roster": "roster.csv"}
    if volumes is not None:
        (folder / "volumes.csv").write_text(volumes, encoding="utf-8")
        data["customers"]["volumes"] = "volumes.csv"
    for key, value in extra.items():
        section, field = key.split("__")
        data.setdefault(section, {})[field] = value
    path = folder / "scenario.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def cli(*args: str, cwd: Path) -> Outcome:
    return outsim(*args, cwd=cwd, fresh=True, timeout=300)


def refused(path: Path, *expected: str, run: bool = False) -> str:
    """Validate (and, with ``run``, run) ``path``: exit 2, every ``expected`` text in the
    message, no traceback, no results folder. The message."""
    out = path.parent / "out"
    done = cli("run", str(path), "--out", str(out), cwd=path.parent) if run else None
    checked = cli("validate", str(path), cwd=path.parent)
    for result in (checked, done):
        if result is None:
            continue
        message = " ".join(result.err.split())
        assert result.code == 2, result.err + result.out
        assert "Traceback" not in result.err + result.out
        for text in expected:
            assert text in message, message
    assert not out.exists()
    assert not (path.parent / "results").exists()
    return " ".join(checked.err.split())


def accepted(path: Path) -> None:
    result = cli("validate", str(path), cwd=path.parent)
    assert result.code == 0, result.err + result.out


# -- 5: numbers read wrong without a word ------------------------------------------------------
@pytest.mark.parametrize(
    ("cell", "shown"),
    [('"9,5"', "'9,5'"), ('"1,250"', "'1,250'"), ('"12,75"', "'12,75'")],
)
def test_an_ambiguous_decimal_comma_is_refused(tmp_path: Path, cell: str, shown: str) -> None:
    rows = [*GOOD_ROWS[:2], f"b1,north,40,2,{cell}"]
    path = scenario(tmp_path, roster_text(*rows))
    message = refused(path, "roster.csv: line 4: wage_per_hour:", shown, "ambiguous", run=True)
    assert "roster_decimal" in message


def test_a_declared_decimal_comma_is_read(tmp_path: Path) -> None:
    rows = ['a1,north,40,2,"9,5"', 'a2,south,41,3,"12,25"', "a3,south,42,3,16"]
    path = scenario(tmp_path, roster_text(*rows), workforce__roster_decimal=",")
    accepted(path)
    wages = [r["wage_per_hour"] for r in read_roster(tmp_path / "roster.csv", ",")]
    assert wages == [9.5, 12.25, 16.0]
    text = "month,contacts\n" + "".join(f'{m},"1.250,5"\n' for m in range(1, 8))
    assert read_volumes(_write(tmp_path / "v.csv", text), ",") == [1250.5] * 7
    # an xlsx's numbers are numbers, whatever the declared mark
    acme = ROOT / "scenarios" / "examples" / "acme"
    assert read_roster(acme / "roster.xlsx", ",") == read_roster(acme / "roster.csv")
    # declared comma: a decimal point is refused rather than read as thousands
    with pytest.raises(RosterError, match="line 2: wage_per_hour: expected a number with ','"):
        read_roster(_write(tmp_path / "r2.csv", roster_text("a,x,30,2,15.5")), ",")


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_unambiguous_thousands_and_ambiguous_volumes(tmp_path: Path) -> None:
    text = "month,contacts\n" + "".join(f'2024-{m:02d},"1,250,{m:03d}"\n' for m in range(1, 8))
    assert read_volumes(_write(tmp_path / "v.csv", text))[0] == 1_250_001
    bad = VOLUMES.replace("2024-03,1003", '2024-03,"1,003"')
    refused(scenario(tmp_path, volumes=bad), "volumes.csv: line 4: contacts:", "volumes_decimal")


# -- 6: volumes in the wrong order -------------------------------------------------------------
def test_repeated_months_without_a_channel_are_refused(tmp_path: Path) -> None:
    text = "month,contacts\n" + "".join(f"{m},{100 * m}\n" for m in (1, 2, 3, 1, 2, 3, 4, 5))
    refused(
        scenario(tmp_path, volumes=text),
        "volumes.csv: line 5: month: month repeats line 2",
        "line 6: month: month repeats line 3",
        run=True,
    )


def test_months_out_of_order_or_missing_are_refused(tmp_path: Path) -> None:
    text = "month,contacts\n" + "".join(f"2024-{m:02d},5\n" for m in (1, 2, 4, 3, 5, 6, 7, 8))
    refused(scenario(tmp_path, volumes=text), "line 4: month: follows 2024-02 with 2024-04")


def test_channels_each_need_unique_consecutive_months(tmp_path: Path) -> None:
    rows = [f"2024-{m:02d},{c},10" for m in range(1, 8) for c in ("phone", "chat")]
    good = "month,channel,contacts\n" + "\n".join(rows) + "\n"
    assert read_volumes(_write(tmp_path / "good.csv", good)) == [20.0] * 7
    repeated = good.replace("2024-02,chat", "2024-01,chat")
    refused(scenario(tmp_path, volumes=repeated), "line 5: month: channel 'chat': month repeats")
    short = "month,channel,contacts\n" + "\n".join(rows[:-1]) + "\n"
    refused(scenario(tmp_path, volumes=short), "the channels cover different months")


# -- 7: every problem at once, with file, line and column --------------------------------------
def test_every_roster_problem_is_reported_with_its_line(tmp_path: Path) -> None:
    rows = [*GOOD_ROWS[:3], "b1,north,12,1,15", "b2,north,30,2,abc", "", "b3,north,30,1,-4"]
    message = refused(
        scenario(tmp_path, roster_text(*rows)),
        "roster.csv: line 5: age: Input should be greater than or equal to 16",
        "roster.csv: line 6: wage_per_hour: expected a number, got 'abc'",
        "roster.csv: line 8: wage_per_hour: Input should be greater",  # the blank line counts
    )
    assert "line 7" not in message


def test_many_problems_are_capped_and_counted(tmp_path: Path) -> None:
    rows = [f"b{i},north,12,1,15" for i in range(500)]
    message = refused(scenario(tmp_path, roster_text(*rows)), "and 480 more problems (500 in all)")
    assert message.count("Input should be greater than or equal to 16") == 20


def test_volume_errors_name_file_and_line(tmp_path: Path) -> None:
    bad = VOLUMES.replace("2024-05,1005", "2024-05,lots").replace("2024-07,1007", "2024-07,-3")
    refused(
        scenario(tmp_path, volumes=bad),
        "volumes.csv: line 6: contacts: expected a number, got 'lots'",
        "volumes.csv: line 8: contacts: expected a number from 0",
    )


def test_a_huge_file_is_counted_right(tmp_path: Path) -> None:
    text = "month,contacts\n" + "".join(f"{m},5\n" for m in range(1, 30_002))
    refused(scenario(tmp_path, volumes=text), "30,001 rows; expected at most")
    roster = HEADER + "".join(f"x{i},s,30,1,15\n" for i in range(200_003))
    with pytest.raises(RosterError, match="200,003 agents; expected at most 200,000"):
        read_roster(_write(tmp_path / "big.csv", roster))


# -- 2: control characters in data fields ---------------------------------------------------------
@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("b1,nor\x1bth,30,2,15", "line 4: site: control character U+001B"),
        ("b\x07,north,30,2,15", "line 4: id: control character U+0007"),
        ('b1,"nor\nth",30,2,15', "line 4: site: control character U+000A"),
    ],
)
def test_control_characters_in_a_roster_are_refused(
    tmp_path: Path, row: str, expected: str
) -> None:
    path = scenario(tmp_path, roster_text(*GOOD_ROWS[:2], row))
    refused(path, "roster.csv: " + expected, "expected printable text", run=True)


def test_control_characters_in_headers_and_volumes(tmp_path: Path) -> None:
    header = roster_text().replace("site", "si\x1bte", 1)
    refused(scenario(tmp_path, header), "roster.csv: line 1: header: control character U+001B")
    rows = [f"2024-{m:02d},ph\x9bone,10" for m in range(1, 8)]
    text = "month,channel,contacts\n" + "\n".join(rows) + "\n"
    refused(
        scenario(tmp_path, volumes=text), "volumes.csv: line 2: channel: control character U+009B"
    )


@pytest.mark.parametrize(
    ("yaml_text", "expected"),
    [
        ('company:\n  name: "Acme\\e[31m"\n', "line 2, column 9: control character U+001B"),
        ('simulation:\n  description: "a\\abell"\n', "line 2, column 16: control character U+0007"),
    ],
)
def test_control_characters_in_a_scenario_are_refused(
    tmp_path: Path, yaml_text: str, expected: str
) -> None:
    path = _write(tmp_path / "scenario.yaml", yaml_text)
    refused(path, "scenario.yaml: " + expected, run=True)


# -- 8: silent omissions ------------------------------------------------------------------------
def test_a_site_left_out_of_the_layoff_order_is_refused(tmp_path: Path) -> None:
    path = scenario(
        tmp_path, roster_text(), plan__layoff_rule="by_site", plan__layoff_site_order=["north"]
    )
    refused(path, "plan.layoff_site_order leaves out the roster's site(s) south", run=True)


def test_a_misspelt_site_is_refused_and_others_last_is_accepted(tmp_path: Path) -> None:
    def by_site(*order: str) -> Path:
        text = roster_text()
        return scenario(
            tmp_path, text, plan__layoff_rule="by_site", plan__layoff_site_order=list(order)
        )

    refused(by_site("north", "soth"), "names site 'soth', which no roster row has")
    refused(by_site("*", "north"), "has '*' before its end")
    accepted(by_site("north", "*"))


@pytest.mark.parametrize(
    ("yaml_text", "where", "nearest"),
    [
        ("simulation:\n  horizon_mnths: 12\n", "simulation.horizon_mnths", "horizon_months"),
        ("workforce:\n  hedcount: 12\n", "workforce.hedcount", "headcount"),
        (
            "plan:\n  phases:\n  - {month: 1, ramp_month: 2}\n",
            "plan.phases.0.ramp_month",
            "ramp_months",
        ),
    ],
)
def test_an_unknown_field_gets_the_nearest_name(
    tmp_path: Path, yaml_text: str, where: str, nearest: str
) -> None:
    path = _write(tmp_path / "scenario.yaml", yaml_text)
    refused(path, f"{where}: unknown field", f"did you mean {nearest!r}?")


def test_unknown_columns_get_the_nearest_name(tmp_path: Path) -> None:
    text = roster_text().replace("tenure_years", "tenure_yrs")
    refused(
        scenario(tmp_path, text),
        "line 1: unknown column 'tenure_yrs' (did you mean 'tenure_years'?)",
    )


def test_a_missing_parent_says_where_it_looked(tmp_path: Path) -> None:
    path = _write(tmp_path / "scenario.yaml", "extends: ../elsewhere/base.yaml\n")
    looked = (tmp_path.parent / "elsewhere" / "base.yaml").resolve()
    refused(path, "extends:", "base.yaml: file not found", f"(looked for {looked})")


# -- 4: expansion and echo bounds ------------------------------------------------------------------
def xlsx_scenario(folder: Path, members: dict[str, bytes]) -> Path:
    """A scenario whose roster is a real xlsx with ``members`` added or replaced."""
    import pandas as pd

    plain = folder / "plain.xlsx"
    pd.DataFrame({"age": [30, 40], "tenure_years": [1, 2], "wage_per_hour": [15, 16]}).to_excel(
        plain, index=False
    )
    with (
        zipfile.ZipFile(plain) as source,
        zipfile.ZipFile(folder / "roster.xlsx", "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            if item.filename not in members:
                target.writestr(item, source.read(item))
        for name, data in members.items():
            target.writestr(name, data)
    path = scenario(folder)
    data = yaml.safe_load(path.read_text())
    data["workforce"] = {"roster": "roster.xlsx"}
    path.write_text(yaml.safe_dump(data))
    return path


def test_an_xlsx_that_expands_too_far_is_refused_before_parsing(tmp_path: Path) -> None:
    huge = (
        b'<sst xmlns="x" count="1" uniqueCount="1"><si><t>' + b"A" * 30_000_000 + b"</t></si></sst>"
    )
    path = xlsx_scenario(tmp_path, {"xl/sharedStrings.xml": huge})
    assert (tmp_path / "roster.xlsx").stat().st_size < 200_000
    message = refused(
        path, "roster.xlsx: its texts expand to 30,000,", "expected at most", run=True
    )
    assert "AAAA" not in message and len(message) < 1000


def test_a_long_text_inside_an_xlsx_is_refused_before_parsing(tmp_path: Path) -> None:
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>' + "B" * 100_000 + "</t></is></c></row>"
        "</sheetData></worksheet>"
    )
    path = xlsx_scenario(tmp_path, {"xl/worksheets/sheet1.xml": sheet.encode()})
    message = refused(path, "roster.xlsx: xl/worksheets/sheet1.xml holds a text of more than")
    assert "BBBB" not in message


def test_an_xlsx_of_many_parts_or_not_a_zip_is_refused(tmp_path: Path) -> None:
    parts = {f"xl/media/p{i}.bin": b"" for i in range(1_001)}
    refused(xlsx_scenario(tmp_path, parts), "roster.xlsx: holds 1,0", "expected an xlsx of at most")
    (tmp_path / "roster.xlsx").write_bytes(b"not a zip at all")
    refused(tmp_path / "scenario.yaml", "roster.xlsx: not an xlsx file")


def test_long_values_are_refused_and_quoted_short(tmp_path: Path) -> None:
    long = "z" * 100_000
    message = refused(
        scenario(tmp_path, roster_text(*GOOD_ROWS[:2], f"b1,{long},30,2,15")),
        "roster.csv: line 4: site: 100,000 characters; expected at most 1,000",
    )
    assert "z" * 100 not in message
    message = refused(
        scenario(tmp_path, roster_text(*GOOD_ROWS[:2], f"b1,north,30,2,{'9' * 900}x")),
        "roster.csv: line 4: wage_per_hour: expected a number, got '999",
        "(901 characters)",
    )
    assert "9" * 100 not in message


def test_a_long_yaml_value_is_quoted_short(tmp_path: Path) -> None:
    path = _write(tmp_path / "scenario.yaml", f"company:\n  name: {'n' * 5000}\n")
    message = refused(path, "company.name", "5002 characters")
    assert "n" * 100 not in message


# -- fuzz: the readers parse or refuse, never crash ----------------------------------------------
_PIECES = st.sampled_from(
    [
        "",
        ",",
        '"',
        "\n",
        "\r\n",
        "9,5",
        "1,250",
        "1.250,5",
        "-1",
        "nan",
        "inf",
        "1e400",
        "\x1b",
        "\x07",
        "é",
        "2024-13",
        "2024-01",
        "0",
        "yes",
        "maybe",
        " ",
        "\t",
        "age",
        "month",
        "x" * 90,
    ]
)


@st.composite
def mutated(draw: st.DrawFn, base: str) -> str:
    text = base
    for _ in range(draw(st.integers(0, 6))):
        at = draw(st.integers(0, len(text)))
        cut = draw(st.integers(0, 4))
        text = text[:at] + draw(_PIECES) + text[at + cut :]
    return text


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    roster=mutated(roster_text()),
    volumes=mutated(VOLUMES),
    decimal=st.sampled_from([None, ".", ","]),
)
def test_fuzzed_files_parse_or_are_refused(
    tmp_path: Path, roster: str, volumes: str, decimal: str | None
) -> None:
    for name, text, reader in (
        ("fuzz_roster.csv", roster, read_roster),
        ("fuzz_volumes.csv", volumes, read_volumes),
    ):
        parsed_or_refused(reader, _write(tmp_path / name, text), decimal)


def parsed_or_refused(reader: Callable[..., object], path: Path, decimal: str | None) -> None:
    """``reader`` parses the file, or refuses it naming the file in short lines; any other
    exception fails the test."""
    try:
        reader(path, decimal)
    except (RosterError, ScenarioError) as exc:
        assert str(path) in str(exc)
        assert all(len(line) < 600 for line in str(exc).splitlines())


def _as_xlsx(path: Path, text: str) -> Path:
    """The rows of a (fuzzed) CSV text as an xlsx sheet: numbers as numbers, the rest text."""
    import csv
    import io

    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    wb = Workbook()
    ws = wb.active
    for row in csv.reader(io.StringIO(text, newline="")):
        cells: list[object] = []
        for value in row[:60]:
            try:
                cells.append(float(value))
            except ValueError:
                # an xlsx cannot hold most control characters (openpyxl refuses to write
                # them); the CSV fuzz covers those
                cells.append(ILLEGAL_CHARACTERS_RE.sub("?", value[:2000]))
        ws.append(cells)
    wb.save(path)
    return path


REGION_VALUES = st.one_of(
    st.integers(-10, 10**9),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.none(),
    st.lists(st.integers(), max_size=3),
)
REGION_KEYS = st.one_of(
    st.sampled_from(
        ["labour_force", "baseline_unemployment_rate", "vacancy_rate", "average_wage_month"]
    ),
    st.sampled_from(["source", "period", "labor_force", "vacancies"]),
    st.text(min_size=1, max_size=12),
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(roster=mutated(roster_text()), volumes=mutated(VOLUMES))
def test_fuzzed_xlsx_files_parse_or_are_refused(tmp_path: Path, roster: str, volumes: str) -> None:
    """The same mutated rosters and volumes, as spreadsheets: parsed or refused naming the
    file, never another exception."""
    for name, text, reader in (
        ("fuzz_roster.xlsx", roster, read_roster),
        ("fuzz_volumes.xlsx", volumes, read_volumes),
    ):
        parsed_or_refused(reader, _as_xlsx(tmp_path / name, text), None)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(region=st.dictionaries(REGION_KEYS, REGION_VALUES, max_size=6))
def test_fuzzed_region_files_load_or_are_refused(tmp_path: Path, region: dict) -> None:
    """A scenario naming a generated region file: it loads, or it is refused with a
    ScenarioError that names the region file or the field — never another exception."""
    from simulator.scenario import load_scenario

    (tmp_path / "region.yaml").write_text(yaml.safe_dump(region), encoding="utf-8")
    scenario = tmp_path / "s.yaml"
    scenario.write_text(
        f"extends: {ROOT / 'scenarios' / 'default.yaml'}\n"
        "local_economy:\n  region_file: region.yaml\n",
        encoding="utf-8",
    )
    try:
        load_scenario(scenario)
    except ScenarioError as exc:
        assert "region" in str(exc) or "local_economy" in str(exc), str(exc)
        assert all(len(line) < 600 for line in str(exc).splitlines())


def test_a_row_with_an_extra_field_is_refused_not_shifted(tmp_path: Path) -> None:
    """An unquoted decimal comma in a csv row makes one field too many: pandas would have
    taken the first column as the index and shifted every value one column to the left."""
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "id,site,age,tenure_years,wage_per_hour\n"
        "a0,north,30,1,16,77\n"
        "a1,south,31,2,17.5\n"
        'a2,"we,st",32,3\n',
        encoding="utf-8",
    )
    with pytest.raises(RosterError) as info:
        read_roster(roster, None)
    message = str(info.value)
    assert "line 2: 6 fields; expected 5" in message
    assert "line 4: 4 fields; expected 5" in message
    assert "line 3" not in message


def test_csv_lines_count_the_file_even_after_a_quoted_line_break(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(
        'id,site,age,tenure_years,wage_per_hour\na0,"no\nrth",30,1,16.5\na1,so\x07uth,31,2,17.5\n',
        encoding="utf-8",
    )
    with pytest.raises(RosterError) as info:
        read_roster(roster, None)
    message = str(info.value)
    assert "line 2: site: control character" in message  # the cell holding the line break
    assert "line 4: site: control character U+0007" in message  # the file's fourth line
