"""GPRP cohorts: the engine's proposed allocation beside the panel's recorded decisions."""

from __future__ import annotations

import re
from collections.abc import Container, Iterable
from dataclasses import dataclass
from datetime import date

from resilience.domain import ApplicationInfo
from resilience.store import Store, StoreError
from scoring import Applicant, Capacity, Methodology, Placement, allocate, suggest_support
from scoring.sensitivity import OutcomeChange, compare_methodologies


@dataclass(frozen=True, slots=True)
class ProposedPlacement:
    application: ApplicationInfo
    placement: Placement
    support: tuple[str, ...]  # ids of the suggested GPRP menu items

    @property
    def differs_from_decision(self) -> bool:
        recorded = self.application.outcome
        return recorded is not None and recorded != self.placement.outcome


def _require_assessed(period: str, codes: Iterable[str], assessed: Container[str]) -> None:
    missing = [code for code in codes if code not in assessed]
    if missing:
        raise StoreError(
            f"no assessment in {period} for {', '.join(missing)}; review them in that month first"
        )


def _applicant(a: ApplicationInfo, score: float, band: str) -> Applicant:
    return Applicant(
        ods_code=a.ods_code,
        score=score,
        band=band,
        commissioner=a.commissioner_code,
        need=a.need,
        impact=a.impact,
        route=a.route,
        applied=a.received_on,
    )


def support_names(method: Methodology, ids: Iterable[str]) -> list[str]:
    """Menu item names for recorded ids (an id the method no longer has is shown as is)."""
    names = {item.id: item.name for item in method.support_menu}
    return [names.get(i, i) for i in ids]


def propose(store: Store, cohort_name: str, method: Methodology) -> list[ProposedPlacement]:
    """Rank a cohort's applicants on their scores for the cohort's assessment month."""
    cohort = store.cohort(cohort_name)
    if cohort.assessment_period is None:
        raise StoreError(f"cohort {cohort_name!r} has no assessment month to score from")
    applications = store.applications(cohort_name)
    results = store.period_results(cohort.assessment_period)
    _require_assessed(cohort.assessment_period, [a.ods_code for a in applications], results)
    applicants = [
        _applicant(a, results[a.ods_code].score, results[a.ods_code].band) for a in applications
    ]
    by_code = {a.ods_code: a for a in applications}
    capacity = Capacity(cohort.capacity_supported, cohort.capacity_reserve, cohort.quotas)
    return [
        ProposedPlacement(
            application=by_code[p.ods_code],
            placement=p,
            support=tuple(s.item_id for s in suggest_support(results[p.ods_code], method)),
        )
        for p in allocate(applicants, capacity, method)
    ]


def sensitivity(
    store: Store, cohort_name: str, current: Methodology, other: Methodology
) -> list[OutcomeChange]:
    """Who would move between supported, reserve and not supported if the cohort were
    scored with ``other`` instead of ``current``, and why."""
    cohort = store.cohort(cohort_name)
    if cohort.assessment_period is None:
        raise StoreError(f"cohort {cohort_name!r} has no assessment month to score from")
    applications = store.applications(cohort_name)
    wanted = {a.ods_code for a in applications}
    inputs = {}
    histories = {}
    for row, history in store.period_inputs(cohort.assessment_period):
        if row.ods_code in wanted:
            inputs[row.ods_code] = row
            histories[row.ods_code] = history
    _require_assessed(cohort.assessment_period, sorted(wanted), inputs)
    # score and band are placeholders: compare_methodologies rescores under each method
    applicants = [_applicant(a, 0.0, current.band_names[0]) for a in applications]
    capacity = Capacity(cohort.capacity_supported, cohort.capacity_reserve, cohort.quotas)
    return compare_methodologies(applicants, inputs, capacity, current, other, histories)


_CODE_SPLIT = re.compile(r"[\s,;]+")
_QUOTA = re.compile(r"^(?P<code>[A-Za-z0-9]+)\s+(?P<supported>\d+)\s*/\s*(?P<reserve>\d+)$")


def parse_codes(text: str) -> list[str]:
    """ODS codes typed or pasted in one field: separated by spaces, commas or semicolons,
    in any case. Repeats are dropped, keeping the first."""
    codes = [c.upper() for c in _CODE_SPLIT.split(text.strip()) if c]
    return list(dict.fromkeys(codes))


def parse_quotas(text: str) -> dict[str, tuple[int, int]]:
    """Per-commissioner places typed as ``CODE supported/reserve``, comma separated,
    e.g. ``04C 4/10, 04V 1/2``. Blank means no quotas."""
    quotas: dict[str, tuple[int, int]] = {}
    for n, part in enumerate((p.strip() for p in text.split(",")), start=1):
        if not part:
            continue
        match = _QUOTA.match(part)
        if match is None:
            raise StoreError(
                f"quota {n} ({part!r}) is not 'CODE supported/reserve', e.g. '04C 4/10'"
            )
        code = match["code"].upper()
        if code in quotas:
            raise StoreError(f"commissioner {code} has two quotas")
        quotas[code] = (int(match["supported"]), int(match["reserve"]))
    return quotas


def add_applicants(
    store: Store,
    cohort: str,
    codes: Iterable[str],
    *,
    route: str,
    received_on: date | None,
    need: str | None,
    impact: str | None,
) -> int:
    """Add practices that applied together the same way (one route, date, need and
    impact). All or nothing: every problem is reported and nothing is added."""
    rows = [
        {
            "ods_code": code,
            "route": route,
            "received_on": received_on,
            "need": need,
            "impact": impact,
        }
        for code in codes
    ]
    return store.add_applications(cohort, rows)


def copy_applicants(store: Store, source: str, target: str, *, actor: str | None = None) -> int:
    """Add to ``target`` every applicant of ``source`` that has not applied to it yet,
    with the same route, date received, need and impact (not the decisions)."""
    present = {a.ods_code for a in store.applications(target)}
    rows = [
        {
            "ods_code": a.ods_code,
            "route": a.route,
            "received_on": a.received_on,
            "need": a.need,
            "impact": a.impact,
        }
        for a in store.applications(source)
        if a.ods_code not in present
    ]
    if not rows:
        raise StoreError(f"every applicant of {source!r} is already in {target!r}")
    return store.add_applications(target, rows, actor=actor)


def accept_proposals(
    store: Store, cohort_name: str, method: Methodology, *, actor: str | None = None
) -> int:
    """Record the engine's proposal, its reason and its suggested support as the decision
    for every applicant that has none yet. Returns how many were recorded."""
    count = 0
    for p in propose(store, cohort_name, method):
        if p.application.outcome is not None:
            continue
        store.record_decision(
            cohort_name,
            p.placement.ods_code,
            p.placement.outcome,
            f"As proposed: {p.placement.reason}",
            proposed=p.placement.outcome,
            support_items=p.support,
            actor=actor,
        )
        count += 1
    return count
