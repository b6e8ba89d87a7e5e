"""explanations stored compactly: the words of each method's explanations, once;
assessment's redundant practice index dropped

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 19:00:00

A result saved from now on keeps its explanation as rule ids, points and the values
shown (``scoring.compact``); the sentences are made from its method's words, kept here
once per method by their SHA-256. Results saved before keep their full sentences and
read as before. The table is append-only, like the results that name it.

``ix_assessment_practice_id`` is dropped: the unique (practice_id, period_id, version)
index starts with the same column and serves every lookup by practice, and the second
index made each saved version write another page at a random place (a quarter of what a
national rescoring writes).
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

TABLE = "explanation_words"


def upgrade() -> None:
    # a plain DROP INDEX (never a batch copy of the table, which would drop its
    # append-only triggers)
    op.drop_index("ix_assessment_practice_id", table_name="assessment")
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column(
            "methodology_version", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False
        ),
        sa.Column("words", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_explanation_words_sha256"), ["sha256"], unique=True)
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {TABLE}_no_{verb.lower()} BEFORE {verb} ON {TABLE} "
                f"BEGIN SELECT RAISE(ABORT, '{TABLE} is append-only: {verb} refused'); END"
            )
        op.execute(
            f"CREATE TRIGGER {TABLE}_no_replace BEFORE INSERT ON {TABLE} "
            f"WHEN EXISTS (SELECT 1 FROM {TABLE} WHERE id = NEW.id) "
            f"OR EXISTS (SELECT 1 FROM {TABLE} WHERE sha256 = NEW.sha256) "
            f"BEGIN SELECT RAISE(ABORT, '{TABLE} is append-only: REPLACE refused'); END"
        )
    elif dialect == "postgresql":
        # refuse_change() was made by the first migration
        op.execute(
            f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
            "FOR EACH ROW EXECUTE FUNCTION refuse_change()"
        )
        op.execute(
            f"CREATE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON {TABLE} "
            "FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()"
        )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for suffix in ("no_update", "no_delete", "no_replace"):
            op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_{suffix}")
    elif dialect == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}")
        op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE}")
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_explanation_words_sha256"))
    op.drop_table(TABLE)
    op.create_index("ix_assessment_practice_id", "assessment", ["practice_id"], unique=False)
