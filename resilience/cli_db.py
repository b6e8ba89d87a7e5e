"""``resilience db``: check, back up and restore the database file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from resilience.cli_common import DbOption, fail
from resilience.errors import DatabaseError
from resilience.roles import ROLES, a_role

db_app = typer.Typer(
    help="Check, back up and restore the database.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def _sqlite_file(db: str | None, what: str) -> Path:
    from resilience.db import resolve_url, sqlite_path

    try:
        url = resolve_url(db)
    except DatabaseError as exc:
        raise fail(str(exc)) from None
    path = sqlite_path(url)
    if path is None:
        raise fail(
            f"{what} works on a SQLite file; for PostgreSQL use the server's own tools "
            "(pg_dump and pg_restore), see the README"
        )
    return path


def _revisions() -> tuple[set[str], str]:
    from resilience.db import _known_revisions, head_revision

    return _known_revisions(), head_revision()


@db_app.command("init")
def db_init(
    target: Annotated[str, typer.Argument(help="The new database: a file path or URL.")],
) -> None:
    """Create a new, empty database; you become its admin. Commands other than this,
    `demo`, the app's first run and `--create` never create a database."""
    from resilience.db import resolve_url, sqlite_path
    from resilience.store import Store, StoreError

    try:
        path = sqlite_path(resolve_url(target))
        if path is not None and path.exists():
            raise fail(f"{path} already exists; nothing was changed")
        store = Store.open(target, create=True)
    except (DatabaseError, StoreError) as exc:
        raise fail(str(exc)) from None
    typer.echo(f"Ready: {store.url}; you ({store.user}) are {store.role}.", err=True)
    store.close()


@db_app.command("check")
def db_check(db: DbOption = None) -> None:
    """Integrity check, foreign keys, schema version, row counts and file mode.

    Exit codes: 0 healthy; 1 problems found (listed); 2 no such database."""
    from resilience.backup import check
    from resilience.db import resolve_url, sqlite_path

    try:
        url = resolve_url(db)
    except DatabaseError as exc:
        raise fail(str(exc)) from None
    if sqlite_path(url) is None:
        _check_server(url)
        return
    path = _sqlite_file(db, "db check")
    if not path.is_file():
        raise fail(f"{path}: no such database file")
    known, head = _revisions()
    report = check(path, known, head)
    typer.echo(f"{path}")
    for fact in report.facts:
        typer.echo(f"  {fact}")
    for problem in report.problems:
        typer.echo(f"  PROBLEM: {problem}")
    typer.echo("healthy" if report.ok else f"{len(report.problems)} problem(s)")
    if not report.ok:
        raise typer.Exit(1)


def _check_server(url: str) -> None:
    """``db check`` on PostgreSQL: schema version and the protective triggers (the
    server's own tools check the storage)."""
    from sqlalchemy.exc import SQLAlchemyError

    from resilience.db import current_revision, make_engine
    from resilience.schema_check import missing_pg_triggers

    engine = make_engine(url)
    where = engine.url.render_as_string(hide_password=True)
    try:
        revision = current_revision(engine)
        problems = missing_pg_triggers(engine) if revision else ["no resilience schema here"]
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        raise fail(f"cannot check {where}: {reason}") from None
    finally:
        engine.dispose()
    typer.echo(where)
    if revision:
        typer.echo(f"  schema {revision}")
    if not problems:
        typer.echo("  protective triggers: all present")
    for problem in problems:
        typer.echo(f"  PROBLEM: {problem}")
    typer.echo("healthy" if not problems else f"{len(problems)} problem(s)")
    if problems:
        raise typer.Exit(1)


@db_app.command("backup")
def db_backup(
    target: Annotated[Path, typer.Argument(help="Where to write the copy (a new file).")],
    db: DbOption = None,
) -> None:
    """Copy the database while others keep working (SQLite's online backup). The copy is
    owner-only (0600) and passes an integrity check before it gets its name. A database
    holding confidential soft intelligence is backed up by admins only (the copy is
    whole: it keeps the confidential text). Every backup is recorded in the audit log."""
    from resilience.backup import BackupError, backup
    from resilience.store import StoreError

    path = _sqlite_file(db, "db backup")
    store = _open(path)
    try:
        if store.confidential_entry_count() and not store.may("admin"):
            raise fail(
                f"{path} holds confidential soft intelligence, so only an admin may copy it "
                f"whole; you ({store.user}) are {a_role(store.role)}"
            )
        written = backup(path, target.expanduser())
        store.record_database_event("backup", f"to {written}")
    except (BackupError, StoreError) as exc:
        raise fail(str(exc)) from None
    finally:
        store.close()
    typer.echo(f"Backed up {path} to {written}.", err=True)


def _open(path: Path):  # type: ignore[no-untyped-def]
    from resilience.store import Store, StoreError

    try:
        return Store.open(str(path))
    except (DatabaseError, StoreError) as exc:
        raise fail(str(exc)) from None


@db_app.command("restore")
def db_restore(
    source: Annotated[Path, typer.Argument(help="A backup made by `resilience db backup`.")],
    db: DbOption = None,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Replace the database's content with a backup's (admins only). The backup is
    checked first (integrity, and every table, index and trigger exactly as its schema
    version has them), the current content is kept as a copy beside the database, and
    the restore is recorded in the restored database's audit log."""
    from resilience.backup import BackupError, restore
    from resilience.errors import current_user
    from resilience.store import StoreError

    path = _sqlite_file(db, "db restore")
    source = source.expanduser()
    if path.exists():
        allowed, who, role = _may_replace(path)
    else:  # nothing to replace: whoever is admin of the backup may put it in place
        who = current_user()
        role = _role_in_file(source, who)
        allowed = role == "admin"
    if not allowed:
        # role: a role, or why the owner of a damaged file is not this account
        shown = a_role(role) if role in ROLES else role
        raise fail(f"restoring a database is for admins; you ({who}) are {shown}")
    if not yes and not typer.confirm(f"Replace everything in {path} with {source}?"):
        raise fail("restore cancelled; nothing changed", code=1)
    known, head = _revisions()
    try:
        kept = restore(source, path, known, head)
    except BackupError as exc:
        raise fail(str(exc)) from None
    store = _open(path)
    try:
        store.record_database_event("restore", f"from {source}; the previous content is in {kept}")
    except StoreError as exc:
        raise fail(f"restored, but the audit line could not be written: {exc}") from None
    finally:
        store.close()
    typer.echo(f"Restored {path} from {source}; the previous content is in {kept}.", err=True)


def _may_replace(path: Path) -> tuple[bool, str, str]:
    """Whether this account may replace ``path``: an admin of it; or, when it cannot be
    opened at all (damaged: the usual reason to restore), the owner of the file."""
    from resilience.errors import current_user
    from resilience.store import Store, StoreError

    try:
        store = Store.open(str(path))
    except (DatabaseError, StoreError):
        who = current_user()
        owner = _file_owner(path)
        return who == owner, who, f"not the owner of the damaged file {path} ({owner})"
    try:
        return store.may("admin"), store.user, store.role
    finally:
        store.close()


def _file_owner(path: Path) -> str:
    import pwd

    uid = path.stat().st_uid
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid-{uid}"


def _role_in_file(path: Path, username: str) -> str:
    """``username``'s role in a SQLite file, read without changing it (viewer if absent)."""
    import sqlite3

    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = connection.execute(
                "SELECT role FROM person WHERE username = ?", (username,)
            ).fetchone()
        finally:
            connection.close()
    except sqlite3.Error:
        return "viewer"
    return row[0] if row else "viewer"
