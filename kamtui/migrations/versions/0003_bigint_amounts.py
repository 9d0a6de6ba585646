"""Money and counts in 64-bit columns: BigInteger for every ``*_minor`` amount and for
``account.employees``.

SQLite's INTEGER is 64-bit already, but PostgreSQL's is 32-bit: from 21,474,836.48 up an
amount did not fit (issue 13). On SQLite the tables are rebuilt in batch mode (with
``foreign_keys=OFF``, as ``kamtui.migrate`` runs every upgrade, so no child row is
cascade-deleted), and the ``lower(name)`` index that batch mode cannot reflect is made
again. On PostgreSQL each column is altered in place.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = {
    "account": (("employees", True), ("annual_revenue_minor", True)),
    "account_period": (
        ("revenue_minor", False),
        ("cost_to_serve_minor", False),
        ("gross_profit_minor", False),
        ("receivables_minor", False),
    ),
    "value_delivered": (("amount_minor", True),),
}


def _alter(old: sa.types.TypeEngine, new: sa.types.TypeEngine) -> None:
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, nullable in columns:
                batch_op.alter_column(
                    name, existing_type=old, type_=new, existing_nullable=nullable
                )
    if op.get_bind().dialect.name == "sqlite":
        # the rebuilt account table lost its expression index: names stay unique in any case
        op.execute("DROP INDEX IF EXISTS uq_account_name_lower")
        op.create_index("uq_account_name_lower", "account", [sa.text("lower(name)")], unique=True)


def upgrade() -> None:
    _alter(sa.Integer(), sa.BigInteger())


def downgrade() -> None:
    _alter(sa.BigInteger(), sa.Integer())
