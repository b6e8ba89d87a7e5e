"""Plain objects the store hands to screens and the CLI (never database rows)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from scoring import INPUT_FIELDS, ScoreResult

# Soft-intelligence summary fields are derived from the practice's log, not typed in.
DERIVED_FINDINGS: tuple[str, ...] = (
    "soft_intel_max_severity",
    "soft_intel_count",
    "whistleblowing",
    "whistleblowing_corroborated",
)
# What a reviewer records: every engine input, plus the GP age split NHS Digital
# publishes (gp_aged_55_plus is their sum when both are known).
# The GP age split NHS Digital publishes beside gp_aged_55_plus: a review records it,
# but the engine reads only the total, so it is never an engine input.
GP_AGE_SPLIT: tuple[str, ...] = ("gp_aged_55_59", "gp_aged_60_plus")
FINDING_FIELDS: tuple[str, ...] = (
    *(f for f in INPUT_FIELDS if f not in DERIVED_FINDINGS),
    *GP_AGE_SPLIT,
)
STORED_FINDINGS: tuple[str, ...] = (*FINDING_FIELDS, *DERIVED_FINDINGS)

SOFT_INTEL_SOURCES: dict[str, str] = {
    "ccg_icb": "CCG / ICB",
    "cqc": "CQC",
    "nhs_england": "NHS England",
    "lmc": "LMC",
    "healthwatch": "Healthwatch",
    "patient": "Patient",
    "staff_whistleblower": "Staff / whistleblower",
    "other": "Other",
}
CONTRACT_TYPES: tuple[str, ...] = ("GMS", "PMS", "APMS")
APPLICATION_ROUTES: dict[str, str] = {
    "self_referral": "Self-referral",
    "commissioner": "Commissioner",
    "nhs_england": "NHS England",
}
PRACTICE_CSV_COLUMNS: tuple[str, ...] = (
    "ods_code",
    "name",
    "commissioner_code",
    "commissioner_name",
    "locality",
    "federation",
    "contract_type",
    "clinical_system",
    "list_size",
    "gp_fte",
    "nurse_fte",
    "gp_headcount",
    "gp_aged_55_59",
    "gp_aged_60_plus",
    "status",
)


@dataclass(frozen=True, slots=True)
class PracticeRow:
    """A practice as lists and exports show it, with its latest assessment's figures."""

    ods_code: str
    name: str
    commissioner_code: str
    commissioner_name: str
    locality: str
    federation: str
    contract_type: str
    clinical_system: str
    list_size: int | None
    gp_fte: float | None
    nurse_fte: float | None
    gp_headcount: int | None
    gp_aged_55_59: int | None
    gp_aged_60_plus: int | None
    status: str
    commissioner_short_name: str = ""
    latest_period: str | None = None
    score: float | None = None
    band: str | None = None

    def csv_values(self) -> dict[str, Any]:
        return {column: getattr(self, column) for column in PRACTICE_CSV_COLUMNS}


@dataclass(frozen=True, slots=True)
class PeriodInfo:
    period: str
    status: str
    opened_at: datetime
    opened_by: str
    closed_at: datetime | None
    closed_by: str | None

    @property
    def is_closed(self) -> bool:
        return self.status == "closed"


@dataclass(frozen=True, slots=True)
class AssessmentVersion:
    ods_code: str
    period: str
    version: int
    author: str
    created_at: datetime
    reason: str
    is_correction: bool
    findings: dict[str, Any]
    result: ScoreResult
    scripted: bool = False  # as read back: saved by a script (score --save), not a review


@dataclass(frozen=True, slots=True)
class NewAssessment:
    """What a caller asks the store to save: findings for one practice and month."""

    ods_code: str
    period: str
    findings: dict[str, Any]
    reason: str = ""
    based_on_version: int | None = None
    scripted: bool = False  # saved by a script, not a person's review


@dataclass(frozen=True, slots=True)
class SoftIntel:
    id: int
    ods_code: str
    received_on: date
    source: str
    category: str
    severity: int
    confidence: str
    corroborated: bool
    whistleblowing: bool
    confidential: bool
    expires_on: date | None
    text: str
    recorded_by: str
    masked: bool = False  # confidential text withheld from this person


@dataclass(frozen=True, slots=True)
class CohortInfo:
    id: int
    name: str
    capacity_supported: int
    capacity_reserve: int
    status: str
    assessment_period: str | None
    quotas: dict[str, tuple[int, int]] = field(default_factory=dict)
    panel_date: date | None = None
    panel_attendees: str = ""
    declared_interests: str = ""

    @property
    def is_locked(self) -> bool:
        return self.status == "locked"


@dataclass(frozen=True, slots=True)
class ApplicationInfo:
    cohort: str
    ods_code: str
    practice_name: str
    commissioner_code: str
    route: str
    received_on: date | None
    need: str | None
    impact: str | None
    outcome: str | None
    rationale: str | None
    decided_by: str | None
    support_items: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AgendaRow:
    """One practice on a month's agenda: this month's result (or the one carried
    forward until it is reviewed) beside last month's."""

    ods_code: str
    name: str
    commissioner: str  # short name, e.g. City
    commissioner_code: str
    locality: str
    list_size: int | None
    score: float | None
    band: str | None
    area_bands: dict[str, str]
    previous_score: float | None
    previous_band: str | None
    reviewed: bool  # a version is saved for this month
    version: int  # this month's latest version, 0 when not reviewed
    contract_notices_open: int
    new_soft_intel: int  # entries received this month
    summary: str
    active: bool = True  # False: closed or dormant (shown only when asked for)
    to_confirm: tuple[str, ...] = ()  # floor inputs not known: to confirm at the meeting
    public_data_only: bool = False  # scored on the national files alone, never reviewed
    live: bool = False  # scored now on public data for the agenda, not a stored version


@dataclass(frozen=True, slots=True)
class ReviewContext:
    """Everything the review form needs for one practice and month, read once."""

    ods_code: str
    name: str
    commissioner: str
    locality: str
    period: str
    period_closed: bool
    version: int  # this month's latest saved version (0: none yet)
    version_is_correction: bool  # that version corrected a closed month
    findings: dict[str, Any]  # the starting point: this month's latest, or carried forward
    baseline: dict[str, Any]  # last month's final findings: the "changed" markers compare
    carried_from: str | None  # the month the starting point came from, when carried
    history: tuple[Any, ...]  # HistoryPoint of earlier months, oldest first
    soft_intel: tuple[SoftIntel, ...]  # the practice's log, as people read it
    soft_items: tuple[Any, ...]  # the same entries as the engine reads them (SoftIntelItem)
    prefilled: dict[str, str] = field(default_factory=dict)  # field -> imported from where
    # field -> (latest imported value, its source), whether or not it was used
    imported: dict[str, tuple[Any, str]] = field(default_factory=dict)
    version_author: str = ""  # who saved this month's latest version
    version_reason: str = ""
    # from the register, not the review: list_size_percentile, list_size_relative,
    # practice_opened
    register_context: dict[str, Any] = field(default_factory=dict)
    method: Any = None  # the database's scoring method (a Methodology), for previews
    # this month's latest version was saved by a script (score --from-db --save): a
    # public-data score nobody has reviewed (set by services.review.load_review)
    version_scripted: bool = False


SHORT_LABEL_MAX = 8  # the list's commissioner column: "City", "ELR", or the code


def short_label(short_name: str | None, code: str) -> str:
    """What narrow columns show for a commissioner: its short name when it has a truly
    short one ("City", "ELR"), else its code. A full name ("NHS Leicester, Leicestershire
    and Rutland ICB - 04C") cut to four characters reads "NHS" for every practice."""
    if short_name and len(short_name) <= SHORT_LABEL_MAX:
        return short_name
    return code


@dataclass(frozen=True, slots=True)
class ActionInfo:
    """An action agreed for a practice: who does what by when, and whether it is done."""

    id: int
    ods_code: str
    practice: str
    text: str
    owner: str
    due_on: date | None
    status: str
    completed_at: datetime | None = None


SOFT_INTEL_CONFIDENCE = ("low", "medium", "high")


def check_soft_intel(fields: dict[str, Any]) -> None:
    """Refuse a soft-intelligence source, severity or confidence out of range (whichever
    of them ``fields`` holds): the one check for recording and for correcting an entry."""
    from resilience.errors import StoreError

    if "source" in fields and fields["source"] not in SOFT_INTEL_SOURCES:
        raise StoreError(
            f"source {fields['source']!r} is not one of {', '.join(SOFT_INTEL_SOURCES)}"
        )
    if "severity" in fields and not 1 <= int(fields["severity"]) <= 5:
        raise StoreError("severity is 1 (minor) to 5 (critical)")
    if "confidence" in fields and fields["confidence"] not in SOFT_INTEL_CONFIDENCE:
        raise StoreError("confidence is low, medium or high")
