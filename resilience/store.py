"""The store: the only code that talks to the database.

Screens and CLI commands call these methods and get plain objects from
``resilience.domain`` back. Every write is one transaction: it lands whole or not at all.
"""

from __future__ import annotations

import calendar
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Engine, func, insert, or_
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, col, select

from resilience.audit import audit_entry
from resilience.commissioners import CommissionerMixin
from resilience.db import (
    SQLITE_BUSY_TIMEOUT_MS,
    WRITING,
    make_engine,
    migrate,
    require_existing,
    resolve_url,
    warn_if_shared,
)
from resilience.domain import (
    DERIVED_FINDINGS,
    FINDING_FIELDS,
    STORED_FINDINGS,
    AgendaRow,
    ApplicationInfo,
    AssessmentVersion,
    CohortInfo,
    NewAssessment,
    PeriodInfo,
    PracticeRow,
    ReviewContext,
    SoftIntel,
    short_label,
)
from resilience.errors import ConflictError, PermissionDenied, StoreError, current_user
from resilience.importers import IMPORTER_VERSION, Change, ImportPlan
from resilience.methods import MethodMixin
from resilience.models import (
    Action,
    Application,
    Assessment,
    AuditLog,
    Cohort,
    CohortQuota,
    Commissioner,
    Decision,
    Federation,
    ImportBatch,
    Locality,
    Practice,
    PracticeFigure,
    ReviewPeriod,
    Setting,
    SoftIntelEntry,
)
from resilience.people import MASK, PeopleMixin
from resilience.scope import ScopeMixin, is_active
from scoring import (
    AREAS,
    HistoryPoint,
    Methodology,
    PracticeInputs,
    ScoreResult,
    SoftIntelItem,
    default_methodology,
    period_bounds,
    score,
    summarise_soft_intel,
)
from scoring.allocation import LEVELS, ROUTES
from scoring.inputs import PERIOD_PATTERN
from scoring.metrics import LABELS, raw_inputs_of

DEMO_SETTING = "demo_data"


def now() -> datetime:
    return datetime.now(UTC)


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


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)


class Store(CommissionerMixin, PeopleMixin, ScopeMixin, MethodMixin):
    """Service layer over one database (SQLite file or any SQLAlchemy URL)."""

    def __init__(
        self, engine: Engine, method: Methodology | None = None, user: str | None = None
    ) -> None:
        self.engine = engine
        self.method = method or default_methodology()
        self.db_method: Methodology | None = None  # the database's method (None: default)
        self.user = user or current_user()  # who is asking: their role decides what they may
        self.account = current_user()  # who is really running this (see _settle_identity)
        self._role: str | None = None

    @classmethod
    def open(
        cls,
        db: str | None = None,
        *,
        apply_migrations: bool = True,
        method: Methodology | None = None,
        user: str | None = None,
        create: bool = False,
    ) -> Store:
        """Open the database at ``db``, migrated to the latest schema; a SQLite file that
        does not exist is created only with ``create``. ``method`` scores what this store
        saves (default: the shipped method). ``user`` (default: the account running this
        process; on PostgreSQL the server session's user) is who is asking; naming someone
        else is allowed only to the accounts an admin made them a delegate of. Whoever
        creates a new database becomes its admin."""
        url = resolve_url(db)
        if not create:
            require_existing(url)
        engine = make_engine(url)
        created = migrate(engine) if apply_migrations else False
        warn_if_shared(url)
        store = cls(engine, method, user)
        if apply_migrations:
            # one method per database: score with the database's unless told otherwise
            store.db_method = store._load_db_method()
            if method is None and store.db_method is not None:
                store.method = store.db_method
            store._settle_identity(user, created=created)
            _ = store.role  # resolved once, here, off the UI thread
        return store

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def close(self) -> None:
        self.engine.dispose()

    def _session(self) -> Session:
        return Session(self.engine, expire_on_commit=False, info={"account": self.account})

    @contextmanager
    def _write(self) -> Iterator[Session]:
        """One write transaction: all of it is committed, or none of it.

        On SQLite it takes the write lock at the start and waits its turn behind other
        writers (up to the busy timeout), so concurrent saves queue instead of failing.
        """
        try:
            with self._session() as s, s.begin():
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
        with self._session() as s:
            row = s.get(Setting, key)
            return row.value if row else None

    def is_demo(self) -> bool:
        return self.get_setting(DEMO_SETTING) == "true"

    def is_empty(self) -> bool:
        with self._session() as s:
            return s.exec(select(func.count()).select_from(Practice)).one() == 0

    # ----------------------------------------------------------------- organisations

    def load_register(
        self,
        commissioners: Sequence[dict[str, Any]],
        localities: Sequence[dict[str, Any]],
        federations: Sequence[dict[str, Any]],
        practices: Sequence[dict[str, Any]],
        *,
        actor: str,
        settings: dict[str, str] | None = None,
    ) -> None:
        """Add organisations and practices in one transaction (codes name the links)."""
        self._require("editor", "loading the register")
        with self._write() as s:
            by_code: dict[str, Commissioner] = {}
            for c in commissioners:
                row = Commissioner(
                    code=c["code"],
                    name=c["name"],
                    short_name=c.get("short_name", ""),
                    kind=c.get("kind", "ccg"),
                    parent_id=by_code[c["parent"]].id if c.get("parent") else None,
                )
                s.add(row)
                s.flush()
                by_code[row.code] = row
            locality_ids: dict[tuple[str, str], int] = {}
            for loc in localities:
                row_l = Locality(
                    name=loc["name"],
                    kind=loc.get("kind", "locality"),
                    commissioner_id=self._need(by_code, loc["commissioner"], "commissioner").id,
                )
                s.add(row_l)
                s.flush()
                assert row_l.id is not None
                locality_ids[(loc["commissioner"], loc["name"])] = row_l.id
            federation_ids: dict[str, int] = {}
            for fed in federations:
                row_f = Federation(
                    name=fed["name"],
                    commissioner_id=by_code[fed["commissioner"]].id
                    if fed.get("commissioner")
                    else None,
                )
                s.add(row_f)
                s.flush()
                assert row_f.id is not None
                federation_ids[fed["name"]] = row_f.id
            for p in practices:
                commissioner = self._need(by_code, p["commissioner"], "commissioner")
                s.add(
                    Practice(
                        ods_code=p["ods_code"],
                        name=p["name"],
                        postcode=p.get("postcode", ""),
                        commissioner_id=commissioner.id,
                        locality_id=locality_ids[(p["commissioner"], p["locality"])]
                        if p.get("locality")
                        else None,
                        federation_id=federation_ids[p["federation"]]
                        if p.get("federation")
                        else None,
                        contract_type=p["contract_type"],
                        clinical_system=p.get("clinical_system", ""),
                        status=p.get("status", "active"),
                        opened_on=p.get("opened_on"),
                        closed_on=p.get("closed_on"),
                        list_size=p.get("list_size"),
                    )
                )
            for key, value in (settings or {}).items():
                s.merge(Setting(key=key, value=value))
            s.add(
                audit_entry(
                    actor,
                    "load_register",
                    "practice",
                    "",
                    new_value=f"{len(practices)} practices, {len(commissioners)} commissioners",
                )
            )

    @staticmethod
    def _practice_ids(s: Session, codes: list[str]) -> dict[str, int]:
        """ODS code -> practice id, for the codes asked about (unknown codes left out)."""
        rows = s.exec(
            select(Practice.ods_code, Practice.id).where(col(Practice.ods_code).in_(set(codes)))
        ).all()
        return {code: pid for code, pid in rows if pid is not None}

    @staticmethod
    def _need(mapping: dict[str, Any], key: str, what: str) -> Any:
        try:
            return mapping[key]
        except KeyError:
            raise StoreError(f"unknown {what} {key!r}") from None

    def list_practices(
        self,
        period: str | None = None,
        *,
        ods_code: str | None = None,
        include_closed: bool = False,
    ) -> list[PracticeRow]:
        """Every practice in scope (or only ``ods_code``) with its latest assessment, up to
        ``period`` when given; closed and dormant ones only with ``include_closed``."""
        with self._session() as s:
            query = (
                select(Practice, Commissioner, Locality, Federation)
                .join(Commissioner, col(Practice.commissioner_id) == Commissioner.id)
                .outerjoin(Locality, col(Practice.locality_id) == Locality.id)
                .outerjoin(Federation, col(Practice.federation_id) == Federation.id)
                .order_by(col(Practice.ods_code))
            )
            if ods_code is not None:
                query = query.where(Practice.ods_code == ods_code)
            else:
                query = self._in_scope(s, query)
            rows = s.exec(query).all()
            if ods_code is None and not include_closed:
                rows = [r for r in rows if is_active(r[0].status, r[0].closed_on, period)]
            ids = [p.id for p, *_ in rows] if ods_code is not None else None
            latest = self._latest_assessments(s, period, ids)
            result = []
            for practice, commissioner, locality, federation in rows:
                a = latest.get(practice.id or 0)
                result.append(
                    PracticeRow(
                        ods_code=practice.ods_code,
                        name=practice.name,
                        commissioner_code=commissioner.code,
                        commissioner_name=commissioner.name,
                        locality=locality.name if locality else "",
                        federation=federation.name if federation else "",
                        contract_type=practice.contract_type,
                        clinical_system=practice.clinical_system,
                        list_size=practice.list_size
                        if practice.list_size is not None
                        else (a.list_size if a else None),
                        gp_fte=a.gp_fte if a else None,
                        nurse_fte=a.nurse_fte if a else None,
                        gp_headcount=a.gp_headcount if a else None,
                        gp_aged_55_59=a.gp_aged_55_59 if a else None,
                        gp_aged_60_plus=a.gp_aged_60_plus if a else None,
                        status=practice.status,
                        commissioner_short_name=commissioner.short_name,
                        latest_period=a.period if a else None,
                        score=a.score if a else None,
                        band=a.band if a else None,
                    )
                )
            return result

    def _latest_assessments(
        self,
        s: Session,
        period: str | None,
        practice_ids: list[Any] | None = None,
        *,
        with_result: bool = False,
        fields: Sequence[str] | None = None,
    ) -> dict[int, Any]:
        """practice id -> its newest assessment row (latest month, then latest version),
        for every practice or only ``practice_ids``; ``with_result`` adds result_json.

        Ten years of monthly reviews is most of a million rows, so this never ranks them
        all: it looks for each practice's newest version in the most recent months first
        (the index on the month), widens the window only for practices not found yet, and
        then reads the full rows of the winners alone."""
        months = s.exec(
            select(ReviewPeriod.id, ReviewPeriod.period)
            .where(True if period is None else col(ReviewPeriod.period) <= period)
            .order_by(col(ReviewPeriod.period).desc())
        ).all()
        if practice_ids is None:
            wanted = set(s.exec(select(Practice.id)).all())
        else:
            wanted = set(practice_ids)
        month_of = dict(months)
        best: dict[int, tuple[str, int, int]] = {}  # practice -> (period, version, id)
        start = 0
        for size in (3, 12, len(months)):
            window = [pid for pid, _ in months[start : start + size]]
            start += size
            if not window or not wanted:
                break
            query = select(
                Assessment.practice_id, Assessment.period_id, Assessment.version, Assessment.id
            ).where(col(Assessment.period_id).in_(window))
            if practice_ids is not None or len(wanted) < 1_000:
                query = query.where(col(Assessment.practice_id).in_(sorted(wanted)))
            for pid, period_id, version, aid in s.exec(query).all():
                if pid not in wanted:
                    continue
                key = (month_of[period_id], version, aid)
                if pid not in best or key > best[pid]:
                    best[pid] = key
            wanted -= best.keys()
        ids = [aid for _, _, aid in best.values()]
        keep = None if fields is None else {"practice_id", "version", *fields}
        columns = [
            c
            for c in Assessment.__table__.c
            if (with_result or c.name != "result_json") and (keep is None or c.name in keep)
        ]
        out: dict[int, Any] = {}
        for chunk in range(0, len(ids), 5_000):
            rows = s.connection().execute(
                select(*columns, col(ReviewPeriod.period).label("period"))
                .join(ReviewPeriod, col(Assessment.period_id) == ReviewPeriod.id)
                .where(col(Assessment.id).in_(ids[chunk : chunk + 5_000]))
            )
            for row in rows.mappings():
                out[row["practice_id"]] = _Row(row)
        return out

    # ----------------------------------------------------------------- periods

    def open_period(self, period: str, *, actor: str | None = None) -> PeriodInfo:
        check_period(period)
        actor = actor or self.user
        self._require("editor", "opening a review month")
        with self._write() as s:
            existing = s.exec(select(ReviewPeriod).where(ReviewPeriod.period == period)).first()
            if existing:
                return _period_info(existing)
            row = ReviewPeriod(period=period, status="open", opened_at=now(), opened_by=actor)
            s.add(row)
            s.add(audit_entry(actor, "open", "review_period", period))
            s.flush()
            return _period_info(row)

    def unreviewed(self, period: str) -> list[str]:
        """ODS codes of practices with no version saved for ``period``."""
        return [r.ods_code for r in self.agenda_rows(period) if not r.reviewed]

    def close_period(self, period: str, *, actor: str | None = None) -> PeriodInfo:
        actor = actor or self.user
        self._require("editor", "closing a review month")
        with self._write() as s:
            row = self._period_row(s, period)
            if row.status == "closed":
                raise StoreError(f"{period} is already closed")
            row.status, row.closed_at, row.closed_by = "closed", now(), actor
            s.add(row)
            s.add(
                audit_entry(
                    actor,
                    "close",
                    "review_period",
                    period,
                    field="status",
                    old_value="open",
                    new_value="closed",
                )
            )
            s.flush()
            return _period_info(row)

    def periods(self) -> list[PeriodInfo]:
        with self._session() as s:
            rows = s.exec(select(ReviewPeriod).order_by(col(ReviewPeriod.period))).all()
            return [_period_info(r) for r in rows]

    def latest_period(self) -> PeriodInfo | None:
        """The newest review month (the one the meeting works on by default)."""
        periods = self.periods()
        return periods[-1] if periods else None

    def open_next_period(self, *, actor: str | None = None) -> PeriodInfo:
        """Open the month after the newest one. Nothing is saved for any practice: each
        practice's latest findings are its starting point until it is reviewed."""
        latest = self.latest_period()
        if latest is None:
            today = now()
            return self.open_period(f"{today.year:04d}-{today.month:02d}", actor=actor)
        return self.open_period(next_month(latest.period), actor=actor)

    @staticmethod
    def _period_row(s: Session, period: str) -> ReviewPeriod:
        check_period(period)
        row = s.exec(select(ReviewPeriod).where(ReviewPeriod.period == period)).first()
        if row is None:
            raise StoreError(
                f"there is no review period {period}; open it with: resilience month open {period}"
            )
        return row

    # ----------------------------------------------------------------- assessments

    def save_assessment(
        self,
        ods_code: str,
        period: str,
        findings: dict[str, Any],
        *,
        reason: str = "",
        actor: str | None = None,
        based_on_version: int | None = None,
        correction: bool = False,
    ) -> AssessmentVersion:
        """Save a new version of one practice's findings for ``period``; score it.
        ``correction`` allows a closed month: the version is marked as a correction."""
        return self.save_assessments(
            [NewAssessment(ods_code, period, findings, reason, based_on_version)],
            actor=actor,
            allow_closed=correction,
        )[0]

    def save_assessments(
        self,
        batch: Sequence[NewAssessment],
        *,
        actor: str | None = None,
        allow_closed: bool = False,
        saved_at: datetime | None = None,
        open_missing: bool = False,
    ) -> list[AssessmentVersion]:
        """Save several new versions in one transaction (all or nothing).
        ``saved_at`` is for loading history (the demo); otherwise it is now.
        ``open_missing`` opens a month that is not open yet in the same transaction
        (so a save that fails leaves no empty month behind).

        A version is never changed: each save adds the next version number. The score
        snapshot is computed here by the scoring engine with the practice's history.
        """
        actor = actor or self.user
        self._require("editor", "saving a review")
        if not batch:
            return []
        self.check_saving_method()
        saved: list[AssessmentVersion] = []
        with self._write() as s:
            periods = {n.period for n in batch}
            if open_missing:
                for p in sorted(periods):
                    check_period(p)
                    if not s.exec(select(ReviewPeriod).where(ReviewPeriod.period == p)).first():
                        s.add(
                            ReviewPeriod(period=p, status="open", opened_at=now(), opened_by=actor)
                        )
                        s.add(audit_entry(actor, "open", "review_period", p))
                s.flush()
            period_rows = {p: self._period_row(s, p) for p in sorted(periods)}
            for p, row in period_rows.items():
                if row.status == "closed" and not allow_closed:
                    raise StoreError(
                        f"{p} is closed; a change to a closed month must be saved as a "
                        "correction with a reason"
                    )
            codes = sorted({n.ods_code for n in batch})
            # FOR UPDATE (PostgreSQL; SQLite already holds the write lock): concurrent saves
            # of one practice queue here, so each reads the version the other just wrote
            locked = select(Practice).where(col(Practice.ods_code).in_(codes)).with_for_update()
            practices = {p.ods_code: p for p in s.exec(locked).all()}
            missing = [c for c in codes if c not in practices]
            if missing:
                raise StoreError(f"no practice with ODS code {', '.join(missing)}")
            practice_ids = [p.id for p in practices.values()]
            contexts = _register_context(s)
            history = self._history(s, practice_ids, max(periods))
            versions = self._current_versions(s, practice_ids, periods)
            entries = self._soft_items(s, practice_ids)
            previous_findings = self._latest_findings(s, practice_ids)

            assessment_rows: list[dict[str, Any]] = []
            audit_rows: list[dict[str, Any]] = []
            for item in batch:
                practice = practices[item.ods_code]
                pid = practice.id
                assert pid is not None
                period_row = period_rows[item.period]
                current = versions.get((pid, item.period), 0)
                if item.based_on_version is not None and item.based_on_version != current:
                    raise ConflictError(item.ods_code, item.period, item.based_on_version, current)
                if period_row.status == "closed" and not item.reason.strip():
                    raise StoreError(
                        f"{item.period} is closed: a correction needs a reason saying what "
                        "was wrong"
                    )
                if current and not item.reason.strip():
                    raise StoreError(
                        f"{item.ods_code} {item.period} already has version {current}; "
                        "give a reason for the new version"
                    )
                findings = _clean_findings(item.ods_code, item.findings)
                findings.update(
                    summarise_soft_intel(entries.get(pid, ()), item.period, self.method)
                )
                inputs = _to_inputs(
                    item.ods_code, item.period, findings, entries.get(pid), contexts.get(pid)
                )
                earlier = [h for h in history.get(pid, []) if h.period < item.period]
                result = score(inputs, self.method, earlier)
                version = current + 1
                row = dict(
                    practice_id=pid,
                    period_id=period_row.id,
                    version=version,
                    author=actor,
                    created_at=saved_at or now(),
                    reason=item.reason.strip(),
                    is_correction=period_row.status == "closed",
                    methodology_version=result.methodology_version,
                    score=result.score,
                    band=result.band,
                    trend=result.trend,
                    summary=result.summary,
                    data_completeness=result.data_completeness,
                    result_json=json.dumps(result.to_dict(), separators=(",", ":")),
                    **{f"{a.area}_band": a.band for a in result.areas},
                    **findings,
                )
                assessment_rows.append(row)
                before = previous_findings.get(pid, {})
                entity_id = f"{item.ods_code}/{item.period}/v{version}"
                audit_rows.append(
                    dict(
                        at=row["created_at"],
                        actor=actor,
                        action="save",
                        entity="assessment",
                        entity_id=entity_id,
                        field="score",
                        old_value=_text(before.get("_score")),
                        new_value=f"{result.score} {result.band}",
                    )
                )
                for name in STORED_FINDINGS:
                    if before and before.get(name) != findings.get(name):
                        audit_rows.append(
                            dict(
                                at=row["created_at"],
                                actor=actor,
                                action="change",
                                entity="assessment",
                                entity_id=entity_id,
                                field=name,
                                old_value=_text(before.get(name)),
                                new_value=_text(findings.get(name)),
                            )
                        )
                previous_findings[pid] = {**findings, "_score": f"{result.score} {result.band}"}
                versions[(pid, item.period)] = version
                history.setdefault(pid, [])
                history[pid] = [h for h in history[pid] if h.period != item.period] + [
                    HistoryPoint(item.period, result.score, result.band)
                ]
                history[pid].sort()
                saved.append(
                    AssessmentVersion(
                        ods_code=item.ods_code,
                        period=item.period,
                        version=version,
                        author=actor,
                        created_at=row["created_at"],
                        reason=row["reason"],
                        is_correction=row["is_correction"],
                        findings=findings,
                        result=result,
                    )
                )
            # plain multi-row inserts: thousands of ORM objects cost seconds at a
            # national rescoring, and nothing here needs them back
            s.connection().execute(insert(Assessment.__table__), assessment_rows)
            if audit_rows:
                rows = [{**r, "account": self.account} for r in audit_rows]
                s.connection().execute(insert(AuditLog.__table__), rows)
        return saved

    def _history(
        self, s: Session, practice_ids: list[Any], up_to: str
    ) -> dict[int, list[HistoryPoint]]:
        """practice id -> (period, score, band) of each month's latest version, oldest first,
        for the HISTORY_MONTHS before ``up_to``: all the engine's trend reads (a run of
        deteriorations cannot outlast it, as each needs 5 more points or a worse band),
        and far less than reading ten years of every practice at each save."""
        cutoff = up_to
        for _ in range(HISTORY_MONTHS):
            cutoff = previous_month(cutoff)
        month_ids = dict(
            s.exec(
                select(ReviewPeriod.id, ReviewPeriod.period)
                .where(col(ReviewPeriod.period) <= up_to)
                .where(col(ReviewPeriod.period) > cutoff)
            ).all()
        )
        query = select(
            Assessment.practice_id,
            Assessment.period_id,
            Assessment.version,
            Assessment.score,
            Assessment.band,
        ).where(col(Assessment.period_id).in_(list(month_ids)))
        if len(practice_ids) < 1_000:  # else: every practice; the month index is enough
            query = query.where(col(Assessment.practice_id).in_(practice_ids))
        wanted = set(practice_ids)
        latest: dict[tuple[int, str], tuple[int, float, str]] = {}
        for pid, period_id, version, score_, band in s.connection().execute(query):
            if pid not in wanted:
                continue
            key = (pid, month_ids[period_id])
            if key not in latest or version > latest[key][0]:
                latest[key] = (version, score_, band)
        history: dict[int, list[HistoryPoint]] = defaultdict(list)
        for (pid, period), (_, score_, band) in sorted(latest.items(), key=lambda kv: kv[0][1]):
            history[pid].append(HistoryPoint(period, score_, band))
        return history

    @staticmethod
    def _current_versions(
        s: Session, practice_ids: list[Any], periods: Iterable[str]
    ) -> dict[tuple[int, str], int]:
        rows = s.exec(
            select(Assessment.practice_id, ReviewPeriod.period, func.max(Assessment.version))
            .join(ReviewPeriod, col(Assessment.period_id) == ReviewPeriod.id)
            .where(col(Assessment.practice_id).in_(practice_ids))
            .where(col(ReviewPeriod.period).in_(list(periods)))
            .group_by(Assessment.practice_id, ReviewPeriod.period)
        ).all()
        return {(pid, period): version for pid, period, version in rows}

    def _latest_findings(self, s: Session, practice_ids: list[Any]) -> dict[int, dict[str, Any]]:
        latest = self._latest_assessments(
            s, None, practice_ids, fields=(*STORED_FINDINGS, "score", "band")
        )
        return {
            pid: {
                **{f: getattr(row, f) for f in STORED_FINDINGS},
                "_score": f"{row.score} {row.band}",
            }
            for pid, row in latest.items()
        }

    @staticmethod
    def _soft_items(s: Session, practice_ids: list[Any]) -> dict[int, list[SoftIntelItem]]:
        rows = s.exec(
            select(SoftIntelEntry).where(col(SoftIntelEntry.practice_id).in_(practice_ids))
        ).all()
        items: dict[int, list[SoftIntelItem]] = defaultdict(list)
        for e in rows:
            items[e.practice_id].append(
                SoftIntelItem(
                    received=e.received_on,
                    source=e.source,
                    category=e.category,
                    severity=e.severity,
                    confidence=e.confidence,  # type: ignore[arg-type]
                    corroborated=e.corroborated,
                    whistleblowing=e.whistleblowing,
                    expires=e.expires_on,
                )
            )
        return items

    def latest_assessment(
        self, ods_code: str, period: str | None = None
    ) -> AssessmentVersion | None:
        """The newest version for ``period`` (or the newest of any month)."""
        versions = self.assessment_versions(ods_code, period)
        return versions[-1] if versions else None

    def assessment_versions(
        self, ods_code: str, period: str | None = None
    ) -> list[AssessmentVersion]:
        """Every saved version for a practice (one month, or all), oldest first."""
        with self._session() as s:
            query = (
                select(Assessment, ReviewPeriod.period)
                .join(ReviewPeriod, col(Assessment.period_id) == ReviewPeriod.id)
                .join(Practice, col(Assessment.practice_id) == Practice.id)
                .where(Practice.ods_code == ods_code)
                .order_by(col(ReviewPeriod.period), col(Assessment.version))
            )
            if period is not None:
                query = query.where(ReviewPeriod.period == period)
            return [_version(ods_code, p, a) for a, p in s.exec(query).all()]

    def period_inputs(
        self, period: str, *, versions: dict[str, int] | None = None
    ) -> list[tuple[PracticeInputs, tuple[HistoryPoint, ...]]]:
        """The engine inputs of every practice for ``period``, with its earlier months:
        the saved version where the practice was reviewed, else its starting point
        (last findings carried forward, newer imported figures on top).

        ``versions``, when given, is filled with each practice's version number for the
        period as read here (0: none), for saves that must not overwrite a newer one."""
        check_period(period)
        with self._session() as s:
            self._period_row(s, period)
            latest = self._latest_assessments(s, period)
            figures = self._figures(s, None, month_end(period))
            codes = {
                pid: code
                for pid, code, status, closed_on in s.exec(
                    self._in_scope(
                        s,
                        select(Practice.id, Practice.ods_code, Practice.status, Practice.closed_on),
                    )
                ).all()
                if is_active(status, closed_on, period)
            }
            ids = [pid for pid in codes if pid in latest or pid in figures]
            entries = self._soft_items(s, ids)
            history = self._history(s, ids, period)
            contexts = _register_context(s)
        out = []
        for pid in sorted(ids, key=lambda i: codes[i]):
            row = latest.get(pid)
            if versions is not None:
                versions[codes[pid]] = (
                    row.version if row is not None and row.period == period else 0
                )
            if row is not None and row.period == period:
                findings = {f: getattr(row, f) for f in FINDING_FIELDS}
            else:  # not reviewed this month: carried forward, newer public figures on top
                findings, _ = self._prefill(row, figures.get(pid, {}))
            inputs = _to_inputs(codes[pid], period, findings, entries.get(pid), contexts.get(pid))
            earlier = tuple(h for h in history.get(pid, []) if h.period < period)
            out.append((inputs, earlier))
        return out

    def period_snapshot(self, period: str, *, include_closed: bool = False) -> list[dict[str, Any]]:
        """Every assessed practice in scope for ``period``: identity, findings and result,
        from this month's latest version or, where not yet reviewed, the one carried
        forward. Closed and dormant practices only with ``include_closed``."""
        check_period(period)
        with self._session() as s:
            self._period_row(s, period)
            latest = self._latest_assessments(s, period, with_result=True)
            rows = s.exec(
                self._in_scope(
                    s,
                    select(Practice, Commissioner, Locality)
                    .join(Commissioner, col(Practice.commissioner_id) == Commissioner.id)
                    .outerjoin(Locality, col(Practice.locality_id) == Locality.id)
                    .order_by(col(Practice.ods_code)),
                )
            ).all()
        out = []
        for practice, commissioner, locality in rows:
            a = latest.get(practice.id or 0)
            if a is None:
                continue
            if not include_closed and not is_active(practice.status, practice.closed_on, period):
                continue
            out.append(
                {
                    "ods_code": practice.ods_code,
                    "name": practice.name,
                    "commissioner_code": commissioner.code,
                    "commissioner": commissioner.short_name or commissioner.name,
                    "locality": locality.name if locality else "",
                    "reviewed": a.period == period,
                    "assessed_in": a.period,
                    "version": a.version,
                    "author": a.author,
                    "findings": {f: getattr(a, f) for f in STORED_FINDINGS},
                    "result": ScoreResult.from_dict(json.loads(a.result_json)),
                }
            )
        return out

    def soft_intel_for_export(
        self, *, include_confidential: bool, actor: str | None = None
    ) -> tuple[list[SoftIntel], int]:
        """Every soft-intelligence entry for an export, and how many confidential ones
        were withheld. Exporting confidential entries is written to the audit log."""
        actor = actor or self.user
        with self._session() as s:
            rows = s.exec(
                select(SoftIntelEntry, Practice.ods_code)
                .join(Practice, col(SoftIntelEntry.practice_id) == Practice.id)
                .order_by(col(Practice.ods_code), col(SoftIntelEntry.received_on))
            ).all()
        entries = [_soft_intel(code, row) for row, code in rows]
        withheld = [e for e in entries if e.confidential]
        if include_confidential and withheld and not self.can_see_confidential:
            raise PermissionDenied(
                f"{self.user} is a {self.role}: confidential entries are for "
                f"{', '.join(self.confidential_roles())} only; export without them"
            )
        if include_confidential:
            if withheld:
                with self._write() as s:
                    s.add(
                        audit_entry(
                            actor,
                            "export_confidential",
                            "soft_intel",
                            ",".join(str(e.id) for e in withheld),
                            new_value=f"{len(withheld)} confidential entries exported",
                        )
                    )
            return entries, 0
        return [e for e in entries if not e.confidential], len(withheld)

    def known_codes(self, codes: Iterable[str]) -> set[str]:
        """Which of these ODS codes are practices in the register."""
        with self._session() as s:
            return set(self._practice_ids(s, list(codes)))

    def period_results(self, period: str) -> dict[str, ScoreResult]:
        """ODS code -> the latest saved result for ``period``."""
        with self._session() as s:
            rank = _newest_first(
                partition_by=Assessment.practice_id, order_by=col(Assessment.version).desc()
            )
            inner = (
                select(Practice.ods_code, Assessment.result_json, rank)
                .join(Practice, col(Assessment.practice_id) == Practice.id)
                .join(ReviewPeriod, col(Assessment.period_id) == ReviewPeriod.id)
                .where(ReviewPeriod.period == period)
            ).subquery()
            rows = s.connection().execute(select(inner).where(inner.c.rank == 1))
            return {r.ods_code: ScoreResult.from_dict(json.loads(r.result_json)) for r in rows}

    # ----------------------------------------------------------------- the meeting

    def agenda_rows(self, period: str, *, include_closed: bool = False) -> list[AgendaRow]:
        """Every practice in scope for ``period``: its result this month, or the latest
        earlier result carried forward (not reviewed), beside last month's. Closed and
        dormant practices (``AgendaRow.active`` false) only with ``include_closed``."""
        check_period(period)
        start, end = period_bounds(period)
        with self._session() as s:
            floor_inputs = self._floor_inputs()
            current = self._latest_assessments(
                s, period, fields=(*AGENDA_FIELDS, *floor_inputs.values())
            )
            previous = self._latest_assessments(s, previous_month(period), fields=("score", "band"))
            new_intel = dict(
                s.exec(
                    select(SoftIntelEntry.practice_id, func.count())
                    .where(col(SoftIntelEntry.received_on) >= start)
                    .where(col(SoftIntelEntry.received_on) <= end)
                    .group_by(SoftIntelEntry.practice_id)
                ).all()
            )
            rows = (
                s.connection()
                .execute(  # plain rows: 6,700 ORM objects cost a third
                    select(
                        Practice.id,
                        Practice.ods_code,
                        Practice.name,
                        Practice.list_size,
                        Commissioner.code,
                        Commissioner.short_name,
                        col(Locality.name).label("locality"),
                        Practice.status,
                        Practice.closed_on,
                    )
                    .join(Commissioner, col(Practice.commissioner_id) == Commissioner.id)
                    .outerjoin(Locality, col(Practice.locality_id) == Locality.id)
                    .where(self._scope_where(s))
                    .order_by(col(Practice.ods_code))
                )
                .all()
            )
            contexts = _register_context(s)
            active = set(s.exec(select(Practice.id).where(Practice.status == "active")).all())
        # a closed or dormant practice needs no triage: it keeps "not assessed yet"
        public = self._public_results(
            period, [r for r in rows if r[0] in active], current, contexts
        )
        agenda = []
        for pid, ods_code, name, list_size, c_code, c_short, locality, status, closed in rows:
            active = is_active(status, closed, period)
            if not active and not include_closed:
                continue
            a, p = current.get(pid), previous.get(pid)
            reviewed = a is not None and a.period == period
            if a is None and pid in public:
                agenda.append(
                    _public_row(
                        public[pid], ods_code, name, c_code, c_short, locality, list_size, p
                    )
                )
                continue
            agenda.append(
                AgendaRow(
                    ods_code=ods_code,
                    name=name,
                    commissioner=short_label(c_short, c_code),
                    commissioner_code=c_code,
                    locality=locality or "",
                    list_size=list_size,
                    score=a.score if a else None,
                    band=a.band if a else None,
                    area_bands={area: getattr(a, f"{area}_band") for area in AREAS} if a else {},
                    previous_score=p.score if p else None,
                    previous_band=p.band if p else None,
                    reviewed=reviewed,
                    version=a.version if reviewed and a else 0,
                    contract_notices_open=(a.remedial_notices_open or 0)
                    + (a.breach_notices_open or 0)
                    if a
                    else 0,
                    new_soft_intel=new_intel.get(pid, 0),
                    summary=a.summary if a else "not assessed yet",
                    active=active,
                    to_confirm=tuple(
                        label for label, f in floor_inputs.items() if getattr(a, f) is None
                    )
                    if a
                    else (),
                )
            )
        return agenda

    def _floor_inputs(self) -> dict[str, str]:
        """Words -> stored finding column, for every raw input a floor of the method in
        use reads: unknown ones are the practice's "to confirm" list."""
        out: dict[str, str] = {}
        for floor in (*self.method.floors, *self.method.overall_floors):
            for name in raw_inputs_of(floor.input):
                if name in STORED_FINDINGS:
                    out.setdefault(LABELS.get(name, name), name)
        return out

    def _public_results(
        self,
        period: str,
        rows: Sequence[Any],
        current: dict[int, Any],
        contexts: dict[int, dict[str, Any]],
    ) -> dict[int, ScoreResult]:
        """Practice id -> a public-data score for practices with no result (triage)."""
        from resilience.triage import PUBLIC_FIELDS, public_result

        unscored = [r for r in rows if r[0] not in current]
        if not unscored:
            return {}
        figures = self.current_figures(PUBLIC_FIELDS, until=month_end(period))
        out: dict[int, ScoreResult] = {}
        for pid, ods_code, _name, list_size, *_ in unscored:
            result = public_result(
                ods_code,
                period,
                figures.get(ods_code, {}),
                list_size,
                contexts.get(pid, {}),
                self.method,
            )
            if result is not None:
                out[pid] = result
        return out

    def review_context(self, ods_code: str, period: str) -> ReviewContext:
        """What the review form starts from for one practice and month."""
        check_period(period)
        with self._session() as s:
            row = s.exec(
                select(Practice, Commissioner, Locality)
                .join(Commissioner, col(Practice.commissioner_id) == Commissioner.id)
                .outerjoin(Locality, col(Practice.locality_id) == Locality.id)
                .where(Practice.ods_code == ods_code)
            ).first()
            if row is None:
                raise StoreError(f"no practice with ODS code {ods_code}")
            practice, commissioner, locality = row
            period_row = self._period_row(s, period)
            pid = practice.id or 0
            latest = self._latest_assessments(s, period, [pid]).get(pid)
            before = self._latest_assessments(s, previous_month(period), [pid]).get(pid)
            history = [h for h in self._history(s, [pid], period).get(pid, []) if h.period < period]
            entries = self._soft_items(s, [pid]).get(pid, [])
            soft_rows = s.exec(
                select(SoftIntelEntry)
                .where(SoftIntelEntry.practice_id == pid)
                .order_by(col(SoftIntelEntry.received_on))
            ).all()
            register_context = _register_context(s).get(pid, {})

        def findings_of(a: Any) -> dict[str, Any]:
            return (
                {f: getattr(a, f) for f in FINDING_FIELDS}
                if a is not None
                else {f: None for f in FINDING_FIELDS}
            )

        this_month = latest is not None and latest.period == period
        prefilled: dict[str, str] = {}
        starting = findings_of(latest)
        with self._session() as s:
            figures = self._figures(s, [pid], month_end(period)).get(pid, {})
        if not this_month:
            starting, prefilled = self._prefill(latest, figures)
        imported = {
            name: (value, source)
            for name, (value, _, source) in figures.items()
            if name in FINDING_FIELDS
        }
        return ReviewContext(
            ods_code=ods_code,
            name=practice.name,
            commissioner=short_label(commissioner.short_name, commissioner.code),
            locality=locality.name if locality else "",
            period=period,
            period_closed=period_row.status == "closed",
            version=latest.version if this_month and latest else 0,
            version_is_correction=bool(this_month and latest and latest.is_correction),
            version_author=latest.author if this_month and latest else "",
            version_reason=latest.reason if this_month and latest else "",
            findings=starting,
            baseline=findings_of(before),
            prefilled=prefilled,
            imported=imported,
            carried_from=None if this_month or latest is None else latest.period,
            history=tuple(history),
            soft_intel=self._shown_entries(ods_code, soft_rows, f"review {ods_code} {period}"),
            soft_items=tuple(entries),
            register_context=register_context,
            method=self.method,
        )

    # ----------------------------------------------------------------- soft intelligence

    def add_soft_intel(
        self,
        ods_code: str,
        *,
        received_on: date,
        source: str,
        category: str,
        severity: int,
        confidence: str,
        text: str,
        corroborated: bool = False,
        whistleblowing: bool = False,
        confidential: bool = False,
        expires_on: date | None = None,
        actor: str | None = None,
    ) -> SoftIntel:
        return self.add_soft_intel_many(
            [
                {
                    "ods_code": ods_code,
                    "received_on": received_on,
                    "source": source,
                    "category": category,
                    "severity": severity,
                    "confidence": confidence,
                    "text": text,
                    "corroborated": corroborated,
                    "whistleblowing": whistleblowing,
                    "confidential": confidential,
                    "expires_on": expires_on,
                }
            ],
            actor=actor,
        )[0]

    def add_soft_intel_many(
        self, entries: Iterable[dict[str, Any]], *, actor: str | None = None
    ) -> list[SoftIntel]:
        from resilience.domain import SOFT_INTEL_SOURCES

        actor = actor or self.user
        self._require("editor", "recording soft intelligence")
        added = []
        entries = list(entries)
        with self._write() as s:
            ids = self._practice_ids(s, [e["ods_code"] for e in entries])
            for e in entries:
                code = e["ods_code"]
                if code not in ids:
                    raise StoreError(f"no practice with ODS code {code}")
                if e["source"] not in SOFT_INTEL_SOURCES:
                    raise StoreError(
                        f"source {e['source']!r} is not one of {', '.join(SOFT_INTEL_SOURCES)}"
                    )
                if not 1 <= int(e["severity"]) <= 5:
                    raise StoreError("severity is 1 (minor) to 5 (critical)")
                if e["confidence"] not in ("low", "medium", "high"):
                    raise StoreError("confidence is low, medium or high")
                row = SoftIntelEntry(
                    practice_id=ids[code],
                    received_on=e["received_on"],
                    source=e["source"],
                    category=e["category"],
                    severity=int(e["severity"]),
                    confidence=e["confidence"],
                    corroborated=bool(e.get("corroborated")),
                    whistleblowing=bool(e.get("whistleblowing")),
                    confidential=bool(e.get("confidential")),
                    expires_on=e.get("expires_on"),
                    text=e["text"],
                    recorded_by=actor,
                    recorded_at=now(),
                )
                s.add(row)
                s.flush()
                assert row.id is not None
                s.add(
                    audit_entry(
                        actor,
                        "add",
                        "soft_intel",
                        str(row.id),
                        new_value=f"{code} severity {row.severity} from {row.source}",
                        at=row.recorded_at,
                    )
                )
                added.append(_soft_intel(code, row))
        return added

    def update_soft_intel(
        self, entry_id: int, changes: dict[str, Any], *, actor: str | None = None
    ) -> SoftIntel:
        """Correct a soft-intelligence entry; every changed field is audited old -> new
        (confidential text is never copied into the audit log)."""
        from resilience.domain import SOFT_INTEL_SOURCES

        actor = actor or self.user
        self._require("editor", "correcting soft intelligence")
        editable = {
            "received_on",
            "source",
            "category",
            "severity",
            "confidence",
            "corroborated",
            "whistleblowing",
            "confidential",
            "expires_on",
            "text",
        }
        unknown = sorted(set(changes) - editable)
        if unknown:
            raise StoreError(f"cannot change {', '.join(unknown)} of soft intelligence")
        if "source" in changes and changes["source"] not in SOFT_INTEL_SOURCES:
            raise StoreError(f"source is one of {', '.join(SOFT_INTEL_SOURCES)}")
        if "severity" in changes and not 1 <= int(changes["severity"]) <= 5:
            raise StoreError("severity is 1 (minor) to 5 (critical)")
        if "confidence" in changes and changes["confidence"] not in ("low", "medium", "high"):
            raise StoreError("confidence is low, medium or high")
        with self._write() as s:
            row = s.get(SoftIntelEntry, entry_id)
            if row is None:
                raise StoreError(f"no soft intelligence entry {entry_id}")
            if row.confidential and not self.can_see_confidential:
                raise PermissionDenied(
                    f"entry {entry_id} is confidential: only {', '.join(self.confidential_roles())}"
                    " may change it"
                )
            code = s.get(Practice, row.practice_id).ods_code  # type: ignore[union-attr]
            # decided once, before any field changes: text that is, was or will be
            # confidential never enters the audit log, whatever order the fields come in
            hidden = bool(row.confidential) or bool(changes.get("confidential"))
            for field, new in changes.items():
                old = getattr(row, field)
                if old == new:
                    continue
                secret = field == "text" and hidden
                s.add(
                    audit_entry(
                        actor,
                        "change",
                        "soft_intel",
                        str(entry_id),
                        field=field,
                        old_value="(confidential text)" if secret else _text(old),
                        new_value="(confidential text)" if secret else _text(new),
                    )
                )
                setattr(row, field, new)
            s.add(row)
            s.flush()
            return _soft_intel(code, row)

    def soft_intel(self, ods_code: str) -> list[SoftIntel]:
        with self._session() as s:
            rows = s.exec(
                select(SoftIntelEntry)
                .join(Practice, col(SoftIntelEntry.practice_id) == Practice.id)
                .where(Practice.ods_code == ods_code)
                .order_by(col(SoftIntelEntry.received_on))
            ).all()
        return list(self._shown_entries(ods_code, rows, f"practice {ods_code}"))

    def _shown_entries(self, ods_code: str, rows: Any, where: str) -> tuple[SoftIntel, ...]:
        """Entries for a screen: confidential text for people granted it (and the view is
        audited), masked for everyone else."""
        reveal = self.can_see_confidential
        shown = tuple(_soft_intel(ods_code, r, reveal) for r in rows)
        if reveal:
            self._record_views("view_confidential", list(shown), where)
        return shown

    # ----------------------------------------------------------------- actions

    def add_action(
        self,
        ods_code: str,
        text: str,
        owner: str,
        due_on: date | None = None,
        *,
        actor: str | None = None,
    ) -> int:
        actor = actor or self.user
        self._require("editor", "adding an action")
        with self._write() as s:
            practice = s.exec(select(Practice).where(Practice.ods_code == ods_code)).first()
            if practice is None:
                raise StoreError(f"no practice with ODS code {ods_code}")
            row = Action(
                practice_id=practice.id,  # type: ignore[arg-type]
                text=text,
                owner=owner,
                due_on=due_on,
                created_by=actor,
                created_at=now(),
            )
            s.add(row)
            s.flush()
            s.add(
                audit_entry(
                    actor,
                    "add",
                    "action",
                    str(row.id),
                    new_value=f"{ods_code}: {text}",
                    at=row.created_at,
                )
            )
            assert row.id is not None
            return row.id

    def open_actions(self) -> list[dict[str, Any]]:
        """Actions not yet done, oldest due date first."""
        with self._session() as s:
            rows = s.exec(
                select(Action, Practice.ods_code, Practice.name)
                .join(Practice, col(Action.practice_id) == Practice.id)
                .where(Action.status == "open")
                .order_by(col(Action.due_on), col(Action.id))
            ).all()
        return [
            {
                "id": a.id,
                "ods_code": code,
                "practice": name,
                "text": a.text,
                "owner": a.owner,
                "due_on": a.due_on,
                "status": a.status,
            }
            for a, code, name in rows
        ]

    def practice(self, ods_code: str) -> PracticeRow:
        """One practice as lists show it."""
        rows = self.list_practices(ods_code=ods_code)
        if not rows:
            raise StoreError(f"no practice with ODS code {ods_code}")
        return rows[0]

    def practice_actions(self, ods_code: str) -> list[dict[str, Any]]:
        with self._session() as s:
            rows = s.exec(
                select(Action)
                .join(Practice, col(Action.practice_id) == Practice.id)
                .where(Practice.ods_code == ods_code)
                .order_by(col(Action.status) != "open", col(Action.due_on), col(Action.id))
            ).all()
        return [
            {
                "id": a.id,
                "text": a.text,
                "owner": a.owner,
                "due_on": a.due_on,
                "status": a.status,
                "completed_at": a.completed_at,
            }
            for a in rows
        ]

    def complete_action(self, action_id: int, *, actor: str | None = None) -> None:
        actor = actor or self.user
        self._require("editor", "completing an action")
        with self._write() as s:
            row = s.get(Action, action_id)
            if row is None:
                raise StoreError(f"no action {action_id}")
            if row.status != "open":
                raise StoreError(f"action {action_id} is already {row.status}")
            row.status, row.completed_at = "done", now()
            s.add(row)
            s.add(
                audit_entry(
                    actor,
                    "complete",
                    "action",
                    str(action_id),
                    field="status",
                    old_value="open",
                    new_value="done",
                    at=row.completed_at,
                )
            )

    def commissioners(self) -> list[tuple[str, str]]:
        """(code, short name) of every commissioner that holds practices."""
        with self._session() as s:
            rows = s.exec(
                select(Commissioner.code, Commissioner.short_name)
                .where(col(Commissioner.id).in_(select(Practice.commissioner_id)))
                .order_by(col(Commissioner.code))
            ).all()
        return [(code, short or code) for code, short in rows]

    def cohort_names(self) -> list[str]:
        with self._session() as s:
            return list(s.exec(select(Cohort.name).order_by(col(Cohort.id))).all())

    # ----------------------------------------------------------------- GPRP cohorts

    def create_cohort(
        self,
        name: str,
        supported: int,
        reserve: int,
        *,
        quotas: dict[str, tuple[int, int]] | None = None,
        assessment_period: str | None = None,
        actor: str | None = None,
    ) -> int:
        actor = actor or self.user
        self._require("editor", "creating a cohort")
        if supported < 0 or reserve < 0:
            raise StoreError("capacity cannot be negative")
        with self._write() as s:
            if s.exec(select(Cohort).where(Cohort.name == name)).first():
                raise StoreError(f"a cohort called {name!r} already exists")
            row = Cohort(
                name=name,
                capacity_supported=supported,
                capacity_reserve=reserve,
                assessment_period=assessment_period,
                created_by=actor,
                created_at=now(),
            )
            s.add(row)
            s.flush()
            for code, (sup, res) in (quotas or {}).items():
                commissioner = s.exec(select(Commissioner).where(Commissioner.code == code)).first()
                if commissioner is None:
                    raise StoreError(f"unknown commissioner {code!r} in quotas")
                s.add(
                    CohortQuota(
                        cohort_id=row.id,  # type: ignore[arg-type]
                        commissioner_id=commissioner.id,  # type: ignore[arg-type]
                        supported=sup,
                        reserve=res,
                    )
                )
            s.add(
                audit_entry(
                    actor,
                    "create",
                    "cohort",
                    name,
                    new_value=f"supported {supported}, reserve {reserve}",
                )
            )
            assert row.id is not None
            return row.id

    def add_applications(
        self, cohort: str, applications: Iterable[dict[str, Any]], *, actor: str | None = None
    ) -> int:
        """Add applicants (ods_code, route, received_on, need, impact, and optionally a
        recorded decision: outcome, rationale, support_items)."""
        actor = actor or self.user
        self._require("editor", "adding applicants")
        count = 0
        with self._write() as s:
            cohort_row = s.exec(select(Cohort).where(Cohort.name == cohort)).first()
            if cohort_row is None:
                raise StoreError(f"no cohort called {cohort!r}")
            if cohort_row.status == "locked":
                raise StoreError(f"{cohort!r} is locked: no more applicants can be added")
            applications = list(applications)
            ids = self._practice_ids(s, [a["ods_code"] for a in applications])
            already = set(
                s.exec(
                    select(Practice.ods_code)
                    .join(Application, col(Application.practice_id) == Practice.id)
                    .where(Application.cohort_id == cohort_row.id)
                ).all()
            )
            seen: set[str] = set()
            problems: list[str] = []
            for a in applications:
                code = a["ods_code"]
                if code not in ids:
                    problems.append(f"no practice with ODS code {code}")
                elif code in already or code in seen:
                    problems.append(f"{code} has already applied to {cohort!r}")
                seen.add(code)
                if a["route"] not in ROUTES:
                    problems.append(f"{code}: route is one of {', '.join(ROUTES)}")
                for level in ("need", "impact"):
                    if a.get(level) not in (None, *LEVELS):
                        problems.append(f"{code}: {level} is one of {', '.join(LEVELS)}")
            if problems:
                more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
                raise StoreError("nothing added: " + "; ".join(problems[:5]) + more)
            for a in applications:
                app = Application(
                    cohort_id=cohort_row.id,  # type: ignore[arg-type]
                    practice_id=ids[a["ods_code"]],  # type: ignore[arg-type]
                    route=a["route"],
                    received_on=a.get("received_on"),
                    need=a.get("need"),
                    impact=a.get("impact"),
                )
                s.add(app)
                s.flush()
                if a.get("outcome"):
                    s.add(
                        Decision(
                            application_id=app.id,  # type: ignore[arg-type]
                            outcome=a["outcome"],
                            proposed_outcome=a.get("proposed_outcome"),
                            rationale=a.get("rationale", ""),
                            decided_by=a.get("decided_by", actor),
                            decided_at=a.get("decided_at") or now(),
                            support_items=json.dumps(list(a.get("support_items", []))),
                        )
                    )
                count += 1
            s.add(
                audit_entry(actor, "add", "application", cohort, new_value=f"{count} applications")
            )
        return count

    def cohort(self, name: str) -> CohortInfo:
        with self._session() as s:
            row = s.exec(select(Cohort).where(Cohort.name == name)).first()
            if row is None:
                names = [c.name for c in s.exec(select(Cohort)).all()]
                known = f"; cohorts: {', '.join(names)}" if names else "; there are no cohorts"
                raise StoreError(f"no cohort called {name!r}{known}")
            quotas = s.exec(
                select(Commissioner.code, CohortQuota.supported, CohortQuota.reserve)
                .join(Commissioner, col(CohortQuota.commissioner_id) == Commissioner.id)
                .where(CohortQuota.cohort_id == row.id)
            ).all()
            assert row.id is not None
            return CohortInfo(
                id=row.id,
                name=row.name,
                capacity_supported=row.capacity_supported,
                capacity_reserve=row.capacity_reserve,
                status=row.status,
                assessment_period=row.assessment_period,
                quotas={code: (sup, res) for code, sup, res in quotas},
                panel_date=row.panel_date,
                panel_attendees=row.panel_attendees,
                declared_interests=row.declared_interests,
            )

    def applications(self, cohort: str) -> list[ApplicationInfo]:
        """Every application to ``cohort`` with its latest recorded decision, if any."""
        with self._session() as s:
            rank = _newest_first(
                partition_by=Decision.application_id, order_by=col(Decision.id).desc()
            )
            decisions = select(
                Decision.application_id,
                Decision.outcome,
                Decision.rationale,
                Decision.decided_by,
                Decision.support_items,
                rank,
            ).subquery()
            rows = s.exec(
                select(
                    Application,
                    Practice.ods_code,
                    Practice.name,
                    Commissioner.code,
                    decisions.c.outcome,
                    decisions.c.rationale,
                    decisions.c.decided_by,
                    decisions.c.support_items,
                )
                .join(Cohort, col(Application.cohort_id) == Cohort.id)
                .join(Practice, col(Application.practice_id) == Practice.id)
                .join(Commissioner, col(Practice.commissioner_id) == Commissioner.id)
                .outerjoin(
                    decisions,
                    (decisions.c.application_id == Application.id) & (decisions.c.rank == 1),
                )
                .where(Cohort.name == cohort)
                .order_by(col(Practice.ods_code))
            ).all()
        return [
            ApplicationInfo(
                cohort=cohort,
                ods_code=code,
                practice_name=name,
                commissioner_code=commissioner,
                route=app.route,
                received_on=app.received_on,
                need=app.need,
                impact=app.impact,
                outcome=outcome,
                rationale=rationale,
                decided_by=decided_by,
                support_items=tuple(json.loads(items)) if items else (),
            )
            for app, code, name, commissioner, outcome, rationale, decided_by, items in rows
        ]

    def record_decision(
        self,
        cohort: str,
        ods_code: str,
        outcome: str,
        rationale: str,
        *,
        proposed: str | None = None,
        support_items: Sequence[str] = (),
        actor: str | None = None,
    ) -> None:
        """Record the panel's decision on an application (a new row: earlier decisions
        stay as history). A rationale is required; a locked cohort refuses."""
        from scoring.allocation import OUTCOMES

        actor = actor or self.user
        self._require("editor", "recording a panel decision")
        if outcome not in OUTCOMES:
            raise StoreError(f"outcome is one of {', '.join(OUTCOMES)}")
        if not rationale.strip():
            raise StoreError("a decision needs a rationale: say why")
        with self._write() as s:
            application, _ = self._open_application(s, cohort, ods_code)
            previous = s.exec(
                select(Decision.outcome)
                .where(Decision.application_id == application.id)
                .order_by(col(Decision.id).desc())
            ).first()
            s.add(
                Decision(
                    application_id=application.id,  # type: ignore[arg-type]
                    outcome=outcome,
                    proposed_outcome=proposed,
                    rationale=rationale.strip(),
                    decided_by=actor,
                    decided_at=now(),
                    support_items=json.dumps(list(support_items)),
                )
            )
            s.add(
                audit_entry(
                    actor,
                    "decide",
                    "application",
                    f"{cohort}/{ods_code}",
                    field="outcome",
                    old_value=previous,
                    new_value=f"{outcome}: {rationale.strip()}",
                )
            )

    @staticmethod
    def _open_application(s: Session, cohort: str, ods_code: str) -> tuple[Application, Cohort]:
        """The application of ``ods_code`` to ``cohort``, refusing a locked cohort."""
        row = s.exec(
            select(Application, Cohort)
            .join(Cohort, col(Application.cohort_id) == Cohort.id)
            .join(Practice, col(Application.practice_id) == Practice.id)
            .where(Cohort.name == cohort, Practice.ods_code == ods_code)
        ).first()
        if row is None:
            raise StoreError(f"{ods_code} has not applied to {cohort!r}")
        application, cohort_row = row
        if cohort_row.status == "locked":
            raise StoreError(f"{cohort!r} is locked: its decisions are final")
        return application, cohort_row

    @staticmethod
    def _open_cohort(s: Session, cohort: str) -> Cohort:
        row = s.exec(select(Cohort).where(Cohort.name == cohort)).first()
        if row is None:
            raise StoreError(f"no cohort called {cohort!r}")
        if row.status == "locked":
            raise StoreError(f"{cohort!r} is locked: its decisions are final")
        return row

    def set_need_impact(
        self,
        cohort: str,
        ods_code: str,
        need: str | None,
        impact: str | None,
        *,
        actor: str | None = None,
    ) -> None:
        """Set the panel's view of an applicant's need and the impact support would have
        (low, medium, high, or None for not assessed). Audited old -> new."""
        actor = actor or self.user
        self._require("editor", "setting need and impact")
        for name, level in (("need", need), ("impact", impact)):
            if level not in (None, *LEVELS):
                raise StoreError(f"{name} is one of {', '.join(LEVELS)}, or not assessed")
        with self._write() as s:
            application, _ = self._open_application(s, cohort, ods_code)
            for name, level in (("need", need), ("impact", impact)):
                old = getattr(application, name)
                if old == level:
                    continue
                setattr(application, name, level)
                s.add(
                    audit_entry(
                        actor,
                        "update",
                        "application",
                        f"{cohort}/{ods_code}",
                        field=name,
                        old_value=old,
                        new_value=level,
                    )
                )
            s.add(application)

    def record_panel(
        self,
        cohort: str,
        panel_date: date,
        attendees: str,
        interests: str,
        *,
        actor: str | None = None,
    ) -> None:
        """Record who sat on the panel, when, and the interests they declared."""
        actor = actor or self.user
        self._require("editor", "recording the panel")
        if not attendees.strip():
            raise StoreError("name the panel's attendees")
        with self._write() as s:
            row = self._open_cohort(s, cohort)
            new = {
                "panel_date": panel_date,
                "panel_attendees": attendees.strip(),
                "declared_interests": interests.strip(),
            }
            for name, value in new.items():
                old = getattr(row, name)
                if old == value:
                    continue
                setattr(row, name, value)
                s.add(
                    audit_entry(
                        actor,
                        "update",
                        "cohort",
                        cohort,
                        field=name,
                        old_value=None if old is None else str(old),
                        new_value=str(value),
                    )
                )
            s.add(row)

    def lock_cohort(self, cohort: str, *, actor: str | None = None) -> None:
        """Make a cohort's decisions final. Refused until every applicant has a decision
        and the panel (date and attendees) is recorded."""
        actor = actor or self.user
        self._require("editor", "locking a cohort")
        undecided = [a.ods_code for a in self.applications(cohort) if a.outcome is None]
        with self._write() as s:
            row = self._open_cohort(s, cohort)
            if undecided:
                shown = ", ".join(undecided[:8]) + (" ..." if len(undecided) > 8 else "")
                raise StoreError(
                    f"cannot lock {cohort!r}: {len(undecided)} applicant(s) have no decision "
                    f"({shown})"
                )
            if row.panel_date is None or not row.panel_attendees:
                raise StoreError(f"cannot lock {cohort!r}: record the panel's date and attendees")
            row.status = "locked"
            s.add(row)
            s.add(
                audit_entry(
                    actor,
                    "lock",
                    "cohort",
                    cohort,
                    field="status",
                    old_value="open",
                    new_value="locked",
                )
            )

    def cohort_outcomes(self, cohort: str) -> list[tuple[str, str, str | None]]:
        """(ods_code, commissioner code, latest decision outcome) for each applicant."""
        return [(a.ods_code, a.commissioner_code, a.outcome) for a in self.applications(cohort)]

    # ----------------------------------------------------------------- imports

    def register_snapshot(self) -> tuple[dict[str, dict[str, Any]], set[str]]:
        """(ODS code -> the practice's register fields, commissioner codes) for importers
        to compare a file with."""
        with self._session() as s:
            rows = s.exec(
                select(Practice, Commissioner.code).join(
                    Commissioner, col(Practice.commissioner_id) == Commissioner.id
                )
            ).all()
            commissioners = set(s.exec(select(Commissioner.code)).all())
        return (
            {
                p.ods_code: {
                    "name": p.name,
                    "postcode": p.postcode,
                    "status": p.status,
                    "opened_on": p.opened_on,
                    "closed_on": p.closed_on,
                    "commissioner": code,
                    "list_size": p.list_size,
                }
                for p, code in rows
            },
            commissioners,
        )

    def previous_import(self, sha256: str, kind: str) -> str | None:
        """When and by whom this exact file was imported before, if it was."""
        with self._session() as s:
            row = s.exec(
                select(ImportBatch)
                .where(ImportBatch.sha256 == sha256, ImportBatch.kind == kind)
                .order_by(col(ImportBatch.id).desc())
            ).first()
            if row is None:
                return None
            return f"{row.imported_at:%Y-%m-%d %H:%M} by {row.imported_by}"

    def apply_import(
        self, plan: ImportPlan, *, actor: str | None = None, skip_invalid: bool = False
    ) -> int | None:
        """Apply an import plan in one transaction, with provenance for every figure.

        Returns the batch id, or None when the file changes nothing (importing the same
        file twice writes nothing the second time). A plan with rejected rows is refused,
        unless ``skip_invalid``: then the rest is applied and the batch's record keeps
        every rejected row.
        """
        actor = actor or self.user
        self._require("editor", "importing a file")
        if plan.rejected and not skip_invalid:
            raise StoreError(
                f"{plan.file_name}: {len(plan.rejected)} row(s) rejected, nothing imported "
                f"(first: {plan.rejected[0]})"
            )
        if not plan.writes and not (skip_invalid and plan.rejected):
            return None
        with self._write() as s:
            by_code = self._apply_commissioners(s, plan)
            batch = ImportBatch(
                kind=plan.kind,
                file_name=plan.file_name,
                sha256=plan.sha256,
                extract_date=plan.extract_date,
                format_version=plan.format_version,
                importer_version=IMPORTER_VERSION,
                imported_at=now(),
                imported_by=actor,
                summary=json.dumps(plan.record()),
            )
            s.add(batch)
            s.flush()
            assert batch.id is not None
            codes = [c.ods_code for c in plan.changes]
            practices = {
                p.ods_code: p
                for p in s.exec(select(Practice).where(col(Practice.ods_code).in_(codes))).all()
            }
            touched: list[tuple[Practice, Change]] = []
            for change in plan.changes:
                values = dict(change.values)
                commissioner = values.pop("commissioner", None)
                practice = practices.get(change.ods_code)
                if practice is None:
                    if change.kind != "new":
                        raise StoreError(f"{change.ods_code} is not in the register")
                    practice = Practice(
                        ods_code=change.ods_code,
                        contract_type="",
                        commissioner_id=self._need(by_code, commissioner, "commissioner").id,
                        **values,
                    )
                else:
                    for field, value in values.items():
                        if field in REGISTER_FIELDS:  # other figures are findings, not register
                            setattr(practice, field, value)
                    if commissioner is not None:
                        practice.commissioner_id = self._need(
                            by_code, commissioner, "commissioner"
                        ).id
                s.add(practice)
                touched.append((practice, change))
            s.flush()  # one round trip gives every new practice its id
            figures = [
                {
                    "practice_id": practice.id,
                    "field": field,
                    "value": json.dumps(_text(value) if isinstance(value, date) else value),
                    "as_of": _figure_date(plan, change),
                    "batch_id": batch.id,
                }
                for practice, change in touched
                for field, value in change.values.items()
            ]
            if figures:  # a national file means tens of thousands: one executemany
                s.execute(insert(PracticeFigure), figures)
            s.add(
                audit_entry(
                    actor,
                    "import",
                    "import_batch",
                    str(batch.id),
                    new_value=f"{plan.kind} {plan.file_name} sha256 {plan.sha256[:12]}: "
                    + json.dumps(plan.summary()),
                    at=batch.imported_at,
                )
            )
            return batch.id

    def current_figures(
        self, fields: Sequence[str], *, until: date | None = None
    ) -> dict[str, dict[str, Any]]:
        """ODS code -> {field: latest imported value} for these fields: latest by the date
        each figure describes, then by import; with ``until``, none dated after it."""
        with self._session() as s:
            rank = _newest_first(
                partition_by=(PracticeFigure.practice_id, PracticeFigure.field),
                order_by=(
                    col(PracticeFigure.as_of).is_(None),
                    col(PracticeFigure.as_of).desc(),
                    col(PracticeFigure.id).desc(),
                ),
            )
            query = (
                select(Practice.ods_code, PracticeFigure.field, PracticeFigure.value, rank)
                .join(Practice, col(PracticeFigure.practice_id) == Practice.id)
                .where(col(PracticeFigure.field).in_(list(fields)))
            )
            if until is not None:
                query = query.where(
                    or_(col(PracticeFigure.as_of).is_(None), col(PracticeFigure.as_of) <= until)
                )
            inner = query.subquery()
            rows = s.connection().execute(select(inner).where(inner.c.rank == 1)).all()
        out: dict[str, dict[str, Any]] = defaultdict(dict)
        for code, field, value, _ in rows:
            out[code][field] = _figure_value(field, value)
        return out

    @staticmethod
    def _figures(
        s: Session, practice_ids: list[Any] | None, until: date | None = None
    ) -> dict[int, dict[str, Any]]:
        """practice id -> field -> (value, imported_at, "file (as of date)") of the latest
        imported figure, plus the 12-month list growth where two list sizes a year apart
        exist.

        "Latest" is by the date a figure describes (its ``as_of``), then by import: a
        2021 list-size file imported after a 2026 one does not take its place. With
        ``until`` (a month's last day), figures dated after it are left out, so a month
        is never scored with a rating or a list size published later."""
        query = (
            select(PracticeFigure, ImportBatch)
            .join(ImportBatch, col(PracticeFigure.batch_id) == ImportBatch.id)
            .order_by(
                col(PracticeFigure.as_of).is_not(None),
                col(PracticeFigure.as_of),
                col(PracticeFigure.id),
            )
        )
        if practice_ids is not None:
            query = query.where(col(PracticeFigure.practice_id).in_(practice_ids))
        if until is not None:
            query = query.where(
                or_(col(PracticeFigure.as_of).is_(None), col(PracticeFigure.as_of) <= until)
            )
        out: dict[int, dict[str, Any]] = defaultdict(dict)
        list_sizes: dict[int, list[tuple[date, int]]] = defaultdict(list)
        for figure, batch in s.exec(query).all():
            value = _figure_value(figure.field, figure.value)
            when = f" as of {figure.as_of.isoformat()}" if figure.as_of else ""
            out[figure.practice_id][figure.field] = (
                value,
                batch.imported_at,
                f"{batch.file_name}{when}",
            )
            if figure.field == "list_size" and figure.as_of and value is not None:
                list_sizes[figure.practice_id].append((figure.as_of, value))
        for pid, sizes in list_sizes.items():
            latest_when, latest_size = max(sizes)
            year_before = [
                (abs((latest_when - d).days - 365), n)
                for d, n in sizes
                if 330 <= (latest_when - d).days <= 400
            ]
            if year_before and min(year_before)[1]:
                before = min(year_before)[1]
                growth = round(100 * (latest_size - before) / before, 1)
                _, imported_at, source = out[pid]["list_size"]
                out[pid]["list_growth_pct_12m"] = (
                    growth,
                    imported_at,
                    f"{source} vs a year before",
                )
        return out

    @staticmethod
    def _prefill(carried: Any, figures: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
        """Carried-forward findings overlaid with newer imported figures, and the source
        of each figure used."""
        findings = {f: getattr(carried, f) if carried is not None else None for f in FINDING_FIELDS}
        saved_at = carried.created_at if carried is not None else None
        sources: dict[str, str] = {}
        for field, (value, imported_at, source) in figures.items():
            if field not in findings or value is None:
                continue
            if saved_at is None or imported_at > saved_at:
                findings[field] = value
                sources[field] = source
        return findings, sources

    def figure_sources(self, ods_code: str) -> dict[str, dict[str, Any]]:
        """field -> where the practice's current imported figure came from."""
        with self._session() as s:
            rows = s.exec(
                select(PracticeFigure, ImportBatch)
                .join(ImportBatch, col(PracticeFigure.batch_id) == ImportBatch.id)
                .join(Practice, col(PracticeFigure.practice_id) == Practice.id)
                .where(Practice.ods_code == ods_code)
                .order_by(col(PracticeFigure.id))
            ).all()
        sources: dict[str, dict[str, Any]] = {}
        for figure, batch in rows:
            sources[figure.field] = {
                "value": _figure_value(figure.field, figure.value),
                "as_of": figure.as_of,
                "file_name": batch.file_name,
                "sha256": batch.sha256,
                "format_version": batch.format_version,
                "importer_version": batch.importer_version,
                "imported_at": batch.imported_at,
                "imported_by": batch.imported_by,
            }
        return sources

    # ----------------------------------------------------------------- audit

    def audit_entries(self, entity: str | None = None, limit: int = 1000) -> list[dict[str, Any]]:
        with self._session() as s:
            query = select(AuditLog).order_by(col(AuditLog.id).desc()).limit(limit)
            if entity:
                query = query.where(AuditLog.entity == entity)
            return [r.model_dump() for r in s.exec(query).all()]


# --------------------------------------------------------------------- helpers


class _Row:
    """Attribute access over a result mapping (keeps the store's call sites tidy)."""

    __slots__ = ("_data",)

    def __init__(self, data: Any) -> None:
        self._data = data

    def __getattr__(self, name: str) -> Any:
        try:
            return self._data[name]
        except KeyError:
            raise AttributeError(name) from None


def next_month(period: str) -> str:
    year, month = int(period[:4]), int(period[5:7])
    return f"{year + month // 12:04d}-{month % 12 + 1:02d}"


def previous_month(period: str) -> str:
    year, month = int(period[:4]), int(period[5:7])
    return f"{year - (month == 1):04d}-{(month - 2) % 12 + 1:02d}"


def month_end(period: str) -> date:
    """The last day of a review month ``YYYY-MM``."""
    year, month = int(period[:4]), int(period[5:7])
    return date(year, month, calendar.monthrange(year, month)[1])


def _figure_date(plan: ImportPlan, change: Change) -> date | None:
    """The date an imported figure describes: a CQC rating's own publication date (a
    care directory of 2026 also holds ratings published in 2019, which were current in
    2021), else the file's extract date."""
    rated = change.values.get("cqc_last_inspection")
    if plan.kind == "cqc" and isinstance(rated, date):
        return rated
    return plan.extract_date


def _newest_first(partition_by: Any, order_by: Any) -> Any:
    """A 'rank' column numbering each group's rows newest first: rank 1 is the latest
    (every "latest version / figure / decision per ..." query filters on it)."""
    return func.row_number().over(partition_by=partition_by, order_by=order_by).label("rank")


# months of earlier results read for scoring a month's trend (see Store._history)
HISTORY_MONTHS = 25
# what the agenda shows of each practice's latest assessment
AGENDA_FIELDS = (
    "score",
    "band",
    *(f"{area}_band" for area in AREAS),
    "remedial_notices_open",
    "breach_notices_open",
    "summary",
)
REGISTER_FIELDS = {"name", "postcode", "status", "opened_on", "closed_on", "list_size"}
DATE_FIGURES = {"opened_on", "closed_on", "cqc_last_inspection", "list_closure_end", "contract_end"}


def _figure_value(field: str, stored: str | None) -> Any:
    """A stored figure (JSON text) as the value the findings use."""
    if stored is None:
        return None
    value = json.loads(stored)
    if field in DATE_FIGURES and isinstance(value, str):
        return date.fromisoformat(value)
    return value


def _period_info(row: ReviewPeriod) -> PeriodInfo:
    return PeriodInfo(
        period=row.period,
        status=row.status,
        opened_at=row.opened_at,
        opened_by=row.opened_by,
        closed_at=row.closed_at,
        closed_by=row.closed_by,
    )


def _register_context(s: Session) -> dict[int, dict[str, Any]]:
    """Practice id -> what the engine reads from the register rather than a review: the
    list size's percentile among the commissioner's active practices (rule U9) and the
    date the practice opened (rule U10)."""
    from resilience.triage import percentiles_by_id

    rows = (
        s.connection()
        .execute(
            select(
                Practice.id,
                Practice.commissioner_id,
                Practice.list_size,
                Practice.opened_on,
                Practice.status,
            )
        )
        .all()
    )
    percentiles = percentiles_by_id((r[0], r[1], r[2]) for r in rows if r[4] == "active")
    return {
        pid: {"list_size_percentile": percentiles.get(pid), "practice_opened": opened}
        for pid, _, _, opened, _ in rows
    }


def _public_row(
    result: ScoreResult,
    ods_code: str,
    name: str,
    c_code: str,
    c_short: str | None,
    locality: str | None,
    list_size: int | None,
    previous: Any,
) -> AgendaRow:
    """An agenda row for a practice nobody has reviewed, scored on public data."""
    return AgendaRow(
        ods_code=ods_code,
        name=name,
        commissioner=short_label(c_short, c_code),
        commissioner_code=c_code,
        locality=locality or "",
        list_size=list_size,
        score=result.score,
        band=result.band,
        area_bands=result.area_bands,
        previous_score=previous.score if previous else None,
        previous_band=previous.band if previous else None,
        reviewed=False,
        version=0,
        contract_notices_open=0,
        new_soft_intel=0,
        summary=(
            f"Not reviewed, public data only ({len(result.to_confirm)} to confirm): "
            + result.summary
        ),
        to_confirm=result.to_confirm,
        public_data_only=True,
    )


def _clean_findings(ods_code: str, findings: dict[str, Any]) -> dict[str, Any]:
    """Keep the recorded findings, refuse unknown names, derive gp_aged_55_plus."""
    unknown = sorted(set(findings) - set(FINDING_FIELDS) - set(DERIVED_FINDINGS))
    if unknown:
        raise StoreError(
            f"{ods_code}: unknown finding(s) {', '.join(unknown)}; "
            f"accepted: {', '.join(FINDING_FIELDS)}"
        )
    clean = {f: findings.get(f) for f in FINDING_FIELDS}
    split = (clean["gp_aged_55_59"], clean["gp_aged_60_plus"])
    if None not in split:
        total = split[0] + split[1]  # type: ignore[operator]
        if clean["gp_aged_55_plus"] is None:
            clean["gp_aged_55_plus"] = total
        elif clean["gp_aged_55_plus"] != total:
            raise StoreError(
                f"{ods_code}: gp_aged_55_plus ({clean['gp_aged_55_plus']}) is not "
                f"gp_aged_55_59 + gp_aged_60_plus ({total})"
            )
    return clean


def _to_inputs(
    ods_code: str,
    period: str,
    findings: dict[str, Any],
    entries: Sequence[SoftIntelItem] | None,
    context: dict[str, Any] | None = None,
) -> PracticeInputs:
    values = {k: v for k, v in findings.items() if k not in ("gp_aged_55_59", "gp_aged_60_plus")}
    try:
        return PracticeInputs(
            ods_code=ods_code,
            period=period,
            **(context or {}),
            **{k: v for k, v in values.items() if k not in DERIVED_FINDINGS},
            soft_intel_entries=tuple(entries or ()),
        )
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(x) for x in e['loc']) or 'findings'}: {e['msg']}" for e in exc.errors()
        )
        raise StoreError(f"{ods_code} {period}: {problems}") from None


def _version(ods_code: str, period: str, row: Assessment) -> AssessmentVersion:
    return AssessmentVersion(
        ods_code=ods_code,
        period=period,
        version=row.version,
        author=row.author,
        created_at=row.created_at,
        reason=row.reason,
        is_correction=row.is_correction,
        findings={f: getattr(row, f) for f in STORED_FINDINGS},
        result=ScoreResult.from_dict(json.loads(row.result_json)),
    )


def _soft_intel(ods_code: str, row: SoftIntelEntry, reveal: bool = True) -> SoftIntel:
    """The entry as people read it; confidential text is masked unless ``reveal``."""
    assert row.id is not None
    masked = row.confidential and not reveal
    return SoftIntel(
        id=row.id,
        ods_code=ods_code,
        received_on=row.received_on,
        source=row.source,
        category=row.category,
        severity=row.severity,
        confidence=row.confidence,
        corroborated=row.corroborated,
        whistleblowing=row.whistleblowing,
        confidential=row.confidential,
        expires_on=row.expires_on,
        text=MASK if masked else row.text,
        recorded_by=row.recorded_by,
        masked=masked,
    )
