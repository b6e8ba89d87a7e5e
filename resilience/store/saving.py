"""Saving scored versions: the part every save shares, inside its write transaction.

``save_batch`` scores each new version with what the caller read in the same
transaction (``Known``), checks it may be saved (the version it was based on is still
the current one; a closed month's correction, or a new version over a person's review,
says why), and inserts the versions and their audit lines with plain multi-row inserts.
``AssessmentRepository.save_assessments`` reads what it needs for any batch;
``RescoringRepository.rescore_period`` hands over what it read for the whole month.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, insert
from sqlmodel import Session

from resilience.domain import STORED_FINDINGS, AssessmentVersion, NewAssessment
from resilience.errors import ConflictError, StoreError
from resilience.findings import clean_findings, to_inputs
from resilience.models import Assessment, AuditLog, ReviewPeriod
from resilience.store.database import Database
from resilience.store.explanations import result_text, saving_words
from resilience.store.rows import now, text_of
from scoring import (
    HistoryPoint,
    PracticeInputs,
    ScoreResult,
    SoftIntelItem,
    score,
    summarise_soft_intel,
)


@dataclass(frozen=True, slots=True)
class Known:
    """What a save read before scoring, in its write transaction: each practice's
    register context, recent history, current versions, the months a person reviewed,
    soft intelligence and latest findings (the audit's old values). The save updates
    ``history``, ``versions`` and ``previous_findings`` as it goes."""

    contexts: dict[int, dict[str, Any]]
    history: dict[int, list[HistoryPoint]]
    versions: dict[tuple[int, str], int]
    reviewed: set[tuple[int, str]]
    entries: dict[int, list[SoftIntelItem]]
    previous_findings: dict[int, dict[str, Any]]
    # practices whose soft intelligence a script counts as unknown (queries.soft_intel_unknown)
    soft_unknown: set[int] = field(default_factory=set)
    # with ``skip_unchanged`` (a rescoring from cron): practices left as they were because
    # the new version would repeat this month's current one; their results, for output
    unchanged: list[ScoreResult] | None = None


def save_batch(
    db: Database,
    s: Session,
    batch: Sequence[tuple[NewAssessment, PracticeInputs | None]],
    ids: dict[str, int],
    period_rows: dict[str, ReviewPeriod],
    known: Known,
    actor: str,
    saved_at: datetime | None = None,
) -> list[AssessmentVersion]:
    """Score and insert each new version with its audit lines, in the open write
    transaction ``s`` (``ids``: ODS code -> practice id). An item may come with the
    engine inputs its findings were read as in this transaction (a rescoring): they are
    what validating those findings again would give, so they are scored as they are."""
    history, versions, reviewed = known.history, known.versions, known.reviewed
    entries, contexts = known.entries, known.contexts
    previous_findings = known.previous_findings
    words, words_sha = saving_words(s, db.method)
    saved: list[AssessmentVersion] = []
    assessment_rows: list[dict[str, Any]] = []
    audit_rows: list[dict[str, Any]] = []
    for item, read_inputs in batch:
        pid = ids[item.ods_code]
        month_row = period_rows[item.period]
        current = versions.get((pid, item.period), 0)
        if item.based_on_version is not None and item.based_on_version != current:
            raise ConflictError(item.ods_code, item.period, item.based_on_version, current)
        if month_row.status == "closed" and not item.reason.strip():
            raise StoreError(
                f"{item.period} is closed: a correction needs a reason saying what was wrong"
            )
        # a new version over a person's review says why; the first review over a
        # script's public-data score needs no reason
        if current and (pid, item.period) in reviewed and not item.reason.strip():
            raise StoreError(
                f"{item.ods_code} {item.period} already has version {current}; "
                "give a reason for the new version"
            )
        findings = clean_findings(item.ods_code, item.findings)
        # a script saving a practice nobody has reviewed, with nothing in its log, keeps
        # soft intelligence unknown, as the triage does (the summary fields stay empty)
        soft_unknown = item.scripted and pid in known.soft_unknown
        summary = summarise_soft_intel(
            () if soft_unknown else entries.get(pid, ()), item.period, db.method
        )
        findings.update(dict.fromkeys(summary) if soft_unknown else summary)
        if read_inputs is not None:
            inputs = read_inputs
        else:
            inputs = to_inputs(
                item.ods_code,
                item.period,
                findings,
                None if soft_unknown else entries.get(pid, ()),
                contexts.get(pid),
            )
        earlier = [h for h in history.get(pid, []) if h.period < item.period]
        result = score(inputs, db.method, earlier)
        if (
            known.unchanged is not None
            and current
            and _repeats(previous_findings.get(pid, {}), item.period, findings, result)
        ):
            known.unchanged.append(result)
            continue
        version = current + 1
        row = dict(
            practice_id=pid,
            period_id=month_row.id,
            version=version,
            author=actor,
            created_at=saved_at or now(),
            reason=item.reason.strip(),
            is_correction=month_row.status == "closed",
            scripted=item.scripted and (pid, item.period) not in reviewed,
            methodology_version=result.methodology_version,
            score=result.score,
            band=result.band,
            trend=result.trend,
            summary=result.summary,
            data_completeness=result.data_completeness,
            result_json=result_text(result, words, words_sha),
            **{f"{a.area}_band": a.band for a in result.areas},
            **findings,
        )
        assessment_rows.append(row)
        before = previous_findings.get(pid, {})
        entity_id = f"{item.ods_code}/{item.period}/v{version}"
        line = {"at": row["created_at"], "actor": actor, "entity": "assessment"}
        audit_rows.append(
            {
                **line,
                "action": "save",
                "entity_id": entity_id,
                "field": "score",
                "old_value": text_of(before.get("_score")),
                "new_value": f"{result.score} {result.band}",
            }
        )
        for name in STORED_FINDINGS:
            if before and before.get(name) != findings.get(name):
                audit_rows.append(
                    {
                        **line,
                        "action": "change",
                        "entity_id": entity_id,
                        "field": name,
                        "old_value": text_of(before.get(name)),
                        "new_value": text_of(findings.get(name)),
                    }
                )
        previous_findings[pid] = {**findings, "_score": f"{result.score} {result.band}"}
        versions[(pid, item.period)] = version
        history.setdefault(pid, [])
        history[pid] = [h for h in history[pid] if h.period != item.period] + [
            HistoryPoint(item.period, result.score, result.band)
        ]
        history[pid].sort()
        saved.append(
            AssessmentVersion(
                ods_code=item.ods_code,
                period=item.period,
                version=version,
                author=actor,
                created_at=row["created_at"],
                reason=row["reason"],
                is_correction=row["is_correction"],
                findings=findings,
                result=result,
            )
        )
    # plain multi-row inserts: thousands of ORM objects cost seconds at a
    # national rescoring, and nothing here needs them back (SQLModel's class
    # stubs do not declare the mapped __table__, hence the two ignores)
    assessment_table = Assessment.__table__  # type: ignore[attr-defined]
    insert_rows(s.connection(), assessment_table, assessment_rows)
    if audit_rows:
        rows = [{**r, "account": db.account} for r in audit_rows]
        audit_table = AuditLog.__table__  # type: ignore[attr-defined]
        insert_rows(s.connection(), audit_table, rows)
    return saved


def _repeats(
    before: dict[str, Any], period: str, findings: dict[str, Any], result: ScoreResult
) -> bool:
    """Whether a new version would repeat the month's current one: the same month, the
    same findings, score, band, trend and method (``before`` as the rescoring read it)."""
    return (
        before.get("_period") == period
        and before.get("_score") == f"{result.score} {result.band}"
        and before.get("_trend") == result.trend
        and before.get("_method") == result.methodology_version
        and all(before.get(f) == findings.get(f) for f in STORED_FINDINGS)
    )


# the placeholder each driver's parameter style takes for a value given by position
_PLACEHOLDERS = {"qmark": "?", "format": "%s", "pyformat": "%s"}


def insert_rows(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert rows that all have the same keys, as ``connection.execute(insert(table),
    rows)`` would, with the values converted by each column's own type for this
    database, but handed to the driver as plain tuples: SQLAlchemy's per-row
    parameter handling was a sixth of a national rescoring (31,000 rows)."""
    if not rows:
        return
    dialect = connection.dialect
    placeholder = _PLACEHOLDERS.get(dialect.paramstyle)
    if placeholder is None:  # a driver with another style: the ordinary insert
        connection.execute(insert(table), rows)
        return
    names = list(rows[0])
    quote = dialect.identifier_preparer.quote
    statement = (
        f"INSERT INTO {dialect.identifier_preparer.format_table(table)} "
        f"({', '.join(quote(n) for n in names)}) VALUES ({', '.join(placeholder for _ in names)})"
    )
    converters = [table.c[n].type.dialect_impl(dialect).bind_processor(dialect) for n in names]
    converted = [(i, convert) for i, convert in enumerate(converters) if convert is not None]
    values = []
    for row in rows:
        line = [row[n] for n in names]
        for i, convert in converted:
            line[i] = convert(line[i])
        values.append(tuple(line))
    connection.exec_driver_sql(statement, values)
