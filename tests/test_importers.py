"""Importers against the real-format samples (tests/data, copied from shared/) and
against bad files: a clear message, and the database unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from resilience.cli import app
from resilience.store import Store

DATA = Path(__file__).resolve().parent / "data"
LEGACY = DATA / "epraccur_legacy_2019-12_sample.csv"
MODERN = DATA / "epraccur_ods_2026_sample.csv"
PATIENTS_2021 = DATA / "gp-reg-pat-prac-all_2021-01_sample.csv"
PATIENTS_2026 = DATA / "gp-reg-pat-prac-all_2026-04_sample.csv"
TABLES = ("practice", "commissioner", "import_batch", "practice_figure", "audit_log")
runner = CliRunner()


def counts(db: Path) -> dict[str, int]:
    store = Store.open(str(db))
    with store.engine.connect() as c:
        out = {t: c.execute(text(f"SELECT count(*) FROM {t}")).scalar() or 0 for t in TABLES}
    store.close()
    return out


def imp(db: Path, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["import", *args, "--db", str(db)])


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "register.db"


def test_legacy_register_imports_gp_practices_only(db: Path) -> None:
    result = imp(db, "ods", str(LEGACY))
    assert result.exit_code == 0, result.output
    assert "new 167, changed 0, unchanged 0, rejected 0" in result.stdout
    assert "skipped 61 (not GP practices" in result.stdout
    store = Store.open(str(db))
    rows = {r.ods_code: r for r in store.list_practices()}
    assert len(rows) == 167
    assert rows["A81001"].name == "THE DENSHAM SURGERY"
    assert rows["A81003"].status == "closed"  # closed practices are kept with their status
    assert rows["A81001"].commissioner_code == "00K"
    source = store.figure_sources("A81001")["name"]
    assert source["file_name"] == LEGACY.name and len(source["sha256"]) == 64
    assert source["format_version"] == "epraccur-legacy" and source["importer_version"] == "1"


def test_all_settings_keeps_the_other_organisations(db: Path) -> None:
    result = imp(db, "ods", str(LEGACY), "--all-settings")
    assert result.exit_code == 0 and "new 228" in result.stdout


def test_the_same_file_twice_changes_nothing(db: Path) -> None:
    assert imp(db, "ods", str(LEGACY)).exit_code == 0
    before = counts(db)
    again = imp(db, "ods", str(LEGACY))
    assert again.exit_code == 0
    assert "unchanged 167" in again.stdout and "imported already" in again.stdout
    assert "Nothing to change" in again.stdout
    assert counts(db) == before


def test_the_2025_export_updates_status_and_builds_the_icb_hierarchy(db: Path) -> None:
    imp(db, "ods", str(LEGACY))
    result = imp(db, "ods", str(MODERN))
    assert result.exit_code == 0, result.output
    assert "(epraccur-modern" in result.stdout
    assert "A81001 changed: commissioner 00K -> 16C" in result.stdout
    store = Store.open(str(db))
    rows = {r.ods_code: r for r in store.list_practices()}
    assert rows["A81001"].commissioner_code == "16C"
    with store.engine.connect() as c:
        kinds = dict(
            c.execute(
                text(
                    "SELECT c.code, p.code FROM commissioner c "
                    "JOIN commissioner p ON p.id = c.parent_id"
                )
            ).all()
        )
    assert kinds["16C"] == "QHM"  # sub-ICB location under its ICB
    dormant = [r for r in rows.values() if r.status == "dormant"]
    assert dormant  # DORMANT kept with its status


@pytest.mark.parametrize(
    ("sample", "dialect", "extract"),
    [
        (PATIENTS_2021, "patients-ccg-2021", "2021-01-01"),
        (PATIENTS_2026, "patients-subicb-2022", "2026-04-01"),
    ],
)
def test_list_sizes_in_both_headers(db: Path, sample: Path, dialect: str, extract: str) -> None:
    imp(db, "ods", str(LEGACY))
    imp(db, "ods", str(MODERN))
    before = {r.ods_code for r in Store.open(str(db)).list_practices()}
    result = imp(db, "list-size", str(sample))
    assert result.exit_code == 0, result.output
    assert f"({dialect}, extract {extract}" in result.stdout
    assert "not in the register" in result.stdout
    store = Store.open(str(db))
    rows = {r.ods_code: r for r in store.list_practices()}
    assert set(rows) == before  # practices absent from the register are never invented
    changed = [
        line.split()[0] for line in result.stdout.splitlines() if "changed: list_size" in line
    ]
    code = changed[0]
    source = store.figure_sources(code)["list_size"]
    assert source["as_of"].isoformat() == extract and source["format_version"] == dialect
    assert rows[code].list_size == source["value"]
    assert imp(db, "list-size", str(sample)).stdout.count("Nothing to change") == 1


def test_dry_run_writes_nothing(db: Path) -> None:
    imp(db, "ods", str(LEGACY))
    before = counts(db)
    result = imp(db, "list-size", str(PATIENTS_2021), "--dry-run")
    assert result.exit_code == 0 and result.stdout.startswith("Dry run, nothing written")
    assert counts(db) == before


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return path


PATIENT_HEADER = (
    "PUBLICATION,EXTRACT_DATE,TYPE,CCG_CODE,ONS_CCG_CODE,CODE,POSTCODE,SEX,AGE,NUMBER_OF_PATIENTS\n"
)


@pytest.mark.parametrize(
    ("kind", "content", "exit_code", "message"),
    [
        ("list-size", b"", 2, "the file is empty"),
        ("list-size", "CODE,NUMBER_OF_PATIENTS\nA81001,10\n", 2, "missing column(s)"),
        ("list-size", PATIENT_HEADER.encode("utf-16"), 2, "the file is UTF-16"),
        (
            "list-size",
            PATIENT_HEADER + "GP_PRAC_PAT_LIST,31FEB2021,GP,00K,E1,A81001,X,ALL,ALL,5\n",
            1,
            "row 1, EXTRACT_DATE: '31FEB2021' is not a date",
        ),
        (
            "list-size",
            PATIENT_HEADER + "GP_PRAC_PAT_LIST,01JAN2021,GP,00K,E1,A81001,X,ALL,ALL,lots\n",
            1,
            "row 1, NUMBER_OF_PATIENTS: 'lots' is not a whole number",
        ),
        (
            "list-size",
            PATIENT_HEADER + "GP_PRAC_PAT_LIST,01JAN2021,GP,00K,E1,A81001,X,ALL,ALL,5\n" * 2,
            1,
            "row 2, CODE: A81001 appears twice (first in row 1)",
        ),
        ("ods", '"A81001","SHORT ROW"\n', 2, "not an ODS epraccur file"),
        (
            "ods",
            LEGACY.read_text().replace('"19740401"', '"1974-04-01"', 1),
            1,
            "row 1, field 11/12 (dates): dates must be YYYYMMDD",
        ),
        (
            "ods",
            LEGACY.read_text() + LEGACY.read_text().splitlines()[0] + "\n",
            1,
            "A81001 appears twice",
        ),
    ],
)
def test_bad_files_say_what_is_wrong_and_change_nothing(
    db: Path, tmp_path: Path, kind: str, content: str | bytes, exit_code: int, message: str
) -> None:
    imp(db, "ods", str(LEGACY))
    before = counts(db)
    result = imp(db, kind, str(write(tmp_path, "bad.csv", content)))
    assert result.exit_code == exit_code, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert counts(db) == before


def test_a_byte_order_mark_is_accepted(db: Path, tmp_path: Path) -> None:
    imp(db, "ods", str(LEGACY))
    path = write(tmp_path, "bom.csv", b"\xef\xbb\xbf" + PATIENTS_2021.read_bytes())
    result = imp(db, "list-size", str(path))
    assert result.exit_code == 0 and "changed 134" in result.stdout
