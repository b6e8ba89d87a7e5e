"""One method per database (issue 13): stored, shown, changed by an admin only, audited,
old methods kept, and used by the app's store, the CLI and rescoring."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from resilience.cli import app
from resilience.store import Store
from scoring import default_methodology

runner = CliRunner()
DEFAULT_TOML = (
    Path(__file__).resolve().parent.parent / "scoring" / "methodology" / "default.toml"
).read_text()


def _local(tmp_path: Path, version: str = "local-1") -> Path:
    path = tmp_path / f"{version}.toml"
    path.write_text(
        DEFAULT_TOML.replace('version = "llr-2026.4"', f'version = "{version}"').replace(
            "triangulation_areas = 3", "triangulation_areas = 2"
        )
    )
    return path


def test_a_new_database_uses_the_shipped_method(demo_db: Path) -> None:
    shown = runner.invoke(app, ["method", "show", "--db", str(demo_db)])
    assert shown.exit_code == 0
    assert "method llr-2026.4" in shown.stdout and "shipped default" in shown.stdout
    history = runner.invoke(app, ["method", "history", "--db", str(demo_db)])
    assert "always used the shipped default" in history.stdout


def test_set_is_admin_only_audited_and_keeps_the_old_method(
    demo_db: Path, tmp_path: Path, act_as  # type: ignore[no-untyped-def]
) -> None:
    local = _local(tmp_path)
    admin = Store.open(str(demo_db))
    admin.set_role("ed", "editor")
    admin.close()
    act_as("ed")
    denied = Store.open(str(demo_db))
    try:
        denied.set_method(local.read_text(), str(local))
        raise AssertionError("an editor changed the method")
    except Exception as exc:  # PermissionDenied names the role needed
        assert "admin" in str(exc)
    denied.close()
    act_as(None)

    result = runner.invoke(
        app, ["method", "set", str(local), "--reason", "panel decision", "--db", str(demo_db)]
    )
    assert result.exit_code == 0, result.output
    assert "now scores with method local-1 (was llr-2026.4)" in result.stdout
    second = _local(tmp_path, "local-2")
    assert runner.invoke(app, ["method", "set", str(second), "--db", str(demo_db)]).exit_code == 0
    history = runner.invoke(app, ["method", "history", "--db", str(demo_db)]).stdout
    assert history.index("local-1") < history.index("local-2")
    assert "panel decision" in history
    again = runner.invoke(app, ["method", "set", str(second), "--db", str(demo_db)])
    assert again.exit_code == 2 and "already scores with this method" in again.stderr

    store = Store.open(str(demo_db))
    assert store.method.version == "local-2"  # the app's store scores with it
    entries = store.audit_entries("scoring_method")  # newest first
    assert [e["new_value"].split()[0] for e in entries] == ["local-2", "local-1"]
    assert entries[-1]["old_value"] == "llr-2026.4"
    store.close()


def test_a_changed_file_with_the_same_version_is_refused(demo_db: Path, tmp_path: Path) -> None:
    same = tmp_path / "same.toml"
    same.write_text(DEFAULT_TOML.replace("triangulation_areas = 3", "triangulation_areas = 2"))
    result = runner.invoke(app, ["method", "set", str(same), "--db", str(demo_db)])
    assert result.exit_code == 2 and "give the changed file a new `version`" in result.stderr


def test_saves_and_rescoring_use_the_database_method(demo_db: Path, tmp_path: Path) -> None:
    local = _local(tmp_path)
    assert runner.invoke(app, ["method", "set", str(local), "--db", str(demo_db)]).exit_code == 0
    what_if = runner.invoke(
        app, ["score", "--from-db", "--period", "2017-03", "--db", str(demo_db),
              "--methodology", str(tmp_path / "shipped.toml")],
    )  # fmt: skip
    assert what_if.exit_code == 2  # no such file: said in words
    shipped = tmp_path / "shipped.toml"
    shipped.write_text(DEFAULT_TOML)
    what_if = runner.invoke(
        app, ["score", "--from-db", "--period", "2017-03", "--db", str(demo_db),
              "--methodology", str(shipped)],
    )  # fmt: skip
    assert what_if.exit_code == 0 and "llr-2026.4" in what_if.stdout  # a what-if still runs
    refused = runner.invoke(
        app, ["score", "--from-db", "--period", "2017-03", "--db", str(demo_db),
              "--methodology", str(shipped), "--save"],
    )  # fmt: skip
    assert refused.exit_code == 2 and "scores with method local-1" in refused.stderr
    saved = runner.invoke(
        app, ["score", "--from-db", "--period", "2017-03", "--db", str(demo_db), "--save"]
    )
    assert saved.exit_code == 0, saved.stderr
    store = Store.open(str(demo_db))
    latest = store.latest_assessment("ZC0001", "2017-03")
    assert latest is not None and latest.result.methodology_version == "local-1"
    assert store.method != default_methodology()
    store.close()
