"""The ODS register as published: zips, non-GP rows, role sets, the ICB hierarchy across
dialects, --skip-invalid, and commissioner names (from files and by hand)."""

from __future__ import annotations

import csv
import json
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from resilience.cli import app
from resilience.importers.ods_names import readable_name
from resilience.store import Store

DATA = Path(__file__).resolve().parent / "data"
LEGACY = DATA / "epraccur_legacy_2019-12_sample.csv"
MODERN = DATA / "epraccur_ods_2026_sample.csv"
NAMES_2019 = DATA / "eccg_2019-12_sample.csv"
NAMES_2025 = DATA / "eccg_2025-09_sample.csv"
runner = CliRunner()


def imp(db: Path, *args: str):  # type: ignore[no-untyped-def]
    """``resilience import ... --create``: the first import starts the database."""
    return runner.invoke(app, ["import", *args, "--db", str(db), "--create"])


def row(code: str, *, status: str = "ACTIVE", role: str = "RO76", icb: str = "QK1",
        sub_icb: str = "04C", name: str = "A PRACTICE") -> str:  # fmt: skip
    fields = [""] * 27
    fields[0], fields[1], fields[3], fields[9] = code, name, icb, "LE1 1AA"
    fields[10], fields[12], fields[14], fields[25] = "19740401", status, sub_icb, role
    return ",".join(f'"{f}"' for f in fields)


def hierarchy(db: Path) -> dict[str, tuple[str, str | None]]:
    store = Store.open(str(db))
    out = {c.code: (c.kind, c.parent) for c in store.commissioner_list()}
    store.close()
    return out


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "register.db"


def test_a_zip_as_shipped_imports_its_epraccur_member_and_keeps_the_zip_sha(
    db: Path, tmp_path: Path
) -> None:
    shipped = tmp_path / "epraccur.zip"
    with zipfile.ZipFile(shipped, "w") as z:
        z.write(LEGACY, "epraccur.csv")
        z.writestr("epraccur.pdf", b"%PDF-1.4 notes")
    result = imp(db, "ods", str(shipped))
    assert result.exit_code == 0, result.output
    assert "epraccur.zip (epraccur.csv)" in result.stdout
    assert "new 167" in result.stdout
    store = Store.open(str(db))
    source = store.figure_sources("A81001")["name"]
    import hashlib

    assert source["file_name"] == "epraccur.zip (epraccur.csv)"
    assert source["sha256"] == hashlib.sha256(shipped.read_bytes()).hexdigest()


def test_a_zip_without_a_register_names_what_it_holds(db: Path, tmp_path: Path) -> None:
    shipped = tmp_path / "epraccur.zip"
    with zipfile.ZipFile(shipped, "w") as z:
        z.writestr("readme.pdf", b"%PDF-1.4")
        z.writestr("notes.docx", b"x")
    result = imp(db, "ods", str(shipped))
    assert result.exit_code == 2
    assert "no CSV file this import reads" in result.stderr
    assert "readme.pdf, notes.docx" in result.stderr


def test_non_gp_rows_are_skipped_before_any_check_and_role_sets_are_read(
    db: Path, tmp_path: Path
) -> None:
    lines = [
        row("C82001"),
        row("C82002", role="RO76|RO268"),  # a GP practice that is also something else
        row("ALD200", role="RO72", icb="", sub_icb=""),  # Crown Dependencies: not ours
        row("JER01X", role="RO72", icb="", sub_icb=""),
        row("K0E995", role="RO80|RO87", status="WHATEVER"),  # a prison site, odd status
        row("GUE010", role="", icb="", sub_icb=""),
    ]
    register = tmp_path / "epraccur.csv"
    register.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = imp(db, "ods", str(register))
    assert result.exit_code == 0, result.output
    assert "new 2, changed 0, unchanged 0, rejected 0" in result.stdout
    assert "skipped 4 (not GP practices" in result.stdout


def test_a_malformed_gp_row_is_rejected_with_row_and_field_or_skipped_on_request(
    db: Path, tmp_path: Path
) -> None:
    register = tmp_path / "epraccur.csv"
    register.write_text(
        "\n".join([row("C82001"), row("c8 2002"), row("C82003", status="OPEN")]) + "\n",
        encoding="utf-8",
    )
    result = imp(db, "ods", str(register))
    assert result.exit_code == 1
    assert "row 2, field 1 (code): 'c8 2002' is not an ODS code" in result.stdout
    assert "row 3, field 13 (status): 'OPEN' is not one of" in result.stdout
    store = Store.open(str(db))
    assert store.list_practices() == []  # nothing imported
    store.close()

    result = imp(db, "ods", str(register), "--skip-invalid")
    assert result.exit_code == 1  # some rows were rejected, and said so
    assert "new 1" in result.stdout and "Imported as batch" in result.stdout
    assert "2 row(s) rejected and not imported" in result.stderr
    store = Store.open(str(db))
    assert [p.ods_code for p in store.list_practices()] == ["C82001"]
    with store.engine.connect() as c:
        summary = c.execute(text("SELECT summary FROM import_batch")).scalar_one()
    store.close()
    record = json.loads(summary)
    assert record["rejected"] == 2
    assert record["rejected_rows"][0].startswith("row 2, field 1 (code)")


def test_legacy_files_with_icbs_in_field_4_file_sub_icb_locations_under_them(
    db: Path, tmp_path: Path
) -> None:
    legacy_2025 = tmp_path / "epraccur.csv"
    legacy_2025.write_text(
        "\n".join(
            [
                row("C82001", status="A", role="4", icb="QK1", sub_icb="04C"),
                row("C82002", status="A", role="4", icb="QK1", sub_icb="04V"),
                # a practice closed before ICBs keeps its NHS England area code
                row("C82003", status="C", role="4", icb="Q78", sub_icb="04C"),
                row("A81003", status="C", role="4", icb="Q74", sub_icb="00K"),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    assert imp(db, "ods", str(legacy_2025)).exit_code == 0
    assert hierarchy(db) == {
        "QK1": ("icb", None),
        "04C": ("sub_icb", "QK1"),
        "04V": ("sub_icb", "QK1"),
        "00K": ("ccg", None),
    }


def test_a_second_dialect_over_the_first_fixes_the_hierarchy(db: Path) -> None:
    assert imp(db, "ods", str(LEGACY)).exit_code == 0  # 2019: CCGs, no ICBs
    assert set(hierarchy(db).values()) == {("ccg", None)}
    result = imp(db, "ods", str(MODERN))  # 2026: sub-ICB locations under QHM
    assert result.exit_code == 0, result.output
    assert "re-filed under their ICB" in result.stdout
    after = hierarchy(db)
    assert after["QHM"] == ("icb", None)
    assert after["16C"] == ("sub_icb", "QHM") and after["00K"] == ("sub_icb", "QHM")
    # the 2019 file again says nothing new: a sub-ICB location stays one
    assert imp(db, "ods", str(LEGACY)).exit_code == 0
    assert hierarchy(db)["00K"] == ("sub_icb", "QHM")


def test_names_files_name_commissioners_and_icbs(db: Path) -> None:
    assert imp(db, "ods", str(LEGACY)).exit_code == 0
    result = imp(db, "ods-names", str(NAMES_2019))
    assert result.exit_code == 0, result.output
    assert "04C: NHS Leicester City CCG" in result.stdout
    assert "skipped 1 (codes this database has no commissioner for" in result.stdout  # 99Q
    listing = runner.invoke(app, ["practices", "--db", str(db), "--format", "csv"])
    assert "NHS Leicester City CCG" in listing.stdout
    store = Store.open(str(db))
    names = {c.code: c.name for c in store.commissioner_list()}
    store.close()
    assert names["03W"] == "NHS East Leicestershire and Rutland CCG"
    assert names["00K"] == "NHS Hartlepool and Stockton-On-Tees CCG"
    assert "99Q" not in names  # a names file does not add CCGs with no practices

    # the 2025 file: sub-ICB locations under their ICB, and the ICB's own name
    result = imp(db, "ods-names", str(NAMES_2025))
    assert result.exit_code == 0, result.output
    store = Store.open(str(db))
    info = {c.code: c for c in store.commissioner_list()}
    store.close()
    assert info["QK1"].name == "NHS Leicester, Leicestershire and Rutland Integrated Care Board"
    assert info["QK1"].kind == "icb"
    assert (info["04C"].kind, info["04C"].parent) == ("sub_icb", "QK1")
    assert info["04C"].name == "NHS Leicester, Leicestershire and Rutland ICB - 04C"
    again = imp(db, "ods-names", str(NAMES_2025))
    assert again.stdout.count("imported already") == 1  # the outcome, said once
    assert "Nothing to change" in again.stdout


def test_a_register_is_not_a_names_file(db: Path) -> None:
    result = imp(db, "ods-names", str(LEGACY))
    assert result.exit_code == 2
    assert "holds GP practices" in result.stderr and "import ods" in result.stderr


def test_a_commissioner_no_file_names_is_named_by_hand_audited_and_role_checked(
    db: Path,
    act_as,  # type: ignore[no-untyped-def]
) -> None:
    assert imp(db, "ods", str(LEGACY)).exit_code == 0
    named = runner.invoke(
        app, ["commissioners", "name", "04c", "NHS Leicester City CCG", "--db", str(db)]
    )
    assert named.exit_code == 0, named.output
    listing = runner.invoke(app, ["commissioners", "--db", str(db), "--format", "csv"])
    assert "04C,ccg,,NHS Leicester City CCG" in listing.stdout
    store = Store.open(str(db))
    with store.engine.connect() as c:
        audit = c.execute(
            text("SELECT old_value, new_value FROM audit_log WHERE entity = 'commissioner'")
        ).one()
    assert audit == ("Commissioner 04C", "NHS Leicester City CCG")
    store.set_role("viewer1", "viewer")
    store.close()
    act_as("viewer1")
    viewer = Store.open(str(db))
    from resilience.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        viewer.set_commissioner_name("04C", "Someone else's name")
    viewer.close()
    act_as(None)  # the admin again
    unknown = runner.invoke(app, ["commissioners", "name", "ZZZ", "x", "--db", str(db)])
    assert unknown.exit_code == 2 and "no commissioner 'ZZZ'" in unknown.stderr


def test_readable_names() -> None:
    assert readable_name("NHS LEICESTER CITY CCG") == "NHS Leicester City CCG"
    assert readable_name("NHS Somewhere CCG") == "NHS Somewhere CCG"  # mixed case kept
    assert readable_name("NHS NORTH EAST AND NORTH CUMBRIA ICB - 16C") == (
        "NHS North East and North Cumbria ICB - 16C"
    )


def test_a_workforce_file_names_commissioners_still_called_by_their_code(
    db: Path, tmp_path: Path
) -> None:
    assert imp(db, "ods", str(MODERN)).exit_code == 0  # 16C, 00K under QHM, unnamed
    named = runner.invoke(
        app, ["commissioners", "name", "00K", "NHS Hartlepool and Stockton-on-Tees CCG",
              "--db", str(db)],
    )  # fmt: skip
    assert named.exit_code == 0, named.output
    workforce = tmp_path / "GPW Practice Level - High Level.csv"
    workforce.write_text(
        "ICB_CODE,ICB_NAME,SUB_ICB_CODE,SUB_ICB_NAME,PRAC_CODE,PRAC_NAME,STAFF_GROUP,"
        "DETAILED_STAFF_ROLE,MEASURE,VALUE\n"
        "QHM,NHS NORTH EAST AND NORTH CUMBRIA INTEGRATED CARE BOARD,16C,"
        '"NHS NORTH EAST AND NORTH CUMBRIA ICB - 16C",A81001,THE DENSHAM SURGERY,GP,'
        "Partners,FTE,2.5\n"
        "QHM,SOMETHING ELSE,00K,A DIFFERENT NAME,A81003,VICTORIA MEDICAL PRACTICE,GP,"
        "Partners,FTE,1\n",
        encoding="utf-8",
    )
    result = imp(db, "workforce", str(workforce), "--extract-date", "2026-03-31")
    assert result.exit_code == 0, result.output
    store = Store.open(str(db))
    names = {c.code: c.name for c in store.commissioner_list()}
    store.close()
    assert names["QHM"] == "NHS North East and North Cumbria Integrated Care Board"
    assert names["16C"] == "NHS North East and North Cumbria ICB - 16C"
    assert names["00K"] == "NHS Hartlepool and Stockton-on-Tees CCG"  # named by hand: kept


def test_a_names_file_given_as_the_register_says_which_import_to_use(db: Path) -> None:
    result = imp(db, "ods", str(NAMES_2025))
    assert result.exit_code == 2
    assert "resilience import ods-names" in result.stderr


def test_narrow_columns_show_the_code_when_the_name_is_long() -> None:
    """A real sub-ICB name cut to the list's four characters read "NHS" for every row."""
    from resilience.domain import short_label

    assert short_label("NHS Leicester, Leicestershire and Rutland ICB - 04C", "04C") == "04C"
    assert short_label("", "03W") == "03W"
    assert short_label("City", "04C") == "City"


def test_an_older_register_after_a_newer_one_is_refused(tmp_path: Path) -> None:
    """A closed practice does not reopen: a register that would reopen one is older than
    the one imported, and applying it would bring closed practices back to the agenda."""
    rows = list(csv.reader(LEGACY.read_text().splitlines()))
    row = next(r for r in rows if r[25] == "4" and r[12] == "A")
    code = row[0]
    row[12], row[11] = "C", "20240331"  # closed in the newer register
    newer = tmp_path / "epraccur_newer.csv"
    newer.write_text("".join(",".join(f'"{c}"' for c in r) + "\n" for r in rows))
    db = tmp_path / "r.db"
    assert imp(db, "ods", str(LEGACY), "--create").exit_code == 0
    assert imp(db, "ods", str(newer)).exit_code == 0
    older = imp(db, "ods", str(LEGACY))
    assert older.exit_code == 2
    assert "looks older than the one already imported" in older.output
    assert f"{code} closed 2024-03-31" in older.output
    store = Store.open(str(db))
    status = {p.ods_code: p.status for p in store.list_practices(include_closed=True)}
    store.close()
    assert status[code] == "closed"  # nothing was imported
