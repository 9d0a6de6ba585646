"""The attack-plan status report (seed 003) as Markdown: what `kam status-report` prints.

Objectives with their progress, actions by status with the overdue ones first, and who
owns what. For one account, or for every account that has a plan.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from kamtui.db import Database
from kamtui.errors import KamError
from kamtui.services.plans import STATUS_LABEL, ActionRow, list_actions, list_objectives


def md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _n(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def _when(day: dt.date | None) -> str:
    return day.isoformat() if day else "–"


def status_report(
    db: Database, today: dt.date, account: str | None = None, *, max_done: int = 10
) -> str:
    """Markdown for one account (by name, any case) or the whole portfolio."""
    account_id = None
    title = "Attack plan status report"
    if account:
        rows = db.fetch("SELECT id, name FROM account WHERE lower(name) = lower(?)", [account])
        if not rows:
            raise KamError(f"no account named {account!r}")
        account_id, name = rows[0]
        title += f": {name}"
    objectives = list_objectives(db, account_id)
    actions = list_actions(db, today, account_id)
    out = [f"# {title}", "", f"As of {today.isoformat()}.", ""]
    overdue = [a for a in actions if a.overdue(today)]
    by_status = Counter(a.status for a in actions)
    summary = ", ".join(f"{by_status.get(s, 0):,} {STATUS_LABEL[s].lower()}" for s in STATUS_LABEL)
    out += [
        f"**{_n(len(objectives), 'objective')} · {_n(len(actions), 'action')}** ({summary}); "
        f"**{len(overdue):,} overdue**.",
        "",
        "## Objectives",
        "",
    ]
    if objectives:
        out += [
            "| account | objective | key result | progress | actions done | owner | due |",
            "|---|---|---|---|---|---|---|",
        ]
        for o in objectives:
            kr = o.kr_share
            late = " (overdue)" if o.due and o.due < today and (kr or 0) < 1 else ""
            out.append(
                f"| {md_cell(o.account)} | {md_cell(o.title)} | {md_cell(o.key_result_text())} | "
                f"{f'{kr * 100:.0f}%' if kr is not None else '–'} | "
                f"{o.actions_done}/{o.actions} | {md_cell(o.owner) or '–'} | {_when(o.due)}{late} |"
            )
    else:
        out.append("No objectives yet.")
    out += ["", "## Actions", ""]

    def table(rows: list[ActionRow]) -> list[str]:
        lines = [
            "| action | account | objective | owner | due | priority | status |",
            "|---|---|---|---|---|---|---|",
        ]
        for a in rows:
            status = STATUS_LABEL[a.status] + (f" {a.done_on.isoformat()}" if a.done_on else "")
            lines.append(
                f"| {md_cell(a.title)} | {md_cell(a.account)} | {md_cell(a.objective) or '–'} | "
                f"{md_cell(a.owner) or '–'} | {_when(a.due)} | {a.priority} | {status} |"
            )
        return lines

    out += [f"### Overdue ({len(overdue):,})", ""]
    out += table(sorted(overdue, key=lambda a: (a.due or today, a.id))) if overdue else ["None."]
    for status in ("blocked", "doing", "todo"):
        in_status = [a for a in actions if a.status == status and not a.overdue(today)]
        out += ["", f"### {STATUS_LABEL[status]} ({len(in_status):,})", ""]
        out += table(in_status) if in_status else ["None."]
    done = sorted(
        (a for a in actions if a.status == "done"),
        key=lambda a: (a.done_on or dt.date.min, a.id),
        reverse=True,
    )
    out += ["", f"### Done ({len(done):,}; latest {min(max_done, len(done))})", ""]
    out += table(done[:max_done]) if done else ["None."]

    owners: dict[str, Counter[str]] = defaultdict(Counter)
    for a in actions:
        who = a.owner or "(no owner)"
        owners[who]["open" if a.status != "done" else "done"] += 1
        if a.overdue(today):
            owners[who]["overdue"] += 1
    for o in objectives:
        owners[o.owner or "(no owner)"]["objectives"] += 1
    out += ["", "## Who owns what", "", "| owner | objectives | open actions | overdue | done |"]
    out.append("|---|---|---|---|---|")
    for who, c in sorted(owners.items(), key=lambda kv: (-kv[1]["overdue"], kv[0])):
        out.append(
            f"| {md_cell(who)} | {c['objectives']:,} | {c['open']:,} | {c['overdue']:,} | {c['done']:,} |"
        )
    return "\n".join(out) + "\n"
