"""The one virtual table on Textual's Line API that the list views and the matrix share.

``LineTable`` draws a header line, optional *fixed* rows under it (the matrix's weights
row) and body rows that scroll; only the lines in view are ever rendered, so 100,000
rows cost what 30 do (PERFORMANCE.md). It owns what every virtual table needs: column
layout with flexible columns, the first ``pinned`` columns held still while the others
scroll sideways, the row cursor (and an optional cell cursor), page moves, ``g`` / ``G``,
mouse clicks, component styles cached between style changes, and a key → row map so
that finding a row by its key is a dictionary lookup, not a scan. The map is built only
when lookups need it: a sort or a filter of 10,000 rows that keeps the cursor on its row
scans the keys once, stopping at the cursor's key, and builds no map.

Everything is measured in terminal *cells*, not characters: ``fit`` cuts and pads by
cell width and keeps grapheme clusters whole, so a Japanese company name or an emoji
takes exactly its column's cells and the columns after it stay in line.

Subclasses say what is in a row (``row_cells``) and what the header says
(``header_cells``); ``VirtualTable`` (widgets/table.py) and ``CellGrid``
(widgets/grid.py) are the two.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from functools import lru_cache
from operator import indexOf
from typing import Any, ClassVar, Protocol

from rich.cells import cell_len, split_graphemes
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

Cell = tuple[str, Style | None]
"""The text of one cell and its own style (None: the row's style)."""

ELLIPSIS = "…"
SCANS_BEFORE_MAP = 2  # lookups by key that scan the keys before the key → row map is built
# C0 and C1 control characters (a tab or newline pasted into a name) have no width of
# their own and would break a line apart: each shows as one space.
_CONTROLS = {code: " " for code in (*range(0x20), *range(0x7F, 0xA0))}


@lru_cache(maxsize=16_384)  # a screenful repeats most texts: statuses, numbers, dates
def fit(text: str, width: int, align: str = "left") -> str:
    """``text`` in exactly ``width`` terminal cells: padded (left, right or centred), or
    cut at a grapheme boundary with an ellipsis when it is wider.

    A double-width character that would straddle the cut is left out whole (a space
    pads its place), and combining marks stay with the character they belong to.
    """
    if width <= 0:
        return ""
    if not text.isprintable():
        text = text.translate(_CONTROLS)
    if text.isascii():
        size = len(text)
        if size > width:
            return text[: width - 1] + ELLIPSIS if width > 1 else text[:1]
    else:
        size = cell_len(text)
        if size > width:
            return _cut(text, width)
    pad = width - size
    if pad == 0:
        return text
    if align == "right":
        return " " * pad + text
    if align == "center":  # as str.center places an odd space, so both agree
        left = pad // 2 + (pad & width & 1)
        return " " * left + text + " " * (pad - left)
    return text + " " * pad


def _cut(text: str, width: int) -> str:
    room = width - 1 if width > 1 else width  # one cell for the ellipsis when there is room
    spans, _ = split_graphemes(text)
    used = end = 0
    for _start, stop, size in spans:
        if used + size > room:
            break
        used, end = used + size, stop
    if width == 1:
        return text[:end] if used == 1 else ELLIPSIS
    return text[:end] + ELLIPSIS + " " * (room - used)


class ColumnSpec(Protocol):
    """What the layout needs to know of a column (``Column`` and ``GridColumn`` are)."""

    @property
    def key(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def width(self) -> int: ...
    @property
    def align(self) -> str: ...
    @property
    def flex(self) -> bool: ...


def nav_bindings(prefix: str) -> list[Binding]:
    """Up, down, page up and down, first and last: the same keys in every table; the ids
    (``prefix.up`` …) let a user keymap rebind them."""
    return [
        Binding("up,k", "cursor(-1)", "Up", show=False, id=f"{prefix}.up"),
        Binding("down,j", "cursor(1)", "Down", show=False, id=f"{prefix}.down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id=f"{prefix}.page_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id=f"{prefix}.page_down"),
        Binding("home,g", "jump(0)", "First", show=False, id=f"{prefix}.first"),
        Binding("end,G", "jump(-1)", "Last", show=False, id=f"{prefix}.last"),
    ]


class LineTable(ScrollView, can_focus=True):
    """Header, fixed rows and scrolling body rows, with a row cursor; see the module."""

    RUN_BINDINGS_AT_ONCE = True  # keys in one read take effect in order (KamApp.on_event)

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "line-table--header",
        "line-table--fixed",
        "line-table--row",
        "line-table--cursor-row",
        "line-table--cursor-cell",
        "line-table--empty",
    }
    DEFAULT_CSS = """
    LineTable { height: 1fr; background: $surface; scrollbar-size-horizontal: 1; }
    LineTable > .line-table--header { text-style: bold; background: $panel; }
    LineTable > .line-table--empty { color: $text-muted; text-style: italic; }
    """

    def __init__(
        self,
        *,
        pinned: int = 1,
        empty_text: str = "Nothing to show.",
        row_style: Callable[[int], Style | None] | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.pinned = pinned
        self.empty_text = empty_text
        self._row_style = row_style
        self.columns: list[Any] = []  # ColumnSpec; subclasses narrow the type
        self.fixed_rows = 0
        self.body_rows = 0
        self.cursor_index = 0  # in row numbers: the fixed rows first, then the body
        self.cursor_column = 0  # index into the cell columns (those the cursor visits)
        self._cell_columns: list[int] = []
        self._keys: Sequence[Hashable] = ()  # one key per body row
        self._key_index: dict[Hashable, int] | None = None  # built when needed
        self._key_scans = 0  # lookups that scanned the keys since they changed
        self._widths: list[int] = []
        self._layout_width = -1
        self._style_cache: dict[str, Style] = {}
        self._header_cache: tuple[tuple[Any, ...], Strip] | None = None

    # --- hooks for the subclasses ----------------------------------------------------------

    def row_cells(self, row: int) -> Sequence[Cell]:
        """The cells of one row (a row number, fixed rows first)."""
        raise NotImplementedError

    def header_cells(self) -> Sequence[Cell]:
        return [(c.label, None) for c in self.columns]

    def column_widths(self, width: int) -> list[int]:
        """Each column's least width in cells, in a line ``width`` cells wide (the
        flexible ones get a share of what is left)."""
        return [c.width for c in self.columns]

    def header_key(self) -> tuple[Any, ...]:
        """What the header's look depends on besides width and scrolling (it is cached)."""
        return ()

    def header_clicked(self, column: int) -> None:
        """A click on the heading of ``column`` (an index into ``columns``)."""

    def cursor_moved(self) -> None:
        """The cursor moved or the rows changed: post the subclass's message."""

    def action_select(self) -> None:
        """``enter`` (or a double click) on the cursor: post the subclass's message."""

    # --- rows and keys -----------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        return self.fixed_rows + self.body_rows

    @property
    def cell_count(self) -> int:
        return len(self._cell_columns)

    def set_keys(self, keys: Sequence[Hashable]) -> None:
        """The key of each body row, in order (an account id, say); no two alike.

        ``keys`` may work each key out when asked (``VirtualTable`` passes a view of its
        rows): nothing here reads them all until lookups need the map."""
        self._keys = keys
        self._key_index = None
        self._key_scans = 0

    def index_of_key(self, key: Hashable) -> int | None:
        """The body position of the row with this key, or None.

        The first lookups after the keys change scan them (in C, stopping at the key): a
        scan reads half the keys on average, building the map reads them all and more,
        so a sort or a filter that keeps the cursor on its row, and a move to a new row
        after it, never pay for a map. Lookups after those build the key → row map, and
        each is then one dictionary lookup."""
        if self._key_index is None:
            if self._key_scans < SCANS_BEFORE_MAP:
                self._key_scans += 1
                try:
                    return indexOf(self._keys, key)
                except ValueError:
                    return None
            self._key_index = dict(zip(self._keys, range(len(self._keys)), strict=True))
        return self._key_index.get(key)

    @property
    def cursor_key(self) -> Hashable | None:
        """The key of the body row under the cursor (None on a fixed row or no rows)."""
        body = self.cursor_index - self.fixed_rows
        return self._keys[body] if 0 <= body < len(self._keys) else None

    def move_to_key(self, key: Hashable) -> bool:
        """Put the cursor on the row with this key; False when no row has it."""
        index = self.index_of_key(key)
        if index is None:
            return False
        self.move_to(self.fixed_rows + index)
        return True

    def reshaped(self) -> None:
        """The rows or columns changed: clamp the cursor, resize, repaint, tell the owner."""
        self._cell_columns = [i for i, c in enumerate(self.columns) if getattr(c, "cell", False)]
        self.cursor_index = max(0, min(self.cursor_index, self.row_count - 1))
        self.cursor_column = max(0, min(self.cursor_column, self.cell_count - 1))
        self._layout_width = -1
        self._header_cache = None
        self._update_virtual_size()
        self.refresh()
        self._ensure_visible()
        self.cursor_moved()

    # --- geometry -----------------------------------------------------------------------------

    @property
    def _width(self) -> int:
        return self.scrollable_content_region.width or self.size.width

    def _layout(self, width: int) -> list[int]:
        """Each column's width in cells (a one-cell gap follows each): flexible columns
        share what the terminal has to spare."""
        if width == self._layout_width and self._widths:
            return self._widths
        widths = self.column_widths(width)
        spare = width - sum(widths) - len(widths)
        flex = [i for i, c in enumerate(self.columns) if c.flex]
        if spare > 0 and flex:
            share, extra = divmod(spare, len(flex))
            for n, i in enumerate(flex):
                widths[i] += share + (1 if n < extra else 0)
        self._widths, self._layout_width = widths, width
        return widths

    def _pinned_width(self, widths: list[int]) -> int:
        return sum(w + 1 for w in widths[: self.pinned])

    def _update_virtual_size(self) -> None:
        width = self._width
        total = sum(w + 1 for w in self._layout(width))
        self.virtual_size = Size(max(total, width), self.row_count + 1)

    def on_resize(self, event: events.Resize) -> None:
        self._layout_width = -1
        self._header_cache = None
        self._update_virtual_size()
        self._ensure_visible()

    @property
    def body_height(self) -> int:
        """How many body rows are in view."""
        return max(1, self.scrollable_content_region.height - 1 - self.fixed_rows)

    def _ensure_visible(self) -> None:
        """Scroll so that the cursor's row (and cell) are in view."""
        body = self.cursor_index - self.fixed_rows
        if body >= 0:
            top = round(self.scroll_offset.y)
            if body < top:
                self.scroll_to(y=body, animate=False, immediate=True)
            elif body >= top + self.body_height:
                self.scroll_to(y=body - self.body_height + 1, animate=False, immediate=True)
        if not self._cell_columns:
            return
        index = self._cell_columns[self.cursor_column]
        if index < self.pinned:
            return
        widths = self._layout(self._width)
        left = sum(w + 1 for w in widths[self.pinned : index])
        right = left + widths[index] + 1
        view = max(1, self._width - self._pinned_width(widths))
        x = round(self.scroll_offset.x)
        if left < x:
            self.scroll_to(x=left, animate=False, immediate=True)
        elif right > x + view:
            # to the first whole column that shows the cursor's: no heading is cut at the left
            start, need = 0, right - view
            for w in widths[self.pinned : index]:
                if start >= need:
                    break
                start += w + 1
            self.scroll_to(x=start, animate=False, immediate=True)

    def line_of(self, row: int) -> int | None:
        """The widget line showing a row, or None when it is scrolled out of view."""
        if row < self.fixed_rows:
            return 1 + row
        y = row - round(self.scroll_offset.y) + 1
        return y if self.fixed_rows < y <= self.fixed_rows + self.body_height else None

    def row_at_line(self, y: int) -> int | None:
        """The row shown on a widget line (None for the header)."""
        if y <= 0:
            return None
        return y - 1 if y <= self.fixed_rows else round(self.scroll_offset.y) + y - 1

    def refresh_row(self, row: int) -> None:
        """Repaint one row only (a cursor move repaints two lines, not the widget)."""
        y = self.line_of(row)
        if y is not None:
            self.refresh(Region(0, y, self.size.width, 1))

    def refresh_header(self) -> None:
        self.refresh(Region(0, 0, self.size.width, 1))

    # --- cursor -----------------------------------------------------------------------------

    def move_to(self, row: int, column: int | None = None) -> None:
        """Move the cursor to a row (and cell column), repainting only what changed."""
        if self.row_count == 0:
            return
        row = max(0, min(row, self.row_count - 1))
        column = self.cursor_column if column is None else column
        column = max(0, min(column, self.cell_count - 1))
        if (row, column) == (self.cursor_index, self.cursor_column):
            return
        old_row, old_column = self.cursor_index, self.cursor_column
        offset = (round(self.scroll_offset.x), round(self.scroll_offset.y))
        self.cursor_index, self.cursor_column = row, column
        self._ensure_visible()
        if (round(self.scroll_offset.x), round(self.scroll_offset.y)) == offset:
            self.refresh_row(old_row)
            self.refresh_row(row)
            if column != old_column:
                self.refresh_header()  # it marks the cursor's column
        else:
            self.refresh()
        self.cursor_moved()

    def action_cursor(self, delta: int) -> None:
        self.move_to(self.cursor_index + delta)

    def action_page(self, direction: int) -> None:
        self.move_to(self.cursor_index + direction * self.body_height)

    def action_jump(self, index: int) -> None:
        """``jump(0)``: the first body row; ``jump(-1)``: the last row."""
        self.move_to(self.fixed_rows if index == 0 else self.row_count - 1)

    def on_click(self, event: events.Click) -> None:
        column = self._column_at(event.x)
        if event.y == 0:
            if column is not None:
                self.header_clicked(column)
            return
        row = self.row_at_line(event.y)
        if row is None or self.row_count == 0:
            return
        cell = self._cell_columns.index(column) if column in self._cell_columns else None
        self.move_to(row, cell)
        if event.chain >= 2:
            self.action_select()

    def _column_at(self, x: int) -> int | None:
        widths = self._layout(self._width)
        position = x if x < self._pinned_width(widths) else x + round(self.scroll_offset.x)
        edge = 0
        for i, width in enumerate(widths):
            edge += width + 1
            if position < edge:
                return i
        return None

    # --- rendering ------------------------------------------------------------------------------

    def _style(self, component: str) -> Style:
        """The widget's own style ('') or a component's, cached between style changes:
        working one out walks the DOM, which costs more than drawing a line."""
        cached = self._style_cache.get(component)
        if cached is None:
            cached = (
                self.get_component_rich_style(f"line-table--{component}")
                if component
                else self.rich_style
            )
            self._style_cache[component] = cached
        return cached

    def notify_style_update(self) -> None:
        self._style_cache.clear()
        self._header_cache = None
        super().notify_style_update()

    def _on_focus(self, event: events.Focus) -> None:
        self._style_cache.clear()
        self._header_cache = None
        super()._on_focus(event)

    def _on_blur(self, event: events.Blur) -> None:
        self._style_cache.clear()
        self._header_cache = None
        super()._on_blur(event)

    def _line(self, width: int, cells: Sequence[Cell], base: Style, cursor_at: int | None) -> Strip:
        """One line ``width`` cells wide: every cell fitted to its column's cells, the
        pinned ones first, the rest cropped to the horizontal scroll."""
        widths = self._layout(width)
        cursor_style = self._style("cursor-cell") if cursor_at is not None else None
        pinned: list[Segment] = []
        rest: list[Segment] = []
        for i, ((text, style), column, w) in enumerate(
            zip(cells, self.columns, widths, strict=False)
        ):
            cell_style = base + style if style else base
            part = pinned if i < self.pinned else rest
            if i == cursor_at and cursor_style is not None:
                part.append(Segment(fit(text, w, column.align), cell_style + cursor_style))
                part.append(Segment(" ", base))
            else:
                part.append(Segment(fit(text, w, column.align) + " ", cell_style))
        x = round(self.scroll_offset.x)
        visible = width - self._pinned_width(widths)
        strip = Strip([*pinned, *Strip(rest).crop(x, x + visible)])
        return strip.extend_cell_length(width, base).crop(0, width)

    def _cursor_cell(self) -> int | None:
        return self._cell_columns[self.cursor_column] if self._cell_columns else None

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if y == 0:
            key = (width, round(self.scroll_offset.x), self._cursor_cell(), *self.header_key())
            if self._header_cache is None or self._header_cache[0] != key:
                line = self._line(
                    width, self.header_cells(), self._style("header"), self._cursor_cell()
                )
                self._header_cache = (key, line)
            return self._header_cache[1]
        if self.body_rows == 0 and y > self.fixed_rows:
            if y == self.fixed_rows + 1:
                style = self._style("empty")
                return Strip([Segment(fit(" " + self.empty_text, width), style)])
            return Strip.blank(width, self._style(""))
        row = self.row_at_line(y)
        if row is None or row >= self.row_count:
            return Strip.blank(width, self._style(""))
        base = self._style("fixed" if row < self.fixed_rows else "row")
        extra = self._row_style(row) if self._row_style is not None else None
        if extra is not None:
            base = base + extra
        cursor_at = None
        if row == self.cursor_index:
            base = base + self._style("cursor-row")
            cursor_at = self._cursor_cell()
        return self._line(width, self.row_cells(row), base, cursor_at)
