"""`resilience` (the app) checks its database before the app starts, with sqlite3 alone
for a file at the schema head, and says every refusal in words as before: a missing
file, an empty --db, a file that is not a database, one from a newer version, a stored
method that no longer validates; an older file is still upgraded (with its backup), and
a file others can read still gets its warning. Started as `resilience --db X` (main's
shortcut) or through Typer (`resilience --db X` as any other command line), the same."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from resilience import cli
from resilience.cli_preflight import plain_sqlite_path, ready_sqlite_url, schema_head, user_db_path
from resilience.db import SCHEMA_HEAD, default_db_path, head_revision, resolve_url, sqlite_path
from resilience.store import Store, StoreError

DEFAULT_TOML = (
    Path(__file__).resolve().parent.parent / "scoring" / "methodology" / "default.toml"
).read_text()

Started = tuple[int, str, str, list[str]]  # exit code, stdout, stderr, URLs the app opened


@pytest.fixture
def start(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Callable[[list[str]], tuple[Started, Started]]:
    """Start `resilience ARGS` both ways, the app replaced by a note of its URL."""
    from resilience.app import ResilienceApp

    opened: list[str] = []
    monkeypatch.setattr(ResilienceApp, "run", lambda self: opened.append(self.db_url))

    def both(args: list[str]) -> tuple[Started, Started]:
        monkeypatch.setattr(sys, "argv", ["resilience", *args])
        capsys.readouterr()
        try:
            cli.main()
            code = 0
        except SystemExit as exit:
            code = int(exit.code or 0)
        out, err = capsys.readouterr()
        shortcut = (code, out, err, opened[:])
        opened.clear()
        result = CliRunner().invoke(cli.app, args)
        typer_way = (result.exit_code, result.stdout, result.stderr, opened[:])
        opened.clear()
        return shortcut, typer_way

    return both


def _copy(demo_db: Path, tmp_path: Path, name: str) -> Path:
    target = tmp_path / name
    target.write_bytes(demo_db.read_bytes())
    target.chmod(0o600)
    return target


def test_the_preflight_knows_the_schema_head_and_the_default_file() -> None:
    assert schema_head() == SCHEMA_HEAD == head_revision()
    assert user_db_path() == default_db_path()


@pytest.mark.parametrize("value", ["x.db", "./sub/../y.db", "~/z.db"])
def test_a_plain_path_resolves_as_the_store_resolves_it(
    value: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert plain_sqlite_path(value) == sqlite_path(resolve_url(value))
    monkeypatch.setenv("RESILIENCE_DB", value)
    assert plain_sqlite_path(None) == sqlite_path(resolve_url(None))


def test_a_database_at_the_schema_head_opens_without_the_store(
    demo_db: Path, start: Callable[[list[str]], tuple[Started, Started]]
) -> None:
    assert ready_sqlite_url(str(demo_db)) == f"sqlite:///{demo_db}"
    shortcut, typer_way = start(["--db", str(demo_db)])
    assert shortcut == typer_way == (0, "", "", [f"sqlite:///{demo_db}"])
    assert start([f"--db={demo_db}"])[0] == shortcut


def test_refusals_are_said_in_words_before_the_app(
    tmp_path: Path, demo_db: Path, start: Callable[[list[str]], tuple[Started, Started]]
) -> None:
    notes = tmp_path / "notes.db"
    notes.write_text("these are my meeting notes, not a database\n" * 20)
    future = _copy(demo_db, tmp_path, "future.db")
    with sqlite3.connect(future) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    cases = {
        str(tmp_path / "missing.db"): "no such database",
        "": "--db is empty",
        f"file:{notes}": "file: URIs are not accepted",
        str(notes): "not a database",
        str(future): "written by a newer version of resilience",
    }
    for db, words in cases.items():
        assert ready_sqlite_url(db) is None  # the store decides, with its own words
        shortcut, typer_way = start(["--db", db])
        assert shortcut == typer_way
        code, _, err, opened = shortcut
        assert code == 2 and words in err and "Traceback" not in err and not opened, (db, err)
    assert not (tmp_path / "missing.db").exists()
    assert notes.read_text().startswith("these are my meeting notes")


def _set_method(path: Path, toml: str, version: str) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute(
            "INSERT INTO scoring_method (version, name, toml, sha256, set_at, set_by, reason) "
            "VALUES (?, 'x', ?, '', ?, 'admin', 'test')",
            (version, toml, datetime(2026, 1, 1).isoformat(sep=" ")),
        )


def test_a_stored_method_is_checked_as_the_store_checks_it(
    tmp_path: Path, demo_db: Path, start: Callable[[list[str]], tuple[Started, Started]]
) -> None:
    broken = _copy(demo_db, tmp_path, "broken.db")
    _set_method(
        broken, DEFAULT_TOML.replace("triangulation_areas = 3", "triangulation_areas = 0"), "b-1"
    )
    with pytest.raises(StoreError) as refused:
        Store.open(str(broken))
    shortcut, typer_way = start(["--db", str(broken)])
    assert shortcut == typer_way == (2, "", f"resilience: {refused.value}\n", [])
    assert "no longer validates" in shortcut[2]

    own = _copy(demo_db, tmp_path, "own.db")
    _set_method(own, DEFAULT_TOML.replace('version = "llr-2026.4"', 'version = "own-1"'), "own-1")
    same = _copy(demo_db, tmp_path, "same.db")
    _set_method(same, DEFAULT_TOML, "llr-2026.4")
    for path in (own, same):
        assert ready_sqlite_url(str(path)) == f"sqlite:///{path}"
        assert start(["--db", str(path)])[0] == (0, "", "", [f"sqlite:///{path}"])


def test_an_older_database_is_still_upgraded_before_the_app(
    tmp_path: Path, start: Callable[[list[str]], tuple[Started, Started]]
) -> None:
    from alembic import command

    from resilience.db import alembic_config, make_engine

    path = tmp_path / "old.db"
    engine = make_engine(resolve_url(str(path)))
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0005")
    engine.dispose()
    assert ready_sqlite_url(str(path)) is None
    code, _, err, opened = start(["--db", str(path)])[0]
    assert code == 0 and opened == [f"sqlite:///{path}"]
    assert "backed up" in err and len(list(tmp_path.glob("old.db.before-0005-to-*"))) == 1
    assert ready_sqlite_url(str(path)) == f"sqlite:///{path}"  # now at the head


def test_a_file_others_can_read_gets_its_warning(
    tmp_path: Path, demo_db: Path, start: Callable[[list[str]], tuple[Started, Started]]
) -> None:
    from resilience.backup import permission_warning

    shared = _copy(demo_db, tmp_path, "shared.db")
    shared.chmod(0o644)
    shortcut, typer_way = start(["--db", str(shared)])
    warning = f"resilience: warning: {permission_warning(shared)}\n"
    assert shortcut == typer_way == (0, "", warning, [f"sqlite:///{shared}"])


def test_the_first_run_and_the_demo_still_create_their_databases(
    start: Callable[[list[str]], tuple[Started, Started]],
) -> None:
    code, _, err, opened = start([])[0]
    assert code == 0 and "First run: creating a demo database" in err
    assert opened == [f"sqlite:///{default_db_path()}"]
    code, _, err, opened = start(["--demo"])[0]
    demo = default_db_path().with_name("demo.db")
    assert code == 0 and opened == [f"sqlite:///{demo}"] and demo.exists()


def test_the_app_starts_before_the_database_stack_is_imported(demo_db: Path) -> None:
    """In a fresh interpreter: by the time the app runs, nothing imported SQLAlchemy,
    SQLModel, Alembic or the models (the app's worker does, after the first frame)."""
    code = (
        "import sys\n"
        "from resilience.app import ResilienceApp\n"
        "from resilience.cli import main\n"
        "STACK = {'sqlalchemy', 'sqlmodel', 'alembic', 'resilience.models'}\n"
        "def run(self):\n"
        "    loaded = STACK & set(sys.modules)\n"
        "    print('OPENED', self.db_url, 'LOADED', sorted(loaded))\n"
        "ResilienceApp.run = run\n"
        f"sys.argv = ['resilience', '--db', {str(demo_db)!r}]\n"
        "main()\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == f"OPENED sqlite:///{demo_db} LOADED []"
