"""The register: practices and the organisations they belong to."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import func
from sqlmodel import col, select

from resilience.audit import audit_entry
from resilience.domain import PracticeRow
from resilience.errors import StoreError
from resilience.models import Commissioner, Federation, Locality, Practice, Setting
from resilience.scope import is_active
from resilience.store.database import Database
from resilience.store.queries import latest_assessments, need, practice_ids, register_context
from resilience.store.scope import in_scope


class RegisterRepository:
    """Practices, their commissioners, localities and federations."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def is_empty(self) -> bool:
        with self.db.read() as s:
            return s.exec(select(func.count()).select_from(Practice)).one() == 0

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
        self.db.require("editor", "loading the register")
        with self.db.write() as s:
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
                    commissioner_id=need(by_code, loc["commissioner"], "commissioner").id,
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
                commissioner = need(by_code, p["commissioner"], "commissioner")
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

    def list_practices(
        self,
        period: str | None = None,
        *,
        ods_code: str | None = None,
        include_closed: bool = False,
    ) -> list[PracticeRow]:
        """Every practice in scope (or only ``ods_code``) with its latest assessment, up to
        ``period`` when given; closed and dormant ones only with ``include_closed``."""
        with self.db.read() as s:
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
                query = in_scope(s, query)
            rows = s.exec(query).all()
            if ods_code is None and not include_closed:
                rows = [r for r in rows if is_active(r[0].status, r[0].closed_on, period)]
            ids = [p.id for p, *_ in rows] if ods_code is not None else None
            latest = latest_assessments(s, period, ids)
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

    def practice(self, ods_code: str) -> PracticeRow:
        """One practice as lists show it."""
        rows = self.list_practices(ods_code=ods_code)
        if not rows:
            raise StoreError(f"no practice with ODS code {ods_code}")
        return rows[0]

    def known_codes(self, codes: Iterable[str]) -> set[str]:
        """Which of these ODS codes are practices in the register."""
        with self.db.read() as s:
            return set(practice_ids(s, list(codes)))

    def register_figures(self) -> dict[str, dict[str, Any]]:
        """ODS code -> what the engine reads from the register rather than a review: the
        list's percentile among the commissioner's active practices, the list as a
        percentage of their median list, and the date the practice opened."""
        with self.db.read() as s:
            codes = {pid: code for pid, code in s.exec(select(Practice.id, Practice.ods_code))}
            contexts = register_context(s)
        return {codes[pid]: context for pid, context in contexts.items() if pid in codes}

    def commissioners(self) -> list[tuple[str, str]]:
        """(code, short name) of every commissioner that holds practices."""
        with self.db.read() as s:
            rows = s.exec(
                select(Commissioner.code, Commissioner.short_name)
                .where(col(Commissioner.id).in_(select(Practice.commissioner_id)))
                .order_by(col(Commissioner.code))
            ).all()
        return [(code, short or code) for code, short in rows]
