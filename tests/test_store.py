"""Store round trips on a real SQLite file and a real PostgreSQL database: what is saved
is what comes back."""

from __future__ import annotations

from datetime import date

import pytest

from resilience.domain import DERIVED_FINDINGS
from resilience.store import Store, StoreError
from tests.scoring_cases import CLEAN

# Clean findings as a reviewer records them: the engine's inputs without the identity
# fields and the soft-intelligence summary (the store derives it from the log), plus the
# GP age split.
GOOD = {
    **{
        k: v
        for k, v in CLEAN.items()
        if k not in ("ods_code", "period", "gp_aged_55_plus", *DERIVED_FINDINGS)
    },
    "gp_aged_55_59": 1,
    "gp_aged_60_plus": 0,
}


def small_register(store: Store) -> None:
    store.load_register(
        [
            {"code": "QK1", "name": "Test ICB", "kind": "icb"},
            {
                "code": "T01",
                "name": "Test sub-ICB",
                "short_name": "T1",
                "kind": "sub_icb",
                "parent": "QK1",
            },
        ],
        [{"name": "North", "commissioner": "T01", "kind": "pcn"}],
        [{"name": "Test Federation", "commissioner": "T01"}],
        [
            {
                "ods_code": "ZT0001",
                "name": "Test One Surgery",
                "commissioner": "T01",
                "locality": "North",
                "federation": "Test Federation",
                "contract_type": "GMS",
                "clinical_system": "EMIS Web",
                "list_size": 8000,
            },
            {
                "ods_code": "ZT0002",
                "name": "Test Two Surgery",
                "commissioner": "T01",
                "contract_type": "APMS",
                "list_size": 3000,
            },
        ],
        actor="tester",
    )


@pytest.fixture
def store(database_url: str) -> Store:
    s = Store.open(database_url, create=True)
    small_register(s)
    s.open_period("2016-04", actor="tester")
    return s


def test_practices_round_trip_with_hierarchy(store: Store) -> None:
    rows = {r.ods_code: r for r in store.list_practices()}
    assert set(rows) == {"ZT0001", "ZT0002"}
    one = rows["ZT0001"]
    assert (one.commissioner_code, one.locality, one.federation) == (
        "T01",
        "North",
        "Test Federation",
    )
    assert rows["ZT0002"].locality == "" and rows["ZT0002"].gp_fte is None


def test_saved_findings_come_back_identical_after_reopening_the_file(
    store: Store, database_url: str
) -> None:
    saved = store.save_assessment("ZT0001", "2016-04", GOOD, actor="alice")
    store.close()
    reopened = Store.open(database_url)
    latest = reopened.latest_assessment("ZT0001", "2016-04")
    assert latest is not None
    assert latest.version == 1 and latest.author == "alice"
    for field, value in GOOD.items():
        assert latest.findings[field] == value, field
    assert latest.findings["gp_aged_55_plus"] == 1  # derived from the age split
    assert latest.result.score == saved.result.score
    assert latest.result.band == saved.result.band
    assert [c.rule_id for c in latest.result.contributions] == [
        c.rule_id for c in saved.result.contributions
    ]
    row = next(r for r in reopened.list_practices() if r.ods_code == "ZT0001")
    assert (row.gp_fte, row.nurse_fte, row.gp_headcount) == (5.0, 2.5, 6)


def test_a_change_is_a_new_version_and_needs_a_reason(store: Store) -> None:
    store.save_assessment("ZT0001", "2016-04", GOOD, actor="alice")
    worse = {**GOOD, "cqc_overall": "inadequate"}
    with pytest.raises(StoreError, match="give a reason"):
        store.save_assessment("ZT0001", "2016-04", worse, actor="bob")
    second = store.save_assessment(
        "ZT0001", "2016-04", worse, actor="bob", reason="CQC report published"
    )
    versions = store.assessment_versions("ZT0001", "2016-04")
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].findings["cqc_overall"] == "good"  # version 1 untouched
    assert second.result.score > versions[0].result.score
    changes = [e for e in store.audit_entries("assessment") if e["field"] == "cqc_overall"]
    assert changes and changes[0]["old_value"] == "good"
    assert changes[0]["new_value"] == "inadequate" and changes[0]["actor"] == "bob"


def test_a_save_naming_a_stale_version_is_refused(store: Store) -> None:
    store.save_assessment("ZT0001", "2016-04", GOOD, actor="alice")
    store.save_assessment(
        "ZT0001", "2016-04", GOOD, actor="bob", reason="recheck", based_on_version=1
    )
    with pytest.raises(StoreError, match="someone saved version 2"):
        store.save_assessment(
            "ZT0001", "2016-04", GOOD, actor="alice", reason="mine", based_on_version=1
        )


def test_bad_findings_are_refused_and_nothing_is_written(store: Store) -> None:
    with pytest.raises(StoreError, match="unknown finding"):
        store.save_assessment("ZT0001", "2016-04", {**GOOD, "cqc_rating": "good"})
    with pytest.raises(StoreError, match="cqc_overall"):
        store.save_assessment("ZT0001", "2016-04", {**GOOD, "cqc_overall": "excellent"})
    with pytest.raises(StoreError, match="gp_aged_55_plus"):
        store.save_assessment("ZT0001", "2016-04", {**GOOD, "gp_aged_55_plus": 3})
    with pytest.raises(StoreError, match="no practice with ODS code ZZ9999"):
        store.save_assessment("ZZ9999", "2016-04", GOOD)
    with pytest.raises(StoreError, match="no review period 2016-05"):
        store.save_assessment("ZT0001", "2016-05", GOOD)
    assert store.assessment_versions("ZT0001") == []


def test_a_batch_is_all_or_nothing(store: Store) -> None:
    from resilience.domain import NewAssessment

    with pytest.raises(StoreError):
        store.save_assessments(
            [
                NewAssessment("ZT0001", "2016-04", GOOD),
                NewAssessment("ZT0002", "2016-04", {**GOOD, "list_size": -5}),
            ]
        )
    assert store.assessment_versions("ZT0001") == []


def test_closed_month_refuses_ordinary_saves(store: Store) -> None:
    store.save_assessment("ZT0001", "2016-04", GOOD)
    closed = store.close_period("2016-04", actor="chair")
    assert closed.is_closed and closed.closed_by == "chair"
    with pytest.raises(StoreError, match="closed"):
        store.save_assessment("ZT0001", "2016-04", GOOD, reason="late change")


def test_missing_figures_never_lower_the_stored_score(store: Store) -> None:
    full = store.save_assessment("ZT0001", "2016-04", GOOD)
    gappy = {**GOOD, "gp_fte": None, "qof_achievement_pct": None}
    partial = store.save_assessment("ZT0001", "2016-04", gappy, reason="figures missing")
    assert partial.result.score >= full.result.score
    assert {"gp_fte", "qof_achievement_pct"} <= set(partial.result.unknown_inputs)
    assert partial.result.data_completeness < full.result.data_completeness


def test_soft_intelligence_feeds_the_score_and_trend_uses_history(store: Store) -> None:
    store.save_assessment("ZT0001", "2016-04", GOOD)
    store.open_period("2016-05")
    store.add_soft_intel(
        "ZT0001",
        received_on=date(2016, 5, 3),
        source="staff_whistleblower",
        category="leadership",
        severity=4,
        confidence="high",
        corroborated=True,
        whistleblowing=True,
        confidential=True,
        text="Staff member (name withheld) reports unsafe staffing.",
        actor="carol",
    )
    may = store.save_assessment("ZT0001", "2016-05", GOOD)
    assert may.findings["whistleblowing_corroborated"] is True
    assert may.result.area("soft_intelligence").band in ("High", "Extreme")
    assert may.result.trend == "deteriorating"
    audit = store.audit_entries("soft_intel")[0]
    assert "unsafe staffing" not in (audit["new_value"] or "")  # no confidential text
    entries = store.soft_intel("ZT0001")
    assert entries[0].confidential and entries[0].recorded_by == "carol"


def test_cohort_applications_and_decisions_round_trip(store: Store) -> None:
    store.create_cohort("Cohort A", 1, 1, quotas={"T01": (1, 1)}, assessment_period="2016-04")
    with pytest.raises(StoreError, match="already exists"):
        store.create_cohort("Cohort A", 1, 1)
    store.add_applications(
        "Cohort A",
        [
            {
                "ods_code": "ZT0001",
                "route": "self_referral",
                "outcome": "supported",
                "rationale": "highest need",
                "support_items": ["workforce"],
            },
            {"ods_code": "ZT0002", "route": "commissioner"},
        ],
    )
    assert store.cohort_outcomes("Cohort A") == [
        ("ZT0001", "T01", "supported"),
        ("ZT0002", "T01", None),
    ]


def test_a_correction_to_a_closed_month_is_a_marked_new_version(store: Store) -> None:
    store.save_assessment("ZT0001", "2016-04", GOOD, actor="alice")
    store.close_period("2016-04")
    with pytest.raises(StoreError, match="needs a reason"):
        store.save_assessment("ZT0001", "2016-04", GOOD, correction=True)
    fixed = store.save_assessment(
        "ZT0001",
        "2016-04",
        {**GOOD, "list_size": 8100},
        reason="list size mistyped",
        correction=True,
        actor="bob",
    )
    assert fixed.version == 2 and fixed.is_correction
    assert store.assessment_versions("ZT0001", "2016-04")[0].findings["list_size"] == 8000
    assert store.unreviewed("2016-04") == ["ZT0002"]


def test_one_practice_without_reading_the_register(store: Store) -> None:
    store.save_assessment("ZT0002", "2016-04", GOOD)
    row = store.practice("ZT0002")
    assert (row.ods_code, row.gp_fte, row.latest_period) == ("ZT0002", 5.0, "2016-04")
    with pytest.raises(StoreError, match="no practice with ODS code ZZ0000"):
        store.practice("ZZ0000")
