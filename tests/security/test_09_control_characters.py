"""Item 9: terminal control sequences in names never reach the terminal.

A name carrying ESC sequences (colour, a new window title, an OSC 8 hyperlink) reached
the terminal from ``import --dry-run``, ``practices`` and the app. Imported names with
control characters (NUL included) are now rejected row by row; whatever is already in
the database is printed with its control characters shown visibly (``\\x1b``).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from resilience.app import ResilienceApp
from resilience.cli import app as cli
from screens.virtual_table import VirtualTable
from tests.pilot import settle

ESC = "\x1b"
COLOUR = f"Evil {ESC}[31mRED{ESC}[0m Surgery"
TITLE = f"Quiet {ESC}]0;you have been pwned{ESC}\\ Practice"
LINK = f"Link {ESC}]8;;https://evil.example{ESC}\\click{ESC}]8;;{ESC}\\ Centre"
NUL = "Nul\x00 Medical Centre"
BELL = "Bell\x07 House"


def epraccur_row(code: str, name: str) -> str:
    fields = [code, name, "Y63", "Q74", "THE HEALTH CENTRE", "LAWSON STREET", "STOCKTON",
              "CLEVELAND", "", "TS18 1HU", "19740401", "", "A", "B", "00K", "20130401", "",
              "01642 672351", "", "", "", "0", "", "00K", "", "4", ""]  # fmt: skip
    return ",".join('"' + f.replace('"', '""') + '"' for f in fields) + "\n"


@pytest.mark.parametrize("name", [COLOUR, TITLE, LINK, NUL, BELL])
def test_an_imported_name_with_control_characters_is_rejected(
    demo_db: Path, tmp_path: Path, name: str
) -> None:
    register = tmp_path / "epraccur.csv"
    register.write_text(
        epraccur_row("A81001", "THE DENSHAM SURGERY") + epraccur_row("A81002", name),
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        cli, ["import", "ods", str(register), "--db", str(demo_db), "--dry-run"]
    )
    assert result.exit_code == 1, result.output
    assert "row 2, field 2 (name)" in result.output and "control characters" in result.output
    assert ESC not in result.output and "\x00" not in result.output and "\x07" not in result.output


def put_name(db: Path, name: str, code: str = "ZE0005") -> None:
    """As a database written by an older version (or by hand) might hold it."""
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE practice SET name = ? WHERE ods_code = ?", (name, code))


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_practices_never_prints_a_control_character(demo_db: Path, fmt: str) -> None:
    put_name(demo_db, LINK)
    put_name(demo_db, TITLE, "ZC0001")
    result = CliRunner().invoke(
        cli, ["practices", "--db", str(demo_db), "--format", fmt], env={"COLUMNS": "250"}
    )
    assert result.exit_code == 0, result.output
    assert ESC not in result.output
    assert "\\x1b" in result.output or "\\u001b" in result.output  # shown, not hidden


def test_score_table_output_has_no_control_characters(tmp_path: Path) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_text(f"ods_code,period\nA{ESC}[31m1,2017-03\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["score", str(rows), "--format", "table"])
    assert ESC not in result.output


async def test_the_app_shows_control_characters_visibly(demo_db: Path) -> None:
    put_name(demo_db, COLOUR)
    app = ResilienceApp(f"sqlite:///{demo_db}")
    async with app.run_test(size=(150, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#practices", VirtualTable)
        cell = str(table.get_row("ZE0005")[1])
        assert ESC not in cell and "\\x1b[31mRED" in cell
        await pilot.press("q")


def test_clean_shows_every_kind_of_control_character() -> None:
    from resilience.safe_text import clean, has_control

    assert clean("a\x1b[31mb\x9bc\x00d\x7f") == "a\\x1b[31mb\\x9bc\\x00d\\x7f"
    assert clean("right\u202eto left") == "right\\u202eto left"  # a name that reads backwards
    assert clean("two\nlines\ttab") == "two\nlines\ttab"
    assert clean("two\nlines", one_line=True) == "two\\x0alines"
    assert not has_control("Dr Smith & Partners [Surgery]") and has_control("\x00")
