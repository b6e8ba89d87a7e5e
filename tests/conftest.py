"""Shared fixtures: real SQLite files in temporary folders, never the user's database."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from resilience.demo import create_demo_database
from resilience.store import Store


@pytest.fixture(autouse=True)
def _no_user_database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Keep the tester's own database and environment out of every test."""
    monkeypatch.delenv("RESILIENCE_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


@pytest.fixture
def act_as(monkeypatch: pytest.MonkeyPatch) -> Callable[[str | None], None]:
    """Run as another operating-system account from here on (the test seam for identity:
    a function replaced inside this process, never an environment variable a user could
    set); None is the real account again. Stores opened before keep their account."""
    import resilience.errors

    real = resilience.errors.os_account

    def become(name: str | None) -> None:
        monkeypatch.setattr(resilience.errors, "os_account", real if name is None else lambda: name)

    return become


@pytest.fixture(scope="session")
def demo_db_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database, built once per test process (about three seconds)."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    create_demo_database(str(path)).close()
    return path


@pytest.fixture
def demo_db(demo_db_file: Path, tmp_path: Path) -> Path:
    """A private copy of the demo database that a test may change."""
    target = tmp_path / "demo.db"
    shutil.copyfile(demo_db_file, target)
    target.chmod(0o600)  # as the app creates it: others reading it gets a warning
    return target


@pytest.fixture
def demo_store(demo_db: Path) -> Iterator[Store]:
    store = Store.open(str(demo_db))
    yield store
    store.close()


@pytest.fixture
def empty_store(tmp_path: Path) -> Iterator[Store]:
    store = Store.open(str(tmp_path / "empty.db"), create=True)
    yield store
    store.close()


PG_ENV = "RESILIENCE_TEST_PG_URL"
PG_SKIP = (
    f"no PostgreSQL server: set {PG_ENV} (for example postgresql://postgres@127.0.0.1/postgres) "
    "to run these tests against one; .ci/run starts a server and sets it"
)


def postgres_server() -> str | None:
    return os.environ.get(PG_ENV) or None


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A new, empty PostgreSQL database on the test server, dropped afterwards."""
    server = postgres_server()
    if server is None:
        pytest.skip(PG_SKIP)
    base = make_url(server).set(drivername="postgresql+psycopg")
    name = f"resilience_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new, empty database: a SQLite file, and (where a server is given) PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def public_db(tmp_path: Path) -> Path:
    """A database built from the national files alone (the register and list-size
    samples), with 2021-01 open: nobody has reviewed anything."""
    from typer.testing import CliRunner

    from resilience.cli import app

    data = Path(__file__).resolve().parent / "data"
    db = tmp_path / "public.db"
    for kind, name in (
        ("ods", "epraccur_legacy_2019-12_sample.csv"),
        ("list-size", "gp-reg-pat-prac-all_2021-01_sample.csv"),
    ):
        result = CliRunner().invoke(
            app, ["import", kind, str(data / name), "--db", str(db), "--create"]
        )
        assert result.exit_code == 0, result.output
    store = Store.open(str(db))
    store.open_period("2021-01")
    store.close()
    return db
