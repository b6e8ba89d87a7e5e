"""Explanations as saved: compact since issue 16, every sentence the same wherever a
saved result is shown; results saved in the full format before still read as they were."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from resilience.store import Store, StoreError
from tests.test_store import GOOD, small_register

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TOML = (ROOT / "scoring" / "methodology" / "default.toml").read_text()
WORRYING = {**GOOD, "cqc_overall": "inadequate", "gp_fte": 1.2, "qof_achievement_pct": None}


@pytest.fixture
def store(database_url: str) -> Store:
    s = Store.open(database_url, create=True)
    small_register(s)
    s.open_period("2016-04", actor="tester")
    return s


def sentences(result: Any) -> list[tuple[str, str, str, float]]:
    return [(c.rule_id, c.summary, c.sentence, c.points) for c in result.contributions]


def stored_text(store: Store, ods_code: str, version: int) -> str:
    with store.engine.connect() as c:
        return c.execute(
            text(
                "SELECT result_json FROM assessment a JOIN practice p ON p.id = a.practice_id "
                "WHERE p.ods_code = :code AND a.version = :version"
            ),
            {"code": ods_code, "version": version},
        ).scalar_one()


def test_a_saved_explanation_reads_the_same_everywhere(store: Store) -> None:
    saved = store.save_assessment("ZT0001", "2016-04", WORRYING)
    assert json.loads(stored_text(store, "ZT0001", 1))["format"] == 2  # stored compactly
    expected = saved.result.to_dict()
    assert len(expected["contributions"]) > 3
    latest = store.latest_assessment("ZT0001", "2016-04")
    assert latest is not None and latest.result.to_dict() == expected
    assert store.assessment_versions("ZT0001")[0].result.to_dict() == expected
    assert store.period_results("2016-04")["ZT0001"].to_dict() == expected
    (item,) = [i for i in store.period_snapshot("2016-04") if i["ods_code"] == "ZT0001"]
    assert item["result"].to_dict() == expected


def test_the_words_are_kept_once_per_method(store: Store, tmp_path: Path) -> None:
    store.save_assessment("ZT0001", "2016-04", GOOD)
    store.save_assessment("ZT0002", "2016-04", WORRYING)
    store.save_assessment("ZT0001", "2016-04", WORRYING, reason="new figures")
    with store.engine.connect() as c:
        assert c.execute(text("SELECT count(*) FROM explanation_words")).scalar() == 1
    before = store.latest_assessment("ZT0002", "2016-04")
    assert before is not None
    reworded = DEFAULT_TOML.replace('version = "llr-2026.4"', 'version = "reworded-1"').replace(
        "patients per full-time-equivalent GP", "patients for each full-time GP"
    )
    store.set_method(reworded, "reworded.toml")
    after = store.save_assessment("ZT0002", "2016-04", WORRYING, reason="new method")
    with store.engine.connect() as c:
        assert c.execute(text("SELECT count(*) FROM explanation_words")).scalar() == 2
    old, new = store.assessment_versions("ZT0002")
    # each version keeps the words of the method it was scored with
    assert sentences(old.result) == sentences(before.result)
    assert sentences(new.result) == sentences(after.result)
    w1_old = [c.sentence for c in old.result.contributions if c.rule_id == "W1"]
    w1_new = [c.sentence for c in new.result.contributions if c.rule_id == "W1"]
    assert w1_old == ["6,667 patients per full-time-equivalent GP."]  # 8,000 on 1.2 GPs
    assert w1_new == ["6,667 patients for each full-time GP."]


def test_a_result_saved_in_the_full_format_still_reads(store: Store) -> None:
    """A version saved before issue 16 carries every sentence (ScoreResult.to_dict): it
    is shown exactly as saved, next to newer compact versions."""
    saved = store.save_assessment("ZT0001", "2016-04", WORRYING)
    full = json.dumps(saved.result.to_dict(), separators=(",", ":"))
    # an older release's row: the same findings and score, the result in full
    with store.engine.begin() as c:
        c.execute(
            text(
                "INSERT INTO assessment (practice_id, period_id, version, author, created_at, "
                "reason, is_correction, scripted, methodology_version, score, band, "
                "quality_band, contract_band, workforce_band, soft_intelligence_band, "
                "sustainability_band, trend, summary, data_completeness, result_json) "
                "SELECT practice_id, period_id, 2, author, created_at, 'old release', "
                "is_correction, scripted, methodology_version, score, band, quality_band, "
                "contract_band, workforce_band, soft_intelligence_band, sustainability_band, "
                "trend, summary, data_completeness, :full FROM assessment WHERE version = 1"
            ),
            {"full": full},
        )
    assert not stored_text(store, "ZT0001", 2).startswith('{"format"')
    compact, old = store.assessment_versions("ZT0001")
    assert old.version == 2 and old.reason == "old release"
    assert old.result.to_dict() == compact.result.to_dict() == saved.result.to_dict()
    assert store.period_results("2016-04")["ZT0001"].to_dict() == saved.result.to_dict()
    (item,) = [i for i in store.period_snapshot("2016-04") if i["ods_code"] == "ZT0001"]
    assert sentences(item["result"]) == sentences(saved.result)


def test_words_the_database_does_not_hold_are_said_in_words(store: Store) -> None:
    store.save_assessment("ZT0001", "2016-04", WORRYING)
    data = json.loads(stored_text(store, "ZT0001", 1))
    data["words"] = "0" * 64
    with store.engine.begin() as c:
        c.execute(
            text(
                "INSERT INTO assessment (practice_id, period_id, version, author, created_at, "
                "reason, is_correction, scripted, methodology_version, score, band, "
                "quality_band, contract_band, workforce_band, soft_intelligence_band, "
                "sustainability_band, trend, summary, data_completeness, result_json) "
                "SELECT practice_id, period_id, 2, author, created_at, reason, is_correction, "
                "scripted, methodology_version, score, band, quality_band, contract_band, "
                "workforce_band, soft_intelligence_band, sustainability_band, trend, summary, "
                "data_completeness, :json FROM assessment WHERE version = 1"
            ),
            {"json": json.dumps(data)},
        )
    with pytest.raises(StoreError, match="names words 000000000000 that this database"):
        store.assessment_versions("ZT0001")


def test_the_export_shows_the_saved_sentences(demo_db: Path) -> None:
    """The demo's versions were saved compactly: `resilience export --format json` gives
    each practice's explanation as the engine wrote it when it was saved."""
    from typer.testing import CliRunner

    from resilience.cli import app

    store = Store.open(str(demo_db))
    try:
        saved = store.save_assessment("ZC0001", "2017-03", WORRYING, reason="worse")
    finally:
        store.close()
    exported = CliRunner().invoke(
        app, ["export", "--period", "2017-03", "--format", "json", "--db", str(demo_db)]
    )
    assert exported.exit_code == 0, exported.output
    practices = {p["ods_code"]: p for p in json.loads(exported.stdout)["practices"]}
    assert practices["ZC0001"]["explanation"] == saved.result.to_dict()["contributions"]


def test_rows_inserted_as_tuples_are_the_rows_sqlalchemy_would_insert(store: Store) -> None:
    """Saves hand their rows to the driver as tuples (store.saving.insert_rows): every
    column, dates, booleans and floats included, holds what SQLAlchemy's own insert
    stores."""
    from datetime import UTC, datetime

    from sqlalchemy import insert

    from resilience.models import AuditLog
    from resilience.store.saving import insert_rows

    table = AuditLog.__table__  # type: ignore[attr-defined]
    row = {
        "at": datetime(2026, 12, 1, 18, 30, 5, 123456, tzinfo=UTC),
        "actor": "tester",
        "action": "change",
        "entity": "assessment",
        "entity_id": "ZT0001/2016-04/v1",
        "field": "gp_fte",
        "old_value": None,
        "new_value": "it's 50% 'quoted' %s",
        "account": "tester",
    }
    with store.engine.begin() as c:
        c.execute(insert(table), [{**row, "entity": "ordinary"}])
        insert_rows(c, table, [{**row, "entity": "tuples"}])
    with store.engine.connect() as c:
        ordinary, tuples = (
            {k: v for k, v in r.items() if k not in ("id", "entity")}
            for r in c.execute(
                text(
                    "SELECT * FROM audit_log WHERE entity IN ('ordinary', 'tuples') ORDER BY entity"
                )
            ).mappings()
        )
    assert tuples == ordinary
    assert tuples["new_value"] == "it's 50% 'quoted' %s"
    saved = store.save_assessment("ZT0001", "2016-04", WORRYING)
    (row_read,) = store.assessment_versions("ZT0001")
    assert row_read.findings == saved.findings and row_read.created_at == saved.created_at
    # and a whole saved version, dates, booleans and floats of the findings included
    from sqlalchemy import select as sa_select

    from resilience.models import Assessment

    assessments = Assessment.__table__  # type: ignore[attr-defined]
    with store.engine.connect() as c:
        version = dict(c.execute(sa_select(assessments)).mappings().one())
    assert version["cqc_last_inspection"] is not None and version["gp_fte"] == 1.2
    del version["id"]
    with store.engine.begin() as c:
        c.execute(insert(assessments), [{**version, "version": 7}])
        insert_rows(c, assessments, [{**version, "version": 8}])
    with store.engine.connect() as c:
        seven, eight = (
            {k: v for k, v in r.items() if k not in ("id", "version")}
            for r in c.execute(
                text("SELECT * FROM assessment WHERE version IN (7, 8) ORDER BY version")
            ).mappings()
        )
    assert eight == seven
