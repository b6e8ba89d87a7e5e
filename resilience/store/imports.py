"""Imports of national files (with provenance for every figure) and the figures they left."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import insert
from sqlalchemy import select as sa_select
from sqlmodel import col, select

from resilience.audit import audit_entry
from resilience.errors import StoreError
from resilience.importers import IMPORTER_VERSION, Change, ImportPlan
from resilience.models import Commissioner, ImportBatch, Practice, PracticeFigure
from resilience.store.commissioners import CommissionerRepository
from resilience.store.database import Database
from resilience.store.queries import dated_by, need, newest_first
from resilience.store.rows import REGISTER_FIELDS, figure_value, now, text_of


class ImportRepository:
    """Import batches and imported figures."""

    def __init__(self, db: Database, commissioners: CommissionerRepository) -> None:
        self.db = db
        self.commissioners = commissioners

    def register_snapshot(self) -> tuple[dict[str, dict[str, Any]], set[str]]:
        """(ODS code -> the practice's register fields, commissioner codes) for importers
        to compare a file with."""
        with self.db.read() as s:
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
        with self.db.read() as s:
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
        actor = self.db.actor(actor)
        self.db.require("editor", "importing a file")
        if plan.rejected and not skip_invalid:
            raise StoreError(
                f"{plan.file_name}: {len(plan.rejected)} row(s) rejected, nothing imported "
                f"(first: {plan.rejected[0]})"
            )
        if not plan.writes and not (skip_invalid and plan.rejected):
            return None
        with self.db.write() as s:
            by_code = self.commissioners.apply_commissioners(s, plan)
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
            newer = self._held_newer_than(s, plan, [p.id for p in practices.values()])
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
                        commissioner_id=need(by_code, commissioner, "commissioner").id,
                        **values,
                    )
                else:
                    for field, value in values.items():
                        # other figures are findings, not register; and a figure dated
                        # before one already held is kept for its months, while the
                        # register keeps showing the newer one
                        if field in REGISTER_FIELDS and (practice.id, field) not in newer:
                            setattr(practice, field, value)
                    if commissioner is not None:
                        practice.commissioner_id = need(by_code, commissioner, "commissioner").id
                s.add(practice)
                touched.append((practice, change))
            s.flush()  # one round trip gives every new practice its id
            figures = [
                {
                    "practice_id": practice.id,
                    "field": field,
                    "value": json.dumps(text_of(value) if isinstance(value, date) else value),
                    "as_of": figure_date(plan, change),
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

    @staticmethod
    def _held_newer_than(
        s: Any, plan: ImportPlan, practice_ids: Sequence[int | None]
    ) -> set[tuple[int | None, str]]:
        """(practice id, register field) pairs for which a figure dated after this
        plan's extract date is already held: an older file must not move the register
        (list sizes, from which the commissioner-relative figures are computed)."""
        fields = sorted(
            {f for c in plan.changes if c.kind != "new" for f in c.values} & REGISTER_FIELDS
        )
        if plan.extract_date is None or not fields or not practice_ids:
            return set()
        rows = s.connection().execute(
            sa_select(col(PracticeFigure.practice_id), col(PracticeFigure.field))
            .where(col(PracticeFigure.practice_id).in_(list(practice_ids)))
            .where(col(PracticeFigure.field).in_(fields))
            .where(col(PracticeFigure.as_of) > plan.extract_date)
            .distinct()
        )
        return {(pid, field) for pid, field in rows}

    def current_figures(
        self, fields: Sequence[str], *, until: date | None = None
    ) -> dict[str, dict[str, Any]]:
        """ODS code -> {field: latest imported value} for these fields: latest by the date
        each figure describes, then by import; with ``until``, none dated after it."""
        with self.db.read() as s:
            rank = newest_first(
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
                query = query.where(dated_by(until))
            inner = query.subquery()
            rows = s.connection().execute(sa_select(inner).where(inner.c.rank == 1)).all()
        out: dict[str, dict[str, Any]] = defaultdict(dict)
        for code, field, value, _ in rows:
            out[code][field] = figure_value(field, value)
        return out

    def figure_sources(self, ods_code: str) -> dict[str, dict[str, Any]]:
        """field -> where the practice's current imported figure came from."""
        with self.db.read() as s:
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
                "value": figure_value(figure.field, figure.value),
                "as_of": figure.as_of,
                "file_name": batch.file_name,
                "sha256": batch.sha256,
                "format_version": batch.format_version,
                "importer_version": batch.importer_version,
                "imported_at": batch.imported_at,
                "imported_by": batch.imported_by,
            }
        return sources


def figure_date(plan: ImportPlan, change: Change) -> date | None:
    """The date an imported figure describes: a CQC rating's own publication date (a
    care directory of 2026 also holds ratings published in 2019, which were current in
    2021), else the file's extract date."""
    rated = change.values.get("cqc_last_inspection")
    if plan.kind == "cqc" and isinstance(rated, date):
        return rated
    return plan.extract_date
