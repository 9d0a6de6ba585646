"""View 6: reviews due — overdue first, then due this month, then upcoming, in date order.

"Do we still like you?" (seed 002, stage 5): every key account is reviewed on its
cadence. `enter` opens (or starts) the review of the account under the cursor.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import Input, Static, TextArea

from kamtui.commands import Command, bindings
from kamtui.errors import KamError
from kamtui.screens.base import KamScreen
from kamtui.screens.dbwork import DbWork
from kamtui.screens.dialogs.lines import LinesDialog
from kamtui.services.reviews import DueRow, due_counts, due_state, due_text
from kamtui.widgets.inputs import KamInput
from kamtui.widgets.table import Column, VirtualTable

CADENCE_SHORT = {
    "monthly": "monthly",
    "quarterly": "quarterly",
    "half-yearly": "half-yr",
    "none": "once",
}


def _when_style(today: dt.date) -> Any:
    def style(r: DueRow) -> str | None:
        state = due_state(r.next_review, today)
        if state == "overdue":
            return "bold red"
        if state in ("today", "month"):
            return "bold"
        return None

    return style


def make_columns(today: dt.date) -> tuple[Column[DueRow], ...]:
    return (
        Column("name", "Account", 18, lambda r: r.name, lambda r: r.name.lower(), flex=True),
        Column("when", "When", 15, lambda r: due_text(r.next_review, today), lambda r: r.next_review, style=_when_style(today)),
        Column("due", "Due", 10, lambda r: r.next_review.isoformat(), lambda r: r.next_review),
        Column("state", "Review", 9, lambda r: "▶ started" if r.open_review_id else "", lambda r: r.open_review_id is None),
        Column("cadence", "Cadence", 9, lambda r: CADENCE_SHORT.get(r.cadence, r.cadence), lambda r: r.cadence),
        Column("last", "Last held", 10, lambda r: r.last_held.isoformat() if r.last_held else "never", lambda r: r.last_held),
        Column("rating", "Sat", 3, lambda r: f"{r.last_rating}/5" if r.last_rating else "–", lambda r: r.last_rating, align="right"),
        Column("actions", "Open", 4, lambda r: str(r.open_actions) if r.open_actions else "", lambda r: r.open_actions, align="right"),
        Column("owner", "Owner", 12, lambda r: r.owner, lambda r: r.owner.lower() or None),
    )  # fmt: skip


COMMANDS: tuple[Command, ...] = (
    Command("reviews.open", "enter", "open", "Open", "Open review", "Open the review of the account under the cursor (starts it from the checklist template)."),
    Command("reviews.schedule", "e", "schedule", "Schedule", "Edit review schedule", "Change the cadence or set the next review date by hand."),
    Command("reviews.account", "o", "account", "Account", "Open account", "Open the account screen (past reviews are in its Reviews section)."),
    Command("reviews.template", "t", "template", "Template", "Edit checklist template", "Edit the checklist every new review starts from (in the settings)."),
    Command("reviews.filter", "slash", "filter", "Filter", "Filter reviews", "Filter as you type: account, owner, cadence.", key_display="/"),
    Command("reviews.clear", "escape", "clear_filter", "Clear", "Clear filter", "Clear the filter."),
    Command("reviews.reload", "ctrl+r", "reload", "Reload", "Reload reviews", "Read the reviews again from the database.", show=False),
)  # fmt: skip


class ReviewsScreen(DbWork, KamScreen):
    MODE = "reviews"
    TITLE_TEXT = "Reviews"
    HELP = (
        "Regular review visits keep a key account: assess their current needs, follow up the "
        "last review's actions, present the value delivered since (seed 002, stage 5: *Do we "
        "still like you?*). Every account with a next review is listed soonest first: overdue "
        "ones say **⚠ overdue** and by how many days, **● due today**, **◆ this month**, then "
        "upcoming. `enter` opens the review (a new one starts from the checklist template), "
        "`e` changes the cadence or the date, `t` edits the template. Completing a review "
        "schedules the next one by the account's cadence from the day it was held."
    )
    COMMANDS_LIST = COMMANDS
    BINDINGS: ClassVar[list[BindingType]] = bindings(COMMANDS)  # type: ignore[assignment]

    DEFAULT_CSS = """
    ReviewsScreen #status-line { height: 1; background: $panel; color: $text-muted; padding: 0 1; }
    ReviewsScreen #filter { dock: bottom; display: none; margin-bottom: 1; border: tall $accent; }
    ReviewsScreen #filter.visible { display: block; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.table: VirtualTable[DueRow] | None = None
        self.loaded = False

    def compose(self) -> ComposeResult:
        self.table = VirtualTable(
            make_columns(self.kam.today),
            row_key=lambda r: r.account_id,
            search_text=lambda r: f"{r.name}\t{r.owner}\t{r.cadence}",
            empty_text="Loading reviews…",
            id="reviews",
        )
        yield from self.compose_bar()
        yield self.table
        yield Static("", id="status-line")
        yield KamInput(placeholder="filter: account, owner, cadence — escape clears", id="filter")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        assert self.table is not None
        self.table.sort_by("when")
        self.set_focus(self.table)
        self.load()

    def on_screen_resume(self) -> None:
        if self.loaded:
            self.load()

    # --- data --------------------------------------------------------------------------------

    def load(self) -> None:
        from kamtui.services.reviews import list_due

        self.db_read("reviews-load", list_due, self.kam.today, then=self.show_rows)

    def show_rows(self, rows: list[DueRow]) -> None:
        assert self.table is not None
        self.table.empty_text = (
            "No reviews scheduled: give a key account a cadence (e, or its Profile section)."
        )
        self.table.set_rows(rows)
        self.loaded = True
        self._update_status()
        self.refresh_bindings()

    def _update_status(self) -> None:
        assert self.table is not None
        counts = due_counts(self.table._all, self.kam.today)
        parts = [
            f"⚠ {counts['overdue']} overdue",
            f"● {counts['today']} today",
            f"◆ {counts['month']} later this month",
            f"{counts['upcoming']} upcoming",
        ]
        if self.table.filter_text:
            parts.append(f"filter “{self.table.filter_text}”: {self.table.row_count} shown")
        self.query_one("#status-line", Static).update(" · ".join(parts))

    # --- filter --------------------------------------------------------------------------------

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.add_class("visible")
        self.set_focus(box)
        self.refresh_bindings()

    def action_clear_filter(self) -> None:
        assert self.table is not None
        box = self.query_one("#filter", Input)
        box.value = ""
        box.remove_class("visible")
        self.table.set_filter("")
        self.set_focus(self.table)
        self._update_status()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        assert self.table is not None
        self.table.set_filter(event.value)
        self._update_status()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        assert self.table is not None
        self.set_focus(self.table)

    def action_reload(self) -> None:
        self.load()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("open", "schedule", "account"):
            return self.table is not None and self.table.cursor_row is not None
        if action == "clear_filter":
            return (self.table is not None and bool(self.table.filter_text)) or self.query_one(
                "#filter"
            ).has_class("visible")
        return True

    @on(VirtualTable.CursorMoved)
    def _cursor_moved(self) -> None:
        self.refresh_bindings()

    # --- open, schedule, template -------------------------------------------------------------------

    @on(VirtualTable.Selected)
    def _selected(self, event: VirtualTable.Selected) -> None:
        self.open_review(event.row.account_id)

    def action_open(self) -> None:
        if self.table is not None and self.table.cursor_row is not None:
            self.open_review(self.table.cursor_row.account_id)

    def open_review(self, account_id: int) -> None:
        from kamtui.screens.review import ReviewScreen
        from kamtui.services.reviews import start_review

        def refused(exc: KamError) -> None:
            self.notify(str(exc), severity="error")
            self.load()

        def started(review_id: int) -> None:
            self.app.push_screen(ReviewScreen(review_id))

        self.db_write(
            "review-start", start_review, account_id, self.kam.today, then=started, failed=refused
        )

    def action_account(self) -> None:
        from kamtui.screens.account import open_account

        if self.table is not None and self.table.cursor_row is not None:
            open_account(self, self.table.cursor_row.account_id)

    def action_schedule(self) -> None:
        """e: read the account's schedule in a worker, then the form, whose save runs on
        the writer thread (undoable)."""
        row = self.table.cursor_row if self.table is not None else None
        if row is not None:
            self.db_read(
                "reviews-schedule-read", read_schedule, row.account_id, then=self._schedule
            )

    def _schedule(self, start: Schedule) -> None:
        from kamtui.screens.dialogs.form import FormField
        from kamtui.screens.dialogs.work_form import WorkFormDialog
        from kamtui.services.reviews import set_schedule
        from kamtui.services.undo import UndoLabel

        today = self.kam.today
        old_next = start.next_review.isoformat() if start.next_review else ""

        def write(db: Any, values: dict[str, str]) -> Schedule:
            account = set_schedule(db, start.account_id, start.version, values, today)
            return Schedule(
                start.account_id, account.version, account.name, account.review_cadence,
                account.next_review,
            )  # fmt: skip

        def undo(values: dict[str, str]) -> UndoLabel:
            def words(cadence: str, when: str) -> str:
                return f"{cadence}, next review {when or 'by cadence'}"

            new = words(
                values.get("review_cadence", start.cadence).strip() or start.cadence,
                values.get("next_review", old_next).strip(),
            )
            return UndoLabel(
                f"review schedule of {start.name}", words(start.cadence, old_next), new
            )

        def done(result: Schedule | None) -> None:
            if result is not None:
                when = result.next_review.isoformat() if result.next_review else "none"
                self.notify(
                    f"{result.name}: {result.cadence}, next review {when}; ctrl+z undoes it."
                )
                self.load()

        fields = [
            FormField("review_cadence", "Cadence", start.cadence, "monthly / quarterly / half-yearly / none"),
            FormField("next_review", "Next review (clear it to schedule by cadence)", old_next, "YYYY-MM-DD"),
        ]  # fmt: skip
        dialog = WorkFormDialog(
            f"Review schedule of {start.name}", fields, write, undo=undo,
            work_name="reviews-schedule", only_changed=True,
        )  # fmt: skip
        self.app.push_screen(dialog, done)

    def action_template(self) -> None:
        """t: read the template in a worker, then edit it; the save runs on the writer
        thread (undoable)."""
        from kamtui.services.reviews import get_template

        self.db_read("reviews-template-read", get_template, then=self._template)

    def _template(self, lines: list[str]) -> None:
        def done(result: list[str] | None) -> None:
            if result is not None:
                self.notify(
                    f"Checklist template saved: {len(result)} points for new reviews; "
                    "ctrl+z undoes it."
                )

        self.app.push_screen(TemplateDialog(lines), done)


@dataclass(frozen=True)
class Schedule:
    """An account's review schedule as the form starts from it (plain data)."""

    account_id: int
    version: int
    name: str
    cadence: str
    next_review: dt.date | None


def read_schedule(db: Any, account_id: int) -> Schedule:
    from kamtui.services.accounts import get_account

    a = get_account(db, account_id)
    assert a.id is not None
    return Schedule(a.id, a.version, a.name, a.review_cadence, a.next_review)


class TemplateDialog(DbWork, LinesDialog):
    """The checklist template as lines; ctrl+s saves on the writer thread (undoable), and
    a refusal (a bad template, a busy database) shows in the dialog, which stays open."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__(
            "Review checklist template — one point per line; new reviews start from it",
            lines,
            list,
        )
        self.saving = False

    def action_save(self) -> None:
        from kamtui.services.reviews import save_template
        from kamtui.services.undo import UndoLabel

        if self.saving:
            return
        self.saving = True
        lines = self.query_one(TextArea).text.splitlines()
        new = [line.strip() for line in lines if line.strip()]
        label = UndoLabel(
            "the review checklist template", f"{len(self.lines)} points", f"{len(new)} points"
        )
        self.query_one("#error", Static).update("saving…")
        self.db_write(
            "reviews-template", save_template, lines,
            then=self._saved, failed=self._failed, undo=label,
        )  # fmt: skip

    def _saved(self, result: list[str]) -> None:
        self.saving = False
        self.dismiss(result)

    def _failed(self, exc: KamError) -> None:
        self.saving = False
        self.query_one("#error", Static).update(f"✗ {exc}")
