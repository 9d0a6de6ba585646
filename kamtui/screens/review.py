"""One review: work the checklist, rate satisfaction, agree actions, complete it.

Everything is saved at once (one transaction per key). Alongside the checklist: the
open actions from earlier reviews with their current status, and the value delivered
since the last review. `c` completes the review and schedules the next one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
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
from kamtui.services.undo import UndoLabel
from kamtui.widgets.footer import KeyFooter

if TYPE_CHECKING:
    from kamtui.screens.dialogs.form import FormField

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

    def _refused(self, exc: KamError) -> None:
        """A write refused: one line; unless only busy, read the review again."""
        self.notify(f"Not saved: {exc}", severity="error", timeout=6)
        if not isinstance(exc, BusyError):
            self.load()

    def _form(
        self,
        title: str,
        fields: list[FormField],
        write: Callable[[Any, dict[str, str]], Any],
        undo: Callable[[dict[str, str]], UndoLabel],
        done: Callable[[Any], None],
        name: str,
    ) -> None:
        """A form whose save runs on the writer thread, undoable; a refusal (a bad value,
        a busy database) shows in the form, which stays open with what was typed."""
        from kamtui.screens.dialogs.work_form import WorkFormDialog

        self.app.push_screen(WorkFormDialog(title, fields, write, undo=undo, work_name=name), done)

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
        item = self._focused_item()
        if item is None or self.detail is None or not self.detail.is_open:
            return
        states = ("open", "ticked")
        label = UndoLabel(
            f"“{item.text}” on the review of {self.detail.account_name}",
            states[item.done], states[not item.done],
        )  # fmt: skip
        self.db_write(
            "review-tick", rv.toggle_item, item.id, item.version,
            then=self._patch_item, failed=self._refused, undo=label,
        )  # fmt: skip

    def action_note(self) -> None:
        """e: the note on the point (empty clears it), saved on the writer thread."""
        from kamtui.screens.dialogs.form import FormField

        item = self._focused_item()
        if item is None:
            return

        def write(db: Any, values: dict[str, str]) -> Any:
            return rv.set_item_note(db, item.id, item.version, values["note"])

        def undo(values: dict[str, str]) -> UndoLabel:
            return UndoLabel(f"note on “{item.text}”", item.note, values["note"].strip())

        def done(saved: Any) -> None:
            if saved is not None:
                self._patch_item(saved)
                self.notify("Note saved; ctrl+z undoes it.", timeout=2)

        self._form(
            f"Note on “{item.text}” (empty clears it)", [FormField("note", "Note", item.note)],
            write, undo, done, "review-note",
        )  # fmt: skip

    def action_new_item(self) -> None:
        from kamtui.screens.dialogs.form import FormField

        d = self.detail
        if d is None:
            return
        review_id = self.review_id

        def write(db: Any, values: dict[str, str]) -> Any:
            return rv.add_item(db, review_id, values["text"]).id

        def undo(values: dict[str, str]) -> UndoLabel:
            text = values["text"].strip()
            return UndoLabel(
                f"points of the review of {d.account_name}", f"without “{text}”", f"with “{text}”"
            )

        def done(item_id: Any) -> None:
            if item_id is not None:
                self.load(to_last=True)

        self._form(
            "A new point for this review", [FormField("text", "Point")],
            write, undo, done, "review-new-item",
        )  # fmt: skip

    def action_rate(self) -> None:
        from kamtui.screens.dialogs.rating import RatingDialog

        d = self.detail
        if d is None:
            return

        def rated(rating: int) -> None:
            self.load()
            self.notify(f"Satisfaction {rating}/5: {rv.RATINGS[rating]}.", timeout=2)

        def done(rating: int | None) -> None:
            if rating is None:
                return
            label = UndoLabel(
                f"satisfaction on the review of {d.account_name}",
                f"{d.rating}/5" if d.rating else "not rated", f"{rating}/5",
            )  # fmt: skip
            self.db_write(
                "review-rate", rv.set_rating, self.review_id, rating,
                then=lambda _: rated(rating), failed=self._refused, undo=label,
            )  # fmt: skip

        self.app.push_screen(
            RatingDialog(f"How satisfied is {d.account_name} with us?", rv.RATINGS, d.rating), done
        )

    def action_to_action(self) -> None:
        from kamtui.screens.dialogs.form import FormField

        item, d = self._focused_item(), self.detail
        if item is None or d is None:
            return
        today = self.today
        due = (today + dt.timedelta(days=14)).isoformat()

        def write(db: Any, values: dict[str, str]) -> str:
            return rv.item_to_action(db, item.id, values, today).title

        def undo(values: dict[str, str]) -> UndoLabel:
            title = values["title"].strip() or item.text
            return UndoLabel(
                f"actions agreed in the review of {d.account_name}",
                f"without “{title}”", f"with “{title}”",
            )  # fmt: skip

        def done(title: str | None) -> None:
            if title is not None:
                self.load()
                self.notify(f"Action on the attack plan: {title}.")

        fields = [
            FormField("title", "Action", item.text),
            FormField("due", "Due", due, "YYYY-MM-DD, optional"),
        ]
        self._form("Turn this point into an action", fields, write, undo, done, "review-action")

    def action_add_value(self) -> None:
        from kamtui.screens.account_reviews import value_fields

        d = self.detail
        if d is None:
            return
        today = self.today

        def write(db: Any, values: dict[str, str]) -> str:
            return rv.add_value(db, d.account_id, values, today).description

        def undo(values: dict[str, str]) -> UndoLabel:
            what = values.get("description", "").strip()
            return UndoLabel(
                f"value delivered to {d.account_name}", f"without “{what}”", f"with “{what}”"
            )

        def done(description: str | None) -> None:
            if description is not None:
                self.load()
                self.notify("Value delivered recorded; ctrl+z undoes it.")

        self._form(
            f"Value delivered to {d.account_name}", value_fields(today),
            write, undo, done, "review-value",
        )  # fmt: skip

    def action_complete(self) -> None:
        """c: read the review as it is now, ask first if points are unticked, then the
        form; the save (review done, next one scheduled) runs on the writer thread, and
        ctrl+z reopens the review and puts the schedule back."""
        from kamtui.screens.dialogs.confirm import ConfirmDialog

        def got(d: rv.ReviewDetail) -> None:
            self.detail = d
            self._show()
            if not d.is_open:
                return
            if not d.unticked:
                self._complete_form(d)
                return
            shown = "\n".join(f"  [ ] {i.text}" for i in d.unticked[:6])
            more = f"\n  … and {len(d.unticked) - 6} more" if len(d.unticked) > 6 else ""
            question = (
                f"{len(d.unticked)} of {len(d.items)} points are not ticked:\n{shown}{more}\n\n"
                "Complete the review anyway?"
            )
            self.app.push_screen(
                ConfirmDialog(question, yes="Complete", no="Go back"),
                lambda yes: self._complete_form(d) if yes else None,
            )

        self.db_read("review-complete-read", rv.get_review, self.review_id, then=got)

    def _complete_form(self, d: rv.ReviewDetail) -> None:
        from kamtui.screens.dialogs.form import FormField

        review_id, today = self.review_id, self.today

        def write(db: Any, values: dict[str, str]) -> rv.Completed:
            return rv.complete_review(db, review_id, d.version, values, today)

        def undo(values: dict[str, str]) -> UndoLabel:
            held = values.get("held_on", "").strip() or today.isoformat()
            return UndoLabel(f"the review of {d.account_name}", "open", f"completed {held}")

        def done(result: rv.Completed | None) -> None:
            if result is None:
                return
            self.load()
            nxt = (
                f"next review {result.next_review.isoformat()} ({result.cadence})"
                if result.next_review
                else "no next review (cadence: none)"
            )
            self.notify(f"Review completed; {nxt}. ctrl+z reopens it.")

        fields = [
            FormField("held_on", "Held on", today.isoformat(), "YYYY-MM-DD"),
            FormField("rating", "Satisfaction 1–5", str(d.rating or ""), "1 very unhappy … 5 very happy"),
            FormField("summary", "Summary", d.summary, "what was said and agreed"),
        ]  # fmt: skip
        self._form(
            f"Complete the review of {d.account_name}", fields, write, undo, done,
            "review-complete",
        )  # fmt: skip

    def action_reload(self) -> None:
        self.load()

    def action_back(self) -> None:
        self.dismiss(True)
