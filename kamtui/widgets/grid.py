"""A virtual grid with a cell cursor, on Textual's Line API: one widget, however many
rows and columns; only the visible lines are ever rendered.

The owner supplies the shape (columns, how many *fixed* rows stay under the header,
how many body rows scroll) and a ``cells(row)`` callback that returns the text and
style of every column of one row. Row numbers count the fixed rows first (0 …
fixed-1), then the body. The first ``pinned`` columns stay put while the others
scroll sideways, so a narrow terminal still shows which row is which. The cursor
stands on *cell* columns only (``GridColumn.cell``); the grid follows it both ways.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

Cell = tuple[str, Style | None]


@dataclass(frozen=True)
class GridColumn:
    key: str
    label: str
    width: int
    align: str = "right"
    cell: bool = False  # the cursor can stand here
    flex: bool = False


def fit(text: str, width: int, align: str) -> str:
    if len(text) > width:
        return text[: max(0, width - 1)] + "…" if width > 1 else text[:width]
    if align == "right":
        return text.rjust(width)
    if align == "center":
        return text.center(width)
    return text.ljust(width)


_PLAIN = Style()


class CellGrid(ScrollView, can_focus=True):
    """Rows × columns with a cell cursor; the owner keeps the data."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "move(-1, 0)", "Up", show=False, id="grid.up"),
        Binding("down,j", "move(1, 0)", "Down", show=False, id="grid.down"),
        Binding("left,h", "move(0, -1)", "Left", show=False, id="grid.left"),
        Binding("right,l", "move(0, 1)", "Right", show=False, id="grid.right"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="grid.page_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="grid.page_down"),
        Binding("home,g", "jump(0)", "First", show=False, id="grid.first"),
        Binding("end,G", "jump(-1)", "Last", show=False, id="grid.last"),
        Binding("enter", "select", "Edit", id="grid.select"),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "cell-grid--header",
        "cell-grid--fixed",
        "cell-grid--cursor",
        "cell-grid--cursor-row",
        "cell-grid--empty",
    }
    DEFAULT_CSS = """
    CellGrid { height: 1fr; background: $surface; scrollbar-size-horizontal: 1; }
    CellGrid > .cell-grid--header { text-style: bold; background: $panel; }
    CellGrid > .cell-grid--fixed { background: $panel-darken-1; color: $text-accent; }
    CellGrid > .cell-grid--cursor { text-style: bold reverse; }
    CellGrid:blur > .cell-grid--cursor { text-style: underline; }
    CellGrid > .cell-grid--cursor-row { background: $boost; }
    CellGrid > .cell-grid--empty { color: $text-muted; text-style: italic; }
    """

    class CellMoved(Message):
        def __init__(self, grid: CellGrid, row: int, column: int) -> None:
            super().__init__()
            self.grid, self.row, self.column = grid, row, column

    class CellSelected(Message):
        def __init__(self, grid: CellGrid, row: int, column: int) -> None:
            super().__init__()
            self.grid, self.row, self.column = grid, row, column

    def __init__(
        self,
        cells: Callable[[int], Sequence[Cell]],
        *,
        pinned: int = 1,
        empty_text: str = "Nothing to show.",
        row_style: Callable[[int], Style | None] | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self._cells = cells
        self._row_style = row_style
        self.pinned = pinned
        self.empty_text = empty_text
        self.columns: list[GridColumn] = []
        self.fixed_rows = 0
        self.body_rows = 0
        self.cursor_row = 0
        self.cursor_column = 0  # index into the cell columns
        self._cell_columns: list[int] = []
        self._widths: list[int] = []
        self._layout_width = -1
        self._style_cache: dict[str, Style] = {}

    # --- shape -------------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        return self.fixed_rows + self.body_rows

    @property
    def cell_count(self) -> int:
        return len(self._cell_columns)

    def set_shape(
        self,
        columns: Sequence[GridColumn],
        fixed_rows: int,
        body_rows: int,
        *,
        cursor_row: int | None = None,
    ) -> None:
        """New columns or row counts; the cursor is kept where it can be."""
        self.columns = list(columns)
        self.fixed_rows, self.body_rows = fixed_rows, body_rows
        self._cell_columns = [i for i, c in enumerate(self.columns) if c.cell]
        self._layout_width = -1
        if cursor_row is not None:
            self.cursor_row = cursor_row
        self.cursor_row = max(0, min(self.cursor_row, self.row_count - 1))
        self.cursor_column = max(0, min(self.cursor_column, self.cell_count - 1))
        self._update_virtual_size()
        self.refresh()
        self._ensure_visible()
        self.post_message(self.CellMoved(self, self.cursor_row, self.cursor_column))

    def _layout(self, width: int) -> list[int]:
        if width == self._layout_width and self._widths:
            return self._widths
        widths = [c.width for c in self.columns]
        spare = width - sum(w + 1 for w in widths)
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
        self.virtual_size = Size(max(total, width), self.row_count + 1)

    def on_resize(self, event: events.Resize) -> None:
        self._layout_width = -1
        self._update_virtual_size()
        self._ensure_visible()

    @property
    def body_height(self) -> int:
        return max(1, self.scrollable_content_region.height - 1 - self.fixed_rows)

    def _ensure_visible(self) -> None:
        if self.cursor_row >= self.fixed_rows:
            body = self.cursor_row - self.fixed_rows
            top = round(self.scroll_offset.y)
            if body < top:
                self.scroll_to(y=body, animate=False, immediate=True)
            elif body >= top + self.body_height:
                self.scroll_to(y=body - self.body_height + 1, animate=False, immediate=True)
        if not self._cell_columns:
            return
        widths = self._layout(self.scrollable_content_region.width or self.size.width)
        pinned_width = sum(w + 1 for w in widths[: self.pinned])
        index = self._cell_columns[self.cursor_column]
        if index < self.pinned:
            return
        left = sum(w + 1 for w in widths[self.pinned : index])
        right = left + widths[index] + 1
        view = max(1, (self.scrollable_content_region.width or self.size.width) - pinned_width)
        x = round(self.scroll_offset.x)
        if left < x:
            self.scroll_to(x=left, animate=False, immediate=True)
        elif right > x + view:
            self.scroll_to(x=right - view, animate=False, immediate=True)

    # --- refreshing ---------------------------------------------------------------------

    def line_of(self, row: int) -> int | None:
        """Screen line of a row, or None when it is scrolled out of view."""
        if row < self.fixed_rows:
            return 1 + row
        y = row - self.fixed_rows - round(self.scroll_offset.y) + 1 + self.fixed_rows
        return y if self.fixed_rows < y <= self.fixed_rows + self.body_height else None

    def refresh_row(self, row: int) -> None:
        y = self.line_of(row)
        if y is not None:
            self.refresh(Region(0, y, self.size.width, 1))

    def refresh_header(self) -> None:
        self.refresh(Region(0, 0, self.size.width, 1))

    # --- cursor ---------------------------------------------------------------------------

    def move_to(self, row: int, column: int | None = None) -> None:
        row = max(0, min(row, self.row_count - 1))
        column = self.cursor_column if column is None else column
        column = max(0, min(column, self.cell_count - 1))
        if (row, column) == (self.cursor_row, self.cursor_column):
            return
        old = self.cursor_row
        top, left = round(self.scroll_offset.y), round(self.scroll_offset.x)
        self.cursor_row, self.cursor_column = row, column
        self._ensure_visible()
        if (round(self.scroll_offset.y), round(self.scroll_offset.x)) == (top, left):
            self.refresh_row(old)
            self.refresh_row(row)
            self.refresh_header()
        else:
            self.refresh()
        self.post_message(self.CellMoved(self, row, column))

    def action_move(self, rows: int, columns: int) -> None:
        self.move_to(self.cursor_row + rows, self.cursor_column + columns)

    def action_page(self, direction: int) -> None:
        self.move_to(self.cursor_row + direction * self.body_height)

    def action_jump(self, index: int) -> None:
        self.move_to(self.fixed_rows if index == 0 else self.row_count - 1)

    def action_select(self) -> None:
        if self.row_count:
            self.post_message(self.CellSelected(self, self.cursor_row, self.cursor_column))

    def on_click(self, event: events.Click) -> None:
        if event.y == 0:
            return
        if event.y <= self.fixed_rows:
            row = event.y - 1
        else:
            row = self.fixed_rows + round(self.scroll_offset.y) + event.y - 1 - self.fixed_rows
        column = self._cell_at(event.x)
        self.move_to(row, column)
        if event.chain >= 2:
            self.action_select()

    def _cell_at(self, x: int) -> int | None:
        widths = self._layout(self.size.width)
        pinned_width = sum(w + 1 for w in widths[: self.pinned])
        position = x if x < pinned_width else x + round(self.scroll_offset.x)
        edge = 0
        for i, w in enumerate(widths):
            edge += w + 1
            if position < edge:
                return self._cell_columns.index(i) if i in self._cell_columns else None
        return None

    # --- rendering ---------------------------------------------------------------------------

    def _style(self, component: str) -> Style:
        """The widget's own style ('') or a component's, cached between style changes:
        working them out walks the DOM, which costs more than drawing a line."""
        cached = self._style_cache.get(component)
        if cached is None:
            cached = self.get_component_rich_style(component) if component else self.rich_style
            self._style_cache[component] = cached
        return cached

    def notify_style_update(self) -> None:
        self._style_cache.clear()
        super().notify_style_update()

    def _on_focus(self, event: events.Focus) -> None:
        self._style_cache.clear()
        super()._on_focus(event)

    def _on_blur(self, event: events.Blur) -> None:
        self._style_cache.clear()
        super()._on_blur(event)

    def _line(self, cells: Sequence[Cell], base: Style, cursor_at: int | None) -> Strip:
        width = self.scrollable_content_region.width
        widths = self._layout(width)
        cursor_style = self._style("cell-grid--cursor") if cursor_at is not None else None
        pinned: list[Segment] = []
        rest: list[Segment] = []
        for i, ((text, style), column, w) in enumerate(
            zip(cells, self.columns, widths, strict=False)
        ):
            cell_style = base + style if style else base
            if i == cursor_at and cursor_style is not None:
                segment = [
                    Segment(fit(text, w, column.align), cell_style + cursor_style),
                    Segment(" ", base),
                ]
            else:
                segment = [Segment(fit(text, w, column.align) + " ", cell_style)]
            (pinned if i < self.pinned else rest).extend(segment)
        pinned_width = sum(w + 1 for w in widths[: self.pinned])
        x = round(self.scroll_offset.x)
        strip = Strip([*pinned, *Strip(rest).crop(x, x + width - pinned_width)])
        return strip.extend_cell_length(width, base).crop(0, width)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if y == 0:
            style = self._style("cell-grid--header")
            cursor = self._cell_columns[self.cursor_column] if self._cell_columns else None
            cells: list[Cell] = [(c.label, None) for c in self.columns]
            return self._line(cells, style, cursor)
        if y <= self.fixed_rows:
            row = y - 1
            base = self._style("cell-grid--fixed")
        else:
            if self.body_rows == 0:
                if y == self.fixed_rows + 1:
                    style = self._style("cell-grid--empty")
                    return Strip([Segment(fit(" " + self.empty_text, width, "left"), style)])
                return Strip.blank(width, self._style(""))
            row = self.fixed_rows + round(self.scroll_offset.y) + y - 1 - self.fixed_rows
            if row >= self.row_count:
                return Strip.blank(width, self._style(""))
            base = self._style("")
        extra = self._row_style(row) if self._row_style else None
        if extra is not None:
            base = base + extra
        cursor_at = None
        if row == self.cursor_row:
            base = base + self._style("cell-grid--cursor-row")
            cursor_at = self._cell_columns[self.cursor_column] if self._cell_columns else None
        return self._line(self._cells(row), base, cursor_at)
