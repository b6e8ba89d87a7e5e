"""People and roles: the first user is admin, viewers cannot change anything, only the
roles granted it read confidential intelligence, and every change of role is audited."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from resilience.app import ResilienceApp
from resilience.cli import app as cli
from resilience.errors import current_user
from resilience.store import PermissionDenied, Store, StoreError
from screens.review import ReviewScreen
from tests.pilot import settle, text_of

runner = CliRunner()


def test_the_first_person_to_open_a_new_database_is_its_admin(tmp_path: Path) -> None:
    store = Store.open(str(tmp_path / "new.db"), create=True)
    assert store.role == "admin"
    assert [(p.username, p.role) for p in store.people()] == [(current_user(), "admin")]
    entry = store.audit_entries("person")[0]
    assert entry["action"] == "role" and entry["new_value"] == "admin (created the database)"


def test_someone_not_registered_is_a_viewer_and_cannot_save(
    demo_store: Store, demo_db: Path, act_as
):  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied, match="resilience users delegate"):
        Store.open(str(demo_db), user="visitor")  # --user is only for delegates
    act_as("visitor")
    visitor = Store.open(str(demo_db))
    assert visitor.role == "viewer"
    context = visitor.review_context("ZE0005", "2017-03")
    with pytest.raises(PermissionDenied, match="visitor is a viewer: saving a review needs"):
        visitor.save_assessment("ZE0005", "2017-03", context.findings, reason="try")
    with pytest.raises(PermissionDenied):
        visitor.set_role("visitor", "admin")
    demo_store.set_role("visitor", "editor")
    editor = Store.open(str(demo_db))
    saved = editor.save_assessment(
        "ZE0005", "2017-03", context.findings, reason="now I may", based_on_version=1
    )
    assert saved.author == "visitor" and saved.version == 2


def test_confidential_text_follows_the_granted_roles(
    demo_store: Store, demo_db: Path, act_as
) -> None:  # type: ignore[no-untyped-def]
    demo_store.set_role("ed", "editor")
    act_as("ed")
    editor = Store.open(str(demo_db))
    masked = [e for e in editor.soft_intel("ZC0031") if e.confidential]
    assert masked and all(e.masked and "visible only" in e.text for e in masked)
    entry = masked[0]
    with pytest.raises(PermissionDenied, match="confidential"):
        editor.update_soft_intel(entry.id, {"severity": 1})
    demo_store.set_confidential_roles(["editor"])
    assert demo_store.confidential_roles() == ("editor", "admin")
    editor = Store.open(str(demo_db))
    shown = [e for e in editor.soft_intel("ZC0031") if e.confidential]
    assert shown and not any(e.masked for e in shown)
    views = [e for e in demo_store.audit_entries("soft_intel") if e["actor"] == "ed"]
    assert [v["action"] for v in views] == ["view_confidential"]


def test_role_changes_are_audited_and_the_last_admin_stays(demo_store: Store) -> None:
    demo_store.set_role("ed", "editor")
    demo_store.set_role("ed", "viewer")
    changes = [
        (e["old_value"], e["new_value"])
        for e in demo_store.audit_entries("person")
        if e["entity_id"] == "ed"
    ]
    assert changes == [("editor", "viewer"), (None, "editor")]  # newest first
    with pytest.raises(StoreError, match="only admin"):
        demo_store.set_role(current_user(), "viewer")
    with pytest.raises(StoreError, match="role is one of"):
        demo_store.set_role("ed", "chief")


def test_users_command_lists_adds_and_changes_roles(demo_db: Path) -> None:
    db = ["--db", str(demo_db)]
    result = runner.invoke(cli, ["users", "add", "jo", "--role", "viewer", *db])
    assert result.exit_code == 0, result.output
    assert runner.invoke(cli, ["users", "role", "jo", "editor", *db]).exit_code == 0
    assert runner.invoke(cli, ["users", "confidential", "editor,admin", *db]).exit_code == 0
    listing = runner.invoke(cli, ["users", *db])
    assert listing.exit_code == 0
    assert "jo" in listing.output and "editor" in listing.output
    assert "Confidential soft intelligence: editor, admin." in listing.output
    bad = runner.invoke(cli, ["users", "role", "jo", "boss", *db])
    assert bad.exit_code == 2 and "role is one of viewer, editor, admin" in bad.output


async def test_a_viewer_sees_the_review_read_only(demo_db: Path, act_as) -> None:  # type: ignore[no-untyped-def]
    admin = Store.open(str(demo_db))
    act_as("visitor")
    app = ResilienceApp(store=Store.open(str(demo_db)))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"ze0005", "enter", "enter")
        await settle(pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        assert "READ-ONLY: viewer role" in text_of(review, "#practice-line")
        assert review.query_one("#f-list_size").disabled
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is review  # no reason prompt: nothing to save
    assert len(admin.assessment_versions("ZE0005", "2017-03")) == 1
