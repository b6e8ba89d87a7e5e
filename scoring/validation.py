"""How well scores rank practices against a real outcome (closed or merged later):
the area under the ROC curve with its 95% interval. Pure: lists in, numbers out."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Auc:
    """The AUC of a score against a 0/1 outcome, with its 95% interval."""

    auc: float
    low: float
    high: float
    positives: int
    negatives: int

    @property
    def matched(self) -> int:
        return self.positives + self.negatives

    def text(self) -> str:
        return f"{self.auc:.3f} (95% CI {self.low:.3f} to {self.high:.3f})"


def _midranks(values: Sequence[float]) -> list[float]:
    order = sorted(range(len(values)), key=values.__getitem__)
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def auc(scores: Sequence[float], outcomes: Sequence[int]) -> Auc:
    """The probability that a random positive scores above a random negative (ties count
    half; the Mann-Whitney statistic), with the Hanley-McNeil (1982) 95% interval.

    Raises ValueError when the outcomes are not all 0 or 1, the lengths differ, or either
    class is empty (an AUC needs both).
    """
    if len(scores) != len(outcomes):
        raise ValueError("scores and outcomes must be the same length")
    if any(o not in (0, 1) for o in outcomes):
        raise ValueError("outcomes must be 0 or 1")
    positives = sum(outcomes)
    negatives = len(outcomes) - positives
    if positives == 0 or negatives == 0:
        raise ValueError(
            f"an AUC needs both outcomes: {positives} positive(s), {negatives} negative(s)"
        )
    ranks = _midranks(list(scores))
    rank_sum = sum(r for r, o in zip(ranks, outcomes, strict=True) if o)
    area = (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)
    q1 = area / (2 - area)
    q2 = 2 * area * area / (1 + area)
    variance = (
        area * (1 - area)
        + (positives - 1) * (q1 - area * area)
        + (negatives - 1) * (q2 - area * area)
    ) / (positives * negatives)
    half = 1.959964 * math.sqrt(max(variance, 0.0))
    return Auc(area, max(0.0, area - half), min(1.0, area + half), positives, negatives)
