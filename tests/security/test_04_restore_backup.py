"""Item 4: `db restore` is for admins, is recorded in the restored database's audit log,
and refuses a backup whose tables, indexes or triggers differ from what its schema
version should have (a tampered copy that dropped the append-only triggers and made
everyone admin). `db backup` of a database holding confidential entries is for admins
(the copy is whole), and every backup is audited."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from typer.testing import CliRunner

from resilience.cli import app
from resilience.store import Store

runner = CliRunner()


def _cli(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, [*map(str, args)])


def test_a_viewer_cannot_restore(
    demo_db: Path, tmp_path: Path, act_as: Callable[[str | None], None]
) -> None:
    copy = tmp_path / "copy.db"
    assert _cli("db", "backup", copy, "--db", demo_db).exit_code == 0
    store = Store.open(str(demo_db))
    store.save_assessment("ZC0001", "2017-03", {}, reason="work after the backup")
    store.close()
    act_as("mallory")
    result = _cli("db", "restore", copy, "--db", demo_db, "--yes")
    assert result.exit_code == 2 and "restoring a database is for admins" in result.output
    assert "mallory" in result.output
    act_as(None)
    store = Store.open(str(demo_db))
    assert len(store.assessment_versions("ZC0001", "2017-03")) == 2  # nothing replaced
    store.close()


def test_a_tampered_backup_is_refused_and_named(demo_db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    assert _cli("db", "backup", copy, "--db", demo_db).exit_code == 0
    with sqlite3.connect(copy) as c:  # someone with the file edits it by hand
        c.execute("DROP TRIGGER audit_log_no_delete")
        c.execute("DROP TRIGGER assessment_no_update")
        c.execute("CREATE TRIGGER everyone_admin AFTER INSERT ON audit_log BEGIN SELECT 1; END")
    check = _cli("db", "check", "--db", copy)
    assert check.exit_code == 1
    assert "trigger audit_log_no_delete is missing" in check.output
    result = _cli("db", "restore", copy, "--db", demo_db, "--yes")
    assert result.exit_code == 2 and "cannot be restored" in result.output
    for name in ("audit_log_no_delete", "assessment_no_update", "everyone_admin"):
        assert name in result.output
    healthy = _cli("db", "check", "--db", demo_db)
    assert healthy.exit_code == 0 and "healthy" in healthy.output


def test_a_changed_table_is_refused_too(demo_db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    assert _cli("db", "backup", copy, "--db", demo_db).exit_code == 0
    with sqlite3.connect(copy) as c:
        c.execute("ALTER TABLE person ADD COLUMN note TEXT")
    result = _cli("db", "restore", copy, "--db", demo_db, "--yes")
    assert result.exit_code == 2 and "table person differs from schema" in result.output


def test_an_admin_restore_is_audited_in_the_restored_database(
    demo_db: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "copy.db"
    assert _cli("db", "backup", copy, "--db", demo_db).exit_code == 0
    result = _cli("db", "restore", copy, "--db", demo_db, "--yes")
    assert result.exit_code == 0, result.output
    store = Store.open(str(demo_db))
    lines = store.audit_entries("database")
    assert [line["action"] for line in lines][:1] == ["restore"]
    assert str(copy) in lines[0]["new_value"] and lines[0]["account"] == store.account
    store.close()


def test_backup_with_confidential_entries_is_for_admins_and_audited(
    demo_db: Path, tmp_path: Path, act_as: Callable[[str | None], None]
) -> None:
    admin = Store.open(str(demo_db))
    assert admin.confidential_entry_count() > 0  # the demo has two
    admin.set_role("ed", "editor")
    act_as("ed")
    refused = _cli("db", "backup", tmp_path / "ed.db", "--db", demo_db)
    assert refused.exit_code == 2 and "only an admin may copy it" in refused.output
    assert not (tmp_path / "ed.db").exists()
    act_as(None)
    done = _cli("db", "backup", tmp_path / "admin.db", "--db", demo_db)
    assert done.exit_code == 0, done.output
    line = admin.audit_entries("database")[0]
    assert (line["action"], line["actor"]) == ("backup", admin.user)
    assert str(tmp_path / "admin.db") in line["new_value"]
    admin.close()
