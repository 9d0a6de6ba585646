"""The tables. SQLModel classes, one per table; no Textual, no I/O.

Money is stored as integer minor units (cents) in columns named ``*_minor``; see
``kamtui.money`` for parsing and formatting. Every table a user edits carries a
``version`` column used for optimistic concurrency (RELIABILITY.md 1): the column is
declared as an explicit ``Column`` object and handed to ``version_id_col``, which is
the only form SQLModel accepts.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

from kamtui.stages import STAGE_SHORT as STAGE_SHORT
from kamtui.stages import STAGES as STAGES

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata = MetaData(naming_convention=NAMING_CONVENTION)

# --- vocabularies -------------------------------------------------------------------

STATUSES = ("prospect", "target", "customer", "key", "former")
WHY_BUY = ("price", "proximity", "relationships", "quality", "other")
LEVELS = ("board", "executive", "vp", "director", "manager", "staff")  # board: revision 0005
PERIOD_KINDS = ("quarter", "month")
CADENCES = ("monthly", "quarterly", "half-yearly", "none")
DIRECTIONS = ("benefit", "cost")
TRAIT_EFFECTS = ("penalty", "veto")
ACTION_STATUSES = ("todo", "doing", "blocked", "done")
PRIORITIES = ("high", "medium", "low")


def version_column() -> Column[int]:
    """A fresh version column for one table (each table needs its own object)."""
    return Column("version", Integer, nullable=False, server_default=text("1"))


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


class DecimalText(TypeDecorator[Decimal]):
    """An exact decimal kept as text, for measures that are not money (key results)."""

    impl = String(40)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        if value is None:
            return None
        return str(Decimal(value))

    def process_result_value(self, value: Any, dialect: Any) -> Decimal | None:
        return None if value is None else Decimal(value)


# --- foundation (revision 0001) -------------------------------------------------------


_settings_version = version_column()


class Settings(SQLModel, table=True):
    """One row (id 1): settings of this database."""

    __tablename__ = "settings"
    __mapper_args__ = {"version_id_col": _settings_version}

    id: int | None = Field(default=None, primary_key=True)
    currency: str = Field(default="EUR", max_length=3)
    key_account_capacity: int = Field(default=12)
    review_template: str | None = Field(default=None, sa_column=Column(Text))
    # the account plan (revision 0005): the buying-map template (JSON), days to "stale"
    buying_template: str | None = Field(default=None, sa_column=Column(Text))
    stale_after_days: int | None = None
    version: int = Field(default=1, sa_column=_settings_version)


_person_version = version_column()


class Person(SQLModel, table=True):
    """One of our own people: the account team."""

    __tablename__ = "person"
    __mapper_args__ = {"version_id_col": _person_version}

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_column=Column(String(200), nullable=False, unique=True))
    role: str = Field(default="", max_length=200)
    level: str = Field(default="manager", max_length=20)
    email: str = Field(default="", max_length=200)
    version: int = Field(default=1, sa_column=_person_version)


_account_version = version_column()


class Account(SQLModel, table=True):
    __tablename__ = "account"
    __table_args__ = (Index("ix_account_status", "status"),)
    __mapper_args__ = {"version_id_col": _account_version}

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_column=Column("name", String(200), nullable=False))
    external_id: str | None = Field(
        default=None, sa_column=Column(String(100), unique=True, nullable=True)
    )
    website: str = Field(default="", max_length=300)
    industry: str = Field(default="", max_length=100)
    country: str = Field(default="", max_length=100)
    city: str = Field(default="", max_length=100)
    parent_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("account.id", ondelete="SET NULL"), index=True),
    )
    status: str = Field(default="prospect", max_length=20)
    status_since: dt.date | None = Field(default=None, sa_column=Column(Date))
    owner_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("person.id", ondelete="SET NULL"), index=True),
    )
    # 64-bit (revision 0003): PostgreSQL's INTEGER ends at 21,474,836.47 in cents
    employees: int | None = Field(default=None, sa_column=Column(BigInteger))
    annual_revenue_minor: int | None = Field(default=None, sa_column=Column(BigInteger))
    financial_situation: str = Field(
        default="", sa_column=Column(Text, nullable=False, server_default="")
    )
    infrastructure: str = Field(
        default="", sa_column=Column(Text, nullable=False, server_default="")
    )
    business_strategy: str = Field(
        default="", sa_column=Column(Text, nullable=False, server_default="")
    )
    incumbents: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    why_buy: str | None = Field(default=None, max_length=20)
    why_buy_note: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    strength_of_position: int | None = None
    notes: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    # lifecycle and reviews (revision 0002)
    stage: int | None = None
    stage_since: dt.date | None = Field(default=None, sa_column=Column(Date))
    review_cadence: str = Field(
        default="none", sa_column=Column(String(20), nullable=False, server_default="none")
    )
    next_review: dt.date | None = Field(default=None, sa_column=Column(Date))
    created_at: dt.datetime = Field(
        default_factory=_now, sa_column=Column(DateTime, nullable=False)
    )
    updated_at: dt.datetime = Field(
        default_factory=_now, sa_column=Column(DateTime, nullable=False)
    )
    version: int = Field(default=1, sa_column=_account_version)


# Names are unique whatever their case: "ACME" and "Acme" are one account.
Index("uq_account_name_lower", func.lower(Account.__table__.c.name), unique=True)  # type: ignore[attr-defined]


class StatusChange(SQLModel, table=True):
    """The dated history of an account's status, with the reason for each change."""

    __tablename__ = "status_change"

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("account.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    changed_at: dt.datetime = Field(
        default_factory=_now, sa_column=Column(DateTime, nullable=False)
    )
    old_status: str | None = Field(default=None, max_length=20)
    new_status: str = Field(max_length=20)
    reason: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))


_contact_version = version_column()


class Contact(SQLModel, table=True):
    """One of their people."""

    __tablename__ = "contact"
    __mapper_args__ = {"version_id_col": _contact_version}

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("account.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    name: str = Field(max_length=200)
    title: str = Field(default="", max_length=200)
    level: str = Field(default="manager", max_length=20)
    email: str = Field(default="", max_length=200)
    phone: str = Field(default="", max_length=50)
    # revision 0002: our person who is this contact's peer ("presidents talking to presidents")
    counterpart_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("person.id", ondelete="SET NULL"), nullable=True, index=True
        ),
    )
    version: int = Field(default=1, sa_column=_contact_version)


_account_period_version = version_column()


class AccountPeriod(SQLModel, table=True):
    """The economics of one account for one month or quarter."""

    __tablename__ = "account_period"
    __table_args__ = (
        UniqueConstraint("account_id", "period_start", name="uq_account_period_account_start"),
    )
    __mapper_args__ = {"version_id_col": _account_period_version}

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(
        sa_column=Column(Integer, ForeignKey("account.id", ondelete="CASCADE"), nullable=False)
    )
    period_start: dt.date = Field(sa_column=Column(Date, nullable=False, index=True))
    kind: str = Field(default="quarter", max_length=10)
    revenue_minor: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))
    cost_to_serve_minor: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))
    gross_profit_minor: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))
    receivables_minor: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))
    version: int = Field(default=1, sa_column=_account_period_version)


# --- scoring (revision 0002) --------------------------------------------------------------


_scoring_model_version = version_column()


class ScoringModel(SQLModel, table=True):
    __tablename__ = "scoring_model"
    __mapper_args__ = {"version_id_col": _scoring_model_version}

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_column=Column(String(200), nullable=False, unique=True))
    preset: str | None = Field(default=None, max_length=40)
    threshold: int = Field(default=60)
    active: bool = Field(default=False)
    version: int = Field(default=1, sa_column=_scoring_model_version)


_criterion_version = version_column()


class Criterion(SQLModel, table=True):
    __tablename__ = "criterion"
    __mapper_args__ = {"version_id_col": _criterion_version}

    id: int | None = Field(default=None, primary_key=True)
    model_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("scoring_model.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    name: str = Field(max_length=200)
    # the column heading when the name does not fit (≤ 8 cells, unique in the model;
    # revision 0008): hand-chosen for the presets, else made from the name
    short_name: str = Field(
        default="", sa_column=Column(String(40), nullable=False, server_default="")
    )
    description: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    weight: int = Field(default=1)
    scale_max: int = Field(default=5)
    direction: str = Field(default="benefit", max_length=10)
    position: int = Field(default=0)
    auto_source: str | None = Field(default=None, max_length=40)
    # JSON list of ascending band limits for an automatic source
    bands: str | None = Field(default=None, sa_column=Column(Text))
    version: int = Field(default=1, sa_column=_criterion_version)


_score_version = version_column()


class Score(SQLModel, table=True):
    __tablename__ = "score"
    __table_args__ = (
        UniqueConstraint("account_id", "criterion_id", name="uq_score_account_criterion"),
    )
    __mapper_args__ = {"version_id_col": _score_version}

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(
        sa_column=Column(Integer, ForeignKey("account.id", ondelete="CASCADE"), nullable=False)
    )
    criterion_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("criterion.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    value: int
    note: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    updated_at: dt.datetime = Field(
        default_factory=_now, sa_column=Column(DateTime, nullable=False)
    )
    version: int = Field(default=1, sa_column=_score_version)


class ScoreChange(SQLModel, table=True):
    __tablename__ = "score_change"

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("account.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    criterion_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("criterion.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    changed_at: dt.datetime = Field(
        default_factory=_now, sa_column=Column(DateTime, nullable=False)
    )
    old_value: int | None = None
    new_value: int | None = None
    note: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))


_nightmare_trait_version = version_column()


class NightmareTrait(SQLModel, table=True):
    __tablename__ = "nightmare_trait"
    __mapper_args__ = {"version_id_col": _nightmare_trait_version}

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_column=Column(String(200), nullable=False, unique=True))
    description: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    effect: str = Field(default="penalty", max_length=10)
    penalty: int = Field(default=10)
    version: int = Field(default=1, sa_column=_nightmare_trait_version)


class AccountTrait(SQLModel, table=True):
    __tablename__ = "account_trait"

    account_id: int = Field(
        sa_column=Column(Integer, ForeignKey("account.id", ondelete="CASCADE"), primary_key=True)
    )
    trait_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("nightmare_trait.id", ondelete="CASCADE"), primary_key=True
        )
    )
    noted_at: dt.datetime = Field(default_factory=_now, sa_column=Column(DateTime, nullable=False))
    note: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))


# --- lifecycle and attack plan (revision 0002) ------------------------------------------


class StageChange(SQLModel, table=True):
    __tablename__ = "stage_change"

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("account.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    moved_at: dt.datetime = Field(default_factory=_now, sa_column=Column(DateTime, nullable=False))
    from_stage: int | None = None
    to_stage: int | None = None
    note: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))


_objective_version = version_column()


class Objective(SQLModel, table=True):
    __tablename__ = "objective"
    __mapper_args__ = {"version_id_col": _objective_version}

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("account.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    title: str = Field(max_length=300)
    metric: str = Field(default="", max_length=200)
    baseline: Decimal | None = Field(default=None, sa_column=Column(DecimalText))
    target: Decimal | None = Field(default=None, sa_column=Column(DecimalText))
    current: Decimal | None = Field(default=None, sa_column=Column(DecimalText))
    owner_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("person.id", ondelete="SET NULL"), nullable=True),
    )
    due: dt.date | None = Field(default=None, sa_column=Column(Date))
    version: int = Field(default=1, sa_column=_objective_version)


_action_version = version_column()


class Action(SQLModel, table=True):
    __tablename__ = "action"
    __table_args__ = (
        Index("ix_action_status_due", "status", "due"),
        Index("ix_action_account_status", "account_id", "status"),
    )
    __mapper_args__ = {"version_id_col": _action_version}

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(
        sa_column=Column(Integer, ForeignKey("account.id", ondelete="CASCADE"), nullable=False)
    )
    objective_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("objective.id", ondelete="SET NULL"), nullable=True, index=True
        ),
    )
    review_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("review.id", ondelete="SET NULL"), nullable=True, index=True
        ),
    )
    title: str = Field(max_length=300)
    owner_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("person.id", ondelete="SET NULL"), nullable=True, index=True
        ),
    )
    due: dt.date | None = Field(default=None, sa_column=Column(Date))
    priority: str = Field(default="medium", max_length=10)
    status: str = Field(default="todo", max_length=10)
    done_on: dt.date | None = Field(default=None, sa_column=Column(Date))
    position: int = Field(default=0)
    notes: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    created_at: dt.datetime = Field(
        default_factory=_now, sa_column=Column(DateTime, nullable=False)
    )
    version: int = Field(default=1, sa_column=_action_version)


# --- reviews (revision 0002) ---------------------------------------------------------------


_review_version = version_column()


class Review(SQLModel, table=True):
    __tablename__ = "review"
    __mapper_args__ = {"version_id_col": _review_version}

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("account.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    scheduled_for: dt.date | None = Field(default=None, sa_column=Column(Date))
    held_on: dt.date | None = Field(default=None, sa_column=Column(Date))
    status: str = Field(default="open", max_length=10)
    rating: int | None = None
    summary: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    version: int = Field(default=1, sa_column=_review_version)


_review_item_version = version_column()


class ReviewItem(SQLModel, table=True):
    __tablename__ = "review_item"
    __mapper_args__ = {"version_id_col": _review_item_version}

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("review.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    position: int = Field(default=0)
    text: str = Field(max_length=500)
    done: bool = Field(default=False)
    note: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    version: int = Field(default=1, sa_column=_review_item_version)


_value_delivered_version = version_column()


class ValueDelivered(SQLModel, table=True):
    __tablename__ = "value_delivered"
    __mapper_args__ = {"version_id_col": _value_delivered_version}

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("account.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    delivered_on: dt.date = Field(sa_column=Column(Date, nullable=False))
    description: str = Field(max_length=500)
    amount_minor: int | None = Field(default=None, sa_column=Column(BigInteger))
    version: int = Field(default=1, sa_column=_value_delivered_version)


class AccountExternalId(SQLModel, table=True):
    """An account's id in one source system: Salesforce, HubSpot or any other named one
    (revision 0003). One id per system per account; an id belongs to one account.

    ``Account.external_id`` stays: it is the account's *primary* id, the first one kam
    learned (what the list, the identity field and the account sheet show). This table
    holds every source's id, the primary one included, so an import from any of them
    matches."""

    __tablename__ = "account_external_id"
    __table_args__ = (
        UniqueConstraint("system", "external_id"),
        UniqueConstraint("account_id", "system"),
    )

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(
        sa_column=Column(Integer, ForeignKey("account.id", ondelete="CASCADE"), nullable=False)
    )
    system: str = Field(sa_column=Column(String(40), nullable=False))
    external_id: str = Field(sa_column=Column(String(100), nullable=False))


# --- dashboard and early warnings (revision 0006) ---------------------------------------------


_warning_settings_version = version_column()


class WarningSettings(SQLModel, table=True):
    """One row (id 1): the thresholds of the early warnings (view 1, ``kam alerts``)."""

    __tablename__ = "warning_settings"
    __mapper_args__ = {"version_id_col": _warning_settings_version}

    id: int | None = Field(default=None, primary_key=True)
    revenue_drop_pct: int = Field(default=20)  # quarter on quarter, percent
    stage_days: int = Field(default=180)  # stage unchanged for more than this many days
    contact_days: int = Field(default=90)  # decision maker not contacted (contact log)
    version: int = Field(default=1, sa_column=_warning_settings_version)


_warning_triage_version = version_column()


class WarningTriage(SQLModel, table=True):
    """A warning snoozed until a date, or dismissed with a reason. ``figures`` holds the
    warning's figures when it was dismissed: when they change, the warning comes back."""

    __tablename__ = "warning_triage"
    __mapper_args__ = {"version_id_col": _warning_triage_version}

    id: int | None = Field(default=None, primary_key=True)
    warning_key: str = Field(sa_column=Column(String(200), nullable=False, unique=True))
    account_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("account.id", ondelete="CASCADE"), nullable=True, index=True
        ),
    )
    rule: str = Field(max_length=40)
    state: str = Field(default="dismissed", max_length=10)  # snoozed | dismissed
    until: dt.date | None = Field(default=None, sa_column=Column(Date))
    reason: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    figures: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    created_at: dt.datetime = Field(
        default_factory=_now, sa_column=Column(DateTime, nullable=False)
    )
    version: int = Field(default=1, sa_column=_warning_triage_version)


# --- look-alikes (revision 0007) -------------------------------------------------------------


_lookalike_weight_version = version_column()


class LookalikeWeight(SQLModel, table=True):
    """The weight of one profile field in the look-alike similarity (view 7); a field
    without a row has its default weight (services/lookalike.py)."""

    __tablename__ = "lookalike_weight"
    __mapper_args__ = {"version_id_col": _lookalike_weight_version}

    field: str = Field(sa_column=Column(String(40), primary_key=True))
    weight: int = Field(default=1)
    version: int = Field(default=1, sa_column=_lookalike_weight_version)


# --- the account plan (revision 0005) --------------------------------------------------------

SWOT_QUADRANTS = ("strength", "weakness", "opportunity", "threat")
SWOT_PERSPECTIVES = ("customer", "us")  # about the customer · the customer's view of us
BUYING_STATUSES = ("aligned", "gap", "unknown")
BUYING_ROLES = (
    "decision maker", "economic buyer", "technical buyer", "user", "influencer", "gatekeeper",
)  # fmt: skip
STANCES = ("champion", "supporter", "neutral", "sceptic", "blocker")
LOG_KINDS = ("meeting", "call", "e-mail", "visit", "other")

_swot_point_version = version_column()


class SwotPoint(SQLModel, table=True):
    """One point of an account's SWOT, gauged High / Medium / Low."""

    __tablename__ = "swot_point"
    __mapper_args__ = {"version_id_col": _swot_point_version}

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("account.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    quadrant: str = Field(max_length=12)
    text: str = Field(max_length=500)
    priority: str = Field(default="medium", max_length=10)
    perspective: str = Field(default="customer", max_length=10)
    action_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("action.id", ondelete="SET NULL"), nullable=True, index=True
        ),
    )
    position: int = Field(default=0)
    version: int = Field(default=1, sa_column=_swot_point_version)


_buying_step_version = version_column()


class BuyingStep(SQLModel, table=True):
    """One milestone of the customer's buying process, beside our matching selling step."""

    __tablename__ = "buying_step"
    __mapper_args__ = {"version_id_col": _buying_step_version}

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("account.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    position: int = Field(default=0)
    milestone: str = Field(max_length=200)
    customer_owner_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("contact.id", ondelete="SET NULL"), nullable=True, index=True
        ),
    )
    requires: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    our_step: str = Field(default="", max_length=200)
    our_owner_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("person.id", ondelete="SET NULL"), nullable=True, index=True
        ),
    )
    status: str = Field(default="unknown", max_length=10)
    adapt: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    version: int = Field(default=1, sa_column=_buying_step_version)


_contact_relationship_version = version_column()


class ContactRelationship(SQLModel, table=True):
    """A contact's place in the relationship map (one row per contact, made when first set)."""

    __tablename__ = "contact_relationship"
    __mapper_args__ = {"version_id_col": _contact_relationship_version}

    contact_id: int = Field(
        sa_column=Column(
            Integer,
            ForeignKey("contact.id", ondelete="CASCADE"),
            primary_key=True,
            autoincrement=False,  # the contact's id: no sequence of its own
        )
    )
    buying_role: str | None = Field(default=None, max_length=20)
    stance: str | None = Field(default=None, max_length=10)
    influence: int | None = None  # 1–5
    reports_to_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("contact.id", ondelete="SET NULL"), nullable=True, index=True
        ),
    )
    strength: int | None = None  # 0–3
    version: int = Field(default=1, sa_column=_contact_relationship_version)


_contact_log_version = version_column()


class ContactLog(SQLModel, table=True):
    """A dated meeting, call or e-mail with the account."""

    __tablename__ = "contact_log"
    __table_args__ = (Index("ix_contact_log_account_day", "account_id", "happened_on"),)
    __mapper_args__ = {"version_id_col": _contact_log_version}

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(
        sa_column=Column(Integer, ForeignKey("account.id", ondelete="CASCADE"), nullable=False)
    )
    happened_on: dt.date = Field(sa_column=Column(Date, nullable=False))
    kind: str = Field(default="meeting", max_length=10)
    summary: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    follow_up: str = Field(default="", max_length=300)
    action_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("action.id", ondelete="SET NULL"), nullable=True, index=True
        ),
    )
    version: int = Field(default=1, sa_column=_contact_log_version)


class ContactLogContact(SQLModel, table=True):
    """Who of theirs took part in a logged contact."""

    __tablename__ = "contact_log_contact"

    log_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("contact_log.id", ondelete="CASCADE"), primary_key=True
        )
    )
    contact_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("contact.id", ondelete="CASCADE"), primary_key=True, index=True
        )
    )


class ContactLogPerson(SQLModel, table=True):
    """Who of ours took part in a logged contact."""

    __tablename__ = "contact_log_person"

    log_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("contact_log.id", ondelete="CASCADE"), primary_key=True
        )
    )
    person_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("person.id", ondelete="CASCADE"), primary_key=True, index=True
        )
    )
