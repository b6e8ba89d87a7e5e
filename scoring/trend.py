"""Month-on-month movement: deteriorating, improving, stable or new."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import NamedTuple, Protocol


class HistoryPoint(NamedTuple):
    """An earlier month's result: enough to say which way a practice is moving."""

    period: str
    score: float
    band: str


class TrendRules(Protocol):
    min_change: float


def movement(
    before: tuple[float, int | None],
    after: tuple[float, int | None],
    min_change: float,
) -> str:
    """Compare (score, band index) pairs; a band change always counts as movement."""
    (old_score, old_band), (new_score, new_band) = before, after
    if old_band is not None and new_band is not None and old_band != new_band:
        return "deteriorating" if new_band > old_band else "improving"
    if new_score - old_score >= min_change:
        return "deteriorating"
    if old_score - new_score >= min_change:
        return "improving"
    return "stable"


def compute_trend(
    current_score: float,
    current_band: int,
    history: Sequence[HistoryPoint],
    band_names: Sequence[str],
    rules: TrendRules,
) -> tuple[str, int, float | None, str | None]:
    """Return (trend, months deteriorating in a row, previous score, previous band)."""
    if not history:
        return "new", 0, None, None

    def index(band: str) -> int | None:
        return band_names.index(band) if band in band_names else None

    points = [(h.score, index(h.band)) for h in history] + [(current_score, current_band)]
    trend = movement(points[-2], points[-1], rules.min_change)
    streak = 0
    for i in range(len(points) - 1, 0, -1):
        if movement(points[i - 1], points[i], rules.min_change) != "deteriorating":
            break
        streak += 1
    previous = history[-1]
    return trend, streak, previous.score, previous.band


def reaches_back(
    history: Sequence[HistoryPoint], band_names: Sequence[str], rules: TrendRules
) -> bool:
    """Could ``compute_trend`` read further back than the first point of ``history``?

    The streak counts deteriorations backwards from the current month and stops at the
    first movement that is not one, so once two consecutive points given do not
    deteriorate, nothing before them can change the trend, the streak or the previous
    month: ``compute_trend`` gives the same answer with this suffix of the history as
    with all of it. With fewer than two points it may read further (True)."""
    if len(history) < 2:
        return True

    def index(band: str) -> int | None:
        return band_names.index(band) if band in band_names else None

    for before, after in pairwise(history):
        moved = movement(
            (before.score, index(before.band)), (after.score, index(after.band)), rules.min_change
        )
        if moved != "deteriorating":
            return False
    return True
