"""What the account plan's sections share (SWOT, Buying map, Relationships, Log): tables
of plain rows read in a worker, forms that save through the writer with an undo label,
deletes that ask first, and a detail line for the row under the cursor.

Each section is built when its tab is first shown (``make_part``); its keys are bindings
with ids, so they show in the footer and in help.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from textual.widgets import DataTable, Static

from kamtui.errors import KamError
from kamtui.screens.account_section import Section
from kamtui.services.undo import UndoLabel


def make_part(pane_id: str, account_id: int) -> Section:
    if pane_id == "swot":
        from kamtui.screens.account_swot import SwotSection

        return SwotSection(account_id, id="swot-section")
    if pane_id == "buying":
        from kamtui.screens.account_buying import BuyingSection

        return BuyingSection(account_id, id="buying-section")
    if pane_id == "relationships":
        from kamtui.screens.account_relationships import RelationshipsSection

        return RelationshipsSection(account_id, id="relationships-section")
    from kamtui.screens.account_log import LogSection

    return LogSection(account_id, id="log-section")


def clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


class PartTable(DataTable[str]):
    """A short list of one section's rows; the row key is the record's id."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)

    def current(self) -> int | None:
        if not self.row_count:
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        return int(key or 0)

    def fill(self, rows: Sequence[tuple[int, Sequence[str]]], keep: int | None = None) -> None:
        """Replace the rows, keeping the cursor on the same record when it is still there."""
        at = self.cursor_row
        self.clear()
        for key, cells in rows:
            self.add_row(*cells, key=str(key))
        if not rows:
            return
        ids = [k for k, _ in rows]
        self.move_cursor(row=ids.index(keep) if keep in ids else min(at, len(rows) - 1))


class PartSection(Section):
    """One account-plan section; subclasses compose tables and say how to read them."""

    DEFAULT_CSS = """
    PartSection .tab-hint { color: $text-muted; height: 1; }
    PartSection .detail { color: $text-muted; height: auto; max-height: 3; }
    PartSection PartTable { height: 1fr; }
    """

    noun = "record"

    def tables(self) -> list[PartTable]:
        return list(self.query(PartTable))

    def focused_table(self) -> PartTable | None:
        focused = self.app.focused
        if isinstance(focused, PartTable) and focused in self.tables():
            return focused
        tables = [t for t in self.tables() if t.display]
        return tables[0] if tables else None

    def current_id(self) -> int | None:
        table = self.focused_table()
        return table.current() if table is not None else None

    # --- the common moves ----------------------------------------------------------------

    def after_write(self, message: str) -> Callable[[Any], None]:
        def done(result: Any) -> None:
            if result is not None:
                self.load()
                self.post_message(self.Changed())
                self.notify(message)

        return done

    def open_form(
        self,
        title: str,
        fields: Sequence[Any],
        write: Callable[[Any, dict[str, str]], Any],
        undo: Callable[[dict[str, str]], UndoLabel | None],
        message: str = "Saved; ctrl+z undoes it.",
        work_name: str = "plan-save",
    ) -> None:
        from kamtui.screens.dialogs.work_form import WorkFormDialog

        dialog = WorkFormDialog(title, fields, write, undo=undo, work_name=work_name)
        self.app.push_screen(dialog, self.after_write(message))

    def write_now(
        self, name: str, fn: Callable[..., Any], *args: Any, undo: UndoLabel, message: str
    ) -> None:
        """A one-key change (priority, order): written at once, undoable."""

        def failed(exc: KamError) -> None:
            self.notify(str(exc), severity="warning")

        self.db_write(name, fn, *args, then=self.after_write(message), failed=failed, undo=undo)

    def confirm_delete(
        self, what: str, fn: Callable[..., Any], record_id: int, undo: UndoLabel
    ) -> None:
        from kamtui.screens.dialogs.confirm import ConfirmDialog

        def answer(yes: bool | None) -> None:
            if yes:
                self.db_write(
                    f"delete-{self.noun}",
                    fn,
                    record_id,
                    then=lambda _: self.after_write("Deleted; ctrl+z brings it back.")(True),
                    undo=undo,
                )

        self.app.push_screen(ConfirmDialog(f"Delete {what}?", yes="Delete", no="Keep"), answer)

    def set_detail(self, text: str) -> None:
        for detail in self.query(".detail").results(Static):
            detail.update(text)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a row edits it (as `e` does)."""
        event.stop()
        self.action_edit()

    def action_edit(self) -> None:  # pragma: no cover - every section has its own
        raise NotImplementedError
