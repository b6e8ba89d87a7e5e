"""a version saved by a script (resilience score --save) is not a review

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 18:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # every version saved before this was counted as a review; they stay so. A plain
    # ADD COLUMN (never a batch copy of the table, which would drop its append-only
    # triggers)
    op.add_column(
        "assessment",
        sa.Column("scripted", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    op.drop_column("assessment", "scripted")
