"""The meeting's agenda: which practices to discuss first, and filtering the list.

Pure functions over ``AgendaRow`` objects, so the order the meeting sees is testable
without a database or a screen.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: the list's first frame need not load the engine
    from resilience.domain import AgendaRow

from resilience.bands import BANDS, ELEVATED  # the method's band names (one source)

__all__ = ["BANDS", "ELEVATED"]  # re-exported: the list, filters and pack import them here

# Agenda groups, in the order the meeting takes them.
GROUPS: tuple[str, ...] = (
    "new High/Extreme",
    "deteriorated",
    "contract notice",
    "new soft intelligence",
    "",
)


def band_rank(band: str | None) -> int:
    return BANDS.index(band) if band in BANDS else -1


def movement(row: AgendaRow) -> str:
    """'worse', 'better', 'same' or 'new' against last month's result."""
    if row.previous_band is None or row.previous_score is None or row.score is None:
        return "new"
    if band_rank(row.band) != band_rank(row.previous_band):
        return "worse" if band_rank(row.band) > band_rank(row.previous_band) else "better"
    if row.score - row.previous_score >= 5:
        return "worse"
    if row.previous_score - row.score >= 5:
        return "better"
    return "same"


ARROWS = {"worse": "▲ worse", "better": "▼ better", "same": "= same", "new": "• new"}


def agenda_group(row: AgendaRow) -> str:
    """Why a practice is near the top of the agenda ('' for the rest)."""
    if row.band in ELEVATED and (row.previous_band is None or row.previous_band not in ELEVATED):
        return GROUPS[0]
    if movement(row) == "worse":
        return GROUPS[1]
    if row.contract_notices_open:
        return GROUPS[2]
    if row.new_soft_intel:
        return GROUPS[3]
    return GROUPS[4]


def agenda_order(rows: Iterable[AgendaRow]) -> list[AgendaRow]:
    """New High and Extreme first, then deteriorations, open contract notices, new soft
    intelligence, then the rest; within a group the highest score first."""
    return sorted(
        rows,
        key=lambda r: (GROUPS.index(agenda_group(r)), -(r.score or 0), r.ods_code),
    )


@dataclass(frozen=True, slots=True)
class ListFilter:
    """What the practice list shows: a search text and optional filters."""

    text: str = ""
    commissioner: str | None = None
    locality: str | None = None
    band: str | None = None
    reviewed: bool | None = None
    status: str = "active"  # "active": closed and dormant practices hidden; "all"

    @property
    def active(self) -> bool:
        return bool(self.text or self.commissioner or self.locality or self.band) or (
            self.reviewed is not None or self.status != "active"
        )

    def describe(self) -> str:
        parts = []
        if self.text:
            parts.append(f'"{self.text}"')
        if self.commissioner:
            parts.append(self.commissioner)
        if self.locality:
            parts.append(self.locality)
        if self.band:
            parts.append(self.band)
        if self.reviewed is not None:
            parts.append("reviewed" if self.reviewed else "not reviewed")
        if self.status != "active":
            parts.append("closed and dormant too")
        return ", ".join(parts)


def matches(row: AgendaRow, f: ListFilter) -> bool:
    if f.status == "active" and not row.active:
        return False
    if f.text:
        needle = f.text.casefold()
        if needle not in row.ods_code.casefold() and needle not in row.name.casefold():
            return False
    if f.commissioner and f.commissioner not in (row.commissioner, row.commissioner_code):
        return False
    if f.locality and row.locality != f.locality:
        return False
    if f.band and row.band != f.band:
        return False
    return f.reviewed is None or row.reviewed == f.reviewed


def apply_filter(rows: Sequence[AgendaRow], f: ListFilter) -> list[AgendaRow]:
    return [r for r in rows if matches(r, f)]
