"""``resilience month``: open, close and follow review months from a script.

The same rules, roles and audit as the app (the store's open_period, close_period,
open_next_period and unreviewed). Exit codes: 0 done; 2 usage error or refused, with a
sentence on stderr.
"""

from __future__ import annotations

from typing import Annotated

import typer

from resilience.cli_common import DbOption, fail, open_store

month_app = typer.Typer(
    help="Review months: list, open, close, status. With no command, lists them.",
    invoke_without_command=True,
    rich_markup_mode=None,
)

UserOption = Annotated[
    str | None,
    typer.Option(
        "--user",
        help="Act as this person (default: your login; only for the people an admin "
        "named with `resilience users delegate`).",
    ),
]
PeriodArgument = Annotated[str, typer.Argument(metavar="YYYY-MM", help="The review month.")]



def _run(db: str | None, user: str | None, action):  # type: ignore[no-untyped-def]
    """Run ``action(store)``; a refusal becomes a sentence and exit code 2."""
    from resilience.db import DatabaseError
    from resilience.store import StoreError

    store = open_store(db, user)
    try:
        return action(store)
    except (StoreError, DatabaseError) as exc:
        raise fail(str(exc)) from None
    finally:
        store.close()


def _when(at) -> str:  # type: ignore[no-untyped-def]
    return f"{at:%Y-%m-%d %H:%M}" if at else ""


@month_app.callback()
def month_default(ctx: typer.Context, db: DbOption = None) -> None:
    """List the review months."""
    if ctx.invoked_subcommand is None:
        month_list(db)


@month_app.command("list")
def month_list(db: DbOption = None) -> None:
    """Every review month, oldest first: status, who opened and closed it, when."""

    def show(store) -> None:  # type: ignore[no-untyped-def]
        periods = store.periods()
        if not periods:
            typer.echo("No review months yet: `resilience month open YYYY-MM` opens one.")
        for p in periods:
            line = f"{p.period}  {p.status:<6}  opened {_when(p.opened_at)} by {p.opened_by}"
            if p.is_closed:
                line += f"; closed {_when(p.closed_at)} by {p.closed_by}"
            typer.echo(line)

    _run(db, None, show)


@month_app.command("open")
def month_open(
    period: Annotated[
        str | None,
        typer.Argument(
            metavar="[YYYY-MM]", help="The month to open (default: the one after the newest)."
        ),
    ] = None,
    user: UserOption = None,
    db: DbOption = None,
) -> None:
    """Open a review month (editors and admins; audited). Every practice's latest
    findings carry forward as its starting point; nothing is saved until it is reviewed.
    Opening a month that is already open changes nothing."""
    from resilience.store import check_period

    def apply(store) -> None:  # type: ignore[no-untyped-def]
        if period is None:
            opened = store.open_next_period()
            typer.echo(f"Opened {opened.period}.")
            return
        check_period(period)
        existing = next((p for p in store.periods() if p.period == period), None)
        store.open_period(period)  # refuses a viewer, and a closed month, in words
        if existing is not None:
            typer.echo(f"{period} is already open (since {_when(existing.opened_at)}).")
        else:
            typer.echo(f"Opened {period}.")

    _run(db, user, apply)


@month_app.command("close")
def month_close(
    period: PeriodArgument,
    user: UserOption = None,
    db: DbOption = None,
) -> None:
    """Close a review month (editors and admins; audited). A closed month is read-only:
    its findings, scores and decisions are frozen; a later change is a correction."""

    def apply(store) -> None:  # type: ignore[no-untyped-def]
        store.close_period(period)  # refuses a month that does not exist or is closed
        unreviewed = store.unreviewed(period)
        typer.echo(f"Closed {period}.")
        if unreviewed:
            listed = ", ".join(unreviewed[:8]) + (" ..." if len(unreviewed) > 8 else "")
            typer.echo(
                f"resilience: {len(unreviewed)} practice(s) were not reviewed in {period} "
                f"({listed}); their carried-forward findings stand.",
                err=True,
            )

    _run(db, user, apply)


@month_app.command("status")
def month_status(
    period: Annotated[
        str | None,
        typer.Argument(metavar="[YYYY-MM]", help="The month (default: the newest)."),
    ] = None,
    db: DbOption = None,
) -> None:
    """How far a month's review has got: reviewed and unreviewed practices (active, in
    scope), and which are still to do."""
    from resilience.store import StoreError, check_period

    def show(store) -> None:  # type: ignore[no-untyped-def]
        periods = store.periods()
        if period is None and not periods:
            raise StoreError(
                "there are no review months yet; open one with: resilience month open YYYY-MM"
            )
        chosen = period or periods[-1].period
        check_period(chosen)
        info = next((p for p in periods if p.period == chosen), None)
        if info is None:
            raise StoreError(
                f"there is no review month {chosen}; open it with: resilience month open {chosen}"
            )
        rows = store.agenda_rows(chosen)
        reviewed = sum(1 for r in rows if r.reviewed)
        typer.echo(
            f"{chosen}: {info.status}; {len(rows)} practices, reviewed {reviewed}, "
            f"unreviewed {len(rows) - reviewed}"
        )
        todo = [r.ods_code for r in rows if not r.reviewed]
        if todo:
            typer.echo("unreviewed: " + ", ".join(todo[:20]) + (" ..." if len(todo) > 20 else ""))

    _run(db, None, show)
