"""The key → row lookups of the virtual table: built only when needed, always right."""

from __future__ import annotations

from dataclasses import dataclass, replace
from operator import attrgetter

from textual.app import App, ComposeResult

from kamtui.widgets.table import Column, VirtualTable


@dataclass(frozen=True)
class Row:
    id: int
    name: str


COLUMNS = (
    Column[Row]("name", "Name", 10, attrgetter("name")),
    Column[Row]("id", "Id", 4, lambda r: str(r.id), attrgetter("id"), align="right"),
)
ROWS = [Row(i, name) for i, name in enumerate(["delta", "alpha", "echo", "bravo", "charlie"], 1)]


class _App(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.table: VirtualTable[Row] = VirtualTable(
            COLUMNS, row_key=attrgetter("id"), search_text=attrgetter("name")
        )

    def compose(self) -> ComposeResult:
        yield self.table


def names(table: VirtualTable[Row]) -> list[str]:
    return [r.name for r in table.rows]


async def test_sort_and_filter_keep_the_cursor_on_its_row_and_build_no_map() -> None:
    app = _App()
    async with app.run_test(size=(40, 10)) as pilot:
        table = app.table
        table.set_rows(ROWS)
        await pilot.pause()
        assert table.move_to_key(3)  # echo
        table.sort_by("name")
        assert names(table) == ["alpha", "bravo", "charlie", "delta", "echo"]
        assert table.cursor_row == ROWS[2] and table.cursor_key == 3
        assert table._key_index is None  # keeping the cursor scanned; no map was built
        table.set_filter("h")
        assert names(table) == ["alpha", "charlie", "echo"]
        assert table.cursor_key == 3 and table.cursor_index == 2
        table.set_filter("lph")  # the cursor's row is filtered out: the first row
        assert names(table) == ["alpha"] and table.cursor_index == 0
        table.set_filter("")
        table.sort_by("id", reverse=True)
        assert [r.id for r in table.rows] == [5, 4, 3, 2, 1] and table.cursor_key == 2


async def test_lookups_agree_before_and_after_the_map_is_built() -> None:
    app = _App()
    async with app.run_test(size=(40, 10)) as pilot:
        table = app.table
        table.set_rows(ROWS)
        table.sort_by("name")
        await pilot.pause()
        expected = {r.id: i for i, r in enumerate(table.rows)}
        for key, position in expected.items():  # the first scans, the rest use the map
            assert table.index_of_key(key) == position
        assert table._key_index == expected
        assert table.index_of_key(99) is None
        table.sort_by("name")  # reversed: the map is dropped, lookups are right again
        assert table._key_index is None
        assert table.index_of_key(99) is None  # a scan that finds nothing
        assert [table.index_of_key(r.id) for r in table.rows] == [0, 1, 2, 3, 4]
        assert list(table._keys) == [r.id for r in table.rows]
        assert table._keys[1:3] == [table.rows[1].id, table.rows[2].id]


async def test_add_update_remove_find_rows_by_key() -> None:
    app = _App()
    async with app.run_test(size=(40, 10)) as pilot:
        table = app.table
        table.set_rows(ROWS)
        table.sort_by("name")
        await pilot.pause()
        assert table.move_to_key(4)  # bravo
        table.remove_row(2)  # alpha, above the cursor: the cursor keeps its line
        assert names(table) == ["bravo", "charlie", "delta", "echo"]
        assert table.index_of_key(3) == 3 and table.index_of_key(2) is None
        assert table.cursor_index == 1 and table.cursor_key == 5
        table.update_row(replace(ROWS[4], name="charlene"))  # patched in place, not re-sorted
        assert names(table) == ["bravo", "charlene", "delta", "echo"]
        table.add_row(Row(6, "apple"))
        assert names(table)[0] == "apple" and table.has_key(6)
        assert table.move_to_key(6) and table.cursor_index == 0
        assert [table.index_of_key(r.id) for r in table.rows] == list(range(5))
        table.set_rows([*ROWS[:2], Row(7, "zulu")])  # new objects: found by key
        assert table.index_of_key(7) == 2 and not table.has_key(3)
