"""Undo / redo of saved changes, and a busy database, as a user meets them.

Services first (the journal on its own), then the views through Pilot: a nudge in the
matrix, a card move on the lifecycle board, a tick on a review checklist — each undone
with ctrl+z and redone with ctrl+y; and each refused with the busy message while another
program holds the write lock, then saved once the lock is gone.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from typing import Any

import pytest
from ui_helpers import first_movable_card
from ui_helpers import settle as _settle

from kamtui.app import make_app
from kamtui.db import Database
from kamtui.errors import StaleError
from kamtui.services import accounts as svc
from kamtui.services import lifecycle as lc
from kamtui.services import reviews as rv
from kamtui.services.undo import UndoLabel, UndoStack

TODAY = dt.date(2026, 11, 16)


# --- the journal, without Textual -----------------------------------------------------------


def test_a_field_edit_is_undone_redone_and_refused_over_a_change_made_elsewhere(
    demo_db: Database,
) -> None:
    account = svc.get_account(demo_db, 1)
    stack = UndoStack()
    with demo_db.recording() as rec:
        svc.update_account(demo_db, 1, account.version, {"name": "Renamed Ltd"})
    stack.push(UndoLabel(f"name of {account.name}", account.name, "Renamed Ltd"), rec.change())

    entry = stack.undo(demo_db)
    assert svc.get_account(demo_db, 1).name == account.name
    assert entry.label.undo_text == f"name of {account.name} back to {account.name!r}"
    stack.redo(demo_db)
    assert svc.get_account(demo_db, 1).name == "Renamed Ltd"

    # someone else edits the account: the undo must not overwrite their change
    now = svc.get_account(demo_db, 1)
    svc.update_account(demo_db, 1, now.version, {"city": "Elsewhere"})
    with pytest.raises(StaleError, match="changed elsewhere"):
        stack.undo(demo_db)
    after = svc.get_account(demo_db, 1)
    assert (after.name, after.city) == ("Renamed Ltd", "Elsewhere")
    assert stack.next_undo is None  # a refused undo can never apply: it is dropped


def test_undo_takes_back_inserted_rows_and_restores_deleted_ones(demo_db: Database) -> None:
    from kamtui.services.records import delete_contact, list_contacts

    (account_id,) = demo_db.fetch("SELECT account_id FROM contact ORDER BY id LIMIT 1")[0]
    contacts_before = list_contacts(demo_db, account_id)
    contact = contacts_before[0][0]
    stack = UndoStack()
    with demo_db.recording() as rec:
        delete_contact(demo_db, contact.id)
    stack.push(UndoLabel("a contact", contact.name, "deleted"), rec.change())
    assert len(list_contacts(demo_db, account_id)) == len(contacts_before) - 1
    stack.undo(demo_db)
    back = [c for c, _ in list_contacts(demo_db, account_id)]
    assert [(c.id, c.name, c.email) for c in back] == [
        (c.id, c.name, c.email) for c, _ in contacts_before
    ]


# --- the views --------------------------------------------------------------------------------


@pytest.fixture
def key_db(demo_db: Database) -> Database:
    """The demo with a few more key accounts, placed in stages 1–3."""
    customers = [
        r[0] for r in demo_db.fetch("SELECT id FROM account WHERE status = 'customer' ORDER BY id")
    ]
    for n, account_id in enumerate(customers[:4]):
        a = svc.get_account(demo_db, account_id)
        a = svc.change_status(
            demo_db, a.id, a.version, "key", "grew", TODAY - dt.timedelta(days=90)
        )
        lc.move_stage(demo_db, a.id, a.version, 1 + n % 3, "", TODAY - dt.timedelta(days=10))
    return demo_db


def _messages(app: Any) -> list[str]:
    return [str(n.message) for n in app._notifications]


@pytest.fixture
def locked(key_db: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A second program holding the write lock (BEGIN IMMEDIATE); kam waits 0.2 s, not 5."""
    import kamtui.db

    monkeypatch.setattr(kamtui.db, "BUSY_TIMEOUT_MS", 200)
    assert key_db.path is not None
    other = sqlite3.connect(key_db.path, isolation_level=None)

    class Lock:
        def hold(self) -> None:
            other.execute("BEGIN IMMEDIATE")

        def release(self) -> None:
            other.execute("ROLLBACK")

    yield Lock()
    other.close()


def _fresh(db: Database) -> Database:
    """The app's own Database object (its connections made with the patched timeout)."""
    assert db.path is not None
    return Database.for_file(db.path)


async def _matrix_on_a_score(app: Any, pilot: Any) -> tuple[Any, int, int]:
    await app.switch_mode("matrix")
    await _settle(app, pilot)
    screen = app.screen
    mx = screen.mx
    col = next(i for i, c in enumerate(mx.criteria) if not c.automatic)
    await pilot.press("j", *["l"] * col)
    row = screen.current_row()
    while mx.values[col][row] is not None and mx.values[col][row] >= mx.criteria[col].scale_max:
        await pilot.press("j")
        row = screen.current_row()
    return screen, col, row


def _stored_score(db: Database, account_id: int, criterion_id: int) -> int | None:
    rows = db.fetch(
        "SELECT value FROM score WHERE account_id = ? AND criterion_id = ?",
        [account_id, criterion_id],
    )
    return rows[0][0] if rows else None


async def test_nudge_then_ctrl_z_restores_the_score_and_ctrl_y_redoes_it(key_db: Database) -> None:
    app = make_app(key_db, today=TODAY, welcome=False)
    async with app.run_test(size=(100, 30)) as pilot:
        screen, col, row = await _matrix_on_a_score(app, pilot)
        mx = screen.mx
        account_id, criterion_id = mx.ids[row], mx.criteria[col].id
        old = _stored_score(key_db, account_id, criterion_id)
        await pilot.press("plus")
        await _settle(app, pilot)
        new = _stored_score(key_db, account_id, criterion_id)
        assert new == (1 if old is None else old + 1)
        await pilot.press("ctrl+z")
        await _settle(app, pilot)
        assert _stored_score(key_db, account_id, criterion_id) == old
        assert any(m.startswith("Undid: ") and mx.names[row] in m for m in _messages(app))
        shown = app.screen.mx
        assert shown.values[col][shown.index[account_id]] == old  # the view shows it
        await pilot.press("ctrl+y")
        await _settle(app, pilot)
        assert _stored_score(key_db, account_id, criterion_id) == new


async def test_card_move_then_ctrl_z_puts_the_card_back(key_db: Database) -> None:
    app = make_app(key_db, today=TODAY, welcome=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.switch_mode("lifecycle")
        await _settle(app, pilot)
        start, card = await first_movable_card(app, pilot)
        stage = card.data.stage
        await pilot.press("greater_than_sign")
        await pilot.pause()
        await pilot.press("enter")
        await _settle(app, pilot)
        assert key_db.fetch("SELECT stage FROM account WHERE id = ?", [card.key]) == [(start + 2,)]
        await pilot.press("ctrl+z")
        await _settle(app, pilot)
        assert key_db.fetch("SELECT stage FROM account WHERE id = ?", [card.key]) == [(stage,)]
        assert lc.stage_history(key_db, card.key)[0].to_stage == stage  # the move is gone too
        column = app.screen.board.columns[start].source
        assert card.key in [column[i].key for i in range(len(column))]


async def _open_review(app: Any, pilot: Any) -> Any:
    await app.switch_mode("reviews")
    await _settle(app, pilot)
    await pilot.press("enter")
    await _settle(app, pilot)
    assert type(app.screen).__name__ == "ReviewScreen"
    return app.screen


def _ticks(db: Database, review_id: int) -> list[bool]:
    return [i.done for i in rv.get_review(db, review_id).items]


async def test_tick_then_ctrl_z_unticks_it(key_db: Database) -> None:
    app = make_app(key_db, today=TODAY, welcome=False)
    async with app.run_test(size=(100, 30)) as pilot:
        review = await _open_review(app, pilot)
        before = _ticks(key_db, review.review_id)
        await pilot.press("space")
        await _settle(app, pilot)
        ticked = _ticks(key_db, review.review_id)
        assert ticked != before
        await pilot.press("ctrl+z")
        await _settle(app, pilot)
        assert _ticks(key_db, review.review_id) == before
        assert [i.done for i in app.screen.detail.items] == before  # shown, not only stored


async def test_the_palette_names_what_undo_would_undo(key_db: Database) -> None:
    app = make_app(key_db, today=TODAY, welcome=False)
    async with app.run_test(size=(100, 30)) as pilot:
        screen, _col, row = await _matrix_on_a_score(app, pilot)
        name = screen.mx.names[row]
        await pilot.press("plus")
        await _settle(app, pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert any(t.startswith("Undo ") and name in t for t in titles)


async def test_busy_database_nudge_move_and_tick_say_so_and_work_after(
    key_db: Database, locked: Any
) -> None:
    app = make_app(_fresh(key_db), today=TODAY, welcome=False)
    async with app.run_test(size=(120, 40)) as pilot:
        # the matrix: + while locked shows the busy message and saves nothing
        screen, col, row = await _matrix_on_a_score(app, pilot)
        mx = screen.mx
        account_id, criterion_id = mx.ids[row], mx.criteria[col].id
        old = _stored_score(key_db, account_id, criterion_id)
        locked.hold()
        await pilot.press("plus")
        await _settle(app, pilot)
        assert any("database is busy" in m for m in _messages(app))
        locked.release()
        assert _stored_score(key_db, account_id, criterion_id) == old
        shown = app.screen.mx
        assert shown.values[col][shown.index[account_id]] == old  # the view did not lie
        assert app.screen.current_account() == account_id  # the cursor stayed on it
        await pilot.press("plus")
        await _settle(app, pilot)
        assert _stored_score(key_db, account_id, criterion_id) == (1 if old is None else old + 1)

        # the lifecycle board: a card move
        app._notifications.clear()
        await app.switch_mode("lifecycle")
        await _settle(app, pilot)
        start, card = await first_movable_card(app, pilot)
        stage = card.data.stage
        locked.hold()
        await pilot.press("greater_than_sign")
        await pilot.pause()
        await pilot.press("enter")
        await _settle(app, pilot)
        assert any("database is busy" in m for m in _messages(app))
        locked.release()
        assert key_db.fetch("SELECT stage FROM account WHERE id = ?", [card.key]) == [(stage,)]
        await pilot.press("greater_than_sign")
        await pilot.pause()
        await pilot.press("enter")
        await _settle(app, pilot)
        assert key_db.fetch("SELECT stage FROM account WHERE id = ?", [card.key]) == [(start + 2,)]

        # a review checklist tick
        app._notifications.clear()
        review = await _open_review(app, pilot)
        before = _ticks(key_db, review.review_id)
        locked.hold()
        await pilot.press("space")
        await _settle(app, pilot)
        assert any("database is busy" in m for m in _messages(app))
        locked.release()
        assert _ticks(key_db, review.review_id) == before
        await pilot.press("space")
        await _settle(app, pilot)
        assert _ticks(key_db, review.review_id) != before
        assert app.is_running
