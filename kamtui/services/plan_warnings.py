"""The account plan's early warnings (view 1, ``kam alerts``), plugged into the rules of
``early_warnings`` through ``account_facts.EXTENSION_MODULES``:

- a decision maker (buying role in the relationship map) not contacted — no contact-log
  entry naming them — for more than the "decision maker not contacted" threshold;
- a High weakness or threat with no open action (the SWOT section's ⚑, ``SwotRow.flagged``).

Both read in one set-based query each, for every account at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from kamtui.db import Database
from kamtui.services import account_facts as af
from kamtui.services import early_warnings as ew

WATCHED = ("key", "customer")  # the accounts whose people we must keep talking to


def _day(value: object) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def read_plan_facts(db: Database, today: dt.date, facts: af.Facts) -> None:
    for aid, cid, name, last in db.fetch(
        "SELECT c.account_id, c.id, c.name, MAX(l.happened_on) FROM contact c "
        "JOIN contact_relationship r ON r.contact_id = c.id "
        "LEFT JOIN contact_log_contact lc ON lc.contact_id = c.id "
        "LEFT JOIN contact_log l ON l.id = lc.log_id "
        "WHERE r.buying_role = 'decision maker' GROUP BY c.account_id, c.id, c.name"
    ):
        a = facts.by_id.get(aid)
        if a is not None:
            a.extra.setdefault("decision_makers", []).append((cid, name, _day(last)))
    for aid, pid, quadrant, text in db.fetch(
        "SELECT s.account_id, s.id, s.quadrant, s.text FROM swot_point s "
        "LEFT JOIN action x ON x.id = s.action_id "
        "WHERE s.priority = 'high' AND s.quadrant IN ('weakness', 'threat') "
        "AND (s.action_id IS NULL OR x.status = 'done') ORDER BY s.id"
    ):
        a = facts.by_id.get(aid)
        if a is not None:
            a.extra.setdefault("unanswered", []).append((pid, quadrant, text))


def decision_maker_not_contacted(facts: af.Facts, t: ew.Thresholds) -> Iterable[ew.Alert]:
    for a in facts.accounts:
        if a.status not in WATCHED:
            continue
        for cid, name, last in sorted(a.extra.get("decision_makers", ()), key=lambda r: r[0]):
            if last is None:
                reason = f"decision maker {name} never contacted (no contact-log entry)"
            elif (facts.today - last).days > t.contact_days:
                days = (facts.today - last).days
                reason = (
                    f"decision maker {name} not contacted for {days} days (last {last.isoformat()})"
                )
            else:
                continue
            yield ew.Alert(
                f"decision_maker:{a.id}:{cid}", "decision_maker", a.id, a.name, reason,
                last.isoformat() if last else "never", 1 if a.status == "key" else 2,
            )  # fmt: skip


def high_threat_unanswered(facts: af.Facts, t: ew.Thresholds) -> Iterable[ew.Alert]:
    for a in facts.accounts:
        points = a.extra.get("unanswered", ())
        if not points:
            continue
        n = len(points)
        first = points[0][2]
        what = f"High {points[0][1]}" if n == 1 else f"{n} High weaknesses/threats"
        yield ew.Alert(
            f"threat_unanswered:{a.id}", "threat_unanswered", a.id, a.name,
            f"{what} with no open action (“{first[:60]}”)",
            ",".join(str(p[0]) for p in points), 1 if a.status == "key" else 2,
        )  # fmt: skip


def register_warnings() -> None:
    af.FACT_READERS.append(read_plan_facts)
    ew.register(
        ew.Rule("decision_maker", "Decision maker not contacted", decision_maker_not_contacted)
    )
    ew.register(ew.Rule("threat_unanswered", "High threat with no action", high_threat_unanswered))
