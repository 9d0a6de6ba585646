"""Small records that belong to an account: periods of economics, contacts; and people.

The same optimistic-concurrency rule as accounts: an edit names the version it read.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from sqlmodel import SQLModel, select

from kamtui import models as m
from kamtui.db import Database
from kamtui.errors import NotFoundError, StaleError, ValidationError
from kamtui.services import fields as f
from kamtui.services.economics import parse_period

T = TypeVar("T", bound=SQLModel)


def _parse_period(raw: str) -> tuple[Any, str]:
    return parse_period(raw)


PERIOD_FIELDS: dict[str, f.FieldSpec] = {
    s.name: s
    for s in (
        f.FieldSpec("period", "Period", _parse_period, "2026-Q3 or 2026-07"),
        f.FieldSpec("revenue_minor", "Revenue", f.money(required=True, allow_negative=False)),
        f.FieldSpec(
            "cost_to_serve_minor", "Cost to serve", f.money(required=True, allow_negative=False)
        ),
        f.FieldSpec("gross_profit_minor", "Gross profit", f.money(required=True)),
        f.FieldSpec("receivables_minor", "Receivables", f.money(allow_negative=False)),
    )
}

CONTACT_FIELDS: dict[str, f.FieldSpec] = {
    s.name: s
    for s in (
        f.FieldSpec("name", "Name", f.text(required=True)),
        f.FieldSpec("title", "Title", f.text()),
        f.FieldSpec("level", "Level", f.choice(m.LEVELS), " / ".join(m.LEVELS)),
        f.FieldSpec("email", "E-mail", f.text()),
        f.FieldSpec("phone", "Phone", f.text(max_length=50)),
        f.FieldSpec("counterpart", "Our counterpart", f.text(), "one of our people"),
    )
}

PERSON_FIELDS: dict[str, f.FieldSpec] = {
    s.name: s
    for s in (
        f.FieldSpec("name", "Name", f.text(required=True)),
        f.FieldSpec("role", "Role", f.text()),
        f.FieldSpec("level", "Level", f.choice(m.LEVELS), " / ".join(m.LEVELS)),
        f.FieldSpec("email", "E-mail", f.text()),
    )
}


def _save(
    db: Database,
    model: type[T],
    record_id: int | None,
    version: int | None,
    apply: Callable[[Any, T], None],
    make: Callable[[], T],
) -> T:
    from sqlalchemy.orm.exc import StaleDataError

    try:
        with db.session() as s:
            if record_id is None:
                record = make()
            else:
                found = s.get(model, record_id)
                if found is None:
                    raise NotFoundError("this record no longer exists (deleted elsewhere?)")
                if getattr(found, "version", None) != version:
                    raise StaleError("this record was changed elsewhere since you opened it")
                record = found
            apply(s, record)
            s.add(record)
            s.flush()
    except StaleDataError:
        raise StaleError("this record was changed elsewhere since you opened it") from None
    return record


# --- periods -----------------------------------------------------------------------------


def list_periods(db: Database, account_id: int) -> list[m.AccountPeriod]:
    with db.session() as s:
        q = (
            select(m.AccountPeriod)
            .where(m.AccountPeriod.account_id == account_id)
            .order_by(m.AccountPeriod.period_start.desc())  # type: ignore[attr-defined]
        )
        return list(s.exec(q))


def save_period(
    db: Database,
    account_id: int,
    period_id: int | None,
    version: int | None,
    raw: Mapping[str, str],
) -> m.AccountPeriod:
    values = f.parse_all(PERIOD_FIELDS, raw, unknown="refuse")

    def apply(s: Any, p: m.AccountPeriod) -> None:
        if "period" in values:
            start, kind = values.pop("period")
            clash = s.exec(
                select(m.AccountPeriod.id).where(
                    m.AccountPeriod.account_id == account_id,
                    m.AccountPeriod.period_start == start,
                    m.AccountPeriod.id != p.id if p.id is not None else True,
                )
            ).first()
            if clash is not None:
                raise ValidationError("period", "Period: this account has that period already")
            p.period_start, p.kind = start, kind
        for k, v in values.items():
            setattr(p, k, 0 if v is None else v)

    if period_id is None and "period" not in values:
        raise ValidationError("period", "Period: cannot be empty")
    return _save(
        db, m.AccountPeriod, period_id, version, apply,
        lambda: m.AccountPeriod(account_id=account_id, period_start=values["period"][0]),
    )  # fmt: skip


def delete_period(db: Database, period_id: int) -> None:
    with db.session() as s:
        p = s.get(m.AccountPeriod, period_id)
        if p is not None:
            s.delete(p)


# --- contacts ------------------------------------------------------------------------------


def list_contacts(db: Database, account_id: int) -> list[tuple[m.Contact, str]]:
    """Contacts with the name of our counterpart ('' when none)."""
    with db.session() as s:
        q = (
            select(m.Contact, m.Person.name)
            .join(m.Person, m.Person.id == m.Contact.counterpart_id, isouter=True)  # type: ignore[arg-type]
            .where(m.Contact.account_id == account_id)
            .order_by(m.Contact.name)
        )
        return [(c, name or "") for c, name in s.exec(q)]


def save_contact(
    db: Database,
    account_id: int,
    contact_id: int | None,
    version: int | None,
    raw: Mapping[str, str],
) -> m.Contact:
    values = f.parse_all(CONTACT_FIELDS, raw, unknown="refuse")
    if contact_id is None and not values.get("name"):
        raise ValidationError("name", "Name: cannot be empty")

    def apply(s: Any, c: m.Contact) -> None:
        for k, v in values.items():
            if k == "counterpart":
                c.counterpart_id = None
                if v:
                    found = s.exec(select(m.Person.id).where(m.Person.name == v)).first()
                    if found is None:
                        raise ValidationError("counterpart", f"Our counterpart: nobody named {v!r}")
                    c.counterpart_id = found
            else:
                setattr(c, k, v)

    return _save(
        db, m.Contact, contact_id, version, apply,
        lambda: m.Contact(account_id=account_id, name=values["name"]),
    )  # fmt: skip


def delete_contact(db: Database, contact_id: int) -> None:
    with db.session() as s:
        c = s.get(m.Contact, contact_id)
        if c is not None:
            from kamtui.services.relationships import detach_contact

            detach_contact(s, contact_id)  # its map row, log links: back with undo
            s.delete(c)


# --- people and settings --------------------------------------------------------------------


def list_people(db: Database) -> list[m.Person]:
    with db.session() as s:
        return list(s.exec(select(m.Person).order_by(m.Person.name)))


def save_person(
    db: Database, person_id: int | None, version: int | None, raw: Mapping[str, str]
) -> m.Person:
    values = f.parse_all(PERSON_FIELDS, raw, unknown="refuse")
    if person_id is None and not values.get("name"):
        raise ValidationError("name", "Name: cannot be empty")

    def apply(s: Any, p: m.Person) -> None:
        if "name" in values:
            q = select(m.Person.id).where(m.Person.name == values["name"])
            if p.id is not None:
                q = q.where(m.Person.id != p.id)
            if s.exec(q).first() is not None:
                raise ValidationError("name", f"Name: {values['name']!r} is on the team already")
        for k, v in values.items():
            setattr(p, k, v)

    return _save(db, m.Person, person_id, version, apply, lambda: m.Person(name=values["name"]))


def get_settings(db: Database) -> m.Settings:
    with db.session() as s:
        settings = s.get(m.Settings, 1)
        if settings is None:
            settings = m.Settings(id=1)
            s.add(settings)
            s.flush()
        return settings


def currency(db: Database) -> str:
    rows = db.fetch("SELECT currency FROM settings WHERE id = 1")
    return rows[0][0] if rows else "EUR"


SETTINGS_FIELDS: dict[str, f.FieldSpec] = {
    s.name: s
    for s in (
        f.FieldSpec(
            "currency", "Currency (ISO code)", f.text(required=True, max_length=3), "EUR, USD, GBP…"
        ),
        f.FieldSpec(
            "key_account_capacity",
            "Key-account capacity",
            f.count,
            "how many key accounts you can serve",
        ),
        f.FieldSpec(
            "stale_after_days",
            "Days without contact before a contact is stale",
            f.count,
            "empty: 90 (the contact log and the relationship map)",
        ),
    )
}


def save_settings(db: Database, version: int | None, raw: Mapping[str, str]) -> m.Settings:
    values = f.parse_all(SETTINGS_FIELDS, raw, unknown="refuse")
    if "currency" in values:
        code = values["currency"].upper()
        if not code.isalpha() or len(code) != 3:
            raise ValidationError("currency", "Currency: a three-letter code such as EUR")
        values["currency"] = code
    if "key_account_capacity" in values and not values["key_account_capacity"]:
        raise ValidationError("key_account_capacity", "Key-account capacity: at least 1")
    get_settings(db)  # make sure the row exists

    def apply(s: Any, settings: m.Settings) -> None:
        for k, v in values.items():
            setattr(settings, k, v)

    return _save(db, m.Settings, 1, version, apply, lambda: m.Settings(id=1))
