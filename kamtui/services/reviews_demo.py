"""Demo data for reviews: past reviews with their checklists, value delivered, and next
review dates (some overdue) for the key accounts. Core inserts only (fast at 10,000)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kamtui import models as m
from kamtui.services.demo import DemoContext
from kamtui.services.economics import add_months
from kamtui.services.reviews import CADENCE_MONTHS, DEFAULT_TEMPLATE, next_after

NOTES = (
    "They want shorter lead times on spares",
    "New purchasing director since spring",
    "Asked for a joint roadmap session",
    "Happy with the service desk; invoices still confusing",
    "Budget freeze until the new fiscal year",
    "Interested in the sustainability report",
    "Wants quarterly usage figures",
)
SUMMARIES = (
    "Good meeting; they feel looked after. Follow up on pricing for next year.",
    "Some friction about delivery delays; agreed a recovery plan.",
    "Strong relationship. Their CEO joined for the last half hour.",
    "Mixed: service praised, invoicing criticised. Actions agreed.",
    "Short review; main topic was their expansion plans.",
)
VALUES = (
    ("Cut their delivery lead time from 10 to 6 days", 1_200_000),
    ("Free on-site training for 12 operators", 450_000),
    ("Consolidated invoicing saved their finance team a day a month", 300_000),
    ("Emergency delivery during their plant shutdown", 800_000),
    ("Process audit found 4 % scrap reduction", 2_500_000),
    ("Joint forecast reduced their stock by two weeks", 1_800_000),
    ("Dedicated service contact for all sites", None),
    ("Quarterly usage report introduced", None),
)
ACTIONS = (
    "Send the revised price list",
    "Arrange a visit to our plant",
    "Introduce our service manager to their ops team",
    "Prepare a proposal for the new site",
    "Fix the invoice layout they asked for",
    "Set up quarterly usage reporting",
    "Book the executive sponsor meeting",
)


def fill_demo(ctx: DemoContext) -> None:
    from sqlalchemy import bindparam, func, insert, select, update

    rng, today = ctx.rng, ctx.today
    account = m.Account.__table__  # type: ignore[attr-defined]
    keys = ctx.conn.execute(
        select(account.c.id, account.c.review_cadence).where(account.c.status == "key")
    ).all()
    review_id = ctx.conn.execute(select(func.max(m.Review.__table__.c.id))).scalar() or 0  # type: ignore[attr-defined]
    reviews: list[dict[str, Any]] = []
    items: list[dict[str, Any]] = []
    actions: list[dict[str, Any]] = []
    values: list[dict[str, Any]] = []
    schedule: list[dict[str, Any]] = []
    for n, (aid, cadence) in enumerate(keys):
        if cadence not in CADENCE_MONTHS or cadence == "none":
            cadence = "quarterly"
        months = CADENCE_MONTHS[cadence] or 3
        # the last review was held up to 1.6 cadences ago: about a third are overdue
        # (and the first key account always is, so even a tiny demo shows one)
        low = months * 31 + 5 if n == 0 else 3
        last = today - dt.timedelta(days=rng.randint(low, int(months * 30 * 1.6)))
        held_dates = [last]
        for _ in range(rng.randint(0, 3)):
            held_dates.append(add_months(held_dates[-1], -months) - dt.timedelta(rng.randint(0, 9)))
        held_dates.reverse()
        for n, held in enumerate(held_dates):
            review_id += 1
            latest = n == len(held_dates) - 1
            reviews.append(
                {
                    "id": review_id, "account_id": aid, "scheduled_for": held,
                    "held_on": held, "status": "done", "rating": rng.choice((2, 3, 4, 4, 5, 5)),
                    "summary": rng.choice(SUMMARIES), "version": 1,
                }
            )  # fmt: skip
            for pos, text in enumerate(DEFAULT_TEMPLATE):
                items.append(
                    {
                        "review_id": review_id, "position": pos, "text": text,
                        "done": rng.random() < 0.9,
                        "note": rng.choice(NOTES) if rng.random() < 0.25 else "", "version": 1,
                    }
                )  # fmt: skip
            for title in rng.sample(ACTIONS, rng.randint(1, 2)):
                status = rng.choice(("todo", "doing", "blocked", "done")) if latest else "done"
                due = held + dt.timedelta(days=rng.randint(7, 45))
                actions.append(
                    {
                        "account_id": aid, "review_id": review_id, "title": title,
                        "owner_id": ctx.owners.get(aid), "due": due, "priority": "medium",
                        "status": status, "done_on": min(due, today) if status == "done" else None,
                        "position": 0, "notes": "", "created_at": dt.datetime.combine(held, dt.time(10)),
                        "version": 1,
                    }
                )  # fmt: skip
        for _ in range(rng.randint(1, 5)):
            text, amount = rng.choice(VALUES)
            values.append(
                {
                    "account_id": aid, "delivered_on": today - dt.timedelta(days=rng.randint(1, 300)),
                    "description": text, "amount_minor": amount, "version": 1,
                }
            )  # fmt: skip
        schedule.append({"aid": aid, "nr": next_after(last, cadence), "cad": cadence})
    conn = ctx.conn
    if reviews:
        conn.execute(insert(m.Review.__table__), reviews)  # type: ignore[attr-defined]
        conn.execute(insert(m.ReviewItem.__table__), items)  # type: ignore[attr-defined]
        conn.execute(insert(m.Action.__table__), actions)  # type: ignore[attr-defined]
        conn.execute(insert(m.ValueDelivered.__table__), values)  # type: ignore[attr-defined]
        conn.execute(
            update(account)
            .where(account.c.id == bindparam("aid"))
            .values(next_review=bindparam("nr"), review_cadence=bindparam("cad")),
            schedule,
        )
    ctx.extra["reviews"] = len(reviews)
    ctx.extra["value records"] = len(values)
