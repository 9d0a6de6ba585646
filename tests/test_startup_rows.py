"""The first screen's rows, read while Textual imports (start-up), and what follows."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import Future
from typing import Any

from textual.widgets import Static
from ui_helpers import settle

from kamtui.app import make_app
from kamtui.errors import BusyError
from kamtui.services.account_list import (
    AccountRow,
    FirstPage,
    FirstRows,
    first_page,
    list_rows,
    start_reading,
)
from kamtui.widgets.table import VirtualTable

TODAY = dt.date(2026, 11, 16)


def status(app: Any) -> str:
    return str(app.screen.query_one("#status-line", Static).render())


def done(rows: list[AccountRow], total: int | None = None) -> FirstRows:
    future: Future[FirstPage] = Future()
    future.set_result(FirstPage(rows, len(rows) if total is None else total))
    return FirstRows(TODAY, future)


async def test_rows_read_at_start_up_are_in_the_first_frame(demo_db) -> None:  # type: ignore[no-untyped-def]
    first = start_reading(demo_db, TODAY)
    expected = first.future.result(timeout=30).rows
    assert sorted(expected) == sorted(list_rows(demo_db, TODAY))  # as the view's own read
    app = make_app(demo_db, today=TODAY, welcome=False, first_rows=first)
    async with app.run_test(size=(100, 30)):
        grid = app.screen.query_one(VirtualTable)  # no pause: mounted with its rows
        assert grid.total_count == 60
        assert grid.rows[0].revenue == max(r.revenue for r in expected)
        assert status(app).startswith("60 accounts")


async def test_the_first_screen_does_not_read_again_what_start_up_read(demo_db) -> None:  # type: ignore[no-untyped-def]
    one = list_rows(demo_db, TODAY)[:1]  # stands for "what start-up read": one row
    app = make_app(demo_db, today=TODAY, welcome=False, first_rows=done(one))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await settle(app, pilot)
        assert app.screen.query_one(VirtualTable).total_count == 1  # not read twice
        await pilot.press("ctrl+r")  # a reload reads the database
        await settle(app, pilot)
        assert app.screen.query_one(VirtualTable).total_count == 60


async def test_a_failed_start_up_read_is_read_again(demo_db) -> None:  # type: ignore[no-untyped-def]
    future: Future[FirstPage] = Future()
    future.set_exception(BusyError("The database is busy (another kam is saving); try again"))
    app = make_app(demo_db, today=TODAY, welcome=False, first_rows=FirstRows(TODAY, future))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert app.screen.query_one(VirtualTable).total_count == 60
        assert status(app).startswith("60 accounts")


async def test_rows_read_for_another_day_are_not_shown(demo_db) -> None:  # type: ignore[no-untyped-def]
    one = list_rows(demo_db, TODAY)[:1]
    future: Future[FirstPage] = Future()
    future.set_result(FirstPage(one, 1))
    stale = FirstRows(TODAY - dt.timedelta(days=1), future)  # kam started before midnight
    app = make_app(demo_db, today=TODAY, welcome=False, first_rows=stale)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert app.screen.query_one(VirtualTable).total_count == 60


def by_revenue(rows: list[AccountRow]) -> list[AccountRow]:
    return sorted(rows, key=lambda r: r.revenue, reverse=True)  # as the view sorts: stable


def test_the_first_page_is_the_top_of_the_full_list_ties_included(demo_db) -> None:  # type: ignore[no-untyped-def]
    full = by_revenue(list_rows(demo_db, TODAY))
    assert len({r.revenue for r in full}) < len(full)  # prospects tie at zero revenue
    for size in (1, 5, 20, 45, 59, 60, 200):
        page = first_page(demo_db, TODAY, size)
        assert page.total == 60
        assert page.rows == full[:size]  # nothing moves when the rest arrives
        assert page.complete == (size >= 60)


async def test_start_up_shows_the_first_page_then_the_rest(demo_db) -> None:  # type: ignore[no-untyped-def]
    first = start_reading(demo_db, TODAY, size=10)
    page = first.future.result(timeout=30)
    app = make_app(demo_db, today=TODAY, welcome=False, first_rows=first)
    async with app.run_test(size=(100, 30)) as pilot:
        grid = app.screen.query_one(VirtualTable)  # no pause: mounted with its first page
        assert grid.total_count == 10
        assert status(app).startswith("60 accounts")  # the count is all of them
        await pilot.pause(app.FIRST_FRAME_AFTER_READY * 2)  # the rest, once the frame is out
        await settle(app, pilot)
        assert grid.total_count == 60
        assert grid.rows[:10] == page.rows
        assert grid.cursor_index == 0
        assert status(app).startswith("60 accounts")
