"""Item 2: who you are comes from the operating system account of the process (its
effective uid), never from $LOGNAME or $USER; on PostgreSQL it is the role the server
authenticated the session as, so the database's privileges and the audit log agree."""

from __future__ import annotations

import os
import pwd
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from resilience.cli import app
from resilience.store import Store

runner = CliRunner()
ME = pwd.getpwuid(os.geteuid()).pw_name
IMPOSTOR_ENV = ("LOGNAME", "USER", "LNAME", "USERNAME")


def _shared_database(tmp_path: Path, act_as: Callable[[str | None], None]) -> Path:
    """A database alice created (so she is its admin); then back to the real account."""
    assert ME != "alice"
    db = tmp_path / "shared.db"
    act_as("alice")
    Store.open(str(db), create=True).close()
    act_as(None)
    return db


def test_logname_does_not_make_a_viewer_admin(tmp_path: Path, act_as, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    db = _shared_database(tmp_path, act_as)
    for name in IMPOSTOR_ENV:
        monkeypatch.setenv(name, "alice")

    result = runner.invoke(app, ["users", "role", ME, "admin", "--db", str(db)])

    assert result.exit_code == 2
    assert f"{ME} is a viewer" in result.output
    store = Store.open(str(db))
    assert (store.user, store.role) == (ME, "viewer")
    assert [(p.username, p.role) for p in store.people()] == [("alice", "admin")]
    assert [e["actor"] for e in store.audit_entries("person")] == ["alice"]  # nothing blamed
    store.close()


def test_a_real_process_with_a_forged_logname_is_still_itself(tmp_path: Path, act_as) -> None:  # type: ignore[no-untyped-def]
    db = _shared_database(tmp_path, act_as)
    env = {**os.environ, **dict.fromkeys(IMPOSTOR_ENV, "alice")}
    resilience = str(Path(sys.executable).with_name("resilience"))
    listing = subprocess.run(
        [resilience, "users", "--db", str(db)], capture_output=True, text=True, env=env
    )
    assert listing.returncode == 0, listing.stderr
    assert f"You are {ME} (viewer)." in listing.stdout
    grant = subprocess.run(
        [resilience, "users", "role", ME, "admin", "--db", str(db)],
        capture_output=True,
        text=True,
        env=env,
    )
    assert grant.returncode == 2 and f"{ME} is a viewer" in grant.stderr


def test_on_postgres_identity_is_the_server_session_user(postgres_url: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    for name in IMPOSTOR_ENV:
        monkeypatch.setenv(name, "alice")
    store = Store.open(postgres_url)
    with store.engine.connect() as c:
        session_user = c.execute(text("SELECT session_user")).scalar()
    assert store.user == session_user != "alice"
    assert [(p.username, p.role) for p in store.people()] == [(session_user, "admin")]
    first = store.audit_entries("person")[0]
    assert (first["actor"], first["account"]) == (session_user, session_user)

    # another server role is another person, whoever runs the process
    owner = create_engine(make_url(postgres_url), isolation_level="AUTOCOMMIT")
    with owner.connect() as c:
        c.exec_driver_sql("DROP ROLE IF EXISTS mallory_viewer")
        c.exec_driver_sql("CREATE ROLE mallory_viewer LOGIN")
        c.exec_driver_sql("GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA public TO mallory_viewer")
        c.exec_driver_sql("GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO mallory_viewer")
    try:
        as_mallory = make_url(postgres_url).set(username="mallory_viewer")
        mallory = Store.open(as_mallory.render_as_string(hide_password=False))
        assert (mallory.user, mallory.role) == ("mallory_viewer", "viewer")
        mallory.close()
    finally:
        store.close()
        with owner.connect() as c:
            c.exec_driver_sql("DROP OWNED BY mallory_viewer")
        owner.dispose()
