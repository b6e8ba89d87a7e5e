"""The command line for scripts: help, version, practices in three formats, errors."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from resilience import __version__
from resilience.cli import app
from resilience.domain import PRACTICE_CSV_COLUMNS

runner = CliRunner()


def test_help_lists_the_commands() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("practices", "demo", "--db", "--version"):
        assert command in result.output


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.strip() == f"resilience {__version__}"


def test_practices_csv_has_the_documented_columns_and_every_practice(demo_db: Path) -> None:
    result = runner.invoke(app, ["practices", "--db", str(demo_db), "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert tuple(rows[0]) == PRACTICE_CSV_COLUMNS
    assert len(rows) == 138
    city = [r for r in rows if r["commissioner_code"] == "04C"]
    assert len(city) == 59
    assert abs(sum(float(r["gp_fte"]) for r in city) - 156) <= 0.5


def test_practices_json_and_table(demo_db: Path) -> None:
    result = runner.invoke(app, ["practices", "--db", str(demo_db), "--format", "json"])
    data = json.loads(result.output)
    assert len(data) == 138 and data[0]["ods_code"] == "ZC0001"
    table = runner.invoke(app, ["practices", "--db", str(demo_db)])
    assert table.exit_code == 0 and "138 practices" in table.output


def test_database_from_environment_variable(demo_db: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("RESILIENCE_DB", str(demo_db))
    result = runner.invoke(app, ["practices", "--format", "csv"])
    assert result.exit_code == 0 and result.output.count("\n") == 139


def test_bad_database_is_an_error_in_words_with_exit_code_2(tmp_path: Path) -> None:
    for db in ("nonsense://somewhere", str(tmp_path / "garbage.db")):
        if db.endswith(".db"):
            Path(db).write_bytes(b"\x00not sqlite" * 100)
        result = runner.invoke(app, ["practices", "--db", db])
        assert result.exit_code == 2
        assert "Traceback" not in result.output
        assert "resilience:" in result.output


def test_bad_format_is_a_usage_error() -> None:
    result = runner.invoke(app, ["practices", "--format", "xml"])
    assert result.exit_code == 2 and "xml" in result.output


def test_demo_command_recreates_a_demo_database(tmp_path: Path) -> None:
    other = tmp_path / "notes.db"
    other.write_text("old contents")
    refused = runner.invoke(app, ["demo", "--db", str(other)])
    assert refused.exit_code == 2 and "not a demo database" in refused.output
    assert other.read_text() == "old contents"
    target = tmp_path / "fresh.db"
    result = runner.invoke(app, ["demo", "--db", str(target)])
    assert result.exit_code == 0, result.output
    assert "138 practices" in result.output
    asked = runner.invoke(app, ["demo", "--db", str(target)], input="n\n")
    assert asked.exit_code == 1 and "recreate it?" in asked.output
    result = runner.invoke(app, ["demo", "--db", str(target), "--yes"])
    assert result.exit_code == 0, result.output
    again = runner.invoke(app, ["practices", "--db", str(target), "--format", "csv"])
    assert again.output.count("\n") == 139


def test_installed_script_lists_practices_without_loading_textual(demo_db: Path) -> None:
    """Through the real console entry point, in a fresh interpreter."""
    code = (
        "import sys\n"
        "from resilience.cli import main\n"
        f"sys.argv = ['resilience', 'practices', '--db', {str(demo_db)!r}, '--format', 'csv']\n"
        "try:\n    main()\nexcept SystemExit as e:\n    assert not e.code, e.code\n"
        "print('TEXTUAL_LOADED' if 'textual' in sys.modules else 'TEXTUAL_ABSENT')\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.startswith("ods_code,name,")
    assert out.strip().endswith("TEXTUAL_ABSENT")
    script = Path(sys.executable).with_name("resilience")
    if script.exists():
        real = subprocess.run(
            [str(script), "practices", "--db", str(demo_db), "--format", "csv"],
            capture_output=True,
            text=True,
            check=True,
        )
        assert real.stdout.count("\n") == 139


def test_first_run_seeds_demo_data_at_the_default_path(monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """`resilience` with no database creates one at the per-user path, with the demo."""
    from resilience.app import ResilienceApp
    from resilience.db import default_db_path
    from resilience.store import Store

    opened: list[str | None] = []
    monkeypatch.setattr(ResilienceApp, "run", lambda self: opened.append(self.db_url))
    path = default_db_path()
    assert str(path).startswith(str(tmp_path))  # the test's XDG_DATA_HOME, not the user's
    assert not path.exists()

    first = runner.invoke(app, [])
    assert first.exit_code == 0, first.output
    assert path.exists() and opened == [f"sqlite:///{path}"]
    store = Store.open(str(path))
    assert store.is_demo() and len(store.list_practices()) == 138
    store.save_assessment("ZC0001", "2017-03", {}, reason="a user's own change")
    store.close()

    second = runner.invoke(app, [])  # the second run opens the same file, untouched
    assert second.exit_code == 0
    store = Store.open(str(path))
    assert len(store.assessment_versions("ZC0001", "2017-03")) == 2
    store.close()


def test_an_explicit_new_database_is_not_seeded(monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from resilience.app import ResilienceApp
    from resilience.store import Store

    monkeypatch.setattr(ResilienceApp, "run", lambda self: None)
    target = tmp_path / "team.db"
    missing = runner.invoke(app, ["--db", str(target)])  # a typo must not become a database
    assert missing.exit_code == 2 and "no such database" in missing.output
    assert not target.exists()
    created = runner.invoke(app, ["db", "init", str(target)])
    assert created.exit_code == 0, created.output
    result = runner.invoke(app, ["--db", str(target)])
    assert result.exit_code == 0, result.output
    store = Store.open(str(target))
    assert store.is_empty() and not store.is_demo()
    store.close()


def test_a_db_given_before_the_command_is_the_one_it_works_on(tmp_path: Path) -> None:
    """`resilience --db X scope set ...` must never act on $RESILIENCE_DB or the default."""
    from typer.testing import CliRunner

    runner = CliRunner()
    first, second = tmp_path / "first.db", tmp_path / "second.db"
    for db in (first, second):
        assert runner.invoke(app, ["db", "init", str(db)]).exit_code == 0
    env = {"RESILIENCE_DB": str(second)}
    assert runner.invoke(app, ["--db", str(first), "scope", "set", "04C"], env=env).exit_code == 0
    assert "04C" in runner.invoke(app, ["scope", "show", "--db", str(first)]).stdout
    assert "No scope" in runner.invoke(app, ["scope", "show", "--db", str(second)]).stdout
    both = runner.invoke(app, ["--db", str(first), "scope", "show", "--db", str(second)])
    assert both.exit_code == 2 and "two databases named" in both.output
    demo = runner.invoke(app, ["--demo", "scope", "show"])
    assert demo.exit_code == 2 and "--demo opens the app" in demo.output
