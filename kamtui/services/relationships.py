"""The relationship map of one account (seed 002, stage 4; seeds 000 and 004).

Per contact: buying role, stance, influence 1–5, reports-to, our counterpart, strength
0–3 and the last contact date (from the contact log). Two ways to see it: the org tree
drawn from reports-to, and the **peer coverage grid** — their levels (board, executive,
management, operational) against our people. :func:`coverage` is the one definition of
who covers whom; the lifecycle board's stage-4 check calls :func:`peer_check`, built on
it, so the grid and the check cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kamtui import models as m
from kamtui.db import Database
from kamtui.errors import NotFoundError, StaleError, ValidationError
from kamtui.services import fields as f

TIERS = ("board", "executive", "management", "operational")
TIER_OF_LEVEL = {
    "board": 0,
    "executive": 1,
    "vp": 1,
    "director": 2,
    "manager": 2,
    "staff": 3,
}
# Stage 4 needs a peer at each of these tiers where they have people (operational
# contacts are welcome, but nobody melts down for want of a peer there).
TIERS_THAT_MATTER = (0, 1, 2)
STALE_DAYS = 90  # default; settings.stale_after_days overrides
PASS, FAIL = "pass", "fail"
STANCE_GLYPH = {"champion": "++", "supporter": "+", "neutral": "=", "sceptic": "-", "blocker": "--"}


def tier_of(level: str | None) -> int | None:
    return TIER_OF_LEVEL.get((level or "").lower())


@dataclass(frozen=True)
class Thread:
    """One contact of theirs and, if any, our counterpart for them."""

    contact: str
    level: str
    person: str | None = None
    person_level: str | None = None


@dataclass(frozen=True)
class TierCoverage:
    """One row of the peer coverage grid."""

    tier: int
    contacts: tuple[str, ...]  # their people at this tier
    covers: tuple[tuple[str, str, int | None], ...]  # (our person, their contact, our tier)

    @property
    def name(self) -> str:
        return TIERS[self.tier]

    @property
    def people(self) -> tuple[str, ...]:
        """Our people covering this tier, each once, in the order met."""
        return tuple(dict.fromkeys(p for p, _, _ in self.covers))

    @property
    def peer(self) -> bool:
        """Someone of ours at most one tier below covers someone of theirs here."""
        return any(t is not None and t <= self.tier + 1 for _, _, t in self.covers)

    @property
    def uncovered(self) -> bool:
        return bool(self.contacts) and not self.covers

    @property
    def single_threaded(self) -> bool:
        """Their people at this tier hang on one thread: one contact–counterpart pair."""
        return len(self.covers) == 1

    @property
    def too_junior(self) -> bool:
        """Covered, but only by people more than one tier below them."""
        return bool(self.covers) and not self.peer

    @property
    def flags(self) -> tuple[str, ...]:
        out = []
        if self.uncovered:
            out.append("no counterpart")
        if self.too_junior:
            out.append("counterpart too junior")
        if self.single_threaded:
            out.append("single-threaded")
        return tuple(out)


def coverage(threads: Iterable[Thread]) -> list[TierCoverage]:
    """The peer coverage grid: one row per tier, board first."""
    contacts: dict[int, list[str]] = {t: [] for t in range(len(TIERS))}
    covers: dict[int, list[tuple[str, str, int | None]]] = {t: [] for t in range(len(TIERS))}
    for th in threads:
        tier = tier_of(th.level)
        if tier is None:
            continue
        contacts[tier].append(th.contact)
        if th.person is not None:
            covers[tier].append((th.person, th.contact, tier_of(th.person_level)))
    return [TierCoverage(t, tuple(contacts[t]), tuple(covers[t])) for t in range(len(TIERS))]


def grid_check(grid: Sequence[TierCoverage]) -> str:
    """Stage 4 (presidents talk to presidents): PASS when at least two tiers have a peer
    and every tier that matters where they have people has one."""
    peered = [row for row in grid if row.peer]
    if len(peered) < 2:
        return FAIL
    for row in grid:
        if row.tier in TIERS_THAT_MATTER and row.contacts and not row.peer:
            return FAIL
    return PASS


def peer_check(pairs: Iterable[tuple[str, str | None]]) -> str:
    """The stage-4 check on (their level, our counterpart's level or None) per contact."""
    threads = (
        Thread(str(i), level, None if ours is None else f"p{i}", ours)
        for i, (level, ours) in enumerate(pairs)
    )
    return grid_check(coverage(threads))


def check_reason(grid: Sequence[TierCoverage]) -> str:
    """Why stage 4 fails, in words ("" when it passes)."""
    if grid_check(grid) == PASS:
        return ""
    missing = [
        row.name for row in grid if row.tier in TIERS_THAT_MATTER and row.contacts and not row.peer
    ]
    if missing:
        return "no peer at " + ", ".join(missing)
    return "peers at fewer than two levels"


# --- staleness --------------------------------------------------------------------------------


def stale_after(db: Database) -> int:
    rows = db.fetch("SELECT stale_after_days FROM settings WHERE id = 1")
    value = rows[0][0] if rows else None
    return int(value) if value else STALE_DAYS


def is_stale(last: dt.date | None, today: dt.date, days: int = STALE_DAYS) -> bool:
    """No logged contact for ``days`` days (or never) is stale."""
    return last is None or (today - last).days > days


def _day(value: object) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def last_contacts(db: Database, account_id: int) -> dict[int, dt.date]:
    """Each contact's latest logged contact (contacts never logged are absent)."""
    rows = db.fetch(
        "SELECT lc.contact_id, MAX(l.happened_on) FROM contact_log_contact lc "
        "JOIN contact_log l ON l.id = lc.log_id WHERE l.account_id = ? GROUP BY lc.contact_id",
        [account_id],
    )
    return {cid: day for cid, raw in rows if (day := _day(raw)) is not None}


# --- the map of one account --------------------------------------------------------------------


@dataclass(frozen=True)
class RelationshipRow:
    contact_id: int
    contact_version: int
    version: int | None  # the relationship row's; None: nothing set yet
    name: str
    title: str
    level: str
    counterpart: str
    counterpart_level: str | None
    buying_role: str
    stance: str
    influence: int | None
    reports_to_id: int | None
    reports_to: str
    strength: int | None
    last_contact: dt.date | None
    stale: bool

    @property
    def values(self) -> dict[str, str]:
        return {
            "buying_role": self.buying_role,
            "stance": self.stance,
            "influence": "" if self.influence is None else str(self.influence),
            "reports_to": self.reports_to,
            "counterpart": self.counterpart,
            "strength": "" if self.strength is None else str(self.strength),
        }


@dataclass(frozen=True)
class RelationshipMap:
    rows: list[RelationshipRow]
    grid: list[TierCoverage]
    check: str
    stale_days: int

    @property
    def stale(self) -> list[RelationshipRow]:
        return [r for r in self.rows if r.stale]


def relationship_map(db: Database, account_id: int, today: dt.date) -> RelationshipMap:
    rows = db.fetch(
        "SELECT c.id, c.version, r.version, c.name, c.title, c.level, COALESCE(p.name, ''), "
        "p.level, COALESCE(r.buying_role, ''), COALESCE(r.stance, ''), r.influence, "
        "r.reports_to_id, COALESCE(b.name, ''), r.strength FROM contact c "
        "LEFT JOIN contact_relationship r ON r.contact_id = c.id "
        "LEFT JOIN person p ON p.id = c.counterpart_id "
        "LEFT JOIN contact b ON b.id = r.reports_to_id "
        "WHERE c.account_id = ? ORDER BY c.name, c.id",
        [account_id],
    )
    days = stale_after(db)
    last = last_contacts(db, account_id)
    out = []
    for r in rows:
        seen = last.get(r[0])
        out.append(
            RelationshipRow(
                r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12],
                r[13], seen, is_stale(seen, today, days),
            )
        )  # fmt: skip
    grid = coverage(
        Thread(r.name, r.level, r.counterpart or None, r.counterpart_level) for r in out
    )
    return RelationshipMap(out, grid, grid_check(grid), days)


def org_tree(rows: Sequence[RelationshipRow]) -> list[tuple[str, RelationshipRow]]:
    """(prefix, row) in tree order: each contact under the one they report to; people
    whose manager is not on the list (or who form a loop) start a tree of their own."""
    ids = {r.contact_id for r in rows}
    children: dict[int | None, list[RelationshipRow]] = {}
    for r in rows:
        parent = r.reports_to_id if r.reports_to_id in ids else None
        children.setdefault(parent, []).append(r)
    for kids in children.values():
        kids.sort(key=lambda r: (tier_of(r.level) or 9, r.name))
    out: list[tuple[str, RelationshipRow]] = []
    placed: set[int] = set()

    def walk(row: RelationshipRow, lead: str, last: bool, root: bool) -> None:
        placed.add(row.contact_id)
        out.append((lead + ("" if root else "└─ " if last else "├─ "), row))
        kids = [k for k in children.get(row.contact_id, []) if k.contact_id not in placed]
        below = lead + ("" if root else "   " if last else "│  ")
        for i, kid in enumerate(kids):
            walk(kid, below, i == len(kids) - 1, False)

    for r in children.get(None, []):
        walk(r, "", True, True)
    for r in rows:  # loops: nobody in them has a root
        if r.contact_id not in placed:
            walk(r, "", True, True)
    return out


# --- editing -------------------------------------------------------------------------------


RELATIONSHIP_FIELDS: dict[str, f.FieldSpec] = {
    s.name: s
    for s in (
        f.FieldSpec(
            "buying_role",
            "Buying role",
            f.choice(m.BUYING_ROLES, optional=True),
            " / ".join(m.BUYING_ROLES),
        ),
        f.FieldSpec("stance", "Stance", f.choice(m.STANCES, optional=True), " / ".join(m.STANCES)),
        f.FieldSpec("influence", "Influence 1–5", f.rating(1, 5), "1 little … 5 decides"),
        f.FieldSpec("reports_to", "Reports to", f.text(), "another contact of this account"),
        f.FieldSpec("counterpart", "Our counterpart", f.text(), "one of our people"),
        f.FieldSpec("strength", "Relationship strength 0–3", f.rating(0, 3), "0 none … 3 strong"),
    )
}
CHOICES: dict[str, tuple[str, ...]] = {"buying_role": m.BUYING_ROLES, "stance": m.STANCES}


def _reports_loop(s: Any, contact_id: int, boss_id: int) -> bool:
    seen = {contact_id}
    current: int | None = boss_id
    while current is not None:
        if current in seen:
            return True
        seen.add(current)
        rel = s.get(m.ContactRelationship, current)
        current = rel.reports_to_id if rel is not None else None
    return False


def save_relationship(
    db: Database,
    contact_id: int,
    contact_version: int,
    version: int | None,
    raw: Mapping[str, str],
) -> m.ContactRelationship:
    """Set the contact's place in the map (and our counterpart, kept on the contact),
    refused if the contact or its map row changed since they were read."""
    from sqlalchemy.orm.exc import StaleDataError
    from sqlmodel import func, select

    values = f.parse_all(RELATIONSHIP_FIELDS, raw, unknown="refuse")
    stale = "this contact was changed elsewhere since you opened it"
    try:
        with db.session() as s:
            contact = s.get(m.Contact, contact_id)
            if contact is None:
                raise NotFoundError("this contact no longer exists (deleted elsewhere?)")
            rel = s.get(m.ContactRelationship, contact_id)
            if (rel.version if rel is not None else None) != version:
                raise StaleError(stale)
            if "counterpart" in values:
                if contact.version != contact_version:
                    raise StaleError(stale)
                who = values.pop("counterpart")
                person = None
                if who:
                    person = s.exec(
                        select(m.Person.id).where(func.lower(m.Person.name) == who.lower())
                    ).first()
                    if person is None:
                        raise ValidationError(
                            "counterpart", f"Our counterpart: nobody named {who!r}"
                        )
                if person != contact.counterpart_id:
                    contact.counterpart_id = person
                    s.add(contact)
            if rel is None:
                rel = m.ContactRelationship(contact_id=contact_id)
            if "reports_to" in values:
                boss_name = values.pop("reports_to")
                boss = None
                if boss_name:
                    boss = s.exec(
                        select(m.Contact.id).where(
                            m.Contact.account_id == contact.account_id,
                            func.lower(m.Contact.name) == boss_name.lower(),
                        )
                    ).first()
                    if boss is None:
                        raise ValidationError(
                            "reports_to",
                            f"Reports to: no contact of this account named {boss_name!r}",
                        )
                    if boss == contact_id or _reports_loop(s, contact_id, boss):
                        raise ValidationError(
                            "reports_to", "Reports to: that would make a loop in the org tree"
                        )
                rel.reports_to_id = boss
            for k, v in values.items():
                setattr(rel, k, v)
            s.add(rel)
            s.flush()
    except StaleDataError:
        raise StaleError(stale) from None
    return rel


def detach_contact(s: Any, contact_id: int) -> None:
    """Before a contact is deleted: remove what points at it through the ORM (so undo
    brings it all back), not through the database's cascades."""
    from sqlmodel import select

    rel = s.get(m.ContactRelationship, contact_id)
    if rel is not None:
        s.delete(rel)
    for other in s.exec(
        select(m.ContactRelationship).where(m.ContactRelationship.reports_to_id == contact_id)
    ):
        other.reports_to_id = None
        s.add(other)
    for link in s.exec(
        select(m.ContactLogContact).where(m.ContactLogContact.contact_id == contact_id)
    ):
        s.delete(link)
    for step in s.exec(select(m.BuyingStep).where(m.BuyingStep.customer_owner_id == contact_id)):
        step.customer_owner_id = None
        s.add(step)
    s.flush()
