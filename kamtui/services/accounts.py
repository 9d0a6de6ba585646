"""Accounts: list, create, edit (with optimistic concurrency), status changes, delete.

Every function takes the ``Database`` and does one short transaction. Reads for lists
return plain tuples; single records come back as detached model objects.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kamtui import models as m
from kamtui.db import Database
from kamtui.errors import NotFoundError, StaleError, ValidationError
from kamtui.services import fields as f
from kamtui.services.account_list import AccountRow, count_accounts, list_rows

__all__ = ["AccountRow", "count_accounts", "list_rows"]  # re-exported for callers

ACCOUNT_FIELDS: dict[str, f.FieldSpec] = {
    s.name: s
    for s in (
        f.FieldSpec("name", "Name", f.name(required=True)),
        f.FieldSpec("external_id", "External id", f.text(max_length=100), "id in your CRM"),
        f.FieldSpec("website", "Website", f.text(max_length=300)),
        f.FieldSpec("industry", "Industry", f.text(max_length=100)),
        f.FieldSpec("country", "Country", f.text(max_length=100)),
        f.FieldSpec("city", "City", f.text(max_length=100)),
        f.FieldSpec("parent", "Parent account", f.name(), "name of the parent account"),
        f.FieldSpec("owner", "Owner", f.name(), "one of our people (key account manager)"),
        f.FieldSpec("employees", "Employees", f.count),
        f.FieldSpec("annual_revenue_minor", "Their annual revenue", f.money(allow_negative=False)),
        f.FieldSpec("financial_situation", "Financial situation", f.long_text),
        f.FieldSpec("infrastructure", "Infrastructure", f.long_text),
        f.FieldSpec("business_strategy", "Business strategy", f.long_text),
        f.FieldSpec("incumbents", "Supplier relationships", f.long_text, "incumbent suppliers"),
        f.FieldSpec("why_buy", "Why they buy from us", f.choice(m.WHY_BUY, optional=True)),
        f.FieldSpec("why_buy_note", "Why they buy: note", f.long_text),
        f.FieldSpec(
            "strength_of_position",
            "Our strength of position",
            f.rating(1, 5),
            "1 weak (they barely know us) … 5 strong (we are their first choice)",
        ),
        f.FieldSpec("review_cadence", "Review cadence", f.choice(m.CADENCES)),
        f.FieldSpec("next_review", "Next review", f.date, "YYYY-MM-DD"),
        f.FieldSpec("notes", "Notes", f.long_text),
    )
}


# --- single records ------------------------------------------------------------------------


def get_account(db: Database, account_id: int) -> m.Account:
    with db.session() as s:
        account = s.get(m.Account, account_id)
        if account is None:
            raise NotFoundError("this account no longer exists (deleted elsewhere?)")
        return account


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def _name_taken(s: Any, name: str, except_id: int | None = None) -> bool:
    from sqlmodel import func, select

    # the same lower() as the unique index uses (ASCII-only on SQLite, Unicode on a server)
    query = select(m.Account.id).where(func.lower(m.Account.name) == func.lower(name))
    if except_id is not None:
        query = query.where(m.Account.id != except_id)
    return s.exec(query).first() is not None


def _resolve_name(s: Any, model: Any, field: str, label: str, name: str | None) -> int | None:
    from sqlmodel import func, select

    if not name:
        return None
    found = s.exec(select(model.id).where(func.lower(model.name) == name.lower())).first()
    if found is None:
        raise ValidationError(field, f"{label}: no {label.lower()} named {name!r}")
    return int(found)


def _apply(s: Any, account: m.Account, values: Mapping[str, Any]) -> None:
    """Apply parsed values to ``account`` inside session ``s``, checking cross-record rules."""
    with s.no_autoflush:  # one flush, one version bump, per user action
        _apply_values(s, account, values)
    account.updated_at = _now()


def _apply_values(s: Any, account: m.Account, values: Mapping[str, Any]) -> None:
    for name, value in values.items():
        if name == "name":
            if _name_taken(s, value, account.id):
                raise ValidationError("name", f"Name: an account named {value!r} exists already")
            account.name = value
        elif name == "external_id":
            value = value or None
            if value is not None:
                from sqlmodel import select

                q = select(m.Account.id).where(m.Account.external_id == value)
                if account.id is not None:
                    q = q.where(m.Account.id != account.id)
                if s.exec(q).first() is not None:
                    raise ValidationError(
                        "external_id", f"External id: {value!r} belongs to another account"
                    )
            account.external_id = value
        elif name == "parent":
            parent_id = _resolve_name(s, m.Account, "parent", "Parent account", value)
            if parent_id is not None and parent_id == account.id:
                raise ValidationError(
                    "parent", "Parent account: an account cannot be its own parent"
                )
            if (
                parent_id is not None
                and account.id is not None
                and _creates_cycle(s, account.id, parent_id)
            ):
                raise ValidationError("parent", "Parent account: that would make a loop of parents")
            account.parent_id = parent_id
        elif name == "owner":
            account.owner_id = _resolve_name(s, m.Person, "owner", "Person", value)
        else:
            setattr(account, name, value)


def _creates_cycle(s: Any, account_id: int, parent_id: int | None) -> bool:
    seen = set()
    while parent_id is not None and parent_id not in seen:
        if parent_id == account_id:
            return True
        seen.add(parent_id)
        parent = s.get(m.Account, parent_id)
        parent_id = parent.parent_id if parent else None
    return False


def parse_fields(raw: Mapping[str, str]) -> dict[str, Any]:
    """Parse every typed value; the bad ones raise ValidationErrors, all together."""
    return f.parse_all(ACCOUNT_FIELDS, raw, unknown="refuse")


def create_account(
    db: Database, raw: Mapping[str, str], *, status: str = "prospect", today: dt.date
) -> m.Account:
    """Create from typed values (at least a name); records the first status."""
    if status not in m.STATUSES:
        raise ValidationError("status", f"Status: {status!r} is not one of {', '.join(m.STATUSES)}")
    values = parse_fields(raw)
    if "name" not in values:
        raise ValidationError("name", "Name: cannot be empty")
    with db.session() as s:
        account = m.Account(name=values["name"], status=status, status_since=today)
        _apply(s, account, values)
        s.add(account)
        s.flush()
        assert account.id is not None
        s.add(m.StatusChange(account_id=account.id, new_status=status, reason="created"))
    return account


def update_account(
    db: Database, account_id: int, version: int, raw: Mapping[str, str]
) -> m.Account:
    """Save typed values if the account is still at ``version``; else StaleError."""
    values = parse_fields(raw)
    with db.edit(m.Account, account_id, version, "account") as (s, account):
        _apply(s, account, values)
    return account


def change_status(
    db: Database, account_id: int, version: int, new_status: str, reason: str, today: dt.date
) -> m.Account:
    if new_status not in m.STATUSES:
        raise ValidationError(
            "status", f"Status: {new_status!r} is not one of {', '.join(m.STATUSES)}"
        )
    if not reason.strip():
        raise ValidationError("reason", "Reason: say why the status changes")
    with db.edit(m.Account, account_id, version, "account") as (s, account):
        _record_status(s, account, new_status, reason, today)
    return account


def _record_status(
    s: Any, account: m.Account, new_status: str, reason: str, today: dt.date
) -> None:
    """The status change itself, with its line in the status history."""
    if account.status == new_status:
        raise ValidationError("status", f"Status: the account is {new_status} already")
    assert account.id is not None
    s.add(
        m.StatusChange(
            account_id=account.id,
            old_status=account.status,
            new_status=new_status,
            reason=reason.strip(),
        )
    )
    account.status = new_status
    account.status_since = today
    account.updated_at = _now()


def change_statuses(
    db: Database,
    versions: Mapping[int, int],
    new_status: str,
    reason: str,
    today: dt.date,
) -> list[str]:
    """Several accounts ``{account id: version read}`` to one status, with one reason, in
    one transaction (all or none): each change is recorded in its status history, as
    :func:`change_status` does. Returns the names changed."""
    from sqlalchemy.orm.exc import StaleDataError

    if new_status not in m.STATUSES:
        raise ValidationError(
            "status", f"Status: {new_status!r} is not one of {', '.join(m.STATUSES)}"
        )
    if not reason.strip():
        raise ValidationError("reason", "Reason: say why the status changes")
    stale = "an account was changed elsewhere since you read it; nothing was changed"
    names = []
    try:
        with db.session() as s:
            for account_id, version in versions.items():
                account = s.get(m.Account, account_id)
                if account is None:
                    raise NotFoundError(
                        "an account no longer exists (deleted elsewhere?); nothing was changed"
                    )
                if account.version != version:
                    raise StaleError(stale)
                _record_status(s, account, new_status, reason, today)
                s.add(account)
                names.append(account.name)
    except StaleDataError:
        raise StaleError(stale) from None
    return names


def status_history(db: Database, account_id: int) -> list[m.StatusChange]:
    from sqlmodel import select

    with db.session() as s:
        query = (
            select(m.StatusChange)
            .where(m.StatusChange.account_id == account_id)
            .order_by(m.StatusChange.changed_at.desc(), m.StatusChange.id.desc())  # type: ignore[attr-defined, union-attr]
        )
        return list(s.exec(query))


# Tables whose rows go with a deleted account (ON DELETE CASCADE), with a word for each.
DEPENDENTS = (
    ("contact", "contact", "contacts"),
    ("account_period", "period of economics", "periods of economics"),
    ("status_change", "status change", "status changes"),
    ("score", "score", "scores"),
    ("objective", "objective", "objectives"),
    ("action", "action", "actions"),
    ("review", "review", "reviews"),
    ("value_delivered", "value record", "value records"),
    ("stage_change", "stage move", "stage moves"),
)


def deletion_impact(db: Database, account_id: int) -> list[str]:
    """What goes with the account, as phrases: ['3 contacts', '8 periods of economics']."""
    parts = []
    for table, one, many in DEPENDENTS:
        n = db.fetch(f"SELECT COUNT(*) FROM {table} WHERE account_id = ?", [account_id])[0][0]
        if n:
            parts.append(f"{n} {one if n == 1 else many}")
    children = db.fetch("SELECT COUNT(*) FROM account WHERE parent_id = ?", [account_id])[0][0]
    if children:
        parts.append(f"{children} child account{'s' if children != 1 else ''} lose their parent")
    return parts


def delete_account(db: Database, account_id: int) -> None:
    with db.session() as s:
        account = s.get(m.Account, account_id)
        if account is None:
            raise NotFoundError("this account no longer exists (deleted elsewhere?)")
        s.delete(account)


def account_names(db: Database) -> list[str]:
    return [r[0] for r in db.fetch("SELECT name FROM account ORDER BY lower(name)")]


def field_text(account: m.Account, name: str, lookups: Mapping[str, str] | None = None) -> str:
    """The value of a field as a person would type it (the inverse of parsing)."""
    from kamtui.money import format_amount

    lookups = lookups or {}
    if name in ("parent", "owner"):
        return lookups.get(name, "")
    value = getattr(account, name)
    if value is None:
        return ""
    if name.endswith("_minor"):
        return format_amount(value, cents=value % 100 != 0)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def lookups_for(db: Database, account: m.Account) -> dict[str, str]:
    """Names behind the account's references (parent, owner)."""
    out = {"parent": "", "owner": ""}
    if account.parent_id is not None:
        rows = db.fetch("SELECT name FROM account WHERE id = ?", [account.parent_id])
        out["parent"] = rows[0][0] if rows else ""
    if account.owner_id is not None:
        rows = db.fetch("SELECT name FROM person WHERE id = ?", [account.owner_id])
        out["owner"] = rows[0][0] if rows else ""
    return out


# --- the account screen's plain data -------------------------------------------------------------


@dataclass(frozen=True)
class AccountView:
    """Everything the account screen's head and Profile show, as text, plus the version
    an edit must name. Read in one short session."""

    id: int
    version: int
    name: str
    status: str
    status_since: dt.date | None
    stage: int | None
    stage_label: str
    owner: str
    fields: dict[str, str]  # ACCOUNT_FIELDS name -> the text a person would type

    @property
    def head(self) -> str:
        """The account at a glance: status (and since), stage, owner."""
        since = f" since {self.status_since.isoformat()}" if self.status_since else ""
        stage = f"stage {self.stage}: {self.stage_label}" if self.stage else "no stage yet"
        owner = f"owner {self.owner}" if self.owner else "no owner"
        return f"{self.status}{since} · {owner} · {stage}"


def account_view(db: Database, account_id: int) -> AccountView:
    """The account as the screen shows it; NotFoundError when it is gone. A read-only
    session: it opens even while another program is saving."""
    with db.reading() as s:
        account = s.get(m.Account, account_id)
        if account is None:
            raise NotFoundError("this account no longer exists (deleted elsewhere?)")
        lookups = {"parent": "", "owner": ""}
        if account.parent_id is not None:
            parent = s.get(m.Account, account.parent_id)
            lookups["parent"] = parent.name if parent else ""
        if account.owner_id is not None:
            person = s.get(m.Person, account.owner_id)
            lookups["owner"] = person.name if person else ""
        assert account.id is not None and account.version is not None
        return AccountView(
            id=account.id,
            version=account.version,
            name=account.name,
            status=account.status,
            status_since=account.status_since,
            stage=account.stage,
            stage_label=m.STAGES.get(account.stage, "") if account.stage else "",
            owner=lookups["owner"],
            fields={name: field_text(account, name, lookups) for name in ACCOUNT_FIELDS},
        )


def person_names(db: Database) -> list[str]:
    return [r[0] for r in db.fetch("SELECT name FROM person ORDER BY lower(name)")]
