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
    """``resilience import ... --create``: the first import starts the database."""
    return runner.invoke(app, ["import", *args, "--db", str(db), "--create"])


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "register.db"


def test_legacy_register_imports_gp_practices_only(db: Path) -> None:
    result = imp(db, "ods", str(LEGACY))
    assert result.exit_code == 0, result.output
    assert "new 167, changed 0, unchanged 0, rejected 0" in result.stdout
    assert "skipped 61 (not GP practices" in result.stdout
    store = Store.open(str(db))
    rows = {r.ods_code: r for r in store.list_practices(include_closed=True)}
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
    rows = {r.ods_code: r for r in store.list_practices(include_closed=True)}
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


CQC = DATA / "cqc_ratings_sample.csv"
WORKFORCE = DATA / "gp_workforce_practice_sample.csv"


def test_cqc_ratings_import_overall_and_key_questions(demo_db: Path) -> None:
    result = imp(demo_db, "cqc", str(CQC))
    assert result.exit_code == 0, result.output
    assert "changed 2" in result.stdout and "ZX9999" in result.stdout  # not in the register
    store = Store.open(str(demo_db))
    figures = store.current_figures(
        ["cqc_overall", "cqc_safe", "cqc_well_led", "cqc_last_inspection"]
    )
    assert figures["ZC0001"]["cqc_overall"] == "requires_improvement"
    assert figures["ZC0001"]["cqc_well_led"] == "requires_improvement"
    assert figures["ZC0001"]["cqc_last_inspection"].isoformat() == "2017-02-14"
    assert figures["ZW0003"]["cqc_overall"] == "outstanding"
    assert "ZX9999" not in {r.ods_code for r in store.list_practices()}
    assert imp(demo_db, "cqc", str(CQC)).stdout.count("Nothing to change") == 1


def test_workforce_import_reads_nd_as_unknown(demo_db: Path) -> None:
    result = imp(demo_db, "workforce", str(WORKFORCE), "--extract-date", "2017-03-31")
    assert result.exit_code == 0, result.output
    store = Store.open(str(demo_db))
    figures = store.current_figures(
        ["gp_fte", "nurse_fte", "gp_aged_55_plus", "single_handed", "gp_headcount"]
    )
    assert figures["ZE0005"] == {
        "gp_fte": 4.1,
        "nurse_fte": 2.1,
        "gp_aged_55_plus": 3,
        "single_handed": False,
        "gp_headcount": 5,
    }
    assert figures["ZC0001"]["single_handed"] is True
    assert "ZW0003" not in figures  # ND everywhere: nothing known, nothing recorded
    source = store.figure_sources("ZE0005")["gp_fte"]
    assert source["as_of"].isoformat() == "2017-03-31"
    assert source["format_version"] == "workforce-nurses"


def test_workforce_bad_figure_rejects_the_file(demo_db: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(WORKFORCE.read_text().replace(",4.1,", ",four,", 1))
    before = counts(demo_db)
    result = imp(demo_db, "workforce", str(bad))
    assert result.exit_code == 1 and "'four' is not a number or ND" in result.output
    assert counts(demo_db) == before


def test_imported_figures_prefill_the_next_review_with_their_source(demo_db: Path) -> None:
    imp(demo_db, "cqc", str(CQC))
    imp(demo_db, "workforce", str(WORKFORCE), "--extract-date", "2017-03-31")
    store = Store.open(str(demo_db))
    reviewed = store.review_context("ZC0001", "2017-03")  # already reviewed: untouched
    assert not reviewed.prefilled and reviewed.findings["cqc_overall"] == "good"
    store.open_next_period()
    context = store.review_context("ZC0001", "2017-04")
    assert context.findings["cqc_overall"] == "requires_improvement"
    assert context.findings["gp_fte"] == 1.2
    assert context.prefilled["cqc_overall"] == "cqc_ratings_sample.csv as of 2017-02-14"
    assert context.prefilled["gp_fte"] == "gp_workforce_practice_sample.csv as of 2017-03-31"
    # a month can be scored on public data alone, before anyone reviews it
    result = runner.invoke(app, ["score", "--from-db", "--period", "2017-04", "--db", str(demo_db)])
    assert result.exit_code == 0, result.output
    row = next(line for line in result.stdout.splitlines() if line.startswith("ZC0001"))
    march = store.period_results("2017-03")["ZC0001"]
    assert row.split(",")[2] != f"{march.score}"  # the new CQC rating moved the score


def test_list_growth_over_twelve_months(tmp_path: Path) -> None:
    db = tmp_path / "growth.db"
    imp(db, "ods", str(LEGACY))
    first = tmp_path / "jan2020.csv"
    first.write_text(
        PATIENTS_2021.read_text().replace("01JAN2021", "01JAN2020").replace(",26437", ",25000")
    )
    assert imp(db, "list-size", str(first)).exit_code == 0
    assert imp(db, "list-size", str(PATIENTS_2021)).exit_code == 0
    store = Store.open(str(db))
    store.open_period("2021-02")
    context = store.review_context("C82001", "2021-02")
    assert context.findings["list_size"] == 26437
    assert context.findings["list_growth_pct_12m"] == round(100 * (26437 - 25000) / 25000, 1)
    assert "vs a year before" in context.prefilled["list_growth_pct_12m"]
