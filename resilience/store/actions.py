"""Actions agreed for a practice, and their completion."""

from __future__ import annotations

from datetime import date

from sqlmodel import col, select

from resilience.audit import audit_entry
from resilience.domain import ActionInfo
from resilience.errors import StoreError
from resilience.models import Action, Practice
from resilience.store.database import Database
from resilience.store.rows import now


class ActionRepository:
    """Actions."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def add_action(
        self,
        ods_code: str,
        text: str,
        owner: str,
        due_on: date | None = None,
        *,
        actor: str | None = None,
    ) -> int:
        actor = self.db.actor(actor)
        self.db.require("editor", "adding an action")
        with self.db.write() as s:
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

    def open_actions(self) -> list[ActionInfo]:
        """Actions not yet done, oldest due date first."""
        with self.db.read() as s:
            rows = s.exec(
                select(Action, Practice.ods_code, Practice.name)
                .join(Practice, col(Action.practice_id) == Practice.id)
                .where(Action.status == "open")
                .order_by(col(Action.due_on), col(Action.id))
            ).all()
        return [_action(a, code, name) for a, code, name in rows]

    def practice_actions(self, ods_code: str) -> list[ActionInfo]:
        with self.db.read() as s:
            rows = s.exec(
                select(Action, Practice.ods_code, Practice.name)
                .join(Practice, col(Action.practice_id) == Practice.id)
                .where(Practice.ods_code == ods_code)
                .order_by(col(Action.status) != "open", col(Action.due_on), col(Action.id))
            ).all()
        return [_action(a, code, name) for a, code, name in rows]

    def complete_action(self, action_id: int, *, actor: str | None = None) -> None:
        actor = self.db.actor(actor)
        self.db.require("editor", "completing an action")
        with self.db.write() as s:
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


def _action(row: Action, ods_code: str, name: str) -> ActionInfo:
    assert row.id is not None
    return ActionInfo(
        id=row.id,
        ods_code=ods_code,
        practice=name,
        text=row.text,
        owner=row.owner,
        due_on=row.due_on,
        status=row.status,
        completed_at=row.completed_at,
    )
