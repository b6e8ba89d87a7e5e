"""Where the database is, how to connect to it, and bringing its schema up to date."""

from __future__ import annotations

import os
import sys
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING

from platformdirs import user_data_path
from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from resilience.backup import (
    BackupError,
    before_migration,
    create_owner_only,
    permission_warning,
)
from resilience.errors import DatabaseError

if TYPE_CHECKING:
    from alembic.config import Config

ENV_VAR = "RESILIENCE_DB"  # also in resilience.errors.DB_ENV_VAR
# The newest migration. Opening a database whose schema is already this one needs no
# Alembic at all (importing it costs a fifth of a second at every start);
# tests/test_migrations.py checks this against the migration scripts.
SCHEMA_HEAD = "0007"
SQLITE_BUSY_TIMEOUT_MS = 30_000


def default_db_path() -> Path:
    """The per-user database file (platformdirs: ~/.local/share/resilience on Linux)."""
    return user_data_path("resilience", appauthor=False) / "resilience.db"


def resolve_url(db: str | None = None) -> str:
    """--db, then $RESILIENCE_DB, then the per-user file. A plain path means SQLite."""
    if db is not None and not db.strip():
        raise DatabaseError("--db is empty: give a database file path or URL")
    value = db or os.environ.get(ENV_VAR) or str(default_db_path())
    if value.lower().startswith("file:"):
        raise DatabaseError(
            f"{value}: file: URIs are not accepted; give a plain file path "
            "(or a sqlite:/// or postgresql:// URL)"
        )
    if "://" in value:
        try:
            url = make_url(value)
        except ArgumentError as exc:
            raise DatabaseError(f"not a database URL: {value} ({exc})") from None
        if url.drivername in ("postgresql", "postgres"):
            # plain postgresql:// means the psycopg (3) driver this project installs
            return url.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
        return value
    return f"sqlite:///{Path(value).expanduser().resolve()}"



def require_existing(url: str) -> None:
    """Refuse to open a SQLite file that does not exist: a mistyped --db must not quietly
    become a new, empty database (and its folders). Creating one is explicit."""
    path = sqlite_path(url)
    if path is None or path.is_file():
        return
    raise DatabaseError(
        f"{path}: no such database. To create it, run: resilience db init {path} "
        "(or add --create to a command that writes)"
    )


def sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    if parsed.database == ":memory:":
        return None
    return Path(parsed.database)


# Set while the store runs a write transaction: SQLite then starts it with BEGIN
# IMMEDIATE, taking the write lock up front. A deferred transaction that reads and then
# writes can fail at once with "database is locked" when another writer committed in
# between (the busy timeout does not apply to that case); an immediate one waits its turn.
WRITING: ContextVar[bool] = ContextVar("resilience_writing", default=False)


def _sqlite_begin(connection) -> None:  # type: ignore[no-untyped-def]
    connection.exec_driver_sql("BEGIN IMMEDIATE" if WRITING.get() else "BEGIN")


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    # The driver's own transaction handling is switched off: SQLAlchemy emits BEGIN
    # itself (see _sqlite_begin), so transactional DDL and immediate writes work.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets WAL, foreign keys and a busy timeout."""
    path = sqlite_path(url)
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # a new database is owner-only from its first byte (SQLite gives its -wal and
            # -shm files the same mode): soft intelligence can name a whistleblower
            create_owner_only(path)
        except OSError as exc:
            raise DatabaseError(f"cannot create {path}: {exc.strerror}") from None
    try:
        engine = create_engine(url, future=True)
    except NoSuchModuleError:
        scheme = make_url(url).drivername
        raise DatabaseError(
            f"no database driver for {scheme!r}; use a file path (SQLite) or a "
            "postgresql://user:password@host/name URL"
        ) from None
    except (ArgumentError, ImportError) as exc:
        raise DatabaseError(f"cannot use the database URL {url!r}: {exc}") from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "resilience:migrations")
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def _stored_revision(connection: Connection) -> str | None:
    if not inspect(connection).has_table("alembic_version"):
        return None  # no schema yet
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return _stored_revision(connection)


def migrate(engine: Engine) -> bool:
    """Apply every pending migration (a no-op when the schema is current). True when this
    call built the schema in an empty database (its opener is then its first admin).

    Several people may open the database at the moment a new version first runs: the
    migration holds the write lock from start to end, and each process looks at the
    schema again once it has the lock, so the upgrade (and the backup taken before it)
    happens once."""
    where = engine.url.render_as_string(hide_password=True)
    try:
        if current_revision(engine) == SCHEMA_HEAD:
            return False
        token = WRITING.set(True)
        try:
            connection = engine.connect()
            connection.begin()  # BEGIN IMMEDIATE on SQLite: one migrator at a time
        finally:
            WRITING.reset(token)
        with connection:
            current = _stored_revision(connection)
            if current == SCHEMA_HEAD:
                connection.rollback()
                return False  # someone else upgraded it while this process waited
            if current is not None and current not in _known_revisions():
                raise DatabaseError(
                    f"{where} was written by a newer version of resilience (schema "
                    f"{current}); upgrade resilience to open it"
                )
            path = sqlite_path(str(engine.url))
            if current is not None and path is not None:
                try:
                    saved = before_migration(path, current, head_revision())
                except BackupError as exc:
                    raise DatabaseError(
                        f"{where} needs a schema upgrade, and the backup taken first failed: "
                        f"{exc}. Nothing was changed."
                    ) from None
                print(
                    f"resilience: backed up {path} to {saved} before upgrading it",
                    file=sys.stderr,
                )
            from alembic import command

            config = alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            connection.commit()
            return current is None
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        raise DatabaseError(f"cannot open the database {where}: {reason}") from None


def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


_warned: set[Path] = set()


def shared_file_warning(url: str) -> str | None:
    """A warning when the SQLite file behind ``url`` can be read by other users."""
    path = sqlite_path(url)
    return None if path is None else permission_warning(path)


def warn_if_shared(url: str) -> None:
    """Say once per process, on stderr, that the database file is readable by others."""
    path = sqlite_path(url)
    if path is None or path in _warned:
        return
    warning = permission_warning(path)
    if warning:
        _warned.add(path)
        print(f"resilience: warning: {warning}", file=sys.stderr)


def server_account(engine: Engine) -> str | None:
    """On PostgreSQL, the role the server authenticated this session as (``session_user``):
    the identity the database's own privileges use, so the audit and the server agree.
    None for SQLite, where the operating-system account is the identity."""
    if engine.dialect.name != "postgresql":
        return None
    with engine.connect() as connection:
        return connection.execute(text("SELECT session_user")).scalar()


def database_owner(engine: Engine) -> str | None:
    """Who owns the database: the SQLite file's owner, or the PostgreSQL database's owner
    role. They control it outright already, so they may claim admin of a database that
    has nobody registered (one upgraded from before people and roles existed)."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            return connection.execute(
                text(
                    "SELECT pg_get_userbyid(datdba) FROM pg_database "
                    "WHERE datname = current_database()"
                )
            ).scalar()
    path = sqlite_path(str(engine.url))
    if path is None:
        return None
    import pwd

    try:
        uid = path.stat().st_uid
    except OSError:
        return None
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid-{uid}"
