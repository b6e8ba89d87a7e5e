"""``resilience method``: the scoring method this database uses (show, set, history)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from resilience.cli_common import DbOption, fail
from resilience.errors import DB_ENV_VAR, DatabaseError, StoreError

if TYPE_CHECKING:
    from scoring import Methodology

method_app = typer.Typer(
    help="The scoring method this database uses: one per database, changed by an admin.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def database_method(db: str | None) -> Methodology:
    """The method stored in the database ``db`` names; the shipped default when that
    database does not exist yet (a what-if on a file needs no database).

    A SQLite file is read directly with the standard library, read-only: scoring a file
    then needs neither SQLAlchemy nor the models (they cost more than the scoring). A
    server database goes through the store."""
    from scoring import default_methodology

    path = _plain_sqlite_file(db)
    if path is None:
        from resilience.store import Store

        store = Store.open(db)
        try:
            return store.method
        finally:
            store.close()
    if not path.exists():
        return default_methodology()
    stored = _stored_method(path)
    if stored is None:
        return default_methodology()
    toml, version = stored
    from scoring import MethodologyError, parse_methodology

    try:
        return parse_methodology(toml, f"the database's method {version}")
    except MethodologyError as exc:
        raise StoreError(
            f"the method stored in this database no longer validates: {exc}; an admin "
            "can set a valid one with `resilience method set FILE`"
        ) from None


def _plain_sqlite_file(db: str | None) -> Path | None:
    """The SQLite file ``db`` (or $RESILIENCE_DB, or the per-user default) names, when it
    is a plain path or a sqlite:/// URL; None for a server URL (or anything unusual, which
    the store then judges)."""
    import os

    if db is not None and not db.strip():
        return None  # the store says what is wrong with it
    value = db or os.environ.get(DB_ENV_VAR)
    if not value:
        from platformdirs import user_data_path

        return user_data_path("resilience", appauthor=False) / "resilience.db"
    if value.lower().startswith("file:"):
        return None
    if value.startswith("sqlite:///") and "?" not in value:
        value = value[len("sqlite:///") :]
        return Path(value).expanduser().resolve()
    if "://" in value:
        return None
    return Path(value).expanduser().resolve()


def _stored_method(path: Path) -> tuple[str, str] | None:
    """(TOML, version) of the newest method set in the SQLite file, or None when none was
    set (or the schema predates stored methods: such a database used the default)."""
    import sqlite3

    try:
        connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=30)
    except sqlite3.Error as exc:
        raise DatabaseError(f"{path}: cannot open it: {exc}") from None
    try:
        row = connection.execute(
            "SELECT toml, version FROM scoring_method ORDER BY id DESC LIMIT 1"
        ).fetchone()
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return None
        raise DatabaseError(f"{path}: cannot read its method: {exc}") from None
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"{path}: not a resilience database ({exc})") from None
    finally:
        connection.close()
    return (str(row[0]), str(row[1])) if row else None


def _shown(text: object) -> str:
    """Text from a method file or the database, safe for a terminal: control characters
    and direction overrides shown as codes, on one line."""
    from resilience.safe_text import clean

    return clean(str(text), one_line=True)


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
            made = store.result_methods() if info.set_at is None else {}
        finally:
            store.close()
    except (StoreError, DatabaseError) as exc:
        raise fail(str(exc)) from None
    if full:
        typer.echo(info.text, nl=False)
        return
    typer.echo(f"method {_shown(info.version)} ({_shown(info.name)})")
    if info.set_at is None:
        typer.echo(
            "the shipped default, not stored in this database yet (a database made "
            "before methods were pinned): it is stored at the first save of a result, "
            "so an upgrade of resilience cannot change it afterwards"
        )
        older = {v: n for v, n in made.items() if v != info.version}
        if older:  # an upgrade: the stored results were made with another method
            listed = ", ".join(f"{_shown(v)} ({n:,} results)" for v, n in sorted(older.items()))
            typer.echo(
                f"warning: the results stored here were scored with {listed}; the first "
                f"save will store {_shown(info.version)} and score with it. To keep the "
                "old method, an admin sets its file first (`resilience method set FILE`); "
                "to move on, rescore each month you review (`resilience score --from-db "
                "--period YYYY-MM --save`)"
            )
    else:
        typer.echo(f"set by {_shown(info.set_by)} at {info.set_at:%Y-%m-%d %H:%M} UTC")
        if info.reason:
            typer.echo(f"reason: {_shown(info.reason)}")
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
            used_before = {h.sha256 for h in store.method_history()}
            info = store.set_method(text, str(file), reason)
        finally:
            store.close()
    except (MethodologyError, StoreError, PermissionDenied, DatabaseError) as exc:
        raise fail(str(exc)) from None
    again = " again" if info.sha256 in used_before else ""
    typer.echo(
        f"this database now scores with method {_shown(info.version)}{again} "
        f"(was {_shown(before)})."
    )
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
        typer.echo(
            "no method stored: this database has always used the shipped default (it is "
            "stored at the first save of a result)"
        )
        return
    for info in rows:
        when = f"{info.set_at:%Y-%m-%d %H:%M}" if info.set_at else ""
        line = f"{when}  {_shown(info.version):<20} set by {_shown(info.set_by)}"
        typer.echo(line + (f": {_shown(info.reason)}" if info.reason else ""))
