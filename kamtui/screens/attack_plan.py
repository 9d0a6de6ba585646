"""View 5: the attack plan — actions on a kanban (to do · doing · blocked · done).

Columns read their cards a page at a time from the database in board order (open
actions soonest due first, so overdue on top; done newest first), so the board opens at
once with 100,000 actions. Overdue cards carry ! (and the warning colour); high
priority ▲. `f` filters by account, owner, overdue or due this week; the side panel
shows the objectives and key results of the focused card's account.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import ClassVar, TypeAlias

from rich.text import Text
from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import BindingType
from textual.containers import Container
from textual.events import Resize
from textual.screen import ModalScreen
from textual.widgets import Static

from kamtui import models as m
from kamtui.commands import Command, bindings
from kamtui.db import Database
from kamtui.errors import KamError, StaleError
from kamtui.screens.base import KamScreen
from kamtui.screens.dbwork import DbWork
from kamtui.screens.dialogs.work_form import WorkFormDialog
from kamtui.services import fields as f
from kamtui.services import plans
from kamtui.services.plans import (
    OVERDUE_GLYPH,
    PRIORITY_GLYPH,
    STATUS_LABEL,
    ActionFilter,
    ActionRow,
)
from kamtui.services.undo import UndoLabel
from kamtui.widgets.board import Board, BoardColumn, Card

COMMANDS: tuple[Command, ...] = (
    Command("plan.new", "n", "new", "New", "New action", "Add an action (account, objective, owner, due date, priority)."),
    Command("plan.edit", "e", "edit", "Edit", "Edit action", "Edit the focused action (enter too)."),
    Command("plan.delete", "d", "delete", "Delete", "Delete action", "Delete the focused action (asks first)."),
    Command("plan.filter", "f", "filter", "Filter", "Filter actions", "Show only one account, one owner, overdue or due this week."),
    Command("plan.clear", "escape", "clear_filter", "Clear filter", "Clear filter", "Show every action again."),
    Command("plan.objective", "o", "new_objective", "Objective", "New objective", "Add an objective with a key result for the focused account."),
    Command("plan.edit_objective", "O", "edit_objective", "Edit objective", "Edit objective", "Edit the focused action's objective: its key result's current value, target, owner.", show=False),
    Command("plan.reload", "ctrl+r", "reload", "Reload", "Reload plan", "Read the plan again from the database.", show=False),
)  # fmt: skip

PAGE = 100
NARROW = 110


LOADING = Card(0, "…")


@dataclass(frozen=True)
class ColumnStart:
    """What a column needs to open: its counts and its first page, read in a worker."""

    status: str
    count: int
    late: int
    dated: int
    first: list[ActionRow]


def read_board(db: Database, flt: ActionFilter, today: dt.date) -> list[ColumnStart]:
    """Counts (one indexed query) and the first page of every column, off the UI thread."""
    counts = plans.column_counts(db, flt, today)
    out = []
    for status in m.ACTION_STATUSES:
        n, late = counts[status]
        dated = plans.dated_count(db, status, flt, today, n)
        first = plans.action_page(db, status, flt, today, 0, PAGE, dated)
        out.append(ColumnStart(status, n, late, dated, first))
    return out


def placement(db: Database, row: ActionRow, flt: ActionFilter, today: dt.date) -> int | None:
    """Where a changed action now sits in its column, or None if the filter hides it."""
    if not (flt.empty or plans.matches(db, row.id, flt, today)):
        return None
    return plans.position_of(db, row, flt, today)


Placed: TypeAlias = tuple[ActionRow, int | None]
"""A saved action and where it now sits in its column (None: the filter hides it)."""


def edit_label(
    thing: str, specs: dict[str, f.FieldSpec], start: dict[str, str], values: dict[str, str]
) -> UndoLabel:
    """An edit in words: "due date of “Call CFO”" back to '2026-12-01' for one field,
    "“Call CFO”" back to 'due date: 2026-12-01, priority: high' for several."""

    def name(field: str) -> str:
        return "due date" if field == "due" else specs[field].label.lower()

    changed = [n for n, v in values.items() if v.strip() != start.get(n, "").strip()]
    if len(changed) == 1:
        (field,) = changed
        return UndoLabel(f"{name(field)} of {thing}", start.get(field, ""), values[field])
    old = ", ".join(f"{name(n)}: {start.get(n, '') or 'empty'}" for n in changed)
    new = ", ".join(f"{name(n)}: {values[n] or 'empty'}" for n in changed)
    return UndoLabel(thing, old or "unchanged", new or "unchanged")


def find_objective(db: Database, account_id: int, objective_id: int) -> plans.ObjectiveRow | None:
    return next((o for o in plans.list_objectives(db, account_id) if o.id == objective_id), None)


@dataclass(frozen=True)
class FilterChoice:
    """A filter from the form: what it lets through, in words, and as the form shows it."""

    filter: ActionFilter
    text: str
    values: dict[str, str]


def read_filter(db: Database, raw: dict[str, str]) -> FilterChoice:
    """Look the typed account and owner up (a read; nothing is written)."""
    flt, text = plans.parse_filter(db, raw)

    def name(table: str, row_id: int | None) -> str:
        if row_id is None:
            return ""
        rows = db.fetch(f"SELECT name FROM {table} WHERE id = ?", [row_id])
        return str(rows[0][0]) if rows else ""

    values = {
        "account": name("account", flt.account_id),
        "owner": name("person", flt.owner_id),
        "overdue": "yes" if flt.overdue else "",
        "week": "yes" if flt.this_week else "",
    }
    return FilterChoice(flt, text, values)


class FilterDialog(WorkFormDialog):
    """The filter form: it only reads (account and owner by name), in a read worker, and a
    name not found shows beside its field."""

    def action_save(self) -> None:
        if self.saving:
            return
        self.saving = True
        self.query_one("#form-error", Static).update("looking up…")
        self.db_read(
            self.work_name, self.write, self.values(), then=self._saved, failed=self._failed
        )


class ActionSource:
    """One kanban column (a ``CardSource``) whose cards are read a page at a time in
    workers. Drawing never queries: a card not read yet shows as … and its page is asked
    for; cards already read shift in place when one leaves or arrives."""

    def __init__(self, screen: AttackPlanScreen, start: ColumnStart) -> None:
        self.screen = screen
        self.status = start.status
        self.count = start.count
        self.dated = start.dated
        self.cards: dict[int, Card] = {i: screen.card_for(r) for i, r in enumerate(start.first)}
        self.pending: set[int] = set()
        self.generation = 0
        self.position: int | None = None  # where the next arriving card sits (from the write)

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, index: int) -> Card:
        card = self.cards.get(index)
        if card is None:
            self.screen.fetch_page(self, index // PAGE)
            return LOADING
        return card

    def fill(self, page: int, generation: int, rows: list[ActionRow]) -> None:
        self.pending.discard(page)
        if generation != self.generation:
            return  # read before a card moved: ask again when drawn
        for i, row in enumerate(rows):
            self.cards[page * PAGE + i] = self.screen.card_for(row)

    def remove(self, index: int) -> None:
        card = self.cards.get(index)
        if card is not None and card.data is not None and card.data.due is not None:
            self.dated -= 1
        self.cards = {(i if i < index else i - 1): c for i, c in self.cards.items() if i != index}
        self.count = max(0, self.count - 1)
        self.generation += 1

    def insert(self, card: Card) -> int:
        if card.data.due is not None:
            self.dated += 1
        position = 0 if self.position is None else min(self.position, self.count)
        self.position = None
        self.cards = {(i if i < position else i + 1): c for i, c in self.cards.items()}
        self.cards[position] = card
        self.count += 1
        self.generation += 1
        return position


class AttackPlanScreen(DbWork, KamScreen):
    MODE = "plan"
    TITLE_TEXT = "Attack plan"
    HELP = (
        "The attack plan: every action in pursuit of an account's objectives, on a kanban "
        "(to do · doing · blocked · done). Open columns list the soonest due first, so "
        "overdue actions (marked !) are on top; ▲ marks high priority. Arrows or h j k l move; "
        "`<` / `>` (shift+left / shift+right) move the action to the previous / next column "
        "(done stamps today's date). `n` adds, `e` or `enter` edits, `d` deletes (asks first); "
        "`f` filters by account, owner, overdue or due this week, `escape` clears the filter. "
        "The panel shows the focused account's objectives: key result progress and actions "
        "done; `o` adds an objective, `O` edits the focused action's objective. "
        "`kam status-report` prints the plan as Markdown."
    )
    COMMANDS_LIST = COMMANDS
    BINDINGS: ClassVar[list[BindingType]] = bindings(COMMANDS)  # type: ignore[assignment]

    DEFAULT_CSS = """
    AttackPlanScreen #status-line { height: 1; background: $panel; color: $text-muted; padding: 0 1; }
    AttackPlanScreen #body { layout: horizontal; height: 1fr; }
    AttackPlanScreen #panel { width: 38; height: 1fr; padding: 0 1; background: $panel; }
    AttackPlanScreen.-narrow #body { layout: vertical; }
    AttackPlanScreen.-narrow #panel { width: 1fr; height: 5; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.board = Board(empty_text="nothing here", id="board")
        self.filter = ActionFilter()
        self.filter_text = ""
        self.filter_values: dict[str, str] = {}  # the filter as its form shows it again
        self.counts: dict[str, tuple[int, int]] = {}
        self.loaded = False
        self.stale = False
        self._panel_account: int | None = None
        self._panel_objectives: list[plans.ObjectiveRow] | None = None

    def compose(self) -> ComposeResult:
        yield from self.compose_bar()
        yield Static("Loading…", id="status-line")
        with Container(id="body"):
            yield self.board
            yield Static("", id="panel")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.board.focus()
        self.load()

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width < NARROW, "-narrow")

    def on_screen_suspend(self) -> None:
        self.stale = not isinstance(self.app.screen, ModalScreen)

    def on_screen_resume(self) -> None:
        if self.loaded and self.stale:
            self.load()

    # --- data ----------------------------------------------------------------------------------

    def card_for(self, row: ActionRow) -> Card:
        today = self.kam.today
        late = row.overdue(today)
        badge = (OVERDUE_GLYPH if late else "") + PRIORITY_GLYPH.get(row.priority, "")
        when = ""
        if row.status == "done" and row.done_on:
            when = f"✓{row.done_on:%d %b}"
        elif row.due:
            when = (
                f"due {row.due:%d %b}" if row.due.year == today.year else f"due {row.due:%d %b %y}"
            )
        owner = row.owner.split()[0] if row.owner else "no owner"
        detail = " · ".join(p for p in (row.account, when, owner) if p)
        return Card(row.id, row.title, detail, badge, late, row)

    def load(self) -> None:
        """Counts and first pages in a worker, then columns that read more on demand."""
        flt, today = self.filter, self.kam.today
        self.db_read("plan-load", read_board, flt, today, then=self.show_board)

    def show_board(self, starts: list[ColumnStart]) -> None:
        self.counts = {c.status: (c.count, c.late) for c in starts}
        columns = [
            BoardColumn(c.status, STATUS_LABEL[c.status], ActionSource(self, c)) for c in starts
        ]
        self.board.set_columns(columns)
        for i in range(len(columns)):
            self._summarise(i)
        self._update_status()
        self.loaded = True

    def fetch_page(self, source: ActionSource, page: int) -> None:
        if page in source.pending:
            return
        source.pending.add(page)
        flt, today, generation = self.filter, self.kam.today, source.generation
        status, dated = source.status, source.dated

        def read(db: Database) -> list[ActionRow]:
            return plans.action_page(db, status, flt, today, page * PAGE, PAGE, dated)

        def got(rows: list[ActionRow]) -> None:
            source.fill(page, generation, rows)
            self.board.refresh()
            self.show_panel(self.board.card)

        self.db_read(
            f"plan-page-{status}-{page}", read, then=got,
            failed=lambda _exc: source.pending.discard(page),
        )  # fmt: skip

    def _summarise(self, index: int) -> None:
        status = m.ACTION_STATUSES[index]
        n, late = self.counts.get(status, (0, 0))
        text = f"{n:,}" + (f" · {OVERDUE_GLYPH} {late:,} late" if late else "")
        self.board.set_summary(index, text)

    def _update_status(self) -> None:
        total = sum(n for n, _ in self.counts.values())
        late = sum(x for _, x in self.counts.values())
        parts = [f"{total:,} actions", f"{OVERDUE_GLYPH} {late:,} overdue"]
        parts.append(f"filter: {self.filter_text}" if self.filter_text else "f filters")
        self.query_one("#status-line", Static).update(" · ".join(parts))

    def action_reload(self) -> None:
        self._panel_account = None
        self.load()

    def _recount(self, old: ActionRow | None, new: ActionRow | None) -> None:
        today = self.kam.today
        for row, sign in ((old, -1), (new, 1)):
            if row is None:
                continue
            n, late = self.counts.get(row.status, (0, 0))
            self.counts[row.status] = (n + sign, late + sign * row.overdue(today))
            self._summarise(m.ACTION_STATUSES.index(row.status))
        self._update_status()

    # --- panel -------------------------------------------------------------------------------------

    @on(Board.Focused)
    def _focused(self, event: Board.Focused) -> None:
        self.refresh_bindings()
        self.show_panel(event.card)

    def show_panel(self, card: Card | None) -> None:
        """The focused action and its account's objectives (read in a worker, once)."""
        panel = self.query_one("#panel", Static)
        if card is None or self._panel_account == card.data.account_id:
            panel.update(self.panel_text(card))
            return
        account_id = card.data.account_id

        def got(objectives: list[plans.ObjectiveRow]) -> None:
            self._panel_account, self._panel_objectives = account_id, objectives
            if self.board.card is not None and self.board.card.data.account_id == account_id:
                panel.update(self.panel_text(self.board.card))

        self._panel_objectives = None
        panel.update(self.panel_text(card))
        self.db_read("plan-panel", plans.list_objectives, account_id, then=got)

    def panel_text(self, card: Card | None) -> Text:
        text = Text()
        if card is None:
            text.append("Objectives\n", "bold")
            text.append("Focus an action to see it and its account's objectives.")
            return text
        row: ActionRow = card.data
        today = self.kam.today
        narrow = self.has_class("-narrow")
        text.append(row.title, "bold")
        late = f"  {OVERDUE_GLYPH} overdue" if row.overdue(today) else ""
        text.append(late + "\n", "bold")
        due = f"due {row.due:%d %b %Y}" if row.due else "no due date"
        done = f", done {row.done_on:%d %b %Y}" if row.done_on else ""
        text.append(f"{row.account} · {row.owner or 'no owner'} · {due}{done} · {row.priority}\n")
        if row.objective and not narrow:
            text.append(f"for: {row.objective}\n", "italic")
        objectives = self._panel_objectives
        text.append(("" if narrow else "\n") + f"Objectives of {row.account}", "bold")
        if objectives is None:
            text.append(" …\n")
            return text
        text.append(f" ({len(objectives)})\n" if narrow else "\n")
        if not objectives:
            text.append("none yet — o adds one (key result: metric, baseline, target)\n")
        for o in objectives:
            due = f", due {o.due:%d %b %Y}" if o.due else ""
            mark = "▸ " if o.id == row.objective_id else "• "
            late = f" {OVERDUE_GLYPH}" if o.due and o.due < today and (o.kr_share or 0) < 1 else ""
            if narrow:
                text.append(f"{mark}{o.title}{late}: {o.progress_text()}\n")
                continue
            text.append(f"{mark}{o.title}{late}\n", "bold")
            text.append(f"  {o.key_result_text()}\n", "dim")
            text.append(f"  {o.progress_text()} · {o.owner or 'no owner'}{due}\n")
        return text

    # --- moves -------------------------------------------------------------------------------------

    @on(Board.MoveRequested)
    def _move_requested(self, event: Board.MoveRequested) -> None:
        """Save the move on the writer thread (undoable), then move the one card."""
        row: ActionRow = event.card.data
        status = m.ACTION_STATUSES[event.target]
        source, index, today = event.source, event.index, self.kam.today

        flt = self.filter

        def save(db: Database) -> tuple[ActionRow, int | None]:
            fresh = plans.move_action(db, row.id, row.version, status, today)
            return fresh, placement(db, fresh, flt, today)

        def refused(exc: KamError) -> None:
            if isinstance(exc, StaleError):
                self.notify(f"Not moved: {exc}. The board is read again.", severity="error")
                self.load()
            else:
                self.notify(f"Not moved: {exc}", severity="error", timeout=6)

        label = UndoLabel(f"“{row.title}”", STATUS_LABEL[row.status], STATUS_LABEL[status])
        self.db_write(
            "plan-move", save, then=lambda done: self.patch(source, index, row, *done),
            failed=refused, undo=label,
        )  # fmt: skip

    def patch(
        self, column: int, index: int, old: ActionRow, new: ActionRow, position: int | None = -1
    ) -> None:
        """The action changed: move its card to ``position`` in its column (None: the
        filter hides it now; -1: not known yet, read it in a worker first)."""
        if position == -1:
            flt, today = self.filter, self.kam.today
            self.db_read(
                "plan-place", placement, new, flt, today,
                then=lambda where: self.patch(column, index, old, new, where),
            )  # fmt: skip
            return
        self._recount(old, None)
        if position is not None:
            self._recount(None, new)
            target = m.ACTION_STATUSES.index(new.status)
            self._arriving(target, position)
            self.board.card_moved(column, index, target, self.card_for(new))
        else:
            self.board.card_removed(column, index)
        self._panel_account = None

    def _arriving(self, column: int, position: int) -> None:
        source = self.board.columns[column].source
        if isinstance(source, ActionSource):
            source.position = position

    # --- new, edit, delete ---------------------------------------------------------------------------

    def _form(
        self,
        title: str,
        values: dict[str, str],
        write: Callable[[Database, dict[str, str]], Placed],
        undo: Callable[[dict[str, str]], UndoLabel],
        done: Callable[[Placed | None], None],
        *,
        only_changed: bool = False,
    ) -> None:
        """The action form; its save runs on the writer thread, undoable."""
        from kamtui.screens.dialogs.choices import spec_fields

        fields = spec_fields(
            plans.ACTION_FIELDS, values, references=("account", "objective", "owner")
        )
        dialog = WorkFormDialog(
            title, fields, write, undo=undo, work_name="plan-save", only_changed=only_changed
        )
        self.app.push_screen(dialog, done)

    def _default_account(self) -> str:
        if self.filter.account_id is not None:
            return self.filter_values.get("account", "")
        card = self.board.card
        return card.data.account if card is not None else ""

    def action_new(self) -> None:
        due = self.kam.today + dt.timedelta(days=7)
        values = {
            "account": self._default_account(),
            "due": due.isoformat(),
            "priority": "medium",
            "status": "todo",
        }
        flt, today = self.filter, self.kam.today

        def write(db: Database, v: dict[str, str]) -> Placed:
            row = plans.create_action(db, v, today)
            return row, placement(db, row, flt, today)

        def undo(v: dict[str, str]) -> UndoLabel:
            return UndoLabel(f"“{v.get('title', '').strip()}”", "not on the plan", "on the plan")

        def done(result: Placed | None) -> None:
            if result is None:
                return
            row, position = result
            self.notify(f"Added “{row.title}”; ctrl+z takes it back.", timeout=2)
            if position is not None:
                self._recount(None, row)
                column = m.ACTION_STATUSES.index(row.status)
                self._arriving(column, position)
                self.board.card_added(column, self.card_for(row))
            self._panel_account = None

        self._form("New action", values, write, undo, done)

    def action_edit(self) -> None:
        card, column = self.board.card, self.board.focus_column
        if card is None or self.board.column is None:
            return
        index = self.board.column.cursor
        row: ActionRow = card.data
        start = plans.action_values(row)
        flt, today = self.filter, self.kam.today

        def write(db: Database, v: dict[str, str]) -> Placed:
            fresh = plans.update_action(db, row.id, row.version, v, today)
            return fresh, placement(db, fresh, flt, today)

        def undo(v: dict[str, str]) -> UndoLabel:
            return edit_label(f"“{row.title}”", plans.ACTION_FIELDS, start, v)

        def done(result: Placed | None) -> None:
            if result is not None:
                self.patch(column, index, row, *result)
                self.notify("Saved; ctrl+z undoes it.", timeout=1.5)

        # only what the user changed is saved (the notes are not shown on the card)
        self._form("Edit action", start, write, undo, done, only_changed=True)

    @on(Board.Opened)
    def _opened(self) -> None:
        self.action_edit()

    def action_delete(self) -> None:
        from kamtui.screens.dialogs.confirm import ConfirmDialog

        card, column = self.board.card, self.board.focus_column
        if card is None or self.board.column is None:
            return
        index = self.board.column.cursor
        row: ActionRow = card.data
        question = f"Delete the action “{row.title}” ({row.account})?\n\nctrl+z brings it back."

        def deleted(_: object) -> None:
            self._recount(row, None)
            self.board.card_removed(column, index)
            self.notify(f"Deleted “{row.title}”.", timeout=2)

        def answer(yes: bool | None) -> None:
            if not yes:
                return
            label = UndoLabel(f"“{row.title}”", "on the plan", "deleted")
            self.db_write("plan-delete", plans.delete_action, row.id, then=deleted, undo=label)

        self.app.push_screen(ConfirmDialog(question, yes="Delete", no="Keep"), answer)

    # --- objectives ------------------------------------------------------------------------------------

    def _objective_form(
        self,
        title: str,
        values: dict[str, str],
        write: Callable[[Database, dict[str, str]], str],
        undo: Callable[[dict[str, str]], UndoLabel],
    ) -> None:
        from kamtui.screens.dialogs.choices import spec_fields

        fields = spec_fields(plans.OBJECTIVE_FIELDS, values, references=("account", "owner"))

        def done(result: object) -> None:
            if result is not None:
                self._panel_account = None
                if self.board.column is not None:
                    self.board.focus_card(self.board.focus_column, self.board.column.cursor)
                self.notify("Objective saved; ctrl+z undoes it.", timeout=2)

        dialog = WorkFormDialog(title, fields, write, undo=undo, work_name="plan-objective")
        self.app.push_screen(dialog, done)

    def action_new_objective(self) -> None:
        def write(db: Database, v: dict[str, str]) -> str:
            return plans.create_objective(db, v).title

        def undo(v: dict[str, str]) -> UndoLabel:
            title = v.get("title", "").strip()
            account = " ".join(v.get("account", "").split())
            return UndoLabel(f"objectives of {account}", f"without “{title}”", f"with “{title}”")

        self._objective_form(
            "New objective (OKR)", {"account": self._default_account()}, write, undo
        )

    def action_edit_objective(self) -> None:
        card = self.board.card
        if card is None or card.data.objective_id is None:
            self.notify("The focused action has no objective.", severity="warning")
            return
        account_id, objective_id = card.data.account_id, card.data.objective_id

        def got(o: plans.ObjectiveRow | None) -> None:
            if o is None:
                self.notify("That objective no longer exists.", severity="warning")
                return
            start = plans.objective_values(o)

            def write(db: Database, v: dict[str, str]) -> str:
                return plans.update_objective(db, o.id, o.version, v).title

            def undo(v: dict[str, str]) -> UndoLabel:
                return edit_label(f"objective “{o.title}”", plans.OBJECTIVE_FIELDS, start, v)

            self._objective_form("Edit objective", start, write, undo)

        self.db_read("plan-objective-read", find_objective, account_id, objective_id, then=got)

    # --- filter ------------------------------------------------------------------------------------------

    def action_filter(self) -> None:
        from kamtui.screens.dialogs import choices
        from kamtui.screens.dialogs.form import FormField

        values = self.filter_values
        yes_no = ("yes", "no")
        fields = [
            FormField("account", "Account", values.get("account", ""), "account name (empty: all)",
                      strict=True, load=choices.accounts),
            FormField("owner", "Owner", values.get("owner", ""), "one of our people (empty: all)",
                      strict=True, load=choices.people),
            FormField("overdue", "Only overdue", values.get("overdue", ""), choices=yes_no),
            FormField("week", "Only due this week", values.get("week", ""), choices=yes_no),
        ]  # fmt: skip

        def done(result: FilterChoice | None) -> None:
            if result is not None:
                self.apply_filter(result.filter, result.text, result.values)

        dialog = FilterDialog("Filter actions", fields, read_filter, work_name="plan-filter")
        self.app.push_screen(dialog, done)

    def apply_filter(
        self, flt: ActionFilter, text: str, values: dict[str, str] | None = None
    ) -> None:
        """Show only what ``flt`` lets through; ``values`` are the names as the filter form
        shows them again (account and owner; without them, the flags alone)."""
        self.filter, self.filter_text = flt, text
        self.filter_values = values or {
            "overdue": "yes" if flt.overdue else "",
            "week": "yes" if flt.this_week else "",
        }
        self._panel_account = None
        self.load()
        self.refresh_bindings()

    def action_clear_filter(self) -> None:
        self.apply_filter(ActionFilter(), "")

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand(
            "Show overdue actions",
            "Filter the attack plan to overdue actions.",
            partial(self.apply_filter, ActionFilter(overdue=True), "overdue"),
        )
        yield SystemCommand("Show actions due this week", "Filter the attack plan to this week.", partial(self.apply_filter, ActionFilter(this_week=True), "due this week"))  # fmt: skip

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("edit", "delete"):
            return self.board.card is not None
        if action == "edit_objective":
            return self.board.card is not None and self.board.card.data.objective_id is not None
        if action == "clear_filter":
            return not self.filter.empty
        if action == "new_objective":
            return self.board.card is not None or self.filter.account_id is not None
        return True
