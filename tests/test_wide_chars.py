"""Japanese, Chinese, full-width and emoji names keep every column in line.

The issue: "a Japanese or Chinese company name shifts every column after it". These
tests read what the terminal would show (the screen's compositor strips, cell by cell)
and check that each column starts on the same cell on every row, that a name too wide
for its column is cut at a character boundary with an ellipsis, and that no
double-width character is split.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import pytest
from rich.cells import cell_len, split_graphemes
from rich.segment import Segment
from rich.style import Style
from textual.app import App, ComposeResult
from textual.strip import Strip
from ui_helpers import settle

from kamtui.app import KamApp, make_app
from kamtui.screens.accounts import STATUS_MARK
from kamtui.screens.matrix import GLYPH, MatrixScreen
from kamtui.services.accounts import create_account
from kamtui.widgets.grid import CellGrid, GridColumn
from kamtui.widgets.table import VirtualTable
from kamtui.widgets.vtable import ELLIPSIS

TODAY = dt.date(2026, 11, 16)
TOO_LONG = "株式会社トヨタ自動車北京华为技术有限公司株式会社"  # 48 cells: wider than any column
ACCOUNTS = [  # name, status (all in the matrix's default scope), country
    ("株式会社トヨタ自動車", "customer", "日本"),
    ("北京华为技术有限公司", "key", "中国"),
    ("Café 🚀 Rocket GmbH", "target", "Germany"),
    ("Ａｃｍｅ（全角）", "customer", "日本"),
    ("Plain Trading Ltd", "target", "UK"),
    ("Nordwind AG", "customer", "Schweiz"),
    (TOO_LONG, "key", "中国"),
]
SIZES = [(100, 30), (80, 24)]
CONTINUATION = ""  # the second cell of a double-width character


@pytest.fixture
def wide_db(db: Any) -> Any:
    for name, status, country in ACCOUNTS:
        create_account(db, {"name": name, "country": country}, status=status, today=TODAY)
    return db


def cells(strip: Strip) -> list[str]:
    """One string per terminal cell: a double-width grapheme, then CONTINUATION."""
    out: list[str] = []
    for segment in strip:
        if segment.control:
            continue
        spans, _ = split_graphemes(segment.text)
        for start, stop, width in spans:
            out.append(segment.text[start:stop])
            out.extend([CONTINUATION] * (width - 1))
    return out


def screen_cells(app: App[Any]) -> list[list[str]]:
    """The whole screen as the terminal gets it, one list of cells per line."""
    lines = [cells(strip) for strip in app.screen._compositor.render_strips()]
    for line in lines:
        assert len(line) == app.size.width  # no line is a cell too long or too short
    return lines


def find(line: list[str], text: str, start: int = 0) -> int:
    """The cell where ``text`` starts in ``line`` (from ``start``), or -1."""
    want = cells(Strip([Segment(text)]))
    for x in range(start, len(line) - len(want) + 1):
        if line[x : x + len(want)] == want:
            return x
    return -1


def text_of(line: list[str], start: int, end: int) -> str:
    return "".join(line[start:end])


def assert_cut_cleanly(column: str, name: str, width: int) -> None:
    """``column`` (``width`` cells) shows ``name`` whole, or a prefix of it and an
    ellipsis; it never starts or ends inside a double-width character."""
    assert cell_len(column) == width
    shown = column.rstrip(" ")
    if cell_len(name) <= width:
        assert shown == name.rstrip(" ")
        return
    assert shown.endswith(ELLIPSIS), column
    prefix = shown[: -len(ELLIPSIS)]
    assert name.startswith(prefix) and prefix, column
    # as many whole characters as fit beside the ellipsis: the next one would not
    assert cell_len(prefix) + 1 <= width < cell_len(name[: len(prefix) + 1]) + 1


def table_lines(app: App[Any], widget: Any) -> tuple[int, list[list[str]]]:
    """The table's left edge and its lines (header first) on the screen."""
    region = widget.region
    return region.x, screen_cells(app)[region.y : region.y + region.height]


# --- the Accounts view ---------------------------------------------------------------------


async def _accounts(app: KamApp, pilot: Any) -> VirtualTable[Any]:
    await settle(app, pilot)
    table = app.screen.query_one(VirtualTable)
    assert table.total_count == len(ACCOUNTS)
    return table


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_accounts_columns_start_on_the_same_cell(wide_db: Any, size: Any) -> None:
    app = make_app(wide_db, today=TODAY, welcome=False)
    async with app.run_test(size=size) as pilot:
        table = await _accounts(app, pilot)
        left, lines = table_lines(app, table)
        header, body = lines[0], lines[1 : 1 + table.row_count]
        status_x = find(header, "Status")
        country_x = find(header, "Country")
        assert status_x > left and country_x > status_x
        name_width = status_x - 1 - left  # the name column, less the gap after it
        seen = set()
        for row, line in zip(table.rows, body, strict=True):
            seen.add(row.name)
            # the gap before Status is a blank cell, not half of a wide character
            assert line[status_x - 1] == " " and line[status_x] != CONTINUATION
            assert text_of(line, status_x, status_x + 8).rstrip() == STATUS_MARK[row.status]
            assert find(line, row.country, country_x) == country_x, (row.name, row.country)
            assert_cut_cleanly(text_of(line, left, status_x - 1), row.name, name_width)
        assert seen == {name for name, _, _ in ACCOUNTS}


async def test_accounts_columns_stay_in_line_when_scrolled_sideways(wide_db: Any) -> None:
    app = make_app(wide_db, today=TODAY, welcome=False)
    async with app.run_test(size=(80, 24)) as pilot:
        table = await _accounts(app, pilot)
        await pilot.press("right")  # the columns after the pinned name move 8 cells left
        await pilot.pause()
        assert round(table.scroll_offset.x) > 0
        _, lines = table_lines(app, table)
        country_x = find(lines[0], "Country")
        assert country_x > 0
        for row, line in zip(table.rows, lines[1 : 1 + table.row_count], strict=True):
            assert find(line, row.country, country_x) == country_x, row.name


async def test_accounts_filter_on_a_wide_name(wide_db: Any) -> None:
    app = make_app(wide_db, today=TODAY, welcome=False)
    async with app.run_test(size=(80, 24)) as pilot:
        table = await _accounts(app, pilot)
        table.set_filter("株式会社")
        await pilot.pause()
        assert {r.name for r in table.rows} == {"株式会社トヨタ自動車", TOO_LONG}
        _, lines = table_lines(app, table)
        status_x = find(lines[0], "Status")
        for row, line in zip(table.rows, lines[1 : 1 + table.row_count], strict=True):
            assert text_of(line, status_x, status_x + 8).rstrip() == STATUS_MARK[row.status]


def test_accounts_view_with_wide_names(wide_db: Any, snap_compare: Any) -> None:
    async def run_before(pilot: Any) -> None:
        await settle(pilot.app, pilot)

    assert snap_compare(
        make_app(wide_db, today=TODAY, welcome=False), terminal_size=(80, 24), run_before=run_before
    )


# --- the matrix ----------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_matrix_columns_start_on_the_same_cell(wide_db: Any, size: Any) -> None:
    app = make_app(wide_db, today=TODAY, welcome=False)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await app.switch_mode("matrix")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, MatrixScreen) and screen.mx is not None
        mx, grid = screen.mx, screen.grid
        assert len(screen.order) == len(ACCOUNTS)
        left, lines = table_lines(app, grid)
        header = lines[0]
        first_criterion = find(header, grid.label_of(1), left + 1)  # as shown: full or short
        total_x = find(header, "Total")
        assert left < first_criterion < total_x
        name_width = grid._layout(grid._width)[0]
        second = left + name_width + 1  # where the first criterion's column starts
        assert second <= first_criterion
        for index, line in zip(screen.order, lines[2 : 2 + len(screen.order)], strict=True):
            name = f"{GLYPH[mx.statuses[index]]} {mx.names[index]}"
            assert line[second - 1] == " " and line[second] != CONTINUATION
            assert_cut_cleanly(text_of(line, left, left + name_width), name, name_width)
            # Total is right-aligned in its column: it ends on the heading's last cell
            total = f"{mx.totals[index]:.1f}"
            end = total_x + len("Total")
            assert text_of(line, end - len(total), end) == total, name
            assert line[end - len(total) - 1] == " "


# --- the widget, scrolled one cell at a time -----------------------------------------------


class _Grid(App[None]):
    """A CellGrid whose scrolling columns hold wide text, in a narrow terminal."""

    ROWS: Sequence[Sequence[str]] = (
        ("a", "株式会社", "x", "华为", "end"),
        ("bb", "Acme", "株式", "ok", "end"),
        ("株", "🚀🚀🚀🚀", "yy", "Ａｃ", "end"),
    )

    def compose(self) -> ComposeResult:
        columns = [
            GridColumn("k", "Key", 3, align="left"),
            GridColumn("a", "A", 7, align="left", cell=True),
            GridColumn("b", "B", 5, align="right", cell=True),
            GridColumn("c", "C", 5, align="center", cell=True),
            GridColumn("d", "D", 4, align="left", cell=True),
        ]
        self.columns = columns
        yield CellGrid(lambda row: [(text, Style()) for text in self.ROWS[row]], id="g")

    def on_mount(self) -> None:
        grid = self.query_one(CellGrid)
        grid.set_shape(self.columns, 0, len(self.ROWS))


async def test_a_wide_character_cut_by_sideways_scrolling_keeps_the_line_width() -> None:
    app = _Grid()
    async with app.run_test(size=(14, 6)) as pilot:
        await pilot.pause()
        grid = app.query_one(CellGrid)
        total = sum(w + 1 for w in grid._layout(grid._width))
        assert total > grid._width  # it scrolls
        for x in range(total - grid._width + 1):
            grid.scroll_to(x=x, animate=False, immediate=True)
            await pilot.pause()
            lines = [cells(grid.render_line(y)) for y in range(1 + len(app.ROWS))]
            for line in lines:
                assert len(line) == grid._width, x  # nothing shifted, nothing lost
                assert line[0] != CONTINUATION and line[4] != CONTINUATION
            # the last column is plain text: on every row it starts on the cell its place
            # in the layout says (or it is not wholly in view yet)
            at = 4 + sum(w + 1 for w in grid._layout(grid._width)[1:4]) - x
            expected = at if at + len("end") <= grid._width else -1
            assert [find(line, "end") for line in lines[1:]] == [expected] * len(app.ROWS), x
