"""Look-alike weights: how much each profile field counts in the similarity of a
prospect to today's key accounts (view 7, kam lookalikes). A field without a row keeps
its default weight, so the table starts empty.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "lookalike_weight",
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.PrimaryKeyConstraint("field", name=op.f("pk_lookalike_weight")),
    )


def downgrade() -> None:
    op.drop_table("lookalike_weight")
