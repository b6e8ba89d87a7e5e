"""Rules about findings, with no database: checking a save's findings, turning them into
the engine's inputs, and the starting point of a month not reviewed yet."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from pydantic import ValidationError

from resilience.domain import DERIVED_FINDINGS, FINDING_FIELDS, GP_AGE_SPLIT
from resilience.errors import StoreError
from scoring import PracticeInputs, SoftIntelItem

_ACCEPTED = frozenset((*FINDING_FIELDS, *DERIVED_FINDINGS))


def clean_findings(ods_code: str, findings: dict[str, Any]) -> dict[str, Any]:
    """Keep the recorded findings, refuse unknown names, derive gp_aged_55_plus."""
    unknown = sorted(set(findings) - _ACCEPTED)
    if unknown:
        raise StoreError(
            f"{ods_code}: unknown finding(s) {', '.join(unknown)}; "
            f"accepted: {', '.join(FINDING_FIELDS)}"
        )
    clean = {f: findings.get(f) for f in FINDING_FIELDS}
    split = (clean["gp_aged_55_59"], clean["gp_aged_60_plus"])
    if None not in split:
        total = split[0] + split[1]  # type: ignore[operator]
        if clean["gp_aged_55_plus"] is None:
            clean["gp_aged_55_plus"] = total
        elif clean["gp_aged_55_plus"] != total:
            raise StoreError(
                f"{ods_code}: gp_aged_55_plus ({clean['gp_aged_55_plus']}) is not "
                f"gp_aged_55_59 + gp_aged_60_plus ({total})"
            )
    return clean


def findings_of(inputs: PracticeInputs) -> dict[str, Any]:
    """The findings a review records, from the engine's inputs (the GP age split is not
    an input: it is left out, so a version saved from inputs records it as unknown)."""
    values = inputs.__dict__  # the model's fields (the age split is not one of them)
    return {f: values[f] for f in FINDING_FIELDS if f in values}


def to_inputs(
    ods_code: str,
    period: str,
    findings: dict[str, Any],
    entries: Sequence[SoftIntelItem] | None,
    context: dict[str, Any] | None = None,
) -> PracticeInputs:
    values = {k: v for k, v in findings.items() if k not in GP_AGE_SPLIT}
    try:
        return PracticeInputs(
            ods_code=ods_code,
            period=period,
            **(context or {}),
            **{k: v for k, v in values.items() if k not in DERIVED_FINDINGS},
            # None: nobody has looked at the log (unknown); an empty tuple: none known
            soft_intel_entries=None if entries is None else tuple(entries),
        )
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(x) for x in e['loc']) or 'findings'}: {e['msg']}" for e in exc.errors()
        )
        raise StoreError(f"{ods_code} {period}: {problems}") from None


def prefill(carried: Any, figures: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Carried-forward findings overlaid with newer imported figures, and the source
    of each figure used."""
    findings = {f: getattr(carried, f) if carried is not None else None for f in FINDING_FIELDS}
    saved_at = carried.created_at if carried is not None else None
    sources: dict[str, str] = {}
    for field, (value, imported_at, source) in figures.items():
        if field not in findings or value is None:
            continue
        if saved_at is None or imported_at > saved_at:
            findings[field] = value
            sources[field] = source
    return findings, sources


def list_growth(sizes: Sequence[tuple[date, int]]) -> float | None:
    """The 12-month list growth in per cent: the newest list size against the one
    nearest a year before it (330-400 days); None without such a pair."""
    latest_when, latest_size = max(sizes)
    year_before = [
        (abs((latest_when - d).days - 365), n)
        for d, n in sizes
        if 330 <= (latest_when - d).days <= 400
    ]
    if year_before and min(year_before)[1]:
        before = min(year_before)[1]
        return round(100 * (latest_size - before) / before, 1)
    return None
