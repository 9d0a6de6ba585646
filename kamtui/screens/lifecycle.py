"""View 4: the lifecycle board — key accounts in the six stages of seed 002.

A card is a key account: its name, days in the stage, its total in the active scoring
model (the same figure as the matrix), and ⚠n for failed stage checks. `<` / `>` move it a stage back
or on (asking for an optional note); `s` puts it in any stage. Key accounts never placed
in a stage sit in stage 1 marked ○ (unstaged) until you move them: the board does not
pretend to know where they are. The side panel explains the focused stage and lists
the focused account's checks and its time in each stage.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Container
from textual.events import Resize
from textual.screen import ModalScreen
from textual.widgets import Static

from kamtui import models as m
from kamtui.commands import Command, bindings
from kamtui.db import Database
from kamtui.errors import KamError, StaleError
from kamtui.money import format_compact
from kamtui.screens.base import KamScreen
from kamtui.screens.dbwork import DbWork
from kamtui.services.lifecycle import (
    CHECK_TEXT,
    FAIL,
    GLYPH,
    STAGE_PURPOSE,
    StageRow,
)
from kamtui.services.scoring_math import format_total
from kamtui.services.undo import UndoLabel
from kamtui.widgets.board import Board, BoardColumn, Card, ListSource

COMMANDS: tuple[Command, ...] = (
    Command("lifecycle.stage", "s", "set_stage", "Stage", "Set stage", "Put the focused account in any stage (1–6), with a note."),
    Command("lifecycle.reload", "ctrl+r", "reload", "Reload", "Reload board", "Read the board again from the database.", show=False),
)  # fmt: skip

NARROW = 110  # below this width the panel goes under the board


def _sort_key(card: Card) -> tuple[int, str]:
    row: StageRow = card.data
    return (-row.revenue, row.name.lower())


class LifecycleScreen(DbWork, KamScreen):
    MODE = "lifecycle"
    TITLE_TEXT = "Lifecycle"
    HELP = (
        "Key accounts in the six stages of the key-account life cycle. A card shows the "
        "account, days in its stage, its scoring-matrix total (◆), its health (♥) and ⚠n when checks of its "
        "stage or earlier stages fail; ○ marks a key account not yet placed in a stage. "
        "Arrows or h j k l move; `<` / `>` (shift+left / shift+right) move the card a stage "
        "back or on, asking for an optional note; `s` puts it in any stage; `enter` opens the "
        "account, whose History lists every move. Column headers show the count and the "
        "revenue of the last four quarters in the stage. When the six stages do not fit side "
        "by side, the board shows as many as fit and the line above them names all six with "
        "their counts: [ ] marks the stages in view, ◀ ▶ say more lie that way; moving left "
        "or right past the edge brings the next stage into view, and a click on the line "
        "goes to that stage. The panel spells out the focused card's figures."
    )
    COMMANDS_LIST = COMMANDS
    BINDINGS: ClassVar[list[BindingType]] = bindings(COMMANDS)  # type: ignore[assignment]

    DEFAULT_CSS = """
    LifecycleScreen #body { layout: horizontal; height: 1fr; }
    LifecycleScreen #panel { width: 36; height: 1fr; padding: 0 1; background: $panel; }
    LifecycleScreen.-narrow #body { layout: vertical; }
    LifecycleScreen.-narrow #panel { width: 1fr; height: 5; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.board = Board(empty_text="no accounts", id="board")
        self.loaded = False
        self.stale = False
        self.healths: dict[int, int] = {}  # account id → health 0–100 (issue 11)

    def compose(self) -> ComposeResult:
        yield from self.compose_bar()
        with Container(id="body"):
            yield self.board
            yield Static("Loading…", id="panel")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.board.focus()
        self.load()

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width < NARROW, "-narrow")

    def on_screen_suspend(self) -> None:
        # back from a dialog: the board is patched already; back from elsewhere: read again
        self.stale = not isinstance(self.app.screen, ModalScreen)

    def on_screen_resume(self) -> None:
        if self.loaded and self.stale:
            self.load()

    # --- data ------------------------------------------------------------------------------

    def load(self) -> None:
        from kamtui.services.lifecycle import board_rows

        self.db_read("lifecycle-load", board_rows, self.kam.today, then=self.show_rows)

    def card_for(self, row: StageRow) -> Card:
        days = row.days_in_stage(self.kam.today)
        marks = self.marks(row)
        parts = [f"{days}d" if days is not None else "unstaged"]
        parts += [marks[k] for k in ("score", "revenue", "health") if k in marks]
        failed = row.failed
        badge = ("○" if row.stage is None else "") + (f"⚠{len(failed)}" if failed else "")
        return Card(row.id, row.name, " · ".join(parts), badge, bool(failed), row)

    def show_rows(self, rows: list[StageRow]) -> None:
        by_stage: dict[int, list[Card]] = {n: [] for n in m.STAGES}
        for row in rows:
            by_stage[row.column].append(self.card_for(row))
        columns = [
            BoardColumn(
                n,
                f"{n} {m.STAGES[n]}",
                ListSource(by_stage[n], _sort_key),
                short=f"{n} {m.STAGE_SHORT[n]}",
            )
            for n in m.STAGES
        ]
        self.board.set_columns(columns)
        for i in range(len(columns)):
            self._summarise(i)
        self.loaded = True
        self._read_health([row.id for row in rows])

    def _read_health(self, ids: list[int]) -> None:
        """The cards' health (♥), read after the board shows, patched in card by card."""
        from kamtui.services.health_read import health_of

        def show(found: dict[int, Any]) -> None:
            self.healths.update({aid: h.score for aid, h in found.items()})
            for c, column in enumerate(self.board.columns):
                for i in range(len(column.source)):
                    card = column.source[i]
                    if card.key in found:
                        self.board.card_changed(c, i, self.card_for(card.data))

        self.db_read("lifecycle-health", health_of, self.kam.today, ids, then=show)

    def _summarise(self, index: int) -> None:
        source = self.board.columns[index].source
        assert isinstance(source, ListSource)
        revenue = sum(c.data.revenue for c in source.cards)
        warn = sum(1 for c in source.cards if c.flagged)
        text = f"{len(source)} · {format_compact(revenue)}" + (f" · ⚠{warn}" if warn else "")
        self.board.set_summary(index, text)

    def action_reload(self) -> None:
        self.load()

    # --- panel -------------------------------------------------------------------------------

    @on(Board.Focused)
    def _focused(self, event: Board.Focused) -> None:
        from kamtui.services.lifecycle import stage_history

        self.refresh_bindings()
        stage, card = event.column.key, event.card
        panel = self.query_one("#panel", Static)
        panel.update(self.panel_text(stage, card))
        if card is None:
            return

        def got(moves: list[Any]) -> None:
            if self.board.card is card:
                panel.update(self.panel_text(stage, card, moves))

        self.db_read("lifecycle-panel", stage_history, card.key, then=got)

    def panel_text(self, stage: int, card: Card | None, moves: list[Any] | None = None) -> Text:
        """The focused stage and account; ``moves`` (its stage history, read in a
        worker) adds the time spent in each stage once it is there."""
        from kamtui.services.lifecycle import time_in_stages

        narrow = self.has_class("-narrow")
        text = Text()
        text.append(f"Stage {stage} · {m.STAGES[stage]}\n", "bold")
        if not narrow:
            text.append(STAGE_PURPOSE[stage] + "\n\n")
        if card is None:
            if narrow:
                text.append(STAGE_PURPOSE[stage])
            return text
        row: StageRow = card.data
        today = self.kam.today
        days = row.days_in_stage(today)
        where = f"{days} days in stage" if days is not None else "○ not placed in a stage yet"
        text.append(f"{row.name}", "bold")
        text.append(f" — {where}; owner {row.owner or 'none'}\n")
        text.append(self.figures(row) + "\n")
        if narrow:
            text.append("checks ")
            for stage_no, result in row.checks:
                mark = GLYPH[result] if stage_no <= row.column else "·"
                text.append(f"{mark}{stage_no} ", "bold" if result == FAIL and mark != "·" else "")
            text.append("(✗ fails, · later stage)\n")
        else:
            text.append("Checks\n", "bold")
            for stage_no, result in row.checks:
                later = stage_no > row.column
                mark = "·" if later else GLYPH[result]
                line = f" {mark} {stage_no} {CHECK_TEXT[stage_no]}"
                if later:
                    line += f" (later; now {GLYPH[result]})"
                text.append(line + "\n", "dim" if later else ("bold" if result == FAIL else ""))
        spent = (
            time_in_stages(moves, row.stage, row.stage_since, today) if moves is not None else {}
        )
        if spent:
            text.append("time " if narrow else "\nTime in stages\n", "" if narrow else "bold")
            text.append(" · ".join(f"{s}: {d}d" for s, d in sorted(spent.items())))
        return text

    def marks(self, row: StageRow) -> dict[str, str]:
        """The figures a card shows (◆ score, revenue, ♥ health), by name: the card and
        the panel's words for it draw them from here."""
        marks = {}
        if row.score is not None:
            marks["score"] = f"◆{format_total(row.score)}"
        if row.revenue:
            marks["revenue"] = format_compact(row.revenue)
        if row.id in self.healths:
            marks["health"] = f"♥{self.healths[row.id]}"
        if row.failed:
            marks["failed"] = f"⚠{len(row.failed)}"
        return marks

    def figures(self, row: StageRow) -> str:
        """The card's figures in words: what ◆, ♥ and ⚠ on the card stand for."""
        words = {
            "score": "matrix score", "health": "health",
            "revenue": "revenue (4 quarters)", "failed": "failed checks",
        }  # fmt: skip
        marks = self.marks(row)
        parts = [f"{marks[k]} {word}" for k, word in words.items() if k in marks]
        return " · ".join(parts) or "no score, health or revenue yet"

    # --- moves ---------------------------------------------------------------------------------

    @on(Board.MoveRequested)
    def _move_requested(self, event: Board.MoveRequested) -> None:
        to_stage = self.board.columns[event.target].key
        row: StageRow = event.card.data
        if row.stage is None and event.target > event.source:
            # an unstaged card sits in stage 1 without being there: `>` first puts it in
            # stage 1 (it skipped to 2), the next `>` moves it on
            to_stage = self.board.columns[event.source].key
        self.move(event.card, event.source, event.index, to_stage, ask=True)

    @work(exclusive=True, group="lifecycle-move")
    async def move(
        self, card: Card, source: int, index: int, to_stage: int, *, ask: bool, note: str = ""
    ) -> None:
        from kamtui.screens.dialogs.prompt import PromptDialog

        row: StageRow = card.data
        if ask:
            answer = await self.app.push_screen_wait(
                PromptDialog(
                    f"Move {row.name} to stage {to_stage} · {m.STAGES[to_stage]}.\n"
                    "Note for the history (optional):",
                    placeholder="why now? enter to move, escape to cancel",
                )
            )
            if answer is None:
                return
            note = answer
        self.save_move(row, source, index, to_stage, note)

    @staticmethod
    def _move_writer(
        row: StageRow, to_stage: int, note: str, today: dt.date
    ) -> Callable[[Database], list[StageRow]]:
        """The move as one write (on the writer thread: it reads nothing from the app): the
        stage saved, then the account as the board shows it."""
        from kamtui.services.lifecycle import board_rows, move_stage

        def save(db: Database) -> list[StageRow]:
            move_stage(db, row.id, row.version, to_stage, note, today)
            return board_rows(db, today, row.id)

        return save

    @staticmethod
    def _move_label(row: StageRow, to_stage: int) -> UndoLabel:
        was = f"stage {row.stage}" if row.stage else "no stage"
        return UndoLabel(f"the stage of {row.name}", was, f"stage {to_stage}")

    def _moved(
        self, row: StageRow, source: int, index: int, to_stage: int, fresh: list[StageRow]
    ) -> None:
        self.apply_move(source, index, fresh)
        self.notify(f"{row.name}: stage {to_stage}; ctrl+z moves it back.", timeout=2)

    def save_move(self, row: StageRow, source: int, index: int, to_stage: int, note: str) -> None:
        """Write the move on the writer thread (undoable), then patch the one card."""

        def refused(exc: KamError) -> None:
            if isinstance(exc, StaleError):
                self.notify(f"Not moved: {exc}. The board is read again.", severity="error")
                self.load()
            else:
                self.notify(f"Not moved: {exc}", severity="error", timeout=6)

        self.db_write(
            "lifecycle-move", self._move_writer(row, to_stage, note, self.kam.today),
            then=lambda fresh: self._moved(row, source, index, to_stage, fresh),
            failed=refused, undo=self._move_label(row, to_stage),
        )  # fmt: skip

    def apply_move(self, source: int, index: int, fresh: list[StageRow]) -> None:
        """Patch the board with the account as it is now: moved, or gone (no longer key)."""
        if not fresh:
            self.board.card_removed(source, index)
            self._summarise(source)
            return
        target = fresh[0].column - 1
        self.board.card_moved(source, index, target, self.card_for(fresh[0]))
        self._summarise(source)
        if target != source:
            self._summarise(target)

    def action_set_stage(self) -> None:
        """s: the stage form; its save runs on the writer thread (undoable), and a busy or
        stale database is said under the form, which stays open."""
        from kamtui.screens.dialogs.form import FormField
        from kamtui.screens.dialogs.work_form import WorkFormDialog

        card, column = self.board.card, self.board.focus_column
        if card is None or self.board.column is None:
            return
        index = self.board.column.cursor
        row: StageRow = card.data
        today = self.kam.today

        def check(values: dict[str, str]) -> int:
            from kamtui.errors import ValidationError

            raw = values["stage"].strip()
            if not raw.isdigit() or int(raw) not in m.STAGES:
                raise ValidationError("stage", "Stage: write a number from 1 to 6")
            if int(raw) == row.stage:
                raise ValidationError("stage", f"Stage: the account is in stage {raw} already")
            return int(raw)

        def undo(values: dict[str, str]) -> UndoLabel | None:
            raw = values["stage"].strip()
            return self._move_label(row, int(raw)) if raw.isdigit() else None

        def write(db: Database, values: dict[str, str]) -> tuple[int, list[StageRow]]:
            to_stage = check(values)
            return to_stage, self._move_writer(row, to_stage, values["note"], today)(db)

        def done(result: tuple[int, list[StageRow]] | None) -> None:
            if result is not None:
                self._moved(row, column, index, *result)

        now = f"now {row.stage}" if row.stage else "not placed yet"
        fields = [
            FormField("stage", f"Stage 1–6 ({now})", placeholder="1 2 3 4 5 6"),
            FormField("note", "Note for the history (optional)"),
        ]
        dialog = WorkFormDialog(
            f"Stage of {row.name}", fields, write, undo=undo, work_name="lifecycle-stage"
        )
        self.app.push_screen(dialog, done)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "set_stage":
            return self.board.card is not None
        return True

    # --- open -----------------------------------------------------------------------------------

    @on(Board.Opened)
    def _opened(self, event: Board.Opened) -> None:
        from kamtui.screens.account import open_account

        open_account(self, event.card.key)
