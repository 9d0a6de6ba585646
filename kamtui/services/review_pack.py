"""Outputs of reviews: the review pack (Markdown for the customer meeting), one review as
Markdown (the account screen shows past reviews with it), and the iCalendar file."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kamtui import models as m
from kamtui.db import Database
from kamtui.errors import KamError
from kamtui.money import format_amount
from kamtui.services import reviews as rv
from kamtui.services.economics import add_months


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _amount(minor: int | None, currency: str) -> str:
    return f"{format_amount(minor)} {currency}" if minor else ""


def review_markdown(d: rv.ReviewDetail, currency: str, *, level: int = 2) -> str:
    """One review as Markdown: what was ticked, noted and rated, and what was agreed."""
    h = "#" * level
    if d.is_open:
        when = d.scheduled_for.isoformat() if d.scheduled_for else "?"
        title = f"{h} Review in progress (due {when})"
    else:
        title = f"{h} Review held {d.held_on.isoformat() if d.held_on else '?'}"
    lines = [title, ""]
    if d.rating:
        lines.append(f"**Satisfaction:** {d.rating}/5 ({rv.RATINGS[d.rating]})  ")
    ticked = len(d.items) - len(d.unticked)
    lines.append(f"**Checklist:** {ticked} of {len(d.items)} points covered")
    if d.summary:
        lines += ["", f"> {_one_line(d.summary)}"]
    lines.append("")
    for item in d.items:
        note = f" — *{_one_line(item.note)}*" if item.note else ""
        lines.append(f"- [{'x' if item.done else ' '}] {_one_line(item.text)}{note}")
    if d.agreed:
        lines += ["", "**Actions agreed:**", ""]
        for a in d.agreed:
            due = f", due {a.due.isoformat()}" if a.due else ""
            owner = f", {a.owner}" if a.owner else ""
            lines.append(f"- {_one_line(a.title)} ({a.status}{owner}{due})")
    if d.values:
        total = _amount(d.value_total, currency)
        lines += ["", f"**Value delivered in the period:** {total or '(no amounts)'}", ""]
        for v in d.values:
            amount = f" — {_amount(v.amount_minor, currency)}" if v.amount_minor else ""
            lines.append(f"- {v.delivered_on.isoformat()} {_one_line(v.description)}{amount}")
    return "\n".join(lines)


def find_account(db: Database, text: str) -> tuple[int, str]:
    """An account by exact name (any case) or by id; a clear message otherwise."""
    value = text.strip()
    if not value:
        raise KamError("name an account")
    rows = db.fetch("SELECT id, name FROM account WHERE lower(name) = lower(?)", [value])
    if not rows and value.isdigit():
        rows = db.fetch("SELECT id, name FROM account WHERE id = ?", [int(value)])
    if rows:
        return int(rows[0][0]), str(rows[0][1])
    like = db.fetch(
        "SELECT name FROM account WHERE lower(name) LIKE lower(?) ORDER BY name LIMIT 5",
        [f"%{value}%"],
    )
    hint = f"; did you mean: {', '.join(r[0] for r in like)}?" if like else ""
    raise KamError(f"no account named {value!r}{hint}")


def review_pack(db: Database, account_text: str, today: dt.date) -> str:
    """Markdown ready to present: the last review, actions since (done and open), value
    delivered, and changes of stage and score over the period."""
    from kamtui.services.records import currency as get_currency

    account_id, name = find_account(db, account_text)
    currency = get_currency(db)
    a = db.fetch(
        "SELECT status, stage, review_cadence, next_review FROM account WHERE id = ?", [account_id]
    )[0]
    held = db.fetch(
        "SELECT id, held_on FROM review WHERE account_id = ? AND status = 'done'"
        " ORDER BY held_on DESC, id DESC LIMIT 2",
        [account_id],
    )
    last = rv.get_review(db, held[0][0]) if held else None
    if len(held) > 1:
        start = dt.date.fromisoformat(str(held[1][1]))
    elif last is not None and last.held_on is not None:
        start = add_months(last.held_on, -12)
    else:
        start = add_months(today, -12)
    stage = f" · stage {a[1]}: {m.STAGES.get(a[1], '')}" if a[1] else ""
    nxt = f" · next review {a[3]}" if a[3] else ""
    out = [
        f"# Account review: {name}",
        "",
        f"*{a[0]} account{stage} · {a[2]} reviews{nxt}*  ",
        f"*Covers {start.isoformat()} to {today.isoformat()} · prepared {today.isoformat()}*",
        "",
    ]
    if last is not None:
        out += [
            review_markdown(last, currency, level=2).replace(
                "## Review held", "## Last review, held", 1
            ),
            "",
        ]
    else:
        out += ["## Last review", "", "No review has been held yet.", ""]

    actions = db.fetch(
        "SELECT x.title, x.status, x.due, x.done_on, COALESCE(p.name, '') FROM action x"
        " LEFT JOIN person p ON p.id = x.owner_id WHERE x.account_id = ?"
        " AND (x.status != 'done' OR x.done_on >= ?) ORDER BY x.due IS NULL, x.due, x.id",
        [account_id, start.isoformat()],
    )
    done = [r for r in actions if r[1] == "done"]
    still_open = [r for r in actions if r[1] != "done"]
    out += ["## Actions", "", f"### Done since {start.isoformat()} ({len(done)})", ""]
    out += [
        f"- ✓ {_one_line(r[0])} (done {r[3] or '?'}{', ' + r[4] if r[4] else ''})" for r in done
    ] or ["- none"]
    out += ["", f"### Open ({len(still_open)})", ""]
    for r in still_open:
        late = " **overdue**" if r[2] and str(r[2]) < today.isoformat() else ""
        due = f", due {r[2]}" if r[2] else ""
        out.append(f"- {r[1]}: {_one_line(r[0])}{' (' + r[4] + ')' if r[4] else ''}{due}{late}")
    if not still_open:
        out.append("- none")

    values = [
        v
        for v in rv.values_since(db, account_id, start - dt.timedelta(days=1))
        if v.delivered_on <= today
    ]
    total = sum(v.amount_minor or 0 for v in values)
    out += ["", "## Value delivered", ""]
    if values:
        out += [f"| date | what we delivered | value ({currency}) |", "|---|---|---:|"]
        for v in values:
            desc = _one_line(v.description).replace("|", "\\|")
            out.append(
                f"| {v.delivered_on.isoformat()} | {desc} | {format_amount(v.amount_minor)} |"
            )
        out.append(f"| | **total** | **{format_amount(total)}** |")
    else:
        out.append("Nothing recorded in the period.")

    since = dt.datetime.combine(start, dt.time())
    stages = db.fetch(
        "SELECT moved_at, from_stage, to_stage, note FROM stage_change WHERE account_id = ?"
        " AND moved_at >= ? ORDER BY moved_at",
        [account_id, since.isoformat(sep=" ")],
    )
    out += ["", "## Changes of stage", ""]
    for s in stages:
        note = f" — {_one_line(s[3])}" if s[3] else ""
        old = f"{s[1]} {m.STAGES.get(s[1], '')}" if s[1] else "none"
        new = f"{s[2]} {m.STAGES.get(s[2], '')}" if s[2] else "none"
        out.append(f"- {str(s[0])[:10]}: {old} → {new}{note}")
    if not stages:
        out.append("No change of stage in the period.")
    scores = db.fetch(
        "SELECT sc.changed_at, c.name, sc.old_value, sc.new_value, sc.note FROM score_change sc"
        " JOIN criterion c ON c.id = sc.criterion_id WHERE sc.account_id = ? AND sc.changed_at >= ?"
        " ORDER BY sc.changed_at",
        [account_id, since.isoformat(sep=" ")],
    )
    out += ["", "## Changes of score", ""]
    for s in scores:
        note = f" — {_one_line(s[4])}" if s[4] else ""
        old = "–" if s[2] is None else s[2]
        new = "–" if s[3] is None else s[3]
        out.append(f"- {str(s[0])[:10]}: {_one_line(s[1])} {old} → {new}{note}")
    if not scores:
        out.append("No change of score in the period.")
    return "\n".join(out) + "\n"


def _fold(line: str) -> bytes:
    """RFC 5545 line folding: at most 75 octets a line, never splitting a character."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return data
    parts: list[bytes] = []
    current = b""
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > (75 if not parts else 74):
            parts.append(current)
            current = b""
        current += encoded
    parts.append(current)
    return b"\r\n ".join(parts)


def calendar_ics(db: Database, today: dt.date, *, owner: str | None = None) -> bytes:
    """Next reviews and open actions' due dates as all-day events with stable UIDs, so a
    calendar program updates them when the file is imported again.

    The calendar and every value are encoded by the ``icalendar`` library; the events are
    assembled line by line because building one ``Event`` object each costs ~1.5 ms,
    a minute for the 60,000 open actions of a big portfolio (bench/bench_reviews.py).
    """
    from icalendar import Calendar, vDate, vText

    cal = Calendar()
    cal.add("prodid", "-//kamtui//key account reviews//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "kam: reviews and actions")
    stamp = "DTSTAMP:" + dt.datetime.combine(today, dt.time()).strftime("%Y%m%dT%H%M%SZ")
    one_day = dt.timedelta(days=1)
    events: list[bytes] = []

    def event(uid: str, day: Any, summary: str, description: str) -> None:
        start = rv._date(day)
        assert start is not None
        lines = (
            "BEGIN:VEVENT",
            "UID:" + vText(uid).to_ical().decode(),
            stamp,
            "DTSTART;VALUE=DATE:" + vDate(start).to_ical().decode(),
            "DTEND;VALUE=DATE:" + vDate(start + one_day).to_ical().decode(),
            "SUMMARY:" + vText(summary).to_ical().decode(),
            "DESCRIPTION:" + vText(description).to_ical().decode(),
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        )
        events.append(b"\r\n".join(_fold(line) for line in lines))

    where, params = "", []
    if owner:
        found = db.fetch("SELECT id FROM person WHERE lower(name) = lower(?)", [owner.strip()])
        if not found:
            raise KamError(f"nobody named {owner.strip()!r} on the team")
        where, params = " AND p.id = ?", [found[0][0]]
    for aid, name, cadence, nxt, who in db.fetch(
        "SELECT a.id, a.name, a.review_cadence, a.next_review, COALESCE(p.name, '') FROM account a"
        " LEFT JOIN person p ON p.id = a.owner_id WHERE a.next_review IS NOT NULL" + where
        + " ORDER BY a.next_review, a.id",
        params,
    ):  # fmt: skip
        event(
            f"review-{aid}@kamtui", nxt, f"Review: {name}",
            f"{cadence} review of {name}" + (f"; owner {who}" if who else ""),
        )  # fmt: skip
    for xid, title, status, due, name, who in db.fetch(
        "SELECT x.id, x.title, x.status, x.due, a.name, COALESCE(p.name, '') FROM action x"
        " JOIN account a ON a.id = x.account_id LEFT JOIN person p ON p.id = x.owner_id"
        " WHERE x.status != 'done' AND x.due IS NOT NULL" + where + " ORDER BY x.due, x.id",
        params,
    ):  # fmt: skip
        event(
            f"action-{xid}@kamtui", due, f"Action: {title} ({name})",
            f"{status} action for {name}" + (f"; owner {who}" if who else ""),
        )  # fmt: skip
    head = bytes(cal.to_ical())
    end = b"END:VCALENDAR\r\n"
    assert head.endswith(end)
    body = b"\r\n".join(events) + b"\r\n" if events else b""
    return head[: -len(end)] + body + end
