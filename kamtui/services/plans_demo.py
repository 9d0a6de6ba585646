"""Demo data for the lifecycle board and the attack plan (a ``demo`` extension).

Key accounts are spread over the six stages with plausible dwell times and a stage
history; customers and key accounts get objectives with key results and about twenty
actions each (about 100,000 at 10,000 accounts), some of them overdue.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from kamtui import models as m
from kamtui.services.demo import DemoContext

STAGE_WEIGHTS = ((None, 5), (1, 8), (2, 12), (3, 20), (4, 25), (5, 18), (6, 12))
MOVE_NOTES = {
    1: "first orders in; they buy on {why}",
    2: "volumes up sharply; receivables watched by finance",
    3: "KAM assigned; joint forecast agreed",
    4: "executive sponsor meeting held",
    5: "first quarterly review done",
    6: "stable and profitable; maintenance mode",
}
OBJECTIVES = (
    ("Grow share of wallet", "revenue k€ / year", (400, 900), 1.3),
    ("Win the second plant", "plants supplied", (1, 1), 2.0),
    ("Cut cost to serve", "cost to serve %", (12, 15), 0.7),
    ("Raise satisfaction", "review rating", (3, 3), 1.4),
    ("Launch new product line", "SKUs listed", (0, 0), None),
    ("Shorten payment terms", "days sales outstanding", (60, 75), 0.75),
)
ACTIONS = (
    "Prepare quarterly business review", "Send revised price proposal", "Map their buying process",
    "Introduce our MD to their president", "Agree forecast for next quarter", "Visit the plant",
    "Collect feedback on last delivery", "Present value delivered", "Chase overdue invoices",
    "Run product demo for engineering", "Draft joint development plan", "Update SWOT",
    "Negotiate framework agreement", "Book executive dinner", "Review service level report",
    "Train their buyers on the portal", "Confirm stock levels for peak season",
    "Follow up on open quality claim", "Send case study", "Plan next review agenda",
)  # fmt: skip


def _weighted(rng: Any, pairs: tuple[tuple[Any, int], ...]) -> Any:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def fill_demo(ctx: DemoContext) -> None:
    from sqlalchemy import func, insert, select, update

    rng, today, conn = ctx.rng, ctx.today, ctx.conn
    now_time = dt.time(9, 30)
    key_accounts = [a for a in ctx.account_ids if ctx.statuses[a] == "key"]
    why = dict(
        conn.execute(
            select(m.Account.__table__.c.id, m.Account.__table__.c.why_buy)  # type: ignore[attr-defined]
        ).all()
    )

    # --- stages and their history -----------------------------------------------------------------
    moves: list[dict[str, Any]] = []
    placed = 0
    for aid in key_accounts:
        stage = _weighted(rng, STAGE_WEIGHTS)
        if stage is None:
            continue
        placed += 1
        since = today - dt.timedelta(days=rng.randint(3, 320))
        when = since
        history = []
        for s in range(stage, 0, -1):
            history.append((when, s - 1 if s > 1 else None, s))
            when = when - dt.timedelta(days=rng.randint(30, 260))
        for day, from_stage, to_stage in reversed(history):
            moves.append(
                {
                    "account_id": aid,
                    "moved_at": dt.datetime.combine(day, now_time),
                    "from_stage": from_stage,
                    "to_stage": to_stage,
                    "note": MOVE_NOTES[to_stage].format(why=why.get(aid) or "price"),
                }
            )
        conn.execute(
            update(m.Account.__table__)  # type: ignore[attr-defined]
            .where(m.Account.__table__.c.id == aid)  # type: ignore[attr-defined]
            .values(stage=stage, stage_since=since)
        )
        if stage >= 4 and rng.random() < 0.8:  # a review cadence, mostly kept
            next_review = today + dt.timedelta(days=rng.randint(-20, 80))
            conn.execute(
                update(m.Account.__table__)  # type: ignore[attr-defined]
                .where(m.Account.__table__.c.id == aid, m.Account.__table__.c.next_review.is_(None))  # type: ignore[attr-defined]
                .values(next_review=next_review)
            )
    if moves:
        conn.execute(insert(m.StageChange.__table__), moves)  # type: ignore[attr-defined]

    # --- objectives and actions --------------------------------------------------------------------
    objective_table = m.Objective.__table__  # type: ignore[attr-defined]
    next_objective = (conn.execute(select(func.max(objective_table.c.id))).scalar() or 0) + 1
    objectives: list[dict[str, Any]] = []
    actions: list[dict[str, Any]] = []
    per_status = {"key": (30, (2, 4)), "customer": (20, (0, 2)), "target": (2, (0, 1))}
    for aid in ctx.account_ids:
        plan = per_status.get(ctx.statuses[aid])
        if plan is None:
            continue
        n_actions, (lo, hi) = plan
        owner = ctx.owners.get(aid)
        mine = []
        for title, metric, (b_lo, b_hi), factor in rng.sample(OBJECTIVES, rng.randint(lo, hi)):
            baseline = Decimal(rng.randint(b_lo, b_hi))
            target = baseline * Decimal(str(factor)) if factor else Decimal(rng.randint(5, 20))
            target = target.quantize(Decimal(1))
            current = baseline + (target - baseline) * Decimal(rng.randint(0, 110)) / 100
            objectives.append(
                {
                    "id": next_objective,
                    "account_id": aid,
                    "title": title,
                    "metric": metric,
                    "baseline": str(baseline),
                    "target": str(target),
                    "current": str(current.quantize(Decimal(1))),
                    "owner_id": owner or rng.choice(ctx.people),
                    "due": today + dt.timedelta(days=rng.randint(-30, 300)),
                    "version": 1,
                }
            )
            mine.append(next_objective)
            next_objective += 1
        for k in range(max(1, int(n_actions * rng.uniform(0.7, 1.3)))):
            due = today + dt.timedelta(days=rng.randint(-150, 90))
            if due < today:
                status = "done" if rng.random() < 0.86 else rng.choice(("todo", "doing", "blocked"))
            else:
                status = _weighted(
                    rng, (("todo", 50), ("doing", 25), ("blocked", 12), ("done", 13))
                )
            done_on = None
            if status == "done":
                done_on = min(today, due + dt.timedelta(days=rng.randint(-10, 6)))
            actions.append(
                {
                    "account_id": aid,
                    "objective_id": rng.choice(mine) if mine and rng.random() < 0.7 else None,
                    "title": ACTIONS[(aid + k * 7) % len(ACTIONS)],
                    "owner_id": owner if owner and rng.random() < 0.6 else rng.choice(ctx.people),
                    "due": due if rng.random() < 0.97 else None,
                    "priority": _weighted(rng, (("high", 25), ("medium", 50), ("low", 25))),
                    "status": status,
                    "done_on": done_on,
                    "position": k,
                    "notes": "",
                    "created_at": dt.datetime.combine(due - dt.timedelta(days=30), now_time),
                    "version": 1,
                }
            )
    if objectives:
        conn.execute(insert(objective_table), objectives)
    if actions:
        conn.execute(insert(m.Action.__table__), actions)  # type: ignore[attr-defined]
    ctx.extra["stage moves"] = len(moves)
    ctx.extra["staged key accounts"] = placed
    ctx.extra["objectives"] = len(objectives)
    ctx.extra["actions"] = len(actions)
