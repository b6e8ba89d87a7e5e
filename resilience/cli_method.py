"""``resilience method``: the scoring method this database uses (show, set, history)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from resilience.cli_common import DbOption, fail
from resilience.errors import DatabaseError

if TYPE_CHECKING:
    from scoring import Methodology

method_app = typer.Typer(
    help="The scoring method this database uses: one per database, changed by an admin.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def database_method(db: str | None) -> Methodology:
    """The method stored in the database ``db`` names; the shipped default when that
    database does not exist yet (a what-if on a file needs no database)."""
    from resilience.db import resolve_url, sqlite_path
    from resilience.store import Store
    from scoring import default_methodology

    path = sqlite_path(resolve_url(db))
    if path is not None and not path.exists():
        return default_methodology()
    store = Store.open(db)
    try:
        return store.method
    finally:
        store.close()


@method_app.command("show")
def method_show(
    db: DbOption = None,
    full: Annotated[bool, typer.Option("--full", help="Print the whole method file.")] = False,
) -> None:
    """The method in use: version, name, who set it and when (--full: the file)."""
    from resilience.store import Store, StoreError

    try:
        store = Store.open(db)
        try:
            info = store.method_in_use()
        finally:
            store.close()
    except (StoreError, DatabaseError) as exc:
        raise fail(str(exc)) from None
    if full:
        typer.echo(info.text, nl=False)
        return
    typer.echo(f"method {info.version} ({info.name})")
    if info.set_at is None:
        typer.echo("the shipped default: no method has been set in this database")
    else:
        typer.echo(f"set by {info.set_by} at {info.set_at:%Y-%m-%d %H:%M} UTC")
        if info.reason:
            typer.echo(f"reason: {info.reason}")
    typer.echo(f"sha256 {info.sha256}")


@method_app.command("set")
def method_set(
    file: Annotated[Path, typer.Argument(help="The method file (TOML).", show_default=False)],
    reason: Annotated[str, typer.Option("--reason", help="Why the method changes.")] = "",
    db: DbOption = None,
) -> None:
    """Make FILE the method this database scores with (admin only; audited; the old
    method is kept). Stored results keep their method until a month is rescored.

    Exit codes: 0 set; 2 not allowed, or the file is unreadable or invalid."""
    from resilience.errors import PermissionDenied
    from resilience.store import Store, StoreError
    from scoring import MethodologyError

    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise fail(f"{file}: cannot read the method file: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise fail(f"{file}: the method file is not UTF-8 text") from None
    try:
        store = Store.open(db)
        try:
            before = store.method_in_use().version
            info = store.set_method(text, str(file), reason)
        finally:
            store.close()
    except (MethodologyError, StoreError, PermissionDenied, DatabaseError) as exc:
        raise fail(str(exc)) from None
    typer.echo(f"this database now scores with method {info.version} (was {before}).")
    typer.echo(
        "Saved results keep the method they were scored with; rescore a month with "
        "`resilience score --from-db --period YYYY-MM --save` to apply it."
    )


@method_app.command("history")
def method_history(db: DbOption = None) -> None:
    """Every method set in this database, oldest first."""
    from resilience.store import Store, StoreError

    try:
        store = Store.open(db)
        try:
            rows = store.method_history()
        finally:
            store.close()
    except (StoreError, DatabaseError) as exc:
        raise fail(str(exc)) from None
    if not rows:
        typer.echo("no method set: this database has always used the shipped default")
        return
    for info in rows:
        when = f"{info.set_at:%Y-%m-%d %H:%M}" if info.set_at else ""
        line = f"{when}  {info.version:<20} set by {info.set_by}"
        typer.echo(line + (f": {info.reason}" if info.reason else ""))
