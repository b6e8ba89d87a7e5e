"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-23 08:45:49.431949
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("actor", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("entity", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("entity_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("field", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_at"), ["at"], unique=False)

    op.create_table(
        "cohort",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("capacity_supported", sa.Integer(), nullable=False),
        sa.Column("capacity_reserve", sa.Integer(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("assessment_period", sqlmodel.sql.sqltypes.AutoString(length=7), nullable=True),
        sa.Column("panel_date", sa.Date(), nullable=True),
        sa.Column("panel_attendees", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("declared_interests", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "commissioner",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("short_name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["commissioner.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("commissioner", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_commissioner_code"), ["code"], unique=True)

    op.create_table(
        "review_period",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period", sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("opened_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("opened_by", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("closed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("closed_by", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("review_period", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_period_period"), ["period"], unique=True)

    op.create_table(
        "setting",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "cohort_quota",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("commissioner_id", sa.Integer(), nullable=False),
        sa.Column("supported", sa.Integer(), nullable=False),
        sa.Column("reserve", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cohort_id"],
            ["cohort.id"],
        ),
        sa.ForeignKeyConstraint(
            ["commissioner_id"],
            ["commissioner.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("cohort_id", "commissioner_id"),
    )
    with op.batch_alter_table("cohort_quota", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cohort_quota_cohort_id"), ["cohort_id"], unique=False)

    op.create_table(
        "federation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("commissioner_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["commissioner_id"],
            ["commissioner.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "locality",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("commissioner_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["commissioner_id"],
            ["commissioner.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("commissioner_id", "name"),
    )
    with op.batch_alter_table("locality", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_locality_commissioner_id"), ["commissioner_id"], unique=False
        )

    op.create_table(
        "practice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ods_code", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("postcode", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("commissioner_id", sa.Integer(), nullable=False),
        sa.Column("locality_id", sa.Integer(), nullable=True),
        sa.Column("federation_id", sa.Integer(), nullable=True),
        sa.Column("contract_type", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("clinical_system", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("list_size", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["commissioner_id"],
            ["commissioner.id"],
        ),
        sa.ForeignKeyConstraint(
            ["federation_id"],
            ["federation.id"],
        ),
        sa.ForeignKeyConstraint(
            ["locality_id"],
            ["locality.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("practice", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_practice_commissioner_id"), ["commissioner_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_practice_ods_code"), ["ods_code"], unique=True)

    op.create_table(
        "action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("owner", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("completed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["practice_id"],
            ["practice.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_action_practice_id"), ["practice_id"], unique=False)

    op.create_table(
        "application",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("route", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=True),
        sa.Column("need", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True),
        sa.Column("impact", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True),
        sa.ForeignKeyConstraint(
            ["cohort_id"],
            ["cohort.id"],
        ),
        sa.ForeignKeyConstraint(
            ["practice_id"],
            ["practice.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("cohort_id", "practice_id"),
    )
    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_application_cohort_id"), ["cohort_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_application_practice_id"), ["practice_id"], unique=False
        )

    op.create_table(
        "assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("author", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("is_correction", sa.Boolean(), nullable=False),
        sa.Column("methodology_version", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("band", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("quality_band", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("contract_band", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("workforce_band", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column(
            "soft_intelligence_band", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False
        ),
        sa.Column(
            "sustainability_band", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False
        ),
        sa.Column("trend", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("summary", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("data_completeness", sa.Float(), nullable=False),
        sa.Column("result_json", sa.Text(), nullable=False),
        sa.Column("cqc_overall", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("cqc_safe", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("cqc_effective", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("cqc_caring", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("cqc_responsive", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("cqc_well_led", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("cqc_special_measures", sa.Boolean(), nullable=True),
        sa.Column("cqc_enforcement_action", sa.Boolean(), nullable=True),
        sa.Column("cqc_last_inspection", sa.Date(), nullable=True),
        sa.Column("qof_achievement_pct", sa.Float(), nullable=True),
        sa.Column("gpps_overall_good_pct", sa.Float(), nullable=True),
        sa.Column("gpps_phone_easy_pct", sa.Float(), nullable=True),
        sa.Column("remedial_notices_open", sa.Integer(), nullable=True),
        sa.Column("breach_notices_open", sa.Integer(), nullable=True),
        sa.Column("contract_sanction", sa.Boolean(), nullable=True),
        sa.Column("list_closed", sa.Boolean(), nullable=True),
        sa.Column("list_closure_end", sa.Date(), nullable=True),
        sa.Column("contract_end", sa.Date(), nullable=True),
        sa.Column("list_size", sa.Integer(), nullable=True),
        sa.Column("gp_fte", sa.Float(), nullable=True),
        sa.Column("nurse_fte", sa.Float(), nullable=True),
        sa.Column("other_clinical_fte", sa.Float(), nullable=True),
        sa.Column("gp_vacancy_fte", sa.Float(), nullable=True),
        sa.Column("gp_sessions_unfilled_pct", sa.Float(), nullable=True),
        sa.Column("gp_headcount", sa.Integer(), nullable=True),
        sa.Column("gp_aged_55_plus", sa.Integer(), nullable=True),
        sa.Column("single_handed", sa.Boolean(), nullable=True),
        sa.Column("gp_aged_55_59", sa.Integer(), nullable=True),
        sa.Column("gp_aged_60_plus", sa.Integer(), nullable=True),
        sa.Column("soft_intel_max_severity", sa.Integer(), nullable=True),
        sa.Column("soft_intel_count", sa.Integer(), nullable=True),
        sa.Column("whistleblowing", sa.Boolean(), nullable=True),
        sa.Column("whistleblowing_corroborated", sa.Boolean(), nullable=True),
        sa.Column("premises_risk", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("financial_risk", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("partnership_change", sa.Boolean(), nullable=True),
        sa.Column("list_growth_pct_12m", sa.Float(), nullable=True),
        sa.Column("merger_or_split", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("at_risk_of_closure_12m", sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["review_period.id"],
        ),
        sa.ForeignKeyConstraint(
            ["practice_id"],
            ["practice.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("practice_id", "period_id", "version"),
    )
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assessment_period_id"), ["period_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_assessment_practice_id"), ["practice_id"], unique=False
        )

    op.create_table(
        "soft_intel_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
        sa.Column("category", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("severity", sa.Integer(), nullable=False),
        sa.Column("confidence", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("corroborated", sa.Boolean(), nullable=False),
        sa.Column("whistleblowing", sa.Boolean(), nullable=False),
        sa.Column("confidential", sa.Boolean(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("recorded_by", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("recorded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["practice_id"],
            ["practice.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("soft_intel_entry", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_soft_intel_entry_practice_id"), ["practice_id"], unique=False
        )

    op.create_table(
        "decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("proposed_outcome", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("decided_by", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("decided_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("support_items", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["application.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_decision_application_id"), ["application_id"], unique=False
        )

    for table in APPEND_ONLY:
        _refuse_update_and_delete(table)


# Tables whose rows are never changed: history cannot be quietly rewritten.
APPEND_ONLY = ("assessment", "audit_log")


def _refuse_update_and_delete(table: str) -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {verb} refused'); END"
            )
    elif dialect == "postgresql":
        op.execute(
            "CREATE OR REPLACE FUNCTION refuse_change() RETURNS trigger AS $$ BEGIN "
            "RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP; "
            "END $$ LANGUAGE plpgsql"
        )
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION refuse_change()"
        )


def downgrade() -> None:
    for table in APPEND_ONLY:
        dialect = op.get_bind().dialect.name
        if dialect == "sqlite":
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
        elif dialect == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_decision_application_id"))

    op.drop_table("decision")
    with op.batch_alter_table("soft_intel_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_soft_intel_entry_practice_id"))

    op.drop_table("soft_intel_entry")
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_practice_id"))
        batch_op.drop_index(batch_op.f("ix_assessment_period_id"))

    op.drop_table("assessment")
    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_application_practice_id"))
        batch_op.drop_index(batch_op.f("ix_application_cohort_id"))

    op.drop_table("application")
    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_practice_id"))

    op.drop_table("action")
    with op.batch_alter_table("practice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_practice_ods_code"))
        batch_op.drop_index(batch_op.f("ix_practice_commissioner_id"))

    op.drop_table("practice")
    with op.batch_alter_table("locality", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_locality_commissioner_id"))

    op.drop_table("locality")
    op.drop_table("federation")
    with op.batch_alter_table("cohort_quota", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cohort_quota_cohort_id"))

    op.drop_table("cohort_quota")
    op.drop_table("setting")
    with op.batch_alter_table("review_period", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_period_period"))

    op.drop_table("review_period")
    with op.batch_alter_table("commissioner", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_commissioner_code"))

    op.drop_table("commissioner")
    op.drop_table("cohort")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_at"))

    op.drop_table("audit_log")
