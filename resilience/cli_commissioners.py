"""``resilience commissioners``: list commissioners; name one no ODS file names."""

from __future__ import annotations

import csv
import json
import sys
from typing import Annotated

import typer

from resilience.cli_common import DbOption, OutputFormat, fail, open_store

commissioners_app = typer.Typer(
    help="Commissioners (CCGs, ICBs, sub-ICB locations). With no command, lists them.",
    invoke_without_command=True,
    rich_markup_mode=None,
)



def _plain(text: str | None) -> str:
    """Text fit for a terminal: control characters become spaces."""
    return "".join(ch if ch.isprintable() else " " for ch in text or "")


@commissioners_app.callback()
def commissioners_list(
    ctx: typer.Context,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", help="table, csv or json.")
    ] = OutputFormat.table,
    db: DbOption = None,
) -> None:
    """List commissioners: code, kind, parent ICB and name."""
    if ctx.invoked_subcommand is not None:
        return
    store = open_store(db)
    try:
        rows = store.commissioner_list()
    finally:
        store.close()
    records = [
        {"code": c.code, "kind": c.kind, "parent": c.parent or "", "name": c.name} for c in rows
    ]
    if output_format is OutputFormat.json:
        typer.echo(json.dumps(records, indent=2))
    elif output_format is OutputFormat.csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=["code", "kind", "parent", "name"])
        writer.writeheader()
        writer.writerows(records)
    else:
        for r in records:
            typer.echo(
                f"{_plain(r['code']):<7} {r['kind']:<8} {_plain(r['parent']):<5} "
                f"{_plain(r['name'])}"
            )
        if not records:
            typer.echo("No commissioners yet: import the ODS register (resilience import ods).")


@commissioners_app.command("name")
def commissioners_name(
    code: Annotated[str, typer.Argument(help="The commissioner's ODS code, e.g. 04C.")],
    name: Annotated[str, typer.Argument(help='Its name, e.g. "NHS Leicester City CCG".')],
    short: Annotated[
        str | None, typer.Option("--short", help="A short name for lists (default: the name).")
    ] = None,
    db: DbOption = None,
) -> None:
    """Name a commissioner by hand, for a code no ODS names file names (editors and
    admins; recorded in the audit log). `resilience import ods-names` sets names from
    the ODS organisation files."""
    from resilience.store import StoreError

    store = open_store(db)
    try:
        store.set_commissioner_name(code.strip().upper(), name, short)
    except StoreError as exc:
        raise fail(str(exc)) from None
    finally:
        store.close()
    typer.echo(f"{code.strip().upper()}: named {_plain(name).strip()}.", err=True)
