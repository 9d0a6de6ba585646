"""Form saves in the attack plan, the reviews list and a review, as a user meets them.

Each save runs on the writer thread; ctrl+z puts the old value back in the database and
on screen, with a message saying what. A busy database (another program holding the
write lock) shows the busy message in the form, which stays open with what was typed;
the app keeps running, and saving again once the lock is gone works. The fixtures and
helpers are the ones of test_undo_busy.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from test_undo_busy import (  # fixtures and helpers shared with the undo / busy tests
    _fresh,
    _messages,
    _open_review,
    key_db,
    locked,
)
from textual.widgets import Input, OptionList, Static
from ui_helpers import first_movable_card, settle

from kamtui.app import make_app
from kamtui.db import Database
from kamtui.services import plans
from kamtui.services import reviews as rv
from kamtui.services.accounts import get_account

TODAY = dt.date(2026, 11, 16)

__all__ = ["key_db", "locked"]  # pytest finds the imported fixtures by name


# --- the attack plan -------------------------------------------------------------------------


def _due(db: Database, action_id: int) -> dt.date | None:
    return plans.get_action(db, action_id).due


def _shown(screen: Any, action_id: int) -> plans.ActionRow | None:
    """The action as the board shows it now (its first pages, as read)."""
    for column in screen.board.columns:
        source = column.source
        for i in range(min(len(source), 100)):
            card = source[i]
            if card.key == action_id:
                return card.data  # type: ignore[no-any-return]
    return None


async def _edit_due_of_first_card(app: Any, pilot: Any) -> tuple[Any, Any, dt.date]:
    """Open the edit form of the first action on the plan and type a new due date."""
    await app.switch_mode("plan")
    await settle(app, pilot)
    screen = app.screen
    card = screen.board.card
    assert card is not None and card.data.due is not None
    await pilot.press("e")
    await pilot.pause()
    new_due = card.data.due + dt.timedelta(days=3)
    app.screen.query_one("#f-due", Input).value = new_due.isoformat()
    return screen, card, new_due


async def test_action_edit_then_ctrl_z_puts_the_due_date_back(key_db: Database) -> None:
    app = make_app(key_db, today=TODAY, welcome=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, card, new_due = await _edit_due_of_first_card(app, pilot)
        old_due = card.data.due
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen  # the form closed once saved
        assert _due(key_db, card.key) == new_due
        shown = _shown(screen, card.key)
        assert shown is not None and shown.due == new_due

        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert _due(key_db, card.key) == old_due
        title = card.data.title
        assert f"Undid: due date of “{title}” back to '{old_due.isoformat()}'." in _messages(app)
        shown = _shown(screen, card.key)
        assert shown is not None and shown.due == old_due  # the board shows it again


async def test_busy_database_action_form_says_so_and_saves_after(
    key_db: Database, locked: Any
) -> None:
    app = make_app(_fresh(key_db), today=TODAY, welcome=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, card, new_due = await _edit_due_of_first_card(app, pilot)
        old_due = card.data.due
        form = app.screen
        locked.hold()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.is_running
        assert app.screen is form  # still open, with what was typed
        assert "database is busy" in str(form.query_one("#form-error", Static).render())
        assert form.query_one("#f-due", Input).value == new_due.isoformat()
        assert _due(key_db, card.key) == old_due  # nothing half-saved
        shown = _shown(screen, card.key)
        assert shown is not None and shown.due == old_due

        locked.release()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen
        assert _due(key_db, card.key) == new_due
        shown = _shown(screen, card.key)
        assert shown is not None and shown.due == new_due
        assert app.is_running


async def test_new_objective_then_ctrl_z_removes_it(key_db: Database) -> None:
    app = make_app(key_db, today=TODAY, welcome=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.switch_mode("plan")
        await settle(app, pilot)
        screen = app.screen
        account = screen.board.card.data.account
        await pilot.press("o")
        await pilot.pause()
        await pilot.press(*"Double the spare parts share", "ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen

        def titles() -> list[str]:
            return [o.title for o in plans.list_objectives(key_db) if o.account == account]

        assert "Double the spare parts share" in titles()
        assert "Double the spare parts share" in str(screen.query_one("#panel", Static).render())
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert "Double the spare parts share" not in titles()
        assert (
            f"Undid: objectives of {account} back to 'without “Double the spare parts share”'."
            in _messages(app)
        )


async def test_stage_form_then_ctrl_z_puts_the_account_back(key_db: Database) -> None:
    app = make_app(key_db, today=TODAY, welcome=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.switch_mode("lifecycle")
        await settle(app, pilot)
        start, card = await first_movable_card(app, pilot)
        stage = card.data.stage
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("9", "enter", "enter")  # not a stage: said beside the field
        await settle(app, pilot)
        assert "1 to 6" in str(app.screen.query_one("#e-stage", Static).render())
        app.screen.query_one("#f-stage", Input).value = "6"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert key_db.fetch("SELECT stage FROM account WHERE id = ?", [card.key]) == [(6,)]
        column = app.screen.board.columns[5].source
        assert card.key in [column[i].key for i in range(len(column))]
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert key_db.fetch("SELECT stage FROM account WHERE id = ?", [card.key]) == [(stage,)]
        column = app.screen.board.columns[start].source
        assert card.key in [column[i].key for i in range(len(column))]


# --- the reviews list ------------------------------------------------------------------------


async def test_review_schedule_change_then_ctrl_z_puts_the_date_back(key_db: Database) -> None:
    app = make_app(key_db, today=TODAY, welcome=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.switch_mode("reviews")
        await settle(app, pilot)
        screen = app.screen
        row = screen.table.cursor_row
        old = get_account(key_db, row.account_id).next_review
        assert old is not None
        new = dt.date(2027, 3, 1)
        await pilot.press("e")
        await settle(app, pilot)
        app.screen.query_one("#f-next_review", Input).value = new.isoformat()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen
        assert get_account(key_db, row.account_id).next_review == new
        shown = next(r for r in screen.table.rows if r.account_id == row.account_id)
        assert shown.next_review == new

        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert get_account(key_db, row.account_id).next_review == old
        assert any(
            m.startswith(f"Undid: review schedule of {row.name} back to") and old.isoformat() in m
            for m in _messages(app)
        )
        shown = next(r for r in screen.table.rows if r.account_id == row.account_id)
        assert shown.next_review == old  # the list shows it again


# --- one review ------------------------------------------------------------------------------


def _checklist_text(review: Any) -> str:
    checklist = review.query_one("#checklist", OptionList)
    return "\n".join(
        str(checklist.get_option_at_index(i).prompt) for i in range(checklist.option_count)
    )


async def test_note_on_a_point_then_ctrl_z_takes_it_back(key_db: Database) -> None:
    app = make_app(key_db, today=TODAY, welcome=False)
    async with app.run_test(size=(120, 40)) as pilot:
        review = await _open_review(app, pilot)
        item = review._focused_item()
        old = item.note
        await pilot.press("e", "end", *" new buyer since May", "enter")
        await settle(app, pilot)
        assert app.screen is review
        saved = next(i for i in rv.get_review(key_db, review.review_id).items if i.id == item.id)
        assert saved.note == f"{old} new buyer since May".strip()
        assert "new buyer since May" in _checklist_text(review)

        await pilot.press("ctrl+z")
        await settle(app, pilot)
        back = next(i for i in rv.get_review(key_db, review.review_id).items if i.id == item.id)
        assert back.note == old
        assert any(m.startswith(f"Undid: note on “{item.text}”") for m in _messages(app))
        assert "new buyer since May" not in _checklist_text(review)


async def test_new_point_then_ctrl_z_removes_it(key_db: Database) -> None:
    app = make_app(key_db, today=TODAY, welcome=False)
    async with app.run_test(size=(120, 40)) as pilot:
        review = await _open_review(app, pilot)
        before = [i.text for i in rv.get_review(key_db, review.review_id).items]
        await pilot.press("n", *"Talk about the new plant", "enter")
        await settle(app, pilot)
        after = [i.text for i in rv.get_review(key_db, review.review_id).items]
        assert after == [*before, "Talk about the new plant"]
        assert "Talk about the new plant" in _checklist_text(review)

        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert [i.text for i in rv.get_review(key_db, review.review_id).items] == before
        assert "Talk about the new plant" not in _checklist_text(review)


async def test_complete_review_then_ctrl_z_reopens_it_and_restores_the_schedule(
    key_db: Database,
) -> None:
    app = make_app(key_db, today=TODAY, welcome=False)
    async with app.run_test(size=(120, 40)) as pilot:
        review = await _open_review(app, pilot)
        account_id = review.detail.account_id
        next_before = get_account(key_db, account_id).next_review
        await pilot.press("r", "4")
        await settle(app, pilot)
        await pilot.press("c")
        await settle(app, pilot)
        if type(app.screen).__name__ == "ConfirmDialog":  # points unticked: it asks first
            await pilot.press("y")
            await pilot.pause()
        await pilot.press("tab", "tab", *"Happy overall", "ctrl+s")
        await settle(app, pilot)
        assert app.screen is review
        assert rv.get_review(key_db, review.review_id).status == "done"
        assert "✓ Completed" in str(review.query_one("#subtitle", Static).render())
        assert get_account(key_db, account_id).next_review != next_before

        await pilot.press("ctrl+z")
        await settle(app, pilot)
        reopened = rv.get_review(key_db, review.review_id)
        assert (reopened.status, reopened.summary, reopened.rating) == ("open", "", 4)
        assert get_account(key_db, account_id).next_review == next_before
        assert f"Undid: the review of {reopened.account_name} back to 'open'." in _messages(app)
        assert "✓ Completed" not in str(review.query_one("#subtitle", Static).render())
