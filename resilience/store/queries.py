"""Reads shared by several repositories: plain functions over one open session."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import func, inspect, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from resilience.domain import STORED_FINDINGS
from resilience.errors import StoreError
from resilience.findings import list_growth
from resilience.models import (
    Assessment,
    ImportBatch,
    Practice,
    PracticeFigure,
    ReviewPeriod,
    SoftIntelEntry,
)
from resilience.store.database import check_period
from resilience.store.rows import HISTORY_MONTHS, Row, figure_value, previous_month
from scoring import HistoryPoint, SoftIntelItem


def practice_ids(s: Session, codes: list[str]) -> dict[str, int]:
    """ODS code -> practice id, for the codes asked about (unknown codes left out)."""
    rows = s.exec(
        select(Practice.ods_code, Practice.id).where(col(Practice.ods_code).in_(set(codes)))
    ).all()
    return {code: pid for code, pid in rows if pid is not None}


def need(mapping: dict[str, Any], key: str, what: str) -> Any:
    try:
        return mapping[key]
    except KeyError:
        raise StoreError(f"unknown {what} {key!r}") from None


def latest_assessments(
    s: Session,
    period: str | None,
    practice_ids: list[Any] | None = None,
    *,
    with_result: bool = False,
    fields: Sequence[str] | None = None,
) -> dict[int, Any]:
    """practice id -> its newest assessment row (latest month, then latest version),
    for every practice or only ``practice_ids``; ``with_result`` adds result_json.

    Ten years of monthly reviews is most of a million rows, so this never ranks them
    all: it looks for each practice's newest version in the most recent months first
    (the index on the month), widens the window only for practices not found yet, and
    then reads the full rows of the winners alone."""
    months = s.exec(
        select(ReviewPeriod.id, ReviewPeriod.period)
        .where(True if period is None else col(ReviewPeriod.period) <= period)
        .order_by(col(ReviewPeriod.period).desc())
    ).all()
    wanted = set(s.exec(select(Practice.id)).all()) if practice_ids is None else set(practice_ids)
    month_of = dict(months)
    best: dict[int, tuple[str, int, int]] = {}  # practice -> (period, version, id)
    start = 0
    for size in (3, 12, len(months)):
        window = [pid for pid, _ in months[start : start + size]]
        start += size
        if not window or not wanted:
            break
        query = select(
            Assessment.practice_id, Assessment.period_id, Assessment.version, Assessment.id
        ).where(col(Assessment.period_id).in_(window))
        if practice_ids is not None or len(wanted) < 1_000:
            query = query.where(col(Assessment.practice_id).in_(sorted(wanted)))
        for pid, period_id, version, aid in s.exec(query).all():
            if pid not in wanted:
                continue
            assert aid is not None  # a primary key read back from the table
            key = (month_of[period_id], version, aid)
            if pid not in best or key > best[pid]:
                best[pid] = key
        wanted -= best.keys()
    ids = [aid for _, _, aid in best.values()]
    keep = None if fields is None else {"practice_id", "version", *fields}
    columns = [
        c
        for c in inspect(Assessment).local_table.c
        if (with_result or c.name != "result_json") and (keep is None or c.name in keep)
    ]
    out: dict[int, Any] = {}
    for chunk in range(0, len(ids), 5_000):
        rows = s.connection().execute(
            sa_select(*columns, col(ReviewPeriod.period).label("period"))
            .join(ReviewPeriod, col(Assessment.period_id) == ReviewPeriod.id)
            .where(col(Assessment.id).in_(ids[chunk : chunk + 5_000]))
        )
        for row in rows.mappings():
            out[row["practice_id"]] = Row(row)
    return out


def period_row(s: Session, period: str) -> ReviewPeriod:
    check_period(period)
    row = s.exec(select(ReviewPeriod).where(ReviewPeriod.period == period)).first()
    if row is None:
        raise StoreError(
            f"there is no review period {period}; open it with: resilience month open {period}"
        )
    return row


def history_of(
    s: Session, practice_ids: list[Any], up_to: str, months: int = HISTORY_MONTHS
) -> dict[int, list[HistoryPoint]]:
    """practice id -> (period, score, band) of each month's latest version, oldest first,
    for the HISTORY_MONTHS before ``up_to``: all the engine's trend reads (a run of
    deteriorations cannot outlast it, as each needs 5 more points or a worse band),
    and far less than reading ten years of every practice at each save. ``months``
    reads fewer (see month_inputs.trend_history)."""
    cutoff = up_to
    for _ in range(months):
        cutoff = previous_month(cutoff)
    month_ids = dict(
        s.exec(
            select(ReviewPeriod.id, ReviewPeriod.period)
            .where(col(ReviewPeriod.period) <= up_to)
            .where(col(ReviewPeriod.period) > cutoff)
        ).all()
    )
    query = sa_select(
        col(Assessment.practice_id),
        col(Assessment.period_id),
        col(Assessment.version),
        col(Assessment.score),
        col(Assessment.band),
    ).where(col(Assessment.period_id).in_(list(month_ids)))
    if len(practice_ids) < 1_000:  # else: every practice; the month index is enough
        query = query.where(col(Assessment.practice_id).in_(practice_ids))
    wanted = set(practice_ids)
    latest: dict[tuple[int, str], tuple[int, float, str]] = {}
    for pid, period_id, version, score_, band in s.connection().execute(query):
        if pid not in wanted:
            continue
        key = (pid, month_ids[period_id])
        if key not in latest or version > latest[key][0]:
            latest[key] = (version, score_, band)
    history: dict[int, list[HistoryPoint]] = defaultdict(list)
    for (pid, period), (_, score_, band) in sorted(latest.items(), key=lambda kv: kv[0][1]):
        history[pid].append(HistoryPoint(period, score_, band))
    return history


def current_versions(
    s: Session, practice_ids: list[Any], periods: Iterable[str]
) -> dict[tuple[int, str], int]:
    rows = s.exec(
        select(Assessment.practice_id, ReviewPeriod.period, func.max(Assessment.version))
        .join(ReviewPeriod, col(Assessment.period_id) == ReviewPeriod.id)
        .where(col(Assessment.practice_id).in_(practice_ids))
        .where(col(ReviewPeriod.period).in_(list(periods)))
        .group_by(col(Assessment.practice_id), col(ReviewPeriod.period))
    ).all()
    return {(pid, period): version for pid, period, version in rows}


def reviewed_in(
    s: Session, practice_ids: list[Any], periods: Iterable[str]
) -> set[tuple[int, str]]:
    """(practice id, month) pairs where a person saved a version (not only a script)."""
    rows = s.exec(
        select(Assessment.practice_id, ReviewPeriod.period)
        .join(ReviewPeriod, col(Assessment.period_id) == ReviewPeriod.id)
        .where(col(Assessment.practice_id).in_(practice_ids))
        .where(col(ReviewPeriod.period).in_(list(periods)))
        .where(col(Assessment.scripted).is_(False))
        .distinct()
    ).all()
    return {(pid, period) for pid, period in rows}


def soft_intel_unknown(
    s: Session, practice_ids: list[Any], entries: dict[int, list[Any]]
) -> set[int]:
    """Practices whose soft intelligence a script must count as unknown: nothing in
    their log and no version ever saved by a person. An empty log only means "none"
    once someone has reviewed the practice; before that, as in the public-data triage,
    whistleblowing and the rest are unknown (and floor facts stay "to confirm")."""
    quiet = [pid for pid in practice_ids if not entries.get(pid)]
    if not quiet:
        return set()
    # NOT EXISTS stops at a practice's first person-saved version (the usual case),
    # where DISTINCT over the versions read every one of ten years' months
    by_person = (
        select(Assessment.id)
        .where(col(Assessment.practice_id) == Practice.id)
        .where(col(Assessment.scripted).is_(False))
        .exists()
    )
    never = s.exec(
        select(Practice.id).where(col(Practice.id).in_(quiet)).where(~by_person)
    ).all()
    return {pid for pid in never if pid is not None}


def latest_findings(s: Session, practice_ids: list[Any]) -> dict[int, dict[str, Any]]:
    latest = latest_assessments(s, None, practice_ids, fields=(*STORED_FINDINGS, "score", "band"))
    return {
        pid: {
            **{f: getattr(row, f) for f in STORED_FINDINGS},
            "_score": f"{row.score} {row.band}",
        }
        for pid, row in latest.items()
    }


def soft_items(s: Session, practice_ids: list[Any]) -> dict[int, list[SoftIntelItem]]:
    rows = s.exec(
        select(SoftIntelEntry).where(col(SoftIntelEntry.practice_id).in_(practice_ids))
    ).all()
    items: dict[int, list[SoftIntelItem]] = defaultdict(list)
    for e in rows:
        items[e.practice_id].append(
            SoftIntelItem(
                received=e.received_on,
                source=e.source,
                category=e.category,
                severity=e.severity,
                confidence=e.confidence,  # type: ignore[arg-type]
                corroborated=e.corroborated,
                whistleblowing=e.whistleblowing,
                expires=e.expires_on,
            )
        )
    return items


def figures_of(
    s: Session, practice_ids: list[Any] | None, until: date | None = None
) -> dict[int, dict[str, Any]]:
    """practice id -> field -> (value, imported_at, "file (as of date)") of the latest
    imported figure, plus the 12-month list growth where two list sizes a year apart
    exist.

    "Latest" is by the date a figure describes (its ``as_of``), then by import: a 2021
    list-size file imported after a 2026 one does not take its place. With ``until`` (a
    month's last day), figures dated after it are left out, so a month is never scored
    with a rating or a list size published later."""
    query = (
        select(PracticeFigure, ImportBatch)
        .join(ImportBatch, col(PracticeFigure.batch_id) == ImportBatch.id)
        .order_by(
            col(PracticeFigure.as_of).is_not(None),
            col(PracticeFigure.as_of),
            col(PracticeFigure.id),
        )
    )
    if practice_ids is not None:
        query = query.where(col(PracticeFigure.practice_id).in_(practice_ids))
    if until is not None:
        query = query.where(dated_by(until))
    out: dict[int, dict[str, Any]] = defaultdict(dict)
    list_sizes: dict[int, list[tuple[date, int]]] = defaultdict(list)
    for figure, batch in s.exec(query).all():
        value = figure_value(figure.field, figure.value)
        when = f" as of {figure.as_of.isoformat()}" if figure.as_of else ""
        out[figure.practice_id][figure.field] = (
            value,
            batch.imported_at,
            f"{batch.file_name}{when}",
        )
        if figure.field == "list_size" and figure.as_of and value is not None:
            list_sizes[figure.practice_id].append((figure.as_of, value))
    for pid, sizes in list_sizes.items():
        growth = list_growth(sizes)
        if growth is not None:
            _, imported_at, source = out[pid]["list_size"]
            out[pid]["list_growth_pct_12m"] = (growth, imported_at, f"{source} vs a year before")
    return out


def dated_by(until: date) -> Any:
    """The condition on PracticeFigure: undated, or describing a day no later than
    ``until``."""
    return or_(col(PracticeFigure.as_of).is_(None), col(PracticeFigure.as_of) <= until)


def newest_first(partition_by: Any, order_by: Any) -> Any:
    """A 'rank' column numbering each group's rows newest first: rank 1 is the latest
    (every "latest version / figure / decision per ..." query filters on it)."""
    return func.row_number().over(partition_by=partition_by, order_by=order_by).label("rank")


def register_context(s: Session) -> dict[int, dict[str, Any]]:
    """Practice id -> what the engine reads from the register rather than a review: the
    list size's percentile among the commissioner's active practices, the list as a
    percentage of their median list (rules U9 and P1) and the
    date the practice opened (rule U10)."""
    from resilience.triage import percentiles_by_id, relatives_by_id

    rows = (
        s.connection()
        .execute(
            sa_select(
                col(Practice.id),
                col(Practice.commissioner_id),
                col(Practice.list_size),
                col(Practice.opened_on),
                col(Practice.status),
            )
        )
        .all()
    )
    active = [(r[0], r[1], r[2]) for r in rows if r[4] == "active"]
    percentiles = percentiles_by_id(active)
    relatives = relatives_by_id(active)
    return {
        pid: {
            "list_size_percentile": percentiles.get(pid),
            "list_size_relative": relatives.get(pid),
            "practice_opened": opened,
        }
        for pid, _, _, opened, _ in rows
        if pid is not None  # a primary key: never None read back
    }
