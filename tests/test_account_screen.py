"""The account screen as a user meets it: read first, edit on purpose, undoable, and
calm when the database is busy.

Every test compares what is stored (the account's row, read with plain SQL) with what
the screen shows, before and after the keys a user would press.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from textual import events
from ui_helpers import settle

from kamtui.app import KamApp, make_app
from kamtui.db import Database
from kamtui.screens import account as account_screen
from kamtui.screens.account import AccountScreen
from kamtui.screens.account_section import Section
from kamtui.screens.dialogs.confirm import ConfirmDialog
from kamtui.screens.dialogs.form import FormDialog
from kamtui.services import accounts as svc
from kamtui.services import records
from kamtui.widgets.fields import FieldEditor

TODAY = dt.date(2026, 11, 16)


def row(db: Database, account_id: int) -> tuple[Any, ...]:
    """The whole stored account: any change to any column shows up here."""
    return db.fetch("SELECT * FROM account WHERE id = ?", [account_id])[0]


def some_account(db: Database) -> int:
    """An account with a city, periods of economics and contacts."""
    return int(
        db.fetch(
            "SELECT id FROM account a WHERE city <> '' "
            "AND EXISTS (SELECT 1 FROM contact c WHERE c.account_id = a.id) "
            "AND EXISTS (SELECT 1 FROM account_period p WHERE p.account_id = a.id) "
            "ORDER BY id LIMIT 1"
        )[0][0]
    )


def messages(app: KamApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def open_account(app: KamApp, pilot: Any, account_id: int) -> AccountScreen:
    await settle(app, pilot)
    await app.push_screen(AccountScreen(account_id))
    await settle(app, pilot)
    screen = app.screen
    assert isinstance(screen, AccountScreen) and screen.view is not None
    return screen


async def edit(pilot: Any, screen: AccountScreen, name: str, text: str) -> FieldEditor:
    """Put the cursor on ``name``, open its editor with `e`, replace the value by typing."""
    screen.fields.select(name)
    await pilot.press("e")
    await pilot.pause()
    assert screen.editor is not None and screen.editor.field.name == name
    await pilot.press("home", "ctrl+k", *text)
    return screen.editor


def shown(screen: AccountScreen, name: str) -> str:
    return screen.fields.value(name)


# --- view mode --------------------------------------------------------------------------------


@pytest.fixture
def slow_load(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """The account's first read waits until the test lets it go: keys pressed meanwhile
    are pressed before the account has painted."""
    gate = threading.Event()
    real = svc.account_view

    def waiting(db: Database, account_id: int) -> svc.AccountView:
        gate.wait(10)
        return real(db, account_id)

    monkeypatch.setattr(account_screen.svc, "account_view", waiting)
    yield gate
    gate.set()


async def test_keys_typed_while_the_account_loads_change_nothing(
    demo_db: Database, slow_load: threading.Event
) -> None:
    account_id = some_account(demo_db)
    before = row(demo_db, account_id)
    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.push_screen(AccountScreen(account_id))
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AccountScreen) and screen.view is None
        await pilot.press(*"jzq?", "enter", *"x7", "enter", "e", *"kgG3", "enter", "backspace")
        assert app.screen is screen and screen.editor is None
        slow_load.set()
        await settle(app, pilot)
        assert screen.view is not None and screen.editor is None
        assert shown(screen, "name") == svc.get_account(demo_db, account_id).name
        assert app.screen is screen  # `q`, `?` and `3` were not acted on either
    assert row(demo_db, account_id) == before


async def test_keys_typed_after_enter_in_the_accounts_view_go_nowhere(
    demo_db: Database, slow_load: threading.Event
) -> None:
    """Enter reads the account before its screen is pushed: keys typed during the read
    neither act on the Accounts view (no delete, no new, no cursor move) nor on the
    account."""
    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        accounts = app.screen
        opened = accounts.table.cursor_row  # type: ignore[attr-defined]
        before = row(demo_db, opened.id)
        await pilot.press("enter", *"jjdn/x", "s", "enter", "e", *"zq")
        assert app.screen is accounts  # still reading: nothing pushed, nothing acted on
        slow_load.set()
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, AccountScreen) and screen.account_id == opened.id
        assert screen.view is not None and screen.editor is None
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is accounts
        assert accounts.table.cursor_row.id == opened.id  # type: ignore[attr-defined]
        assert accounts.table.filter_text == ""  # type: ignore[attr-defined]
        assert accounts.table.total_count == 60  # type: ignore[attr-defined]
        await pilot.press("j")  # keys reach the view again
        assert accounts.table.cursor_row.id != opened.id  # type: ignore[attr-defined]
    assert row(demo_db, opened.id) == before


async def test_keys_typed_ahead_of_the_first_paint_are_dropped(
    demo_db: Database, slow_load: threading.Event
) -> None:
    """Keys already on their way when the fields appear (typed blind) do not edit."""
    account_id = some_account(demo_db)
    before = row(demo_db, account_id)
    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.push_screen(AccountScreen(account_id))
        await pilot.pause()
        typed = [events.Key(k, c) for k, c in [("enter", "\r"), ("x", "x"), ("enter", "\r")]]
        slow_load.set()
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, AccountScreen) and screen.view is not None
        for key in typed:  # delivered now, typed before the paint
            screen.fields.post_message(key)
            await pilot.pause()
        assert screen.editor is None
        await pilot.press("enter")  # a key pressed now, seeing the fields, does open it
        assert screen.editor is not None
    assert row(demo_db, account_id) == before


async def test_view_mode_moves_between_fields_and_edits_nothing(demo_db: Database) -> None:
    account_id = some_account(demo_db)
    before = row(demo_db, account_id)
    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_account(app, pilot, account_id)
        fields = screen.fields
        assert app.focused is fields and not screen.query(FieldEditor)
        assert fields.cursor_field is not None and fields.cursor_field.name == "name"
        await pilot.press("j", "j", "down")
        assert fields.cursor_field.name == "industry"
        await pilot.press("k")
        assert fields.cursor_field.name == "website"
        await pilot.press("G")
        assert fields.cursor_field.name == "notes"
        await pilot.press("g")
        assert fields.cursor_field.name == "name"
        await pilot.press("pagedown")
        assert fields.cursor_field.name not in ("name", "external_id")
        await pilot.press("pageup", *"xyzhl", "space", "tab", "shift+tab")
        assert not screen.query(FieldEditor)
        # a click selects the field on that line, and opens nothing
        region = fields.region_of("city")
        assert region is not None
        await pilot.click(fields, offset=(30, region.y))
        assert fields.cursor_field.name == "city" and screen.editor is None
        # the head says what the account is
        head = str(screen.query_one("#head").render())
        assert svc.get_account(demo_db, account_id).name in head and screen.view is not None
        assert screen.view.status in head and screen.view.owner in head
        await settle(app, pilot)
    assert row(demo_db, account_id) == before


# --- editing -----------------------------------------------------------------------------------


async def test_enter_saves_escape_restores(demo_db: Database) -> None:
    account_id = some_account(demo_db)
    old_city = svc.get_account(demo_db, account_id).city
    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_account(app, pilot, account_id)
        screen.fields.select("city")
        await pilot.press("enter")
        assert screen.editor is not None and screen.editor.value == old_city
        await pilot.press("home", "ctrl+k", *"Bremen", "enter")
        await settle(app, pilot)
        assert svc.get_account(demo_db, account_id).city == "Bremen"
        assert shown(screen, "city") == "Bremen" and screen.editor is None
        assert app.focused is screen.fields

        before = row(demo_db, account_id)
        industry = svc.get_account(demo_db, account_id).industry
        await edit(pilot, screen, "industry", "Typed by mistake")
        await pilot.press("escape")
        await settle(app, pilot)
        assert screen.editor is None and app.screen is screen
        assert shown(screen, "industry") == industry
        assert row(demo_db, account_id) == before


async def test_a_bad_value_is_explained_and_nothing_is_saved(demo_db: Database) -> None:
    account_id = some_account(demo_db)
    other_name = demo_db.fetch("SELECT name FROM account WHERE id <> ? LIMIT 1", [account_id])[0][0]
    before = row(demo_db, account_id)
    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_account(app, pilot, account_id)
        editor = await edit(pilot, screen, "employees", "-12")
        await pilot.press("enter")
        await settle(app, pilot)
        assert screen.editor is editor and editor.value == "-12"
        assert "cannot be negative" in editor.message and "not saved" in editor.message
        assert row(demo_db, account_id) == before
        # escape does not silently throw the refused value away: it asks first
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmDialog) and "-12" in app.screen.question
        await pilot.press("n")  # keep editing: the value and its message are still there
        await settle(app, pilot)
        assert screen.editor is editor and editor.value == "-12" and editor.message
        await pilot.press("escape", "y")  # discard
        await settle(app, pilot)
        assert screen.editor is None
        # a rule only the database can check comes back from the writer the same way
        editor = await edit(pilot, screen, "name", other_name.upper())
        await pilot.press("enter")
        await settle(app, pilot)
        assert screen.editor is editor and "exists already" in editor.message
        assert row(demo_db, account_id) == before
        # fixed, it saves
        await pilot.press("escape", "y")
        await edit(pilot, screen, "employees", "777")
        await pilot.press("enter")
        await settle(app, pilot)
        assert screen.editor is None and shown(screen, "employees") == "777"
    assert svc.get_account(demo_db, account_id).employees == 777


async def test_a_choice_field_shows_the_values_allowed(demo_db: Database) -> None:
    account_id = some_account(demo_db)
    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_account(app, pilot, account_id)
        editor = await edit(pilot, screen, "why_buy", "")
        picker = editor.input.picker
        assert picker is not None and picker.has_class("shown")
        assert picker.shown_values == ["price", "proximity", "relationships", "quality", "other"]
        assert "(or empty)" in editor.hint and "↑↓ choose" in editor.hint
        await pilot.press(*"qual", "enter")  # → takes the value listed
        await settle(app, pilot)
        assert screen.editor is None
    assert svc.get_account(demo_db, account_id).why_buy == "quality"


async def test_one_editor_at_a_time(demo_db: Database) -> None:
    account_id = some_account(demo_db)
    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_account(app, pilot, account_id)
        editor = await edit(pilot, screen, "city", "Half typed")
        region = screen.fields.region_of("name")
        assert region is not None
        await pilot.click(screen.fields, offset=(30, region.y))
        await pilot.press("enter")
        assert len(screen.query(FieldEditor)) == 1 and screen.editor is editor
        assert editor.value == "Half typed"
        assert any("Finish editing city first" in m for m in messages(app))


# --- sections ----------------------------------------------------------------------------------


async def test_sections_are_built_when_first_shown(demo_db: Database) -> None:
    account_id = some_account(demo_db)
    periods = records.list_periods(demo_db, account_id)
    contacts = records.list_contacts(demo_db, account_id)
    assert periods and contacts
    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_account(app, pilot, account_id)
        assert not screen.query(Section)  # only the Profile exists
        await pilot.press("ctrl+pagedown")
        await settle(app, pilot)
        built = [s.id for s in screen.query(Section)]
        assert built == ["economics-section"]
        assert screen.query_one("#periods").row_count == len(periods)  # type: ignore[attr-defined]
        await pilot.press("ctrl+pagedown")
        await settle(app, pilot)
        assert screen.query_one("#contacts-table").row_count == len(contacts)  # type: ignore[attr-defined]
        for _ in range(len(account_screen.SECTIONS) - 3):  # on to the last, History
            await pilot.press("ctrl+pagedown")
            await settle(app, pilot)
        assert len(screen.query(Section)) == len(account_screen.SECTIONS) - 1
        history = screen.query_one("#history-text").source  # type: ignore[attr-defined]
        assert "Status history" in history
        await pilot.press("ctrl+pagedown")  # round to the Profile, which is not rebuilt
        await settle(app, pilot)
        assert app.focused is screen.fields and len(screen.query(FieldEditor)) == 0


# --- undo ----------------------------------------------------------------------------------------


async def test_ctrl_z_after_a_field_edit_restores_it_in_the_database_and_on_screen(
    demo_db: Database,
) -> None:
    account_id = some_account(demo_db)
    account = svc.get_account(demo_db, account_id)
    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_account(app, pilot, account_id)
        await edit(pilot, screen, "city", "Bremen")
        await pilot.press("enter")
        await settle(app, pilot)
        assert svc.get_account(demo_db, account_id).city == "Bremen"
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert svc.get_account(demo_db, account_id).city == account.city
        assert shown(screen, "city") == account.city
        assert f"Undid: city of {account.name} back to {account.city!r}." in messages(app)
        await pilot.press("ctrl+y")
        await settle(app, pilot)
        assert svc.get_account(demo_db, account_id).city == "Bremen"
        assert shown(screen, "city") == "Bremen"
        # and the screen's next edit names the version the redo left
        await edit(pilot, screen, "city", "Hamburg")
        await pilot.press("enter")
        await settle(app, pilot)
    assert svc.get_account(demo_db, account_id).city == "Hamburg"


async def test_ctrl_z_takes_back_a_status_change_and_a_deleted_contact(demo_db: Database) -> None:
    account_id = some_account(demo_db)
    status = svc.get_account(demo_db, account_id).status
    contacts = [c.name for c, _ in records.list_contacts(demo_db, account_id)]
    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_account(app, pilot, account_id)
        new = "former" if status != "former" else "target"
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert isinstance(app.screen, FormDialog)
        await pilot.press(*new, "enter", *"volumes fell", "enter")
        await settle(app, pilot)
        assert app.screen is screen and svc.get_account(demo_db, account_id).status == new
        assert screen.view is not None and new in str(screen.query_one("#head").render())
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert svc.get_account(demo_db, account_id).status == status
        assert screen.view.status == status

        await pilot.press("ctrl+pagedown", "ctrl+pagedown")
        await settle(app, pilot)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(app, pilot)
        assert len(records.list_contacts(demo_db, account_id)) == len(contacts) - 1
        assert screen.query_one("#contacts-table").row_count == len(contacts) - 1  # type: ignore[attr-defined]
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert [c.name for c, _ in records.list_contacts(demo_db, account_id)] == contacts
        assert screen.query_one("#contacts-table").row_count == len(contacts)  # type: ignore[attr-defined]


async def test_adding_a_period_goes_through_the_form_and_is_undoable(demo_db: Database) -> None:
    account_id = some_account(demo_db)
    count = len(records.list_periods(demo_db, account_id))
    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_account(app, pilot, account_id)
        await pilot.press("ctrl+pagedown")
        await settle(app, pilot)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, FormDialog)
        await pilot.press(*"2030-Q1", "enter", *"-5", "ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, FormDialog)  # refused, explained, kept open
        assert "negative" in str(app.screen.query_one("#e-revenue_minor").render())
        app.screen.query_one("#f-revenue_minor").value = "1,000"  # type: ignore[attr-defined]
        app.screen.query_one("#f-cost_to_serve_minor").value = "100"  # type: ignore[attr-defined]
        app.screen.query_one("#f-gross_profit_minor").value = "300"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen
        assert len(records.list_periods(demo_db, account_id)) == count + 1
        assert screen.query_one("#periods").row_count == count + 1  # type: ignore[attr-defined]
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert len(records.list_periods(demo_db, account_id)) == count
        assert screen.query_one("#periods").row_count == count  # type: ignore[attr-defined]


# --- other programs ------------------------------------------------------------------------------


@pytest.fixture
def lock(demo_db: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[sqlite3.Connection]:
    """Another program's connection; kam waits 0.2 s for a lock, not 5."""
    import kamtui.db

    monkeypatch.setattr(kamtui.db, "BUSY_TIMEOUT_MS", 200)
    assert demo_db.path is not None
    other = sqlite3.connect(demo_db.path, isolation_level=None)
    yield other
    other.close()


async def test_a_busy_database_keeps_the_editor_open_and_enter_again_saves(
    demo_db: Database, lock: sqlite3.Connection
) -> None:
    account_id = some_account(demo_db)
    before = row(demo_db, account_id)
    assert demo_db.path is not None
    app = make_app(Database.for_file(demo_db.path), today=TODAY, welcome=False)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_account(app, pilot, account_id)
        editor = await edit(pilot, screen, "city", "Bremen")
        lock.execute("BEGIN IMMEDIATE")
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.is_running and app.screen is screen
        assert screen.editor is editor and editor.value == "Bremen"
        assert "database is busy" in editor.message
        assert row(demo_db, account_id) == before
        lock.execute("ROLLBACK")
        await pilot.press("enter")
        await settle(app, pilot)
        assert screen.editor is None and shown(screen, "city") == "Bremen"
    assert svc.get_account(demo_db, account_id).city == "Bremen"


async def test_a_stale_edit_is_refused_and_reload_is_offered(demo_db: Database) -> None:
    account_id = some_account(demo_db)
    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_account(app, pilot, account_id)
        other = svc.get_account(demo_db, account_id)  # another program edits meanwhile
        svc.update_account(demo_db, account_id, other.version, {"city": "Elsewhere"})
        editor = await edit(pilot, screen, "city", "Mine")
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert "changed elsewhere" in app.screen.question
        assert svc.get_account(demo_db, account_id).city == "Elsewhere"
        assert "changed elsewhere" in editor.message
        await pilot.press("y")
        await settle(app, pilot)
        assert app.screen is screen and screen.editor is None
        assert shown(screen, "city") == "Elsewhere"


async def test_flush_saves_the_open_editor_on_the_way_out(demo_db: Database) -> None:
    account_id = some_account(demo_db)
    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_account(app, pilot, account_id)
        await edit(pilot, screen, "notes", "typed, not yet saved")
        await pilot.press("ctrl+q")  # quit: app.save_drafts() flushes every screen
        await pilot.pause()
    assert svc.get_account(demo_db, account_id).notes == "typed, not yet saved"
