"""Item 3: `--user NAME` works only for an account an admin named as a delegate of NAME
(a cron job's service account), never to act as an admin; the audit log records both the
real account and the name acted as. `users allow-user on` no longer lets anyone be anyone."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from resilience.cli import app
from resilience.store import PermissionDenied, Store, StoreError

runner = CliRunner()
SCORES = "ods_code,cqc_overall,list_size,gp_fte\nZC0007,inadequate,12463,5.0\n"


def _score_as(db: Path, name: str):  # type: ignore[no-untyped-def]
    args = ["score", "-", "--save", "--period", "2017-04", "--db", str(db), "--user", name]
    return runner.invoke(app, args, input=SCORES)


def test_allow_user_on_no_longer_lets_anyone_act_as_an_admin(
    demo_db: Path, act_as: Callable[[str | None], None]
) -> None:
    admin = Store.open(str(demo_db))
    runner.invoke(app, ["users", "allow-user", "on", "--db", str(demo_db)])
    act_as("mallory")
    result = runner.invoke(
        app, ["users", "role", "mallory", "admin", "--db", str(demo_db), "--user", admin.user]
    )
    assert result.exit_code == 2
    with pytest.raises(PermissionDenied, match="may not act as"):
        Store.open(str(demo_db), user=admin.user)
    assert [p.username for p in admin.people() if p.role == "admin"] == [admin.user]


def test_a_delegate_acts_for_the_named_people_only_and_is_audited(
    demo_db: Path, act_as: Callable[[str | None], None]
) -> None:
    admin = Store.open(str(demo_db))
    admin.set_role("analyst", "editor")
    delegated = runner.invoke(
        app, ["users", "delegate", "cron-svc", "analyst", "--db", str(demo_db)]
    )
    assert delegated.exit_code == 0, delegated.output
    assert "cron-svc may act as: analyst." in delegated.output

    act_as("cron-svc")
    saved = _score_as(demo_db, "analyst")
    assert saved.exit_code == 0, saved.output
    latest = admin.latest_assessment("ZC0007", "2017-04")
    assert latest is not None and latest.author == "analyst"
    lines = [e for e in admin.audit_entries() if e["actor"] == "analyst"]
    assert lines and all(e["account"] == "cron-svc" for e in lines)  # both names kept

    refused = _score_as(demo_db, "someone-else")  # not named as its delegate
    assert refused.exit_code == 2 and "resilience users delegate cron-svc someone-else" in (
        refused.output
    )


def test_nobody_acts_as_an_admin(demo_db: Path, act_as: Callable[[str | None], None]) -> None:
    admin = Store.open(str(demo_db))
    with pytest.raises(StoreError, match="nobody may act as an admin"):
        admin.set_delegates("cron-svc", [admin.user])
    admin.set_role("analyst", "editor")
    admin.set_delegates("cron-svc", ["analyst"])
    admin.set_role("analyst", "admin")  # promoted later: the delegation no longer works
    act_as("cron-svc")
    with pytest.raises(PermissionDenied, match="analyst is an admin"):
        Store.open(str(demo_db), user="analyst")
    act_as("analyst-impostor")
    with pytest.raises(PermissionDenied):
        Store.open(str(demo_db), user="analyst")


def test_only_an_admin_names_delegates(demo_db: Path, act_as: Callable[[str | None], None]) -> None:
    Store.open(str(demo_db)).set_role("ed", "editor")
    act_as("ed")
    result = runner.invoke(app, ["users", "delegate", "ed", "analyst", "--db", str(demo_db)])
    assert result.exit_code == 2 and "ed is an editor" in result.output
    assert "needs an admin;" in result.output  # nothing is above an admin


def test_delegation_on_postgres(postgres_url: str) -> None:
    admin = Store.open(postgres_url)  # the session user created it: admin
    admin.set_role("analyst", "editor")
    with pytest.raises(PermissionDenied, match="may not act as"):
        Store.open(postgres_url, user="analyst")
    admin.set_role("boss", "editor")
    admin.set_delegates(admin.account, ["analyst", "boss"])
    admin.set_role("boss", "admin")
    with pytest.raises(PermissionDenied, match="boss is an admin"):
        Store.open(postgres_url, user="boss")
    acting = Store.open(postgres_url, user="analyst")
    with pytest.raises(PermissionDenied):  # an editor may not change roles
        acting.set_role("analyst", "admin")
    acting.record_export("export", "a test")
    line = acting.audit_entries("export")[0]
    assert (line["actor"], line["account"]) == ("analyst", admin.account)
    acting.close()
    admin.close()
