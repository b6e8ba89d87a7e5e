"""Item 5: only a new, empty database makes its creator admin. A shared database upgraded
from before people and roles existed does not hand admin to whoever opens it first: it
goes to the database's owner (the SQLite file's owner, or the PostgreSQL database's
owner role), who controls it already."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from resilience.db import alembic_config, make_engine, migrate, resolve_url
from resilience.store import Store


def _old_database(url: str) -> None:
    """A database written by the version before roles (schema 0002), holding a practice."""
    engine = make_engine(url)
    with engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "0002")
    with engine.begin() as c:
        c.execute(
            text(
                "INSERT INTO commissioner (code, name, short_name, kind) "
                "VALUES ('04C', 'NHS Leicester City CCG', 'City', 'ccg')"
            )
        )
    engine.dispose()


def test_the_first_to_open_an_upgraded_file_is_not_made_admin(
    tmp_path: Path, act_as: Callable[[str | None], None]
) -> None:
    path = tmp_path / "shared.db"
    _old_database(resolve_url(str(path)))  # the file belongs to the account running tests
    act_as("mallory")  # another member of the group that can write the file
    first = Store.open(str(path))
    assert (first.user, first.role) == ("mallory", "viewer")
    assert first.people() == []
    first.close()
    act_as(None)  # the file's owner
    owner = Store.open(str(path))
    assert owner.role == "admin"
    assert [(p.username, p.role) for p in owner.people()] == [(owner.user, "admin")]
    assert "owner" in owner.audit_entries("person")[0]["new_value"]
    owner.close()


def test_a_new_database_makes_its_creator_admin(
    tmp_path: Path, act_as: Callable[[str | None], None]
) -> None:
    act_as("creator")
    store = Store.open(str(tmp_path / "new.db"), create=True)
    assert (store.user, store.role) == ("creator", "admin")
    store.close()


def test_on_postgres_an_upgraded_database_is_not_handed_to_another_role(
    postgres_url: str,
) -> None:
    _old_database(postgres_url)
    engine = make_engine(postgres_url)
    migrate(engine)  # the owner upgrades the schema (only the tables' owner can)
    engine.dispose()
    owner = create_engine(make_url(postgres_url), isolation_level="AUTOCOMMIT")
    with owner.connect() as c:
        c.exec_driver_sql("DROP ROLE IF EXISTS mallory_first")
        c.exec_driver_sql("CREATE ROLE mallory_first LOGIN")
        c.exec_driver_sql("GRANT ALL ON ALL TABLES IN SCHEMA public TO mallory_first")
        c.exec_driver_sql("GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO mallory_first")
    try:
        as_mallory = make_url(postgres_url).set(username="mallory_first")
        first = Store.open(as_mallory.render_as_string(hide_password=False))
        assert (first.user, first.role) == ("mallory_first", "viewer")
        assert first.people() == []
        first.close()
        store = Store.open(postgres_url)  # the database's owner
        assert store.role == "admin"
        store.close()
    finally:
        with owner.connect() as c:
            c.exec_driver_sql("DROP OWNED BY mallory_first")
        owner.dispose()
