"""What the meeting reads: the agenda, a practice's review context, a month's inputs, snapshot."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, label
from sqlalchemy import select as sa_select
from sqlmodel import col, select

from resilience.domain import (
    FINDING_FIELDS,
    STORED_FINDINGS,
    AgendaRow,
    ReviewContext,
    short_label,
)
from resilience.errors import StoreError
from resilience.findings import prefill
from resilience.models import Commissioner, Locality, Practice, SoftIntelEntry
from resilience.scope import is_active
from resilience.store.database import Database, check_period
from resilience.store.explanations import result_of
from resilience.store.imports import ImportRepository
from resilience.store.month_inputs import read_month_inputs
from resilience.store.queries import (
    figures_of,
    history_of,
    latest_assessments,
    period_row,
    register_context,
    soft_items,
)
from resilience.store.rows import AGENDA_FIELDS, month_end, previous_month, public_row
from resilience.store.scope import in_scope, scope_where
from resilience.store.soft_intel import SoftIntelRepository
from scoring import AREAS, HistoryPoint, PracticeInputs, ScoreResult, period_bounds
from scoring.metrics import LABELS, raw_inputs_of


class MeetingRepository:
    """Read models for the meeting's screens, packs and rescoring."""

    def __init__(self, db: Database, figures: ImportRepository, soft: SoftIntelRepository) -> None:
        self.db = db
        self.figures = figures
        self.soft = soft

    def agenda_rows(self, period: str, *, include_closed: bool = False) -> list[AgendaRow]:
        """Every practice in scope for ``period``: its result this month, or the latest
        earlier result carried forward (not reviewed), beside last month's. Closed and
        dormant practices (``AgendaRow.active`` false) only with ``include_closed``."""
        check_period(period)
        start, end = period_bounds(period)
        with self.db.read() as s:
            floor_inputs = self._floor_inputs()
            current = latest_assessments(s, period, fields=(*AGENDA_FIELDS, *floor_inputs.values()))
            previous = latest_assessments(s, previous_month(period), fields=("score", "band"))
            new_intel = dict(
                s.exec(
                    select(SoftIntelEntry.practice_id, func.count())
                    .where(col(SoftIntelEntry.received_on) >= start)
                    .where(col(SoftIntelEntry.received_on) <= end)
                    .group_by(col(SoftIntelEntry.practice_id))
                ).all()
            )
            rows = (
                s.connection()
                .execute(  # plain rows: 6,700 ORM objects cost a third
                    sa_select(
                        col(Practice.id),
                        col(Practice.ods_code),
                        col(Practice.name),
                        col(Practice.list_size),
                        col(Commissioner.code),
                        col(Commissioner.short_name),
                        label("locality", col(Locality.name)),
                        col(Practice.status),
                        col(Practice.closed_on),
                    )
                    .join(Commissioner, col(Practice.commissioner_id) == Commissioner.id)
                    .outerjoin(Locality, col(Practice.locality_id) == Locality.id)
                    .where(scope_where(s))
                    .order_by(col(Practice.ods_code))
                )
                .all()
            )
            contexts = register_context(s)
        # a closed or dormant practice needs no triage: it keeps "not assessed yet"
        public = self._public_results(
            period, [r for r in rows if r[7] == "active"], current, contexts
        )
        agenda = []
        for pid, ods_code, name, list_size, c_code, c_short, locality, status, closed in rows:
            assert pid is not None  # a primary key read back from the table
            active = is_active(status, closed, period)
            if not active and not include_closed:
                continue
            a, p = current.get(pid), previous.get(pid)
            this_month = a is not None and a.period == period
            # a version a script saved (score --save) is a public-data score, not a review
            scripted = a is not None and bool(a.scripted)
            reviewed = this_month and not scripted
            if a is None and pid in public:
                agenda.append(
                    public_row(public[pid], ods_code, name, c_code, c_short, locality, list_size, p)
                )
                continue
            to_confirm = (
                tuple(label for label, f in floor_inputs.items() if getattr(a, f) is None)
                if a
                else ()
            )
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
                    version=a.version if this_month and a else 0,
                    contract_notices_open=(a.remedial_notices_open or 0)
                    + (a.breach_notices_open or 0)
                    if a
                    else 0,
                    new_soft_intel=new_intel.get(pid, 0),
                    summary=(
                        # a script's saved score reads like the triage's, not as a review
                        f"Not reviewed, scored by script ({len(to_confirm)} to confirm): "
                        f"{a.summary}"
                        if a and scripted
                        else (a.summary if a else "not assessed yet")
                    ),
                    active=active,
                    public_data_only=scripted,
                    to_confirm=to_confirm,
                )
            )
        return agenda

    def unreviewed(self, period: str) -> list[str]:
        """ODS codes of practices with no version saved for ``period``."""
        return [r.ods_code for r in self.agenda_rows(period) if not r.reviewed]

    def _floor_inputs(self) -> dict[str, str]:
        """Words -> stored finding column, for every raw input a floor of the method in
        use reads: unknown ones are the practice's "to confirm" list."""
        out: dict[str, str] = {}
        for floor in (*self.db.method.floors, *self.db.method.overall_floors):
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
        figures = self.figures.current_figures(PUBLIC_FIELDS, until=month_end(period))
        out: dict[int, ScoreResult] = {}
        for pid, ods_code, _name, list_size, *_ in unscored:
            result = public_result(
                ods_code,
                period,
                figures.get(ods_code, {}),
                list_size,
                contexts.get(pid, {}),
                self.db.method,
            )
            if result is not None:
                out[pid] = result
        return out

    def review_context(self, ods_code: str, period: str) -> ReviewContext:
        """What the review form starts from for one practice and month."""
        check_period(period)
        with self.db.read() as s:
            row = s.exec(
                select(Practice, Commissioner, Locality)
                .join(Commissioner, col(Practice.commissioner_id) == Commissioner.id)
                .outerjoin(Locality, col(Practice.locality_id) == Locality.id)
                .where(Practice.ods_code == ods_code)
            ).first()
            if row is None:
                raise StoreError(f"no practice with ODS code {ods_code}")
            practice, commissioner, locality = row
            month = period_row(s, period)
            pid = practice.id or 0
            latest = latest_assessments(s, period, [pid]).get(pid)
            before = latest_assessments(s, previous_month(period), [pid]).get(pid)
            history = [h for h in history_of(s, [pid], period).get(pid, []) if h.period < period]
            entries = soft_items(s, [pid]).get(pid, [])
            soft_rows = s.exec(
                select(SoftIntelEntry)
                .where(SoftIntelEntry.practice_id == pid)
                .order_by(col(SoftIntelEntry.received_on))
            ).all()
            practice_context = register_context(s).get(pid, {})

        def findings_of(a: Any) -> dict[str, Any]:
            return (
                {f: getattr(a, f) for f in FINDING_FIELDS}
                if a is not None
                else {f: None for f in FINDING_FIELDS}
            )

        this_month = latest is not None and latest.period == period
        prefilled: dict[str, str] = {}
        starting = findings_of(latest)
        with self.db.read() as s:
            figures = figures_of(s, [pid], month_end(period)).get(pid, {})
        if not this_month:
            starting, prefilled = prefill(latest, figures)
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
            period_closed=month.status == "closed",
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
            soft_intel=self.soft.shown_entries(ods_code, soft_rows, f"review {ods_code} {period}"),
            soft_items=tuple(entries),
            register_context=practice_context,
            method=self.db.method,
        )

    def period_inputs(
        self, period: str, *, versions: dict[str, int] | None = None
    ) -> list[tuple[PracticeInputs, tuple[HistoryPoint, ...]]]:
        """The engine inputs of every practice for ``period``, with its earlier months:
        the saved version where the practice was reviewed, else its starting point
        (last findings carried forward, newer imported figures on top).

        ``versions``, when given, is filled with each practice's version number for the
        period as read here (0: none), for saves that must not overwrite a newer one."""
        check_period(period)
        with self.db.read() as s:
            month = read_month_inputs(s, period)
        if versions is not None:
            versions.update({p.ods_code: p.version for p in month.practices})
        return [(p.inputs, p.earlier) for p in month.practices]

    def period_snapshot(self, period: str, *, include_closed: bool = False) -> list[dict[str, Any]]:
        """Every practice in scope for ``period``: identity, findings and result, from
        this month's latest version or, where not yet reviewed, the one carried forward;
        an active practice with neither gets its public-data score (as in the agenda),
        marked ``public_data_only``. Closed and dormant practices only with
        ``include_closed``."""
        check_period(period)
        with self.db.read() as s:
            period_row(s, period)
            latest = latest_assessments(s, period, with_result=True)
            results = {pid: result_of(s, a.result_json) for pid, a in latest.items()}
            rows = s.exec(
                in_scope(
                    s,
                    select(Practice, Commissioner, Locality)
                    .join(Commissioner, col(Practice.commissioner_id) == Commissioner.id)
                    .outerjoin(Locality, col(Practice.locality_id) == Locality.id)
                    .order_by(col(Practice.ods_code)),
                )
            ).all()
            contexts = register_context(s)
        public = self._public_results(
            period,
            [
                (p.id, p.ods_code, p.name, p.list_size)
                for p, _, _ in rows
                if p.status == "active" and p.id not in latest
            ],
            latest,
            contexts,
        )
        out = []
        for practice, commissioner, locality in rows:
            a = latest.get(practice.id or 0)
            if a is None and (practice.id or 0) not in public:
                continue
            if not include_closed and not is_active(practice.status, practice.closed_on, period):
                continue
            identity = {
                "ods_code": practice.ods_code,
                "name": practice.name,
                "commissioner_code": commissioner.code,
                "commissioner": commissioner.short_name or commissioner.name,
                "locality": locality.name if locality else "",
            }
            if a is None:  # nobody has assessed it: its public-data score, as the agenda shows
                out.append(
                    {
                        **identity,
                        "reviewed": False,
                        "public_data_only": True,
                        "assessed_in": "",
                        "version": 0,
                        "author": "",
                        "findings": {
                            **{f: None for f in STORED_FINDINGS},
                            "list_size": practice.list_size,
                        },
                        "result": public[practice.id or 0],
                    }
                )
                continue
            out.append(
                {
                    **identity,
                    "reviewed": a.period == period and not a.scripted,
                    "public_data_only": bool(a.scripted),
                    "assessed_in": a.period,
                    "version": a.version,
                    "author": a.author,
                    "findings": {f: getattr(a, f) for f in STORED_FINDINGS},
                    "result": results[practice.id or 0],
                }
            )
        return out
