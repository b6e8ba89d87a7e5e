"""GPRP cohort allocation: rank applicants and place them within capacity.

The engine proposes; the panel decides. Ranking is by priority (overall risk score plus
points from the panel's resilience and support matrix), then the documented
tie-breaks: higher band, higher score, earlier application, ODS code. The last key is
unique, so the result never depends on the order applicants were given in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal, cast

from scoring.methodology import Level, Methodology, default_methodology

Outcome = Literal["supported", "reserve", "not_supported"]
OUTCOMES: tuple[str, ...] = ("supported", "reserve", "not_supported")
OUTCOME_LABELS = {"supported": "Supported", "reserve": "Reserve", "not_supported": "Not supported"}
# How an application reached the programme, and the panel's need / impact levels.
ROUTES: tuple[str, ...] = ("self_referral", "commissioner", "nhs_england")
ROUTE_LABELS = {
    "self_referral": "Self-referral",
    "commissioner": "Commissioner",
    "nhs_england": "NHS England",
}
LEVELS: tuple[str, ...] = ("low", "medium", "high")


@dataclass(frozen=True, slots=True)
class Applicant:
    ods_code: str
    score: float
    band: str
    commissioner: str | None = None
    need: str | None = None  # low / medium / high, or None (unknown)
    impact: str | None = None
    route: str = "self_referral"
    applied: date | None = None


@dataclass(frozen=True, slots=True)
class Capacity:
    supported: int
    reserve: int
    # commissioner code -> (supported places, reserve places)
    quotas: Mapping[str, tuple[int, int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.supported < 0 or self.reserve < 0:
            raise ValueError("capacity cannot be negative")
        for code, (sup, res) in self.quotas.items():
            if sup < 0 or res < 0:
                raise ValueError(f"quota for {code} cannot be negative")


@dataclass(frozen=True, slots=True)
class Placement:
    ods_code: str
    commissioner: str | None
    outcome: str
    rank: int
    priority: float
    score: float
    band: str
    need: str | None
    impact: str | None
    reason: str


def _no_room(
    applicant: Applicant,
    kind: str,
    overall: int,
    quota: tuple[int, int] | None,
    used: dict[str, int],
    used_by: dict[tuple[str, str], int],
) -> str | None:
    """Why no place of ``kind`` is left (overall, or the commissioner's quota); None if
    one is."""
    if used[kind] >= overall:
        return _places_taken(overall, kind)
    if quota is None:
        return None
    limit = quota[0] if kind == "supported" else quota[1]
    if used_by.get((applicant.commissioner or "", kind), 0) >= limit:
        return _places_taken(limit, kind, f"{applicant.commissioner}'s ")
    return None


def _places_taken(count: int, kind: str, whose: str = "") -> str:
    if count == 0:
        return f"there are no {whose}{kind} places"
    if count == 1:
        return f"{whose or 'the '}only {kind} place is taken"
    number = "both" if count == 2 else f"all {count}"
    return (
        f"{number} of {whose}{kind} places are taken"
        if whose
        else (f"{number} {kind} places are taken")
    )


def priority_of(applicant: Applicant, method: Methodology) -> float:
    settings = method.allocation
    # an applicant's need and impact are levels the panel chose from the method's list
    need = cast("Level", applicant.need or settings.unknown_matrix)
    impact = cast("Level", applicant.impact or settings.unknown_matrix)
    return round(
        applicant.score + settings.need_points[need] + settings.impact_points[impact],
        1,
    )


def allocate(
    applicants: Sequence[Applicant],
    capacity: Capacity,
    method: Methodology | None = None,
) -> list[Placement]:
    """Place every applicant as supported, reserve or not supported, in rank order."""
    method = method or default_methodology()
    names = method.band_names
    codes = [a.ods_code for a in applicants]
    if len(set(codes)) != len(codes):
        repeated = sorted({c for c in codes if codes.count(c) > 1})
        raise ValueError(f"an applicant may apply once per cohort; repeated: {repeated}")
    for a in applicants:
        if a.band not in names:
            raise ValueError(f"{a.ods_code}: band {a.band!r} is not a band of {method.version}")
        for level in (a.need, a.impact):
            if level is not None and level not in ("low", "medium", "high"):
                raise ValueError(f"{a.ods_code}: need and impact are low, medium or high")

    priorities = {a.ods_code: priority_of(a, method) for a in applicants}
    ranked = sorted(
        applicants,
        key=lambda a: (
            -priorities[a.ods_code],
            -names.index(a.band),
            -a.score,
            a.applied or date.max,
            a.ods_code,
        ),
    )
    min_band = names.index(method.allocation.min_band)
    used = {"supported": 0, "reserve": 0}
    used_by: dict[tuple[str, str], int] = {}
    total = len(ranked)
    placements = []
    for rank, a in enumerate(ranked, start=1):
        quota = capacity.quotas.get(a.commissioner or "") if capacity.quotas else None
        basis = (
            f"ranked {rank} of {total} (priority {priorities[a.ods_code]:.1f}: "
            f"{a.band} risk, score {a.score:.1f}, need {a.need or 'not assessed'}, "
            f"impact {a.impact or 'not assessed'})"
        )

        full_supported = _no_room(a, "supported", capacity.supported, quota, used, used_by)
        full_reserve = _no_room(a, "reserve", capacity.reserve, quota, used, used_by)
        if names.index(a.band) < min_band:
            outcome = "not_supported"
            reason = (
                f"Not supported: {basis}; overall band {a.band} is below the "
                f"{method.allocation.min_band} band the programme supports."
            )
        elif full_supported is None:
            outcome = "supported"
            reason = f"Supported: {basis}; within the supported places."
        elif full_reserve is None:
            outcome = "reserve"
            reason = f"Reserve: {basis}; {full_supported}."
        else:
            outcome = "not_supported"
            reason = f"Not supported: {basis}; {full_supported} and {full_reserve}."
        if outcome != "not_supported":
            used[outcome] += 1
            key = (a.commissioner or "", outcome)
            used_by[key] = used_by.get(key, 0) + 1
        placements.append(
            Placement(
                ods_code=a.ods_code,
                commissioner=a.commissioner,
                outcome=outcome,
                rank=rank,
                priority=priorities[a.ods_code],
                score=a.score,
                band=a.band,
                need=a.need,
                impact=a.impact,
                reason=reason,
            )
        )
    return placements
