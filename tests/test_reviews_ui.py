"""Working through a review with the keyboard (Pilot), and SVG snapshots of the views."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from textual.widgets import Markdown, OptionList, Static
from ui_helpers import settle as _reviews_view_settle

from kamtui.app import make_app
from kamtui.services import reviews as rv
from kamtui.services.accounts import get_account
from kamtui.services.economics import add_months

TODAY = dt.date(2026, 11, 16)  # the same fixed day as conftest.TODAY


@pytest.fixture
def reviews_db(db):  # type: ignore[no-untyped-def]
    """A 300-account demo: about a dozen key accounts with reviews, some overdue."""
    from kamtui.services.demo import build_demo

    build_demo(db, accounts=300, seed=3, today=TODAY)
    return db


async def _reviews_view(app: Any, pilot: Any) -> Any:
    await app.switch_mode("reviews")
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    return app.screen


def _first_overdue_quarterly(db: Any) -> rv.DueRow:
    rows = rv.list_due(db, TODAY)
    return next(
        r
        for r in rows
        if rv.due_state(r.next_review, TODAY) == "overdue" and r.cadence == "quarterly"
    )


async def test_reviews_view_lists_overdue_first_in_words(reviews_db) -> None:  # type: ignore[no-untyped-def]
    app = make_app(reviews_db, today=TODAY, welcome=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _reviews_view(app, pilot)
        rows = screen.table.rows
        assert rows, "the demo's key accounts have reviews"
        assert [r.next_review for r in rows] == sorted(r.next_review for r in rows)
        first_line = screen.table.render_line(1).text
        assert "⚠ overdue" in first_line and rows[0].name[:10] in first_line
        status = str(screen.query_one("#status-line", Static).render())
        assert "overdue" in status and "upcoming" in status


async def test_work_through_an_overdue_review_with_the_keyboard(reviews_db) -> None:  # type: ignore[no-untyped-def]
    target = _first_overdue_quarterly(reviews_db)
    previous = rv.get_review(reviews_db, rv.past_reviews(reviews_db, target.account_id)[0].id)
    open_before = [a.title for a in rv.carried_actions(reviews_db, target.account_id, None)]
    app = make_app(reviews_db, today=TODAY, welcome=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _reviews_view(app, pilot)
        assert screen.table.move_to_key(target.account_id)
        await pilot.press("enter")
        await pilot.pause()
        review = app.screen
        assert type(review).__name__ == "ReviewScreen"
        head = str(review.query_one("#subtitle", Static).render())
        assert "⚠ overdue" in head and previous.held_on.isoformat() in head
        carried = str(review.query_one("#carried", Static).render())
        for title in open_before:
            assert title in carried

        # tick the first two points, rate 4, turn "Agree next actions" into an action
        await pilot.press("space", "j", "space")
        await pilot.press("r", "4")
        await _reviews_view_settle(app, pilot)
        await pilot.press("j", "j", "j")
        await pilot.pause()
        assert review._focused_item().text == "Agree next actions"
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("end", "ctrl+u", *"Send the revised offer", "ctrl+s")
        await _reviews_view_settle(app, pilot)
        assert "Send the revised offer" in str(review.query_one("#agreed", Static).render())

        # complete: it asks first (points unticked), then date held, rating and summary
        await pilot.press("c")
        await _reviews_view_settle(app, pilot)
        assert type(app.screen).__name__ == "ConfirmDialog"
        await pilot.press("y")
        await pilot.pause()
        assert "Complete the review of" in str(app.screen.query_one("#title").render())
        await pilot.press("tab", "tab", *"Happy overall", "ctrl+s")
        await _reviews_view_settle(app, pilot)
        assert app.screen is review
        expected = add_months(TODAY, 3)
        assert f"next review {expected.isoformat()}" in str(
            review.query_one("#subtitle", Static).render()
        )
        await pilot.press("escape")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        row = next(r for r in screen.table.rows if r.account_id == target.account_id)
        assert row.next_review == expected and row.last_rating == 4

    done = rv.past_reviews(reviews_db, target.account_id)[0]
    assert (done.status, done.held_on, done.rating, done.summary) == (
        "done", TODAY, 4, "Happy overall"
    )  # fmt: skip
    assert [i.done for i in done.items][:3] == [True, True, False]
    (action,) = done.agreed
    assert (action.title, action.status) == ("Send the revised offer", "todo")
    assert get_account(reviews_db, target.account_id).next_review == expected


async def test_completing_with_unticked_points_can_go_back(reviews_db) -> None:  # type: ignore[no-untyped-def]
    target = _first_overdue_quarterly(reviews_db)
    app = make_app(reviews_db, today=TODAY, welcome=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _reviews_view(app, pilot)
        screen.table.move_to_key(target.account_id)
        await pilot.press("enter")
        await _reviews_view_settle(app, pilot)
        await pilot.press("c")
        await _reviews_view_settle(app, pilot)
        assert "7 of 7 points are not ticked" in str(app.screen.query_one("#question").render())
        await pilot.press("n")
        await pilot.pause()
        assert type(app.screen).__name__ == "ReviewScreen"
    assert rv.past_reviews(reviews_db, target.account_id)[0].status == "open"


async def test_notes_and_ad_hoc_points(reviews_db) -> None:  # type: ignore[no-untyped-def]
    target = _first_overdue_quarterly(reviews_db)
    app = make_app(reviews_db, today=TODAY, welcome=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _reviews_view(app, pilot)
        screen.table.move_to_key(target.account_id)
        await pilot.press("enter")
        await _reviews_view_settle(app, pilot)
        await pilot.press("e", *"New buyer since May", "enter")
        await _reviews_view_settle(app, pilot)
        await pilot.press("n", *"Talk about the new plant", "enter")
        await _reviews_view_settle(app, pilot)
        checklist = app.screen.query_one("#checklist", OptionList)
        assert checklist.option_count == len(rv.DEFAULT_TEMPLATE) + 1
        assert checklist.highlighted == checklist.option_count - 1
    review = rv.past_reviews(reviews_db, target.account_id)[0]
    assert review.items[0].note == "New buyer since May"
    assert review.items[-1].text == "Talk about the new plant"


async def test_schedule_and_template_from_the_view(reviews_db) -> None:  # type: ignore[no-untyped-def]
    target = _first_overdue_quarterly(reviews_db)
    app = make_app(reviews_db, today=TODAY, welcome=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _reviews_view(app, pilot)
        screen.table.move_to_key(target.account_id)
        await pilot.press("e")
        await _reviews_view_settle(app, pilot)
        await pilot.press("end", "ctrl+u", *"monthly", "ctrl+s")
        await _reviews_view_settle(app, pilot)
        await pilot.press("t")
        await _reviews_view_settle(app, pilot)
        app.screen.query_one("TextArea").text = "Coffee first\n\nAgree next actions\n"
        await pilot.press("ctrl+s")
        await _reviews_view_settle(app, pilot)
        assert app.screen is screen  # both dialogs closed once saved
    account = get_account(reviews_db, target.account_id)
    assert account.review_cadence == "monthly"
    assert account.next_review == add_months(target.last_held, 1)  # type: ignore[arg-type]
    assert rv.get_template(reviews_db) == ["Coffee first", "Agree next actions"]


async def test_account_screen_keeps_past_reviews_and_value(reviews_db) -> None:  # type: ignore[no-untyped-def]
    from kamtui.screens.account import AccountScreen

    target = _first_overdue_quarterly(reviews_db)
    last = rv.past_reviews(reviews_db, target.account_id)[0]
    app = make_app(reviews_db, today=TODAY, welcome=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.push_screen(AccountScreen(target.account_id))
        await pilot.pause()
        app.screen.query_one("#sections").active = "reviews"  # type: ignore[attr-defined]
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = app.screen.query_one("#account-reviews-text", Markdown).source
        assert f"Review held {last.held_on.isoformat()}" in text
        assert f"{last.rating}/5" in text
        assert last.items[0].text in text
        app.screen.query_one("#account-reviews").focus()
        await pilot.press("v")
        await pilot.pause()
        await pilot.press("tab", *"Spare parts in 24 h", "tab", *"1,500", "ctrl+s")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = app.screen.query_one("#account-reviews-text", Markdown).source
        assert "Spare parts in 24 h" in text
    values = rv.list_values(reviews_db, target.account_id)
    assert (values[0].description, values[0].amount_minor) == ("Spare parts in 24 h", 150_000)


# --- snapshots --------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_snapshot_reviews_view(reviews_db, snap_compare, size) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Any) -> None:
        await _reviews_view(pilot.app, pilot)

    app = make_app(reviews_db, today=TODAY, welcome=False)
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_snapshot_review_in_progress(reviews_db, snap_compare, size) -> None:  # type: ignore[no-untyped-def]
    target = _first_overdue_quarterly(reviews_db)

    async def run_before(pilot: Any) -> None:
        screen = await _reviews_view(pilot.app, pilot)
        screen.table.move_to_key(target.account_id)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("space", "j", "space", "j")
        await pilot.pause()

    app = make_app(reviews_db, today=TODAY, welcome=False)
    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_snapshot_completed_review_shows_the_next_one(reviews_db, snap_compare) -> None:  # type: ignore[no-untyped-def]
    target = _first_overdue_quarterly(reviews_db)

    async def run_before(pilot: Any) -> None:
        screen = await _reviews_view(pilot.app, pilot)
        screen.table.move_to_key(target.account_id)
        await pilot.press("enter")
        await pilot.pause()
        for _ in rv.DEFAULT_TEMPLATE:
            await pilot.press("space", "j")
        await pilot.press("r", "5")
        await _reviews_view_settle(pilot.app, pilot)
        await pilot.press("c")
        await _reviews_view_settle(pilot.app, pilot)
        await pilot.press("tab", "tab", *"All good; they want a plant visit", "ctrl+s")
        await _reviews_view_settle(pilot.app, pilot)
        pilot.app.clear_notifications()
        await pilot.pause()

    app = make_app(reviews_db, today=TODAY, welcome=False)
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
