"""Database tables (SQLModel). Only the store imports these; screens get plain objects.

Assessments are append-only: a change is a new numbered version, and the database
itself refuses UPDATE and DELETE on ``assessment`` and ``audit_log`` (see the first
migration), so history cannot be quietly rewritten.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Text, UniqueConstraint
from sqlalchemy import false as sa_false
from sqlmodel import Field, SQLModel


class Setting(SQLModel, table=True):
    """Key/value facts about this database (for example that it holds demo data)."""

    __tablename__ = "setting"
    key: str = Field(primary_key=True, max_length=64)
    value: str = Field(sa_column=Column(Text, nullable=False))


class Commissioner(SQLModel, table=True):
    """A CCG, an ICB or a sub-ICB location; sub-ICB locations have the ICB as parent."""

    __tablename__ = "commissioner"
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(index=True, unique=True, max_length=12)
    name: str
    short_name: str = ""
    kind: str = Field(default="ccg", max_length=12)  # ccg | icb | sub_icb
    parent_id: int | None = Field(default=None, foreign_key="commissioner.id")


class Locality(SQLModel, table=True):
    """A locality, Health Needs Neighbourhood or PCN within a commissioner."""

    __tablename__ = "locality"
    __table_args__ = (UniqueConstraint("commissioner_id", "name"),)
    id: int | None = Field(default=None, primary_key=True)
    name: str
    kind: str = Field(default="locality", max_length=12)  # locality | hnn | pcn
    commissioner_id: int = Field(foreign_key="commissioner.id", index=True)


class Federation(SQLModel, table=True):
    __tablename__ = "federation"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    commissioner_id: int | None = Field(default=None, foreign_key="commissioner.id")


class Practice(SQLModel, table=True):
    __tablename__ = "practice"
    id: int | None = Field(default=None, primary_key=True)
    ods_code: str = Field(index=True, unique=True, max_length=12)
    name: str
    postcode: str = ""
    commissioner_id: int = Field(foreign_key="commissioner.id", index=True)
    locality_id: int | None = Field(default=None, foreign_key="locality.id")
    federation_id: int | None = Field(default=None, foreign_key="federation.id")
    contract_type: str = Field(max_length=8)  # GMS | PMS | APMS
    clinical_system: str = ""
    status: str = Field(default="active", max_length=12)  # active|closed|dormant|proposed
    opened_on: date | None = None
    closed_on: date | None = None
    list_size: int | None = None


class ReviewPeriod(SQLModel, table=True):
    __tablename__ = "review_period"
    id: int | None = Field(default=None, primary_key=True)
    period: str = Field(unique=True, index=True, max_length=7)  # YYYY-MM
    status: str = Field(default="open", max_length=8)  # open | closed
    opened_at: datetime
    opened_by: str
    closed_at: datetime | None = None
    closed_by: str | None = None


class Assessment(SQLModel, table=True):
    """One version of one practice's findings for one month, with its score snapshot.

    The findings columns are named after the scoring engine's input fields, one to one.
    """

    __tablename__ = "assessment"
    __table_args__ = (UniqueConstraint("practice_id", "period_id", "version"),)
    id: int | None = Field(default=None, primary_key=True)
    # no index of its own: the unique (practice, month, version) index starts with it
    # (a second one made every save write twice the index pages; migration 0007)
    practice_id: int = Field(foreign_key="practice.id")
    period_id: int = Field(foreign_key="review_period.id", index=True)
    version: int
    author: str
    created_at: datetime
    reason: str = ""
    is_correction: bool = False
    # saved by a script (resilience score --save), not by a person reviewing: the month
    # still counts the practice as not reviewed
    scripted: bool = Field(default=False, sa_column_kwargs={"server_default": sa_false()})

    # score snapshot
    methodology_version: str
    score: float
    band: str = Field(max_length=16)
    quality_band: str = Field(max_length=16)
    contract_band: str = Field(max_length=16)
    workforce_band: str = Field(max_length=16)
    soft_intelligence_band: str = Field(max_length=16)
    sustainability_band: str = Field(max_length=16)
    trend: str = Field(default="new", max_length=16)
    summary: str = ""
    data_completeness: float = 1.0
    result_json: str = Field(sa_column=Column(Text, nullable=False))

    # findings: quality
    cqc_overall: str | None = None
    cqc_safe: str | None = None
    cqc_effective: str | None = None
    cqc_caring: str | None = None
    cqc_responsive: str | None = None
    cqc_well_led: str | None = None
    cqc_special_measures: bool | None = None
    cqc_enforcement_action: bool | None = None
    cqc_last_inspection: date | None = None
    qof_achievement_pct: float | None = None
    gpps_overall_good_pct: float | None = None
    gpps_phone_easy_pct: float | None = None
    # contract
    remedial_notices_open: int | None = None
    breach_notices_open: int | None = None
    contract_sanction: bool | None = None
    list_closed: bool | None = None
    list_closure_end: date | None = None
    contract_end: date | None = None
    # workforce and capacity
    list_size: int | None = None
    gp_fte: float | None = None
    nurse_fte: float | None = None
    other_clinical_fte: float | None = None
    gp_vacancy_fte: float | None = None
    gp_sessions_unfilled_pct: float | None = None
    gp_headcount: int | None = None
    gp_aged_55_plus: int | None = None
    single_handed: bool | None = None
    # the age split behind gp_aged_55_plus, as NHS Digital publishes it
    gp_aged_55_59: int | None = None
    gp_aged_60_plus: int | None = None
    # soft intelligence (summary of the entries current at the time)
    soft_intel_max_severity: int | None = None
    soft_intel_count: int | None = None
    whistleblowing: bool | None = None
    whistleblowing_corroborated: bool | None = None
    # sustainability
    premises_risk: str | None = None
    financial_risk: str | None = None
    partnership_change: bool | None = None
    list_growth_pct_12m: float | None = None
    merger_or_split: str | None = None
    at_risk_of_closure_12m: bool | None = None


class SoftIntelEntry(SQLModel, table=True):
    __tablename__ = "soft_intel_entry"
    id: int | None = Field(default=None, primary_key=True)
    practice_id: int = Field(foreign_key="practice.id", index=True)
    received_on: date
    # ccg_icb | cqc | nhs_england | lmc | healthwatch | patient | staff_whistleblower | other
    source: str = Field(max_length=24)
    category: str = Field(max_length=32)
    severity: int
    confidence: str = Field(max_length=8)  # low | medium | high
    corroborated: bool = False
    whistleblowing: bool = False
    confidential: bool = False
    expires_on: date | None = None
    text: str = Field(sa_column=Column(Text, nullable=False))
    recorded_by: str
    recorded_at: datetime


class Action(SQLModel, table=True):
    __tablename__ = "action"
    id: int | None = Field(default=None, primary_key=True)
    practice_id: int = Field(foreign_key="practice.id", index=True)
    text: str = Field(sa_column=Column(Text, nullable=False))
    owner: str
    due_on: date | None = None
    status: str = Field(default="open", max_length=12)  # open | done | cancelled
    created_by: str
    created_at: datetime
    completed_at: datetime | None = None


class Cohort(SQLModel, table=True):
    __tablename__ = "cohort"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    capacity_supported: int
    capacity_reserve: int
    status: str = Field(default="open", max_length=12)  # open | decided | locked
    assessment_period: str | None = Field(default=None, max_length=7)
    panel_date: date | None = None
    panel_attendees: str = ""
    declared_interests: str = ""
    created_by: str
    created_at: datetime


class CohortQuota(SQLModel, table=True):
    __tablename__ = "cohort_quota"
    __table_args__ = (UniqueConstraint("cohort_id", "commissioner_id"),)
    id: int | None = Field(default=None, primary_key=True)
    cohort_id: int = Field(foreign_key="cohort.id", index=True)
    commissioner_id: int = Field(foreign_key="commissioner.id")
    supported: int
    reserve: int


class Application(SQLModel, table=True):
    __tablename__ = "application"
    __table_args__ = (UniqueConstraint("cohort_id", "practice_id"),)
    id: int | None = Field(default=None, primary_key=True)
    cohort_id: int = Field(foreign_key="cohort.id", index=True)
    practice_id: int = Field(foreign_key="practice.id", index=True)
    route: str = Field(max_length=16)  # self_referral | commissioner | nhs_england
    received_on: date | None = None
    need: str | None = Field(default=None, max_length=8)  # low | medium | high
    impact: str | None = Field(default=None, max_length=8)


class Decision(SQLModel, table=True):
    """A panel decision on an application; a later decision supersedes an earlier one."""

    __tablename__ = "decision"
    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="application.id", index=True)
    outcome: str = Field(max_length=16)  # supported | reserve | not_supported
    proposed_outcome: str | None = Field(default=None, max_length=16)
    rationale: str = Field(sa_column=Column(Text, nullable=False))
    decided_by: str
    decided_at: datetime
    support_items: str = Field(default="[]", sa_column=Column(Text, nullable=False))


class Person(SQLModel, table=True):
    """Someone who uses this database, by their login name, and what they may do."""

    __tablename__ = "person"
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(unique=True, max_length=64)
    role: str = Field(max_length=12)  # viewer | editor | admin
    added_by: str
    added_at: datetime


class AuditLog(SQLModel, table=True):
    """Append-only: who did what, when, and the old and new values."""

    __tablename__ = "audit_log"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(index=True)
    actor: str
    action: str = Field(max_length=32)
    entity: str = Field(max_length=32)
    entity_id: str = ""
    field: str = ""
    old_value: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    new_value: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    # the account really running the command (differs from actor under --user delegation)
    account: str | None = None


class ImportBatch(SQLModel, table=True):
    """One imported file: where every imported figure came from."""

    __tablename__ = "import_batch"
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16)  # ods | list-size | cqc | workforce
    file_name: str
    sha256: str = Field(index=True, max_length=64)
    extract_date: date | None = None  # the extract or publication date the file states
    format_version: str = Field(max_length=32)  # which dialect of the national file
    importer_version: str = Field(max_length=16)
    imported_at: datetime
    imported_by: str
    summary: str = Field(default="", sa_column=Column(Text, nullable=False))


class PracticeFigure(SQLModel, table=True):
    """An imported figure for a practice (append-only): the latest per field is current."""

    __tablename__ = "practice_figure"
    id: int | None = Field(default=None, primary_key=True)
    practice_id: int = Field(foreign_key="practice.id", index=True)
    field: str = Field(max_length=40)
    value: str | None = Field(default=None, sa_column=Column(Text, nullable=True))  # JSON
    as_of: date | None = None
    batch_id: int = Field(foreign_key="import_batch.id", index=True)


class ScoringMethod(SQLModel, table=True):
    """The scoring methods this database has used, newest last: the newest is the one in
    use. Rows are only added (``resilience method set``), so old methods stay readable."""

    __tablename__ = "scoring_method"
    id: int | None = Field(default=None, primary_key=True)
    version: str = Field(max_length=64)
    name: str = ""
    toml: str = Field(sa_column=Column(Text, nullable=False))
    sha256: str = Field(max_length=64)
    set_at: datetime
    set_by: str
    reason: str = ""


class ExplanationWords(SQLModel, table=True):
    """The words a scoring method's explanations are made of (each rule's templates,
    what "unknown" says, each floor's sentence), kept once per method by their SHA-256.
    A saved result keeps only rule ids, points and values and names these words; its
    sentences are made again when it is read (``scoring.compact``). Append-only: a
    result's words never change."""

    __tablename__ = "explanation_words"
    id: int | None = Field(default=None, primary_key=True)
    sha256: str = Field(index=True, unique=True, max_length=64)
    methodology_version: str = Field(max_length=64)
    words: str = Field(sa_column=Column(Text, nullable=False))
