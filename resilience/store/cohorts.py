"""GPRP cohorts and their applicants."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import col, select

from resilience.audit import audit_entry
from resilience.domain import ApplicationInfo, CohortInfo
from resilience.errors import StoreError
from resilience.models import Application, Cohort, CohortQuota, Commissioner, Decision, Practice
from resilience.store.database import Database
from resilience.store.queries import newest_first, practice_ids
from resilience.store.rows import now
from scoring.allocation import LEVELS, ROUTES


class CohortRepository:
    """Cohorts and applications."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def cohort_names(self) -> list[str]:
        with self.db.read() as s:
            return list(s.exec(select(Cohort.name).order_by(col(Cohort.id))).all())

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
        actor = self.db.actor(actor)
        self.db.require("editor", "creating a cohort")
        if supported < 0 or reserve < 0:
            raise StoreError("capacity cannot be negative")
        with self.db.write() as s:
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
        actor = self.db.actor(actor)
        self.db.require("editor", "adding applicants")
        count = 0
        with self.db.write() as s:
            cohort_row = s.exec(select(Cohort).where(Cohort.name == cohort)).first()
            if cohort_row is None:
                raise StoreError(f"no cohort called {cohort!r}")
            if cohort_row.status == "locked":
                raise StoreError(f"{cohort!r} is locked: no more applicants can be added")
            applications = list(applications)
            ids = practice_ids(s, [a["ods_code"] for a in applications])
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
                    practice_id=ids[a["ods_code"]],
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
        with self.db.read() as s:
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
        with self.db.read() as s:
            rank = newest_first(
                partition_by=Decision.application_id, order_by=col(Decision.id).desc()
            )
            decisions = sa_select(
                col(Decision.application_id),
                col(Decision.outcome),
                col(Decision.rationale),
                col(Decision.decided_by),
                col(Decision.support_items),
                rank,
            ).subquery()
            rows = s.exec(
                # SQLModel's select() is typed for at most four entities
                select(  # type: ignore[call-overload]
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

    def cohort_outcomes(self, cohort: str) -> list[tuple[str, str, str | None]]:
        """(ods_code, commissioner code, latest decision outcome) for each applicant."""
        return [(a.ods_code, a.commissioner_code, a.outcome) for a in self.applications(cohort)]
