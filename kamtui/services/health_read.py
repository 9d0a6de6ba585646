"""Health scores read from the database (``health`` holds the pure rules): for the
Accounts view's Health / Score / Rank columns, the lifecycle cards and the account screen.
One set-based read (``account_facts.read_facts``), never a query per account."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import NamedTuple

from kamtui.db import Database
from kamtui.services.account_facts import read_facts
from kamtui.services.health import Health, health, health_scores


class HealthCells(NamedTuple):
    """What the Accounts view adds to a row: health 0–100, matrix total, matrix rank."""

    health: int
    score: float | None
    rank: int  # 0: not ranked (not a candidate, or no model)


def health_cells(db: Database, today: dt.date) -> dict[int, HealthCells]:
    facts = read_facts(db, today)
    scores = health_scores(facts.accounts, today)
    return {
        a.id: HealthCells(h, a.score, a.rank) for a, h in zip(facts.accounts, scores, strict=True)
    }


def health_of(db: Database, today: dt.date, ids: Iterable[int] | None = None) -> dict[int, Health]:
    """The health (with parts) of these accounts (every one without ``ids``)."""
    facts = read_facts(db, today)
    wanted = None if ids is None else set(ids)
    return {a.id: health(a, today) for a in facts.accounts if wanted is None or a.id in wanted}


def account_health(db: Database, today: dt.date, account_id: int) -> Health | None:
    facts = read_facts(db, today, account_id)
    return health(facts.accounts[0], today) if facts.accounts else None
