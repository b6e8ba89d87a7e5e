"""The other shapes national files come in: the CQC care directory (.xlsx and CSV), the
workforce high level (long) file, zips of either, and files of the wrong format."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from resilience.cli import app
from resilience.store import Store

DATA = Path(__file__).resolve().parent / "data"
DIRECTORY = DATA / "cqc_care_directory_sample.csv"
LONG = DATA / "gp_workforce_high_level_sample.csv"
DETAILED = DATA / "gp_workforce_practice_sample.csv"
LATEST = DATA / "cqc_ratings_sample.csv"
runner = CliRunner()


def imp(db: Path, *args: str):  # type: ignore[no-untyped-def]
    """``resilience import ... --create``: the first import starts the database."""
    return runner.invoke(app, ["import", *args, "--db", str(db), "--create"])


def as_xlsx(source: Path, target: Path, title_lines: int = 0) -> Path:
    """The CSV as CQC's spreadsheet: dates as dates, blanks as empty cells."""
    from datetime import datetime

    book = openpyxl.Workbook()
    sheet = book.active
    for n in range(title_lines):
        sheet.append([f"Care directory with ratings, title line {n + 1}"])
    with source.open(encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.reader(handle)):
            cells: list[object] = []
            for value in row:
                if number and len(value) == 10 and value[2] == "/" and value[5] == "/":
                    cells.append(datetime.strptime(value, "%d/%m/%Y"))
                else:
                    cells.append(value or None)
            sheet.append(cells)
    book.save(target)
    return target


def figures(db: Path, *fields: str) -> dict[str, dict[str, object]]:
    store = Store.open(str(db))
    out = store.current_figures(list(fields))
    store.close()
    return out


def test_the_care_directory_spreadsheet_counts_gp_practices_and_reads_unrated_as_unknown(
    demo_db: Path, tmp_path: Path
) -> None:
    book = as_xlsx(DIRECTORY, tmp_path / "cqc_active_locations.xlsx", title_lines=2)
    result = imp(demo_db, "cqc", str(book))
    assert result.exit_code == 0, result.output
    assert "cqc-care-directory-xlsx" in result.stdout
    assert "changed 3, unchanged 0, rejected 0, not in the register 1, skipped 4" in result.stdout
    got = figures(demo_db, "cqc_overall", "cqc_last_inspection", "cqc_safe")
    assert got["ZC0001"]["cqc_overall"] == "inadequate"
    assert str(got["ZC0001"]["cqc_last_inspection"]) == "2025-11-21"  # the publication date
    assert got["ZE0005"] == {"cqc_overall": "not_rated"}  # Not Rated, no date
    assert "ZW0003" not in got  # blank and Not applicable: unknown, nothing recorded
    assert got["ZC0003"]["cqc_overall"] == "good"  # listed twice: the newer rating
    assert "ZC0002" not in got  # an out-of-hours location is not a GP practice

    again = imp(demo_db, "cqc", str(DIRECTORY))  # its CSV export: the same ratings
    assert again.exit_code == 0, again.output
    assert "cqc-care-directory-csv" in again.stdout and "changed 0, unchanged 3" in again.stdout


def test_a_rating_that_is_not_one_is_rejected_with_its_row(demo_db: Path, tmp_path: Path) -> None:
    bad = tmp_path / "cqc.csv"
    bad.write_text(DIRECTORY.read_text().replace("Inadequate", "Superb", 1))
    result = imp(demo_db, "cqc", str(bad))
    assert result.exit_code == 1
    assert "row 2, Location Latest Overall Rating: 'Superb' is not one of" in result.stdout
    assert figures(demo_db, "cqc_overall") == {}


def test_wrong_formats_get_a_sentence_naming_what_the_file_looks_like(
    demo_db: Path, tmp_path: Path
) -> None:
    book = as_xlsx(DIRECTORY, tmp_path / "ratings.xlsx")
    for kind in ("ods", "list-size", "workforce"):
        result = imp(demo_db, kind, str(book))
        assert result.exit_code == 2
        assert "looks like an Excel workbook (.xlsx), not a CSV file" in result.stderr
    misnamed = tmp_path / "ratings_export.xlsx"
    misnamed.write_bytes(LATEST.read_bytes())
    result = imp(demo_db, "cqc", str(misnamed))
    assert result.exit_code == 2
    assert "named as an Excel workbook (.xlsx) but this looks like CSV text" in result.stderr


def test_the_workforce_high_level_file_adds_the_roles_that_count(demo_db: Path) -> None:
    result = imp(demo_db, "workforce", str(LONG), "--extract-date", "2026-03-31")
    assert result.exit_code == 0, result.output
    assert "workforce-high-level" in result.stdout and "ZX9999" in result.stdout
    got = figures(demo_db, "gp_fte", "nurse_fte", "gp_headcount", "single_handed")
    # partners 1.6 + salaried 0.6 + locums 0.4; the registrar and the "Total GPs" row left out
    assert got["ZC0001"] == {
        "gp_fte": 2.6,
        "nurse_fte": 2.3,  # practice nurses, ANP and the trainee nurse
        "gp_headcount": 3,  # partners and salaried: no locums, no trainees
        "single_handed": False,
    }
    # a locum row of ND makes GP FTE unknown, never smaller; one partner: single-handed
    assert got["ZE0005"] == {"nurse_fte": 0.53, "gp_headcount": 1, "single_handed": True}
    assert got["ZW0003"]["gp_fte"] == 5.32 and "nurse_fte" not in got["ZW0003"]


def test_a_workforce_zip_reads_its_practice_level_csv(demo_db: Path, tmp_path: Path) -> None:
    shipped = tmp_path / "GPW_CSV_March_2017.zip"
    with zipfile.ZipFile(shipped, "w") as z:
        z.writestr("GPW National Level - March 2017.csv", "A,B\n1,2\n")
        z.write(DETAILED, "GPW Practice Level - Detailed - March 2017.csv")
        z.write(LONG, "GPW Practice Level - High Level - March 2017.csv")
    result = imp(demo_db, "workforce", str(shipped), "--extract-date", "2017-03-31")
    assert result.exit_code == 0, result.output
    assert "(GPW Practice Level - Detailed - March 2017.csv)" in result.stdout
    assert figures(demo_db, "gp_fte")["ZE0005"]["gp_fte"] == 4.1

    nothing = tmp_path / "other.zip"
    with zipfile.ZipFile(nothing, "w") as z:
        z.writestr("GPW National Level.csv", "A,B\n1,2\n")
        z.writestr("GPW ICB Level.csv", "A,B\n1,2\n")
    result = imp(demo_db, "workforce", str(nothing))
    assert result.exit_code == 2
    assert "it contains: GPW National Level.csv, GPW ICB Level.csv" in result.stderr
