"""Assessments: saving new versions of a practice's findings, scored, and reading them back."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import col, select

from resilience.audit import audit_entry
from resilience.domain import AssessmentVersion, NewAssessment
from resilience.errors import StoreError
from resilience.models import Assessment, Practice, ReviewPeriod
from resilience.store.database import Database, check_period
from resilience.store.explanations import result_of
from resilience.store.methods import MethodRepository
from resilience.store.queries import (
    current_versions,
    history_of,
    latest_findings,
    newest_first,
    period_row,
    register_context,
    reviewed_in,
    soft_intel_unknown,
    soft_items,
)
from resilience.store.rows import now, version_of
from resilience.store.saving import Known, save_batch
from scoring import ScoreResult


class AssessmentRepository:
    """Versions of findings, each scored when saved; never changed once saved."""

    def __init__(self, db: Database, methods: MethodRepository) -> None:
        self.db = db
        self.methods = methods

    def save_assessment(
        self,
        ods_code: str,
        period: str,
        findings: dict[str, Any],
        *,
        reason: str = "",
        actor: str | None = None,
        based_on_version: int | None = None,
        correction: bool = False,
    ) -> AssessmentVersion:
        """Save a new version of one practice's findings for ``period``; score it.
        ``correction`` allows a closed month: the version is marked as a correction."""
        return self.save_assessments(
            [NewAssessment(ods_code, period, findings, reason, based_on_version)],
            actor=actor,
            allow_closed=correction,
        )[0]

    def save_assessments(
        self,
        batch: Sequence[NewAssessment],
        *,
        actor: str | None = None,
        allow_closed: bool = False,
        saved_at: datetime | None = None,
        open_missing: bool = False,
    ) -> list[AssessmentVersion]:
        """Save several new versions in one transaction (all or nothing).
        ``saved_at`` is for loading history (the demo); otherwise it is now.
        ``open_missing`` opens a month that is not open yet in the same transaction
        (so a save that fails leaves no empty month behind).

        A version is never changed: each save adds the next version number. The score
        snapshot is computed here by the scoring engine with the practice's history.
        """
        actor = self.db.actor(actor)
        self.db.require("editor", "saving a review")
        if not batch:
            return []
        self.methods.check_saving_method()
        with self.db.write() as s:
            periods = {n.period for n in batch}
            if open_missing:
                for p in sorted(periods):
                    check_period(p)
                    if not s.exec(select(ReviewPeriod).where(ReviewPeriod.period == p)).first():
                        s.add(
                            ReviewPeriod(period=p, status="open", opened_at=now(), opened_by=actor)
                        )
                        s.add(audit_entry(actor, "open", "review_period", p))
                s.flush()
            period_rows = {p: period_row(s, p) for p in sorted(periods)}
            for p, p_row in period_rows.items():
                if p_row.status == "closed" and not allow_closed:
                    raise StoreError(
                        f"{p} is closed; a change to a closed month must be saved as a "
                        "correction with a reason"
                    )
            codes = sorted({n.ods_code for n in batch})
            # FOR UPDATE (PostgreSQL; SQLite already holds the write lock): concurrent saves
            # of one practice queue here, so each reads the version the other just wrote
            locked = select(Practice).where(col(Practice.ods_code).in_(codes)).with_for_update()
            practices = {p.ods_code: p for p in s.exec(locked).all()}
            missing = [c for c in codes if c not in practices]
            if missing:
                raise StoreError(f"no practice with ODS code {', '.join(missing)}")
            pids = [p.id for p in practices.values()]
            known = Known(
                contexts=register_context(s),
                history=history_of(s, pids, max(periods)),
                versions=current_versions(s, pids, periods),
                # once a person has reviewed a practice's month, a script's rescore keeps it so
                reviewed=reviewed_in(s, pids, periods),
                entries=(entries := soft_items(s, pids)),
                previous_findings=latest_findings(s, pids),
                soft_unknown=soft_intel_unknown(s, pids, entries),
            )
            ids = {code: p.id for code, p in practices.items() if p.id is not None}
            items = [(item, None) for item in batch]
            saved = save_batch(self.db, s, items, ids, period_rows, known, actor, saved_at)
        return saved

    def latest_assessment(
        self, ods_code: str, period: str | None = None
    ) -> AssessmentVersion | None:
        """The newest version for ``period`` (or the newest of any month)."""
        versions = self.assessment_versions(ods_code, period)
        return versions[-1] if versions else None

    def assessment_versions(
        self, ods_code: str, period: str | None = None
    ) -> list[AssessmentVersion]:
        """Every saved version for a practice (one month, or all), oldest first."""
        with self.db.read() as s:
            query = (
                select(Assessment, ReviewPeriod.period)
                .join(ReviewPeriod, col(Assessment.period_id) == ReviewPeriod.id)
                .join(Practice, col(Assessment.practice_id) == Practice.id)
                .where(Practice.ods_code == ods_code)
                .order_by(col(ReviewPeriod.period), col(Assessment.version))
            )
            if period is not None:
                query = query.where(ReviewPeriod.period == period)
            return [
                version_of(ods_code, p, a, result_of(s, a.result_json))
                for a, p in s.exec(query).all()
            ]

    def period_results(self, period: str) -> dict[str, ScoreResult]:
        """ODS code -> the latest saved result for ``period``."""
        with self.db.read() as s:
            rank = newest_first(
                partition_by=Assessment.practice_id, order_by=col(Assessment.version).desc()
            )
            inner = (
                select(Practice.ods_code, Assessment.result_json, rank)
                .join(Practice, col(Assessment.practice_id) == Practice.id)
                .join(ReviewPeriod, col(Assessment.period_id) == ReviewPeriod.id)
                .where(ReviewPeriod.period == period)
            ).subquery()
            rows = s.connection().execute(sa_select(inner).where(inner.c.rank == 1))
            return {r.ods_code: result_of(s, r.result_json) for r in rows}
