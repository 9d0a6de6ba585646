"""A virtual table on Textual's Line API: only the visible rows are ever rendered.

Textual's DataTable takes seconds to fill 10,000 rows; this one draws a frame in
milliseconds at 100,000 (PERFORMANCE.md). Rows are plain objects kept in a list;
columns say how to show, sort and style them. The first column stays pinned while the
others scroll sideways, so a narrow terminal still shows which row is which.

The table filters (a case-insensitive substring of each row's search text) and sorts
itself; the screen that owns it supplies rows and reacts to its messages.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, ClassVar, Generic, TypeVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

R = TypeVar("R")


@lru_cache(maxsize=256)
def _parsed(style: str) -> Style:
    return Style.parse(style)


@dataclass(frozen=True)
class Column(Generic[R]):
    key: str
    label: str
    width: int
    text: Callable[[R], str]
    sort_key: Callable[[R], Any] | None = None
    align: str = "left"
    flex: bool = False
    style: Callable[[R], str | None] | None = None


def _fit(text: str, width: int, align: str) -> str:
    if len(text) > width:
        return text[: max(0, width - 1)] + "…" if width > 1 else text[:width]
    if align == "right":
        return text.rjust(width)
    if align == "center":
        return text.center(width)
    return text.ljust(width)


class _Last:
    """Sorts after everything (for missing values, whichever the direction)."""

    def __lt__(self, other: object) -> bool:
        return False

    def __gt__(self, other: object) -> bool:
        return True


LAST = _Last()
_NO_STYLE = Style()


class VirtualTable(ScrollView, Generic[R], can_focus=True):
    """A fast, keyboard-first table of plain rows."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor(-1)", "Up", show=False, id="table.up"),
        Binding("down,j", "cursor(1)", "Down", show=False, id="table.down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="table.page_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="table.page_down"),
        Binding("home,g", "jump(0)", "First", show=False, id="table.first"),
        Binding("end,G", "jump(-1)", "Last", show=False, id="table.last"),
        Binding("left,h", "sideways(-8)", "Left", show=False, id="table.left"),
        Binding("right,l", "sideways(8)", "Right", show=False, id="table.right"),
        Binding("enter", "select", "Open", id="table.open"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "virtual-table--header",
        "virtual-table--cursor",
        "virtual-table--row",
        "virtual-table--empty",
    }

    DEFAULT_CSS = """
    VirtualTable {
        height: 1fr;
        background: $surface;
        scrollbar-size-horizontal: 1;
    }
    VirtualTable > .virtual-table--header { text-style: bold; background: $panel; }
    VirtualTable > .virtual-table--cursor { background: $block-cursor-background; color: $block-cursor-foreground; text-style: bold; }
    VirtualTable:blur > .virtual-table--cursor { background: $block-cursor-blurred-background; text-style: none; }
    VirtualTable > .virtual-table--row { }
    VirtualTable > .virtual-table--empty { color: $text-muted; text-style: italic; }
    """

    class CursorMoved(Message):
        def __init__(self, table: VirtualTable[Any], row: Any) -> None:
            super().__init__()
            self.table = table
            self.row = row

    class Selected(Message):
        def __init__(self, table: VirtualTable[Any], row: Any) -> None:
            super().__init__()
            self.table = table
            self.row = row

    def __init__(
        self,
        columns: Sequence[Column[R]],
        *,
        row_key: Callable[[R], Any],
        search_text: Callable[[R], str] | None = None,
        empty_text: str = "Nothing to show.",
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.columns = list(columns)
        self.row_key = row_key
        self._search_text = search_text
        self.empty_text = empty_text
        self._all: list[R] = []
        self._search: list[str] = []
        self._rows: list[R] = []
        self._cursor = 0
        self._filter = ""
        self._sort_key: str | None = None
        self._sort_reverse = False
        self._widths: list[int] = []
        self._layout_width = -1
        self._header_cache: tuple[Any, Strip] | None = None

    # --- data ---------------------------------------------------------------------------

    @property
    def rows(self) -> list[R]:
        """The rows shown, in order (after filter and sort)."""
        return self._rows

    @property
    def row_count(self) -> int:
        return len(self._rows)

    @property
    def total_count(self) -> int:
        return len(self._all)

    @property
    def cursor_row(self) -> R | None:
        return self._rows[self._cursor] if self._rows else None

    @property
    def cursor_index(self) -> int:
        return self._cursor

    @property
    def filter_text(self) -> str:
        return self._filter

    @property
    def sort_column(self) -> tuple[str | None, bool]:
        return self._sort_key, self._sort_reverse

    def set_rows(self, rows: Sequence[R]) -> None:
        """Replace all rows, keeping the cursor on the same row when it is still there."""
        keep = self.row_key(self.cursor_row) if self.cursor_row is not None else None
        self._all = list(rows)
        self._search = (
            [self._search_text(r).lower() for r in self._all] if self._search_text else []
        )
        self._apply(keep)

    def update_row(self, row: R) -> None:
        """Patch one row in place (same key), without re-sorting the table."""
        key = self.row_key(row)
        for i, r in enumerate(self._all):
            if self.row_key(r) == key:
                self._all[i] = row
                if self._search_text:
                    self._search[i] = self._search_text(row).lower()
                break
        for i, r in enumerate(self._rows):
            if self.row_key(r) == key:
                self._rows[i] = row
                self._refresh_index(i)
                break

    def remove_row(self, key: Any) -> None:
        keep_index = self._cursor
        for i, r in enumerate(self._all):
            if self.row_key(r) == key:
                del self._all[i]
                if self._search:
                    del self._search[i]
                break
        self._rows = [r for r in self._rows if self.row_key(r) != key]
        self._cursor = min(keep_index, max(0, len(self._rows) - 1))
        self._after_change()

    def set_filter(self, text: str) -> None:
        keep = self.row_key(self.cursor_row) if self.cursor_row is not None else None
        self._filter = text.strip().lower()
        self._apply(keep)

    def sort_by(self, key: str | None, reverse: bool | None = None) -> None:
        """Sort by a column; sorting by the same column again flips the direction."""
        if reverse is None:
            reverse = not self._sort_reverse if key == self._sort_key else False
        keep = self.row_key(self.cursor_row) if self.cursor_row is not None else None
        self._sort_key, self._sort_reverse = key, reverse
        self._apply(keep)

    def move_to_key(self, key: Any) -> bool:
        for i, r in enumerate(self._rows):
            if self.row_key(r) == key:
                self._set_cursor(i)
                return True
        return False

    def _apply(self, keep_key: Any) -> None:
        if self._filter and self._search:
            needle = self._filter
            rows = [r for r, s in zip(self._all, self._search, strict=True) if needle in s]
        else:
            rows = list(self._all)
        column = next((c for c in self.columns if c.key == self._sort_key), None)
        if column is not None:
            get = column.sort_key or column.text
            present = [r for r in rows if get(r) is not None]
            missing = [r for r in rows if get(r) is None]
            present.sort(key=get, reverse=self._sort_reverse)
            rows = present + missing
        self._rows = rows
        self._cursor = 0
        if keep_key is not None:
            for i, r in enumerate(rows):
                if self.row_key(r) == keep_key:
                    self._cursor = i
                    break
        self._after_change()

    def _after_change(self) -> None:
        self._header_cache = None
        self._update_virtual_size()
        self.refresh()
        self._ensure_visible()
        self.post_message(self.CursorMoved(self, self.cursor_row))

    # --- geometry -----------------------------------------------------------------------

    def _layout(self, width: int) -> list[int]:
        if width == self._layout_width and self._widths:
            return self._widths
        widths = [c.width for c in self.columns]
        gaps = len(widths)  # one space after each column
        spare = width - sum(widths) - gaps
        flex = [i for i, c in enumerate(self.columns) if c.flex]
        if spare > 0 and flex:
            share, extra = divmod(spare, len(flex))
            for n, i in enumerate(flex):
                widths[i] += share + (1 if n < extra else 0)
        self._widths, self._layout_width = widths, width
        return widths

    def _update_virtual_size(self) -> None:
        width = self.scrollable_content_region.width or self.size.width
        widths = self._layout(width)
        total = sum(w + 1 for w in widths)
        self.virtual_size = Size(max(total, width), len(self._rows) + 1)

    def on_resize(self, event: events.Resize) -> None:
        self._layout_width = -1
        self._header_cache = None
        self._update_virtual_size()
        self._ensure_visible()

    @property
    def _body_height(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def _ensure_visible(self) -> None:
        top = round(self.scroll_offset.y)
        if self._cursor < top:
            self.scroll_to(y=self._cursor, animate=False, immediate=True)
        elif self._cursor >= top + self._body_height:
            self.scroll_to(y=self._cursor - self._body_height + 1, animate=False, immediate=True)

    def _refresh_index(self, index: int) -> None:
        y = index - round(self.scroll_offset.y) + 1
        if 1 <= y <= self._body_height:
            self.refresh(Region(0, y, self.size.width, 1))

    def _set_cursor(self, index: int) -> None:
        if not self._rows:
            return
        index = max(0, min(index, len(self._rows) - 1))
        if index == self._cursor:
            return
        old, self._cursor = self._cursor, index
        top = round(self.scroll_offset.y)
        self._ensure_visible()
        if round(self.scroll_offset.y) == top:  # no scroll: repaint just the two lines
            self._refresh_index(old)
            self._refresh_index(index)
        self.post_message(self.CursorMoved(self, self.cursor_row))

    # --- actions ---------------------------------------------------------------------------

    def action_cursor(self, delta: int) -> None:
        self._set_cursor(self._cursor + delta)

    def action_page(self, direction: int) -> None:
        self._set_cursor(self._cursor + direction * self._body_height)

    def action_jump(self, index: int) -> None:
        self._set_cursor(index if index >= 0 else len(self._rows) - 1)

    def action_sideways(self, delta: int) -> None:
        self.scroll_to(x=self.scroll_offset.x + delta, animate=False)

    def action_select(self) -> None:
        if self.cursor_row is not None:
            self.post_message(self.Selected(self, self.cursor_row))

    def on_click(self, event: events.Click) -> None:
        if event.y == 0:
            column = self._column_at(event.x)
            if column is not None:
                self.sort_by(column.key)
            return
        self._set_cursor(round(self.scroll_offset.y) + event.y - 1)
        if event.chain >= 2:
            self.action_select()

    def _column_at(self, x: int) -> Column[R] | None:
        widths = self._layout(self.size.width)
        pinned = widths[0] + 1 if widths else 0
        position = x if x < pinned else x + self.scroll_offset.x
        edge = 0
        for column, width in zip(self.columns, widths, strict=True):
            edge += width + 1
            if position < edge:
                return column
        return None

    # --- rendering ------------------------------------------------------------------------------

    def _compose_line(self, cells: list[tuple[str, Style]], width: int, base: Style) -> Strip:
        widths = self._layout(width)
        first_text, first_style = cells[0]
        pinned = [
            Segment(_fit(first_text, widths[0], self.columns[0].align) + " ", base + first_style)
        ]
        rest: list[Segment] = []
        for (text, style), column, w in zip(cells[1:], self.columns[1:], widths[1:], strict=True):
            rest.append(Segment(_fit(text, w, column.align) + " ", base + style))
        pinned_width = widths[0] + 1
        rest_strip = Strip(rest).crop(
            self.scroll_offset.x, self.scroll_offset.x + width - pinned_width
        )
        strip = Strip(pinned + list(rest_strip))
        return strip.extend_cell_length(width, base).crop(0, width)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if y == 0:
            key = (width, self.scroll_offset.x, self._sort_key, self._sort_reverse)
            if self._header_cache is None or self._header_cache[0] != key:
                style = self.get_component_rich_style("virtual-table--header")
                cells = []
                for c in self.columns:
                    mark = ""
                    if c.key == self._sort_key:
                        mark = "▼" if self._sort_reverse else "▲"
                    label = f"{c.label}{mark}" if c.align != "right" else f"{mark}{c.label}"
                    cells.append((label, Style()))
                self._header_cache = (key, self._compose_line(cells, width, style))
            return self._header_cache[1]
        index = round(self.scroll_offset.y) + y - 1
        if not self._rows:
            if y == 1:
                style = self.get_component_rich_style("virtual-table--empty")
                return Strip([Segment(_fit(" " + self.empty_text, width, "left"), style)])
            return Strip.blank(width, self.rich_style)
        if index >= len(self._rows):
            return Strip.blank(width, self.rich_style)
        row = self._rows[index]
        if index == self._cursor:
            base = self.get_component_rich_style("virtual-table--cursor")
        else:
            base = self.get_component_rich_style("virtual-table--row")
        cells = []
        for c in self.columns:
            extra = c.style(row) if c.style else None
            cells.append((c.text(row), _parsed(extra) if extra else _NO_STYLE))
        return self._compose_line(cells, width, base)
