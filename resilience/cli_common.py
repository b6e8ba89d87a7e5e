"""Pieces every command shares: the --db option, output formats, failing in words."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Database: a SQLAlchemy URL or a file path (SQLite). "
        "Default: $RESILIENCE_DB, then the per-user data file.",
        show_default=False,
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
