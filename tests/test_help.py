"""#14 item 5: help that tells the whole truth and can be read to its end at 80×24."""

from __future__ import annotations

import datetime as dt

from ui_helpers import settle

from kamtui.app import make_app

TODAY = dt.date(2026, 11, 16)


def test_every_account_section_has_its_help() -> None:
    from kamtui.screens.account import SECTION_HELP, SECTIONS

    assert list(SECTION_HELP) == list(SECTIONS)
    assert all(len(text) > 30 for text in SECTION_HELP.values())


async def test_f1_on_the_account_screen_describes_all_its_sections(demo_db) -> None:  # type: ignore[no-untyped-def]
    """F1 described four of the account screen's sections; now each of them."""
    from textual.widgets import Markdown

    from kamtui.screens.account import SECTION_TITLES, SECTIONS
    from kamtui.screens.help import HelpScreen

    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("2", "enter")
        await settle(app, pilot)
        await pilot.press("f1")
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)
        text = app.screen.query_one(Markdown).source
        for key in SECTIONS:
            assert f"**{SECTION_TITLES.get(key, key.capitalize())}** —" in text, key


async def test_the_help_scrolls_with_the_keys_of_a_pager(demo_db) -> None:  # type: ignore[no-untyped-def]
    from textual.containers import VerticalScroll

    from kamtui.screens.help import HelpScreen

    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)
        scroller = app.screen.query_one(VerticalScroll)
        assert scroller.max_scroll_y > 0  # the Accounts help is longer than 24 lines
        await pilot.press("j")
        await pilot.pause()
        assert scroller.scroll_y == 1
        await pilot.press("space")
        await pilot.pause()
        assert scroller.scroll_y > 5
        await pilot.press("k")
        await pilot.pause()
        paged = scroller.scroll_y
        await pilot.press("G")
        await pilot.pause()
        assert scroller.scroll_y == scroller.max_scroll_y > paged
        await pilot.press("g")
        await pilot.pause()
        assert scroller.scroll_y == 0
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
