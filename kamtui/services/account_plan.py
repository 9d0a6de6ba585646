"""The one-page account plan as Markdown: what `kam plan ACCOUNT` writes and the account
screen's Plan tab shows (one function for both).

Header (status, stage, owner, score and rank, the last four quarters' revenue, gross
profit and revenue-to-cost), objectives and key results with their actions, then
``## SWOT``, ``## Buying process ↔ selling process`` and ``## Relationship map``
(coverage grid, stale contacts), and the latest contact log entries.
"""

from __future__ import annotations

import datetime as dt

from kamtui import models as m
from kamtui.db import Database
from kamtui.errors import KamError, NotFoundError
from kamtui.services.plan_report import md_cell as cell

RECENT_LOG = 5


def find_account(db: Database, text: str) -> tuple[int, str]:
    """An account by name (any case) or external id (any source); one line otherwise."""
    value = text.strip()
    if not value:
        raise KamError("name an account (its name or external id)")
    rows = db.fetch(
        "SELECT id, name FROM account WHERE lower(name) = lower(?) OR lower(external_id) = lower(?) "
        "OR id IN (SELECT account_id FROM account_external_id WHERE lower(external_id) = lower(?))",
        [value, value, value],
    )
    found = {int(r[0]): str(r[1]) for r in rows}
    if len(found) == 1:
        return next(iter(found.items()))
    if len(found) > 1:
        names = ", ".join(sorted(found.values(), key=str.lower))
        raise KamError(f"{value!r} names more than one account ({names}): give the external id")
    like = db.fetch(
        "SELECT name FROM account WHERE lower(name) LIKE lower(?) ORDER BY name LIMIT 5",
        [f"%{value}%"],
    )
    hint = f"; did you mean: {', '.join(r[0] for r in like)}?" if like else ""
    raise KamError(f"no account named {value!r} (nor with that external id){hint}")


def _money(minor: int) -> str:
    from kamtui.money import format_amount

    return format_amount(minor)


def _header(db: Database, account_id: int, today: dt.date) -> list[str]:
    from kamtui.services.economics import last_four_quarters, ratio
    from kamtui.services.records import currency

    rows = db.fetch(
        "SELECT a.name, a.status, a.stage, COALESCE(p.name, ''), a.why_buy FROM account a "
        "LEFT JOIN person p ON p.id = a.owner_id WHERE a.id = ?",
        [account_id],
    )
    if not rows:
        raise NotFoundError("this account no longer exists (deleted elsewhere?)")
    name, status, stage, owner, why_buy = rows[0]
    start, end = last_four_quarters(today)
    rev, cost, gp = db.fetch(
        "SELECT COALESCE(SUM(revenue_minor), 0), COALESCE(SUM(cost_to_serve_minor), 0), "
        "COALESCE(SUM(gross_profit_minor), 0) FROM account_period WHERE account_id = ? "
        "AND period_start >= ? AND period_start < ?",
        [account_id, start.isoformat(), end.isoformat()],
    )[0]
    r = ratio(int(rev), int(cost))
    score = "no scoring model"
    from kamtui.services.scoring import load_matrix

    mx = load_matrix(db, today, prepare=False)
    row = mx.index.get(account_id)
    if mx.model is not None and row is not None:
        rank = mx.ranks[row]
        where = f"rank {rank} of {len(mx.members):,}" if rank else "not ranked"
        score = f"{mx.totals[row]:.1f} ({mx.model.name}, {where})"
    stage_text = f"{stage} — {m.STAGES.get(stage, '')}" if stage else "not staged"
    cur = currency(db)
    return [
        f"# Account plan: {name}",
        "",
        f"*As of {today.isoformat()}.*",
        "",
        f"- **Status:** {status} · **Stage:** {stage_text} · **Owner:** {owner or '–'}",
        f"- **Score:** {score} · **Why they buy:** {why_buy or 'not recorded'}",
        f"- **Last four quarters** ({start.isoformat()} to {(end - dt.timedelta(days=1)).isoformat()}, "
        f"{cur}): revenue {_money(int(rev))} · gross profit {_money(int(gp))} · "
        f"revenue-to-cost {f'{r:.1f}' if r is not None else '–'}",
    ]


def _objectives(db: Database, account_id: int, today: dt.date) -> list[str]:
    from kamtui.services.plans import OVERDUE_GLYPH, STATUS_LABEL, list_actions, list_objectives

    objectives = list_objectives(db, account_id)
    actions = list_actions(db, today, account_id)
    out = ["## Objectives and key results", ""]
    by_objective: dict[int | None, list] = {}
    for a in actions:
        by_objective.setdefault(a.objective_id, []).append(a)

    def action_lines(rows: list) -> list[str]:
        lines = []
        open_rows = [a for a in rows if a.status != "done"]
        done = [a for a in rows if a.status == "done"]
        for a in open_rows:
            late = f" **{OVERDUE_GLYPH} overdue**" if a.overdue(today) else ""
            due = f", due {a.due.isoformat()}" if a.due else ""
            who = f", {a.owner}" if a.owner else ""
            lines.append(
                f"  - [{STATUS_LABEL[a.status]}] {cell(a.title)} ({a.priority}{who}{due}){late}"
            )
        if done:
            lines.append(f"  - {len(done)} done")
        return lines

    if not objectives:
        out.append("No objectives yet: add one on the attack plan (view 5).")
    for o in objectives:
        due = f", due {o.due.isoformat()}" if o.due else ""
        out.append(
            f"- **{cell(o.title)}** — {cell(o.key_result_text())} · {o.progress_text()}"
            f"{' · ' + o.owner if o.owner else ''}{due}"
        )
        out += action_lines(by_objective.get(o.id, [])) or ["  - no actions yet"]
    loose = [a for a in by_objective.get(None, []) if a.status != "done"]
    if loose:
        out += ["", f"Open actions outside an objective ({len(loose)}):"]
        out += action_lines(loose)
    return out


def _swot(db: Database, account_id: int) -> list[str]:
    from kamtui.services.swot import (
        FLAG,
        PERSPECTIVE_WORD,
        PRIORITY_WORD,
        QUADRANT_TITLE,
        by_quadrant,
        list_points,
    )  # fmt: skip

    points = list_points(db, account_id)
    out = ["## SWOT", ""]
    if not points:
        return [*out, "No SWOT points yet (account screen, SWOT tab, `n`)."]
    flagged = [p for p in points if p.flagged]
    if flagged:
        out += [f"{FLAG} {len(flagged)} High weakness or threat with no open action.", ""]
    for quadrant, rows in by_quadrant(points).items():
        out += [f"### {QUADRANT_TITLE[quadrant]}", ""]
        if not rows:
            out.append("- none")
        for p in rows:
            action = f" → action: {cell(p.action)}" if p.action else ""
            if p.action and p.action_status == "done":
                action += " (done)"
            mark = f" {FLAG} **no open action**" if p.flagged else ""
            out.append(
                f"- **{PRIORITY_WORD.get(p.priority, p.priority)}** ({PERSPECTIVE_WORD.get(p.perspective, p.perspective)}) "
                f"{cell(p.text)}{action}{mark}"
            )
        out.append("")
    return out[:-1]


def _buying(db: Database, account_id: int) -> list[str]:
    from kamtui.services.buying_map import list_steps

    steps = list_steps(db, account_id)
    out = ["## Buying process ↔ selling process", ""]
    if not steps:
        return [
            *out,
            "No buying milestones yet (account screen, Buying tab, `t` starts from the template).",
        ]
    gaps = [s for s in steps if s.gap]
    unknown = [s for s in steps if s.status == "unknown"]
    summary = f"{len(steps)} milestones · {len(gaps)} gaps · {len(unknown)} unknown"
    if gaps:
        summary += " · gaps at: " + ", ".join(cell(s.milestone) for s in gaps)
    out += [summary, ""]
    out += [
        "| # | their milestone | their owner | they require | status | our step | our owner | how we adapt |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for i, s in enumerate(steps, start=1):
        status = "**GAP**" if s.gap else s.status
        out.append(
            f"| {i} | {cell(s.milestone)} | {cell(s.owner) or '–'} | {cell(s.requires) or '–'} | "
            f"{status} | {cell(s.our_step) or '–'} | {cell(s.our_owner) or '–'} | {cell(s.adapt) or '–'} |"
        )
    return out


def _relationships(db: Database, account_id: int, today: dt.date) -> list[str]:
    from kamtui.services.relationships import check_reason, relationship_map

    rmap = relationship_map(db, account_id, today)
    out = ["## Relationship map", ""]
    if not rmap.rows:
        return [*out, "No contacts yet (account screen, Contacts tab, `n`)."]
    reason = check_reason(rmap.grid)
    out += [
        f"Stage-4 check (peers at each level): **{rmap.check}**"
        + (f" — {reason}" if reason else ""),
        "",
        "| their level | their people | our counterparts | flags |",
        "|---|---|---|---|",
    ]
    for row in rmap.grid:
        if not row.contacts:
            out.append(f"| {row.name} | – | – | |")
            continue
        people = ", ".join(cell(p) for p in row.people) or "–"
        out.append(
            f"| {row.name} | {', '.join(cell(c) for c in row.contacts)} | {people} | "
            f"{', '.join(row.flags) or 'ok'} |"
        )
    out += [
        "",
        "| contact | title (level) | buying role | stance | influence | reports to | our counterpart | strength | last contact |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rmap.rows:
        last = r.last_contact.isoformat() if r.last_contact else "never"
        if r.stale:
            last += " (stale)"
        out.append(
            f"| {cell(r.name)} | {cell(r.title) or '–'} ({r.level}) | {r.buying_role or '–'} | "
            f"{r.stance or '–'} | {r.influence if r.influence is not None else '–'} | "
            f"{cell(r.reports_to) or '–'} | {cell(r.counterpart) or '–'} | "
            f"{r.strength if r.strength is not None else '–'} | {last} |"
        )
    from kamtui.services.relationships import org_tree

    out += ["", "Org tree (reports to):", "", "```"]
    for prefix, r in org_tree(rmap.rows):
        role = f", {r.buying_role}" if r.buying_role else ""
        stance = f", {r.stance}" if r.stance else ""
        out.append(f"{prefix}{r.name} ({r.title or r.level}{role}{stance})")
    out.append("```")
    if rmap.stale:
        out += [
            "",
            f"Stale (no logged contact for {rmap.stale_days} days): "
            + ", ".join(cell(r.name) for r in rmap.stale),
        ]
    return out


def _log(db: Database, account_id: int) -> list[str]:
    from kamtui.services.contact_log import list_entries

    entries = list_entries(db, account_id, limit=RECENT_LOG)
    out = ["## Recent contacts", ""]
    if not entries:
        return [*out, "Nothing logged yet (account screen, Log tab, `n`)."]
    for e in entries:
        who = ", ".join(e.contacts) or "–"
        follow = f" Follow-up: {cell(e.follow_up)}." if e.follow_up else ""
        out.append(
            f"- {e.happened_on.isoformat()} {e.kind} with {cell(who)}: {cell(e.summary)}{follow}"
        )
    return out


def plan_markdown(db: Database, account_id: int, today: dt.date) -> str:
    """The one-page plan of one account."""
    parts = [
        _header(db, account_id, today),
        _objectives(db, account_id, today),
        _swot(db, account_id),
        _buying(db, account_id),
        _relationships(db, account_id, today),
        _log(db, account_id),
    ]
    return "\n\n".join("\n".join(p) for p in parts) + "\n"


def account_plan(db: Database, account_text: str, today: dt.date) -> str:
    account_id, _name = find_account(db, account_text)
    return plan_markdown(db, account_id, today)
