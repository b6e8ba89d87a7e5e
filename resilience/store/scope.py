"""Scope: reading and setting the patch a database covers, and the filter every view
applies (the rules themselves are in ``resilience.scope``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import true
from sqlmodel import Session, col, select

from resilience.errors import StoreError
from resilience.models import Commissioner, Practice, Setting
from resilience.scope import SCOPE_SETTING, covered, is_active, parse_codes
from resilience.store.database import Database


def scope_ids(s: Session) -> set[int] | None:
    """Ids of the commissioners in scope, or None when the database is not scoped."""
    row = s.get(Setting, SCOPE_SETTING)
    if not row or not row.value:
        return None
    rows = s.exec(select(Commissioner.id, Commissioner.code, Commissioner.parent_id)).all()
    code_of = {cid: code for cid, code, _ in rows}
    parent_of = {code: code_of.get(parent) if parent else None for _, code, parent in rows}
    inside = covered(row.value.split(), parent_of)
    return {cid for cid, code, _ in rows if code in inside and cid is not None}


def scope_where(s: Session) -> Any:
    """The condition on Practice that keeps the practices in scope (true when the
    database is not scoped)."""
    ids = scope_ids(s)
    if ids is None:
        return true()
    return col(Practice.commissioner_id).in_(sorted(ids))


def in_scope(s: Session, query: Any) -> Any:
    """``query`` (over Practice) limited to the practices in scope."""
    return query.where(scope_where(s))


class ScopeRepository:
    """The database's scope."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def scope(self) -> list[str]:
        """The codes the database is scoped to ([] when it covers all of England)."""
        with self.db.read() as s:
            row = s.get(Setting, SCOPE_SETTING)
        return row.value.split() if row and row.value else []

    def set_scope(self, codes: Iterable[str]) -> list[str]:
        """Scope the database to these codes (admins only; audited). Nothing is deleted."""
        self.db.require("admin", "setting the scope")
        try:
            chosen = parse_codes(codes)
        except ValueError as exc:
            raise StoreError(str(exc)) from None
        if not chosen:
            raise StoreError("name at least one code; `resilience scope clear` removes it")
        self.db.set_rule(SCOPE_SETTING, " ".join(chosen))
        return chosen

    def clear_scope(self) -> None:
        """Cover all of England again (admins only; audited)."""
        self.db.require("admin", "clearing the scope")
        self.db.set_rule(SCOPE_SETTING, "")

    def commissioner_tree(self) -> dict[str, tuple[str, str, str | None]]:
        """Commissioner code -> (name, kind, parent code), for everything the register knows."""
        from resilience.store.commissioners import CommissionerRepository

        return {
            c.code: (c.name, c.kind, c.parent)
            for c in CommissionerRepository(self.db).commissioner_list()
        }

    def hidden_counts(self, period: str | None = None) -> tuple[int, int]:
        """(closed or dormant practices in scope, practices outside the scope): what the
        views leave out."""
        with self.db.read() as s:
            everything = s.exec(
                select(col(Practice.id), col(Practice.status), col(Practice.closed_on))
            ).all()
            inside = set(s.exec(in_scope(s, select(Practice.id))).all())
        closed = sum(
            1
            for pid, status, closed_on in everything
            if pid in inside and not is_active(status, closed_on, period)
        )
        return closed, len(everything) - len(inside)
