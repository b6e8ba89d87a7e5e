"""One method per database (issue 13): stored, shown, changed by an admin only, audited,
old methods kept, and used by the app's store, the CLI and rescoring."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from resilience.cli import app
from resilience.store import Store
from scoring import default_methodology, parse_methodology

runner = CliRunner()
DATA = Path(__file__).resolve().parent / "data"
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


def test_a_new_database_stores_the_shipped_method_it_was_made_with(
    demo_db: Path, tmp_path: Path
) -> None:
    """Pinned at creation (db init, --create, demo and so the app's first run), audited
    who/when/why, so an upgrade that ships another method cannot change it silently."""
    fresh = tmp_path / "fresh.db"
    assert runner.invoke(app, ["db", "init", str(fresh)]).exit_code == 0
    created = tmp_path / "created.db"
    imported = runner.invoke(
        app,
        ["import", "ods", str(DATA / "epraccur_legacy_2019-12_sample.csv"),
         "--db", str(created), "--create"],
    )  # fmt: skip
    assert imported.exit_code == 0, imported.output
    for db in (demo_db, fresh, created):
        shown = runner.invoke(app, ["method", "show", "--db", str(db)])
        assert shown.exit_code == 0
        assert "method llr-2026.4" in shown.stdout, db
        assert "reason: pinned the shipped method at creation" in shown.stdout, db
        assert "set by " in shown.stdout and "shipped default" not in shown.stdout
        history = runner.invoke(app, ["method", "history", "--db", str(db)]).stdout
        assert "llr-2026.4" in history and "pinned the shipped method at creation" in history
        store = Store.open(str(db))
        (entry,) = store.audit_entries("scoring_method")
        assert entry["new_value"].startswith("llr-2026.4") and "at creation" in entry["new_value"]
        assert store.db_method is not None
        store.close()


def _ship(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, version: str) -> None:
    """As if resilience were upgraded to a release shipping method ``version``."""
    import resilience.methods
    import resilience.store.methods
    import scoring.methodology

    text = _local(tmp_path, version).read_text()
    monkeypatch.setattr(scoring.methodology, "_default", parse_methodology(text, version))
    monkeypatch.setattr(resilience.methods, "shipped_text", lambda: text)
    monkeypatch.setattr(resilience.store.methods, "shipped_text", lambda: text)


def test_an_upgrade_does_not_change_the_method_of_a_database(
    demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _ship(monkeypatch, tmp_path, "llr-2027.1")
    store = Store.open(str(demo_db))
    assert store.method.version == "llr-2026.4"  # pinned at creation, not what ships now
    assert store.method_in_use().version == "llr-2026.4"
    store.close()
    saved = runner.invoke(
        app, ["score", "--from-db", "--period", "2017-03", "--db", str(demo_db), "--save"]
    )
    assert saved.exit_code == 0, saved.stderr
    store = Store.open(str(demo_db))
    latest = store.latest_assessment("ZC0001", "2017-03")
    assert latest is not None and latest.result.methodology_version == "llr-2026.4"
    store.close()


def test_a_database_made_before_pinning_stores_its_method_at_the_first_save(
    demo_db: Path,
) -> None:
    """A database from before methods were pinned used the shipped one without storing
    it; it is stored (audited) the first time a result is saved, not on a mere open."""
    with sqlite3.connect(demo_db) as connection:
        connection.execute("DELETE FROM scoring_method")
    connection.close()
    shown = runner.invoke(app, ["method", "show", "--db", str(demo_db)])
    assert "not stored in this database yet" in shown.stdout
    assert (
        "always used the shipped default"
        in runner.invoke(app, ["method", "history", "--db", str(demo_db)]).stdout
    )
    assert (
        runner.invoke(app, ["report", "--period", "2017-03", "--db", str(demo_db)]).exit_code == 0
    )
    store = Store.open(str(demo_db))
    assert store.method_history() == []  # reading stores nothing
    store.close()

    saved = runner.invoke(
        app, ["score", "--from-db", "--period", "2017-03", "--db", str(demo_db), "--save"]
    )
    assert saved.exit_code == 0, saved.stderr
    shown = runner.invoke(app, ["method", "show", "--db", str(demo_db)]).stdout
    assert "method llr-2026.4" in shown and "set by " in shown
    assert "reason: pinned the shipped method at the first save of a result" in shown
    store = Store.open(str(demo_db))
    entry = store.audit_entries("scoring_method")[0]  # the newest
    assert "first save" in entry["new_value"] and entry["actor"] == store.user
    assert len(store.method_history()) == 1
    store.close()


def test_the_first_change_of_method_keeps_the_shipped_one_in_the_history(
    demo_db: Path, tmp_path: Path
) -> None:
    with sqlite3.connect(demo_db) as connection:
        connection.execute("DELETE FROM scoring_method")
    connection.close()
    local = _local(tmp_path)
    assert runner.invoke(app, ["method", "set", str(local), "--db", str(demo_db)]).exit_code == 0
    store = Store.open(str(demo_db))
    assert [m.version for m in store.method_history()] == ["llr-2026.4", "local-1"]
    assert "in use until the first change" in store.method_history()[0].reason
    store.close()


def test_set_is_admin_only_audited_and_keeps_the_old_method(
    demo_db: Path,
    tmp_path: Path,
    act_as,  # type: ignore[no-untyped-def]
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
    assert [e["new_value"].split()[0] for e in entries] == ["local-2", "local-1", "llr-2026.4"]
    assert entries[1]["old_value"] == "llr-2026.4"  # local-1 replaced the pinned default
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


def test_one_version_names_one_method_for_good(demo_db: Path, tmp_path: Path) -> None:
    """A version used before in this database, or the shipped method's, is refused for
    other rules; the very same rules set again are a re-activation (audited)."""
    first = _local(tmp_path, "local-1")
    second = _local(tmp_path, "local-2")
    for path in (first, second):
        assert runner.invoke(app, ["method", "set", str(path), "--db", str(demo_db)]).exit_code == 0
    changed = tmp_path / "changed.toml"
    changed.write_text(first.read_text().replace("share = 10", "share = 40"))
    refused = runner.invoke(app, ["method", "set", str(changed), "--db", str(demo_db)])
    assert refused.exit_code == 2
    assert "'local-1', already used in this database" in refused.stderr
    assert "give the changed file a new `version`" in refused.stderr
    shipped_changed = tmp_path / "shipped-changed.toml"
    shipped_changed.write_text(DEFAULT_TOML.replace("share = 10", "share = 40"))
    refused = runner.invoke(app, ["method", "set", str(shipped_changed), "--db", str(demo_db)])
    assert refused.exit_code == 2 and "'llr-2026.4'" in refused.stderr

    back = runner.invoke(app, ["method", "set", str(first), "--db", str(demo_db)])
    assert back.exit_code == 0, back.stderr
    assert "now scores with method local-1 again (was local-2)" in back.stdout
    store = Store.open(str(demo_db))
    assert [m.version for m in store.method_history()] == [
        "llr-2026.4", "local-1", "local-2", "local-1"
    ]  # fmt: skip
    assert store.method.version == "local-1"
    store.close()


def test_the_shipped_version_is_refused_for_other_rules_before_any_is_stored(
    demo_db: Path, tmp_path: Path
) -> None:
    with sqlite3.connect(demo_db) as connection:
        connection.execute("DELETE FROM scoring_method")
    connection.close()
    local = _local(tmp_path, "local-1")
    assert runner.invoke(app, ["method", "set", str(local), "--db", str(demo_db)]).exit_code == 0
    changed = tmp_path / "changed.toml"
    changed.write_text(DEFAULT_TOML.replace("share = 10", "share = 40"))
    refused = runner.invoke(app, ["method", "set", str(changed), "--db", str(demo_db)])
    assert refused.exit_code == 2 and "give the changed file a new `version`" in refused.stderr


def test_an_upgraded_database_is_warned_that_its_results_used_another_method(
    demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A database from the previous release: no method stored, results made with an
    older version. `method show` says so before the first save pins the new one."""
    with sqlite3.connect(demo_db) as connection:
        connection.execute("DELETE FROM scoring_method")
    connection.close()
    _ship(monkeypatch, tmp_path, "llr-2027.1")  # the upgrade ships a newer method
    shown = runner.invoke(app, ["method", "show", "--db", str(demo_db)]).stdout
    assert "warning: the results stored here were scored with llr-2026.4 (" in shown
    assert "the first save will store llr-2027.1" in shown
    assert "an admin sets its file first" in shown


def test_method_show_prints_no_raw_control_character(demo_db: Path, tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.toml"
    hostile.write_text(
        DEFAULT_TOML.replace('version = "llr-2026.4"', 'version = "evil-1"').replace(
            'name = "LLR risk share, default method"',
            'name = "[bold]x[/] \\u001b]0;pwn\\u0007 \\u202eright"',
        )
    )
    assert runner.invoke(app, ["method", "set", str(hostile), "--db", str(demo_db)]).exit_code == 0
    for command in (["method", "show"], ["method", "history"]):
        out = runner.invoke(app, [*command, "--db", str(demo_db)]).stdout
        assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert "\\x1b]0;pwn" in runner.invoke(app, ["method", "show", "--db", str(demo_db)]).stdout
