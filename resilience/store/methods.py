"""One scoring method per database: reading and setting the method this database scores
with (see ``resilience.methods``)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import col, select

from resilience.audit import audit_entry
from resilience.errors import StoreError
from resilience.methods import MethodInfo, _info, _sha, _shipped_info
from resilience.models import ScoringMethod
from resilience.store.database import Database
from scoring import Methodology, MethodologyError, default_methodology, parse_methodology


class MethodRepository:
    """The method in use and its history."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def load_db_method(self) -> Methodology | None:
        """The method stored in the database (None: none set, the shipped default)."""
        with self.db.read() as s:
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
        with self.db.read() as s:
            row = s.exec(select(ScoringMethod).order_by(col(ScoringMethod.id).desc())).first()
        return _info(row) if row is not None else _shipped_info()

    def method_history(self) -> list[MethodInfo]:
        """Every method set in this database, oldest first (empty: only the default)."""
        with self.db.read() as s:
            rows = s.exec(select(ScoringMethod).order_by(col(ScoringMethod.id))).all()
        return [_info(r) for r in rows]

    def set_method(self, text: str, source: str, reason: str = "") -> MethodInfo:
        """Make the method in ``text`` the one this database scores with (admin only).

        Stored results keep the method they were scored with; rescore a month
        (``resilience score --from-db --period P --save``) to apply the new one."""
        self.db.require("admin", "changing the scoring method")
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
            set_by=self.db.user,
            reason=reason.strip(),
        )
        with self.db.write() as s:
            s.add(row)
            s.add(
                audit_entry(
                    self.db.user,
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
        self.db.db_method = method
        self.db.method = method
        return _info(row)

    def check_saving_method(self) -> None:
        """Refuse to save results scored with a method that is not the database's."""
        in_use = self.db.db_method or default_methodology()
        if self.db.method != in_use:
            raise StoreError(
                f"this database scores with method {in_use.version}; results scored with "
                f"{self.db.method.version} are not saved, so one database never mixes two "
                "methods. Score without --save for a what-if, or have an admin make it "
                "the database's method with `resilience method set FILE`"
            )
