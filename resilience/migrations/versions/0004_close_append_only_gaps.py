"""close the append-only gaps; record the real account in the audit log

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 16:00:00

SQLite's ``INSERT OR REPLACE`` deletes the row it replaces without firing delete
triggers (unless ``recursive_triggers`` is on, which is per connection), so it could
rewrite an audit line or a saved score. A BEFORE INSERT trigger now refuses an insert
that would replace an existing row (same id, or for assessments the same practice,
month and version). PostgreSQL's ``TRUNCATE`` fires no row triggers: a statement-level
BEFORE TRUNCATE trigger now refuses it.

``audit_log.account`` is the account that really ran the command; it differs from
``actor`` when a service account acts for someone with ``--user``.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# Append-only tables, and the unique keys an INSERT OR REPLACE could replace a row by.
APPEND_ONLY = {
    "assessment": ("id", ("practice_id", "period_id", "version")),
    "audit_log": ("id",),
    "practice_figure": ("id",),
}


def _existing(table: str, keys: tuple) -> str:
    tests = []
    for key in keys:
        columns = (key,) if isinstance(key, str) else key
        match = " AND ".join(f"{c} = NEW.{c}" for c in columns)
        tests.append(f"EXISTS (SELECT 1 FROM {table} WHERE {match})")
    return " OR ".join(tests)


def upgrade() -> None:
    op.add_column(
        "audit_log", sa.Column("account", sqlmodel.sql.sqltypes.AutoString(), nullable=True)
    )
    dialect = op.get_bind().dialect.name
    for table, keys in APPEND_ONLY.items():
        if dialect == "sqlite":
            op.execute(
                f"CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table} "
                f"WHEN {_existing(table, keys)} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: REPLACE refused'); END"
            )
        elif dialect == "postgresql":
            op.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()"
            )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table in APPEND_ONLY:
        if dialect == "sqlite":
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_replace")
        elif dialect == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
    op.drop_column("audit_log", "account")
