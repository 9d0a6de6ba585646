"""The account screen's Plan: the account's objectives and actions (read-only).

Editing happens on the attack plan (view 5, `f` to filter to the account); this pane
shows where the account's plan stands: key results, progress, open actions overdue
first, and the last actions done.
"""

from __future__ import annotations

import datetime as dt

from textual.widgets import Markdown

from kamtui.db import Database
from kamtui.services.plan_report import md_cell as cell
from kamtui.services.plans import OVERDUE_GLYPH, STATUS_LABEL, list_actions, list_objectives


def plan_markdown(db: Database, account_id: int, today: dt.date, *, max_done: int = 10) -> str:
    objectives = list_objectives(db, account_id)
    actions = list_actions(db, today, account_id)
    lines = ["## Objectives", ""]
    if objectives:
        lines += ["| objective | key result | progress | owner | due |", "|---|---|---|---|---|"]
        for o in objectives:
            due = o.due.isoformat() if o.due else "–"
            lines.append(
                f"| {cell(o.title)} | {cell(o.key_result_text())} | {o.progress_text()} | "
                f"{o.owner or '–'} | {due} |"
            )
    else:
        lines.append("No objectives yet: add one on the attack plan (view 5, `o`).")
    open_actions = [a for a in actions if a.status != "done"]
    done = [a for a in actions if a.status == "done"]
    lines += ["", f"## Open actions ({len(open_actions)})", ""]
    if open_actions:
        lines += ["| | action | status | owner | due | priority |", "|---|---|---|---|---|---|"]
        for a in sorted(open_actions, key=lambda a: (not a.overdue(today), a.due or dt.date.max)):
            mark = f"{OVERDUE_GLYPH} overdue" if a.overdue(today) else ""
            due = a.due.isoformat() if a.due else "–"
            lines.append(
                f"| {mark} | {cell(a.title)} | {STATUS_LABEL[a.status]} | {a.owner or '–'} | {due} "
                f"| {a.priority} |"
            )
    else:
        lines.append("Nothing open.")
    if done:
        lines += ["", f"## Done (latest {min(max_done, len(done))} of {len(done)})", ""]
        lines += ["| action | done on | owner |", "|---|---|---|"]
        latest = sorted(done, key=lambda a: a.done_on or dt.date.min, reverse=True)[:max_done]
        for a in latest:
            lines.append(f"| {cell(a.title)} | {a.done_on or '–'} | {a.owner or '–'} |")
    return "\n".join(lines)


class AccountPlan(Markdown):
    """The account's plan as Markdown; the section reads it (``plan_markdown``, in a
    worker) and hands the text down with ``show``."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__("Loading the plan…", **kwargs)  # type: ignore[arg-type]

    def show(self, text: str) -> None:
        self.update(text)
