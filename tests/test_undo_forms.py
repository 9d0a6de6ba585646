"""Forms that save through the writer thread, as a user meets them: a weight kept in the
matrix, the threshold, the capacity and a team member's role — each saved, then taken back
with ctrl+z, in the database and on screen; and the weight saved while another program
holds the write lock: the busy message, the app still running, nothing saved, and the
same save working once the lock is gone.

The databases and the lock are those of ``test_undo_busy``.
"""

from __future__ import annotations

from typing import Any

import test_undo_busy as busy
from textual.widgets import DataTable, Input, Static
from ui_helpers import settle

from kamtui.app import make_app
from kamtui.db import Database
from kamtui.screens.dialogs.work_form import WorkFormDialog

TODAY = busy.TODAY
key_db = busy.key_db  # fixtures, shared
locked = busy.locked


def _text(app: Any, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def _matrix(app: Any, pilot: Any) -> Any:
    await app.switch_mode("matrix")
    await settle(app, pilot)
    assert app.screen.mx is not None
    return app.screen


def _weight(db: Database, criterion_id: int) -> int:
    return int(db.fetch("SELECT weight FROM criterion WHERE id = ?", [criterion_id])[0][0])


async def _try_weight(app: Any, pilot: Any, col: int, weight: int) -> None:
    """On the weights row: enter, type the weight, ctrl+s (a what-if until w)."""
    await pilot.press(*["l"] * col, "enter")
    await pilot.pause()
    app.screen.query_one("#f-weight", Input).value = str(weight)
    await pilot.press("ctrl+s")
    await pilot.pause()


async def test_a_kept_weight_is_undone_in_the_database_and_on_screen(key_db: Database) -> None:
    app = make_app(key_db, today=TODAY, welcome=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _matrix(app, pilot)
        col = 1
        c = screen.mx.criteria[col]
        old = c.weight
        await _try_weight(app, pilot, col, old + 2)
        assert _weight(key_db, c.id) == old  # a what-if: nothing written yet
        await pilot.press("w")
        await settle(app, pilot)
        assert _weight(key_db, c.id) == old + 2
        assert f"{c.name} ×{old + 2}" in _text(app, "#info")

        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert _weight(key_db, c.id) == old
        assert f"Undid: weight of {c.name} back to '{old}'." in busy._messages(app)
        assert app.screen.mx.weights[col] == old and not app.screen.mx.what_if
        assert f"{c.name} ×{old} " in _text(app, "#info")


async def test_the_threshold_is_undone_in_the_database_and_on_screen(key_db: Database) -> None:
    app = make_app(key_db, today=TODAY, welcome=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _matrix(app, pilot)
        model = screen.mx.model
        stored = "SELECT threshold FROM scoring_model WHERE id = ?"
        old = model.threshold
        new = 42 if old != 42 else 43
        await pilot.press("t")
        await pilot.pause()
        app.screen.query_one("#f-threshold", Input).value = str(new)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert key_db.fetch(stored, [model.id]) == [(new,)]
        assert f"threshold {new} ·" in _text(app, "#status-line")

        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert key_db.fetch(stored, [model.id]) == [(old,)]
        assert f"threshold {old} ·" in _text(app, "#status-line")
        assert f"Undid: threshold of {model.name} back to '{old}'." in busy._messages(app)


async def test_the_capacity_is_undone_in_the_database_and_on_screen(key_db: Database) -> None:
    app = make_app(key_db, today=TODAY, welcome=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _matrix(app, pilot)
        stored = "SELECT key_account_capacity FROM settings WHERE id = 1"
        old = screen.mx.capacity
        keys = screen.mx.key_count()
        await pilot.press("c")
        await pilot.pause()
        app.screen.query_one("#f-capacity", Input).value = str(old + 5)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert key_db.fetch(stored) == [(old + 5,)]
        assert f"key {keys}/{old + 5}" in _text(app, "#status-line")

        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert key_db.fetch(stored) == [(old,)]
        assert f"key {keys}/{old}" in _text(app, "#status-line")
        assert f"Undid: key-account capacity back to '{old}'." in busy._messages(app)


async def test_a_team_member_edit_is_undone_in_the_database_and_the_table(
    key_db: Database,
) -> None:
    from kamtui.screens.team import TeamScreen

    app = make_app(key_db, today=TODAY, welcome=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+o")
        await settle(app, pilot)
        assert isinstance(app.screen, TeamScreen)
        name, old = key_db.fetch("SELECT name, role FROM person ORDER BY name LIMIT 1")[0]
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, WorkFormDialog)
        app.screen.query_one("#f-role", Input).value = "Chief listener"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        stored = "SELECT role FROM person WHERE name = ?"
        assert key_db.fetch(stored, [name]) == [("Chief listener",)]
        table = app.screen.query_one(DataTable)
        assert table.get_row_at(0)[:2] == [name, "Chief listener"]

        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert key_db.fetch(stored, [name]) == [(old,)]
        assert table.get_row_at(0)[:2] == [name, old]
        assert f"Undid: role of {name} back to {old!r}." in busy._messages(app)


async def test_busy_database_weight_save_says_so_keeps_running_and_saves_after(
    key_db: Database, locked: Any
) -> None:
    app = make_app(busy._fresh(key_db), today=TODAY, welcome=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _matrix(app, pilot)
        col = 1
        c = screen.mx.criteria[col]
        old = c.weight

        # the weights row: a what-if weight, kept (w) while another program holds the lock
        await _try_weight(app, pilot, col, old + 2)
        locked.hold()
        await pilot.press("w")
        await settle(app, pilot)
        assert any("database is busy" in m for m in busy._messages(app))
        assert app.is_running
        locked.release()
        assert _weight(key_db, c.id) == old  # nothing saved ...
        assert screen.mx.what_if and "WHAT-IF" in _text(app, "#status-line")  # ... nor lost
        await pilot.press("w")
        await settle(app, pilot)
        assert _weight(key_db, c.id) == old + 2
        assert not screen.mx.what_if

        # the criterion's own form (e): the busy message under the form, which stays open
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, WorkFormDialog)
        form.query_one("#f-weight", Input).value = str(old + 3)
        locked.hold()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form
        assert "database is busy" in str(form.query_one("#form-error", Static).render())
        locked.release()
        assert _weight(key_db, c.id) == old + 2
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen
        assert _weight(key_db, c.id) == old + 3
        assert f"{c.name} ×{old + 3}" in _text(app, "#info")
        assert app.is_running
