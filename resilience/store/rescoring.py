"""Rescoring a month in one pass: read the month once, score it, save it, in one
write transaction.

Rescoring used to read the month (its inputs and the history the trend needs) in one
transaction and then save, which read the same history, versions and findings again in
a second. Here the month is read inside the save's own transaction, so nothing is read
twice and nothing can change between the read and the save (a review saved meanwhile
waits for this transaction, then is checked against the version this one wrote).
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from resilience.domain import STORED_FINDINGS, AssessmentVersion, NewAssessment
from resilience.errors import StoreError
from resilience.findings import findings_of
from resilience.models import ReviewPeriod
from resilience.store.assessments import AssessmentRepository
from resilience.store.database import Database, check_period
from resilience.store.month_inputs import MonthInputs, read_month_inputs
from resilience.store.queries import latest_findings, period_row, reviewed_in
from resilience.store.saving import Known, save_batch
from scoring import ScoreResult


class RescoringRepository:
    """A month rescored and saved as new versions, one per practice."""

    def __init__(self, db: Database, assessments: AssessmentRepository) -> None:
        self.db = db
        self.assessments = assessments

    def rescore_period(
        self,
        period: str,
        *,
        reason: str,
        actor: str | None = None,
        unchanged: list[ScoreResult] | None = None,
    ) -> list[AssessmentVersion]:
        """Score every practice of ``period`` from what the database holds (its review
        this month, or its starting point carried forward) and save each as a new
        version marked as saved by a script (unless a person reviewed the practice this
        month), all in one transaction. A closed month is refused.

        With an ``unchanged`` list (a nightly job), a practice whose new version would
        repeat the month's current one (same findings, score, band, trend and method)
        gets none; its result is appended to the list instead."""
        check_period(period)
        actor = self.db.actor(actor)
        with self.db.read() as s:
            period_row(s, period)  # a month that does not exist is said first, as ever
        self.db.require("editor", "saving a review")
        # before the write transaction: a database with no stored method stores the
        # shipped one here, in a write of its own
        self.assessments.methods.check_saving_method()
        with self.db.write() as s:
            month = read_month_inputs(s, period, lock=True, scored_with=self.db.method)
            if not month.practices:
                return []
            month_row = period_row(s, period)
            if month_row.status == "closed":
                raise StoreError(
                    f"{period} is closed; a change to a closed month must be saved as a "
                    "correction with a reason"
                )
            pids = [p.practice_id for p in month.practices]
            known = Known(
                contexts=month.contexts,
                history=month.history,
                versions={(p.practice_id, period): p.version for p in month.practices},
                # once a person has reviewed a practice's month, a script's rescore keeps it so
                reviewed=reviewed_in(s, pids, [period]),
                entries=month.entries,
                previous_findings=_previous_findings(s, month, period, pids),
                soft_unknown=month.soft_unknown,
                unchanged=unchanged,
            )
            batch = [
                (
                    NewAssessment(
                        p.ods_code,
                        period,
                        {**findings_of(p.inputs), **p.kept},
                        reason=reason,
                        based_on_version=p.version,
                        scripted=True,
                    ),
                    p.inputs,
                )
                for p in month.practices
            ]
            ids = {p.ods_code: p.practice_id for p in month.practices}
            saved = save_batch(self.db, s, batch, ids, {period: month_row}, known, actor)
        return saved


def _previous_findings(
    s: Session, month: MonthInputs, period: str, pids: list[int]
) -> dict[int, dict[str, Any]]:
    """Each practice's newest findings and score, of any month (the audit's old values).
    When no later month exists they are the rows the month was read from."""
    later = s.exec(select(ReviewPeriod.id).where(col(ReviewPeriod.period) > period)).first()
    if later is not None:
        return latest_findings(s, pids)
    wanted = set(pids)
    return {
        pid: {
            **row.pick(STORED_FINDINGS),
            "_score": f"{row.score} {row.band}",
            # what a repeat is judged by (saving._repeats); only when no later month
            "_period": row.period,
            "_trend": row.trend,
            "_method": row.methodology_version,
        }
        for pid, row in month.latest.items()
        if pid in wanted
    }
