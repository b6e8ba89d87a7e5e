"""One line of the append-only audit log: who did what, to what, when, old -> new."""

from __future__ import annotations

from datetime import UTC, datetime

from resilience.models import AuditLog


def audit_entry(
    actor: str,
    action: str,
    entity: str,
    entity_id: str = "",
    *,
    field: str = "",
    old_value: str | None = None,
    new_value: str | None = None,
    at: datetime | None = None,
) -> AuditLog:
    return AuditLog(
        at=at or datetime.now(UTC),
        actor=actor,
        action=action,
        entity=entity,
        entity_id=entity_id,
        field=field,
        old_value=old_value,
        new_value=new_value,
    )
