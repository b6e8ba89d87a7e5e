"""Item 16: a mistyped --db never becomes a new, empty database (nor its folders);
`--db ''` is an error, not the default database; `file:` URIs are refused rather than
turned into a file named `file:x.db`. Databases are created on purpose: the app's first
run, `demo`, `resilience db init PATH`, or `--create` on a command that writes."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from resilience.cli import app
from resilience.store import Store

runner = CliRunner()
REGISTER = Path(__file__).parent.parent / "data" / "epraccur_ods_2026_sample.csv"


@pytest.mark.parametrize(
    "command",
    [
        ["practices"],
        ["users"],
        ["users", "add", "jo"],
        ["import", "ods", str(REGISTER)],
        ["export", "--period", "2017-03", "--format", "json"],
        ["db", "check"],
    ],
    ids=lambda c: " ".join(c[:2]),
)
def test_a_mistyped_path_is_not_created(tmp_path: Path, command: list[str]) -> None:
    typo = tmp_path / "sahred" / "team.db"
    result = runner.invoke(app, [*command, "--db", str(typo)])
    assert result.exit_code == 2, result.output
    assert "no such database" in result.output
    assert not typo.parent.exists()  # neither the file nor its folder
    if command[0] != "db":
        assert f"resilience db init {typo}" in result.output  # how to create it


def test_an_empty_db_option_is_an_error_not_the_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    default = runner.invoke(app, ["db", "init", str(tmp_path / "default.db")])
    assert default.exit_code == 0
    monkeypatch.setenv("RESILIENCE_DB", str(tmp_path / "default.db"))
    result = runner.invoke(app, ["users", "--db", ""])
    assert result.exit_code == 2 and "--db is empty" in result.output


def test_file_uris_are_refused_not_made_into_odd_file_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for value in ("file:x.db", f"file:{tmp_path}/x.db?mode=rwc"):
        result = runner.invoke(app, ["import", "ods", str(REGISTER), "--db", value, "--create"])
        assert result.exit_code == 2 and "file: URIs are not accepted" in result.output
    assert list(tmp_path.iterdir()) == []


def test_databases_are_created_on_purpose(tmp_path: Path) -> None:
    new = tmp_path / "new" / "team.db"
    created = runner.invoke(app, ["import", "ods", str(REGISTER), "--db", str(new), "--create"])
    assert created.exit_code == 0, created.output
    store = Store.open(str(new))
    assert store.list_practices() and store.role == "admin"
    store.close()
    init = tmp_path / "init.db"
    assert runner.invoke(app, ["db", "init", str(init)]).exit_code == 0
    again = runner.invoke(app, ["db", "init", str(init)])
    assert again.exit_code == 2 and "already exists" in again.output
    assert runner.invoke(app, ["practices", "--db", str(init)]).exit_code == 0
