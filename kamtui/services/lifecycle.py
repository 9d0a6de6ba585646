"""The six stages of a key account's life (seed 002): moves, history, time and checks.

A move records a ``StageChange`` (from, to, when, note) and updates ``Account.stage`` and
``stage_since`` in one transaction, refused if the account changed since it was read.
Each stage has a check derived from data the program holds; a card warns about every
failed check of its stage and the stages before it (what held at stage 1 still matters
at stage 5).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from kamtui import models as m
from kamtui.db import Database
from kamtui.errors import ValidationError
from kamtui.services.economics import last_four_quarters
from kamtui.services.scoring import account_totals

STAGE_PURPOSE: dict[int, str] = {
    1: "They chose us for price, proximity, relationships, quality or another reason — know "
    "which one. A relationship built on price will swing on price: add value beyond it.",
    2: "Sales spike and receivables start to build. Investigate the account well: poor "
    "information leads to poor decisions about the credit risk.",
    3: "Support the account's growing appetite with new products: a key account manager "
    "forecasts with them, manages capacity and the flight risk.",
    4: "Cross-company relationships grow with the revenue: presidents talk to presidents, "
    "VPs to VPs. Without them the account can melt down.",
    5: "They weigh the benefit of working with us against the price. Hold regular "
    "monthly or quarterly reviews: their needs, last review's actions, the value delivered.",
    6: "When every stage was managed well the account is profitable: keep up the good work. "
    "Key-account profit is an evolution, not a revolution.",
}

CHECK_TEXT: dict[int, str] = {
    1: "why they buy is recorded",
    2: "receivables grow no faster than revenue",
    3: "a key account manager is assigned",
    4: "a peer (at most one level below) at each of their levels, 2+ levels",
    5: "review cadence kept (next review set, not overdue)",
    6: "nothing overdue",
}

PASS, FAIL, UNKNOWN = "pass", "fail", "unknown"
GLYPH = {PASS: "✓", FAIL: "✗", UNKNOWN: "?"}
RECEIVABLES_TOLERANCE = 5  # percent by which receivables may outgrow revenue
RECENT_PERIODS = 4


@dataclass(frozen=True)
class StageRow:
    """One key account on the board: plain data."""

    id: int
    name: str
    stage: int | None  # None: never placed (shown in stage 1, marked unstaged)
    stage_since: dt.date | None
    version: int
    owner: str
    revenue: int  # last four quarters, minor units
    score: float | None  # the matrix total (scoring.account_totals); None: no model
    checks: tuple[tuple[int, str], ...]  # (stage, PASS/FAIL/UNKNOWN) for stages 1..6

    def days_in_stage(self, today: dt.date) -> int | None:
        return (today - self.stage_since).days if self.stage_since else None

    @property
    def column(self) -> int:
        return self.stage or 1

    @property
    def failed(self) -> list[int]:
        """Failed checks of this stage and the stages before it."""
        return [s for s, result in self.checks if result == FAIL and s <= self.column]


def _date(value: object) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


# --- checks --------------------------------------------------------------------------------


def receivables_check(periods: Sequence[tuple[int, int]]) -> str:
    """``periods``: (revenue, receivables), oldest first. FAIL when receivables outgrew revenue.

    Compares the first and last of the recent periods: receivables per unit of revenue
    rising by more than the tolerance means the money owed builds up faster than sales.
    """
    recent = list(periods)[-RECENT_PERIODS:]
    if len(recent) < 2:
        return UNKNOWN
    (rev0, rec0), (rev1, rec1) = recent[0], recent[-1]
    if rev0 <= 0 or rev1 <= 0:
        return UNKNOWN
    # rec1/rev1 > rec0/rev0 * (1 + tolerance)   in integers
    if rec1 * rev0 * 100 > rec0 * rev1 * (100 + RECEIVABLES_TOLERANCE):
        return FAIL
    return PASS


def relationship_check(contacts: Iterable[tuple[str, str | None]]) -> str:
    """Contacts (their level, our counterpart's level or None): the peer coverage grid's
    check (``relationships.peer_check``: a peer at each level that matters, 2+ levels)."""
    from kamtui.services.relationships import peer_check

    return peer_check(contacts)


def review_check(next_review: dt.date | None, today: dt.date) -> str:
    return PASS if next_review is not None and next_review >= today else FAIL


def stage_checks(
    *,
    why_buy: str | None,
    periods: Sequence[tuple[int, int]],
    owner_id: int | None,
    contacts: Iterable[tuple[str, str | None]],
    next_review: dt.date | None,
    overdue_actions: int,
    today: dt.date,
) -> tuple[tuple[int, str], ...]:
    return (
        (1, PASS if why_buy else FAIL),
        (2, receivables_check(periods)),
        (3, PASS if owner_id is not None else FAIL),
        (4, relationship_check(contacts)),
        (5, review_check(next_review, today)),
        (6, PASS if overdue_actions == 0 else FAIL),
    )


# --- reading the board ------------------------------------------------------------------------


def board_rows(db: Database, today: dt.date, account_id: int | None = None) -> list[StageRow]:
    """Key accounts with their stage, revenue, score and checks (a few bulk queries)."""
    where, params = "a.status = 'key'", []
    if account_id is not None:
        where, params = "a.id = ?", [account_id]
    accounts = db.fetch(
        "SELECT a.id, a.name, a.stage, a.stage_since, a.version, COALESCE(p.name, ''), "
        "a.why_buy, a.owner_id, a.next_review FROM account a "
        f"LEFT JOIN person p ON p.id = a.owner_id WHERE {where}",
        params,
    )
    if not accounts:
        return []
    ids = [a[0] for a in accounts]
    marks = ",".join("?" * len(ids))
    start, end = last_four_quarters(today)
    periods: dict[int, list[tuple[int, int]]] = {}
    revenue: dict[int, int] = {}
    for aid, start_day, rev, rec in db.fetch(
        "SELECT account_id, period_start, revenue_minor, receivables_minor FROM account_period "
        f"WHERE account_id IN ({marks}) AND period_start < ? ORDER BY account_id, period_start",
        [*ids, today.isoformat()],
    ):
        periods.setdefault(aid, []).append((rev, rec))
        if start.isoformat() <= str(start_day)[:10] < end.isoformat():
            revenue[aid] = revenue.get(aid, 0) + rev
    contacts: dict[int, list[tuple[str, str | None]]] = {}
    for aid, level, counterpart in db.fetch(
        "SELECT c.account_id, c.level, p.level FROM contact c "
        f"LEFT JOIN person p ON p.id = c.counterpart_id WHERE c.account_id IN ({marks})",
        ids,
    ):
        contacts.setdefault(aid, []).append((level, counterpart))
    overdue = dict(
        db.fetch(
            "SELECT account_id, COUNT(*) FROM action WHERE status != 'done' AND due < ? "
            f"AND account_id IN ({marks}) GROUP BY account_id",
            [today.isoformat(), *ids],
        )
    )
    scores = account_totals(db, today, ids)
    rows = []
    for aid, name, stage, since, version, owner, why_buy, owner_id, next_review in accounts:
        checks = stage_checks(
            why_buy=why_buy,
            periods=periods.get(aid, []),
            owner_id=owner_id,
            contacts=contacts.get(aid, []),
            next_review=_date(next_review),
            overdue_actions=overdue.get(aid, 0),
            today=today,
        )
        rows.append(
            StageRow(
                aid, name, stage, _date(since), version, owner, revenue.get(aid, 0),
                scores.get(aid), checks,
            )
        )  # fmt: skip
    return rows


# --- moving --------------------------------------------------------------------------------


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def move_stage(
    db: Database, account_id: int, version: int, to_stage: int, note: str, today: dt.date
) -> m.Account:
    """Move the account to ``to_stage`` if it is still at ``version``; the move is kept."""
    if to_stage not in m.STAGES:
        raise ValidationError("stage", "Stage: must be a number from 1 to 6")
    with db.edit(m.Account, account_id, version, "account") as (s, account):
        if account.stage == to_stage:
            raise ValidationError("stage", f"Stage: the account is in stage {to_stage} already")
        s.add(
            m.StageChange(
                account_id=account_id,
                moved_at=dt.datetime.combine(today, _now().time()),
                from_stage=account.stage,
                to_stage=to_stage,
                note=note.strip(),
            )
        )
        account.stage = to_stage
        account.stage_since = today
        account.updated_at = _now()
    return account


@dataclass(frozen=True)
class StageMove:
    moved_at: dt.datetime
    from_stage: int | None
    to_stage: int | None
    note: str

    @property
    def text(self) -> str:
        if self.from_stage is None:
            return f"placed in stage {self.to_stage}"
        return f"stage {self.from_stage} → {self.to_stage}"


def stage_history(db: Database, account_id: int) -> list[StageMove]:
    """Every move of the account, newest first."""
    return [
        StageMove(
            r[0] if isinstance(r[0], dt.datetime) else dt.datetime.fromisoformat(str(r[0])),
            r[1],
            r[2],
            r[3],
        )
        for r in db.fetch(
            "SELECT moved_at, from_stage, to_stage, note FROM stage_change "
            "WHERE account_id = ? ORDER BY moved_at DESC, id DESC",
            [account_id],
        )
    ]


def time_in_stages(
    moves: Sequence[StageMove], stage: int | None, since: dt.date | None, today: dt.date
) -> dict[int, int]:
    """Days spent in each stage, from the history (moves newest first) up to today."""
    spent: dict[int, int] = {}
    chronological = sorted(moves, key=lambda mv: mv.moved_at)
    for i, move in enumerate(chronological):
        if move.to_stage is None:
            continue
        end = chronological[i + 1].moved_at.date() if i + 1 < len(chronological) else today
        days = max(0, (end - move.moved_at.date()).days)
        spent[move.to_stage] = spent.get(move.to_stage, 0) + days
    if not chronological and stage is not None and since is not None:
        spent[stage] = (today - since).days
    return spent
