"""What the service layer says when it refuses, and who is asking."""

from __future__ import annotations

import os
import pwd

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


def os_account() -> str:
    """The operating-system account this process runs as (its effective uid).

    Never an environment variable: ``LOGNAME`` and ``USER`` are set by whoever starts the
    process, so ``LOGNAME=root resilience ...`` must not make anyone root. Tests that act
    as several people replace this function (see tests/conftest.py ``act_as``); nothing
    a user can set from outside the process does."""
    uid = os.geteuid()
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:  # no passwd entry (some containers): the number is still unique
        return f"uid-{uid}"


def current_user() -> str:
    """The login name of the person running this process (the identity the store uses on
    SQLite; on PostgreSQL the store asks the server, see ``Store.open``)."""
    return os_account()
