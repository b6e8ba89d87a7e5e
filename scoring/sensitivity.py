"""Sensitivity: rerun an allocation under another method and say who moves and why."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from scoring.allocation import Applicant, Capacity, allocate
from scoring.engine import score
from scoring.inputs import PracticeInputs
from scoring.methodology import Methodology
from scoring.results import ScoreResult
from scoring.trend import HistoryPoint


@dataclass(frozen=True, slots=True)
class OutcomeChange:
    ods_code: str
    outcome_before: str
    outcome_after: str
    score_before: float
    score_after: float
    band_before: str
    band_after: str
    rank_before: int
    rank_after: int
    reason: str


def _drivers(before: ScoreResult, after: ScoreResult) -> str:
    """The rules whose points differ most between two results of one practice."""
    points_before = {c.rule_id: c.points_tenths for c in before.contributions}
    points_after = {c.rule_id: c.points_tenths for c in after.contributions}
    changes = []
    for rule_id in sorted(set(points_before) | set(points_after)):
        delta = points_after.get(rule_id, 0) - points_before.get(rule_id, 0)
        if delta:
            changes.append((abs(delta), rule_id, delta))
    changes.sort(key=lambda t: (-t[0], t[1]))
    return ", ".join(f"{rule_id} {delta / 10:+.1f}" for _, rule_id, delta in changes[:3])


def compare_methodologies(
    applicants: Sequence[Applicant],
    inputs: Mapping[str, PracticeInputs],
    capacity: Capacity,
    before: Methodology,
    after: Methodology,
    histories: Mapping[str, Sequence[HistoryPoint]] | None = None,
) -> list[OutcomeChange]:
    """Score and allocate under both methods; list the practices whose outcome changes.

    ``applicants`` carry the panel's need and impact; their scores are recomputed from
    ``inputs`` (by ODS code) and earlier months in ``histories`` under each method.
    """
    results = {}
    placements = {}
    for label, method in (("before", before), ("after", after)):
        scored = {
            code: score(inputs[code], method, (histories or {}).get(code, ()))
            for code in (a.ods_code for a in applicants)
        }
        rescored = [
            replace(a, score=scored[a.ods_code].score, band=scored[a.ods_code].band)
            for a in applicants
        ]
        results[label] = scored
        placements[label] = {p.ods_code: p for p in allocate(rescored, capacity, method)}
    changes = []
    for code, old in placements["before"].items():
        new = placements["after"][code]
        if old.outcome == new.outcome:
            continue
        r_old, r_new = results["before"][code], results["after"][code]
        drivers = _drivers(r_old, r_new)
        reason = (
            f"score {r_old.score:.1f} -> {r_new.score:.1f} ({r_old.band} -> {r_new.band}); "
            f"priority {old.priority:.1f} -> {new.priority:.1f}; rank {old.rank} -> {new.rank}"
            + (f"; changed rules: {drivers}" if drivers else "")
            + ("; other applicants moved" if not drivers and old.priority == new.priority else "")
        )
        changes.append(
            OutcomeChange(
                ods_code=code,
                outcome_before=old.outcome,
                outcome_after=new.outcome,
                score_before=r_old.score,
                score_after=r_new.score,
                band_before=r_old.band,
                band_after=r_new.band,
                rank_before=old.rank,
                rank_after=new.rank,
                reason=reason,
            )
        )
    changes.sort(key=lambda ch: (ch.rank_before, ch.ods_code))
    return changes
