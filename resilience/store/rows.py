"""Row -> domain object conversions and small helpers the repositories share."""

from __future__ import annotations

import calendar
import json
from datetime import UTC, date, datetime
from typing import Any

from resilience.domain import (
    STORED_FINDINGS,
    AgendaRow,
    AssessmentVersion,
    PeriodInfo,
    SoftIntel,
    short_label,
)
from resilience.models import Assessment, ReviewPeriod, SoftIntelEntry
from resilience.people import MASK
from scoring import AREAS, ScoreResult


def now() -> datetime:
    return datetime.now(UTC)


def text_of(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)


class Row:
    """Attribute access over a result mapping (keeps the store's call sites tidy)."""

    __slots__ = ("_data",)

    def __init__(self, data: Any) -> None:
        self._data = data

    def __getattr__(self, name: str) -> Any:
        try:
            return self._data[name]
        except KeyError:
            raise AttributeError(name) from None

    def pick(self, names: tuple[str, ...]) -> dict[str, Any]:
        """These columns as a dict (cheaper than one attribute at a time, for a month)."""
        data = self._data
        return {name: data[name] for name in names}


def next_month(period: str) -> str:
    year, month = int(period[:4]), int(period[5:7])
    return f"{year + month // 12:04d}-{month % 12 + 1:02d}"


def month_end(period: str) -> date:
    """The last day of a review month ``YYYY-MM``."""
    year, month = int(period[:4]), int(period[5:7])
    return date(year, month, calendar.monthrange(year, month)[1])


def previous_month(period: str) -> str:
    year, month = int(period[:4]), int(period[5:7])
    return f"{year - (month == 1):04d}-{(month - 2) % 12 + 1:02d}"


def figure_value(field: str, stored: str | None) -> Any:
    """A stored figure (JSON text) as the value the findings use."""
    if stored is None:
        return None
    value = json.loads(stored)
    if field in DATE_FIGURES and isinstance(value, str):
        return date.fromisoformat(value)
    return value


def period_info(row: ReviewPeriod) -> PeriodInfo:
    return PeriodInfo(
        period=row.period,
        status=row.status,
        opened_at=row.opened_at,
        opened_by=row.opened_by,
        closed_at=row.closed_at,
        closed_by=row.closed_by,
    )


def version_of(
    ods_code: str, period: str, row: Assessment, result: ScoreResult
) -> AssessmentVersion:
    """A saved version; ``result`` is its stored result as read (explanations.result_of)."""
    return AssessmentVersion(
        ods_code=ods_code,
        period=period,
        version=row.version,
        author=row.author,
        created_at=row.created_at,
        reason=row.reason,
        is_correction=row.is_correction,
        findings={f: getattr(row, f) for f in STORED_FINDINGS},
        result=result,
        scripted=bool(row.scripted),
    )


def soft_intel_of(ods_code: str, row: SoftIntelEntry, reveal: bool = True) -> SoftIntel:
    """The entry as people read it; confidential text is masked unless ``reveal``."""
    assert row.id is not None
    masked = row.confidential and not reveal
    return SoftIntel(
        id=row.id,
        ods_code=ods_code,
        received_on=row.received_on,
        source=row.source,
        category=row.category,
        severity=row.severity,
        confidence=row.confidence,
        corroborated=row.corroborated,
        whistleblowing=row.whistleblowing,
        confidential=row.confidential,
        expires_on=row.expires_on,
        text=MASK if masked else row.text,
        recorded_by=row.recorded_by,
        masked=masked,
    )


# months of earlier results read for scoring a month's trend (see queries.history_of)
HISTORY_MONTHS = 25
# what the agenda shows of each practice's latest assessment
AGENDA_FIELDS = (
    "score",
    "band",
    *(f"{area}_band" for area in AREAS),
    "remedial_notices_open",
    "breach_notices_open",
    "summary",
    "scripted",
)
REGISTER_FIELDS = {"name", "postcode", "status", "opened_on", "closed_on", "list_size"}
DATE_FIGURES = {"opened_on", "closed_on", "cqc_last_inspection", "list_closure_end", "contract_end"}


def public_row(
    result: ScoreResult,
    ods_code: str,
    name: str,
    c_code: str,
    c_short: str | None,
    locality: str | None,
    list_size: int | None,
    previous: Any,
) -> AgendaRow:
    """An agenda row for a practice nobody has reviewed, scored on public data."""
    return AgendaRow(
        ods_code=ods_code,
        name=name,
        commissioner=short_label(c_short, c_code),
        commissioner_code=c_code,
        locality=locality or "",
        list_size=list_size,
        score=result.score,
        band=result.band,
        area_bands=result.area_bands,
        previous_score=previous.score if previous else None,
        previous_band=previous.band if previous else None,
        reviewed=False,
        version=0,
        contract_notices_open=0,
        new_soft_intel=0,
        summary=(
            f"Not reviewed, public data only ({len(result.to_confirm)} to confirm): "
            + result.summary
        ),
        to_confirm=result.to_confirm,
        public_data_only=True,
        live=True,
    )
