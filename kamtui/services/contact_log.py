"""The contact log of an account (seeds 000 and 004: dialogue, measured involvement).

A dated entry for each meeting, call or e-mail: its kind, their contacts present, our
people, a summary and a follow-up that can become an attack-plan action. The
relationship map's "last contact" comes from here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kamtui import models as m
from kamtui.db import Database
from kamtui.errors import NotFoundError, StaleError, ValidationError
from kamtui.services import fields as f

LOG_FIELDS: dict[str, f.FieldSpec] = {
    s.name: s
    for s in (
        f.FieldSpec("happened_on", "Date", f.date, "YYYY-MM-DD"),
        f.FieldSpec("kind", "Kind", f.choice(m.LOG_KINDS), " / ".join(m.LOG_KINDS)),
        f.FieldSpec("contacts", "Their people", f.text(max_length=2000), "names, comma-separated"),
        f.FieldSpec("people", "Our people", f.text(max_length=2000), "names, comma-separated"),
        f.FieldSpec("summary", "Summary", f.text(max_length=4000)),
        f.FieldSpec("follow_up", "Follow-up", f.text(max_length=300), "`a` makes it an action"),
    )
}
CHOICES: dict[str, tuple[str, ...]] = {"kind": m.LOG_KINDS}


def _day(value: object) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


@dataclass(frozen=True)
class LogRow:
    id: int
    version: int
    happened_on: dt.date
    kind: str
    contacts: tuple[str, ...]
    people: tuple[str, ...]
    summary: str
    follow_up: str
    action_id: int | None
    action: str

    @property
    def values(self) -> dict[str, str]:
        return {
            "happened_on": self.happened_on.isoformat(), "kind": self.kind,
            "contacts": ", ".join(self.contacts), "people": ", ".join(self.people),
            "summary": self.summary, "follow_up": self.follow_up,
        }  # fmt: skip


def list_entries(db: Database, account_id: int, limit: int | None = None) -> list[LogRow]:
    """The account's entries, newest first."""
    rows = db.fetch(
        "SELECT l.id, l.version, l.happened_on, l.kind, l.summary, l.follow_up, l.action_id, "
        "COALESCE(x.title, '') FROM contact_log l LEFT JOIN action x ON x.id = l.action_id "
        "WHERE l.account_id = ? ORDER BY l.happened_on DESC, l.id DESC"
        + (f" LIMIT {int(limit)}" if limit else ""),
        [account_id],
    )
    if not rows:
        return []
    theirs: dict[int, list[str]] = {}
    ours: dict[int, list[str]] = {}
    for lid, name in db.fetch(
        "SELECT lc.log_id, c.name FROM contact_log_contact lc JOIN contact c ON c.id = lc.contact_id"
        " JOIN contact_log l ON l.id = lc.log_id WHERE l.account_id = ? ORDER BY c.name",
        [account_id],
    ):
        theirs.setdefault(lid, []).append(name)
    for lid, name in db.fetch(
        "SELECT lp.log_id, p.name FROM contact_log_person lp JOIN person p ON p.id = lp.person_id"
        " JOIN contact_log l ON l.id = lp.log_id WHERE l.account_id = ? ORDER BY p.name",
        [account_id],
    ):
        ours.setdefault(lid, []).append(name)
    return [
        LogRow(
            r[0], r[1], _day(r[2]), r[3], tuple(theirs.get(r[0], ())), tuple(ours.get(r[0], ())),
            r[4], r[5], r[6], r[7],
        )
        for r in rows
    ]  # fmt: skip


def split_names(raw: str) -> list[str]:
    return list(dict.fromkeys(n.strip() for n in raw.replace(";", ",").split(",") if n.strip()))


def _resolve(
    s: Any, model: Any, names: Sequence[str], field: str, label: str, **where: Any
) -> list[int]:
    from sqlmodel import func, select

    ids = []
    for name in names:
        q = select(model.id).where(func.lower(model.name) == name.lower())
        for column, value in where.items():
            q = q.where(getattr(model, column) == value)
        found = s.exec(q).first()
        if found is None:
            raise ValidationError(field, f"{label}: nobody named {name!r}")
        ids.append(found)
    return list(dict.fromkeys(ids))


def _set_links(s: Any, log_id: int, model: Any, column: str, ids: Sequence[int]) -> None:
    from sqlmodel import select

    have = {
        getattr(link, column): link for link in s.exec(select(model).where(model.log_id == log_id))
    }
    for key, link in have.items():
        if key not in ids:
            s.delete(link)
    for key in ids:
        if key not in have:
            s.add(model(log_id=log_id, **{column: key}))


def save_entry(
    db: Database, account_id: int, entry_id: int | None, version: int | None, raw: Mapping[str, str]
) -> m.ContactLog:
    from sqlalchemy.orm.exc import StaleDataError

    values = f.parse_all(LOG_FIELDS, raw, unknown="refuse")
    if entry_id is None and values.get("happened_on") is None:
        raise ValidationError("happened_on", "Date: when was it? (YYYY-MM-DD)")
    if "happened_on" in values and values["happened_on"] is None:
        raise ValidationError("happened_on", "Date: cannot be empty")
    stale = "this log entry was changed elsewhere since you opened it"
    try:
        with db.session() as s:
            if entry_id is None:
                if s.get(m.Account, account_id) is None:
                    raise NotFoundError("this account no longer exists (deleted elsewhere?)")
                entry = m.ContactLog(account_id=account_id, happened_on=values["happened_on"])
            else:
                found = s.get(m.ContactLog, entry_id)
                if found is None:
                    raise NotFoundError("this log entry no longer exists (deleted elsewhere?)")
                if found.version != version:
                    raise StaleError(stale)
                entry = found
            contacts = people = None
            if "contacts" in values:
                contacts = _resolve(
                    s, m.Contact, split_names(values.pop("contacts")), "contacts",
                    "Their people", account_id=entry.account_id,
                )  # fmt: skip
            if "people" in values:
                people = _resolve(
                    s, m.Person, split_names(values.pop("people")), "people", "Our people"
                )
            for k, v in values.items():
                setattr(entry, k, v)
            s.add(entry)
            s.flush()
            assert entry.id is not None
            if contacts is not None:
                _set_links(s, entry.id, m.ContactLogContact, "contact_id", contacts)
            if people is not None:
                _set_links(s, entry.id, m.ContactLogPerson, "person_id", people)
            s.flush()
    except StaleDataError:
        raise StaleError(stale) from None
    return entry


def delete_entry(db: Database, entry_id: int) -> None:
    """Delete an entry with its links (through the ORM, so undo brings them back)."""
    from sqlmodel import select

    with db.session() as s:
        entry = s.get(m.ContactLog, entry_id)
        if entry is None:
            return
        for model in (m.ContactLogContact, m.ContactLogPerson):
            for link in s.exec(select(model).where(model.log_id == entry_id)):
                s.delete(link)
        s.flush()
        s.delete(entry)


def follow_up_to_action(
    db: Database, entry_id: int, version: int, raw: Mapping[str, str], today: dt.date
) -> m.Action:
    """The entry's follow-up as an attack-plan action, linked to the entry."""
    from sqlalchemy.orm.exc import StaleDataError

    from kamtui.services.swot import ACTION_FIELDS, new_action

    values = f.parse_all(ACTION_FIELDS, raw, unknown="refuse")
    stale = "this log entry was changed elsewhere since you opened it"
    try:
        with db.session() as s:
            entry = s.get(m.ContactLog, entry_id)
            if entry is None:
                raise NotFoundError("this log entry no longer exists (deleted elsewhere?)")
            if entry.version != version:
                raise StaleError(stale)
            title = values.get("title") or entry.follow_up or entry.summary[:300]
            if not title:
                raise ValidationError("title", "Action: write what is to be done")
            action = new_action(
                s, entry.account_id, title, values.get("due"),
                f"From the {entry.kind} of {entry.happened_on.isoformat()}: {entry.summary}",
            )  # fmt: skip
            entry.action_id = action.id
            if not entry.follow_up:
                entry.follow_up = title
            s.add(entry)
    except StaleDataError:
        raise StaleError(stale) from None
    return action
