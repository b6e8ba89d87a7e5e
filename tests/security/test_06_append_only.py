"""Item 6: history stays append-only against `INSERT OR REPLACE` on SQLite (REPLACE
deletes the old row without firing delete triggers) and `TRUNCATE` on PostgreSQL (which
fires no row triggers); `db check` reports a missing protective trigger as a failure."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from typer.testing import CliRunner

from resilience.cli import app
from resilience.demo import create_demo_database
from resilience.store import Store

runner = CliRunner()


def test_insert_or_replace_cannot_rewrite_an_audit_line(demo_db: Path) -> None:
    with sqlite3.connect(demo_db) as c:
        first = c.execute("SELECT id, actor, action, entity FROM audit_log LIMIT 1").fetchone()
    with pytest.raises(sqlite3.IntegrityError, match="append-only"), sqlite3.connect(demo_db) as c:
        c.execute(
            "INSERT OR REPLACE INTO audit_log (id, at, actor, action, entity, entity_id, field) "
            "VALUES (?, '2017-01-01', 'nobody', 'nothing', 'nothing', '', '')",
            (first[0],),
        )
    with sqlite3.connect(demo_db) as c:
        assert (
            c.execute(
                "SELECT id, actor, action, entity FROM audit_log WHERE id = ?", (first[0],)
            ).fetchone()
            == first
        )


def test_insert_or_replace_cannot_rewrite_a_saved_score(demo_db: Path) -> None:
    store = Store.open(str(demo_db))
    before = store.latest_assessment("ZC0007", "2017-03")
    store.close()
    assert before is not None
    with sqlite3.connect(demo_db) as c:
        row = c.execute(
            "SELECT a.* FROM assessment a JOIN practice p ON p.id = a.practice_id "
            "JOIN review_period r ON r.id = a.period_id "
            "WHERE p.ods_code = 'ZC0007' AND r.period = '2017-03'"
        ).fetchone()
        columns = [d[0] for d in c.execute("SELECT * FROM assessment LIMIT 0").description]
    forged = dict(zip(columns, row, strict=True))
    forged["score"] = 1.0
    for new_id in (forged["id"], None):  # the same id, or a new id on the same version
        forged["id"] = new_id
        names = ", ".join(forged)
        marks = ", ".join("?" for _ in forged)
        with (
            pytest.raises(sqlite3.IntegrityError, match="append-only"),
            sqlite3.connect(demo_db) as c,
        ):
            c.execute(
                f"INSERT OR REPLACE INTO assessment ({names}) VALUES ({marks})",
                tuple(forged.values()),
            )
    store = Store.open(str(demo_db))
    after = store.latest_assessment("ZC0007", "2017-03")
    assert after is not None and after.result.score == before.result.score
    store.close()


def test_insert_or_replace_cannot_reword_a_saved_explanation(demo_db: Path) -> None:
    """Saved results name their method's words by hash: the words cannot be swapped."""
    with sqlite3.connect(demo_db) as c:
        row_id, sha, words = c.execute(
            "SELECT id, sha256, words FROM explanation_words LIMIT 1"
        ).fetchone()
    reworded = words.replace("Inadequate", "Fine")
    assert reworded != words
    for new_id in (row_id, None):
        with (
            pytest.raises(sqlite3.IntegrityError, match="append-only"),
            sqlite3.connect(demo_db) as c,
        ):
            c.execute(
                "INSERT OR REPLACE INTO explanation_words (id, sha256, methodology_version, "
                "words) VALUES (?, ?, 'x', ?)",
                (new_id, sha, reworded),
            )
    with sqlite3.connect(demo_db) as c:
        assert c.execute("SELECT words FROM explanation_words").fetchall() == [(words,)]


def test_ordinary_saves_still_work(demo_store: Store) -> None:
    saved = demo_store.save_assessment("ZC0001", "2017-03", {}, reason="still allowed")
    assert saved.version == 2


@pytest.mark.parametrize(
    "trigger", ["audit_log_no_replace", "assessment_no_delete", "explanation_words_no_update"]
)
def test_db_check_fails_when_a_protective_trigger_is_gone(demo_db: Path, trigger: str) -> None:
    assert runner.invoke(app, ["db", "check", "--db", str(demo_db)]).exit_code == 0
    with sqlite3.connect(demo_db) as c:
        c.execute(f"DROP TRIGGER {trigger}")
    result = runner.invoke(app, ["db", "check", "--db", str(demo_db)])
    assert result.exit_code == 1
    assert f"PROBLEM: trigger {trigger} is missing (it keeps history append-only)" in (
        result.output
    )


@pytest.mark.parametrize(
    "table", ["audit_log", "assessment", "practice_figure", "explanation_words"]
)
def test_truncate_is_refused_on_postgres(postgres_url: str, table: str) -> None:
    store = create_demo_database(postgres_url)
    with store.engine.connect() as c:
        before = c.execute(text(f"SELECT count(*) FROM {table}")).scalar()
    with pytest.raises(DBAPIError, match="append-only"), store.engine.begin() as c:
        c.execute(text(f"TRUNCATE {table} CASCADE"))
    with store.engine.connect() as c:
        assert c.execute(text(f"SELECT count(*) FROM {table}")).scalar() == before
    store.close()


def test_db_check_on_postgres_names_a_missing_trigger(postgres_url: str) -> None:
    store = Store.open(postgres_url)
    healthy = runner.invoke(app, ["db", "check", "--db", postgres_url])
    assert healthy.exit_code == 0 and "protective triggers: all present" in healthy.output
    with store.engine.begin() as c:
        c.execute(text("DROP TRIGGER audit_log_no_truncate ON audit_log"))
    result = runner.invoke(app, ["db", "check", "--db", postgres_url])
    assert result.exit_code == 1 and "audit_log_no_truncate on audit_log is missing" in (
        result.output
    )
    store.close()
