"""People and roles: who is asking (identity settled when the database opens), delegates,
registering people and setting roles, and who may read confidential soft intelligence."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func
from sqlmodel import col, select

from resilience.audit import audit_entry
from resilience.errors import PermissionDenied, StoreError
from resilience.models import Person, Setting, SoftIntelEntry
from resilience.people import CONFIDENTIAL_ROLES, DELEGATES, PersonInfo
from resilience.roles import ROLES
from resilience.store.database import Database
from resilience.store.rows import now


class PeopleRepository:
    """People, roles and delegates."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def settle_identity(self, requested: str | None, *, created: bool) -> None:
        """Who is really asking, and who they act as; and the first admin.

        The real account is the server session's user on PostgreSQL, else the account
        running this process. ``requested`` (``--user``) may name someone else only when an
        admin made this account a delegate of that person, and never an admin."""
        from resilience.db import database_owner, server_account

        self.db.account = server_account(self.db.engine) or self.db.account
        self.db.user = requested or self.db.account
        self.db.forget_role()
        if created:
            self._make_first_admin("admin (created the database)")
        elif (
            self.db.user == self.db.account
            and not self._anyone_registered()
            and self.db.account == database_owner(self.db.engine)
        ):
            self._make_first_admin("admin (owner of a database with nobody registered)")
        if self.db.user != self.db.account:
            self._check_acting_as()

    def _anyone_registered(self) -> bool:
        with self.db.read() as s:
            return bool(s.exec(select(func.count()).select_from(Person)).one())

    def _make_first_admin(self, why: str) -> None:
        """Register this account as admin if nobody is registered yet."""
        if self._anyone_registered():
            return
        with self.db.write() as s:
            if s.exec(select(func.count()).select_from(Person)).one():
                return  # someone else was first
            me = self.db.account
            s.add(Person(username=me, role="admin", added_by=me, added_at=now()))
            s.add(audit_entry(me, "role", "person", me, field="role", new_value=why))
        self.db.forget_role()

    def _check_acting_as(self) -> None:
        name, account = self.db.user, self.db.account
        if name not in self.delegates_of(account):
            raise PermissionDenied(
                f"--user {name}: the account {account} may not act as {name}; an admin can "
                f"allow it with: resilience users delegate {account} {name}"
            )
        if self.db.role == "admin":
            raise PermissionDenied(
                f"--user {name}: {name} is an admin, and nobody acts as an admin; "
                "run the command as them"
            )

    def delegates_of(self, account: str) -> tuple[str, ...]:
        """The names ``account`` may act as with --user."""
        with self.db.read() as s:
            row = s.get(Setting, DELEGATES + account)
        return tuple(n for n in (row.value.split(",") if row else []) if n)

    def all_delegates(self) -> dict[str, tuple[str, ...]]:
        with self.db.read() as s:
            rows = s.exec(select(Setting).where(col(Setting.key).startswith(DELEGATES))).all()
        return {
            r.key[len(DELEGATES) :]: tuple(n for n in r.value.split(",") if n)
            for r in rows
            if r.value
        }

    def set_delegates(self, account: str, names: Iterable[str], *, remove: bool = False) -> None:
        """Let ``account`` (a service account) act as each of ``names``, or stop it."""
        self.db.require("admin", "naming delegates")
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
        self.db.set_rule(DELEGATES + account, ",".join(chosen))

    def people(self) -> list[PersonInfo]:
        with self.db.read() as s:
            rows = s.exec(select(Person).order_by(col(Person.username))).all()
        return [PersonInfo(r.username, r.role, r.added_by, r.added_at) for r in rows]

    def set_role(self, username: str, role: str) -> str | None:
        """Register ``username`` or change their role. Returns the old role (None: new)."""
        self.db.require("admin", "changing roles")
        if role not in ROLES:
            raise StoreError(f"role is one of {', '.join(ROLES)}")
        username = username.strip()
        if not username or len(username) > 64:
            raise StoreError("give the person's login name (at most 64 characters)")
        with self.db.write() as s:
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
                row = Person(username=username, role=role, added_by=self.db.user, added_at=now())
            else:
                row.role = role
            s.add(row)
            s.add(
                audit_entry(
                    self.db.user,
                    "role",
                    "person",
                    username,
                    field="role",
                    old_value=old,
                    new_value=role,
                )
            )
        if username == self.db.user:
            self.db.forget_role()
        return old

    def set_confidential_roles(self, roles: Iterable[str]) -> None:
        self.db.require("admin", "deciding who reads confidential intelligence")
        chosen = sorted(set(roles), key=ROLES.index) if set(roles) <= set(ROLES) else None
        if chosen is None:
            raise StoreError(f"roles are {', '.join(ROLES)}")
        if "admin" not in chosen:
            chosen.append("admin")  # admins manage the rules, so they always may
        self.db.set_rule(CONFIDENTIAL_ROLES, ",".join(chosen))

    def confidential_entry_count(self) -> int:
        with self.db.read() as s:
            return s.exec(
                select(func.count())
                .select_from(SoftIntelEntry)
                .where(col(SoftIntelEntry.confidential).is_(True))
            ).one()
