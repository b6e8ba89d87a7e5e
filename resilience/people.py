"""People and roles: who may look, who may change things, and who may read confidential
soft intelligence (which can name a whistleblower).

Identity is the operating-system login. The first person to open a new database becomes
its admin; anyone not registered is a viewer. Every role change, every view and export
of confidential entries, and every change of these rules goes into the audit log.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from resilience.audit import audit_entry
from resilience.errors import PermissionDenied, StoreError
from resilience.models import AuditLog, Person, Setting
from resilience.roles import ROLES

CONFIDENTIAL_ROLES = "confidential_roles"  # setting: comma-separated roles granted
USER_OVERRIDE = "allow_user_override"  # setting: "yes" lets --user name someone else
MASK = "(confidential: visible only to people granted it)"


@dataclass(frozen=True, slots=True)
class PersonInfo:
    username: str
    role: str
    added_by: str
    added_at: datetime


class PeopleMixin:
    """The Store's people, roles and confidentiality rules (mixed into ``Store``)."""

    user: str
    _role: str | None

    # provided by Store
    def _session(self) -> Session:
        raise NotImplementedError

    def _write(self) -> AbstractContextManager[Session]:
        raise NotImplementedError

    # ----------------------------------------------------------------- who am I

    @property
    def role(self) -> str:
        """This store's user's role (an unregistered person is a viewer)."""
        if self._role is None:
            with self._session() as s:
                row = s.exec(select(Person.role).where(Person.username == self.user)).first()
            self._role = row or "viewer"
        return self._role

    def may(self, role: str) -> bool:
        return ROLES.index(self.role) >= ROLES.index(role)

    def _require(self, role: str, what: str) -> None:
        if not self.may(role):
            raise PermissionDenied(
                f"{self.user} is a {self.role}: {what} needs an {role} or above; an admin "
                f"can change that with: resilience users role {self.user} {role}"
            )

    @property
    def can_see_confidential(self) -> bool:
        return self.role in self.confidential_roles()

    def _ensure_first_admin(self) -> None:
        """The first person to open a database with nobody registered becomes its admin."""
        with self._session() as s:
            anyone = s.exec(select(func.count()).select_from(Person)).one()
        if anyone:
            return
        with self._write() as s:
            if s.exec(select(func.count()).select_from(Person)).one():
                return  # someone else was first
            s.add(Person(username=self.user, role="admin", added_by=self.user, added_at=_now()))
            s.add(_audit(self.user, "role", "person", self.user, None, "admin (first user)"))
        self._role = None

    def check_user_override(self, os_user: str) -> None:
        """--user naming someone else is allowed only where an admin switched it on."""
        if self.user == os_user:
            return
        with self._session() as s:
            allowed = s.get(Setting, USER_OVERRIDE)
        if not (allowed and allowed.value == "yes"):
            raise PermissionDenied(
                f"--user {self.user}: acting as someone else is switched off for this "
                "database; an admin can allow it with: resilience users allow-user on"
            )

    # ----------------------------------------------------------------- people

    def people(self) -> list[PersonInfo]:
        with self._session() as s:
            rows = s.exec(select(Person).order_by(col(Person.username))).all()
        return [PersonInfo(r.username, r.role, r.added_by, r.added_at) for r in rows]

    def set_role(self, username: str, role: str) -> str | None:
        """Register ``username`` or change their role. Returns the old role (None: new)."""
        self._require("admin", "changing roles")
        if role not in ROLES:
            raise StoreError(f"role is one of {', '.join(ROLES)}")
        username = username.strip()
        if not username or len(username) > 64:
            raise StoreError("give the person's login name (at most 64 characters)")
        with self._write() as s:
            row = s.exec(select(Person).where(Person.username == username)).first()
            old = row.role if row else None
            if old == role:
                return old
            if old == "admin":
                admins = s.exec(
                    select(func.count()).select_from(Person).where(Person.role == "admin")
                ).one()
                if admins <= 1:
                    raise StoreError(f"{username} is the only admin; make someone else admin first")
            if row is None:
                row = Person(username=username, role=role, added_by=self.user, added_at=_now())
            else:
                row.role = role
            s.add(row)
            s.add(_audit(self.user, "role", "person", username, old, role))
        if username == self.user:
            self._role = None
        return old

    # ----------------------------------------------------------------- rules

    def confidential_roles(self) -> tuple[str, ...]:
        """The roles that may read confidential soft intelligence (default: admin)."""
        with self._session() as s:
            row = s.get(Setting, CONFIDENTIAL_ROLES)
        if row is None:
            return ("admin",)
        return tuple(r for r in row.value.split(",") if r in ROLES)

    def set_confidential_roles(self, roles: Iterable[str]) -> None:
        self._require("admin", "deciding who reads confidential intelligence")
        chosen = sorted(set(roles), key=ROLES.index) if set(roles) <= set(ROLES) else None
        if chosen is None:
            raise StoreError(f"roles are {', '.join(ROLES)}")
        if "admin" not in chosen:
            chosen.append("admin")  # admins manage the rules, so they always may
        self._set_rule(CONFIDENTIAL_ROLES, ",".join(chosen))

    def user_override_allowed(self) -> bool:
        with self._session() as s:
            row = s.get(Setting, USER_OVERRIDE)
        return bool(row and row.value == "yes")

    def allow_user_override(self, allowed: bool) -> None:
        self._require("admin", "allowing --user")
        self._set_rule(USER_OVERRIDE, "yes" if allowed else "no")

    def _set_rule(self, key: str, value: str) -> None:
        with self._write() as s:
            row = s.get(Setting, key)
            old = row.value if row else None
            if old == value:
                return
            if row is None:
                row = Setting(key=key, value=value)
            row.value = value
            s.add(row)
            s.add(_audit(self.user, "rule", "setting", key, old, value))

    def record_export(self, kind: str, detail: str) -> None:
        """Who took which data out of the tool, and where to (exports and meeting packs)."""
        with self._write() as s:
            s.add(_audit(self.user, kind, "export", kind, None, detail))

    # ----------------------------------------------------------------- confidential views

    def _record_views(self, action: str, entries: Iterator[Any] | list[Any], where: str) -> None:
        """Write who saw which confidential entries, and where, to the audit log."""
        ids = [str(e.id) for e in entries if e.confidential]
        if not ids:
            return
        with self._write() as s:
            s.add(_audit(self.user, action, "soft_intel", ",".join(ids), None, where))


def _now() -> datetime:
    return datetime.now(UTC)


def _audit(
    actor: str, action: str, entity: str, entity_id: str, old: str | None, new: str | None
) -> AuditLog:
    field = "role" if entity == "person" else ""
    return audit_entry(actor, action, entity, entity_id, field=field, old_value=old, new_value=new)
