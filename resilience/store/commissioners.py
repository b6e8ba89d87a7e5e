"""Commissioners (CCGs, ICBs, sub-ICB locations): their hierarchy and names (see
``resilience.commissioners``)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from resilience.audit import audit_entry
from resilience.commissioners import CommissionerInfo, clean_name
from resilience.errors import StoreError
from resilience.importers import ImportPlan
from resilience.models import Commissioner
from resilience.store.database import Database


class CommissionerRepository:
    """The commissioner hierarchy and names."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def commissioner_list(self) -> list[CommissionerInfo]:
        """Every commissioner, by code, with its parent's code."""
        with self.db.read() as s:
            rows = s.exec(select(Commissioner).order_by(Commissioner.code)).all()
        codes = {c.id: c.code for c in rows}
        return [
            CommissionerInfo(
                c.code,
                c.name,
                c.short_name,
                c.kind,
                codes.get(c.parent_id) if c.parent_id else None,
            )
            for c in rows
        ]

    def commissioner_snapshot(self) -> dict[str, dict[str, Any]]:
        """code -> {"kind", "parent", "name"} for importers to compare a file with."""
        return {
            c.code: {"kind": c.kind, "parent": c.parent, "name": c.name}
            for c in self.commissioner_list()
        }

    def set_commissioner_name(
        self, code: str, name: str, short_name: str | None = None, *, actor: str | None = None
    ) -> None:
        """Name a commissioner by hand (for a code no ODS file names). Audited."""
        self.db.require("editor", "naming a commissioner")
        actor = self.db.actor(actor)
        name = clean_name(name)
        short = clean_name(short_name) if short_name else ""
        with self.db.write() as s:
            row = s.exec(select(Commissioner).where(Commissioner.code == code)).first()
            if row is None:
                raise StoreError(
                    f"no commissioner {code!r} in this database; `resilience commissioners` "
                    "lists them (import the register first)"
                )
            old = f"{row.name} ({row.short_name})" if row.short_name else row.name
            row.name, row.short_name = name, short
            s.add(row)
            s.add(
                audit_entry(
                    actor, "update", "commissioner", code, field="name",
                    old_value=old, new_value=f"{name} ({short})" if short else name,
                )
            )  # fmt: skip

    def apply_commissioners(self, s: Session, plan: ImportPlan) -> dict[str, Commissioner]:
        """Create the plan's new commissioners, re-file known ones and apply names, in
        the import's transaction. Returns code -> row for every commissioner."""
        by_code = {c.code: c for c in s.exec(select(Commissioner)).all()}
        for code, info in plan.commissioners.items():
            if code in by_code:
                continue
            parent = by_code.get(info["parent"]) if info.get("parent") else None
            created = Commissioner(
                code=code,
                name=info["name"],
                kind=info["kind"],
                parent_id=parent.id if parent else None,
            )
            s.add(created)
            s.flush()
            by_code[code] = created
        for code, (name, kind) in plan.names.items():
            row = by_code.get(code)
            if row is None:  # a names file may name an ICB the register has not shown yet
                if kind is None:
                    continue
                row = Commissioner(code=code, name=name, short_name="", kind=kind)
                s.add(row)
                s.flush()
                by_code[code] = row
                continue
            row.name = name
            if kind == "icb" or (kind == "sub_icb" and row.kind == "ccg"):
                row.kind = kind
            s.add(row)
        for code, update in plan.commissioner_updates.items():
            row = by_code.get(code)
            if row is None:
                continue
            if "kind" in update:
                row.kind = update["kind"]
            if update.get("parent") and update["parent"] in by_code:
                row.parent_id = by_code[update["parent"]].id
            s.add(row)
        return by_code
