"""The command palette (ctrl+p) in every view: text is never read as markup, and the
page keys never crash it.

Typing ``preset`` in the matrix's palette once killed kam with ``MarkupError("auto
closing tag ('[/]') has nothing to close")`` (the filter key ``/`` shown as ``[/]`` in the
help text); ``pagedown`` before the palette had laid its list out killed it with
``KeyError: 0`` inside Textual's ``OptionList._move_page``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import pytest
from textual.app import SystemCommand
from textual.command import CommandInput, CommandList, CommandPalette
from ui_helpers import settle as _settle

from kamtui.app import KamApp, make_app

TODAY = dt.date(2026, 11, 16)
# typed a key at a time, so every prefix is searched too: "[", "[/", "[/]", "p", …
QUERIES = ("[/]", "preset", "] \\ [$x]")


@pytest.fixture
def demo300(db: Any) -> Any:
    """Key accounts with reviews due (the Reviews view needs some to open one)."""
    from kamtui.services.demo import build_demo

    build_demo(db, accounts=300, seed=3, today=TODAY)
    return db


async def _open_palette(app: Any, pilot: Any) -> CommandPalette:
    await pilot.press("ctrl+p")
    await _settle(app, pilot)
    assert CommandPalette.is_open(app)
    assert isinstance(app.screen, CommandPalette)
    return app.screen


def _shown(palette: CommandPalette) -> list[str]:
    commands = palette.query_one(CommandList)
    return [str(commands.get_option_at_index(i).prompt) for i in range(commands.option_count)]


async def _search_everything(app: Any, pilot: Any) -> list[str]:
    """Open the palette, type every troublesome query (one key at a time), close it."""
    under = app.screen
    palette = await _open_palette(app, pilot)
    seen: list[str] = _shown(palette)
    for query in QUERIES:
        await pilot.press(*query)
        await _settle(app, pilot)
        assert palette.query_one(CommandInput).value == query
        seen += _shown(palette)
        palette.query_one(CommandInput).value = ""
        await _settle(app, pilot)
    await pilot.press("escape")
    await _settle(app, pilot)
    assert app.is_running and app._exception is None
    assert app.screen is under
    return seen


async def _into_account(app: Any, pilot: Any) -> None:
    await app.switch_mode("accounts")
    await _settle(app, pilot)
    await pilot.press("enter")
    await _settle(app, pilot)
    assert type(app.screen).__name__ == "AccountScreen"


async def _into_review(app: Any, pilot: Any) -> None:
    await app.switch_mode("reviews")
    await _settle(app, pilot)
    await pilot.press("enter")
    await _settle(app, pilot)
    assert type(app.screen).__name__ == "ReviewScreen"


async def test_palette_search_in_every_view(demo300: Any) -> None:
    """Views 2–6, the account screen and the review screen, in one run."""
    app = make_app(demo300, today=TODAY, welcome=False)
    async with app.run_test(size=(80, 24)) as pilot:
        for view in ("accounts", "matrix", "lifecycle", "plan", "reviews"):
            await app.switch_mode(view)
            await _settle(app, pilot)
            seen = await _search_everything(app, pilot)
            assert any("Quit" in text for text in seen), view
            if view in ("accounts", "matrix", "reviews"):  # the filter key, shown literally
                assert any("[/]" in text for text in seen), (view, seen)
        for into in (_into_account, _into_review):
            await into(app, pilot)
            await _search_everything(app, pilot)
            await pilot.press("escape")
            await _settle(app, pilot)


async def test_user_text_in_a_command_is_shown_as_typed(
    demo300: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A command that names user data (an undo entry, say) shows it literally."""
    title = "Undo: name of [b]Acme[/] back to '[/'"
    help_text = r"was [$name] \ [on red]"
    ran: list[str] = []
    base = KamApp.get_system_commands

    def with_user_text(self: KamApp, screen: Any) -> Iterable[SystemCommand]:
        yield from base(self, screen)
        yield SystemCommand(title, help_text, lambda: ran.append("undo"))

    monkeypatch.setattr(KamApp, "get_system_commands", with_user_text)
    app = make_app(demo300, today=TODAY, welcome=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await _settle(app, pilot)
        palette = await _open_palette(app, pilot)
        assert f"{title}\n{help_text}" in _shown(palette)  # discovery, before typing
        await pilot.press(*"acme back")  # only this one matches (the app has its own Undo)
        await _settle(app, pilot)
        assert f"{title}\n{help_text}" in _shown(palette)  # search results
        await pilot.press("enter")
        await _settle(app, pilot)
        assert ran == ["undo"] and app._exception is None


async def test_page_keys_in_an_empty_or_unready_palette(demo300: Any) -> None:
    app = make_app(demo300, today=TODAY, welcome=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        palette = await _open_palette(app, pilot)
        await pilot.press(*"zzzzqqq")  # nothing matches: an empty list
        await _settle(app, pilot)
        await pilot.press("pagedown", "pageup")
        await _settle(app, pilot)
        await pilot.press(*["backspace"] * 7)
        await _settle(app, pilot)
        # the palette fills its list (as its _refresh_command_list does) before the list
        # is laid out the first time: a page key pressed in between
        commands = palette.query_one(CommandList)
        options = [commands.get_option_at_index(i) for i in range(commands.option_count)]
        assert options
        palette.remove_class("-ready")
        await pilot.pause()
        assert not commands.scrollable_content_region.area
        commands.clear_options().add_options(options)
        commands.highlighted = 0
        await pilot.press("pagedown", "pageup")
        await pilot.pause()
        palette.add_class("-ready")
        await _settle(app, pilot)
        highlighted = commands.highlighted
        await pilot.press("pagedown")  # once laid out, the page keys work again
        await pilot.pause()
        assert commands.highlighted is not None and highlighted is not None
        assert commands.highlighted > highlighted
        assert app.is_running and app._exception is None
