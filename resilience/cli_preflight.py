"""Before the app starts: can this database be opened as it is, without the database stack?

`resilience` (the app) opens its store in a worker after the first frame is drawn. What
must still be said before the app takes the terminal, in words, is said here for the
usual case, a SQLite file that exists and is at the schema head, with the standard
library's sqlite3 (SQLAlchemy, SQLModel and the models cost about half a second):

* the file exists and SQLite reads it (else: the store's own check decides and words it);
* its schema is the newest (else the store migrates it, with a backup, or refuses a file
  written by a newer version);
* the scoring method stored in it still validates (the store refuses it otherwise);
* a file other users can read gets the same warning on stderr as the store gives.

Anything else (a server URL, a missing file, an older or newer schema, a file SQLite
cannot read) returns None: the caller then opens the store as before, and its messages
are the ones people see. Standard library and platformdirs only (the engine only for a
method of the database's own): importing this module must stay cheap.
"""

from __future__ import annotations

import importlib.util
import os
import sqlite3
import sys
from pathlib import Path

from resilience.backup import permission_warning
from resilience.errors import DB_ENV_VAR, DatabaseError

MIGRATIONS = Path(__file__).with_name("migrations") / "versions"


def user_db_path() -> Path:
    """The per-user database file, as ``resilience.db.default_db_path`` (which imports
    SQLAlchemy) names it; tests/test_cli_preflight.py checks that they agree."""
    from platformdirs import user_data_path

    return user_data_path("resilience", appauthor=False) / "resilience.db"


def schema_head() -> str:
    """The newest migration's revision. Each migration file is named after its revision
    (``0006_scripted_versions.py`` is revision 0006, one after another), so a migration
    added later is known here without an edit; tests/test_cli_preflight.py checks this
    against Alembic's own head."""
    return max(path.name[:4] for path in MIGRATIONS.glob("[0-9][0-9][0-9][0-9]_*.py"))


def plain_sqlite_path(db: str | None) -> Path | None:
    """The file that ``db`` (or $RESILIENCE_DB, or the per-user file) names when it is a
    plain path, resolved as ``resilience.db.resolve_url`` resolves it (its URL is then
    ``sqlite:///`` and this path); None for a URL or anything the store should judge
    (an empty --db, a file: URI)."""
    if db is not None and not db.strip():
        return None
    value = db or os.environ.get(DB_ENV_VAR) or str(user_db_path())
    if value.lower().startswith("file:") or "://" in value:
        return None
    return Path(value).expanduser().resolve()


def _default_method_text() -> str | None:
    spec = importlib.util.find_spec("scoring")  # found, not imported (no pydantic)
    if spec is None or spec.origin is None:
        return None
    try:
        return (Path(spec.origin).parent / "methodology" / "default.toml").read_text("utf-8")
    except OSError:
        return None


def ready_sqlite_url(db: str | None) -> str | None:
    """The SQLAlchemy URL of the SQLite file ``db`` names when it can be opened as it is
    (see the module's description), after the warnings the store would print; None when
    the store must open it first. Raises StoreError when the method stored in it no
    longer validates (the store's refusal, word for word)."""
    path = plain_sqlite_path(db)
    if path is None or not path.is_file():
        return None
    try:
        connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error:
        return None
    try:
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        if revision is None or revision[0] != schema_head():
            return None
        method = connection.execute(
            "SELECT toml FROM scoring_method ORDER BY id DESC LIMIT 1"
        ).fetchone()
    except sqlite3.Error:
        return None
    finally:
        connection.close()
    if method is not None and method[0] != _default_method_text():
        # a method of its own: checked as the store checks it, with the store's words
        # (StoreError); this imports the engine, for such databases only
        from resilience.cli_method import database_method

        try:
            database_method(str(path))
        except DatabaseError:  # it could not be read after all: the store decides
            return None
    warning = permission_warning(path)
    if warning:
        print(f"resilience: warning: {warning}", file=sys.stderr)
    return f"sqlite:///{path}"
