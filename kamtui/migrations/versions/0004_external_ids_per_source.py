"""External ids per source system: an account's Salesforce Id, HubSpot Record ID and the
ids of any other named source, each in its own row.

Every value of the single ``account.external_id`` column is copied, none lost; the column
stays as the account's primary id (the first one kam learned, shown in the list and the
account sheet). Ids imported before this revision carry no record of their source, so it
is inferred from their shape: Salesforce Account ids (001…, 15 or 18 characters), HubSpot
Record IDs (digits), anything else "other". A wrong guess costs nothing: imports also
match on the primary id whatever its system.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SALESFORCE = re.compile(r"001[0-9A-Za-z]{12}([0-9A-Za-z]{3})?")


def _system(value: str) -> str:  # frozen copy of services.external_ids.guess_system
    value = value.strip()
    if _SALESFORCE.fullmatch(value):
        return "salesforce"
    if value.isascii() and value.isdigit():
        return "hubspot"
    return "other"


def upgrade() -> None:
    table = op.create_table(
        "account_external_id",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("system", sa.String(length=40), nullable=False),
        sa.Column("external_id", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_account_external_id_account_id_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_external_id")),
        sa.UniqueConstraint("account_id", "system", name=op.f("uq_account_external_id_account_id")),
        sa.UniqueConstraint("system", "external_id", name=op.f("uq_account_external_id_system")),
    )
    conn = op.get_bind()
    rows = conn.execute(
        sa.text("SELECT id, external_id FROM account WHERE external_id IS NOT NULL ORDER BY id")
    )
    batch: list[dict[str, object]] = []
    for account_id, external_id in rows:
        batch.append(
            {"account_id": account_id, "system": _system(external_id), "external_id": external_id}
        )
        if len(batch) == 5000:
            op.bulk_insert(table, batch)
            batch = []
    if batch:
        op.bulk_insert(table, batch)


def downgrade() -> None:
    # account.external_id still holds each account's primary id; the others go
    op.drop_table("account_external_id")
