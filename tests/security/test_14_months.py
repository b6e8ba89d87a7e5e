"""Item 14: a month is exactly YYYY-MM in ASCII digits (01-12), nothing before or after;
and a command that saves nothing creates no month.

``--period $'2017-05\\n'`` and ``--period "٢٠١٧-04"`` (Arabic-Indic digits) used to pass
the check (``\\d`` takes any digit, ``$`` allows a final newline) and create bogus months.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from resilience.cli import app as cli
from resilience.store import Store, StoreError

BOGUS = [
    "2017-05\n",
    "\u0662\u0660\u0661\u0667-04",
    "2017-0\u0664",
    "2017-13",
    " 2017-05",
    "2017-5",
]


def months(db: Path) -> list[str]:
    with sqlite3.connect(db) as connection:
        return [r[0] for r in connection.execute("SELECT period FROM review_period")]


@pytest.mark.parametrize("period", BOGUS)
def test_score_save_refuses_a_bogus_month(demo_db: Path, tmp_path: Path, period: str) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_text("ods_code,gp_fte\nZC0001,3.5\n", encoding="utf-8")
    before = months(demo_db)
    result = CliRunner().invoke(
        cli, ["score", str(rows), "--period", period, "--save", "--db", str(demo_db)]
    )
    assert result.exit_code == 2, result.output
    assert "is not a month" in result.stderr
    assert months(demo_db) == before


@pytest.mark.parametrize("period", BOGUS)
def test_the_store_refuses_a_bogus_month(demo_store: Store, period: str) -> None:
    with pytest.raises(StoreError, match="is not a month"):
        demo_store.open_period(period)


@pytest.mark.parametrize("command", ["export", "report"])
def test_reading_commands_refuse_a_bogus_month(demo_db: Path, command: str) -> None:
    before = months(demo_db)
    result = CliRunner().invoke(
        cli, [command, "--period", "\u0662\u0660\u0661\u0667-03", "--db", str(demo_db)]
    )
    assert result.exit_code == 2 and "is not a month" in result.stderr
    assert months(demo_db) == before


def test_no_month_is_created_when_nothing_is_saved(demo_db: Path, tmp_path: Path) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_text("ods_code,gp_fte\nZZ9999,3.5\nZC0001,lots\n", encoding="utf-8")
    before = months(demo_db)
    result = CliRunner().invoke(
        cli, ["score", str(rows), "--period", "2017-06", "--save", "--db", str(demo_db)]
    )
    assert result.exit_code == 1, result.output  # every row refused, each said why
    assert "saved 0 new version(s)" in result.stderr
    assert months(demo_db) == before  # no empty 2017-06 left behind


def test_a_month_is_opened_when_something_is_saved(demo_db: Path, tmp_path: Path) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_text("ods_code,gp_fte\nZC0001,3.5\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["score", str(rows), "--period", "2017-06", "--save", "--db", str(demo_db)]
    )
    assert result.exit_code == 0, result.output
    assert "2017-06" in months(demo_db)
