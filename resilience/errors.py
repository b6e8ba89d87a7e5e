"""What the service layer says when it refuses, and who is asking."""

from __future__ import annotations

import getpass

DB_ENV_VAR = "RESILIENCE_DB"


class DatabaseError(RuntimeError):
    """A database that cannot be opened or migrated; the message says why, in words."""


class StoreError(ValueError):
    """A request the store refuses; the message says what and why, for a person."""


class ConflictError(StoreError):
    """Someone else saved the same practice-month after this edit started from its version:
    saving would silently overwrite their work, so nothing is saved."""

    def __init__(self, ods_code: str, period: str, based_on: int, current: int) -> None:
        who = "someone" if current else "nobody"
        super().__init__(
            f"{ods_code} {period}: {who} saved version {current} since you opened version "
            f"{based_on}; nothing was saved: reload, compare and save again"
        )
        self.ods_code, self.period = ods_code, period
        self.based_on, self.current = based_on, current


class PermissionDenied(StoreError):
    """The person's role does not allow this; the message says who can change that."""


def current_user() -> str:
    """The login name of the person running this process (the identity the store uses)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (some containers)
        return "unknown-user"
