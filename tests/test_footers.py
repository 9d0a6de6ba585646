"""#14 item 4: every view's footer and bars fit at 80 and 120 columns.

At 80 columns the Accounts footer lost "? Help" and "q Quit", the matrix's ended
"K Key ±  T▏", and the account screen's section bar cut Plan, Reviews and History off
the right without a sign. Each view is driven here at both widths.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from ui_helpers import settle

from kamtui.app import VIEWS, make_app

TODAY = dt.date(2026, 11, 16)


def _footer(app: Any) -> str:
    from kamtui.widgets.footer import KeyFooter

    return str(app.screen.query_one(KeyFooter).render())


@pytest.mark.parametrize("width", [80, 120])
async def test_every_view_keeps_help_and_quit_in_a_footer_that_fits(demo_db, width) -> None:  # type: ignore[no-untyped-def]
    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(width, 24)) as pilot:
        await settle(app, pilot)
        for view in VIEWS:
            await pilot.press(view.key)
            await settle(app, pilot)
            assert app.current_mode == view.mode
            footer = _footer(app)
            assert "? Help" in footer and "q Quit" in footer, (view.mode, footer)
            assert "^p palette" in footer and len(footer) <= width, (view.mode, footer)
            assert "▏" not in footer and "…" not in footer, (view.mode, footer)


@pytest.mark.parametrize("width", [80, 120])
async def test_the_account_screen_footer_has_its_section_keys(demo_db, width) -> None:  # type: ignore[no-untyped-def]
    from kamtui.widgets.sections import SectionBar

    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(width, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("2", "enter")
        await settle(app, pilot)
        bar = app.screen.query_one(SectionBar)
        seen: set[str] = set()
        for _ in bar.sections:
            footer = _footer(app)
            assert "? Help" in footer and "q Quit" in footer and len(footer) <= width
            line = str(bar.render())
            assert len(line) <= width
            titles = [title for _, title in bar.sections]
            # a section not drawn is announced by ‹ or ›
            drawn = [t for t in titles if t in line]
            if len(drawn) < len(titles):
                left = titles.index(drawn[0]) > 0
                right = titles.index(drawn[-1]) < len(titles) - 1
                assert ("‹" in line) == left and (line.rstrip().endswith("›")) == right, line
            active = dict(bar.sections)[bar.active]
            assert f"[{active}]" in line
            seen.add(bar.active)
            if bar.active == "contacts":
                assert all(k in footer for k in ("n Add", "d Delete", "Edit")), footer
            await pilot.press("ctrl+pagedown")
            await settle(app, pilot)
        assert seen == set(bar.ids)
        if width == 120:
            assert all(t in str(bar.render()) for _, t in bar.sections)
