"""What the account screen's sections share — built when first shown, loaded through the
worker boundary, reloaded when the data changes (a save, an undo) — and its two
read-only sections, Plan and History."""

from __future__ import annotations

import datetime as dt
from typing import Any

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Markdown

from kamtui.screens.dbwork import DbWork


class Section(DbWork, VerticalScroll):
    """One tab of the account screen. Subclasses compose their widgets and ``load()``
    their plain data with ``db_read``; they never hold the database."""

    DEFAULT_CSS = """
    Section { height: 1fr; padding: 0 1; }
    """

    class Changed(Message):
        """A section saved something: the screen re-reads the account (head, profile)."""

    def __init__(self, account_id: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.account_id = account_id

    @property
    def today(self) -> dt.date:
        return self.app.today  # type: ignore[attr-defined]

    @property
    def account_name(self) -> str:
        view = getattr(self.screen, "view", None)
        return view.name if view is not None else "the account"

    def on_mount(self) -> None:
        self.load()

    def load(self) -> None:
        raise NotImplementedError


class PlanSection(Section):
    """The one-page account plan, as `kam plan` writes it (read-only: view 5 edits the
    objectives and actions; the SWOT, Buying, Relationships and Log tabs the rest)."""

    def compose(self) -> ComposeResult:
        from kamtui.widgets.account_plan import AccountPlan

        yield AccountPlan(id="plan-text")

    def load(self) -> None:
        from kamtui.services.account_plan import plan_markdown
        from kamtui.widgets.account_plan import AccountPlan

        plan = self.query_one(AccountPlan)
        self.db_read("account-plan", plan_markdown, self.account_id, self.today, then=plan.show)


def history_markdown(db: Any, account_id: int) -> str:
    from kamtui.services.accounts import status_history
    from kamtui.services.lifecycle import stage_history

    lines = ["| when | change | reason |", "|---|---|---|"]
    for h in status_history(db, account_id):
        change = (
            f"{h.old_status} → {h.new_status}" if h.old_status else f"created as {h.new_status}"
        )
        reason = h.reason.replace("|", "\\|")
        lines.append(f"| {h.changed_at:%Y-%m-%d %H:%M} | {change} | {reason} |")
    stages = ["| when | move | note |", "|---|---|---|"]
    for mv in stage_history(db, account_id):
        note = mv.note.replace("|", "\\|")
        stages.append(f"| {mv.moved_at:%Y-%m-%d %H:%M} | {mv.text} | {note} |")
    return (
        "## Status history\n\n"
        + "\n".join(lines)
        + "\n\n## Lifecycle stage moves\n\n"
        + ("\n".join(stages) if len(stages) > 2 else "None yet.")
    )


class HistorySection(Section):
    """Status changes with their reasons, and lifecycle stage moves."""

    def compose(self) -> ComposeResult:
        yield Markdown("Loading the history…", id="history-text")

    def load(self) -> None:
        text = self.query_one("#history-text", Markdown)

        def show(markdown: str) -> None:
            text.update(markdown)

        self.db_read("account-history", history_markdown, self.account_id, then=show)
