"""One scoring method per database: which method this database scores with.

The method in use is the newest row of ``scoring_method`` (none: the shipped default).
An admin changes it with ``resilience method set FILE``; the change is audited and the
old methods are kept, so every stored result can still be traced to the rules of its
day (each result also records its method's version).
"""

from __future__ import annotations

import hashlib
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources

from sqlmodel import Session, col, select

from resilience.audit import audit_entry
from resilience.errors import StoreError
from resilience.models import ScoringMethod
from scoring import Methodology, MethodologyError, default_methodology, parse_methodology


@dataclass(frozen=True, slots=True)
class MethodInfo:
    version: str
    name: str
    sha256: str
    set_at: datetime | None  # None: the shipped default, never set in this database
    set_by: str
    reason: str
    text: str


def shipped_text() -> str:
    return resources.files("scoring.methodology").joinpath("default.toml").read_text("utf-8")


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _info(row: ScoringMethod) -> MethodInfo:
    return MethodInfo(
        row.version, row.name, row.sha256, row.set_at, row.set_by, row.reason, row.toml
    )


def _shipped_info() -> MethodInfo:
    text = shipped_text()
    method = default_methodology()
    return MethodInfo(method.version, method.name, _sha(text), None, "", "shipped default", text)


class MethodMixin:
    """The Store's method in use (mixed into ``Store``)."""

    method: Methodology
    db_method: Methodology | None
    user: str

    # provided by Store
    def _session(self) -> Session:
        raise NotImplementedError

    def _write(self) -> AbstractContextManager[Session]:
        raise NotImplementedError

    def _require(self, role: str, what: str) -> None:
        raise NotImplementedError

    def _load_db_method(self) -> Methodology | None:
        """The method stored in the database (None: none set, the shipped default)."""
        with self._session() as s:
            row = s.exec(select(ScoringMethod).order_by(col(ScoringMethod.id).desc())).first()
        if row is None:
            return None
        try:
            return parse_methodology(row.toml, f"the database's method {row.version}")
        except MethodologyError as exc:
            raise StoreError(
                f"the method stored in this database no longer validates: {exc}; an admin "
                "can set a valid one with `resilience method set FILE`"
            ) from None

    def method_in_use(self) -> MethodInfo:
        """The method this database scores with, and who set it when."""
        with self._session() as s:
            row = s.exec(select(ScoringMethod).order_by(col(ScoringMethod.id).desc())).first()
        return _info(row) if row is not None else _shipped_info()

    def method_history(self) -> list[MethodInfo]:
        """Every method set in this database, oldest first (empty: only the default)."""
        with self._session() as s:
            rows = s.exec(select(ScoringMethod).order_by(col(ScoringMethod.id))).all()
        return [_info(r) for r in rows]

    def set_method(self, text: str, source: str, reason: str = "") -> MethodInfo:
        """Make the method in ``text`` the one this database scores with (admin only).

        Stored results keep the method they were scored with; rescore a month
        (``resilience score --from-db --period P --save``) to apply the new one."""
        self._require("admin", "changing the scoring method")
        method = parse_methodology(text, source)  # MethodologyError names the key
        current = self.method_in_use()
        if current.sha256 == _sha(text):
            raise StoreError(f"{source}: this database already scores with this method")
        if method.version == current.version:
            raise StoreError(
                f"{source}: the method has version {method.version!r}, the same as the "
                "method in use but different rules; give the changed file a new `version` "
                "so every stored result says which method produced it"
            )
        row = ScoringMethod(
            version=method.version,
            name=method.name,
            toml=text,
            sha256=_sha(text),
            set_at=datetime.now(UTC),
            set_by=self.user,
            reason=reason.strip(),
        )
        with self._write() as s:
            s.add(row)
            s.add(
                audit_entry(
                    self.user,
                    "set",
                    "scoring_method",
                    method.version,
                    field="version",
                    old_value=current.version,
                    new_value=f"{method.version} from {source}"
                    + (f": {reason.strip()}" if reason.strip() else ""),
                    at=row.set_at,
                )
            )
        self.db_method = method
        self.method = method
        return _info(row)

    def check_saving_method(self) -> None:
        """Refuse to save results scored with a method that is not the database's."""
        in_use = self.db_method or default_methodology()
        if self.method != in_use:
            raise StoreError(
                f"this database scores with method {in_use.version}; results scored with "
                f"{self.method.version} are not saved, so one database never mixes two "
                "methods. Score without --save for a what-if, or have an admin make it "
                "the database's method with `resilience method set FILE`"
            )
