"""``resilience users``: who may use this database, and what they may do."""

from __future__ import annotations

from typing import Annotated

import typer

from resilience.cli_common import DbOption, fail, open_store
from resilience.roles import ROLE_HELP, ROLES
from resilience.safe_text import clean

users_app = typer.Typer(
    help="People and roles: viewer, editor, admin. With no command, lists them.",
    invoke_without_command=True,
    rich_markup_mode=None,
)



def _check_role(role: str) -> str:
    if role not in ROLES:
        raise fail(f"role is one of {', '.join(ROLES)}")
    return role


@users_app.callback()
def users_list(ctx: typer.Context, db: DbOption = None) -> None:
    """List everyone with a role, and who may read confidential intelligence."""
    if ctx.invoked_subcommand is not None:
        return
    store = open_store(db)
    people = store.people()
    width = max([len(p.username) for p in people] + [8])
    for person in people:
        typer.echo(
            clean(
                f"{person.username:<{width}}  {person.role:<6}  added by {person.added_by} "
                f"on {person.added_at:%Y-%m-%d}"
            )
        )
    typer.echo(f"\nYou are {store.user} ({store.role}).")
    typer.echo(f"Confidential soft intelligence: {', '.join(store.confidential_roles())}.")
    delegates = store.all_delegates()
    if delegates:
        for account, names in sorted(delegates.items()):
            typer.echo(f"{account} may act with --user as: {', '.join(names)}.")
    else:
        typer.echo("--user naming someone else: nobody may (see: resilience users delegate).")
    typer.echo(
        "Anyone not listed is a viewer. Roles: "
        + "; ".join(f"{role}: {text}" for role, text in ROLE_HELP.items())
    )
    store.close()


def _change(db: str | None, action) -> None:  # type: ignore[no-untyped-def]
    from resilience.store import StoreError

    store = open_store(db)
    try:
        message = action(store)
    except StoreError as exc:
        raise fail(str(exc)) from None
    finally:
        store.close()
    typer.echo(clean(message), err=True)


@users_app.command("add")
def users_add(
    username: Annotated[str, typer.Argument(help="Their login name on this server.")],
    role: Annotated[str, typer.Option("--role", help="viewer, editor or admin.")] = "editor",
    db: DbOption = None,
) -> None:
    """Register someone (admins only)."""
    _set_role(username, role, db)


@users_app.command("role")
def users_role(
    username: Annotated[str, typer.Argument(help="Their login name.")],
    role: Annotated[str, typer.Argument(help="viewer, editor or admin.")],
    db: DbOption = None,
) -> None:
    """Change someone's role (admins only; recorded in the audit log)."""
    _set_role(username, role, db)


def _set_role(username: str, role: str, db: str | None) -> None:
    _check_role(role)
    _change(db, lambda s: f"{username}: {s.set_role(username, role) or 'new'} -> {role}.")


@users_app.command("confidential")
def users_confidential(
    roles: Annotated[str, typer.Argument(help="Comma-separated roles, e.g. admin,editor.")],
    db: DbOption = None,
) -> None:
    """Choose which roles may read confidential soft intelligence (admin always may)."""
    chosen = [r.strip() for r in roles.split(",") if r.strip()]
    for role in chosen:
        _check_role(role)

    def apply(store) -> str:  # type: ignore[no-untyped-def]
        store.set_confidential_roles(chosen)
        return f"Confidential soft intelligence: {', '.join(store.confidential_roles())}."

    _change(db, apply)


@users_app.command("delegate")
def users_delegate(
    account: Annotated[str, typer.Argument(help="The service account (e.g. a cron job's).")],
    names: Annotated[list[str], typer.Argument(help="The people it may act as with --user.")],
    remove: Annotated[
        bool, typer.Option("--remove", help="Stop it acting as these people.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Let a service account act as the people named, with --user (admins only; never as
    an admin). The audit log records both the account and the name acted as."""

    def apply(store) -> str:  # type: ignore[no-untyped-def]
        store.set_delegates(account, names, remove=remove)
        now = store.delegates_of(account)
        return f"{account} may act as: {', '.join(now) if now else 'nobody'}."

    _change(db, apply)


@users_app.command("allow-user", hidden=True)
def users_allow_user(
    setting: Annotated[str, typer.Argument(help="on or off.")],
    db: DbOption = None,
) -> None:
    """Replaced by `resilience users delegate`: --user naming anyone at all is gone."""
    raise fail(
        "allow-user is gone: --user now works only for the people an admin names with "
        "resilience users delegate SERVICE_ACCOUNT NAME..."
    )
