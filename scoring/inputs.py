"""What the engine reads for one practice and month.

Every field except ``ods_code`` and ``period`` is optional: ``None`` means *unknown*,
never "fine". The field names are the public column names of the batch CSV, so users
script against them; keep them stable.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

CqcRating = Literal["outstanding", "good", "requires_improvement", "inadequate", "not_rated"]
RiskLevel = Literal["none", "low", "medium", "high"]
Confidence = Literal["low", "medium", "high"]
PracticeChange = Literal["none", "merger", "split"]

# ASCII digits only (\d would take Arabic-Indic ones) and nothing after: \Z, not $,
# which would let "2017-05\n" through as a month of its own.
PERIOD_PATTERN = re.compile(r"\A[0-9]{4}-(0[1-9]|1[0-2])\Z")

AREAS: tuple[str, ...] = (
    "quality",
    "contract",
    "workforce",
    "soft_intelligence",
    "sustainability",
)
AREA_LABELS: dict[str, str] = {
    "quality": "Quality (CQC)",
    "contract": "Contract",
    "workforce": "Workforce and capacity",
    "soft_intelligence": "Soft intelligence",
    "sustainability": "Sustainability",
}

# Input fields by area, in the order forms and CSV files show them.
FIELDS_BY_AREA: dict[str, tuple[str, ...]] = {
    "quality": (
        "cqc_overall",
        "cqc_safe",
        "cqc_effective",
        "cqc_caring",
        "cqc_responsive",
        "cqc_well_led",
        "cqc_special_measures",
        "cqc_enforcement_action",
        "cqc_last_inspection",
        "qof_achievement_pct",
        "gpps_overall_good_pct",
        "gpps_phone_easy_pct",
    ),
    "contract": (
        "remedial_notices_open",
        "breach_notices_open",
        "contract_sanction",
        "list_closed",
        "list_closure_end",
        "contract_end",
    ),
    "workforce": (
        "list_size",
        "gp_fte",
        "nurse_fte",
        "other_clinical_fte",
        "gp_vacancy_fte",
        "gp_sessions_unfilled_pct",
        "gp_headcount",
        "gp_aged_55_plus",
        "single_handed",
    ),
    "soft_intelligence": (
        "soft_intel_max_severity",
        "soft_intel_count",
        "whistleblowing",
        "whistleblowing_corroborated",
    ),
    "sustainability": (
        "premises_risk",
        "financial_risk",
        "partnership_change",
        "list_growth_pct_12m",
        "merger_or_split",
        "at_risk_of_closure_12m",
    ),
}
INPUT_FIELDS: tuple[str, ...] = tuple(f for fields in FIELDS_BY_AREA.values() for f in fields)
# Inputs computed by the service from the register rather than recorded by a reviewer.
CONTEXT_FIELDS: tuple[str, ...] = ("list_size_percentile", "list_size_relative", "practice_opened")


class SoftIntelItem(BaseModel):
    """One piece of soft intelligence as the engine sees it (no free text, no names)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    received: date
    source: str = "other"
    category: str = "other"
    severity: int = Field(ge=1, le=5)
    confidence: Confidence = "medium"
    corroborated: bool = False
    whistleblowing: bool = False
    expires: date | None = None


class PracticeInputs(BaseModel):
    """Findings for one practice in one review month."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    ods_code: str = Field(min_length=1, max_length=12)
    period: str

    # quality
    cqc_overall: CqcRating | None = None
    cqc_safe: CqcRating | None = None
    cqc_effective: CqcRating | None = None
    cqc_caring: CqcRating | None = None
    cqc_responsive: CqcRating | None = None
    cqc_well_led: CqcRating | None = None
    cqc_special_measures: bool | None = None
    cqc_enforcement_action: bool | None = None
    cqc_last_inspection: date | None = None
    qof_achievement_pct: float | None = Field(default=None, ge=0, le=100)
    gpps_overall_good_pct: float | None = Field(default=None, ge=0, le=100)
    gpps_phone_easy_pct: float | None = Field(default=None, ge=0, le=100)

    # contract
    remedial_notices_open: int | None = Field(default=None, ge=0)
    breach_notices_open: int | None = Field(default=None, ge=0)
    contract_sanction: bool | None = None
    list_closed: bool | None = None
    list_closure_end: date | None = None
    contract_end: date | None = None

    # workforce and capacity
    list_size: int | None = Field(default=None, ge=0)
    gp_fte: float | None = Field(default=None, ge=0)
    nurse_fte: float | None = Field(default=None, ge=0)
    other_clinical_fte: float | None = Field(default=None, ge=0)
    gp_vacancy_fte: float | None = Field(default=None, ge=0)
    gp_sessions_unfilled_pct: float | None = Field(default=None, ge=0, le=100)
    gp_headcount: int | None = Field(default=None, ge=0)
    gp_aged_55_plus: int | None = Field(default=None, ge=0)
    single_handed: bool | None = None

    # soft intelligence: either the entries, or the flat summary fields
    soft_intel_entries: tuple[SoftIntelItem, ...] | None = None
    soft_intel_max_severity: int | None = Field(default=None, ge=0, le=5)
    soft_intel_count: int | None = Field(default=None, ge=0)
    whistleblowing: bool | None = None
    whistleblowing_corroborated: bool | None = None

    # sustainability
    premises_risk: RiskLevel | None = None
    financial_risk: RiskLevel | None = None
    partnership_change: bool | None = None
    list_growth_pct_12m: float | None = None
    merger_or_split: PracticeChange | None = None
    at_risk_of_closure_12m: bool | None = None

    # context the service computes from the register (not a finding anyone records):
    # where the practice's list size sits among its commissioner's practices, 0 the
    # smallest to 100 the largest (see scoring.relative.list_size_percentiles)
    list_size_percentile: float | None = Field(default=None, ge=0, le=100)
    # the list size as a percentage of the median list among the commissioner's
    # practices (100 = the median; see scoring.relative.list_size_relatives)
    list_size_relative: float | None = Field(default=None, ge=0)
    # when the practice opened (the register's open date): newer practices, often on
    # time-limited APMS contracts, close more often
    practice_opened: date | None = None

    @field_validator("period")
    @classmethod
    def _period_is_a_month(cls, value: str) -> str:
        if not PERIOD_PATTERN.match(value):
            raise ValueError("period must be a month written YYYY-MM, for example 2016-04")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> PracticeInputs:
        if (
            self.gp_aged_55_plus is not None
            and self.gp_headcount is not None
            and self.gp_aged_55_plus > self.gp_headcount
        ):
            raise ValueError(
                f"gp_aged_55_plus ({self.gp_aged_55_plus}) cannot exceed gp_headcount "
                f"({self.gp_headcount})"
            )
        return self

    def known(self, field: str) -> bool:
        return getattr(self, field) is not None
