"""The GPRP panel: decisions, need and impact, the panel record and locking a cohort."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date

from sqlmodel import Session, col, select

from resilience.audit import audit_entry
from resilience.errors import StoreError
from resilience.models import Application, Cohort, Decision, Practice
from resilience.store.cohorts import CohortRepository
from resilience.store.database import Database
from resilience.store.rows import now
from scoring.allocation import LEVELS


class PanelRepository:
    """The panel's decisions on a cohort's applications."""

    def __init__(self, db: Database, cohorts: CohortRepository) -> None:
        self.db = db
        self.cohorts = cohorts

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

        actor = self.db.actor(actor)
        self.db.require("editor", "recording a panel decision")
        if outcome not in OUTCOMES:
            raise StoreError(f"outcome is one of {', '.join(OUTCOMES)}")
        if not rationale.strip():
            raise StoreError("a decision needs a rationale: say why")
        with self.db.write() as s:
            application, _ = open_application(s, cohort, ods_code)
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
        actor = self.db.actor(actor)
        self.db.require("editor", "setting need and impact")
        for name, level in (("need", need), ("impact", impact)):
            if level not in (None, *LEVELS):
                raise StoreError(f"{name} is one of {', '.join(LEVELS)}, or not assessed")
        with self.db.write() as s:
            application, _ = open_application(s, cohort, ods_code)
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
        actor = self.db.actor(actor)
        self.db.require("editor", "recording the panel")
        if not attendees.strip():
            raise StoreError("name the panel's attendees")
        with self.db.write() as s:
            row = open_cohort(s, cohort)
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
        actor = self.db.actor(actor)
        self.db.require("editor", "locking a cohort")
        undecided = [a.ods_code for a in self.cohorts.applications(cohort) if a.outcome is None]
        with self.db.write() as s:
            row = open_cohort(s, cohort)
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


def open_application(s: Session, cohort: str, ods_code: str) -> tuple[Application, Cohort]:
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


def open_cohort(s: Session, cohort: str) -> Cohort:
    row = s.exec(select(Cohort).where(Cohort.name == cohort)).first()
    if row is None:
        raise StoreError(f"no cohort called {cohort!r}")
    if row.status == "locked":
        raise StoreError(f"{cohort!r} is locked: its decisions are final")
    return row
