"""Refusals name roles with the right article: "an editor", "an admin", "a viewer"."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from resilience.cli import app
from resilience.roles import a_role, needs
from resilience.store import PermissionDenied, Store

runner = CliRunner()


def test_roles_take_their_article() -> None:
    assert [a_role(r) for r in ("viewer", "editor", "admin")] == [
        "a viewer",
        "an editor",
        "an admin",
    ]
    assert needs("editor") == "an editor or above" and needs("admin") == "an admin"


def test_an_editor_refused_an_admin_task_reads_as_english(
    demo_db: Path, act_as: Callable[[str | None], None]
) -> None:
    Store.open(str(demo_db)).set_role("ed", "editor")
    act_as("ed")
    result = runner.invoke(app, ["users", "role", "someone", "viewer", "--db", str(demo_db)])
    assert result.exit_code == 2
    assert "ed is an editor: changing roles needs an admin;" in result.stderr
    assert "a editor" not in result.output and "an admin or above" not in result.output


def test_a_viewer_refused_a_save_reads_as_english(
    demo_db: Path, act_as: Callable[[str | None], None]
) -> None:
    act_as("visitor")
    visitor = Store.open(str(demo_db))
    context = visitor.review_context("ZE0005", "2017-03")
    with pytest.raises(PermissionDenied) as refused:
        visitor.save_assessment("ZE0005", "2017-03", context.findings, reason="try")
    assert "visitor is a viewer: saving a review needs an editor or above" in str(refused.value)
