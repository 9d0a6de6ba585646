"""The account plan: SWOT points, the buying <-> selling map, the relationship map per
contact, the contact log (with who took part on both sides), and two settings: the
buying-map template and the days after which a contact is stale.

Only new tables and two nullable settings columns: nothing existing is rewritten.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "buying_step",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("milestone", sa.String(length=200), nullable=False),
        sa.Column("customer_owner_id", sa.Integer(), nullable=True),
        sa.Column("requires", sa.Text(), server_default="", nullable=False),
        sa.Column("our_step", sa.String(length=200), nullable=False),
        sa.Column("our_owner_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("adapt", sa.Text(), server_default="", nullable=False),
        sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_buying_step_account_id_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["customer_owner_id"],
            ["contact.id"],
            name=op.f("fk_buying_step_customer_owner_id_contact"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["our_owner_id"],
            ["person.id"],
            name=op.f("fk_buying_step_our_owner_id_person"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_buying_step")),
    )
    op.create_index(op.f("ix_buying_step_account_id"), "buying_step", ["account_id"], unique=False)
    op.create_index(
        op.f("ix_buying_step_customer_owner_id"), "buying_step", ["customer_owner_id"], unique=False
    )
    op.create_index(
        op.f("ix_buying_step_our_owner_id"), "buying_step", ["our_owner_id"], unique=False
    )
    op.create_table(
        "contact_relationship",
        sa.Column("contact_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("buying_role", sa.String(length=20), nullable=True),
        sa.Column("stance", sa.String(length=10), nullable=True),
        sa.Column("influence", sa.Integer(), nullable=True),
        sa.Column("reports_to_id", sa.Integer(), nullable=True),
        sa.Column("strength", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contact.id"],
            name=op.f("fk_contact_relationship_contact_id_contact"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reports_to_id"],
            ["contact.id"],
            name=op.f("fk_contact_relationship_reports_to_id_contact"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("contact_id", name=op.f("pk_contact_relationship")),
    )
    op.create_index(
        op.f("ix_contact_relationship_reports_to_id"),
        "contact_relationship",
        ["reports_to_id"],
        unique=False,
    )
    op.create_table(
        "contact_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("happened_on", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("summary", sa.Text(), server_default="", nullable=False),
        sa.Column("follow_up", sa.String(length=300), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_contact_log_account_id_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["action.id"],
            name=op.f("fk_contact_log_action_id_action"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_log")),
    )
    op.create_index(
        "ix_contact_log_account_day", "contact_log", ["account_id", "happened_on"], unique=False
    )
    op.create_index(op.f("ix_contact_log_action_id"), "contact_log", ["action_id"], unique=False)
    op.create_table(
        "swot_point",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("quadrant", sa.String(length=12), nullable=False),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("priority", sa.String(length=10), nullable=False),
        sa.Column("perspective", sa.String(length=10), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_swot_point_account_id_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["action.id"],
            name=op.f("fk_swot_point_action_id_action"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_swot_point")),
    )
    op.create_index(op.f("ix_swot_point_account_id"), "swot_point", ["account_id"], unique=False)
    op.create_index(op.f("ix_swot_point_action_id"), "swot_point", ["action_id"], unique=False)
    op.create_table(
        "contact_log_contact",
        sa.Column("log_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contact.id"],
            name=op.f("fk_contact_log_contact_contact_id_contact"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["log_id"],
            ["contact_log.id"],
            name=op.f("fk_contact_log_contact_log_id_contact_log"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("log_id", "contact_id", name=op.f("pk_contact_log_contact")),
    )
    op.create_index(
        op.f("ix_contact_log_contact_contact_id"),
        "contact_log_contact",
        ["contact_id"],
        unique=False,
    )
    op.create_table(
        "contact_log_person",
        sa.Column("log_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["log_id"],
            ["contact_log.id"],
            name=op.f("fk_contact_log_person_log_id_contact_log"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_contact_log_person_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("log_id", "person_id", name=op.f("pk_contact_log_person")),
    )
    op.create_index(
        op.f("ix_contact_log_person_person_id"), "contact_log_person", ["person_id"], unique=False
    )
    op.add_column("settings", sa.Column("buying_template", sa.Text(), nullable=True))
    op.add_column("settings", sa.Column("stale_after_days", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column("settings", "stale_after_days")
    op.drop_column("settings", "buying_template")
    op.drop_index(op.f("ix_contact_log_person_person_id"), table_name="contact_log_person")
    op.drop_table("contact_log_person")
    op.drop_index(op.f("ix_contact_log_contact_contact_id"), table_name="contact_log_contact")
    op.drop_table("contact_log_contact")
    op.drop_index(op.f("ix_swot_point_action_id"), table_name="swot_point")
    op.drop_index(op.f("ix_swot_point_account_id"), table_name="swot_point")
    op.drop_table("swot_point")
    op.drop_index(op.f("ix_contact_log_action_id"), table_name="contact_log")
    op.drop_index("ix_contact_log_account_day", table_name="contact_log")
    op.drop_table("contact_log")
    op.drop_index(op.f("ix_contact_relationship_reports_to_id"), table_name="contact_relationship")
    op.drop_table("contact_relationship")
    op.drop_index(op.f("ix_buying_step_our_owner_id"), table_name="buying_step")
    op.drop_index(op.f("ix_buying_step_customer_owner_id"), table_name="buying_step")
    op.drop_index(op.f("ix_buying_step_account_id"), table_name="buying_step")
    op.drop_table("buying_step")
