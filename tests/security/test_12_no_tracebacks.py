"""Item 12: what used to end in a traceback is one sentence and exit code 2 (or, for a
bad row, the row's own message), and changes nothing.

* a read-only database (OperationalError) on export, report, score --save, import and
  users add;
* a full disk on import and score --save;
* list_size=99999999999999999999999 (OverflowError);
* deeply nested JSON Lines and methodology TOML (RecursionError);
* an xlsx export with a control character in a name (IllegalCharacterError).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import event
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from resilience.cli import app as cli
from tests.security.limits import one_sentence, run_with_file_limit

DATA = Path(__file__).parent.parent / "data"


def state(db: Path) -> tuple[int, int, int, int]:
    """What a refused command must not change: audit lines, versions, months, people."""
    with sqlite3.connect(db) as connection:
        return tuple(  # type: ignore[return-value]
            connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("audit_log", "assessment", "review_period", "person")
        )


@pytest.fixture
def read_only() -> Iterator[None]:
    """Every SQLite connection opened read-only, as for someone without write access
    to the file (root, who runs these tests, ignores file permissions)."""

    def query_only(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        if "sqlite" in type(dbapi_connection).__module__:
            dbapi_connection.execute("PRAGMA query_only = ON")

    event.listen(Engine, "connect", query_only)
    yield
    event.remove(Engine, "connect", query_only)


def rows_file(tmp_path: Path) -> Path:
    rows = tmp_path / "rows.csv"
    # forty practices: enough writing to pass the file-size limit of test_a_full_disk
    # even with results stored compactly
    body = "".join(f"ZC{n:04},3.5\n" for n in range(1, 41))
    rows.write_text("ods_code,gp_fte\n" + body, encoding="utf-8")
    return rows


def commands(tmp_path: Path) -> dict[str, list[str]]:
    return {
        "export": ["export", "--period", "2017-03", "-o", str(tmp_path / "out.csv")],
        "export-stdout": ["export", "--period", "2017-03", "--format", "json"],
        "report": ["report", "--period", "2017-03", "-o", str(tmp_path / "pack.md")],
        "score": ["score", str(rows_file(tmp_path)), "--period", "2017-05", "--save"],
        "import": ["import", "ods", str(DATA / "epraccur_legacy_2019-12_sample.csv")],
        "users-add": ["users", "add", "somebody", "--role", "editor"],
    }


@pytest.mark.usefixtures("read_only")
@pytest.mark.parametrize(
    "name", ["export", "export-stdout", "report", "score", "import", "users-add"]
)
def test_a_read_only_database(demo_db: Path, tmp_path: Path, name: str) -> None:
    args = commands(tmp_path)[name]
    before = state(demo_db)
    result = CliRunner().invoke(cli, [*args, "--db", str(demo_db)])
    assert result.exit_code == 2, result.output
    assert "read-only" in result.stderr and "Traceback" not in result.output
    assert one_sentence(result.stderr), result.stderr
    assert state(demo_db) == before
    assert not (tmp_path / "out.csv").exists() and not (tmp_path / "pack.md").exists()


@pytest.mark.parametrize("name", ["score", "import"])
def test_a_full_disk(demo_db: Path, tmp_path: Path, name: str) -> None:
    args = commands(tmp_path)[name]
    before = state(demo_db)
    result = run_with_file_limit(40_000, *args, "--db", str(demo_db))
    assert result.returncode == 2, result.stderr
    assert "disk full" in result.stderr
    assert one_sentence(result.stderr), result.stderr
    assert state(demo_db) == before  # no month opened, nothing half saved


def test_a_huge_list_size_is_a_row_error(demo_db: Path, tmp_path: Path) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_text("ods_code,list_size\nZC0001,99999999999999999999999\n", encoding="utf-8")
    before = state(demo_db)
    result = CliRunner().invoke(
        cli, ["score", str(rows), "--period", "2017-05", "--save", "--db", str(demo_db)]
    )
    assert result.exit_code == 1, result.output  # a bad row: 1, as for any bad row
    assert "row 1, column list_size" in result.stderr and "too large" in result.stderr
    assert "Traceback" not in result.output
    assert state(demo_db) == before


def test_a_huge_list_size_in_a_national_file_is_rejected(demo_db: Path, tmp_path: Path) -> None:
    sample = (DATA / "gp-reg-pat-prac-all_2021-01_sample.csv").read_text(encoding="utf-8")
    header, first, *_ = sample.splitlines()
    huge = first.rsplit(",", 1)[0] + ",99999999999999999999999"
    hostile = tmp_path / "patients.csv"
    hostile.write_text(f"{header}\n{huge}\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["import", "list-size", str(hostile), "--db", str(demo_db)])
    assert result.exit_code == 1, result.output
    assert "row 1, NUMBER_OF_PATIENTS" in result.output and "Traceback" not in result.output


def test_deeply_nested_json_lines(tmp_path: Path) -> None:
    rows = tmp_path / "rows.jsonl"
    deep = "[" * 200_000 + "]" * 200_000
    rows.write_text(
        f'{{"ods_code": "A81001", "period": "2017-03", "gp_fte": {deep}}}\n'
        '{"ods_code": "A81002", "period": "2017-03", "gp_fte": 2.5}\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["score", str(rows)])
    assert result.exit_code == 1, result.output
    assert "row 1: nested too deeply" in result.stderr and "Traceback" not in result.output
    assert "A81002" in result.stdout  # the good row is still scored


def test_deeply_nested_methodology(tmp_path: Path) -> None:
    method = tmp_path / "method.toml"
    method.write_text("x = " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    rows = rows_file(tmp_path)
    result = CliRunner().invoke(
        cli, ["score", str(rows), "--period", "2017-03", "--methodology", str(method)]
    )
    assert result.exit_code == 2, result.output
    assert "nested too deeply" in result.stderr and one_sentence(result.stderr)


def test_an_xlsx_export_with_a_control_character_in_a_name(demo_db: Path, tmp_path: Path) -> None:
    with sqlite3.connect(demo_db) as connection:
        connection.execute(
            "UPDATE practice SET name = ? WHERE ods_code = 'ZC0001'", ("Bell\x07 \x1b[31mRed",)
        )
    target = tmp_path / "out.xlsx"
    result = CliRunner().invoke(
        cli,
        ["export", "--period", "2017-03", "--format", "xlsx", "-o", str(target),
         "--db", str(demo_db)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    names = {r[0].value: r[1].value for r in load_workbook(target)["Summary"].iter_rows(min_row=2)}
    assert names["ZC0001"] == "Bell\\x07 \\x1b[31mRed"  # shown, not dropped or crashed on
