"""Soft intelligence: recording, correcting and reading it (confidential text masked)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlmodel import col, select

from resilience.audit import audit_entry
from resilience.domain import SoftIntel, check_soft_intel
from resilience.errors import PermissionDenied, StoreError
from resilience.models import Practice, SoftIntelEntry
from resilience.roles import a_role
from resilience.store.audit import AuditRepository
from resilience.store.database import Database
from resilience.store.queries import practice_ids
from resilience.store.rows import now, soft_intel_of, text_of


class SoftIntelRepository:
    """Soft-intelligence entries."""

    def __init__(self, db: Database, audit: AuditRepository) -> None:
        self.db = db
        self.audit = audit

    def add_soft_intel(
        self,
        ods_code: str,
        *,
        received_on: date,
        source: str,
        category: str,
        severity: int,
        confidence: str,
        text: str,
        corroborated: bool = False,
        whistleblowing: bool = False,
        confidential: bool = False,
        expires_on: date | None = None,
        actor: str | None = None,
    ) -> SoftIntel:
        return self.add_soft_intel_many(
            [
                {
                    "ods_code": ods_code,
                    "received_on": received_on,
                    "source": source,
                    "category": category,
                    "severity": severity,
                    "confidence": confidence,
                    "text": text,
                    "corroborated": corroborated,
                    "whistleblowing": whistleblowing,
                    "confidential": confidential,
                    "expires_on": expires_on,
                }
            ],
            actor=actor,
        )[0]

    def add_soft_intel_many(
        self, entries: Iterable[dict[str, Any]], *, actor: str | None = None
    ) -> list[SoftIntel]:
        actor = self.db.actor(actor)
        self.db.require("editor", "recording soft intelligence")
        added = []
        entries = list(entries)
        with self.db.write() as s:
            ids = practice_ids(s, [e["ods_code"] for e in entries])
            for e in entries:
                code = e["ods_code"]
                if code not in ids:
                    raise StoreError(f"no practice with ODS code {code}")
                check_soft_intel(e)
                row = SoftIntelEntry(
                    practice_id=ids[code],
                    received_on=e["received_on"],
                    source=e["source"],
                    category=e["category"],
                    severity=int(e["severity"]),
                    confidence=e["confidence"],
                    corroborated=bool(e.get("corroborated")),
                    whistleblowing=bool(e.get("whistleblowing")),
                    confidential=bool(e.get("confidential")),
                    expires_on=e.get("expires_on"),
                    text=e["text"],
                    recorded_by=actor,
                    recorded_at=now(),
                )
                s.add(row)
                s.flush()
                assert row.id is not None
                s.add(
                    audit_entry(
                        actor,
                        "add",
                        "soft_intel",
                        str(row.id),
                        new_value=f"{code} severity {row.severity} from {row.source}",
                        at=row.recorded_at,
                    )
                )
                added.append(soft_intel_of(code, row))
        return added

    def update_soft_intel(
        self, entry_id: int, changes: dict[str, Any], *, actor: str | None = None
    ) -> SoftIntel:
        """Correct a soft-intelligence entry; every changed field is audited old -> new
        (confidential text is never copied into the audit log)."""
        actor = self.db.actor(actor)
        self.db.require("editor", "correcting soft intelligence")
        editable = {
            "received_on",
            "source",
            "category",
            "severity",
            "confidence",
            "corroborated",
            "whistleblowing",
            "confidential",
            "expires_on",
            "text",
        }
        unknown = sorted(set(changes) - editable)
        if unknown:
            raise StoreError(f"cannot change {', '.join(unknown)} of soft intelligence")
        check_soft_intel(changes)
        with self.db.write() as s:
            row = s.get(SoftIntelEntry, entry_id)
            if row is None:
                raise StoreError(f"no soft intelligence entry {entry_id}")
            if row.confidential and not self.db.can_see_confidential:
                allowed = ", ".join(self.db.confidential_roles())
                raise PermissionDenied(
                    f"entry {entry_id} is confidential: only {allowed} may change it"
                )
            code = s.get(Practice, row.practice_id).ods_code  # type: ignore[union-attr]
            # decided once, before any field changes: text that is, was or will be
            # confidential never enters the audit log, whatever order the fields come in
            hidden = bool(row.confidential) or bool(changes.get("confidential"))
            for field, new in changes.items():
                old = getattr(row, field)
                if old == new:
                    continue
                secret = field == "text" and hidden
                s.add(
                    audit_entry(
                        actor,
                        "change",
                        "soft_intel",
                        str(entry_id),
                        field=field,
                        old_value="(confidential text)" if secret else text_of(old),
                        new_value="(confidential text)" if secret else text_of(new),
                    )
                )
                setattr(row, field, new)
            s.add(row)
            s.flush()
            return soft_intel_of(code, row)

    def soft_intel(self, ods_code: str) -> list[SoftIntel]:
        with self.db.read() as s:
            rows = s.exec(
                select(SoftIntelEntry)
                .join(Practice, col(SoftIntelEntry.practice_id) == Practice.id)
                .where(Practice.ods_code == ods_code)
                .order_by(col(SoftIntelEntry.received_on))
            ).all()
        return list(self.shown_entries(ods_code, rows, f"practice {ods_code}"))

    def shown_entries(self, ods_code: str, rows: Any, where: str) -> tuple[SoftIntel, ...]:
        """Entries for a screen: confidential text for people granted it (and the view is
        audited), masked for everyone else."""
        reveal = self.db.can_see_confidential
        shown = tuple(soft_intel_of(ods_code, r, reveal) for r in rows)
        if reveal:
            self.audit.record_views("view_confidential", list(shown), where)
        return shown

    def soft_intel_for_export(
        self, *, include_confidential: bool, actor: str | None = None
    ) -> tuple[list[SoftIntel], int]:
        """Every soft-intelligence entry for an export, and how many confidential ones
        were withheld. Exporting confidential entries is written to the audit log."""
        actor = self.db.actor(actor)
        with self.db.read() as s:
            rows = s.exec(
                select(SoftIntelEntry, Practice.ods_code)
                .join(Practice, col(SoftIntelEntry.practice_id) == Practice.id)
                .order_by(col(Practice.ods_code), col(SoftIntelEntry.received_on))
            ).all()
        entries = [soft_intel_of(code, row) for row, code in rows]
        withheld = [e for e in entries if e.confidential]
        if include_confidential and withheld and not self.db.can_see_confidential:
            raise PermissionDenied(
                f"{self.db.user} is {a_role(self.db.role)}: confidential entries are for "
                f"{', '.join(self.db.confidential_roles())} only; export without them"
            )
        if include_confidential:
            if withheld:
                with self.db.write() as s:
                    s.add(
                        audit_entry(
                            actor,
                            "export_confidential",
                            "soft_intel",
                            ",".join(str(e.id) for e in withheld),
                            new_value=f"{len(withheld)} confidential entries exported",
                        )
                    )
            return entries, 0
        return [e for e in entries if not e.confidential], len(withheld)
