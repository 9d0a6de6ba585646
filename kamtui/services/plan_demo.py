"""Demo data for the account plan: SWOT points, buying maps (from the default template),
relationship maps and contact logs for every key account and one customer in ten.
Core inserts only (fast at 10,000 accounts)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kamtui import models as m
from kamtui.services.buying_map import DEFAULT_TEMPLATE
from kamtui.services.demo import DemoContext
from kamtui.services.relationships import tier_of

SWOT = {
    "strength": (
        ("customer", "Market leader in their region with a loyal customer base"),
        ("customer", "Strong balance sheet: invests through the cycle"),
        ("us", "They rate our service desk the best of their suppliers"),
        ("us", "Our delivery reliability is above 98 % for them"),
        ("customer", "Engineering team open to joint development"),
    ),
    "weakness": (
        ("us", "They find our invoicing confusing"),
        ("customer", "Procurement decides on price alone"),
        ("us", "We are seen as expensive for standard items"),
        ("customer", "Slow internal approvals: budgets take two quarters"),
        ("us", "Only one of our people knows their plant"),
    ),
    "opportunity": (
        ("customer", "New site opening next year needs a supplier"),
        ("customer", "Consolidating from four vendors to two"),
        ("us", "They asked about our sustainability programme"),
        ("customer", "Their e-commerce push needs faster logistics"),
        ("us", "Their new CFO wants fewer, strategic suppliers"),
    ),
    "threat": (
        ("customer", "A low-cost competitor is quoting aggressively"),
        ("us", "Their new purchasing director favours the incumbent"),
        ("customer", "Budget freeze announced for next fiscal year"),
        ("customer", "Possible acquisition by a group with central buying"),
        ("us", "Two late deliveries this quarter hurt our standing"),
    ),
}
ADAPT = (
    "Bring the business case to their finance team before they ask",
    "Offer a paid pilot so their trial fits our sales cycle",
    "Align our quote validity with their budget calendar",
    "Send references from their industry ahead of the shortlist",
    "Involve our legal team at the shortlist, not after the decision",
)
SUMMARIES = (
    "Quarterly catch-up; they are happy with delivery but want better reporting.",
    "Discussed the new site: they want a proposal by the end of the month.",
    "Price review: they pushed for 5 %; agreed to look at volume tiers.",
    "Technical workshop with their engineers on the next product line.",
    "Escalation about a late delivery; recovery plan agreed.",
    "Introduced our service manager; walked through the support process.",
    "Executive dinner: their CEO asked about our roadmap.",
)
FOLLOW_UPS = (
    "Send the volume-tier price proposal",
    "Arrange a plant visit for their engineers",
    "Share the delivery recovery report",
    "Book the executive sponsor meeting",
    "",
    "",
)


def fill_demo(ctx: DemoContext) -> None:
    from sqlalchemy import bindparam, func, insert, select, update

    rng, today, conn = ctx.rng, ctx.today, ctx.conn
    chosen = [a for a, s in ctx.statuses.items() if s == "key"]
    customers = [a for a, s in ctx.statuses.items() if s == "customer"]
    chosen += customers[::10]
    if not chosen:
        return
    contact = m.Contact.__table__  # type: ignore[attr-defined]
    contacts: dict[int, list[tuple[int, str]]] = {}
    wanted = set(chosen)
    for cid, aid, level in conn.execute(
        select(contact.c.id, contact.c.account_id, contact.c.level).order_by(contact.c.id)
    ):
        if aid in wanted:
            contacts.setdefault(aid, []).append((cid, level))
    person = m.Person.__table__  # type: ignore[attr-defined]
    by_tier: dict[int, list[int]] = {}
    for pid, level in conn.execute(select(person.c.id, person.c.level)):
        tier = tier_of(level)
        if tier is not None:
            by_tier.setdefault(tier, []).append(pid)
            if tier == 1:  # our executives meet their board
                by_tier.setdefault(0, []).append(pid)
            if tier == 2:  # our managers serve their operational people too
                by_tier.setdefault(3, []).append(pid)
    counterparts: list[dict[str, Any]] = []
    log_id = conn.execute(select(func.max(m.ContactLog.__table__.c.id))).scalar() or 0  # type: ignore[attr-defined]
    swot: list[dict[str, Any]] = []
    steps: list[dict[str, Any]] = []
    rels: list[dict[str, Any]] = []
    logs: list[dict[str, Any]] = []
    log_contacts: list[dict[str, Any]] = []
    log_people: list[dict[str, Any]] = []
    for n, aid in enumerate(chosen):
        key = ctx.statuses[aid] == "key"
        owner = ctx.owners.get(aid)
        position = 0
        for quadrant, options in SWOT.items():
            for perspective, text in rng.sample(options, rng.randint(1, 3 if key else 2)):
                position += 1
                swot.append(
                    {
                        "account_id": aid, "quadrant": quadrant, "text": text,
                        "priority": rng.choice(("high", "medium", "medium", "low")),
                        "perspective": perspective, "action_id": None, "position": position,
                        "version": 1,
                    }
                )  # fmt: skip
        people = contacts.get(aid, [])
        if key or rng.random() < 0.5:
            for pos, (milestone, requires, our_step) in enumerate(DEFAULT_TEMPLATE, start=1):
                status = rng.choice(("aligned", "aligned", "gap", "unknown"))
                steps.append(
                    {
                        "account_id": aid, "position": pos, "milestone": milestone,
                        "customer_owner_id": rng.choice(people)[0] if people and rng.random() < 0.7 else None,
                        "requires": requires, "our_step": our_step,
                        "our_owner_id": owner if rng.random() < 0.6 else rng.choice(ctx.people),
                        "status": status, "adapt": rng.choice(ADAPT) if status == "gap" else "",
                        "version": 1,
                    }
                )  # fmt: skip
        ranked = sorted(people, key=lambda p: m.LEVELS.index(p[1]) if p[1] in m.LEVELS else 9)
        # most key accounts (the first always, so a tiny demo shows one) have peers
        if key and (n == 0 or rng.random() < 0.6):
            for cid, level in ranked:
                peers = by_tier.get(tier_of(level) or 0) or ctx.people
                if n == 0 or rng.random() < 0.85:
                    counterparts.append({"cid": cid, "pid": rng.choice(peers)})
        for i, (cid, _level) in enumerate(ranked):
            boss = ranked[rng.randrange(i)][0] if i else None
            rels.append(
                {
                    "contact_id": cid,
                    "buying_role": rng.choice(m.BUYING_ROLES[:1] if i == 0 else m.BUYING_ROLES[1:]),
                    "stance": rng.choice(m.STANCES), "influence": max(1, 5 - i + rng.randint(-1, 0)),
                    "reports_to_id": boss, "strength": rng.randint(0, 3), "version": 1,
                }
            )  # fmt: skip
        for _ in range(rng.randint(2, 6) if key else rng.randint(0, 2)):
            log_id += 1
            follow = rng.choice(FOLLOW_UPS)
            logs.append(
                {
                    "id": log_id, "account_id": aid,
                    "happened_on": today - dt.timedelta(days=rng.randint(1, 200)),
                    "kind": rng.choice(m.LOG_KINDS[:4]), "summary": rng.choice(SUMMARIES),
                    "follow_up": follow, "action_id": None, "version": 1,
                }
            )  # fmt: skip
            for cid, _level in rng.sample(people, min(len(people), rng.randint(1, 2))):
                log_contacts.append({"log_id": log_id, "contact_id": cid})
            ours = {owner} if owner else set()
            if rng.random() < 0.4:
                ours.add(rng.choice(ctx.people))
            for pid in ours:
                log_people.append({"log_id": log_id, "person_id": pid})
    for table, rows in (
        (m.SwotPoint, swot), (m.BuyingStep, steps), (m.ContactRelationship, rels),
        (m.ContactLog, logs), (m.ContactLogContact, log_contacts),
        (m.ContactLogPerson, log_people),
    ):  # fmt: skip
        if rows:
            conn.execute(insert(table.__table__), rows)  # type: ignore[union-attr]
    if counterparts:
        conn.execute(
            update(contact)
            .where(contact.c.id == bindparam("cid"))
            .values(counterpart_id=bindparam("pid")),
            counterparts,
        )
    ctx.extra["SWOT points"] = len(swot)
    ctx.extra["buying milestones"] = len(steps)
    ctx.extra["contact log entries"] = len(logs)
