"""GPRP cohorts: the engine's proposed allocation beside the panel's recorded decisions."""

from __future__ import annotations

from dataclasses import dataclass

from resilience.domain import ApplicationInfo
from resilience.store import Store, StoreError
from scoring import Applicant, Capacity, Methodology, Placement, allocate, suggest_support


@dataclass(frozen=True, slots=True)
class ProposedPlacement:
    application: ApplicationInfo
    placement: Placement
    support: tuple[str, ...]  # suggested GPRP menu item names

    @property
    def differs_from_decision(self) -> bool:
        recorded = self.application.outcome
        return recorded is not None and recorded != self.placement.outcome


def propose(store: Store, cohort_name: str, method: Methodology) -> list[ProposedPlacement]:
    """Rank a cohort's applicants on their scores for the cohort's assessment month."""
    cohort = store.cohort(cohort_name)
    if cohort.assessment_period is None:
        raise StoreError(f"cohort {cohort_name!r} has no assessment month to score from")
    applications = store.applications(cohort_name)
    results = store.period_results(cohort.assessment_period)
    missing = [a.ods_code for a in applications if a.ods_code not in results]
    if missing:
        raise StoreError(
            f"no assessment in {cohort.assessment_period} for {', '.join(missing)}; "
            "review them in that month first"
        )
    applicants = [
        Applicant(
            ods_code=a.ods_code,
            score=results[a.ods_code].score,
            band=results[a.ods_code].band,
            commissioner=a.commissioner_code,
            need=a.need,
            impact=a.impact,
            route=a.route,
            applied=a.received_on,
        )
        for a in applications
    ]
    by_code = {a.ods_code: a for a in applications}
    capacity = Capacity(cohort.capacity_supported, cohort.capacity_reserve, cohort.quotas)
    return [
        ProposedPlacement(
            application=by_code[p.ods_code],
            placement=p,
            support=tuple(s.name for s in suggest_support(results[p.ods_code], method)),
        )
        for p in allocate(applicants, capacity, method)
    ]
