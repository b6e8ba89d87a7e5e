"""Triage before anyone reviews: a public-data score for practices with no assessment.

A new team imports the national files and opens a month; no practice has been reviewed
yet, but the meeting still needs a ranking. Each practice without a saved result is
scored on what the national files say (list size, its percentile within the
commissioner and its ratio to the commissioner's median list, the date it opened, and
whatever CQC or workforce figures were imported),
with every other input unknown and counted by the method's unknown policy. These
results are shown as *not reviewed* and are never saved as assessments.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import ValidationError

from resilience.domain import DERIVED_FINDINGS, FINDING_FIELDS, GP_AGE_SPLIT
from scoring import Methodology, PracticeInputs, ScoreResult, score
from scoring.relative import list_size_percentiles, list_size_relatives

# The figures importers bring that the engine reads (register fields excluded).
PUBLIC_FIELDS: tuple[str, ...] = tuple(
    f
    for f in FINDING_FIELDS
    if f not in DERIVED_FINDINGS and f not in GP_AGE_SPLIT
)


def percentiles_by_id(rows: Iterable[tuple[Any, Any, int | None]]) -> dict[Any, float]:
    """(practice key, commissioner key, list size) rows -> list-size percentile."""
    return list_size_percentiles({key: (str(group), size) for key, group, size in rows})


def relatives_by_id(rows: Iterable[tuple[Any, Any, int | None]]) -> dict[Any, float]:
    """(practice key, commissioner key, list size) rows -> list size as % of the
    commissioner's median list."""
    return list_size_relatives({key: (str(group), size) for key, group, size in rows})


def public_result(
    ods_code: str,
    period: str,
    figures: Mapping[str, Any],
    list_size: int | None,
    context: Mapping[str, Any],
    method: Methodology,
) -> ScoreResult | None:
    """The practice's score on imported public figures alone; None when the figures do
    not make valid inputs (the row then shows no score, as before)."""
    values = {f: figures[f] for f in PUBLIC_FIELDS if figures.get(f) is not None}
    if values.get("list_size") is None and list_size is not None:
        values["list_size"] = list_size
    try:
        inputs = PracticeInputs(ods_code=ods_code, period=period, **context, **values)
    except ValidationError:
        return None
    return score(inputs, method)
