"""The `resilience` command: the TUI by default, subcommands for scripts.

Script paths (practices, demo, ...) never import Textual, so they start fast and run
where no terminal UI is wanted (cron, pipes).
"""

from __future__ import annotations

import csv
import json
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from resilience import __version__
from resilience.db import ENV_VAR, DatabaseError, default_db_path, resolve_url, sqlite_path
from resilience.domain import PRACTICE_CSV_COLUMNS

app = typer.Typer(
    name="resilience",
    help="Monthly risk-share review of GP practices and GPRP cohort allocation.\n\n"
    "Run with no command to open the terminal app.",
    no_args_is_help=False,
    add_completion=False,
    rich_markup_mode=None,
)

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
    typer.echo(f"resilience: {message}", err=True)
    return typer.Exit(code)


def demo_db_path() -> Path:
    return default_db_path().with_name("demo.db")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"resilience {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def main_callback(
    ctx: typer.Context,
    db: DbOption = None,
    demo: Annotated[
        bool,
        typer.Option("--demo", help="Open the demo database (created on first use)."),
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    if ctx.invoked_subcommand is not None:
        return
    if demo:
        _run_tui(str(demo_db_path()), seed_if_missing=True)
    else:
        # First run: only the default per-user database is seeded with the demo.
        _run_tui(db, seed_if_missing=db is None and not os.environ.get(ENV_VAR))


def _run_tui(db: str | None, *, seed_if_missing: bool) -> None:
    from resilience.demo import create_demo_database
    from resilience.store import Store, StoreError

    try:
        url = resolve_url(db)
        path = sqlite_path(url)
        if seed_if_missing and path is not None and not path.exists():
            typer.echo(f"First run: creating a demo database at {path} ...", err=True)
            create_demo_database(url).close()
        else:
            Store.open(url).close()  # migrate before the UI starts; fail here, in words
    except (DatabaseError, StoreError) as exc:
        raise fail(str(exc)) from None

    from resilience.app import ResilienceApp  # Textual only on this path

    ResilienceApp(url).run()


@app.command()
def demo(
    db: Annotated[
        str | None,
        typer.Option("--db", help="Where to (re)create the demo database (path or URL)."),
    ] = None,
) -> None:
    """(Re)create a demo database: invented LLR practices, April 2016 - March 2017."""
    from resilience.demo import create_demo_database
    from resilience.store import StoreError

    target = db or str(demo_db_path())
    try:
        store = create_demo_database(target, replace=True)
    except (DatabaseError, StoreError) as exc:
        raise fail(str(exc)) from None
    count = len(store.list_practices())
    typer.echo(f"Demo database ready: {store.url} ({count} practices).")
    store.close()


@app.command()
def practices(
    db: DbOption = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", help="Output format.")
    ] = OutputFormat.table,
) -> None:
    """List practices with their latest workforce figures."""
    from resilience.store import Store, StoreError

    try:
        store = Store.open(db)
        rows = store.list_practices()
        store.close()
    except (DatabaseError, StoreError) as exc:
        raise fail(str(exc)) from None
    if output_format is OutputFormat.csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=PRACTICE_CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: "" if v is None else v for k, v in row.csv_values().items()})
    elif output_format is OutputFormat.json:
        typer.echo(json.dumps([row.csv_values() for row in rows], indent=2))
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(title=f"{len(rows)} practices")
        for column in ("ods_code", "name", "commissioner_code", "locality", "list_size"):
            table.add_column(column, justify="right" if column == "list_size" else "left")
        for row in rows:
            table.add_row(
                row.ods_code,
                row.name,
                row.commissioner_code,
                row.locality,
                f"{row.list_size:,}" if row.list_size is not None else "unknown",
            )
        Console().print(table)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
