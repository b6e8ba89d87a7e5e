"""People and roles: who may look, who may change things, and who may read confidential
soft intelligence (which can name a whistleblower).

Identity is the operating-system account running the process (its effective uid, never
$LOGNAME or $USER); on PostgreSQL it is the role the server authenticated the session as.
Whoever creates a new database becomes its admin; a database upgraded from before roles
existed has nobody registered until its owner (the file's owner, or the PostgreSQL
database's owner) opens it. Anyone not registered is a viewer. ``--user NAME`` works only
for the accounts an admin made delegates of NAME's work (a cron job's service account),
never for an admin, and every audit line records the real account beside the name.
Every role change, every view and export of confidential entries, and every change of
these rules goes into the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import event
from sqlmodel import Session

from resilience.models import AuditLog

CONFIDENTIAL_ROLES = "confidential_roles"  # setting: comma-separated roles granted
DELEGATES = "delegates:"  # setting per service account: the names it may act as (--user)
MASK = "(confidential: visible only to people granted it)"


@dataclass(frozen=True, slots=True)
class PersonInfo:
    username: str
    role: str
    added_by: str
    added_at: datetime


@event.listens_for(Session, "before_flush")
def _stamp_account(session: Session, _context: Any, _instances: Any) -> None:
    """Every new audit line records the real account beside the name it is written for
    (they differ when a service account acts for someone with --user)."""
    account = session.info.get("account")
    if account is None:
        return
    for obj in session.new:
        if isinstance(obj, AuditLog) and obj.account is None:
            obj.account = account
