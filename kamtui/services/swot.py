"""An account's SWOT (seed 003): strengths, weaknesses, opportunities and threats, each
point gauged High / Medium / Low and seen from one of two sides — *about the customer*
or *the customer's view of us* — with an optional link to the action that answers it.

A High weakness or threat with no open action is flagged: it is where the plan must act.
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

QUADRANT_TITLE = {
    "strength": "Strengths",
    "weakness": "Weaknesses",
    "opportunity": "Opportunities",
    "threat": "Threats",
}
PRIORITY_ORDER = {"high": 0, "medium": 1, "low": 2}
PRIORITY_WORD = {"high": "High", "medium": "Medium", "low": "Low"}
PERSPECTIVE_WORD = {"customer": "about them", "us": "their view of us"}
PERSPECTIVE_SHORT = {"customer": "them", "us": "us"}
FLAG = "⚑"

SWOT_FIELDS: dict[str, f.FieldSpec] = {
    s.name: s
    for s in (
        f.FieldSpec(
            "quadrant", "Quadrant", f.choice(m.SWOT_QUADRANTS), " / ".join(m.SWOT_QUADRANTS)
        ),
        f.FieldSpec("text", "Point", f.text(required=True, max_length=500)),
        f.FieldSpec("priority", "Priority", f.choice(m.PRIORITIES), "high / medium / low"),
        f.FieldSpec(
            "perspective",
            "Perspective",
            f.choice(m.SWOT_PERSPECTIVES),
            "customer: about them · us: their view of us",
        ),
    )
}
CHOICES: dict[str, tuple[str, ...]] = {
    "quadrant": m.SWOT_QUADRANTS,
    "priority": m.PRIORITIES,
    "perspective": m.SWOT_PERSPECTIVES,
}


@dataclass(frozen=True)
class SwotRow:
    id: int
    version: int
    quadrant: str
    text: str
    priority: str
    perspective: str
    action_id: int | None
    action: str  # the linked action's title, "" when none
    action_status: str | None
    position: int

    @property
    def flagged(self) -> bool:
        """A High weakness or threat that no open action answers."""
        return (
            self.quadrant in ("weakness", "threat")
            and self.priority == "high"
            and (self.action_id is None or self.action_status == "done")
        )

    @property
    def values(self) -> dict[str, str]:
        return {
            "quadrant": self.quadrant,
            "text": self.text,
            "priority": self.priority,
            "perspective": self.perspective,
        }


def sort_key(row: SwotRow) -> tuple[int, int, int]:
    return (PRIORITY_ORDER.get(row.priority, 9), row.position, row.id)


def list_points(db: Database, account_id: int) -> list[SwotRow]:
    """The account's points, each quadrant's sorted by priority (High first)."""
    rows = db.fetch(
        "SELECT s.id, s.version, s.quadrant, s.text, s.priority, s.perspective, s.action_id, "
        "COALESCE(x.title, ''), x.status, s.position FROM swot_point s "
        "LEFT JOIN action x ON x.id = s.action_id WHERE s.account_id = ?",
        [account_id],
    )
    points = [SwotRow(*r) for r in rows]
    order = {q: i for i, q in enumerate(m.SWOT_QUADRANTS)}
    return sorted(points, key=lambda p: (order.get(p.quadrant, 9), *sort_key(p)))


def by_quadrant(points: list[SwotRow]) -> dict[str, list[SwotRow]]:
    out: dict[str, list[SwotRow]] = {q: [] for q in m.SWOT_QUADRANTS}
    for p in points:
        out.setdefault(p.quadrant, []).append(p)
    for rows in out.values():
        rows.sort(key=sort_key)
    return out


def _edit(db: Database, point_id: int, version: int) -> Any:
    return db.edit(m.SwotPoint, point_id, version, "SWOT point")


def save_point(
    db: Database, account_id: int, point_id: int | None, version: int | None, raw: Mapping[str, str]
) -> m.SwotPoint:
    values = f.parse_all(SWOT_FIELDS, raw, unknown="refuse")
    if point_id is None:
        if not values.get("text"):
            raise ValidationError("text", "Point: cannot be empty")
        if not values.get("quadrant"):
            raise ValidationError("quadrant", "Quadrant: " + " / ".join(m.SWOT_QUADRANTS))
        from sqlmodel import func, select

        with db.session() as s:
            if s.get(m.Account, account_id) is None:
                raise NotFoundError("this account no longer exists (deleted elsewhere?)")
            top = s.exec(
                select(func.max(m.SwotPoint.position)).where(m.SwotPoint.account_id == account_id)
            ).one()
            point = m.SwotPoint(
                account_id=account_id,
                quadrant=values["quadrant"],
                text=values["text"],
                priority=values.get("priority") or "medium",
                perspective=values.get("perspective") or "customer",
                position=(top or 0) + 1,
            )
            s.add(point)
            s.flush()
        return point
    assert version is not None
    with _edit(db, point_id, version) as (_s, point):
        for k, v in values.items():
            setattr(point, k, v)
    return point


def shift_priority(db: Database, point_id: int, version: int, step: int) -> m.SwotPoint:
    """``step`` +1 raises the priority (low → medium → high), -1 lowers it."""
    with _edit(db, point_id, version) as (_s, point):
        i = m.PRIORITIES.index(point.priority) if point.priority in m.PRIORITIES else 1
        j = i - step  # PRIORITIES run high → low
        if not 0 <= j < len(m.PRIORITIES):
            word = "High" if step > 0 else "Low"
            raise ValidationError("priority", f"Priority: already {word}")
        point.priority = m.PRIORITIES[j]
    return point


def delete_point(db: Database, point_id: int) -> None:
    with db.session() as s:
        point = s.get(m.SwotPoint, point_id)
        if point is not None:
            s.delete(point)


ACTION_FIELDS: dict[str, f.FieldSpec] = {
    s.name: s
    for s in (
        f.FieldSpec("title", "Action", f.text(max_length=300)),
        f.FieldSpec("due", "Due", f.date, "YYYY-MM-DD, optional"),
    )
}


def new_action(
    s: Any, account_id: int, title: str, due: dt.date | None, notes: str, priority: str = "medium"
) -> m.Action:
    """An attack-plan action (to do, owned by the account's owner), last of its column."""
    from sqlmodel import func, select

    account = s.get(m.Account, account_id)
    if account is None:
        raise NotFoundError("this account no longer exists (deleted elsewhere?)")
    top = s.exec(
        select(func.max(m.Action.position)).where(
            m.Action.account_id == account_id, m.Action.status == "todo"
        )
    ).one()
    action = m.Action(
        account_id=account_id, title=title, owner_id=account.owner_id, due=due, status="todo",
        priority=priority if priority in m.PRIORITIES else "medium", position=(top or 0) + 1,
        notes=notes,
    )  # fmt: skip
    s.add(action)
    s.flush()
    return action


def point_to_action(
    db: Database, point_id: int, version: int, raw: Mapping[str, str], today: dt.date
) -> m.Action:
    """Turn a SWOT point into an attack-plan action that answers it (linked both ways:
    the point names its action; the action's notes quote the point)."""
    from sqlalchemy.orm.exc import StaleDataError

    values = f.parse_all(ACTION_FIELDS, raw, unknown="refuse")
    try:
        with db.session() as s:
            point = s.get(m.SwotPoint, point_id)
            if point is None:
                raise NotFoundError("this SWOT point no longer exists (deleted elsewhere?)")
            if point.version != version:
                raise StaleError("this SWOT point was changed elsewhere since you opened it")
            title = values.get("title") or point.text[:300]
            word = point.quadrant
            action = new_action(
                s, point.account_id, title, values.get("due"),
                f"From the SWOT ({PRIORITY_WORD.get(point.priority, '')} {word}, "
                f"{today.isoformat()}): {point.text}", point.priority,
            )  # fmt: skip
            point.action_id = action.id
            s.add(point)
    except StaleDataError:
        raise StaleError("this SWOT point was changed elsewhere since you opened it") from None
    return action
