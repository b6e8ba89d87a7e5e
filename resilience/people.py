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

from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event, func
from sqlmodel import Session, col, select

from resilience.audit import audit_entry
from resilience.errors import PermissionDenied, StoreError
from resilience.models import AuditLog, Person, Setting, SoftIntelEntry
from resilience.roles import ROLES

CONFIDENTIAL_ROLES = "confidential_roles"  # setting: comma-separated roles granted
DELEGATES = "delegates:"  # setting per service account: the names it may act as (--user)
MASK = "(confidential: visible only to people granted it)"


@dataclass(frozen=True, slots=True)
class PersonInfo:
    username: str
    role: str
    added_by: str
    added_at: datetime


class PeopleMixin:
    """The Store's people, roles and confidentiality rules (mixed into ``Store``)."""

    user: str  # the name this store acts for (--user, or the account itself)
    account: str  # the account really running it (OS account, or PostgreSQL session user)
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

    def _settle_identity(self, requested: str | None, *, created: bool) -> None:
        """Who is really asking, and who they act as; and the first admin.

        The real account is the server session's user on PostgreSQL, else the account
        running this process. ``requested`` (``--user``) may name someone else only when an
        admin made this account a delegate of that person, and never an admin."""
        from resilience.db import database_owner, server_account

        self.account = server_account(self.engine) or self.account  # type: ignore[attr-defined]
        self.user = requested or self.account
        self._role = None
        if created:
            self._make_first_admin("admin (created the database)")
        elif (
            self.user == self.account
            and not self._anyone_registered()
            and self.account == database_owner(self.engine)  # type: ignore[attr-defined]
        ):
            self._make_first_admin("admin (owner of a database with nobody registered)")
        if self.user != self.account:
            self._check_acting_as()

    def _anyone_registered(self) -> bool:
        with self._session() as s:
            return bool(s.exec(select(func.count()).select_from(Person)).one())

    def _make_first_admin(self, why: str) -> None:
        """Register this account as admin if nobody is registered yet."""
        if self._anyone_registered():
            return
        with self._write() as s:
            if s.exec(select(func.count()).select_from(Person)).one():
                return  # someone else was first
            me = self.account
            s.add(Person(username=me, role="admin", added_by=me, added_at=_now()))
            s.add(_audit(me, "role", "person", me, None, why))
        self._role = None

    def _check_acting_as(self) -> None:
        name, account = self.user, self.account
        if name not in self.delegates_of(account):
            raise PermissionDenied(
                f"--user {name}: the account {account} may not act as {name}; an admin can "
                f"allow it with: resilience users delegate {account} {name}"
            )
        if self.role == "admin":
            raise PermissionDenied(
                f"--user {name}: {name} is an admin, and nobody acts as an admin; "
                "run the command as them"
            )

    # ----------------------------------------------------------------- delegates

    def delegates_of(self, account: str) -> tuple[str, ...]:
        """The names ``account`` may act as with --user."""
        with self._session() as s:
            row = s.get(Setting, DELEGATES + account)
        return tuple(n for n in (row.value.split(",") if row else []) if n)

    def all_delegates(self) -> dict[str, tuple[str, ...]]:
        with self._session() as s:
            rows = s.exec(select(Setting).where(col(Setting.key).startswith(DELEGATES))).all()
        return {
            r.key[len(DELEGATES) :]: tuple(n for n in r.value.split(",") if n)
            for r in rows
            if r.value
        }

    def set_delegates(self, account: str, names: Iterable[str], *, remove: bool = False) -> None:
        """Let ``account`` (a service account) act as each of ``names``, or stop it."""
        self._require("admin", "naming delegates")
        account = account.strip()
        names = [n.strip() for n in names if n.strip()]
        if not account or not names:
            raise StoreError("give the service account and at least one name it acts as")
        if len(DELEGATES + account) > 64 or any(len(n) > 64 or "," in n for n in names):
            raise StoreError(
                "names are login names: no commas, at most 64 characters (54 for the "
                "service account)"
            )
        if account in names:
            raise StoreError(f"{account} is itself; it needs no --user")
        current = list(self.delegates_of(account))
        if remove:
            chosen = [n for n in current if n not in names]
        else:
            admins = {p.username for p in self.people() if p.role == "admin"}
            refused = sorted(set(names) & admins)
            if refused:
                raise StoreError(f"{', '.join(refused)}: nobody may act as an admin with --user")
            chosen = current + [n for n in names if n not in current]
        self._set_rule(DELEGATES + account, ",".join(chosen))

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

    def record_database_event(self, action: str, detail: str) -> None:
        """A backup or restore of the whole database, in its own audit log."""
        with self._write() as s:
            s.add(_audit(self.user, action, "database", action, None, detail))

    def confidential_entry_count(self) -> int:
        with self._session() as s:
            return s.exec(
                select(func.count())
                .select_from(SoftIntelEntry)
                .where(col(SoftIntelEntry.confidential).is_(True))
            ).one()

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
