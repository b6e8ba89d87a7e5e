"""Rejected values are shown through the one cleaner, invisible characters included.

A reviewer importing a register row whose name held a TAB or a zero-width space (U+200B)
saw the TAB printed raw and the U+200B accepted and invisible, while U+202E (a bidi
override) was shown as ``\\u202e``. Every rejected value now goes through
``resilience.safe_text`` (``quoted``): controls, bidi marks and zero-width characters are
all shown as their codes, the same way in every message.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from resilience.cli import app as cli
from resilience.safe_text import clean, has_control, quoted
from tests.security.test_09_control_characters import epraccur_row

INVISIBLE = ["\u200b", "\u200d", "\u200e", "\u2060", "\ufeff", "\u00ad", "\u2028"]


@pytest.mark.parametrize(
    ("hidden", "shown"),
    [("\t", "\\x09"), ("\u200b", "\\u200b"), ("\u202e", "\\u202e"), ("\x1b", "\\x1b")],
)
def test_a_rejected_name_shows_its_hidden_character_as_a_code(
    demo_db: Path, tmp_path: Path, hidden: str, shown: str
) -> None:
    register = tmp_path / "epraccur.csv"
    register.write_text(
        epraccur_row("A81001", "THE DENSHAM SURGERY")
        + epraccur_row("A81002", f"QUEENS PARK{hidden}MEDICAL CENTRE"),
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        cli, ["import", "ods", str(register), "--db", str(demo_db), "--dry-run"]
    )
    assert result.exit_code == 1, result.output
    line = next(x for x in result.output.splitlines() if "row 2, field 2 (name)" in x)
    assert f"'QUEENS PARK{shown}MEDICAL CENTRE' holds control characters" in line
    assert hidden not in result.output


def test_a_rejected_number_is_quoted_like_every_other_value(
    demo_db: Path, tmp_path: Path
) -> None:
    """Python's repr wrote a tab as \\t here, and \\x09 in the name message."""
    sizes = tmp_path / "sizes.csv"
    sizes.write_text(
        "PUBLICATION,EXTRACT_DATE,TYPE,CCG_CODE,ONS_CCG_CODE,CODE,POSTCODE,SEX,AGE,"
        "NUMBER_OF_PATIENTS\n"
        "GP_PRAC_PAT_LIST,01JAN2021,GP,03W,E38000051,ZC0001,LE1 9ZA,ALL,ALL,1\t2\u200b\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        cli, ["import", "list-size", str(sizes), "--db", str(demo_db), "--dry-run"]
    )
    assert "NUMBER_OF_PATIENTS: '1\\x092\\u200b' is not a whole number" in result.output, (
        result.output
    )
    assert "\t" not in result.output and "\u200b" not in result.output


@pytest.mark.parametrize("character", INVISIBLE)
def test_invisible_characters_are_shown_and_refused(character: str) -> None:
    code = f"\\u{ord(character):04x}" if ord(character) > 0xFF else f"\\x{ord(character):02x}"
    assert clean(f"A{character}B") == f"A{code}B"
    assert quoted(f"A{character}B") == f"'A{code}B'"
    assert has_control(f"A{character}B")


def test_ordinary_text_is_left_alone() -> None:
    for text in ("Dr Smith & Partners", "Café Médical", "O'Brien Surgery", "Straße 1–3"):
        assert clean(text) == text and not has_control(text)
    assert quoted("a\tb\nc") == "'a\\x09b\\x0ac'"


def test_a_rejected_cell_of_a_scored_file_is_shown_the_same_way(tmp_path: Path) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_text(
        "ods_code,period,single_handed,list_size\nA81001,2021-01,y\u200bes,3\t100\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["score", str(rows)])
    assert result.exit_code == 1
    assert "single-handed: 'y\\u200bes' is not yes or no" in result.stderr
    assert "'3\\x09100' is not a whole number" in result.stderr, result.stderr
    assert "\u200b" not in result.output and "\t" not in result.stderr
