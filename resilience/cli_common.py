"""Pieces every command shares: the --db option, output formats, failing in words."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from resilience.store import Store


def db_given_before_the_command(ctx: typer.Context, value: str | None) -> str | None:
    """`resilience --db X month close ...` works on X, as written, never on another
    database; two different --db (before and after the command) are refused rather than
    one being guessed."""
    root = ctx.find_root()
    if root is ctx:
        return value
    before = root.params.get("db")
    if before is not None and value is not None and value != before:
        raise typer.BadParameter(
            f"two databases named: {before} before the command and {value} after it; give one"
        )
    return value if value is not None else before


DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Database: a SQLAlchemy URL or a file path (SQLite). "
        "Default: $RESILIENCE_DB, then the per-user data file.",
        show_default=False,
        callback=db_given_before_the_command,
    ),
]


class OutputFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


def fail(message: str, code: int = 2) -> typer.Exit:
    from resilience.safe_text import clean

    typer.echo(f"resilience: {clean(message)}", err=True)  # messages quote file contents
    return typer.Exit(code)


def open_store(db: str | None, user: str | None = None) -> Store:
    """The store for a command; a database that cannot be opened is a sentence and exit
    code 2, not a traceback."""
    from resilience.errors import DatabaseError, StoreError
    from resilience.store import Store

    try:
        return Store.open(db, user=user)
    except (DatabaseError, StoreError) as exc:
        raise fail(str(exc)) from None
