"""Every national file imports as published, unedited: the real files in
../shared/data/real/ (skipped, with the reason printed, when that folder is absent)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from resilience.cli import app
from resilience.store import Store
from tests.real_data import REAL

if not REAL.is_dir():  # the worktree layout: /work/wt/<branch>; the main checkout: /work/main
    REAL = Path("/work/shared/data/real")
REGISTER_2026 = REAL / "epraccur_2026-02.zip"
REGISTER_2025 = REAL / "epraccur_2025-09.zip"
REGISTER_2019 = REAL / "validation" / "epraccur_2019-12.zip"
PATIENTS_2021 = REAL / "validation" / "gp-reg-pat-prac-all_2021-01.zip"
PATIENTS_2026 = REAL / "gp-reg-pat-prac-all_2026-04_first211.csv"
CQC_XLSX = REAL / "cqc_gp_locations_2026-01.xlsx"

pytestmark = pytest.mark.skipif(
    not REGISTER_2026.exists(),
    reason=f"the real national files are not here ({REAL}); see shared/data/real/README.md",
)
runner = CliRunner()


def imp(db: Path, *args: str):  # type: ignore[no-untyped-def]
    """``resilience import ... --create``: the first import starts the database."""
    return runner.invoke(app, ["import", *args, "--db", str(db), "--create"])


def hierarchy(db: Path) -> dict[str, tuple[str, str | None]]:
    store = Store.open(str(db))
    out = {c.code: (c.kind, c.parent) for c in store.commissioner_list()}
    store.close()
    return out


@pytest.fixture(scope="module")
def register_2026(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("real") / "national.db"
    result = imp(db, "ods", str(REGISTER_2026))
    assert result.exit_code == 0, result.output
    return db


def test_the_2026_register_zip_imports_whole(register_2026: Path) -> None:
    store = Store.open(str(register_2026))
    practices = {p.ods_code: p for p in store.list_practices(include_closed=True)}
    sources = store.figure_sources("B81042")
    store.close()
    assert len(practices) == 8189  # every GP practice, the six RO76|RO268 included
    assert "B81042" in practices and "D82004" in practices  # role RO76|RO268
    assert not {"ALD200", "GUE010", "K0E995"} & set(practices)  # not GP practices
    assert sources["name"]["file_name"] == "epraccur_2026-02.zip (epraccur.csv)"
    tree = hierarchy(register_2026)
    assert tree["QK1"] == ("icb", None)
    assert tree["04C"] == ("sub_icb", "QK1") and tree["04V"] == ("sub_icb", "QK1")
    assert sum(1 for kind, _ in tree.values() if kind == "icb") == 42


def test_the_2026_register_again_changes_nothing_and_says_so_once(register_2026: Path) -> None:
    again = imp(register_2026, "ods", str(REGISTER_2026))
    assert again.exit_code == 0, again.output
    assert "unchanged 8189" in again.stdout and "skipped 7200" in again.stdout
    assert again.stdout.count("imported already") == 1
    assert "Nothing to change" in again.stdout


def test_the_2025_legacy_register_keeps_field_4s_icb(tmp_path: Path) -> None:
    db = tmp_path / "legacy.db"
    result = imp(db, "ods", str(REGISTER_2025))
    assert result.exit_code == 0, result.output
    assert "new 8655, changed 0, unchanged 0, rejected 0" in result.stdout
    tree = hierarchy(db)
    assert tree["04C"] == ("sub_icb", "QK1") and tree["QK1"] == ("icb", None)
    assert not any(code.startswith("Q7") for code in tree)  # area teams are not ICBs


def test_the_2019_register_then_a_2026_one_rebuild_the_hierarchy_and_list_sizes_import(
    tmp_path: Path,
) -> None:
    db = tmp_path / "history.db"
    result = imp(db, "ods", str(REGISTER_2019))
    assert result.exit_code == 0, result.output
    assert "new 8204, changed 0, unchanged 0, rejected 0" in result.stdout
    assert set(hierarchy(db).values()) == {("ccg", None)}
    patients = imp(db, "list-size", str(PATIENTS_2021))
    assert patients.exit_code == 0, patients.output
    assert "gp-reg-pat-prac-all_2021-01.zip (gp-reg-pat-prac-all.csv)" in patients.stdout
    assert "changed 6636" in patients.stdout and "rejected 0" in patients.stdout

    result = imp(db, "ods", str(REGISTER_2026))
    assert result.exit_code == 0, result.output
    tree = hierarchy(db)
    assert tree["04C"] == ("sub_icb", "QK1") and tree["QK1"] == ("icb", None)
    assert tree["13T"] == ("sub_icb", "QHM")
    patients = imp(db, "list-size", str(PATIENTS_2026))
    assert patients.exit_code == 0, patients.output
    assert "changed 211" in patients.stdout


def test_the_cqc_care_directory_spreadsheet_and_its_csv_export(
    register_2026: Path, tmp_path: Path
) -> None:
    result = imp(register_2026, "cqc", str(CQC_XLSX), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "cqc-care-directory-xlsx" in result.stdout
    assert "rejected 0" in result.stdout and "changed 5949" in result.stdout
    assert "skipped 337 (locations that are not GP practices or have no ODS code" in result.stdout

    # the same spreadsheet saved as CSV (as CQC's own CSV download is laid out)
    import openpyxl

    book = openpyxl.load_workbook(CQC_XLSX, read_only=True)
    exported = tmp_path / "cqc_gp_locations.csv"
    with exported.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        for values in book.active.iter_rows(values_only=True):
            writer.writerow(
                v.strftime("%d/%m/%Y") if hasattr(v, "strftime") else ("" if v is None else v)
                for v in values
            )
    book.close()
    result = imp(register_2026, "cqc", str(exported))
    assert result.exit_code == 0, result.output
    assert "cqc-care-directory-csv" in result.stdout and "changed 5949" in result.stdout
    store = Store.open(str(register_2026))
    figures = store.current_figures(["cqc_overall", "cqc_last_inspection"])
    names = {code: name for code, (name, _, _) in store.commissioner_tree().items()}
    store.close()
    # the care directory names the commissioners the register left called by their code
    assert names["04C"] == "NHS Leicester, Leicestershire and Rutland ICB - 04C"
    assert figures["M83738"]["cqc_overall"] == "not_rated"  # Not Rated: not an error
    assert "cqc_overall" not in figures.get("G82648", {})  # blank: unknown, nothing stored
    assert figures["B81042"]["cqc_overall"] in ("good", "outstanding", "requires_improvement")
    assert figures["B81042"]["cqc_last_inspection"] is not None

    # the spreadsheet where a CSV is expected: a sentence naming what it is
    wrong = imp(register_2026, "list-size", str(CQC_XLSX))
    assert wrong.exit_code == 2
    assert "looks like an Excel workbook (.xlsx)" in wrong.stderr
