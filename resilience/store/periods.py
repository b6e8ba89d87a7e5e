"""Review months: opening, closing and listing them."""

from __future__ import annotations

from sqlmodel import col, select

from resilience.audit import audit_entry
from resilience.domain import PeriodInfo
from resilience.errors import StoreError
from resilience.models import ReviewPeriod
from resilience.store.database import Database, check_period
from resilience.store.queries import period_row
from resilience.store.rows import next_month, now, period_info


class PeriodRepository:
    """The review months."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def open_period(self, period: str, *, actor: str | None = None) -> PeriodInfo:
        """Open a review month; a month already open is returned as it is. A closed
        month is read-only and is refused (for the app and the CLI alike)."""
        check_period(period)
        actor = self.db.actor(actor)
        self.db.require("editor", "opening a review month")
        with self.db.write() as s:
            existing = s.exec(select(ReviewPeriod).where(ReviewPeriod.period == period)).first()
            if existing and existing.status == "closed":
                when = f"{existing.closed_at:%Y-%m-%d %H:%M}" if existing.closed_at else "earlier"
                raise StoreError(
                    f"{period} was closed {when} by {existing.closed_by}; "
                    "a closed month is read-only and is not opened again"
                )
            if existing:
                return period_info(existing)
            row = ReviewPeriod(period=period, status="open", opened_at=now(), opened_by=actor)
            s.add(row)
            s.add(audit_entry(actor, "open", "review_period", period))
            s.flush()
            return period_info(row)

    def close_period(self, period: str, *, actor: str | None = None) -> PeriodInfo:
        actor = self.db.actor(actor)
        self.db.require("editor", "closing a review month")
        with self.db.write() as s:
            row = period_row(s, period)
            if row.status == "closed":
                raise StoreError(f"{period} is already closed")
            row.status, row.closed_at, row.closed_by = "closed", now(), actor
            s.add(row)
            s.add(
                audit_entry(
                    actor,
                    "close",
                    "review_period",
                    period,
                    field="status",
                    old_value="open",
                    new_value="closed",
                )
            )
            s.flush()
            return period_info(row)

    def periods(self) -> list[PeriodInfo]:
        with self.db.read() as s:
            rows = s.exec(select(ReviewPeriod).order_by(col(ReviewPeriod.period))).all()
            return [period_info(r) for r in rows]

    def latest_period(self) -> PeriodInfo | None:
        """The newest review month (the one the meeting works on by default)."""
        periods = self.periods()
        return periods[-1] if periods else None

    def open_next_period(self, *, actor: str | None = None) -> PeriodInfo:
        """Open the month after the newest one. Nothing is saved for any practice: each
        practice's latest findings are its starting point until it is reviewed."""
        latest = self.latest_period()
        if latest is None:
            today = now()
            return self.open_period(f"{today.year:04d}-{today.month:02d}", actor=actor)
        return self.open_period(next_month(latest.period), actor=actor)
