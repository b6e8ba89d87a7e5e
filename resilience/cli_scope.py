"""``resilience scope``: the patch this database covers (see resilience/scope.py)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from resilience.cli_common import DbOption, fail, open_store

scope_app = typer.Typer(
    help="The patch this database covers: commissioner, sub-ICB location or ICB codes. "
    "With no command, shows it.",
    invoke_without_command=True,
    rich_markup_mode=None,
)

HOW_TO_SCOPE = (
    "a primary care team usually covers one patch: `resilience scope set CODE...` "
    "(commissioner, sub-ICB location or ICB codes, e.g. 04C or QK1; an ICB code covers the "
    "sub-ICB locations under it) keeps imports and views to those practices"
)



def describe(store) -> list[str]:  # type: ignore[no-untyped-def]
    """Lines saying what the scope is and what the views leave out."""
    codes = store.scope()
    closed, outside = store.hidden_counts()
    shown = len(store.list_practices())
    if not codes:
        lines = [f"No scope: this database covers all of England ({shown} active practices)."]
    else:
        tree = store.commissioner_tree()
        lines = [f"Scope: {' '.join(codes)} ({shown} active practices)."]
        for code in codes:
            if code in tree:
                name, kind, parent = tree[code]
                under = sum(1 for _, _, p in tree.values() if p == code)
                lines.append(
                    f"  {code}  {name} ({kind.replace('_', '-').upper()})"
                    + (f", under {parent}" if parent else "")
                    + (f", {under} sub-ICB location(s) under it" if under else "")
                )
            else:
                lines.append(f"  {code}  not in the register yet: the next ODS import uses it")
    if closed:
        lines.append(
            f"{closed} closed or dormant practice(s) hidden (--include-closed shows them)."
        )
    if outside:
        lines.append(
            f"{outside} practice(s) already in the database lie outside the scope: kept, "
            "not shown, not updated by imports (`resilience scope clear` shows them again)."
        )
    return lines


@scope_app.callback()
def scope_default(ctx: typer.Context, db: DbOption = None) -> None:
    """Show the scope."""
    if ctx.invoked_subcommand is None:
        scope_show(db)


@scope_app.command("show")
def scope_show(db: DbOption = None) -> None:
    """Show the codes the database is scoped to and what the views leave out."""
    store = open_store(db)
    try:
        for line in describe(store):
            typer.echo(line)
    finally:
        store.close()


@scope_app.command("set")
def scope_set(
    codes: Annotated[
        list[str], typer.Argument(help="Commissioner, sub-ICB location or ICB codes.")
    ],
    db: DbOption = None,
) -> None:
    """Scope the database to these codes (admins only; audited). Practices outside it are
    kept, not deleted: they drop out of the views and imports stop updating them."""
    from resilience.store import StoreError

    store = open_store(db)
    try:
        store.set_scope(codes)
        for line in describe(store):
            typer.echo(line)
    except StoreError as exc:
        raise fail(str(exc)) from None
    finally:
        store.close()


@scope_app.command("clear")
def scope_clear(db: DbOption = None) -> None:
    """Cover all of England again (admins only; audited)."""
    from resilience.store import StoreError

    store = open_store(db)
    try:
        store.clear_scope()
        for line in describe(store):
            typer.echo(line)
    except StoreError as exc:
        raise fail(str(exc)) from None
    finally:
        store.close()


def interactive() -> bool:
    """Whether someone is at the keyboard (a cron job or a pipe is not)."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def first_import_check(store) -> None:  # type: ignore[no-untyped-def]
    """Before the first import into an empty, unscoped database: ask whether to import
    all of England (interactive) or say how to set a scope and carry on (scripts), so a
    national analyst can work without one."""
    if store.scope() or not store.is_empty() or store.is_demo():
        return
    if not interactive():
        typer.echo(f"resilience: importing for all of England; {HOW_TO_SCOPE}.", err=True)
        return
    typer.echo(f"This database is empty and has no scope: {HOW_TO_SCOPE}.")
    answer = typer.prompt(
        "Import for all of England [n], or stop here to set a scope first [s]?",
        default="s",
        show_default=True,
    )
    if answer.strip().lower() not in ("n", "national", "all"):
        typer.echo("Nothing imported. Set a scope, then import again.")
        raise typer.Exit(0)
