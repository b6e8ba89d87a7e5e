"""One database: the engine, who is asking, and the only place sessions are made.

``read()`` is a session for reading; ``write()`` is one write transaction (all of it is
committed, or none of it). ``require(role, what)`` is the one permission check and
``actor(name)`` the one answer to "in whose name is this written".
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, select

from resilience.audit import audit_entry
from resilience.db import SQLITE_BUSY_TIMEOUT_MS, WRITING
from resilience.errors import PermissionDenied, StoreError, current_user
from resilience.models import Person, Setting
from resilience.people import CONFIDENTIAL_ROLES
from resilience.roles import ROLES, a_role, needs
from scoring import Methodology, default_methodology
from scoring.inputs import PERIOD_PATTERN

DEMO_SETTING = "demo_data"


def write_refused(exc: OperationalError, url: str) -> str:
    """One sentence for a write the database refused (the transaction rolled back)."""
    reason = str(exc.orig).lower()
    if "readonly" in reason or "read-only" in reason or "read only" in reason:
        return f"the database {url} is read-only for you; nothing was saved"
    if "full" in reason or "disk i/o" in reason or "too large" in reason:
        return f"no room to write to the database {url} (disk full?); nothing was saved"
    return f"the database {url} refused the change ({exc.orig}); nothing was saved"


def check_period(period: str) -> str:
    if not PERIOD_PATTERN.match(period or ""):
        raise StoreError(f"{period!r} is not a month; write it YYYY-MM, for example 2016-04")
    return period


class Database:
    """One database (SQLite file or any SQLAlchemy URL) and the person using it."""

    def __init__(
        self, engine: Engine, method: Methodology | None = None, user: str | None = None
    ) -> None:
        self.engine = engine
        self.method = method or default_methodology()
        self.db_method: Methodology | None = None  # the database's method (None: default)
        self.user = user or current_user()  # who is asking: their role decides what they may
        self.account = current_user()  # who is really running this (see settle_identity)
        self._role: str | None = None

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def close(self) -> None:
        self.engine.dispose()

    # ----------------------------------------------------------------- transactions

    def read(self) -> Session:
        return Session(self.engine, expire_on_commit=False, info={"account": self.account})

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction: all of it is committed, or none of it.

        On SQLite it takes the write lock at the start and waits its turn behind other
        writers (up to the busy timeout), so concurrent saves queue instead of failing.
        """
        try:
            with self.read() as s, s.begin():
                token = WRITING.set(True)
                try:
                    s.connection()  # BEGIN IMMEDIATE now, for this session's connection only
                finally:
                    WRITING.reset(token)  # reads made meanwhile elsewhere stay deferred
                yield s
        except OperationalError as exc:
            if "locked" in str(exc.orig) or "busy" in str(exc.orig):
                raise StoreError(
                    "the database stayed busy for "
                    f"{SQLITE_BUSY_TIMEOUT_MS // 1000} s (another long import or save?); "
                    "nothing was saved, try again"
                ) from None
            raise StoreError(write_refused(exc, self.url)) from None

    # ----------------------------------------------------------------- settings

    def get_setting(self, key: str) -> str | None:
        with self.read() as s:
            row = s.get(Setting, key)
            return row.value if row else None

    def is_demo(self) -> bool:
        return self.get_setting(DEMO_SETTING) == "true"

    def set_rule(self, key: str, value: str) -> None:
        """Change a setting that is a rule of the database (audited old -> new)."""
        with self.write() as s:
            row = s.get(Setting, key)
            old = row.value if row else None
            if old == value:
                return
            if row is None:
                row = Setting(key=key, value=value)
            row.value = value
            s.add(row)
            s.add(audit_entry(self.user, "rule", "setting", key, old_value=old, new_value=value))

    # ----------------------------------------------------------------- permissions

    def actor(self, actor: str | None) -> str:
        """The name a change is written in: the one given, else this database's user."""
        return actor or self.user

    @property
    def role(self) -> str:
        """The user's role (an unregistered person is a viewer)."""
        if self._role is None:
            with self.read() as s:
                row = s.exec(select(Person.role).where(Person.username == self.user)).first()
            self._role = row or "viewer"
        return self._role

    def forget_role(self) -> None:
        """Read the role again next time (after a change of roles or identity)."""
        self._role = None

    def may(self, role: str) -> bool:
        return ROLES.index(self.role) >= ROLES.index(role)

    def require(self, role: str, what: str) -> None:
        """Refuse ``what`` unless the user is at least ``role``."""
        if not self.may(role):
            raise PermissionDenied(
                f"{self.user} is {a_role(self.role)}: {what} needs {needs(role)}; an admin "
                f"can change that with: resilience users role {self.user} {role}"
            )

    def confidential_roles(self) -> tuple[str, ...]:
        """The roles that may read confidential soft intelligence (default: admin)."""
        value = self.get_setting(CONFIDENTIAL_ROLES)
        if value is None:
            return ("admin",)
        return tuple(r for r in value.split(",") if r in ROLES)

    @property
    def can_see_confidential(self) -> bool:
        return self.role in self.confidential_roles()
