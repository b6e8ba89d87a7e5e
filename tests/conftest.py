"""Shared fixtures: real SQLite files in temporary folders, never the user's database."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from resilience.demo import create_demo_database
from resilience.store import Store


@pytest.fixture(autouse=True)
def _no_user_database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Keep the tester's own database and environment out of every test."""
    monkeypatch.delenv("RESILIENCE_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


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
    store = Store.open(str(tmp_path / "empty.db"))
    yield store
    store.close()
