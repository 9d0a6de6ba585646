"""The import and export dialogs, driven through Pilot from the Accounts view."""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

from io_helpers import FIXTURES
from textual.widgets import Input, Static

from kamtui.app import make_app
from kamtui.services.accounts import count_accounts

TODAY_SIZE = (80, 24)


async def settle(app, pilot) -> None:  # type: ignore[no-untyped-def]
    """Let thread workers finish and their results paint (a cancelled one is fine)."""
    from textual.worker import WorkerCancelled

    for _ in range(3):
        with contextlib.suppress(WorkerCancelled):
            await app.workers.wait_for_complete()
        await pilot.pause()


async def _open_import(app, pilot, path: Path) -> None:  # type: ignore[no-untyped-def]
    await app.switch_mode("accounts")
    await pilot.pause()
    await pilot.press("i")
    await pilot.pause()
    box = app.screen.query_one("#path", Input)
    box.value = str(path)
    await pilot.press("enter")
    await settle(app, pilot)


async def test_import_dialog_previews_then_imports(demo_db, today, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from kamtui.screens.dialogs.import_export import ImportDialog

    src = tmp_path / "salesforce.csv"
    shutil.copy(FIXTURES / "salesforce_dataloader_accounts.csv", src)
    app = make_app(demo_db, today=today, welcome=False)
    async with app.run_test(size=TODAY_SIZE) as pilot:
        await _open_import(app, pilot, src)
        assert isinstance(app.screen, ImportDialog)
        preview = str(app.screen.query_one("#preview", Static).render())
        assert "Salesforce (API names), 4 rows of accounts" in preview
        assert "4 accounts to create, 0 to update, 0 unchanged" in preview
        assert count_accounts(demo_db) == 60  # the preview wrote nothing
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, ImportDialog)
        assert count_accounts(demo_db) == 64
        table = app.screen.query_one("#accounts")
        assert table.total_count == 64  # the view reloaded


async def test_import_dialog_shows_problems_and_refuses(demo_db, today, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from kamtui.screens.dialogs.import_export import ImportDialog

    bad = tmp_path / "bad.csv"
    bad.write_text("Name,AnnualRevenue\nAcme,-5\nAcme,\n")
    app = make_app(demo_db, today=today, welcome=False)
    async with app.run_test(size=TODAY_SIZE) as pilot:
        await _open_import(app, pilot, bad)
        preview = str(app.screen.query_one("#preview", Static).render())
        assert "2 problems" in preview
        assert "line 2: column AnnualRevenue: '-5': cannot be negative" in preview
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ImportDialog)  # still open, nothing written
        assert count_accounts(demo_db) == 60
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ImportDialog)


async def test_export_dialog_writes_the_chosen_format(demo_db, today, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from textual.widgets import Select

    from kamtui.screens.dialogs.import_export import ExportDialog

    app = make_app(demo_db, today=today, welcome=False)
    async with app.run_test(size=TODAY_SIZE) as pilot:
        await app.switch_mode("accounts")
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        app.screen.query_one("#format", Select).value = "xlsx"
        await pilot.pause()
        box = app.screen.query_one("#path", Input)
        assert box.value.endswith(".xlsx")
        box.value = str(tmp_path / "mine.xlsx")
        await pilot.press("enter")
        await settle(app, pilot)
        assert not isinstance(app.screen, ExportDialog)
    assert (tmp_path / "mine.xlsx").stat().st_size > 0


def test_import_dialog_snapshot(demo_db, today, tmp_path: Path, snap_compare) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "hubspot.csv"
    shutil.copy(FIXTURES / "hubspot_companies.csv", src)
    app = make_app(demo_db, today=today, welcome=False)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await _open_import(pilot.app, pilot, Path("hubspot.csv"))
        pilot.app.screen.query_one("#path", Input).cursor_blink = False  # deterministic
        await pilot.pause()

    import os

    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        assert snap_compare(app, terminal_size=TODAY_SIZE, run_before=run_before)
    finally:
        os.chdir(cwd)
