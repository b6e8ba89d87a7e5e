"""Rescoring a month in one pass (issue 16): the same versions, audit lines and words as
reading the month first and saving it in a second transaction, as rescoring did before."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from resilience.domain import GP_AGE_SPLIT, AssessmentVersion, NewAssessment
from resilience.errors import PermissionDenied, StoreError
from resilience.findings import findings_of
from resilience.store import Store

REASON = "rescored with method llr-2026.4"


def kept_split(store: Store, code: str, period: str) -> dict[str, Any]:
    """The GP age split of the practice's newest version up to ``period`` (not an engine
    input: the two-pass rescoring recorded it as unknown, a bug the one pass fixes)."""
    versions = [v for v in store.assessment_versions(code) if v.period <= period]
    if not versions:
        return {}
    newest = max(versions, key=lambda v: (v.period, v.version))
    return {f: newest.findings.get(f) for f in GP_AGE_SPLIT}


def two_pass(store: Store, period: str) -> list[AssessmentVersion]:
    """How `resilience score --from-db --save` rescored a month before issue 16: read the
    month (one transaction), then save it as a batch (another, reading again); with the
    GP age split kept, as the one pass now keeps it."""
    versions: dict[str, int] = {}
    stored = store.period_inputs(period, versions=versions)
    batch = [
        NewAssessment(
            inputs.ods_code,
            period,
            {**findings_of(inputs), **kept_split(store, inputs.ods_code, period)},
            reason=REASON,
            based_on_version=versions[inputs.ods_code],
            scripted=True,
        )
        for inputs, _ in stored
    ]
    return store.save_assessments(batch, allow_closed=False)


def stored_rows(store: Store) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Every assessment and audit row, without the ids and times a run cannot repeat."""
    with store.engine.connect() as c:
        assessments = [
            {k: v for k, v in row.items() if k not in ("id", "created_at")}
            for row in c.execute(
                text("SELECT * FROM assessment ORDER BY practice_id, period_id, version")
            ).mappings()
        ]
        audit = [
            {k: v for k, v in row.items() if k not in ("id", "at")}
            for row in c.execute(text("SELECT * FROM audit_log ORDER BY id")).mappings()
        ]
    return assessments, audit


def saved_view(saved: list[AssessmentVersion]) -> list[tuple[Any, ...]]:
    return [
        (v.ods_code, v.period, v.version, v.author, v.reason, v.is_correction, v.findings,
         v.result.to_dict())
        for v in saved
    ]  # fmt: skip


def with_a_later_month(store: Store) -> None:
    """2017-04 opened after 2017-03, with a person's review of one practice and a
    script's public-data score of another: the audit's old values then come from it."""
    store.open_period("2017-04")
    march = store.latest_assessment("ZC0001", "2017-03")
    assert march is not None
    store.save_assessment("ZC0001", "2017-04", {**march.findings, "gp_fte": 1.5}, reason="")
    other = store.latest_assessment("ZC0002", "2017-03")
    assert other is not None
    store.save_assessments(
        [NewAssessment("ZC0002", "2017-04", {**other.findings, "list_size": 9000}, scripted=True)]
    )


@pytest.mark.parametrize(
    ("setup", "period"),
    [(None, "2017-03"), (with_a_later_month, "2017-03"), (with_a_later_month, "2017-04")],
    ids=["latest month", "a later month exists", "carried forward and a review"],
)
def test_one_pass_saves_exactly_what_the_two_pass_rescoring_saved(
    demo_db: Path, tmp_path: Path, setup: Any, period: str
) -> None:
    if setup is not None:
        store = Store.open(str(demo_db))
        setup(store)
        store.close()
    copy = tmp_path / "two-pass.db"
    shutil.copyfile(demo_db, copy)
    before, after = Store.open(str(copy)), Store.open(str(demo_db))
    try:
        reference = two_pass(before, period)
        saved = after.rescore_period(period, reason=REASON)
        assert len(saved) == len(reference) == 138
        assert saved_view(saved) == saved_view(reference)
        # the same rows: scores, bands, findings, versions, "scripted", the compact
        # result text (so the same words), and the same audit lines
        assert stored_rows(after) == stored_rows(before)
        # and every version reads back with the sentences it was saved with
        for version in saved[::17]:
            (read,) = after.assessment_versions(version.ods_code, period)[-1:]
            assert read.result.to_dict() == version.result.to_dict()
    finally:
        before.close()
        after.close()


def test_rescored_versions_are_scripted_unless_a_person_reviewed_the_month(
    demo_store: Store,
) -> None:
    with_a_later_month(demo_store)
    demo_store.rescore_period("2017-04", reason=REASON)
    with demo_store.engine.connect() as c:
        marks = dict(
            c.execute(
                text(
                    "SELECT p.ods_code, a.scripted FROM assessment a "
                    "JOIN practice p ON p.id = a.practice_id "
                    "JOIN review_period r ON r.id = a.period_id "
                    "WHERE r.period = '2017-04' AND a.reason = :reason"
                ),
                {"reason": REASON},
            ).all()
        )
    assert len(marks) == 138
    assert not marks["ZC0001"]  # a person reviewed it this month: the rescore keeps it so
    assert marks["ZC0002"] and marks["ZC0003"]
    assert "ZC0001" not in demo_store.unreviewed("2017-04")
    assert "ZC0002" in demo_store.unreviewed("2017-04")


def test_refusals_are_said_in_the_same_order_as_before(
    demo_store: Store, demo_db: Path, act_as: Any
) -> None:
    with pytest.raises(StoreError, match="'2017-3' is not a month"):
        demo_store.rescore_period("2017-3", reason=REASON)
    with pytest.raises(StoreError, match="there is no review period 2019-01"):
        demo_store.rescore_period("2019-01", reason=REASON)
    with pytest.raises(StoreError, match="2017-02 is closed; a change to a closed month"):
        demo_store.rescore_period("2017-02", reason=REASON)
    act_as("somebody")
    viewer = Store.open(str(demo_db))
    try:
        with pytest.raises(StoreError, match="there is no review period 2019-01"):
            viewer.rescore_period("2019-01", reason=REASON)
        with pytest.raises(PermissionDenied, match="saving a review needs an editor"):
            viewer.rescore_period("2017-03", reason=REASON)
    finally:
        viewer.close()
    assert len(demo_store.assessment_versions("ZC0001", "2017-03")) == 1  # nothing saved


def test_an_empty_month_saves_nothing(demo_store: Store) -> None:
    demo_store.open_period("2017-04")
    with demo_store.engine.begin() as c:  # no practice is active in 2017-04 any more
        c.execute(text("UPDATE practice SET status = 'closed', closed_on = '2016-01-01'"))
    assert demo_store.rescore_period("2017-04", reason=REASON) == []


def test_one_pass_rescoring_on_postgresql(postgres_url: str) -> None:
    """The same call on PostgreSQL: the practices are locked FOR UPDATE before the month
    is read, the words are stored in a savepoint, and everything lands in one commit."""
    from resilience.demo import create_demo_database

    store = create_demo_database(postgres_url)
    try:
        before = store.period_results("2017-03")
        saved = store.rescore_period("2017-03", reason=REASON)
        assert len(saved) == 138 and {v.version for v in saved} == {2}
        after = store.period_results("2017-03")
        assert {code: r.score for code, r in after.items()} == {
            code: r.score for code, r in before.items()
        }
        for version in saved[::23]:
            assert after[version.ods_code].to_dict() == version.result.to_dict()
        with pytest.raises(StoreError, match="2017-02 is closed"):
            store.rescore_period("2017-02", reason=REASON)
    finally:
        store.close()


def test_rescoring_keeps_the_gp_age_split(demo_db: Path) -> None:
    """The split (55-59, 60+) is not an engine input; a rescored version keeps it as
    recorded instead of writing it as unknown with two audit lines a practice."""
    store = Store.open(str(demo_db))
    try:
        period = store.periods()[-1].period
        before = {
            v.ods_code: {f: v.findings.get(f) for f in GP_AGE_SPLIT}
            for v in (store.latest_assessment(code, period) for code in ("ZC0001", "ZE0001"))
            if v is not None
        }
        assert before and all(None not in split.values() for split in before.values())
        store.rescore_period(period, reason=REASON)
        for code, split in before.items():
            after = store.latest_assessment(code, period)
            assert after is not None and after.reason == REASON
            assert {f: after.findings.get(f) for f in GP_AGE_SPLIT} == split
        with store.engine.connect() as c:
            lines = c.execute(
                text(
                    "SELECT count(*) FROM audit_log WHERE entity_id LIKE :month "
                    "AND field IN ('gp_aged_55_59', 'gp_aged_60_plus')"
                ),
                {"month": f"%/{period}/%"},
            ).scalar()
        assert lines == 0  # the split did not "change" to unknown
    finally:
        store.close()


def test_a_nightly_rescore_adds_no_version_when_nothing_changed(public_db: Path) -> None:
    """A cron job rescoring every night must not pile up identical versions: the second
    run saves nothing new but still prints every practice's score."""
    from typer.testing import CliRunner

    from resilience.cli import app

    runner = CliRunner()
    args = ["score", "--from-db", "--save", "--period", "2021-01", "--db", str(public_db)]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    printed = first.stdout.count("\n")
    saved = int(first.stderr.split("saved ")[1].split(" new")[0])
    assert saved > 0
    second = runner.invoke(app, args)
    assert second.exit_code == 0, second.output
    assert "saved 0 new version(s) for 2021-01" in second.stderr
    assert f"({saved} unchanged since this month's current version" in second.stderr
    assert second.stdout == first.stdout and second.stdout.count("\n") == printed
    store = Store.open(str(public_db))
    try:
        latest = [store.latest_assessment(c, "2021-01") for c in store.unreviewed("2021-01")]
    finally:
        store.close()
    assert {v.version for v in latest if v is not None} == {1}
