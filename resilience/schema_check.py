"""Is a SQLite file's schema the one its version should have?

A backup is a file anyone could have edited: with its append-only triggers dropped (so
history can be rewritten) or a table changed. Each schema revision has exactly one right
set of tables, indexes and triggers, so a fresh database is built at the file's revision
(in a temporary folder, once per process) and the two ``sqlite_master`` tables are
compared, object by object, with whitespace normalised.
"""

from __future__ import annotations

import sqlite3
import tempfile
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine, create_engine, text

# Triggers that keep history append-only; their absence is named as such.
PROTECTIVE = ("_no_update", "_no_delete", "_no_replace")
# The same protection on PostgreSQL: (trigger name suffix, what it refuses).
PG_PROTECTIVE_TABLES = (
    "assessment",
    "audit_log",
    "practice_figure",
    "explanation_words",
)
PG_PROTECTIVE_SUFFIXES = ("_append_only", "_no_truncate")


def _normalise(sql: str | None) -> str:
    return " ".join((sql or "").split())


def schema_objects(connection: sqlite3.Connection) -> dict[tuple[str, str], str]:
    """Every table, index, view and trigger the file defines (SQLite's own excluded)."""
    rows = connection.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
    ).fetchall()
    return {(kind, name): _normalise(sql) for kind, name, sql in rows}


@lru_cache(maxsize=8)
def expected_schema(revision: str) -> dict[tuple[str, str], str]:
    """The schema objects of a fresh database migrated to ``revision``."""
    from alembic import command

    from resilience.db import alembic_config

    with tempfile.TemporaryDirectory(prefix="resilience-schema-") as folder:
        path = Path(folder) / "expected.db"
        engine = create_engine(f"sqlite:///{path}")
        try:
            with engine.begin() as connection:
                config = alembic_config()
                config.attributes["connection"] = connection
                command.upgrade(config, revision)
        finally:
            engine.dispose()
        migrated = sqlite3.connect(path)
        try:
            return schema_objects(migrated)
        finally:
            connection.close()


def schema_differences(connection: sqlite3.Connection, revision: str) -> list[str]:
    """What differs from the schema ``revision`` should have, in words (empty: none)."""
    found = schema_objects(connection)
    expected = expected_schema(revision)
    problems = []
    for kind, name in sorted(set(expected) - set(found)):
        why = " (it keeps history append-only)" if name.endswith(PROTECTIVE) else ""
        problems.append(f"{kind} {name} is missing{why}")
    for kind, name in sorted(set(found) - set(expected)):
        problems.append(f"{kind} {name} is not part of schema {revision}")
    for key in sorted(set(found) & set(expected)):
        if found[key] != expected[key]:
            problems.append(f"{key[0]} {key[1]} differs from schema {revision}")
    return problems


def expected_pg_triggers() -> set[tuple[str, str]]:
    """(table, trigger) pairs that must exist on PostgreSQL."""
    return {(t, t + s) for t in PG_PROTECTIVE_TABLES for s in PG_PROTECTIVE_SUFFIXES}


def missing_pg_triggers(engine: Engine) -> list[str]:
    """The protective triggers a PostgreSQL database lacks, in words (empty: none)."""
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT c.relname, t.tgname FROM pg_trigger t "
                "JOIN pg_class c ON c.oid = t.tgrelid WHERE NOT t.tgisinternal "
                "AND t.tgenabled <> 'D'"
            )
        ).all()
        # a table a later schema adds (explanation_words, 0007) is not expected before it
        tables = set(connection.execute(text("SELECT tablename FROM pg_tables")).scalars())
    found = {(table, name) for table, name in rows}
    return [
        f"trigger {name} on {table} is missing or disabled (it keeps history append-only)"
        for table, name in sorted(expected_pg_triggers() - found)
        if table in tables or table != "explanation_words"
    ]
