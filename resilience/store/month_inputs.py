"""A month's inputs, read once: what every practice of the month is scored from.

Both reading a month for scoring (``MeetingRepository.period_inputs``) and rescoring it
in one pass (``RescoringRepository.rescore_period``) read the month here, the second
inside its write transaction, so what it saves is scored from exactly what it read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, select

from resilience.domain import FINDING_FIELDS, GP_AGE_SPLIT
from resilience.findings import prefill, to_inputs
from resilience.models import Practice
from resilience.scope import is_active
from resilience.store.queries import (
    figures_of,
    history_of,
    latest_assessments,
    period_row,
    register_context,
    soft_intel_unknown,
    soft_items,
)
from resilience.store.rows import month_end
from resilience.store.scope import in_scope
from scoring import HistoryPoint, Methodology, PracticeInputs, SoftIntelItem
from scoring.trend import reaches_back


@dataclass(frozen=True, slots=True)
class MonthPractice:
    """One practice of the month: its engine inputs, its earlier months (oldest
    first) and its version number for the month as read (0: none saved)."""

    practice_id: int
    ods_code: str
    inputs: PracticeInputs
    earlier: tuple[HistoryPoint, ...]
    version: int
    # findings the engine does not read but a review records (the GP age split): a
    # rescored version keeps them instead of recording them as unknown
    kept: dict[str, Any]


@dataclass(frozen=True, slots=True)
class MonthInputs:
    """What was read for a month: the practices (by ODS code) and the reads behind
    them, which a save in the same transaction uses again instead of reading twice."""

    practices: list[MonthPractice]
    latest: dict[int, Any]  # practice id -> newest assessment row up to the month
    history: dict[int, list[HistoryPoint]]
    entries: dict[int, list[SoftIntelItem]]
    contexts: dict[int, dict[str, Any]]
    soft_unknown: set[int]  # soft intelligence unknown (queries.soft_intel_unknown)


# months of history read first for every practice when rescoring; the full
# HISTORY_MONTHS only for the few whose run of deteriorations may reach further back
RECENT_MONTHS = 4


def trend_history(
    s: Session, ids: list[int], period: str, method: Methodology
) -> dict[int, list[HistoryPoint]]:
    """The history ``method``'s trend needs for each practice scored for ``period``:
    the last RECENT_MONTHS, and the full HISTORY_MONTHS only for practices whose
    earlier points could all be part of a run of deteriorations (``reaches_back``).
    The trend, streak and previous month come out as with the full history."""
    history = history_of(s, ids, period, RECENT_MONTHS)
    longer = [
        pid
        for pid in ids
        if reaches_back(
            [h for h in history.get(pid, ()) if h.period < period],
            method.band_names,
            method.trend,
        )
    ]
    if longer:
        history.update(history_of(s, longer, period))
    return history


def _kept_split(findings: dict[str, Any]) -> dict[str, Any]:
    """The GP age split as read, unless a newer imported total no longer matches it
    (then the split is unknown rather than contradicting the total)."""
    split: list[Any] = [findings.get(f) for f in GP_AGE_SPLIT]
    total = findings.get("gp_aged_55_plus")
    if None not in split and total is not None and split[0] + split[1] != total:
        return dict.fromkeys(GP_AGE_SPLIT)
    return dict(zip(GP_AGE_SPLIT, split, strict=True))


def read_month_inputs(
    s: Session, period: str, *, lock: bool = False, scored_with: Methodology | None = None
) -> MonthInputs:
    """Every active practice in scope with a result up to ``period`` or an imported
    figure: the saved version where the practice was reviewed this month, else its
    starting point (last findings carried forward, newer imported figures on top).

    ``lock`` takes the practices' rows FOR UPDATE first (PostgreSQL; SQLite's write
    transaction already holds the lock), so a review saved while this transaction runs
    waits for it, and one saved before is what this reads. ``scored_with``: the history
    is only what that method's trend reads (``trend_history``), not all HISTORY_MONTHS."""
    period_row(s, period)
    practices = in_scope(
        s, select(Practice.id, Practice.ods_code, Practice.status, Practice.closed_on)
    )
    if lock:
        practices = practices.with_for_update()
    codes = {
        pid: code
        for pid, code, status, closed_on in s.exec(practices).all()
        if is_active(status, closed_on, period)
    }
    latest = latest_assessments(s, period)
    figures = figures_of(s, None, month_end(period))
    ids = [pid for pid in codes if pid in latest or pid in figures]
    entries = soft_items(s, ids)
    soft_unknown = soft_intel_unknown(s, ids, entries)
    if scored_with is None:
        history = history_of(s, ids, period)
    else:
        history = trend_history(s, ids, period, scored_with)
    contexts = register_context(s)
    out = []
    for pid in sorted(ids, key=lambda i: codes[i]):
        row = latest.get(pid)
        if row is not None and row.period == period:
            findings = row.pick(FINDING_FIELDS)
        else:  # not reviewed this month: carried forward, newer public figures on top
            findings, _ = prefill(row, figures.get(pid, {}))
        log = None if pid in soft_unknown else entries.get(pid, ())
        inputs = to_inputs(codes[pid], period, findings, log, contexts.get(pid))
        earlier = tuple(h for h in history.get(pid, []) if h.period < period)
        version = row.version if row is not None and row.period == period else 0
        kept = _kept_split(findings)
        out.append(MonthPractice(pid, codes[pid], inputs, earlier, version, kept))
    return MonthInputs(out, latest, history, entries, contexts, soft_unknown)
