"""Attack plans (seed 003): objectives in OKR form and the actions that pursue them.

An objective has a key result (metric, baseline, target, current value), an owner and a
due date; its progress is the share of the key result reached and the share of its
actions done. An action has an account, optionally an objective, an owner (one of our
people), a due date, a priority and a status (todo · doing · blocked · done); moving it
to done stamps the done date, moving it back clears it.

Lists are read a page at a time in board order, straight from the indexes, so a
kanban column of 50,000 actions costs what one of 50 does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from kamtui import models as m
from kamtui.db import Database
from kamtui.errors import NotFoundError, ValidationError
from kamtui.services import fields as f

STATUS_LABEL = {"todo": "To do", "doing": "Doing", "blocked": "Blocked", "done": "Done"}
OPEN = ("todo", "doing", "blocked")
OVERDUE_GLYPH = "!"  # one cell wide everywhere; overdue cards are also coloured
PRIORITY_GLYPH = {"high": "▲", "medium": "", "low": "▽"}


def _decimal(raw: str) -> Decimal | None:
    value = raw.strip().replace(",", "").replace("%", "")
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise ValueError(f"{raw.strip()!r} is not a number") from None
    if not number.is_finite():
        raise ValueError(f"{raw.strip()!r} is not a number")
    return number


ACTION_FIELDS: dict[str, f.FieldSpec] = {
    s.name: s
    for s in (
        f.FieldSpec("title", "Action", f.text(required=True, max_length=300)),
        f.FieldSpec("account", "Account", f.text(required=True), "account name"),
        f.FieldSpec("objective", "Objective", f.text(max_length=300), "objective title (optional)"),
        f.FieldSpec("owner", "Owner", f.text(), "one of our people"),
        f.FieldSpec("due", "Due", f.date, "YYYY-MM-DD"),
        f.FieldSpec("priority", "Priority", f.choice(m.PRIORITIES), " / ".join(m.PRIORITIES)),
        f.FieldSpec("status", "Status", f.choice(m.ACTION_STATUSES), " / ".join(m.ACTION_STATUSES)),
        f.FieldSpec("notes", "Notes", f.long_text),
    )
}

OBJECTIVE_FIELDS: dict[str, f.FieldSpec] = {
    s.name: s
    for s in (
        f.FieldSpec(
            "title",
            "Objective",
            f.text(required=True, max_length=300),
            "what you want to achieve (required)",
        ),
        f.FieldSpec("account", "Account", f.text(required=True), "account name"),
        f.FieldSpec("metric", "Key result metric", f.text(), "e.g. revenue k€ / year"),
        f.FieldSpec("baseline", "Baseline", _decimal, "where we start"),
        f.FieldSpec("target", "Target", _decimal, "where we want to be"),
        f.FieldSpec("current", "Current value", _decimal, "where we are now"),
        f.FieldSpec("owner", "Owner", f.text(), "one of our people"),
        f.FieldSpec("due", "Due", f.date, "YYYY-MM-DD"),
    )
}


def _date(value: object) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


# --- rows --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionRow:
    id: int
    title: str
    account_id: int
    account: str
    objective_id: int | None
    objective: str
    owner_id: int | None
    owner: str
    due: dt.date | None
    priority: str
    status: str
    done_on: dt.date | None
    version: int

    def overdue(self, today: dt.date) -> bool:
        return self.status != "done" and self.due is not None and self.due < today


ACTION_SELECT = (
    "SELECT x.id, x.title, x.account_id, a.name, x.objective_id, COALESCE(o.title, ''), "
    "x.owner_id, COALESCE(p.name, ''), x.due, x.priority, x.status, x.done_on, x.version "
    "FROM action x JOIN account a ON a.id = x.account_id "
    "LEFT JOIN objective o ON o.id = x.objective_id LEFT JOIN person p ON p.id = x.owner_id "
)


def _action(r: tuple[Any, ...]) -> ActionRow:
    return ActionRow(
        r[0],
        r[1],
        r[2],
        r[3],
        r[4],
        r[5],
        r[6],
        r[7],
        _date(r[8]),
        r[9],
        r[10],
        _date(r[11]),
        r[12],
    )


@dataclass(frozen=True)
class ActionFilter:
    """What the kanban shows. Empty: everything."""

    account_id: int | None = None
    owner_id: int | None = None
    overdue: bool = False
    this_week: bool = False

    def where(self, today: dt.date) -> tuple[str, list[Any]]:
        parts: list[str] = []
        params: list[Any] = []
        if self.account_id is not None:
            parts.append("x.account_id = ?")
            params.append(self.account_id)
        if self.owner_id is not None:
            parts.append("x.owner_id = ?")
            params.append(self.owner_id)
        if self.overdue:
            parts.append("x.status != 'done' AND x.due < ?")
            params.append(today.isoformat())
        if self.this_week:
            monday, sunday = week_bounds(today)
            parts.append("x.due >= ? AND x.due <= ?")
            params += [monday.isoformat(), sunday.isoformat()]
        return (" AND ".join(parts) or "1=1"), params

    @property
    def empty(self) -> bool:
        return self == ActionFilter()


def matches(db: Database, action_id: int, flt: ActionFilter, today: dt.date) -> bool:
    """Does the action pass the filter?"""
    where, params = flt.where(today)
    return bool(
        db.fetch(f"SELECT 1 FROM action x WHERE x.id = ? AND {where}", [action_id, *params])
    )


def _flag(field: str, label: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in ("", "n", "no", "false", "0"):
        return False
    if value in ("y", "yes", "true", "1", "x"):
        return True
    raise ValidationError(field, f"{label}: write yes or no")


def parse_filter(db: Database, raw: Mapping[str, str]) -> tuple[ActionFilter, str]:
    """A filter from typed values (account, owner, overdue, week) and a description of it."""
    account_id = owner_id = None
    words = []
    if name := raw.get("account", "").strip():
        rows = db.fetch("SELECT id, name FROM account WHERE lower(name) = lower(?)", [name])
        if not rows:
            raise ValidationError("account", f"Account: no account named {name!r}")
        account_id, name = rows[0]
        words.append(f"account {name}")
    if name := raw.get("owner", "").strip():
        rows = db.fetch("SELECT id, name FROM person WHERE lower(name) = lower(?)", [name])
        if not rows:
            raise ValidationError("owner", f"Owner: no person named {name!r}")
        owner_id, name = rows[0]
        words.append(f"owner {name}")
    overdue = _flag("overdue", "Only overdue", raw.get("overdue", ""))
    week = _flag("week", "Only due this week", raw.get("week", ""))
    if overdue:
        words.append("overdue")
    if week:
        words.append("due this week")
    return ActionFilter(account_id, owner_id, overdue, week), ", ".join(words)


def week_bounds(today: dt.date) -> tuple[dt.date, dt.date]:
    monday = today - dt.timedelta(days=today.weekday())
    return monday, monday + dt.timedelta(days=6)


def column_counts(db: Database, flt: ActionFilter, today: dt.date) -> dict[str, tuple[int, int]]:
    """status → (actions, overdue actions) under the filter.

    Two queries that each follow the (status, due) index: counting with a CASE per row
    costs four times as much on 100,000 actions.
    """
    where, params = flt.where(today)
    out = {s: (0, 0) for s in m.ACTION_STATUSES}
    for status, n in db.fetch(
        f"SELECT x.status, COUNT(*) FROM action x WHERE {where} GROUP BY x.status", params
    ):
        out[status] = (int(n), 0)
    for status, late in db.fetch(
        "SELECT x.status, COUNT(*) FROM action x WHERE x.status IN ('todo', 'doing', 'blocked') "
        f"AND x.due < ? AND {where} GROUP BY x.status",
        [today.isoformat(), *params],
    ):
        out[status] = (out[status][0], int(late))
    return out


# Board order: open columns by due date (soonest, so overdue, first; undated last);
# done by due date, newest first. Both follow the (status, due) index.
def _order(status: str) -> tuple[str, str]:
    return ("DESC", "DESC") if status == "done" else ("ASC", "ASC")


def dated_count(
    db: Database, status: str, flt: ActionFilter, today: dt.date, total: int | None = None
) -> int:
    """How many actions of the column have a due date (they come before the undated).

    With the column's ``total`` known, only the undated are counted (a short index range).
    """
    where, params = flt.where(today)
    undated = int(
        db.fetch(
            f"SELECT COUNT(*) FROM action x WHERE x.status = ? AND x.due IS NULL AND {where}",
            [status, *params],
        )[0][0]
    )
    if total is None:
        total = int(
            db.fetch(
                f"SELECT COUNT(*) FROM action x WHERE x.status = ? AND {where}", [status, *params]
            )[0][0]
        )
    return total - undated


def action_page(
    db: Database,
    status: str,
    flt: ActionFilter,
    today: dt.date,
    offset: int,
    limit: int,
    dated: int | None = None,
) -> list[ActionRow]:
    """Actions ``offset``..``offset+limit`` of one kanban column, in board order.

    ``dated`` (the column's ``dated_count``) saves a count when the caller knows it.
    """
    where, params = flt.where(today)
    direction, _ = _order(status)
    if dated is None:
        dated = dated_count(db, status, flt, today)
    rows: list[tuple[Any, ...]] = []
    if offset < dated:
        rows += db.fetch(
            ACTION_SELECT + f"WHERE x.status = ? AND x.due IS NOT NULL AND {where} "
            f"ORDER BY x.due {direction}, x.id {direction} LIMIT ? OFFSET ?",
            [status, *params, limit, offset],
        )
    if len(rows) < limit:
        rest = limit - len(rows)
        start = max(0, offset - dated)
        rows += db.fetch(
            ACTION_SELECT + f"WHERE x.status = ? AND x.due IS NULL AND {where} "
            f"ORDER BY x.id {direction} LIMIT ? OFFSET ?",
            [status, *params, rest, start],
        )
    return [_action(r) for r in rows]


def position_of(db: Database, row: ActionRow, flt: ActionFilter, today: dt.date) -> int:
    """Where ``row`` sits in its column's board order (0 = top)."""
    where, params = flt.where(today)
    newer = row.status == "done"
    cmp = ">" if newer else "<"
    if row.due is not None:
        sql = (
            f"SELECT COUNT(*) FROM action x WHERE x.status = ? AND {where} AND x.due IS NOT NULL "
            f"AND (x.due {cmp} ? OR (x.due = ? AND x.id {cmp} ?))"
        )
        return int(
            db.fetch(sql, [row.status, *params, row.due.isoformat(), row.due.isoformat(), row.id])[
                0
            ][0]
        )
    dated = db.fetch(
        f"SELECT COUNT(*) FROM action x WHERE x.status = ? AND {where} AND x.due IS NOT NULL",
        [row.status, *params],
    )[0][0]
    before = db.fetch(
        f"SELECT COUNT(*) FROM action x WHERE x.status = ? AND {where} AND x.due IS NULL AND x.id {cmp} ?",
        [row.status, *params, row.id],
    )[0][0]
    return int(dated) + int(before)


def get_action(db: Database, action_id: int) -> ActionRow:
    rows = db.fetch(ACTION_SELECT + "WHERE x.id = ?", [action_id])
    if not rows:
        raise NotFoundError("this action no longer exists (deleted elsewhere?)")
    return _action(rows[0])


def list_actions(db: Database, today: dt.date, account_id: int | None = None) -> list[ActionRow]:
    """Actions (of one account, or all), open ones first, by due date."""
    where, params = (
        ("WHERE x.account_id = ? ", [account_id]) if account_id is not None else ("", [])
    )
    rows = db.fetch(
        ACTION_SELECT + where + "ORDER BY x.status = 'done', x.due IS NULL, x.due, x.id", params
    )
    return [_action(r) for r in rows]


# --- editing actions -----------------------------------------------------------------------------


def _resolve(s: Any, model: Any, field: str, label: str, name: str | None) -> int | None:
    from sqlmodel import func, select

    if not name:
        return None
    found = s.exec(select(model.id).where(func.lower(model.name) == name.lower())).first()
    if found is None:
        raise ValidationError(field, f"{label}: no {label.lower()} named {name!r}")
    return int(found)


def _resolve_objective(s: Any, account_id: int, title: str | None) -> int | None:
    from sqlmodel import func, select

    if not title:
        return None
    found = s.exec(
        select(m.Objective.id).where(
            m.Objective.account_id == account_id, func.lower(m.Objective.title) == title.lower()
        )
    ).first()
    if found is None:
        raise ValidationError("objective", f"Objective: this account has no objective {title!r}")
    return int(found)


def _parse(
    specs: Mapping[str, f.FieldSpec],
    raw: Mapping[str, str],
    required: Mapping[str, str],
    *,
    new: bool,
) -> tuple[dict[str, Any], f.Problems]:
    """The typed values parsed, and every problem found so far (bad values, a required
    field left empty): the caller adds the lookups' problems and raises them together."""
    problems = f.Problems()
    values: dict[str, Any] = {}
    for name, typed in raw.items():
        if name in specs:
            with problems.check():
                values[name] = f.parse_value(specs[name], typed)
    for name, message in required.items():
        if (new or name in raw) and name not in problems.errors and not values.get(name):
            problems.add(name, message)
    return values, problems


ACTION_REQUIRED = {
    "title": "Action: cannot be empty",
    "account": "Account: say which account the action is for",
}
OBJECTIVE_REQUIRED = {
    "title": "Objective: cannot be empty",
    "account": "Account: say which account the objective is for",
}


def _apply_owner_account(s: Any, row: Any, values: Mapping[str, Any], problems: f.Problems) -> None:
    """Resolve the account and owner named (each problem kept, not raised)."""
    if values.get("account"):
        with problems.check():
            account_id = _resolve(s, m.Account, "account", "Account", values["account"])
            assert account_id is not None
            row.account_id = account_id
    if "owner" in values:
        with problems.check():
            row.owner_id = _resolve(s, m.Person, "owner", "Owner", values["owner"])


def _apply_action(
    s: Any, action: m.Action, values: Mapping[str, Any], today: dt.date, problems: f.Problems
) -> None:
    _apply_owner_account(s, action, values, problems)
    if "objective" in values and "account" not in problems.errors:
        with problems.check():
            action.objective_id = _resolve_objective(s, action.account_id, values["objective"])
    problems.raise_any()  # inside the session: nothing is written
    for name in ("title", "due", "priority", "notes"):
        if name in values:
            setattr(action, name, values[name])
    if "status" in values:
        _set_status(action, values["status"], today)


def _set_status(action: m.Action, status: str, today: dt.date) -> None:
    if status == "done" and action.status != "done":
        action.done_on = today
    elif status != "done":
        action.done_on = None
    action.status = status


def create_action(db: Database, raw: Mapping[str, str], today: dt.date) -> ActionRow:
    """A new action; every problem with what was typed is raised at once."""
    values, problems = _parse(ACTION_FIELDS, raw, ACTION_REQUIRED, new=True)
    with db.session() as s:
        action = m.Action(
            title=values.get("title") or "", account_id=0, status="todo", priority="medium"
        )
        _apply_action(s, action, values, today, problems)
        s.add(action)
        s.flush()
        new_id = action.id
    assert new_id is not None
    return get_action(db, new_id)


def _edit_action(db: Database, action_id: int, version: int, change: Any) -> ActionRow:
    with db.edit(m.Action, action_id, version, "action") as (s, action):
        change(s, action)
    return get_action(db, action_id)


def update_action(
    db: Database, action_id: int, version: int, raw: Mapping[str, str], today: dt.date
) -> ActionRow:
    values, problems = _parse(ACTION_FIELDS, raw, ACTION_REQUIRED, new=False)
    return _edit_action(
        db, action_id, version, lambda s, a: _apply_action(s, a, values, today, problems)
    )


def move_action(
    db: Database, action_id: int, version: int, status: str, today: dt.date
) -> ActionRow:
    """Move to another kanban column; done stamps today's date, leaving done clears it."""
    if status not in m.ACTION_STATUSES:
        raise ValidationError(
            "status", f"Status: {status!r} is not one of {', '.join(m.ACTION_STATUSES)}"
        )
    return _edit_action(db, action_id, version, lambda s, a: _set_status(a, status, today))


def delete_action(db: Database, action_id: int) -> None:
    with db.session() as s:
        action = s.get(m.Action, action_id)
        if action is None:
            raise NotFoundError("this action no longer exists (deleted elsewhere?)")
        s.delete(action)


def action_values(row: ActionRow) -> dict[str, str]:
    """An action as a person would type it (for the edit form)."""
    return {
        "title": row.title,
        "account": row.account,
        "objective": row.objective,
        "owner": row.owner,
        "due": row.due.isoformat() if row.due else "",
        "priority": row.priority,
        "status": row.status,
        "notes": "",
    }


# --- objectives ------------------------------------------------------------------------------------


def kr_progress(
    baseline: Decimal | None, target: Decimal | None, current: Decimal | None
) -> Decimal | None:
    """Share of the key result reached (0–1), from baseline towards target; None if unknown."""
    if target is None or current is None:
        return None
    start = baseline if baseline is not None else Decimal(0)
    if target == start:
        return Decimal(1) if current == target else None
    share = (current - start) / (target - start)
    return max(Decimal(0), min(Decimal(1), share))


@dataclass(frozen=True)
class ObjectiveRow:
    id: int
    account_id: int
    account: str
    title: str
    metric: str
    baseline: Decimal | None
    target: Decimal | None
    current: Decimal | None
    owner: str
    due: dt.date | None
    version: int
    actions: int
    actions_done: int

    @property
    def kr_share(self) -> Decimal | None:
        return kr_progress(self.baseline, self.target, self.current)

    @property
    def done_share(self) -> Decimal | None:
        return Decimal(self.actions_done) / self.actions if self.actions else None

    def progress_text(self) -> str:
        kr = self.kr_share
        done = self.done_share
        parts = [
            f"KR {kr * 100:.0f}%" if kr is not None else "KR –",
            f"actions {self.actions_done}/{self.actions}" if self.actions else "no actions",
        ]
        del done
        return " · ".join(parts)

    def key_result_text(self) -> str:
        def num(d: Decimal | None) -> str:
            return "–" if d is None else f"{d.normalize():f}"

        metric = self.metric or "key result"
        return f"{metric}: {num(self.baseline)} → {num(self.target)}, now {num(self.current)}"


def _dec(value: object) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def objective_titles(db: Database, account: str) -> list[str]:
    """The titles of the objectives of the account named ``account`` (any case): what an
    action's objective may be."""
    rows = db.fetch(
        "SELECT o.title FROM objective o JOIN account a ON a.id = o.account_id "
        "WHERE lower(a.name) = lower(?) ORDER BY lower(o.title)",
        [" ".join(account.split())],
    )
    return [r[0] for r in rows]


def list_objectives(db: Database, account_id: int | None = None) -> list[ObjectiveRow]:
    where, params = (
        ("WHERE o.account_id = ? ", [account_id]) if account_id is not None else ("", [])
    )
    rows = db.fetch(
        "SELECT o.id, o.account_id, a.name, o.title, o.metric, o.baseline, o.target, o.current, "
        "COALESCE(p.name, ''), o.due, o.version, "
        "(SELECT COUNT(*) FROM action x WHERE x.objective_id = o.id), "
        "(SELECT COUNT(*) FROM action x WHERE x.objective_id = o.id AND x.status = 'done') "
        "FROM objective o JOIN account a ON a.id = o.account_id "
        f"LEFT JOIN person p ON p.id = o.owner_id {where}ORDER BY o.due IS NULL, o.due, o.id",
        params,
    )
    return [
        ObjectiveRow(
            r[0], r[1], r[2], r[3], r[4], _dec(r[5]), _dec(r[6]), _dec(r[7]), r[8], _date(r[9]),
            r[10], r[11], r[12],
        )
        for r in rows
    ]  # fmt: skip


def _apply_objective(
    s: Any, objective: m.Objective, values: Mapping[str, Any], problems: f.Problems
) -> None:
    _apply_owner_account(s, objective, values, problems)
    problems.raise_any()  # inside the session: nothing is written
    for name in ("title", "metric", "baseline", "target", "current", "due"):
        if name in values:
            setattr(objective, name, values[name])


def create_objective(db: Database, raw: Mapping[str, str]) -> m.Objective:
    values, problems = _parse(OBJECTIVE_FIELDS, raw, OBJECTIVE_REQUIRED, new=True)
    with db.session() as s:
        objective = m.Objective(title=values.get("title") or "", account_id=0)
        _apply_objective(s, objective, values, problems)
        s.add(objective)
    return objective


def update_objective(
    db: Database, objective_id: int, version: int, raw: Mapping[str, str]
) -> m.Objective:
    values, problems = _parse(OBJECTIVE_FIELDS, raw, OBJECTIVE_REQUIRED, new=False)
    with db.edit(m.Objective, objective_id, version, "objective") as (s, objective):
        _apply_objective(s, objective, values, problems)
    return objective


def objective_values(row: ObjectiveRow) -> dict[str, str]:
    def num(d: Decimal | None) -> str:
        return "" if d is None else f"{d.normalize():f}"

    return {
        "title": row.title,
        "account": row.account,
        "metric": row.metric,
        "baseline": num(row.baseline),
        "target": num(row.target),
        "current": num(row.current),
        "owner": row.owner,
        "due": row.due.isoformat() if row.due else "",
    }
