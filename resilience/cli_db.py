"""``resilience db``: check, back up and restore the database file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from resilience.cli_common import DbOption, fail
from resilience.errors import DatabaseError

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
    typer.echo(f"Created {store.url}; you ({store.user}) are its admin.", err=True)
    store.close()


@db_app.command("check")
def db_check(db: DbOption = None) -> None:
    """Integrity check, foreign keys, schema version, row counts and file mode.

    Exit codes: 0 healthy; 1 problems found (listed); 2 no such database."""
    from resilience.backup import check

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


@db_app.command("backup")
def db_backup(
    target: Annotated[Path, typer.Argument(help="Where to write the copy (a new file).")],
    db: DbOption = None,
) -> None:
    """Copy the database while others keep working (SQLite's online backup). The copy is
    owner-only (0600) and passes an integrity check before it gets its name."""
    from resilience.backup import BackupError, backup

    path = _sqlite_file(db, "db backup")
    try:
        written = backup(path, target.expanduser())
    except BackupError as exc:
        raise fail(str(exc)) from None
    typer.echo(f"Backed up {path} to {written}.", err=True)


@db_app.command("restore")
def db_restore(
    source: Annotated[Path, typer.Argument(help="A backup made by `resilience db backup`.")],
    db: DbOption = None,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Replace the database's content with a backup's. The backup is checked first, and
    the current content is kept as a copy beside the database."""
    from resilience.backup import BackupError, restore

    path = _sqlite_file(db, "db restore")
    source = source.expanduser()
    if not yes and not typer.confirm(f"Replace everything in {path} with {source}?"):
        raise fail("restore cancelled; nothing changed", code=1)
    known, head = _revisions()
    try:
        kept = restore(source, path, known, head)
    except BackupError as exc:
        raise fail(str(exc)) from None
    typer.echo(f"Restored {path} from {source}; the previous content is in {kept}.", err=True)
