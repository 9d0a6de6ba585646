"""What every top-level view shares: the view bar, the footer, commands and help."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult, SystemCommand
from textual.screen import Screen
from textual.widget import Widget

from kamtui.commands import Command
from kamtui.widgets.footer import KeyFooter

if TYPE_CHECKING:
    from kamtui.app import KamApp


class ViewBar(Widget):
    """The numbered views along the top; the current one is marked, not only coloured.

    Every view keeps its number at any width: when the titles do not fit, the other
    views show their short names, then their numbers alone; the current one keeps its
    title."""

    DEFAULT_CSS = """
    ViewBar { height: 1; background: $panel; color: $text-muted; padding: 0 1; }
    """

    def __init__(self, current: str) -> None:
        super().__init__()
        self.current = current

    def render(self) -> Text:
        app: KamApp = self.app  # type: ignore[assignment]
        width = self.content_size.width
        for form in ("title", "short", "key"):
            text = Text("kam │", no_wrap=True, overflow="crop")
            for i, view in enumerate(app.views):
                if i:
                    text.append("│")
                if view.mode == self.current:
                    text.append(f" {view.key} {view.title} ", "reverse bold")
                elif form == "key":
                    text.append(f" {view.key} ")
                else:
                    name = view.title if form == "title" else view.short or view.title
                    text.append(f" {view.key} {name} ")
            if text.cell_len <= width:
                break
        return text


class TableSorting:
    """`s` (next column), `S` (reverse), `sort('key')` and the palette's "Sort by …" for a
    view built on one ``VirtualTable`` (``self.table``) with a status line."""

    SORT_BIGGEST_FIRST: ClassVar[tuple[str, ...]] = ()  # figures: largest first
    SORT_WHAT: ClassVar[str] = ""  # "look-alikes" → "Sort look-alikes by …"
    SORT_NOUN: ClassVar[str] = "rows"  # "Sort the rows by …; again to reverse."
    table: Any

    def _update_status(self) -> None:
        raise NotImplementedError

    def action_sort_next(self) -> None:
        self.table.sort_next(self.SORT_BIGGEST_FIRST)
        self._update_status()

    def action_sort_reverse(self) -> None:
        self.table.reverse_sort()
        self._update_status()

    def action_sort(self, key: str) -> None:
        self.table.sort_by(key)
        self._update_status()

    def palette_commands(self) -> Iterable[SystemCommand]:
        what = f" {self.SORT_WHAT}" if self.SORT_WHAT else ""
        for column in self.table.columns:
            yield SystemCommand(
                f"Sort{what} by {column.label}",
                f"Sort the {self.SORT_NOUN} by {column.label}; again to reverse.",
                partial(self.action_sort, column.key),
            )


class KamScreen(Screen[Any]):
    """Base of the top-level views. Subclasses set MODE, HELP and COMMANDS_LIST."""

    MODE: ClassVar[str] = ""
    HELP: ClassVar[str] = ""
    COMMANDS_LIST: ClassVar[tuple[Command, ...]] = ()

    @property
    def kam(self) -> KamApp:
        return self.app  # type: ignore[return-value]

    _live_keys: tuple[tuple[str, bool], ...] | None = None

    def refresh_bindings(self) -> None:
        """Redraw the footer only when the live keys really change: views call this on
        every cursor move, and a footer redraw costs more than the move (PERFORMANCE.md).

        Not ``self.app.screen``: it raises ``ScreenStackError`` when the current mode's
        stack is empty, which happens on quit — the app clears the current mode's stack,
        then prunes the other modes' screens, whose focus reset calls this."""
        if not self.is_active:
            super().refresh_bindings()
            return
        live = tuple((key, b.enabled) for key, b in self.app.active_bindings.items())
        if live != self._live_keys:
            self._live_keys = live
            super().refresh_bindings()

    def compose_bar(self) -> ComposeResult:
        yield ViewBar(self.MODE)

    def compose_footer(self) -> ComposeResult:
        yield KeyFooter()

    def data_changed(self) -> None:
        """Data changed behind this view's back (an undo or redo): read it again."""
        reload = getattr(self, "action_reload", None) or getattr(self, "load", None)
        if callable(reload):
            reload()
