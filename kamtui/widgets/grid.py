"""A virtual grid with a cell cursor (the scoring matrix): one widget, however many rows
and columns; only the visible lines are ever rendered.

The owner supplies the shape (columns, how many *fixed* rows stay under the header,
how many body rows scroll, and optionally a key for each body row) and a ``cells(row)``
callback that returns the text and style of every column of one row. Row numbers count
the fixed rows first (0 … fixed-1), then the body. The cursor stands on *cell* columns
only (``GridColumn.cell``); the grid follows it both ways. Layout, pinned columns,
scrolling and cell-width-aware fitting come from ``LineTable`` (widgets/vtable.py).

A heading is never cut: a column is as wide as its label. A column with a ``short``
label takes it instead when the full labels do not all fit the grid's width (with the
flexible columns at the width they ``want``) — the columns that save most first, so as
many full labels stay as there is room for.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.message import Message

from kamtui.widgets.vtable import Cell, LineTable, fit, nav_bindings

__all__ = ["Cell", "CellGrid", "GridColumn", "fit"]


@dataclass(frozen=True)
class GridColumn:
    key: str
    label: str
    width: int
    align: str = "right"
    cell: bool = False  # the cursor can stand here
    flex: bool = False
    short: str = ""  # the heading when the full labels do not fit
    want: int = 0  # a flexible column: the width it keeps before full labels do


class CellGrid(LineTable):
    """Rows × columns with a cell cursor; the owner keeps the data."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *nav_bindings("grid"),
        Binding("left,h", "move(0, -1)", "Left", show=False, id="grid.left"),
        Binding("right,l", "move(0, 1)", "Right", show=False, id="grid.right"),
        Binding("enter", "select", "Edit", id="grid.select"),
    ]
    DEFAULT_CSS = """
    CellGrid > .line-table--fixed { background: $panel-darken-1; color: $text-accent; }
    CellGrid > .line-table--cursor-cell { text-style: bold reverse; }
    CellGrid:blur > .line-table--cursor-cell { text-style: underline; }
    CellGrid > .line-table--cursor-row { background: $boost; }
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
        super().__init__(pinned=pinned, empty_text=empty_text, row_style=row_style, id=id)
        self._cells = cells
        self.columns: list[GridColumn] = []
        self.labels: list[str] = []  # the heading each column shows at the current width

    def column_widths(self, width: int) -> list[int]:
        """Full labels while they fit ``width``; else short ones, biggest saving first."""
        full = [max(c.width, cell_len(c.label)) for c in self.columns]
        short = [
            max(c.width, cell_len(c.short)) if c.short else f
            for c, f in zip(self.columns, full, strict=True)
        ]
        widths, labels = list(full), [c.label for c in self.columns]
        wanted = sum(max(0, c.want - w) for c, w in zip(self.columns, full, strict=True))
        over = sum(widths) + len(widths) + wanted - width
        for i in sorted(range(len(full)), key=lambda i: short[i] - full[i]):
            if over <= 0 or short[i] >= full[i]:
                break
            widths[i], labels[i] = short[i], self.columns[i].short
            over -= full[i] - short[i]
        self.labels = labels
        spare = width - sum(widths) - len(widths)
        for i, c in enumerate(self.columns):  # flexible columns up to their want first
            grow = max(0, min(spare, c.want - widths[i]))
            widths[i] += grow
            spare -= grow
        return widths

    def header_cells(self) -> Sequence[Cell]:
        self._layout(self._width)
        return [(label, None) for label in self.labels]

    def label_of(self, index: int) -> str:
        """The heading column ``index`` shows now (short or full)."""
        self._layout(self._width)
        return self.labels[index] if index < len(self.labels) else ""

    @property
    def cursor_row(self) -> int:
        return self.cursor_index

    def set_shape(
        self,
        columns: Sequence[GridColumn],
        fixed_rows: int,
        body_rows: int,
        *,
        cursor_row: int | None = None,
        keys: Sequence[Hashable] | None = None,
        cursor_key: Hashable | None = None,
    ) -> None:
        """New columns or row counts; the cursor is kept where it can be. ``keys`` names
        each body row (for ``move_to_key`` and ``cursor_key``); ``cursor_key`` puts the
        cursor on the row with that key, when there is one."""
        self.columns = list(columns)
        self.fixed_rows, self.body_rows = fixed_rows, body_rows
        self.set_keys(keys if keys is not None else ())
        if cursor_key is not None:
            index = self.index_of_key(cursor_key)
            cursor_row = fixed_rows + index if index is not None else cursor_row
        if cursor_row is not None:
            self.cursor_index = cursor_row
        self.reshaped()

    def row_cells(self, row: int) -> Sequence[Cell]:
        return self._cells(row)

    def cursor_moved(self) -> None:
        self.post_message(self.CellMoved(self, self.cursor_index, self.cursor_column))

    def action_move(self, rows: int, columns: int) -> None:
        self.move_to(self.cursor_index + rows, self.cursor_column + columns)

    def action_select(self) -> None:
        if self.row_count:
            self.post_message(self.CellSelected(self, self.cursor_index, self.cursor_column))
