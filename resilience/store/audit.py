"""The audit log: reading it, and the lines written for exports, database events and
views of confidential entries (every line is made by ``resilience.audit.audit_entry``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlmodel import col, select

from resilience.audit import audit_entry
from resilience.models import AuditLog
from resilience.store.database import Database


class AuditRepository:
    """The append-only audit log."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def record_export(self, kind: str, detail: str) -> None:
        """Who took which data out of the tool, and where to (exports and meeting packs)."""
        with self.db.write() as s:
            s.add(audit_entry(self.db.user, kind, "export", kind, new_value=detail))

    def record_database_event(self, action: str, detail: str) -> None:
        """A backup or restore of the whole database, in its own audit log."""
        with self.db.write() as s:
            s.add(audit_entry(self.db.user, action, "database", action, new_value=detail))

    def record_views(self, action: str, entries: Iterator[Any] | list[Any], where: str) -> None:
        """Write who saw which confidential entries, and where, to the audit log."""
        ids = [str(e.id) for e in entries if e.confidential]
        if not ids:
            return
        with self.db.write() as s:
            s.add(audit_entry(self.db.user, action, "soft_intel", ",".join(ids), new_value=where))

    def audit_entries(self, entity: str | None = None, limit: int = 1000) -> list[dict[str, Any]]:
        with self.db.read() as s:
            query = select(AuditLog).order_by(col(AuditLog.id).desc()).limit(limit)
            if entity:
                query = query.where(AuditLog.entity == entity)
            return [r.model_dump() for r in s.exec(query).all()]
