"""Reviews: "Do we still like you?" (seed 002, stage 5; seed 004).

Each key account has a review cadence. ``Account.next_review`` is the one date that says
when the next review is due: it follows from the last review held (by cadence, clipped
to the month's end), can be set by hand, and moves when the cadence changes. A review
row is created when the user starts the review, from the checklist template in the
settings; completing it records the date held, the rating and a summary, and schedules
the next one.

Plain functions, one short transaction each; "today" is always passed in.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from kamtui import models as m
from kamtui.db import Database
from kamtui.errors import KamError, NotFoundError, StaleError, ValidationError
from kamtui.services import fields as f
from kamtui.services.economics import add_months

DEFAULT_TEMPLATE: tuple[str, ...] = (
    "Assess their current needs",
    "Follow up the last review's actions",
    "Present the value delivered since the last review",
    "Check satisfaction and feedback",
    "Agree next actions",
    "Confirm the lifecycle stage",
    "Revisit the scores",
)
CADENCE_MONTHS: dict[str, int | None] = {
    "monthly": 1,
    "quarterly": 3,
    "half-yearly": 6,
    "none": None,
}
RATINGS = {
    1: "very unhappy",
    2: "unhappy",
    3: "neutral",
    4: "happy",
    5: "very happy",
}
MAX_TEMPLATE_ITEMS = 30

VALUE_FIELDS: dict[str, f.FieldSpec] = {
    s.name: s
    for s in (
        f.FieldSpec("delivered_on", "Date", f.date, "YYYY-MM-DD"),
        f.FieldSpec("description", "What we delivered", f.text(required=True, max_length=500)),
        f.FieldSpec("amount_minor", "Value (amount)", f.money(allow_negative=False), "optional"),
    )
}
ACTION_FIELDS: dict[str, f.FieldSpec] = {
    s.name: s
    for s in (
        f.FieldSpec("title", "Action", f.text(required=True, max_length=300)),
        f.FieldSpec("due", "Due", f.date, "YYYY-MM-DD, optional"),
    )
}
COMPLETE_FIELDS: dict[str, f.FieldSpec] = {
    s.name: s
    for s in (
        f.FieldSpec("held_on", "Held on", f.date, "YYYY-MM-DD"),
        f.FieldSpec("rating", "Satisfaction 1–5", f.rating(1, 5), "1 very unhappy … 5 very happy"),
        f.FieldSpec("summary", "Summary", f.long_text, "what was said and agreed"),
    )
}
SCHEDULE_FIELDS: dict[str, f.FieldSpec] = {
    s.name: s
    for s in (
        f.FieldSpec("review_cadence", "Cadence", f.choice(m.CADENCES), " / ".join(m.CADENCES)),
        f.FieldSpec("next_review", "Next review", f.date, "YYYY-MM-DD; empty = by cadence"),
    )
}


def _date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _parse(specs: Mapping[str, f.FieldSpec], raw: Mapping[str, str]) -> dict[str, Any]:
    return f.parse_all(specs, raw)


# --- scheduling rules (pure) -------------------------------------------------------------------


def next_after(held_on: dt.date, cadence: str) -> dt.date | None:
    """The review after one held on ``held_on``: Jan 31 + 1 month = Feb 28 (29 in leap years)."""
    if cadence not in CADENCE_MONTHS:
        raise ValidationError(
            "review_cadence", f"Cadence: {cadence!r} is not one of {', '.join(m.CADENCES)}"
        )
    months = CADENCE_MONTHS[cadence]
    return None if months is None else add_months(held_on, months)


def reschedule(
    cadence: str, last_held: dt.date | None, current: dt.date | None, today: dt.date
) -> dt.date | None:
    """The next review after a change of cadence.

    - ``none``: no next review.
    - after a review was held: the last one held plus the new cadence (it may be overdue
      straight away, which is the truth: a monthly account not seen for two months is late);
    - never reviewed: today plus the cadence, or the date already set if that is sooner.
    """
    months = CADENCE_MONTHS.get(cadence)
    if cadence not in CADENCE_MONTHS:
        raise ValidationError(
            "review_cadence", f"Cadence: {cadence!r} is not one of {', '.join(m.CADENCES)}"
        )
    if months is None:
        return None
    if last_held is not None:
        return add_months(last_held, months)
    proposed = add_months(today, months)
    return min(current, proposed) if current is not None else proposed


def due_state(next_review: dt.date, today: dt.date) -> str:
    """'overdue', 'today', 'month' (later this month) or 'upcoming'."""
    if next_review < today:
        return "overdue"
    if next_review == today:
        return "today"
    if (next_review.year, next_review.month) == (today.year, today.month):
        return "month"
    return "upcoming"


def due_text(next_review: dt.date, today: dt.date) -> str:
    """Words and a glyph, never colour alone: '⚠ overdue 12d', '● due today', '◆ due in 5d'
    (later this month), 'in 40d' (upcoming)."""
    state = due_state(next_review, today)
    days = (next_review - today).days
    if state == "overdue":
        return f"⚠ overdue {-days}d"
    if state == "today":
        return "● due today"
    if state == "month":
        return f"◆ due in {days}d"
    return f"in {days}d" if days < 60 else f"in {days // 30}mo"


# --- the template ------------------------------------------------------------------------------


def parse_template(raw: str | None) -> list[str]:
    if not raw:
        return list(DEFAULT_TEMPLATE)
    try:
        items = json.loads(raw)
    except ValueError:
        return list(DEFAULT_TEMPLATE)
    if not isinstance(items, list):
        return list(DEFAULT_TEMPLATE)
    clean = [str(i).strip() for i in items if str(i).strip()]
    return clean or list(DEFAULT_TEMPLATE)


def get_template(db: Database) -> list[str]:
    rows = db.fetch("SELECT review_template FROM settings WHERE id = 1")
    return parse_template(rows[0][0] if rows else None)


def save_template(db: Database, items: Sequence[str]) -> list[str]:
    """Save the checklist template (one point per entry). Empty entries are dropped."""
    clean = [i.strip() for i in items if i.strip()]
    if not clean:
        raise ValidationError("template", "Template: write at least one point")
    if len(clean) > MAX_TEMPLATE_ITEMS:
        raise ValidationError("template", f"Template: at most {MAX_TEMPLATE_ITEMS} points")
    for item in clean:
        if len(item) > 500:
            raise ValidationError("template", "Template: a point is longer than 500 characters")
    with db.session() as s:
        settings = s.get(m.Settings, 1)
        if settings is None:
            settings = m.Settings(id=1)
        settings.review_template = json.dumps(clean, ensure_ascii=False)
        s.add(settings)
    return clean


# --- schedule of one account -------------------------------------------------------------------


def last_held(db: Database, account_id: int) -> dt.date | None:
    rows = db.fetch(
        "SELECT MAX(held_on) FROM review WHERE account_id = ? AND status = 'done'", [account_id]
    )
    return _date(rows[0][0]) if rows else None


def set_schedule(
    db: Database, account_id: int, version: int, raw: Mapping[str, str], today: dt.date
) -> m.Account:
    """Change the cadence and/or set the next review by hand.

    A date typed by the user wins. A new cadence with no date typed reschedules by
    ``reschedule``. An empty date with an unchanged cadence means "by cadence" too.
    """
    from sqlalchemy.orm.exc import StaleDataError

    values = _parse(SCHEDULE_FIELDS, raw)
    held = last_held(db, account_id)
    try:
        with db.session() as s:
            account = s.get(m.Account, account_id)
            if account is None:
                raise NotFoundError("this account no longer exists (deleted elsewhere?)")
            if account.version != version:
                raise StaleError("this account was changed elsewhere since you opened it")
            cadence = values.get("review_cadence") or account.review_cadence
            if "next_review" in values:
                typed = values["next_review"]
                account.next_review = (
                    typed if typed is not None else reschedule(cadence, held, None, today)
                )
            elif cadence != account.review_cadence:
                account.next_review = reschedule(cadence, held, account.next_review, today)
            account.review_cadence = cadence
            s.add(account)
    except StaleDataError:
        raise StaleError("this account was changed elsewhere since you opened it") from None
    return account


# --- the reviews list --------------------------------------------------------------------------


@dataclass(frozen=True)
class DueRow:
    """One line of the Reviews view: an account with a review to hold."""

    account_id: int
    name: str
    status: str
    cadence: str
    next_review: dt.date
    owner: str
    last_held: dt.date | None
    last_rating: int | None
    open_review_id: int | None
    open_actions: int


DUE_SQL = """
WITH c AS (
    SELECT id FROM account WHERE next_review IS NOT NULL
    UNION SELECT account_id FROM review WHERE status = 'open'
)
SELECT a.id, a.name, a.status, a.review_cadence,
       COALESCE(a.next_review, (SELECT MIN(o.scheduled_for) FROM review o
                                WHERE o.account_id = a.id AND o.status = 'open')),
       COALESCE(p.name, ''), h.held_on, h.rating,
       (SELECT MIN(o.id) FROM review o WHERE o.account_id = a.id AND o.status = 'open'),
       (SELECT COUNT(*) FROM action x WHERE x.account_id = a.id AND x.status != 'done')
FROM c
JOIN account a ON a.id = c.id
LEFT JOIN person p ON p.id = a.owner_id
LEFT JOIN review h ON h.id = (
    SELECT r.id FROM review r WHERE r.account_id = a.id AND r.status = 'done'
    ORDER BY r.held_on DESC, r.id DESC LIMIT 1)
"""


def list_due(db: Database, today: dt.date) -> list[DueRow]:
    """Every account with a next review (or one in progress), soonest first."""
    out = []
    for r in db.fetch(DUE_SQL):
        when = _date(r[4]) or today
        out.append(
            DueRow(r[0], r[1], r[2], r[3], when, r[5], _date(r[6]), r[7], r[8], int(r[9] or 0))
        )
    out.sort(key=lambda row: (row.next_review, row.name.lower()))
    return out


def due_counts(rows: Sequence[DueRow], today: dt.date) -> dict[str, int]:
    counts = {"overdue": 0, "today": 0, "month": 0, "upcoming": 0}
    for row in rows:
        counts[due_state(row.next_review, today)] += 1
    return counts


# --- one review ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemRow:
    id: int
    position: int
    text: str
    done: bool
    note: str
    version: int


@dataclass(frozen=True)
class ActionRow:
    id: int
    title: str
    status: str
    due: dt.date | None
    owner: str
    review_id: int | None
    done_on: dt.date | None


@dataclass(frozen=True)
class ValueRow:
    id: int
    delivered_on: dt.date
    description: str
    amount_minor: int | None


@dataclass(frozen=True)
class ReviewDetail:
    """Everything the review screen shows, read in one go."""

    id: int
    account_id: int
    account_name: str
    account_stage: int | None
    cadence: str
    next_review: dt.date | None
    scheduled_for: dt.date | None
    held_on: dt.date | None
    status: str
    rating: int | None
    summary: str
    version: int
    previous_held: dt.date | None
    previous_rating: int | None
    items: list[ItemRow] = field(default_factory=list)
    carried: list[ActionRow] = field(default_factory=list)  # from earlier reviews
    agreed: list[ActionRow] = field(default_factory=list)  # made in this review
    values: list[ValueRow] = field(default_factory=list)  # delivered since the last review

    @property
    def is_open(self) -> bool:
        return self.status == "open"

    @property
    def unticked(self) -> list[ItemRow]:
        return [i for i in self.items if not i.done]

    @property
    def value_total(self) -> int:
        return sum(v.amount_minor or 0 for v in self.values)


def start_review(db: Database, account_id: int, today: dt.date) -> int:
    """The open review of the account, created from the template if there is none."""
    template = get_template(db)
    with db.session() as s:
        from sqlmodel import select

        account = s.get(m.Account, account_id)
        if account is None:
            raise NotFoundError("this account no longer exists (deleted elsewhere?)")
        found = s.exec(
            select(m.Review.id)
            .where(m.Review.account_id == account_id, m.Review.status == "open")
            .order_by(m.Review.id)  # type: ignore[arg-type]
        ).first()
        if found is not None:
            return int(found)
        review = m.Review(
            account_id=account_id, scheduled_for=account.next_review or today, status="open"
        )
        s.add(review)
        s.flush()
        assert review.id is not None
        for position, text in enumerate(template):
            s.add(m.ReviewItem(review_id=review.id, position=position, text=text[:500]))
        return review.id


ACTION_SQL = """
SELECT x.id, x.title, x.status, x.due, COALESCE(p.name, ''), x.review_id, x.done_on
FROM action x LEFT JOIN person p ON p.id = x.owner_id
"""
STATUS_ORDER = {"blocked": 0, "doing": 1, "todo": 2, "done": 3}


def _actions(rows: Sequence[tuple[Any, ...]]) -> list[ActionRow]:
    out = [ActionRow(r[0], r[1], r[2], _date(r[3]), r[4], r[5], _date(r[6])) for r in rows]
    out.sort(key=lambda a: (STATUS_ORDER.get(a.status, 9), a.due or dt.date.max, a.id))
    return out


def _previous_done(db: Database, account_id: int, before_id: int | None) -> tuple[Any, ...] | None:
    """The last review held before review ``before_id`` (or the last one at all)."""
    sql = "SELECT id, held_on, rating FROM review WHERE account_id = ? AND status = 'done'"
    params: list[Any] = [account_id]
    if before_id is not None:
        sql += " AND id != ?"
        params.append(before_id)
        held = db.fetch("SELECT held_on, status FROM review WHERE id = ?", [before_id])
        if held and held[0][1] == "done":
            sql += " AND (held_on < ? OR (held_on = ? AND id < ?))"
            params += [held[0][0], held[0][0], before_id]
    sql += " ORDER BY held_on DESC, id DESC LIMIT 1"
    rows = db.fetch(sql, params)
    return rows[0] if rows else None


def carried_actions(db: Database, account_id: int, review_id: int | None) -> list[ActionRow]:
    """Actions from earlier reviews to follow up: every one still open, with its status,
    and the previous review's actions finished since (so they can be reported as done)."""
    previous = _previous_done(db, account_id, review_id)
    previous_id = previous[0] if previous else -1
    rows = db.fetch(
        ACTION_SQL + " WHERE x.account_id = ? AND x.review_id IS NOT NULL AND x.review_id != ?"
        " AND (x.status != 'done' OR x.review_id = ?)",
        [account_id, review_id if review_id is not None else -1, previous_id],
    )
    return _actions(rows)


def values_since(db: Database, account_id: int, since: dt.date | None) -> list[ValueRow]:
    sql = "SELECT id, delivered_on, description, amount_minor FROM value_delivered WHERE account_id = ?"
    params: list[Any] = [account_id]
    if since is not None:
        sql += " AND delivered_on > ?"
        params.append(since.isoformat())
    sql += " ORDER BY delivered_on, id"
    return [ValueRow(r[0], _date(r[1]) or dt.date.min, r[2], r[3]) for r in db.fetch(sql, params)]


def get_review(db: Database, review_id: int) -> ReviewDetail:
    rows = db.fetch(
        "SELECT r.id, r.account_id, a.name, a.stage, a.review_cadence, a.next_review,"
        " r.scheduled_for, r.held_on, r.status, r.rating, r.summary, r.version"
        " FROM review r JOIN account a ON a.id = r.account_id WHERE r.id = ?",
        [review_id],
    )
    if not rows:
        raise NotFoundError("this review no longer exists (deleted elsewhere?)")
    r = rows[0]
    account_id = r[1]
    previous = _previous_done(db, account_id, review_id)
    previous_held = _date(previous[1]) if previous else None
    items = [
        ItemRow(i[0], i[1], i[2], bool(i[3]), i[4], i[5])
        for i in db.fetch(
            "SELECT id, position, text, done, note, version FROM review_item"
            " WHERE review_id = ? ORDER BY position, id",
            [review_id],
        )
    ]
    agreed = _actions(db.fetch(ACTION_SQL + " WHERE x.review_id = ?", [review_id]))
    held = _date(r[7])
    values = values_since(db, account_id, previous_held)
    if held is not None:
        values = [v for v in values if v.delivered_on <= held]
    return ReviewDetail(
        id=r[0], account_id=account_id, account_name=r[2], account_stage=r[3], cadence=r[4],
        next_review=_date(r[5]), scheduled_for=_date(r[6]), held_on=held, status=r[8],
        rating=r[9], summary=r[10], version=r[11], previous_held=previous_held,
        previous_rating=previous[2] if previous else None, items=items,
        carried=carried_actions(db, account_id, review_id), agreed=agreed, values=values,
    )  # fmt: skip


def _open_review(s: Any, review_id: int) -> m.Review:
    review = s.get(m.Review, review_id)
    if review is None:
        raise NotFoundError("this review no longer exists (deleted elsewhere?)")
    if review.status != "open":
        raise KamError("this review is completed; it is kept as it was")
    return review


def _item(s: Any, item_id: int, version: int | None) -> m.ReviewItem:
    item = s.get(m.ReviewItem, item_id)
    if item is None:
        raise NotFoundError("this checklist point no longer exists (deleted elsewhere?)")
    if version is not None and item.version != version:
        raise StaleError("this point was changed elsewhere since you opened the review")
    _open_review(s, item.review_id)
    return item


def _guarded(fn: Any) -> Any:
    """Turn SQLAlchemy's StaleDataError into our one-line StaleError."""
    from functools import wraps

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from sqlalchemy.orm.exc import StaleDataError

        try:
            return fn(*args, **kwargs)
        except StaleDataError:
            raise StaleError("this review was changed elsewhere; reload it (ctrl+r)") from None

    return wrapper


@_guarded
def toggle_item(db: Database, item_id: int, version: int | None = None) -> m.ReviewItem:
    with db.session() as s:
        item = _item(s, item_id, version)
        item.done = not item.done
        s.add(item)
    return item


@_guarded
def set_item_note(db: Database, item_id: int, version: int | None, note: str) -> m.ReviewItem:
    note = note.strip()
    if len(note) > 2000:
        raise ValidationError("note", "Note: at most 2,000 characters")
    with db.session() as s:
        item = _item(s, item_id, version)
        item.note = note
        s.add(item)
    return item


@_guarded
def add_item(db: Database, review_id: int, text: str) -> m.ReviewItem:
    from sqlmodel import select

    text = text.strip()
    if not text:
        raise ValidationError("text", "Point: cannot be empty")
    if len(text) > 500:
        raise ValidationError("text", "Point: at most 500 characters")
    with db.session() as s:
        _open_review(s, review_id)
        rows = s.exec(
            select(m.ReviewItem.position).where(m.ReviewItem.review_id == review_id)
        ).all()
        item = m.ReviewItem(review_id=review_id, position=max(rows, default=-1) + 1, text=text)
        s.add(item)
        s.flush()
    return item


@_guarded
def set_rating(db: Database, review_id: int, rating: int | None) -> m.Review:
    if rating is not None and not 1 <= rating <= 5:
        raise ValidationError("rating", "Satisfaction: a whole number from 1 to 5")
    with db.session() as s:
        review = _open_review(s, review_id)
        review.rating = rating
        s.add(review)
    return review


@_guarded
def item_to_action(db: Database, item_id: int, raw: Mapping[str, str], today: dt.date) -> m.Action:
    """Turn a checklist point into an action on the attack plan (status to do, owned by
    the account's owner, linked to this review)."""
    from sqlmodel import func, select

    values = _parse(ACTION_FIELDS, raw)
    with db.session() as s:
        item = _item(s, item_id, None)
        title = values.get("title") or item.text
        review = s.get(m.Review, item.review_id)
        assert review is not None
        account = s.get(m.Account, review.account_id)
        if account is None:
            raise NotFoundError("this account no longer exists (deleted elsewhere?)")
        top = s.exec(
            select(func.max(m.Action.position)).where(
                m.Action.account_id == account.id, m.Action.status == "todo"
            )
        ).one()
        action = m.Action(
            account_id=review.account_id, review_id=review.id, title=title,
            owner_id=account.owner_id, due=values.get("due"), status="todo",
            position=(top or 0) + 1, notes=f"From the review of {today.isoformat()}: {item.text}",
        )  # fmt: skip
        s.add(action)
        if not item.note:
            item.note = f"→ action: {title}"
            s.add(item)
        s.flush()
    return action


def add_value(
    db: Database, account_id: int, raw: Mapping[str, str], today: dt.date
) -> m.ValueDelivered:
    """Record value delivered to the account (date defaults to today)."""
    values = _parse(VALUE_FIELDS, raw)
    if not values.get("description"):
        raise ValidationError("description", "What we delivered: cannot be empty")
    with db.session() as s:
        if s.get(m.Account, account_id) is None:
            raise NotFoundError("this account no longer exists (deleted elsewhere?)")
        record = m.ValueDelivered(
            account_id=account_id,
            delivered_on=values.get("delivered_on") or today,
            description=values["description"],
            amount_minor=values.get("amount_minor"),
        )
        s.add(record)
        s.flush()
    return record


@dataclass(frozen=True)
class Completed:
    review_id: int
    held_on: dt.date
    next_review: dt.date | None
    cadence: str


@_guarded
def complete_review(
    db: Database, review_id: int, version: int, raw: Mapping[str, str], today: dt.date
) -> Completed:
    """Record the date held (default today), the rating and a summary; schedule the next
    review by the account's cadence from the date held."""
    values = _parse(COMPLETE_FIELDS, raw)
    held_on = values.get("held_on") or today
    if held_on > today:
        raise ValidationError("held_on", "Held on: a review cannot be held in the future")
    with db.session() as s:
        review = _open_review(s, review_id)
        if review.version != version:
            raise StaleError("this review was changed elsewhere; reload it (ctrl+r)")
        rating = values.get("rating", review.rating)
        if rating is None:
            raise ValidationError("rating", "Satisfaction 1–5: rate how they feel about us")
        account = s.get(m.Account, review.account_id)
        if account is None:
            raise NotFoundError("this account no longer exists (deleted elsewhere?)")
        review.held_on = held_on
        review.rating = rating
        review.summary = values.get("summary", review.summary) or ""
        review.status = "done"
        account.next_review = next_after(held_on, account.review_cadence)
        s.add(review)
        s.add(account)
        return Completed(review_id, held_on, account.next_review, account.review_cadence)


# --- the account's past reviews ------------------------------------------------------------


def past_reviews(db: Database, account_id: int) -> list[ReviewDetail]:
    """Reviews of the account, newest first (an open one first of all)."""
    rows = db.fetch(
        "SELECT id FROM review WHERE account_id = ?"
        " ORDER BY status = 'done', held_on DESC, id DESC",
        [account_id],
    )
    return [get_review(db, r[0]) for r in rows]


def list_values(db: Database, account_id: int) -> list[ValueRow]:
    return list(reversed(values_since(db, account_id, None)))
