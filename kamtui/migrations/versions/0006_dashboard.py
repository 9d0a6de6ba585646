"""The dashboard's early warnings: their thresholds, and the warnings snoozed or dismissed.

``warning_settings`` is one row (id 1) of thresholds; ``warning_triage`` keeps each
snoozed or dismissed warning by its key, with the figures it had when dismissed (so it
comes back when they change). Both are new tables: nothing existing changes.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "warning_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("revenue_drop_pct", sa.Integer(), nullable=False),
        sa.Column("stage_days", sa.Integer(), nullable=False),
        sa.Column("contact_days", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_warning_settings")),
    )
    op.create_table(
        "warning_triage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("warning_key", sa.String(length=200), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("rule", sa.String(length=40), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("until", sa.Date(), nullable=True),
        sa.Column("reason", sa.Text(), server_default="", nullable=False),
        sa.Column("figures", sa.Text(), server_default="", nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_warning_triage_account_id_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_warning_triage")),
        sa.UniqueConstraint("warning_key", name=op.f("uq_warning_triage_warning_key")),
    )
    op.create_index(
        op.f("ix_warning_triage_account_id"), "warning_triage", ["account_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_warning_triage_account_id"), table_name="warning_triage")
    op.drop_table("warning_triage")
    op.drop_table("warning_settings")
