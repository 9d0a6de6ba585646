"""One review: work the checklist, rate satisfaction, agree actions, complete it.

Everything is saved at once (one transaction per key). Alongside the checklist: the
open actions from earlier reviews with their current status, and the value delivered
since the last review. `c` completes the review and schedules the next one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from kamtui.commands import Command, bindings
from kamtui.errors import BusyError, KamError
from kamtui.money import format_amount
from kamtui.screens.dbwork import DbWork
from kamtui.services import reviews as rv
from kamtui.widgets.footer import KeyFooter

COMMANDS: tuple[Command, ...] = (
    Command("review.back", "escape", "back", "Back", "Back", "Close the review (everything is saved already).", show=False),
    Command("review.tick", "space", "tick", "Tick", "Tick point", "Tick or untick the point under the cursor."),
    Command("review.rate", "r", "rate", "Rate", "Rate satisfaction", "Rate their satisfaction 1–5."),
    Command("review.note", "e", "note", "Note", "Note on point", "Write a note on the point under the cursor."),
    Command("review.new", "n", "new_item", "Add", "Add a point", "Add an ad-hoc point to this review."),
    Command("review.action", "a", "to_action", "Action", "Turn point into action", "Turn the point into an action on the attack plan (owner: the account's owner)."),
    Command("review.value", "v", "add_value", "Value", "Add value delivered", "Record value delivered to the account (date, what, amount)."),
    Command("review.complete", "c", "complete", "Complete", "Complete review", "Complete the review: date held, rating, summary; schedules the next one."),
    Command("review.reload", "ctrl+r", "reload", "Reload", "Reload review", "Read the review again from the database.", show=False),
)  # fmt: skip

STATUS_MARK = {"todo": "○ to do", "doing": "◐ doing", "blocked": "✖ blocked", "done": "✓ done"}


class Checklist(OptionList):
    """The review's points; vim keys as everywhere else."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False, id="checklist.down"),
        Binding("k", "cursor_up", "Up", show=False, id="checklist.up"),
        Binding("g", "first", "First", show=False, id="checklist.first"),
        Binding("G", "last", "Last", show=False, id="checklist.last"),
    ]


def item_prompt(item: rv.ItemRow) -> Text:
    text = Text()
    text.append("[x] " if item.done else "[ ] ", style="bold" if item.done else "")
    text.append(item.text, style="dim" if item.done else "")
    if item.note:
        text.append(f"\n    ↳ {item.note}", style="italic")
    return text


def action_line(a: rv.ActionRow, today: dt.date) -> str:
    due = ""
    if a.due is not None:
        late = a.status != "done" and a.due < today
        due = f" · due {a.due.isoformat()}{' ⚠ late' if late else ''}"
    return f"{STATUS_MARK.get(a.status, a.status)}  {a.title}{due}"


class ReviewScreen(DbWork, Screen[bool]):
    TITLE_TEXT = "Review"
    HELP = (
        "Work through the checklist with the customer: `space` ticks a point, `e` writes a "
        "note on it, `n` adds a point of your own, `a` turns a point into an action on the "
        "attack plan. `r` rates their satisfaction (1 very unhappy … 5 very happy). On the "
        "right: the actions from earlier reviews with their status now, and the value "
        "delivered since the last review (`v` adds a record). `c` completes the review — it "
        "asks first if points are unticked — records the date held, the rating and a summary, "
        "and schedules the next review by the account's cadence. Every change is saved at once."
    )
    COMMANDS_LIST = COMMANDS
    BINDINGS: ClassVar[list[BindingType]] = bindings(COMMANDS)  # type: ignore[assignment]

    DEFAULT_CSS = """
    ReviewScreen #head { height: auto; background: $panel; padding: 0 1; }
    ReviewScreen #head #title { text-style: bold; }
    ReviewScreen #checklist { height: auto; max-height: 55%; border: round $primary; }
    ReviewScreen #checklist:focus { border: round $accent; }
    ReviewScreen #lower { height: 1fr; }
    ReviewScreen #lower VerticalScroll { width: 1fr; padding: 0 1; }
    ReviewScreen .section { text-style: bold; color: $accent; }
    """

    def __init__(self, review_id: int) -> None:
        super().__init__()
        self.review_id = review_id
        self.detail: rv.ReviewDetail | None = None

    @property
    def db(self) -> Any:
        return self.app.db  # type: ignore[attr-defined]

    @property
    def today(self) -> dt.date:
        return self.app.today  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        with Vertical(id="head"):
            yield Static("", id="title", markup=False)
            yield Static("", id="subtitle", markup=False)
        yield Checklist(id="checklist")
        with Horizontal(id="lower"):
            with VerticalScroll(id="left"):
                yield Static("", id="carried", markup=False)
                yield Static("", id="agreed", markup=False)
            with VerticalScroll(id="right"):
                yield Static("", id="values", markup=False)
                yield Static("", id="summary", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.load()
        self.query_one("#checklist", OptionList).focus()

    # --- showing -----------------------------------------------------------------------------

    def load(self, *, to_last: bool = False) -> None:
        """Read the review (off the UI thread); ``to_last`` puts the cursor on the last point."""

        def gone(exc: KamError) -> None:
            self.notify(str(exc), severity="error")
            if not isinstance(exc, BusyError):
                self.dismiss(True)

        def loaded(detail: rv.ReviewDetail) -> None:
            self.detail = detail
            self._show()
            if to_last:
                checklist = self.query_one("#checklist", OptionList)
                checklist.highlighted = checklist.option_count - 1
            self.refresh_bindings()

        self.db_read("review-load", rv.get_review, self.review_id, then=loaded, failed=gone)

    def _show(self) -> None:
        d = self.detail
        assert d is not None
        checklist = self.query_one("#checklist", OptionList)
        keep = checklist.highlighted
        checklist.clear_options()
        checklist.add_options([Option(item_prompt(i), id=str(i.id)) for i in d.items])
        if d.items:
            checklist.highlighted = min(keep or 0, len(d.items) - 1)
        self._show_head()
        self._show_lower()
        self.refresh_bindings()

    def _show_head(self) -> None:
        d = self.detail
        assert d is not None
        ticked = len(d.items) - len(d.unticked)
        rating = f"{d.rating}/5 {rv.RATINGS[d.rating]}" if d.rating else "not rated (r)"
        self.query_one("#title", Static).update(f"Review · {d.account_name} · {d.cadence} cadence")
        if d.is_open:
            when = d.scheduled_for or self.today
            due = rv.due_text(when, self.today)
            last = (
                f"last held {d.previous_held.isoformat()}"
                + (f" ({d.previous_rating}/5)" if d.previous_rating else "")
                if d.previous_held
                else "first review"
            )
            line = (
                f"Due {when.isoformat()} {due} · {last} · {ticked}/{len(d.items)} ticked · "
                f"satisfaction: {rating}"
            )
        else:
            held = d.held_on.isoformat() if d.held_on else "?"
            nxt = d.next_review.isoformat() if d.next_review else "none (no cadence)"
            line = (
                f"✓ Completed {held} · satisfaction {rating} · {ticked}/{len(d.items)} ticked · "
                f"next review {nxt}"
            )
        self.query_one("#subtitle", Static).update(line)

    def _show_lower(self) -> None:
        d = self.detail
        assert d is not None
        open_count = sum(1 for a in d.carried if a.status != "done")
        lines = [f"Actions from earlier reviews ({open_count} open)"]
        lines += [action_line(a, self.today) for a in d.carried] or ["  none"]
        self.query_one("#carried", Static).update(Text("\n".join(lines)))
        agreed = ["", f"Agreed in this review ({len(d.agreed)})"]
        agreed += [action_line(a, self.today) for a in d.agreed] or ["  none yet (a on a point)"]
        self.query_one("#agreed", Static).update("\n".join(agreed))
        since = f"since {d.previous_held.isoformat()}" if d.previous_held else "so far"
        total = format_amount(d.value_total) if d.value_total else "–"
        values = [f"Value delivered {since} (total {total})"]
        for v in d.values:
            amount = f" · {format_amount(v.amount_minor)}" if v.amount_minor else ""
            values.append(f"{v.delivered_on.isoformat()} {v.description}{amount}")
        if not d.values:
            values.append("  none recorded (v adds one)")
        self.query_one("#values", Static).update("\n".join(values))
        summary = ["", "Summary", d.summary] if d.summary else []
        self.query_one("#summary", Static).update("\n".join(summary))

    # --- keys ------------------------------------------------------------------------------------

    def _focused_item(self) -> rv.ItemRow | None:
        if self.detail is None:
            return None
        index = self.query_one("#checklist", OptionList).highlighted
        if index is None or not 0 <= index < len(self.detail.items):
            return None
        return self.detail.items[index]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        is_open = self.detail is not None and self.detail.is_open
        if action in ("tick", "note", "to_action"):
            return is_open and self._focused_item() is not None
        if action in ("rate", "new_item", "complete"):
            return is_open
        return True

    @on(OptionList.OptionHighlighted)
    def _highlighted(self) -> None:
        self.refresh_bindings()

    @on(OptionList.OptionSelected)
    def _selected(self) -> None:
        self.action_tick()

    def _run(self, fn: Any, *args: Any) -> Any:
        """Call a service; a refusal is one line in a notification, and the view reloads."""
        try:
            return fn(*args)
        except KamError as exc:
            self.notify(str(exc), severity="error")
            self.load()
            return None

    def _patch_item(self, saved: Any) -> None:
        """Show one saved point without re-reading the review (patch, don't rebuild)."""
        d = self.detail
        assert d is not None
        row = rv.ItemRow(
            saved.id, saved.position, saved.text, saved.done, saved.note, saved.version
        )
        index = next(i for i, item in enumerate(d.items) if item.id == row.id)
        items = [*d.items[:index], row, *d.items[index + 1 :]]
        self.detail = dataclasses.replace(d, items=items)
        self.query_one("#checklist", OptionList).replace_option_prompt_at_index(
            index, item_prompt(row)
        )
        self._show_head()

    def action_tick(self) -> None:
        """space: tick or untick the point (saved on the writer thread, undoable)."""
        from kamtui.services.undo import UndoLabel

        item = self._focused_item()
        if item is None or self.detail is None or not self.detail.is_open:
            return

        def refused(exc: KamError) -> None:
            self.notify(f"Not saved: {exc}", severity="error", timeout=6)
            if not isinstance(exc, BusyError):
                self.load()

        states = ("open", "ticked")
        label = UndoLabel(
            f"“{item.text}” on the review of {self.detail.account_name}",
            states[item.done], states[not item.done],
        )  # fmt: skip
        self.db_write(
            "review-tick", rv.toggle_item, item.id, item.version,
            then=self._patch_item, failed=refused, undo=label,
        )  # fmt: skip

    def action_note(self) -> None:
        from kamtui.screens.dialogs.prompt import PromptDialog

        item = self._focused_item()
        if item is None:
            return

        def done(note: str | None) -> None:
            if note is not None:
                saved = self._run(rv.set_item_note, self.db, item.id, item.version, note)
                if saved is not None:
                    self._patch_item(saved)

        self.app.push_screen(
            PromptDialog(f"Note on “{item.text}” (empty clears it)", value=item.note), done
        )

    def action_new_item(self) -> None:
        from kamtui.screens.dialogs.prompt import PromptDialog

        def done(text: str | None) -> None:
            if text and self._run(rv.add_item, self.db, self.review_id, text):
                self.load(to_last=True)

        self.app.push_screen(PromptDialog("A new point for this review", required=True), done)

    def action_rate(self) -> None:
        from kamtui.screens.dialogs.rating import RatingDialog

        d = self.detail
        if d is None:
            return

        def done(rating: int | None) -> None:
            if rating is not None and self._run(rv.set_rating, self.db, self.review_id, rating):
                self.load()
                self.notify(f"Satisfaction {rating}/5: {rv.RATINGS[rating]}.", timeout=2)

        self.app.push_screen(
            RatingDialog(f"How satisfied is {d.account_name} with us?", rv.RATINGS, d.rating), done
        )

    def action_to_action(self) -> None:
        from kamtui.screens.dialogs.form import FormDialog, FormField

        item = self._focused_item()
        if item is None:
            return
        due = (self.today + dt.timedelta(days=14)).isoformat()

        def save(values: dict[str, str]) -> Any:
            return rv.item_to_action(self.db, item.id, values, self.today)

        def done(action: Any) -> None:
            if action is not None:
                self.load()
                self.notify(f"Action on the attack plan: {action.title}.")

        fields = [
            FormField("title", "Action", item.text),
            FormField("due", "Due", due, "YYYY-MM-DD, optional"),
        ]
        self.app.push_screen(FormDialog("Turn this point into an action", fields, save), done)

    def action_add_value(self) -> None:
        from kamtui.screens.account_reviews import value_fields
        from kamtui.screens.dialogs.form import FormDialog

        d = self.detail
        if d is None:
            return

        def save(values: dict[str, str]) -> Any:
            return rv.add_value(self.db, d.account_id, values, self.today)

        def done(record: Any) -> None:
            if record is not None:
                self.load()
                self.notify("Value delivered recorded.")

        self.app.push_screen(
            FormDialog(f"Value delivered to {d.account_name}", value_fields(self.today), save), done
        )

    @work(exclusive=True, group="complete")
    async def action_complete(self) -> None:
        from kamtui.screens.dialogs.confirm import ConfirmDialog
        from kamtui.screens.dialogs.form import FormDialog, FormField

        self.load()
        d = self.detail
        if d is None or not d.is_open:
            return
        if d.unticked:
            shown = "\n".join(f"  [ ] {i.text}" for i in d.unticked[:6])
            more = f"\n  … and {len(d.unticked) - 6} more" if len(d.unticked) > 6 else ""
            question = (
                f"{len(d.unticked)} of {len(d.items)} points are not ticked:\n{shown}{more}\n\n"
                "Complete the review anyway?"
            )
            if not await self.app.push_screen_wait(
                ConfirmDialog(question, yes="Complete", no="Go back")
            ):
                return

        def save(values: dict[str, str]) -> rv.Completed:
            return rv.complete_review(self.db, self.review_id, d.version, values, self.today)

        fields = [
            FormField("held_on", "Held on", self.today.isoformat(), "YYYY-MM-DD"),
            FormField("rating", "Satisfaction 1–5", str(d.rating or ""), "1 very unhappy … 5 very happy"),
            FormField("summary", "Summary", d.summary, "what was said and agreed"),
        ]  # fmt: skip
        result = await self.app.push_screen_wait(
            FormDialog(f"Complete the review of {d.account_name}", fields, save)
        )
        if result is None:
            return
        self.load()
        nxt = (
            f"next review {result.next_review.isoformat()} ({result.cadence})"
            if result.next_review
            else "no next review (cadence: none)"
        )
        self.notify(f"Review completed; {nxt}.")

    def action_reload(self) -> None:
        self.load()

    def action_back(self) -> None:
        self.dismiss(True)
