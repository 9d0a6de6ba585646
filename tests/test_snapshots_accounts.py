"""SVG snapshots of the foundation's screens at 80×24 and 120×40."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kamtui.app import make_app

TODAY = dt.date(2026, 11, 16)

SIZES = [(80, 24), (120, 40)]


async def _loaded(pilot: Any) -> None:
    from textual.widgets import Input

    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    for _ in range(50):  # the Health, Score and Rank columns fill after the first paint
        health = getattr(pilot.app.screen, "health", None)
        if health is None or health.loaded:
            break
        await pilot.pause(0.05)
    await pilot.app.workers.wait_for_complete()
    for box in pilot.app.screen.query(Input):
        box.cursor_blink = False  # a blinking cursor makes snapshots flaky
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
def test_accounts_view(demo_db, snap_compare, size) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(
        make_app(demo_db, today=TODAY, welcome=False), terminal_size=size, run_before=_loaded
    )


@pytest.mark.parametrize("size", SIZES)
def test_accounts_filtered(demo_db, snap_compare, size) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Any) -> None:
        await _loaded(pilot)
        await pilot.press("slash", *"gmbh")
        await _loaded(pilot)

    assert snap_compare(
        make_app(demo_db, today=TODAY, welcome=False), terminal_size=size, run_before=run_before
    )


@pytest.mark.parametrize("size", SIZES)
def test_account_screen(demo_db, snap_compare, size) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Any) -> None:
        await _loaded(pilot)
        await pilot.press("enter")
        await _loaded(pilot)

    assert snap_compare(
        make_app(demo_db, today=TODAY, welcome=False), terminal_size=size, run_before=run_before
    )


def test_welcome(db, snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(db, today=TODAY), terminal_size=(80, 24), run_before=_loaded)


def test_account_field_being_edited(demo_db, snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Any) -> None:
        await _loaded(pilot)
        await pilot.press("enter")
        await _loaded(pilot)
        await pilot.press(*"jjjjjjjj", "enter", "home", "ctrl+k", *"12x", "enter")
        await _loaded(pilot)

    assert snap_compare(
        make_app(demo_db, today=TODAY, welcome=False), terminal_size=(80, 24), run_before=run_before
    )
