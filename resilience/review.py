"""The review of one practice: live scores of a draft and what changed this month.

Pure functions over a ReviewContext (read once from the store), so the form can rescore
on every keystroke without touching the database.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from resilience.domain import DERIVED_FINDINGS, ReviewContext
from scoring import Methodology, PracticeInputs, ScoreResult, score


class DraftError(ValueError):
    """Findings that cannot be scored together (the message names the fields)."""


def preview(
    context: ReviewContext, findings: dict[str, Any], method: Methodology | None = None
) -> ScoreResult:
    """Score a draft exactly as saving it would (history and the soft-intel log included)."""
    values = {
        k: v
        for k, v in findings.items()
        if k not in ("gp_aged_55_59", "gp_aged_60_plus", *DERIVED_FINDINGS)
    }
    split = (findings.get("gp_aged_55_59"), findings.get("gp_aged_60_plus"))
    if values.get("gp_aged_55_plus") is None and None not in split:
        values["gp_aged_55_plus"] = split[0] + split[1]  # type: ignore[operator]
    try:
        inputs = PracticeInputs(
            ods_code=context.ods_code,
            period=context.period,
            soft_intel_entries=context.soft_items,
            **values,
        )
    except ValidationError as exc:
        raise DraftError(
            "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in exc.errors())
        ) from None
    return score(inputs, method, context.history)


def changed_fields(context: ReviewContext, findings: dict[str, Any]) -> set[str]:
    """Fields whose value differs from last month's final findings."""
    if not any(v is not None for v in context.baseline.values()):
        return set()  # nothing to compare with: a practice's first month
    return {name for name, value in findings.items() if context.baseline.get(name) != value}


def unsaved_fields(context: ReviewContext, findings: dict[str, Any]) -> set[str]:
    """Fields edited in the form and not yet saved."""
    return {name for name, value in findings.items() if context.findings.get(name) != value}
