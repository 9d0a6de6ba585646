"""Every account's facts that the health score and the early warnings judge, read in a
few set-based queries (no query per account). Plain data; no Textual.

Each figure has one definition, shared with the view that shows it first:

- the four-quarter window and the one before it: ``economics.last_four_quarters`` /
  ``previous_four_quarters`` (the Accounts view's "4Q" columns);
- the score and rank: the active scoring model's ``load_matrix`` (``scoring_math``, the
  one formula; the matrix, the lifecycle cards and the account screen show the same);
- the next review and whether it is overdue: ``reviews.list_due`` and ``due_state``
  (view 6);
- receivables outgrowing revenue: ``lifecycle.receivables_check`` over the last
  ``lifecycle.RECENT_PERIODS`` periods before today (the stage-2 check of view 4);
- an overdue action: not done, due before today (view 5).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from kamtui.db import Database
from kamtui.services.economics import (
    add_months,
    last_four_quarters,
    previous_four_quarters,
    quarter_start,
)

# Other features plug in here (the account plan's contact log and SWOT): each module in
# EXTENSION_MODULES has ``register_warnings()``, run once before the first read, which may
# append a reader to FACT_READERS (it fills ``AccountFacts.extra`` in one set-based query),
# a rule (``early_warnings.register``) and a health part (``health.PARTS``).
EXTENSION_MODULES: tuple[str, ...] = ("kamtui.services.plan_warnings",)
FACT_READERS: list[Callable[[Database, dt.date, Facts], None]] = []
_extended = False


def load_extensions() -> None:
    global _extended
    if not _extended:
        import importlib

        _extended = True
        for name in EXTENSION_MODULES:
            importlib.import_module(name).register_warnings()


@dataclass(slots=True)
class AccountFacts:
    id: int
    name: str
    status: str
    stage: int | None
    stage_since: dt.date | None
    revenue: int = 0  # last four quarters, minor units
    profit: int = 0
    cost: int = 0
    revenue_prev: int = 0  # the four quarters before
    revenue_last_q: int = 0  # the last complete quarter
    revenue_prev_q: int = 0  # the quarter before it
    last_quarter: dt.date | None = None  # start of the last complete quarter
    periods: tuple[tuple[int, int], ...] = ()  # (revenue, receivables), recent, oldest first
    next_review: dt.date | None = None  # as view 6 has it (None: no review scheduled)
    review_cadence: str = "none"
    last_rating: int | None = None
    overdue_actions: tuple[tuple[int, dt.date], ...] = ()  # (action id, due), oldest first
    penalties: int = 0
    vetoes: str = ""
    traits: tuple[str, ...] = ()
    score: float | None = None  # the matrix total; None: no active model
    rank: int = 0  # matrix rank among candidates; 0: not ranked
    extra: dict[str, Any] = field(default_factory=dict)  # what FACT_READERS add


@dataclass
class Facts:
    today: dt.date
    accounts: list[AccountFacts]
    threshold: int | None  # the active model's; None without a model
    capacity: int
    model_name: str | None = None
    by_id: dict[int, AccountFacts] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_id = {a.id: a for a in self.accounts}

    @property
    def key_count(self) -> int:
        return sum(1 for a in self.accounts if a.status == "key")


@lru_cache(maxsize=4096)
def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text[:10])


def _date(value: object) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return _day(str(value))


ECONOMICS_SQL = """
SELECT account_id,
       SUM(CASE WHEN period_start >= ? AND period_start < ? THEN revenue_minor ELSE 0 END),
       SUM(CASE WHEN period_start >= ? AND period_start < ? THEN gross_profit_minor ELSE 0 END),
       SUM(CASE WHEN period_start >= ? AND period_start < ? THEN cost_to_serve_minor ELSE 0 END),
       SUM(CASE WHEN period_start >= ? AND period_start < ? THEN revenue_minor ELSE 0 END),
       SUM(CASE WHEN period_start >= ? AND period_start < ? THEN revenue_minor ELSE 0 END),
       SUM(CASE WHEN period_start >= ? AND period_start < ? THEN revenue_minor ELSE 0 END)
FROM account_period
WHERE period_start >= ? AND period_start < ?
GROUP BY account_id
"""

RECENT_SQL = """
SELECT account_id, revenue_minor, receivables_minor FROM (
    SELECT account_id, period_start, revenue_minor, receivables_minor,
           ROW_NUMBER() OVER (PARTITION BY account_id ORDER BY period_start DESC) AS n
    FROM account_period WHERE period_start < ?
) p WHERE n <= ? ORDER BY account_id, period_start
"""


def read_facts(db: Database, today: dt.date, account_id: int | None = None) -> Facts:
    """The facts of every account (a handful of queries, whatever the number of accounts);
    with ``account_id``, of that one (its rank is then 0: a rank needs every account)."""
    load_extensions()
    from kamtui.services.lifecycle import RECENT_PERIODS
    from kamtui.services.reviews import list_due
    from kamtui.services.scoring import load_matrix

    start, end = last_four_quarters(today)
    prev_start, _ = previous_four_quarters(today)
    last_q_end = quarter_start(today)
    last_q = add_months(last_q_end, -3)
    prev_q = add_months(last_q, -3)
    iso = [d.isoformat() for d in (start, end, prev_start, last_q, prev_q, last_q_end)]
    s, e, p, lq, pq, qe = iso
    one = [] if account_id is None else [account_id]
    only = "" if account_id is None else " AND account_id = ?"
    econ = {
        r[0]: r[1:]
        for r in db.fetch(
            ECONOMICS_SQL.replace("GROUP BY", f"{only.strip()} GROUP BY"),
            [s, e, s, e, s, e, p, s, lq, qe, pq, lq, min(p, pq), max(e, qe), *one],
        )
    }
    periods: dict[int, list[tuple[int, int]]] = {}
    recent = RECENT_SQL.replace("WHERE period_start < ?", f"WHERE period_start < ?{only}")
    for aid, rev, rec in db.fetch(recent, [today.isoformat(), *one, RECENT_PERIODS]):
        periods.setdefault(aid, []).append((int(rev), int(rec)))
    due = {r.account_id: r for r in list_due(db, today) if account_id in (None, r.account_id)}
    ratings = dict(
        db.fetch(
            "SELECT r.account_id, r.rating FROM review r WHERE r.id = ("
            "SELECT x.id FROM review x WHERE x.account_id = r.account_id AND x.status = 'done' "
            "ORDER BY x.held_on DESC, x.id DESC LIMIT 1)"
            + only.replace("account_id", "r.account_id"),
            one,
        )
    )
    overdue: dict[int, list[tuple[int, dt.date]]] = {}
    for aid, action_id, when in db.fetch(
        f"SELECT account_id, id, due FROM action WHERE status != 'done' AND due < ?{only} "
        "ORDER BY account_id, due, id",
        [today.isoformat(), *one],
    ):
        overdue.setdefault(aid, []).append((action_id, _date(when) or today))
    mx = load_matrix(db, today, prepare=False, ids=one or None)
    has_model = mx.model is not None
    accounts = []
    for aid, name, status, stage, since in db.fetch(
        "SELECT id, name, status, stage, stage_since FROM account"
        + ("" if account_id is None else " WHERE id = ?")
        + " ORDER BY id",
        one,
    ):
        ec = econ.get(aid)
        row = mx.index.get(aid)
        d = due.get(aid)
        accounts.append(
            AccountFacts(
                id=aid,
                name=name,
                status=status,
                stage=stage,
                stage_since=_date(since),
                revenue=int(ec[0]) if ec else 0,
                profit=int(ec[1]) if ec else 0,
                cost=int(ec[2]) if ec else 0,
                revenue_prev=int(ec[3]) if ec else 0,
                revenue_last_q=int(ec[4]) if ec else 0,
                revenue_prev_q=int(ec[5]) if ec else 0,
                last_quarter=last_q,
                periods=tuple(periods.get(aid, ())),
                next_review=d.next_review if d else None,
                review_cadence=d.cadence if d else "none",
                last_rating=ratings.get(aid),
                overdue_actions=tuple(overdue.get(aid, ())),
                penalties=mx.penalties[row] if row is not None else 0,
                vetoes=mx.vetoes[row] if row is not None else "",
                traits=tuple(mx.trait_names.get(row, ())) if row is not None else (),
                score=mx.totals[row] if has_model and row is not None else None,
                rank=mx.ranks[row] if has_model and row is not None and not one else 0,
            )
        )
    facts = Facts(
        today,
        accounts,
        mx.threshold if has_model else None,
        mx.capacity,
        mx.model.name if mx.model else None,
    )
    for reader in FACT_READERS:
        reader(db, today, facts)
    return facts
