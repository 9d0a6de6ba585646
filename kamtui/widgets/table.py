"""A virtual table of plain rows (the Accounts and Reviews views; later Prospects).

Textual's DataTable takes seconds to fill 10,000 rows; this one draws a frame in
milliseconds at 100,000 (PERFORMANCE.md). Rows are plain objects kept in a list;
columns say how to show, sort and style them. Layout, scrolling, the pinned first
column, the cursor and cell-width-aware fitting come from ``LineTable`` (widgets/vtable.py).

The table filters (a case-insensitive substring of each row's search text) and sorts
itself; the screen that owns it supplies rows and reacts to its messages. Rows are found
by key through a dictionary, so patching or removing one row does not scan the table.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter
from typing import Any, ClassVar, Generic, TypeVar, overload

from rich.style import Style
from textual.binding import Binding, BindingType
from textual.message import Message

from kamtui.widgets.vtable import Cell, LineTable, nav_bindings

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


class _Last:
    """Sorts after everything (for missing values, whichever the direction)."""

    def __lt__(self, other: object) -> bool:
        return False

    def __gt__(self, other: object) -> bool:
        return True


LAST = _Last()
_first = itemgetter(0)


class _RowKeys(Sequence[Hashable]):
    """The key of each row shown, worked out when asked: a sort or a filter does not call
    ``row_key`` for every row to make a list of keys that nobody may read."""

    __slots__ = ("_key", "_rows")

    def __init__(self, rows: list[R], key: Callable[[R], Hashable]) -> None:
        self._rows: list[Any] = rows  # the table's list itself: it sees removals
        self._key = key

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, index: int) -> Hashable: ...
    @overload
    def __getitem__(self, index: slice) -> list[Hashable]: ...
    def __getitem__(self, index: int | slice) -> Hashable | list[Hashable]:
        if isinstance(index, slice):
            return list(map(self._key, self._rows[index]))
        return self._key(self._rows[index])

    def __iter__(self) -> Iterator[Hashable]:
        return map(self._key, self._rows)


class VirtualTable(LineTable, Generic[R]):
    """A fast, keyboard-first table of plain rows."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *nav_bindings("table"),
        Binding("left,h", "sideways(-8)", "Left", show=False, id="table.left"),
        Binding("right,l", "sideways(8)", "Right", show=False, id="table.right"),
        Binding("enter", "select", "Open", id="table.open"),
    ]

    DEFAULT_CSS = """
    VirtualTable > .line-table--cursor-row { background: $block-cursor-background; color: $block-cursor-foreground; text-style: bold; }
    VirtualTable:blur > .line-table--cursor-row { background: $block-cursor-blurred-background; text-style: none; }
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
        row_key: Callable[[R], Hashable],
        search_text: Callable[[R], str] | None = None,
        empty_text: str = "Nothing to show.",
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(pinned=1, empty_text=empty_text, name=name, id=id, classes=classes)
        self.columns: list[Column[R]] = list(columns)
        self.row_key = row_key
        self._search_text = search_text
        self._all: list[R] = []
        self._search: list[str] | None = None  # built on the first filter, kept up to date
        self._all_keys: list[Hashable] = []
        self._all_index: dict[Hashable, int] | None = None
        self._rows: list[R] = []
        self._filter = ""
        self._sort_key: str | None = None
        self._sort_reverse = False

    # --- data ---------------------------------------------------------------------------

    @property
    def rows(self) -> list[R]:
        """The rows shown, in order (after filter and sort)."""
        return self._rows

    @property
    def all_rows(self) -> list[R]:
        """Every row, the filter aside, in the order they were given."""
        return self._all

    @property
    def total_count(self) -> int:
        return len(self._all)

    @property
    def cursor_row(self) -> R | None:
        return self._rows[self.cursor_index] if self._rows else None

    @property
    def filter_text(self) -> str:
        return self._filter

    @property
    def sort_column(self) -> tuple[str | None, bool]:
        return self._sort_key, self._sort_reverse

    def _position(self, key: Hashable) -> int | None:
        """Where the row with this key stands in ``all_rows``."""
        if self._all_index is None:
            keys = self._all_keys
            self._all_index = dict(zip(keys, range(len(keys)), strict=True))
        return self._all_index.get(key)

    def has_key(self, key: Hashable) -> bool:
        return self._position(key) is not None

    def set_rows(self, rows: Sequence[R]) -> None:
        """Replace all rows, keeping the cursor on the same row when it is still there."""
        keep = self.cursor_key
        self._all = list(rows)
        self._all_keys = list(map(self.row_key, self._all))
        self._all_index = None
        self._search = None  # the first filter builds it: start-up does not pay for it
        self._apply(keep)

    def add_row(self, row: R) -> None:
        """One more row, filtered and sorted into place; the cursor stays where it was."""
        keep = self.cursor_key
        self._all.append(row)
        self._all_keys.append(self.row_key(row))
        self._all_index = None
        if self._search is not None and self._search_text:
            self._search.append(self._search_text(row).lower())
        self._apply(keep)

    def update_row(self, row: R) -> None:
        """Patch one row in place (same key), without re-sorting the table."""
        key = self.row_key(row)
        position = self._position(key)
        if position is not None:
            self._all[position] = row
            if self._search is not None and self._search_text:
                self._search[position] = self._search_text(row).lower()
        shown = self.index_of_key(key)
        if shown is not None:
            self._rows[shown] = row
            self.refresh_row(shown)

    def remove_row(self, key: Hashable) -> None:
        position = self._position(key)
        if position is not None:
            del self._all[position], self._all_keys[position]
            if self._search is not None:
                del self._search[position]
            self._all_index = None
        shown = self.index_of_key(key)
        if shown is not None:
            del self._rows[shown]
            self.set_keys(_RowKeys(self._rows, self.row_key))  # the positions moved
            self.body_rows = len(self._rows)
        self.reshaped()

    def set_filter(self, text: str) -> None:
        self._filter = text.strip().lower()
        self._apply(self.cursor_key)

    def sort_by(self, key: str | None, reverse: bool | None = None) -> None:
        """Sort by a column; sorting by the same column again flips the direction."""
        if reverse is None:
            reverse = not self._sort_reverse if key == self._sort_key else False
        self._sort_key, self._sort_reverse = key, reverse
        self._apply(self.cursor_key)

    def sort_next(self, biggest_first: Collection[str] = ()) -> None:
        """Sort by the column after the current one (`s`); the columns named in
        ``biggest_first`` (figures) start with the largest."""
        keys = [c.key for c in self.columns]
        key = self._sort_key
        nxt = keys[(keys.index(key) + 1) % len(keys)] if key in keys else keys[0]
        self.sort_by(nxt, reverse=nxt in biggest_first)

    def reverse_sort(self) -> None:
        """The same column, the other way round (`S`)."""
        self.sort_by(self._sort_key, reverse=not self._sort_reverse)

    def _apply(self, keep_key: Hashable | None) -> None:
        search = self._search_text
        if self._filter and search:
            if self._search is None:
                self._search = [search(r).lower() for r in self._all]
            needle = self._filter
            rows = [r for r, s in zip(self._all, self._search, strict=True) if needle in s]
        else:
            rows = list(self._all)
        column = next((c for c in self.columns if c.key == self._sort_key), None)
        if column is not None:
            get = column.sort_key or column.text
            keyed = list(zip(map(get, rows), rows, strict=True))  # each sort key once
            present = [pair for pair in keyed if pair[0] is not None]
            present.sort(key=_first, reverse=self._sort_reverse)
            rows = [r for _, r in present] + [r for value, r in keyed if value is None]
        self._rows = rows
        self.set_keys(_RowKeys(rows, self.row_key))
        self.body_rows = len(rows)
        shown = self.index_of_key(keep_key) if keep_key is not None else None
        self.cursor_index = shown or 0
        self.reshaped()

    # --- what the base asks -----------------------------------------------------------------

    def row_cells(self, row: int) -> list[Cell]:
        r = self._rows[row]
        cells: list[Cell] = []
        for c in self.columns:
            extra = c.style(r) if c.style else None
            cells.append((c.text(r), _parsed(extra) if extra else None))
        return cells

    def header_cells(self) -> list[Cell]:
        cells: list[Cell] = []
        for c in self.columns:
            mark = ""
            if c.key == self._sort_key:
                mark = "▼" if self._sort_reverse else "▲"
            label = f"{c.label}{mark}" if c.align != "right" else f"{mark}{c.label}"
            cells.append((label, None))
        return cells

    def header_key(self) -> tuple[Any, ...]:
        return (self._sort_key, self._sort_reverse)

    def header_clicked(self, column: int) -> None:
        self.sort_by(self.columns[column].key)

    def cursor_moved(self) -> None:
        self.post_message(self.CursorMoved(self, self.cursor_row))

    # --- actions ---------------------------------------------------------------------------

    def action_sideways(self, delta: int) -> None:
        self.scroll_to(x=self.scroll_offset.x + delta, animate=False)

    def action_select(self) -> None:
        if self.cursor_row is not None:
            self.post_message(self.Selected(self, self.cursor_row))
