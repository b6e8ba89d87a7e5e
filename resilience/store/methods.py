"""One scoring method per database: reading and setting the method this database scores
with (see ``resilience.methods``).

A new database stores the shipped method at once (pinned at creation); a database made
before that stores it at the first save of a result. Either way an upgrade of
resilience that ships a new method never changes the method a database scores with:
only an admin does, with ``resilience method set``."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, func, select

from resilience.audit import audit_entry
from resilience.errors import StoreError
from resilience.methods import MethodInfo, _info, _sha, _shipped_info, shipped_text
from resilience.models import ScoringMethod
from resilience.store.database import Database
from scoring import Methodology, MethodologyError, default_methodology, parse_methodology

PINNED_AT_CREATION = "pinned the shipped method at creation"
PINNED_AT_FIRST_SAVE = "pinned the shipped method at the first save of a result"
PINNED_BEFORE_CHANGE = "the shipped method, in use until the first change of method"


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

    def result_methods(self, period: str | None = None) -> dict[str, int]:
        """Method version -> how many stored results it made: every version of every
        month (what a database made before methods were pinned was scored with), or with
        ``period`` each practice's current version of that month (what a report shows)."""
        from resilience.models import Assessment, ReviewPeriod
        from resilience.store.queries import newest_first

        with self.db.read() as s:
            if period is None:
                rows = s.exec(
                    select(Assessment.methodology_version, func.count()).group_by(
                        col(Assessment.methodology_version)
                    )
                ).all()
                return {str(version): int(count) for version, count in rows}
            rank = newest_first(
                partition_by=Assessment.practice_id, order_by=col(Assessment.version).desc()
            )
            current = (
                select(Assessment.methodology_version, rank)
                .join(ReviewPeriod, col(Assessment.period_id) == ReviewPeriod.id)
                .where(ReviewPeriod.period == period)
            ).subquery()
            made = s.connection().execute(
                sa_select(current.c.methodology_version, func.count())
                .where(current.c.rank == 1)
                .group_by(current.c.methodology_version)
            )
            return {str(version): int(count) for version, count in made}

    def method_named(self, version: str) -> Methodology | None:
        """The method ``version`` names in this database's history (or the shipped one);
        None when it is not known here (a result scored before methods were stored)."""
        if version == self.db.method.version:
            return self.db.method
        for info in (*reversed(self.method_history()), _shipped_info()):
            if info.version == version:
                try:
                    return parse_methodology(info.text, f"method {version}")
                except MethodologyError:
                    return None
        return None

    def set_method(self, text: str, source: str, reason: str = "") -> MethodInfo:
        """Make the method in ``text`` the one this database scores with (admin only).

        Stored results keep the method they were scored with; rescore a month
        (``resilience score --from-db --period P --save``) to apply the new one."""
        self.db.require("admin", "changing the scoring method")
        method = parse_methodology(text, source)  # MethodologyError names the key
        current = self.method_in_use()
        sha = _sha(text)
        if _sha(current.text) == sha:
            raise StoreError(f"{source}: this database already scores with this method")
        self._refuse_reused_version(method.version, sha, source, current)
        row = _method_row(text, method, self.db.user, reason.strip())
        with self.db.write() as s:
            if s.exec(select(ScoringMethod.id)).first() is None:
                # the shipped method was in use until now: kept in the history with why
                _add_shipped(s, self.db.user, PINNED_BEFORE_CHANGE)
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

    def _refuse_reused_version(
        self, version: str, sha: str, source: str, current: MethodInfo
    ) -> None:
        """One version names one set of rules: a version this database has used before
        (or the shipped method's) is refused for different rules. Setting the very same
        rules again is a re-activation, allowed (it is audited like any change)."""
        shipped = _shipped_info()
        for info in (current, *reversed(self.method_history()), shipped):
            if info.version != version or _sha(info.text) == sha:
                continue
            if info is current:
                where = "the same as the method in use but different rules"
            elif info is shipped:
                where = "the shipped method's version, with different rules"
            else:
                when = f"{info.set_at:%Y-%m-%d}" if info.set_at else "earlier"
                where = (
                    f"already used in this database (set {when} by {info.set_by}) for "
                    "different rules"
                )
            raise StoreError(
                f"{source}: the method has version {version!r}, {where}; give the changed "
                "file a new `version` so every stored result says which method produced it"
            )

    def pin_shipped(self, reason: str, actor: str | None = None) -> bool:
        """Store the shipped method as this database's method when none is stored yet
        (audited: who, when, why). False when one was stored already (perhaps by
        someone else a moment ago): nothing is written then."""
        with self.db.write() as s:
            if s.exec(select(ScoringMethod.id)).first() is not None:
                return False
            _add_shipped(s, actor or self.db.user, reason)
        self.db.db_method = default_methodology()
        return True

    def check_saving_method(self) -> None:
        """Refuse to save results scored with a method that is not the database's; and
        when the database has no method stored yet (made before methods were pinned at
        creation), store the shipped one now, so the results saved are traceable to
        rules an upgrade cannot change."""
        in_use = self.db.db_method or default_methodology()
        if self.db.method != in_use:
            raise StoreError(
                f"this database scores with method {in_use.version}; results scored with "
                f"{self.db.method.version} are not saved, so one database never mixes two "
                "methods. Score without --save for a what-if, or have an admin make it "
                "the database's method with `resilience method set FILE`"
            )
        if self.db.db_method is None:
            self.pin_shipped(PINNED_AT_FIRST_SAVE)


def _method_row(text: str, method: Methodology, who: str, reason: str) -> ScoringMethod:
    """A method's row in the history: its text, version, name and fingerprint, now."""
    return ScoringMethod(
        version=method.version,
        name=method.name,
        toml=text,
        sha256=_sha(text),
        set_at=datetime.now(UTC),
        set_by=who,
        reason=reason,
    )


def _add_shipped(s: Session, who: str, reason: str) -> None:
    """Add the shipped method to the history in the session ``s``, audited."""
    text = shipped_text()
    method = default_methodology()
    row = _method_row(text, method, who, reason)
    s.add(row)
    s.add(
        audit_entry(
            who,
            "set",
            "scoring_method",
            method.version,
            field="version",
            new_value=f"{method.version} (shipped): {reason}",
            at=row.set_at,
        )
    )
