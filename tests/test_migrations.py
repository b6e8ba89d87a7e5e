"""Schema migrations from an empty file, and the database-level append-only guard."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel

import resilience.models  # noqa: F401
from resilience.db import (
    DatabaseError,
    current_revision,
    head_revision,
    make_engine,
    migrate,
    resolve_url,
)
from resilience.store import Store


def test_migrating_an_empty_file_reaches_head_and_matches_the_models(tmp_path: Path) -> None:
    engine = make_engine(resolve_url(str(tmp_path / "new.db")))
    assert current_revision(engine) is None
    migrate(engine)
    assert current_revision(engine) == head_revision()
    with engine.connect() as connection:
        diffs = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert diffs == [], f"models and migrations disagree: {diffs}"
    migrate(engine)  # a second start is a no-op
    assert current_revision(engine) == head_revision()


def test_sqlite_is_opened_with_wal_foreign_keys_and_busy_timeout(tmp_path: Path) -> None:
    store = Store.open(str(tmp_path / "x.db"), create=True)
    with store.engine.connect() as c:
        assert c.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert c.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert c.execute(text("PRAGMA busy_timeout")).scalar() >= 5000


@pytest.mark.parametrize("table", ["assessment", "audit_log", "explanation_words"])
def test_history_tables_refuse_update_and_delete(demo_store: Store, table: str) -> None:
    with demo_store.engine.connect() as c:
        assert c.execute(text(f"SELECT count(*) FROM {table}")).scalar() > 0
    for statement in (f"UPDATE {table} SET id = id", f"DELETE FROM {table}"):
        with pytest.raises(IntegrityError, match="append-only"), demo_store.engine.begin() as c:
            c.execute(text(statement))


def test_a_database_from_a_newer_version_is_refused_in_words(tmp_path: Path) -> None:
    engine = make_engine(resolve_url(str(tmp_path / "future.db")))
    migrate(engine)
    with engine.begin() as c:
        c.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(DatabaseError, match="newer version of resilience"):
        migrate(engine)


def test_a_file_that_is_not_a_database_gives_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "notes.db"
    bad.write_text("these are my meeting notes, not a database\n" * 20)
    with pytest.raises(DatabaseError, match="not a database"):
        Store.open(str(bad))
    assert bad.read_text().startswith("these are my meeting notes")


def test_a_database_from_the_first_schema_upgrades_with_its_data(tmp_path: Path) -> None:
    """Users' files made by an earlier version are upgraded on open, data intact."""
    from alembic import command

    from resilience.db import alembic_config

    path = tmp_path / "old.db"
    engine = make_engine(resolve_url(str(path)))
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
    with engine.begin() as c:
        c.execute(
            text(
                "INSERT INTO commissioner (code, name, short_name, kind) "
                "VALUES ('04C', 'NHS Leicester City CCG', 'City', 'ccg')"
            )
        )
        c.execute(
            text(
                "INSERT INTO practice (ods_code, name, postcode, commissioner_id, "
                "contract_type, clinical_system, status) VALUES "
                "('ZC0001', 'Old Surgery', 'LE1 9ZA', 1, 'GMS', 'SystmOne', 'active')"
            )
        )
    assert current_revision(engine) == "0001"
    store = Store.open(str(path))  # opening migrates
    assert current_revision(store.engine) == head_revision() != "0001"
    assert [p.ods_code for p in store.list_practices()] == ["ZC0001"]
    assert store.current_figures(["list_size"]) == {}  # the new tables exist and work
    backups = list(tmp_path.glob("old.db.before-0001-to-*"))
    assert len(backups) == 1, "an automatic backup is taken before upgrading"
    assert backups[0].stat().st_mode & 0o777 == 0o600
    old = make_engine(resolve_url(str(backups[0])))
    assert current_revision(old) == "0001"  # the copy is the file as it was


def test_several_people_opening_an_old_database_at_once_upgrade_it_once(tmp_path: Path) -> None:
    import subprocess
    import sys

    from alembic import command

    from resilience.db import alembic_config

    path = tmp_path / "shared.db"
    engine = make_engine(resolve_url(str(path)))
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
    engine.dispose()
    resilience = str(Path(sys.executable).with_name("resilience"))
    runs = [
        subprocess.Popen(
            [resilience, "practices", "--db", str(path), "--format", "csv"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    results = [(p.wait(timeout=120), p.stderr.read() if p.stderr else "") for p in runs]
    assert all(code == 0 for code, _ in results), results
    assert len(list(tmp_path.glob("shared.db.before-0001-to-*"))) == 1
    assert current_revision(make_engine(resolve_url(str(path)))) == head_revision()


def test_the_schema_head_constant_names_the_newest_migration() -> None:
    from resilience.db import SCHEMA_HEAD

    assert head_revision() == SCHEMA_HEAD


def test_upgrading_to_compact_explanations_keeps_results_and_their_guards(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """0006 -> 0007 on a file with a result saved in the full format: it reads as before,
    new results are compact, the append-only triggers are intact, the schema is exactly
    a new database's, and the redundant practice index is gone (and back on downgrade)."""
    import sqlite3

    from alembic import command

    import resilience.store.saving as saving
    from resilience.db import alembic_config
    from resilience.schema_check import schema_differences
    from tests.test_store import GOOD, small_register

    path = tmp_path / "older.db"
    store = Store.open(str(path), create=True)
    small_register(store)
    store.open_period("2016-04")
    # saved as releases before 0007 saved every result: in full
    with monkeypatch.context() as m:
        m.setattr(saving, "result_text", lambda result, *_: json.dumps(result.to_dict()))
        before = store.save_assessment("ZT0001", "2016-04", GOOD)
    store.close()
    engine = make_engine(resolve_url(str(path)))
    with engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0006")
    engine.dispose()
    with sqlite3.connect(path) as c:
        assert schema_differences(c, "0006") == []  # the downgrade is exactly 0006 again

    store = Store.open(str(path))  # upgrades, after a backup
    assert current_revision(store.engine) == "0007"
    (read,) = store.assessment_versions("ZT0001")
    assert read.result.to_dict() == before.result.to_dict()
    newer = store.save_assessment("ZT0001", "2016-04", GOOD, reason="after the upgrade")
    assert store.assessment_versions("ZT0001")[-1].result.to_dict() == newer.result.to_dict()
    store.close()
    with sqlite3.connect(path) as c:
        assert schema_differences(c, "0007") == []
        stored = [json.loads(t) for (t,) in c.execute("SELECT result_json FROM assessment")]
        indexes = {n for (n,) in c.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert [d.get("format") for d in stored] == [None, 2]
    assert "ix_assessment_practice_id" not in indexes
    with pytest.raises(IntegrityError, match="append-only"), store.engine.begin() as c:
        c.execute(text("DELETE FROM assessment"))
