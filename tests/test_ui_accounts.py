"""The welcome, the Accounts view and the account screen, driven through Pilot."""

from __future__ import annotations

import datetime as dt
import signal
import stat
from typing import Any

from textual.widgets import Input, Markdown, Static
from ui_helpers import settle

from kamtui.app import KamApp, make_app
from kamtui.screens.account import AccountScreen
from kamtui.screens.accounts import AccountsScreen
from kamtui.screens.dialogs.confirm import ConfirmDialog
from kamtui.screens.dialogs.form import FormDialog
from kamtui.screens.help import HelpScreen
from kamtui.screens.welcome import WelcomeScreen
from kamtui.services import accounts as svc
from kamtui.widgets.table import VirtualTable

TODAY = dt.date(2026, 11, 16)


def table(app: KamApp) -> VirtualTable[Any]:
    return app.screen.query_one(VirtualTable)


async def test_first_start_greets_and_loads_the_demo(db) -> None:  # type: ignore[no-untyped-def]
    app = make_app(db, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, WelcomeScreen)
        text = app.screen.query_one(Markdown).source
        assert "**i**" in text and "import" in text and "demo portfolio" in text
        assert "quit" not in text  # importing no longer means leaving the app
        await pilot.press("d")
        await settle(app, pilot)
        await settle(app, pilot)
        assert isinstance(app.screen, AccountsScreen)
        assert table(app).total_count == 300


async def test_i_on_the_welcome_opens_the_import_dialog(db) -> None:  # type: ignore[no-untyped-def]
    """#14 item 5: the welcome said to quit and run `kam import` while the footer
    offered `i Import`; `i` there now opens the import dialog."""
    from kamtui.screens.dialogs.import_export import ImportDialog

    app = make_app(db, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, WelcomeScreen)
        await pilot.press("i")
        await settle(app, pilot)
        assert isinstance(app.screen, ImportDialog)
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, AccountsScreen)


async def test_welcome_is_not_shown_when_there_are_accounts(demo_db) -> None:  # type: ignore[no-untyped-def]
    app = make_app(demo_db, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, AccountsScreen)


async def test_filter_sort_and_page(demo_db) -> None:  # type: ignore[no-untyped-def]
    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        grid = table(app)
        assert grid.total_count == 60
        revenues = [r.revenue for r in grid.rows]
        assert revenues == sorted(revenues, reverse=True)  # biggest first by default
        await pilot.press("slash", *"logist")
        assert grid.rows and all("logist" in f"{r.name} {r.industry}".lower() for r in grid.rows)
        assert grid.row_count < 60
        status = str(app.screen.query_one("#status-line", Static).render())
        assert f"{grid.row_count} of 60 accounts" in status and "logist" in status
        await pilot.press("escape")
        assert grid.row_count == 60 and not grid.filter_text
        await pilot.press("s")  # next column after revenue: gross profit, biggest first
        profits = [r.profit for r in grid.rows]
        assert profits == sorted(profits, reverse=True)
        await pilot.press("S")
        assert [r.profit for r in grid.rows] == sorted(profits)
        await app.screen.run_action("sort('name')")
        await pilot.pause()
        names = [r.name.lower() for r in grid.rows]
        assert names == sorted(names)
        await pilot.press("g", "pagedown")
        assert grid.cursor_index == grid.body_height == 19  # 24 lines less bars, header, footer
        await pilot.press("G")
        assert grid.cursor_index == 59
        await pilot.press("g")
        assert grid.cursor_index == 0


async def test_open_edit_and_see_it_saved(demo_db) -> None:  # type: ignore[no-untyped-def]
    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        row = table(app).cursor_row
        await pilot.press("enter")
        await pilot.pause()
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, AccountScreen)
        screen.fields.select("city")
        await pilot.press("enter", "home", "ctrl+k", *"Bremen", "enter")
        await settle(app, pilot)
        assert svc.get_account(demo_db, row.id).city == "Bremen"
        screen.fields.select("employees")
        await pilot.press("e", "home", "ctrl+k", *"-12", "enter")
        await settle(app, pilot)
        assert screen.editor is not None
        error = screen.editor.message
        assert "cannot be negative" in error and "not saved" in error
        assert svc.get_account(demo_db, row.id).employees != -12
        await pilot.press("home", "ctrl+k", *"777", "enter")
        await settle(app, pilot)
        assert svc.get_account(demo_db, row.id).employees == 777
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, AccountsScreen)


async def test_status_change_asks_for_a_reason_and_shows_in_history(demo_db) -> None:  # type: ignore[no-untyped-def]
    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        row = table(app).cursor_row
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert isinstance(app.screen, FormDialog)
        await pilot.press(*"former", "enter", "enter")  # no reason yet
        await pilot.pause()
        assert isinstance(app.screen, FormDialog)
        assert "say why" in str(app.screen.query_one("#e-reason", Static).render())
        await pilot.press(*"volumes fell", "enter")
        await pilot.pause()
        assert isinstance(app.screen, AccountScreen)
        assert svc.get_account(demo_db, row.id).status == "former"
        app.screen.query_one("#sections").active = "history"  # type: ignore[attr-defined]
        await settle(app, pilot)
        history = app.screen.query_one("#history-text", Markdown).source
        assert "→ former" in history and "volumes fell" in history


async def test_a_stale_edit_is_refused_and_reload_is_offered(demo_db) -> None:  # type: ignore[no-untyped-def]
    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        row = table(app).cursor_row
        await pilot.press("enter")
        await pilot.pause()
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, AccountScreen)
        other = svc.get_account(demo_db, row.id)  # another program edits meanwhile
        svc.update_account(demo_db, row.id, other.version, {"city": "Elsewhere"})
        screen.fields.select("city")
        await pilot.press("enter", "home", "ctrl+k", *"Mine", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert "changed elsewhere" in app.screen.question
        assert svc.get_account(demo_db, row.id).city == "Elsewhere"
        await pilot.press("y")
        await settle(app, pilot)
        assert screen.fields.value("city") == "Elsewhere"


async def test_new_account_then_delete_it(demo_db) -> None:  # type: ignore[no-untyped-def]
    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, FormDialog)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "cannot be empty" in str(app.screen.query_one("#e-name", Static).render())
        await pilot.press(*"Zephyr Freight", "ctrl+s")
        await settle(app, pilot)  # saved on the writer thread, then the row is read
        assert isinstance(app.screen, AccountScreen)
        await pilot.press("escape")
        await settle(app, pilot)
        grid = table(app)
        assert grid.total_count == 61 and grid.cursor_row.name == "Zephyr Freight"
        await pilot.press("d")
        await settle(app, pilot)  # what goes with it is read first
        assert isinstance(app.screen, ConfirmDialog) and "Zephyr Freight" in app.screen.question
        await pilot.press("n")
        await pilot.pause()
        assert grid.total_count == 61
        big = grid.rows[0]
        grid.move_to_key(big.id)
        await pilot.press("d")
        await settle(app, pilot)
        assert "With it go:" in app.screen.question and "contact" in app.screen.question
        await pilot.press("y")
        await settle(app, pilot)
        assert grid.total_count == 60 and big.id not in {r.id for r in grid.rows}
        assert demo_db.check() == []


async def test_help_palette_and_live_footer_keys(db) -> None:  # type: ignore[no-untyped-def]
    app = make_app(db, today=TODAY, welcome=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert screen.check_action("open", ()) is False  # nothing to open: not in the footer
        assert screen.check_action("delete", ()) is False
        titles = {c.title for c in app.get_system_commands(screen)}
        assert {"New account", "Filter accounts", "Sort by Owner", "Help", "Quit"} <= titles
        assert "Open account" not in titles
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = app.screen.query_one(Markdown).source
        assert "Filter as you type" in text and "`/`" in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, AccountsScreen)


async def test_sigterm_saves_what_was_typed_and_exits(demo_db) -> None:  # type: ignore[no-untyped-def]
    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        row = table(app).cursor_row
        await pilot.press("enter")
        await pilot.pause()
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, AccountScreen)
        screen.fields.select("notes")
        await pilot.press("enter")
        assert screen.editor is not None
        screen.editor.input.value = "typed before the SSH link dropped"
        exits: list[int] = []
        app.hard_exit = exits.append
        app._on_signal(signal.SIGHUP)
        await pilot.pause()
    assert exits == [128 + signal.SIGHUP]
    assert svc.get_account(demo_db, row.id).notes == "typed before the SSH link dropped"


async def test_unexpected_errors_go_to_a_private_log_not_the_screen(demo_db, capsys) -> None:  # type: ignore[no-untyped-def]
    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        secret = "eva.keller@customer.example"
        try:
            raise RuntimeError(f"bad data for {secret}")
        except RuntimeError as exc:
            app._handle_exception(exc)
        await pilot.pause()
        app._exception = None  # handled: run_test must not re-raise it into the test
    assert app.crash_log is not None and stat.S_IMODE(app.crash_log.stat().st_mode) == 0o600
    log = app.crash_log.read_text()
    assert "bad data for" in log and secret not in log  # the message, not the address
    shown = capsys.readouterr().err.replace("\n", "")
    assert "RuntimeError" in shown and str(app.crash_log) in shown and secret not in shown


async def test_quit_and_sigterm_exit_cleanly(demo_db) -> None:  # type: ignore[no-untyped-def]
    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running
    app = make_app(demo_db, today=TODAY, welcome=False)
    exits: list[int] = []
    app.hard_exit = exits.append
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app._on_signal(signal.SIGTERM)
        await pilot.pause()
        assert not app.is_running
    assert app.return_code == 128 + signal.SIGTERM and exits == []


async def test_user_keymap_rebinds_by_id(demo_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "xdg-config" / "kamtui"
    folder.mkdir(parents=True)
    (folder / "config.toml").write_text('[keymap]\n"accounts.new" = "a"\n')
    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, FormDialog) and app.screen.title_text == "New account"


async def test_team_and_settings(demo_db) -> None:  # type: ignore[no-untyped-def]
    from textual.widgets import DataTable

    from kamtui.screens.team import TeamScreen
    from kamtui.services import records

    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+o")
        await settle(app, pilot)
        assert isinstance(app.screen, TeamScreen)
        before = app.screen.query_one(DataTable).row_count
        await pilot.press("n", *"Kim Novak", "ctrl+s")
        await settle(app, pilot)
        await settle(app, pilot)  # saved, then the table read again
        assert isinstance(app.screen, TeamScreen)
        assert app.screen.query_one(DataTable).row_count == before + 1
        await pilot.press("escape", "f2")
        for _ in range(100):  # the settings are read in a thread, then the form opens
            if isinstance(app.screen, FormDialog):
                break
            await pilot.pause(0.02)
        assert isinstance(app.screen, FormDialog)
        app.screen.query_one("#f-currency", Input).value = "usd"
        await pilot.press("ctrl+s")
        await settle(app, pilot)  # the settings worker ends once the form is saved
    assert records.get_settings(demo_db).currency == "USD"
    with __import__("pytest").raises(records.ValidationError, match="three-letter"):
        records.save_settings(demo_db, records.get_settings(demo_db).version, {"currency": "EU1"})


async def test_a_new_cadence_in_the_profile_schedules_the_next_review(demo_db) -> None:  # type: ignore[no-untyped-def]
    prospect = next(r for r in svc.list_rows(demo_db, TODAY) if r.status == "prospect")
    assert svc.get_account(demo_db, prospect.id).next_review is None
    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        app.screen.open_account(prospect.id)  # type: ignore[attr-defined]
        await pilot.pause()
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, AccountScreen)
        screen.fields.select("review_cadence")
        await pilot.press("enter", "home", "ctrl+k", *"monthly", "enter")
        await settle(app, pilot)
        assert screen.fields.value("next_review") == "2026-12-16"
    account = svc.get_account(demo_db, prospect.id)
    assert (account.review_cadence, account.next_review) == ("monthly", dt.date(2026, 12, 16))


async def test_a_new_account_is_undone_with_ctrl_z(demo_db) -> None:  # type: ignore[no-untyped-def]
    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"Zephyr Freight", "ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, AccountScreen)
        await pilot.press("escape")
        await settle(app, pilot)
        assert any(r.name == "Zephyr Freight" for r in svc.list_rows(demo_db, TODAY))
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        await settle(app, pilot)
        assert not any(r.name == "Zephyr Freight" for r in svc.list_rows(demo_db, TODAY))
        assert table(app).total_count == 60
        assert "Zephyr Freight" not in {r.name for r in table(app).rows}


async def test_the_filter_matches_status_and_stage_and_says_when_nothing_matches(demo_db) -> None:  # type: ignore[no-untyped-def]
    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        grid = table(app)
        await pilot.press("slash", *"stage 3")
        assert grid.rows and all(r.stage == 3 for r in grid.rows)
        assert grid.row_count == sum(1 for r in svc.list_rows(demo_db, TODAY) if r.stage == 3)
        await pilot.press("escape", "slash", *"target")
        assert grid.rows and {r.status for r in grid.rows} == {"target"}
        # the stage by its name, as the lifecycle board heads it, and by its short name
        await pilot.press("escape", "slash", *"Source and support")
        assert grid.rows and {r.stage for r in grid.rows} == {3}
        await pilot.press("escape", "slash", *"relationships grow")
        await pilot.pause()
        shown = "\n".join(str(grid.render_line(y).text) for y in range(4))
        assert "No account matches “relationships grow”" in shown  # no account at stage 4
        await pilot.press("escape", "slash", *"zzqx")
        await pilot.pause()
        shown = "\n".join(str(grid.render_line(y).text) for y in range(4))
        assert "No account matches “zzqx”" in shown and "No accounts yet" not in shown
        await pilot.press("escape")
        assert grid.row_count == 60


async def test_footer_and_view_bar_keep_what_matters_at_any_width(demo_db) -> None:  # type: ignore[no-untyped-def]
    """#14 item 4: at 80 columns the footer kept neither help nor quit, and at 60 the
    view bar dropped views silently."""
    from kamtui.screens.base import ViewBar
    from kamtui.widgets.footer import KeyFooter

    for width in (60, 80, 120):
        app = make_app(demo_db, today=TODAY, welcome=False)
        async with app.run_test(size=(width, 24)) as pilot:
            await settle(app, pilot)
            footer = str(app.screen.query_one(KeyFooter).render())
            assert "? Help" in footer and "q Quit" in footer and "palette" in footer, footer
            assert len(footer) <= width
            bar = str(app.screen.query_one(ViewBar).render())
            assert "2 Accounts" in bar  # the current view keeps its title
            assert all(f" {v.key} " in bar for v in app.views), bar
            assert len(bar) <= width - 2
