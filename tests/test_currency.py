"""Currency (issue 27): a scenario's money is in one currency, named by ``company.currency``;
results say which and write it with its symbol."""

from __future__ import annotations

import json

import openpyxl
import pytest

from simulator.outputs.formatting import (
    change,
    currency,
    in_currency,
    millions_label,
    number,
    span,
)
from simulator.outputs.workbooks import number_format
from simulator.scenario import ScenarioError

from .reliability_helpers import LEAN, outsim, tiny


def test_money_is_written_in_the_currency_of_the_block() -> None:
    assert number(1.5e6, "USD") == "$1.50M" and currency() == "USD"
    with in_currency("GBP"):
        assert number(1.5e6, "USD") == "£1.50M"
        assert change(-2000, "USD") == "−£2,000"
        assert span(-1e6, 2e6, "USD", signed=True) == "−£1.00M to +£2.00M"
        assert number_format("USD") == '"£"#,##0'
        assert millions_label() == "GBP millions"
        with in_currency("INR"):
            assert number(250, "USD") == "INR 250"
        assert currency() == "GBP"
    assert number(0.25, "share") == "25.0%" and number(1.5e6, "USD") == "$1.50M"


def test_a_currency_is_an_iso_code(tmp_path) -> None:
    from simulator.scenario import load_scenario

    path = tiny(tmp_path, company={"currency": "pounds"})
    with pytest.raises(ScenarioError, match="company.currency"):
        load_scenario(path)


@pytest.mark.integration
def test_a_run_in_pounds_says_so_everywhere(tmp_path) -> None:
    tiny(tmp_path, company={"currency": "GBP"})
    result = outsim("run", "tiny.yaml", "--out", "r", "-n", "1", *LEAN, cwd=tmp_path)
    assert result.code == 0, result.err
    out = tmp_path / "r"
    assert json.loads((out / "summary.json").read_text())["currency"] == "GBP"
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "amounts in GBP" in html and "£" in html
    assert "£" in result.out and "$" not in result.out
    sheet = openpyxl.load_workbook(out / "results.xlsx").worksheets[0]
    formats = {c.number_format for row in sheet.iter_rows() for c in row}
    assert any("£" in f for f in formats) and not any('"$"' in f for f in formats)


def test_plans_in_two_currencies_are_not_compared(tmp_path) -> None:
    tiny(tmp_path, "a.yaml", company={"currency": "GBP"})
    tiny(tmp_path, "b.yaml", simulation={"name": "b"})
    result = outsim("compare", "a.yaml", "b.yaml", "--out", "c", "-n", "1", "-q", cwd=tmp_path)
    assert result.code == 2 and "different currencies (GBP, USD)" in result.err
    assert not (tmp_path / "c").exists()
