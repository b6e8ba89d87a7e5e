"""Item 1: `resilience demo --db PATH` never deletes a database that is not a demo; it
says how to choose another path. Recreating a demo asks first, or takes --yes."""

from __future__ import annotations

import hashlib
from pathlib import Path

from typer.testing import CliRunner

from resilience.cli import app
from resilience.store import Store

runner = CliRunner()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_demo_refuses_a_team_database_and_leaves_it_whole(tmp_path: Path) -> None:
    team = tmp_path / "team.db"
    assert runner.invoke(app, ["db", "init", str(team)]).exit_code == 0
    store = Store.open(str(team))
    store.set_role("colleague", "editor")  # real work someone would lose
    store.close()
    before = _digest(team)

    result = runner.invoke(app, ["demo", "--db", str(team), "--yes"])

    assert result.exit_code == 2
    assert "not a demo database" in result.output
    assert "resilience demo --db NEW.db" in result.output  # how to choose another path
    assert _digest(team) == before
    assert not Path(f"{team}-wal").exists() or Path(f"{team}-wal").stat().st_size == 0
    reopened = Store.open(str(team))
    assert "colleague" in {p.username for p in reopened.people()}
    reopened.close()


def test_demo_refuses_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    notes = tmp_path / "notes.db"
    notes.write_text("minutes of the March meeting\n")
    result = runner.invoke(app, ["demo", "--db", str(notes)])
    assert result.exit_code == 2 and "not a demo database" in result.output
    assert notes.read_text() == "minutes of the March meeting\n"


def test_recreating_a_demo_asks_first_or_takes_yes(tmp_path: Path) -> None:
    demo = tmp_path / "demo.db"
    assert runner.invoke(app, ["demo", "--db", str(demo)]).exit_code == 0
    store = Store.open(str(demo))
    store.save_assessment("ZC0001", "2017-03", {}, reason="trying the demo")
    store.close()

    declined = runner.invoke(app, ["demo", "--db", str(demo)], input="n\n")
    assert declined.exit_code == 1 and "recreate it?" in declined.output
    store = Store.open(str(demo))
    assert len(store.assessment_versions("ZC0001", "2017-03")) == 2  # nothing deleted
    store.close()

    again = runner.invoke(app, ["demo", "--db", str(demo), "--yes"])
    assert again.exit_code == 0, again.output
    store = Store.open(str(demo))
    assert len(store.assessment_versions("ZC0001", "2017-03")) == 1  # a fresh demo
    store.close()
