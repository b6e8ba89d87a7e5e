"""Scope: a database covers a patch; imports count the rest as out of scope; the views
show the active practices in scope; closed and dormant ones stay behind a filter."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from resilience import cli_scope
from resilience.agenda import ListFilter, apply_filter
from resilience.cli import app
from resilience.scope import covered, is_active, parse_codes
from resilience.store import Store

DATA = Path(__file__).parent / "data"
LEGACY = DATA / "epraccur_legacy_2019-12_sample.csv"
MODERN = DATA / "epraccur_ods_2026_sample.csv"
PATIENTS = DATA / "gp-reg-pat-prac-all_2021-01_sample.csv"
runner = CliRunner()


def run(db: Path, *args: str) -> object:
    if not db.exists():  # a new database is made explicitly, as a person would
        assert runner.invoke(app, ["db", "init", str(db)]).exit_code == 0
    return runner.invoke(app, [*args, "--db", str(db)])


def practices(db: Path, *extra: str) -> list[dict[str, str]]:
    result = run(db, "practices", "--format", "csv", *extra)
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    return list(csv.DictReader(io.StringIO(result.stdout)))  # type: ignore[attr-defined]


def sample_rows() -> list[list[str]]:
    return list(csv.reader(LEGACY.read_text().splitlines()))


def test_codes_are_checked_and_an_icb_covers_what_is_under_it() -> None:
    assert parse_codes(["04c", "03W,04V", "04C"]) == ["04C", "03W", "04V"]
    with pytest.raises(ValueError, match="'X!' is not a commissioner"):
        parse_codes(["x!"])
    tree = {"QK1": None, "04C": "QK1", "04V": "QK1", "00K": "Q74"}
    assert covered(["QK1"], tree) == {"QK1", "04C", "04V"}
    assert covered(["04C"], tree) == {"04C"}


def test_a_practice_closed_after_a_month_still_counts_for_that_month() -> None:
    from datetime import date

    assert is_active("active", None)
    assert not is_active("closed", date(2017, 10, 31))
    assert is_active("closed", date(2017, 10, 31), "2017-10")
    assert not is_active("closed", date(2017, 10, 31), "2017-11")
    assert not is_active("dormant", None, "2017-10")


def test_scoped_import_adds_only_the_patch_and_counts_the_rest(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    assert run(db, "scope", "set", "03W", "04c").exit_code == 0
    result = run(db, "import", "ods", str(LEGACY))
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    rows = [r for r in sample_rows() if r[25] == "4"]
    inside = [r for r in rows if r[14] in ("03W", "04C")]
    assert f"new {len(inside)}," in result.output  # type: ignore[attr-defined]
    assert f"out of scope {len(rows) - len(inside)}" in result.output  # type: ignore[attr-defined]
    assert "rejected 0" in result.output  # type: ignore[attr-defined]
    listed = practices(db, "--include-closed")
    assert {r["commissioner_code"] for r in listed} == {"03W", "04C"}
    assert len(listed) == len(inside)
    # the list sizes of the other CCGs are out of scope, not "not in the register"
    sizes = run(db, "import", "list-size", str(PATIENTS))
    assert sizes.exit_code == 0
    assert "out of scope" in sizes.output and "not in the register" not in sizes.output  # type: ignore[attr-defined]
    # the record of the import keeps the count
    store = Store.open(str(db))
    (entry,) = [e for e in store.audit_entries("import_batch") if "epraccur" in e["new_value"]]
    store.close()
    assert f'"out_of_scope": {len(rows) - len(inside)}' in entry["new_value"]


def test_an_icb_code_takes_the_sub_icb_locations_under_it_from_the_file(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    rows = list(csv.reader(MODERN.read_text().splitlines()))
    # the sample is one ICB's; the same practices again under another ICB make two
    other = [[f"Z{r[0][1:]}", r[1], r[2], "QK1", *r[4:14], "04C", *r[15:]] for r in rows]
    # as in the real registers: one practice whose ICB is not its sub-ICB location's; it
    # comes first, so the sub-ICB location's other practices must not follow it in
    odd = [["B81999", *rows[0][1:3], "QK1", *rows[0][4:14], rows[0][14], *rows[0][15:]]]
    rows = odd + rows + other
    register = tmp_path / "epraccur.csv"
    register.write_text("".join(",".join(f'"{c}"' for c in r) + "\n" for r in rows))
    icb = "QK1"
    assert run(db, "scope", "set", icb).exit_code == 0
    result = run(db, "import", "ods", str(register))
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    # the odd practice belongs where its sub-ICB location belongs (not under QK1)
    expected = {r[0] for r in rows if r[25] == "RO76" and r[3] == icb} - {"B81999"}
    assert expected and len(expected) < sum(1 for r in rows if r[25] == "RO76")
    assert {r["ods_code"] for r in practices(db, "--include-closed")} == expected
    again = run(db, "import", "ods", str(register))  # the odd row now in the register
    assert f"unchanged {len(expected)}" in again.output  # type: ignore[attr-defined]
    assert {r["ods_code"] for r in practices(db, "--include-closed")} == expected
    shown = run(db, "scope", "show")
    assert icb in shown.output and "ICB" in shown.output  # type: ignore[attr-defined]


def test_a_scope_set_later_narrows_the_views_and_deletes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    assert run(db, "import", "ods", str(LEGACY)).exit_code == 0
    everything = practices(db, "--include-closed")
    assert len({r["commissioner_code"] for r in everything}) > 2
    result = run(db, "scope", "set", "04C")
    assert result.exit_code == 0
    assert "outside the scope: kept" in result.output  # type: ignore[attr-defined]
    assert {r["commissioner_code"] for r in practices(db, "--include-closed")} == {"04C"}
    listing = run(db, "practices", "--format", "csv")
    assert "outside the scope" in listing.stderr  # type: ignore[attr-defined]
    # an import does not touch the practices outside the scope
    again = run(db, "import", "ods", str(LEGACY))
    assert "changed 0" in again.output  # type: ignore[attr-defined]
    assert run(db, "scope", "clear").exit_code == 0
    assert len(practices(db, "--include-closed")) == len(everything)
    store = Store.open(str(db))
    rules = [e for e in store.audit_entries("setting") if e["entity_id"] == "scope"]
    store.close()
    assert [(e["old_value"], e["new_value"]) for e in rules][-2:] in (
        [(None, "04C"), ("04C", "")],
        [("04C", ""), (None, "04C")],  # newest first
    )


def test_only_an_admin_sets_the_scope(tmp_path: Path, act_as) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "r.db"
    admin = Store.open(str(db), create=True)  # the creator is the admin
    admin.set_role("someone", "editor")
    admin.close()
    act_as("someone")
    someone = Store.open(str(db))
    from resilience.errors import PermissionDenied

    with pytest.raises(PermissionDenied, match="needs an admin"):
        someone.set_scope(["04C"])
    someone.close()


def test_closed_practices_are_hidden_and_counted(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    assert run(db, "import", "ods", str(LEGACY)).exit_code == 0
    gp = [r for r in sample_rows() if r[25] == "4"]
    active = [r for r in gp if r[12] == "A"]
    result = run(db, "practices", "--format", "csv")
    assert result.stdout.count("\n") - 1 == len(active)  # type: ignore[attr-defined]
    assert f"{len(gp) - len(active)} closed or dormant" in result.stderr  # type: ignore[attr-defined]
    assert len(practices(db, "--include-closed")) == len(gp)


def test_report_and_export_leave_closed_practices_out_unless_asked(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    assert run(db, "import", "ods", str(LEGACY)).exit_code == 0
    assert run(db, "import", "list-size", str(PATIENTS)).exit_code == 0
    assert run(db, "month", "open", "2021-01").exit_code == 0
    assert run(db, "score", "--from-db", "--save", "--period", "2021-01").exit_code == 0
    store = Store.open(str(db))
    closed = [r.ods_code for r in store.list_practices(include_closed=True) if r.status != "active"]
    scored = set(store.period_results("2021-01"))
    store.close()
    assert closed and not scored & set(closed)  # closed practices are not scored either
    export = run(db, "export", "--period", "2021-01", "--format", "csv")
    assert export.exit_code == 0
    assert not any(code in export.stdout for code in closed)  # type: ignore[attr-defined]
    report = run(db, "report", "--period", "2021-01")
    assert not any(code in report.stdout for code in closed)  # type: ignore[attr-defined]


def test_the_list_filter_hides_closed_practices_until_asked() -> None:
    from resilience.domain import AgendaRow

    def row(code: str, active: bool) -> AgendaRow:
        return AgendaRow(
            code,
            code,
            "City",
            "04C",
            "",
            None,
            None,
            None,
            {},
            None,
            None,
            False,
            0,
            0,
            0,
            "",
            active=active,
        )

    rows = [row("A1", True), row("C1", False)]
    assert [r.ods_code for r in apply_filter(rows, ListFilter())] == ["A1"]
    everything = ListFilter(status="all")
    assert [r.ods_code for r in apply_filter(rows, everything)] == ["A1", "C1"]
    assert everything.active and "closed" in everything.describe()


def test_first_import_without_a_terminal_says_how_to_scope_and_imports(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    result = run(db, "import", "ods", str(LEGACY))
    assert result.exit_code == 0
    assert "resilience scope set" in result.stderr  # type: ignore[attr-defined]
    assert "Imported as batch" in result.stdout  # type: ignore[attr-defined]
    # only the first import says it
    again = run(db, "import", "list-size", str(PATIENTS))
    assert "scope set" not in again.stderr  # type: ignore[attr-defined]


@pytest.mark.parametrize(("answer", "imported"), [("s\n", False), ("n\n", True)])
def test_first_import_at_a_terminal_asks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, answer: str, imported: bool
) -> None:
    monkeypatch.setattr(cli_scope, "interactive", lambda: True)
    db = tmp_path / "r.db"
    result = runner.invoke(
        app, ["import", "ods", str(LEGACY), "--db", str(db), "--create"], input=answer
    )
    assert result.exit_code == 0, result.output
    assert "Import for all of England" in result.output
    store = Store.open(str(db))
    assert store.is_empty() is not imported
    store.close()


async def test_the_list_hides_closed_practices_and_the_filter_shows_them(demo_db: Path) -> None:
    import sqlite3

    from textual.widgets import Select, Static

    from resilience.app import ResilienceApp
    from screens.dialogs import FilterScreen
    from screens.virtual_table import VirtualTable
    from tests.pilot import settle

    with sqlite3.connect(demo_db) as c:  # closed before the demo's months began
        c.execute(
            "UPDATE practice SET status='closed', closed_on='2016-01-31' WHERE ods_code='ZC0001'"
        )
    app = ResilienceApp(f"sqlite:///{demo_db}")
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#practices", VirtualTable)
        assert table.row_count == 137
        status = str(app.screen.query_one("#status", Static).render())
        assert "137 / 137 reviewed" in status and "1 closed or dormant hidden" in status
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, FilterScreen)
        app.screen.query_one("#practice-status", Select).value = "all"
        await pilot.press("ctrl+s")
        await settle(pilot)
        table = app.screen.query_one("#practices", VirtualTable)
        assert table.row_count == 138 and str(table.get_row("ZC0001")[0]) == "ZC0001"
        assert "closed and dormant too" in str(app.screen.query_one("#status", Static).render())


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_every_filter_field_can_be_reached_and_seen(demo_db: Path, size) -> None:  # type: ignore[no-untyped-def]
    """The filter dialog is taller than 24 lines: it scrolls, and each field is drawn
    whole when it has the focus (the Status choice was squeezed to one line)."""
    from textual.widgets import Select

    from resilience.app import ResilienceApp
    from screens.dialogs import FilterScreen
    from tests.pilot import settle

    app = ResilienceApp(f"sqlite:///{demo_db}")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, FilterScreen)
        for field in ("commissioner", "locality", "band", "reviewed", "practice-status"):
            select = app.screen.query_one(f"#{field}", Select)
            select.focus()
            await settle(pilot)
            region = select.region
            assert region.height >= 3, (field, region)
            assert region.y >= 0 and region.bottom <= size[1], (field, region)
        await pilot.press("escape")
