"""The review of one practice: live scores of a draft, what changed this month, and
saving it (with the clash when someone else saved meanwhile).

The scoring here is pure, over a ReviewContext (read once with ``Store.review_context``), so
the form can rescore on every keystroke without touching the database.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from resilience.domain import DERIVED_FINDINGS, GP_AGE_SPLIT, AssessmentVersion, ReviewContext
from scoring import Methodology, PracticeInputs, ScoreResult, score

if TYPE_CHECKING:
    from resilience.store import Store


class DraftError(ValueError):
    """Findings that cannot be scored together (the message names the fields)."""


def load_review(store: Store, ods_code: str, period: str) -> ReviewContext:
    """What the review form starts from (``Store.review_context``), marked when this
    month's latest version was saved by a script: the form then says "scored by script
    (not reviewed)" and saving over it needs no reason, as the store allows."""
    context = store.review_context(ods_code, period)
    if context.version:
        versions = store.assessment_versions(ods_code, period)
        if versions and versions[-1].version == context.version and versions[-1].scripted:
            context = replace(context, version_scripted=True)
    return context


def preview(
    context: ReviewContext, findings: dict[str, Any], method: Methodology | None = None
) -> ScoreResult:
    """Score a draft exactly as saving it would (history and the soft-intel log included)."""
    values = {k: v for k, v in findings.items() if k not in (*GP_AGE_SPLIT, *DERIVED_FINDINGS)}
    split = (findings.get("gp_aged_55_59"), findings.get("gp_aged_60_plus"))
    if values.get("gp_aged_55_plus") is None and None not in split:
        values["gp_aged_55_plus"] = split[0] + split[1]  # type: ignore[operator]
    try:
        inputs = PracticeInputs(
            ods_code=context.ods_code,
            period=context.period,
            soft_intel_entries=context.soft_items,
            **context.register_context,
            **values,
        )
    except ValidationError as exc:
        raise DraftError(
            "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in exc.errors())
        ) from None
    return score(inputs, method or context.method, context.history)


def changed_fields(context: ReviewContext, findings: dict[str, Any]) -> set[str]:
    """Fields whose value differs from last month's final findings."""
    if not any(v is not None for v in context.baseline.values()):
        return set()  # nothing to compare with: a practice's first month
    return {name for name, value in findings.items() if context.baseline.get(name) != value}


def unsaved_fields(context: ReviewContext, findings: dict[str, Any]) -> set[str]:
    """Fields edited in the form and not yet saved."""
    return {name for name, value in findings.items() if context.findings.get(name) != value}


@dataclass(frozen=True, slots=True)
class FieldClash:
    """One field as it was when the edit started, as the other person saved it, and as
    this person typed it; ``both_changed`` means they disagree and someone must choose."""

    name: str
    base: Any
    theirs: Any
    mine: Any

    @property
    def both_changed(self) -> bool:
        return bool(
            self.mine != self.base and self.theirs != self.base and self.mine != self.theirs
        )

    @property
    def merged(self) -> Any:
        """Each side's change where only one side changed; mine where both did."""
        return self.theirs if self.mine == self.base else self.mine


def compare_edits(
    base: dict[str, Any], theirs: dict[str, Any], mine: dict[str, Any]
) -> list[FieldClash]:
    """The fields where the other person's saved version and this person's draft differ."""
    names = [n for n in mine if n in theirs or n in base]
    return [
        FieldClash(n, base.get(n), theirs.get(n), mine.get(n))
        for n in names
        if theirs.get(n) != mine.get(n)
    ]


@dataclass(frozen=True, slots=True)
class SavedElsewhere:
    """The save was refused: someone saved this practice-month after the form opened.
    ``theirs`` is the review as it stands now; nothing of the draft was written."""

    theirs: ReviewContext


def save_review(
    store: Store,
    context: ReviewContext,
    draft: dict[str, Any],
    *,
    reason: str = "",
    correction: bool = False,
) -> AssessmentVersion | SavedElsewhere:
    """Save the draft as the next version of the review ``context`` was read for; if
    someone saved a newer version meanwhile, save nothing and return theirs to compare
    (``compare_edits``). A StoreError says what else was refused."""
    from resilience.errors import ConflictError

    try:
        return store.save_assessment(
            context.ods_code,
            context.period,
            draft,
            reason=reason,
            based_on_version=context.version,
            correction=correction,
        )
    except ConflictError:
        return SavedElsewhere(load_review(store, context.ods_code, context.period))
