"""View 1 through Textual's Pilot: figures, the triage (enter, a, z, x, u, h, t) kept
across restarts and undone with ctrl+z; the views agree on every figure they share;
SVG snapshots at 80×24 and 120×40 (issue 11)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from typing import Any

import pytest
from textual.widgets import Input, Static
from ui_helpers import settle

from kamtui.app import make_app
from kamtui.services import early_warnings as ew
from kamtui.services.portfolio import portfolio, share_text

TODAY = dt.date(2026, 11, 16)
SIZES = [(80, 24), (120, 40)]


async def _dashboard(app: Any, pilot: Any) -> Any:
    await settle(app, pilot)
    await pilot.press("1")
    await settle(app, pilot)
    assert app.current_mode == "dashboard"
    return app.screen


def _text(app: Any, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def _to(app: Any, pilot: Any, key: str) -> Any:
    """Put the cursor on the warning with this key (as a user would, with j)."""
    table = app.screen.table
    await pilot.press("g")
    for _ in range(table.row_count):
        if table.cursor_row.key == key:
            return table.cursor_row
        await pilot.press("j")
    raise AssertionError(f"{key} not in the list")


async def test_the_dashboard_shows_the_portfolio_figures_and_every_current_warning(
    demo_db: Any,
) -> None:
    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _dashboard(app, pilot)
        pf = portfolio(demo_db, TODAY)
        figures = _text(app, "#figures")
        assert f"rev {share_text(pf.top20_revenue_share)}" in figures
        assert (
            f"{share_text(pf.exposure.revenue_min)}–{share_text(pf.exposure.revenue_max)}"
            in figures
        )
        assert f"Key accounts {pf.key_accounts} of capacity {pf.capacity}" in figures
        current = ew.current_alerts(demo_db, TODAY)
        assert current
        assert {screen.table.row_key(r) for r in screen.table._all} == {a.key for a in current}
        assert f"⚠ {len(current):,} warnings" in _text(app, "#status-line")
        # the account under the cursor: its health with every part
        info = _text(app, "#dash-info")
        assert "♥" in info and "Revenue trend" in info and "Traits" in info


async def test_snooze_and_dismiss_are_kept_across_restarts_and_undone_with_ctrl_z(
    demo_db: Any,
) -> None:
    first = next(a for a in ew.current_alerts(demo_db, TODAY) if a.account_id is not None)
    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _dashboard(app, pilot)
        await _to(app, pilot, first.key)
        await pilot.press("z")
        await pilot.pause()
        assert app.screen.query_one("#f-until", Input).value == "+7"
        await pilot.press("enter")
        await settle(app, pilot)
        assert first.key not in {screen.table.row_key(r) for r in screen.table._all}
        assert ew.read_triage(demo_db)[first.key].until == TODAY + dt.timedelta(days=7)
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert first.key not in ew.read_triage(demo_db)
        assert first.key in {screen.table.row_key(r) for r in screen.table._all}
        # dismiss with a reason
        await _to(app, pilot, first.key)
        await pilot.press("x")
        await pilot.pause()
        await pilot.press(*"handled by phone", "enter")
        await settle(app, pilot)
        assert ew.read_triage(demo_db)[first.key].reason == "handled by phone"
    again = make_app(demo_db, today=TODAY, welcome=False)  # a restart: the dismissal is kept
    async with again.run_test(size=(120, 40)) as pilot:
        screen = await _dashboard(again, pilot)
        assert first.key not in {screen.table.row_key(r) for r in screen.table._all}
        await pilot.press("v")  # show the snoozed and dismissed
        await pilot.pause()
        row = await _to(again, pilot, first.key)
        assert row.triage == "dismissed"
        assert "x dismissed handled by phone" in screen.table.columns[-1].text(row)
        await pilot.press("u")  # and bring it back
        await settle(again, pilot)
        assert first.key not in ew.read_triage(demo_db)


async def test_a_makes_an_action_for_the_account_and_enter_opens_it(demo_db: Any) -> None:
    alert = next(a for a in ew.current_alerts(demo_db, TODAY) if a.account_id is not None)
    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await _dashboard(app, pilot)
        await _to(app, pilot, alert.key)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"Call their CFO", "tab", *"2026-12-01", "ctrl+s")
        await settle(app, pilot)
        found = demo_db.fetch("SELECT account_id, due FROM action WHERE title = 'Call their CFO'")
        assert [(r[0], str(r[1])[:10]) for r in found] == [(alert.account_id, "2026-12-01")]
        await pilot.press("enter")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "AccountScreen"
        assert app.screen.account_id == alert.account_id


async def test_thresholds_are_edited_in_the_view_and_change_the_warnings(demo_db: Any) -> None:
    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _dashboard(app, pilot)
        before = sum(1 for a in screen.board.alerts if a.rule == "stage_unchanged")
        await pilot.press("t")
        await pilot.pause()
        app.screen.query_one("#f-stage_days", Input).value = "1"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert ew.get_thresholds(demo_db).stage_days == 1
        after = sum(1 for a in screen.board.alerts if a.rule == "stage_unchanged")
        assert after > before


async def test_the_views_agree_score_rank_health_and_overdue_reviews(demo_db: Any) -> None:
    """Accounts view Score/Rank = the matrix; view 1's overdue reviews = view 6's."""
    from kamtui.services.health_read import health_of
    from kamtui.services.scoring import load_matrix

    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause(0.5)  # the columns are read after the first paint
        await settle(app, pilot)
        accounts = app.screen
        assert accounts.health.loaded
        mx = load_matrix(demo_db, TODAY)
        healths = health_of(demo_db, TODAY)
        for aid, cells in accounts.health.cells.items():
            i = mx.index[aid]
            assert (cells.score, cells.rank) == (mx.totals[i], mx.ranks[i])
            assert cells.health == healths[aid].score
        row = accounts.table.cursor_row
        shown = [c.text(row) for c in accounts.table.columns[-3:]]
        assert shown[1] == f"{mx.totals[mx.index[row.id]]:.1f}"
        await pilot.press("6")
        await settle(app, pilot)
        overdue6 = {
            r.account_id
            for r in app.screen.table._all
            if "overdue" in app.screen.table.columns[1].text(r)
        }
        await pilot.press("1")
        await settle(app, pilot)
        overdue1 = {a.account_id for a in app.screen.board.alerts if a.rule == "review_overdue"}
        assert overdue1 == overdue6 and overdue1


async def test_accounts_sort_by_health(demo_db: Any) -> None:
    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause(0.5)  # the columns are read after the first paint
        await settle(app, pilot)
        screen = app.screen
        screen.action_sort("health")
        await pilot.pause()
        values = [screen.health.cells[r.id].health for r in screen.table._rows]
        assert values == sorted(values)


def test_the_dashboard_and_its_plot_library_are_not_imported_at_start_up() -> None:
    code = (
        "import sys, kamtui.app, kamtui.cli; "
        "print([m for m in ('kamtui.screens.dashboard', 'plotext', 'textual_plotext') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


async def _loaded(pilot: Any) -> None:
    await settle(pilot.app, pilot)
    await pilot.press("1")
    await settle(pilot.app, pilot)
    for box in pilot.app.screen.query(Input):
        box.cursor_blink = False


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_dashboard(demo_db, snap_compare, size) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(
        make_app(demo_db, today=TODAY, welcome=False), terminal_size=size, run_before=_loaded
    )


async def test_the_account_screen_and_the_lifecycle_cards_show_the_same_health(
    demo_db: Any,
) -> None:
    from kamtui.services.health_read import account_health, health_of
    from kamtui.services.lifecycle import board_rows

    key = board_rows(demo_db, TODAY)
    assert key
    expected = health_of(demo_db, TODAY, [r.id for r in key])
    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(app, pilot)
        await app.switch_mode("lifecycle")
        await settle(app, pilot)
        await settle(app, pilot)
        on_cards = {}
        for column in app.screen.board.columns:
            for i in range(len(column.source)):
                card = column.source[i]
                on_cards[card.key] = card.detail
        assert on_cards.keys() == expected.keys()
        for aid, detail in on_cards.items():
            assert f"♥{expected[aid].score}" in detail, detail
        # the account screen's Scores section: the same score, every part with its reason
        from kamtui.screens.account import open_account

        aid = key[0].id
        open_account(app.screen, aid)
        await settle(app, pilot)
        from kamtui.screens.account import SECTIONS

        for _ in range(SECTIONS.index("scores")):  # from Profile, one section at a time
            await pilot.press("ctrl+pagedown")
            await settle(app, pilot)
        text = str(app.screen.query_one("#score-pane", Static).render())
        h = account_health(demo_db, TODAY, aid)
        assert h is not None and h.score == expected[aid].score
        assert f"Health ♥ {h.score} of 100:" in text
        for part in h.parts:
            assert f"{part.name} {part.points}/{part.maximum} — {part.text}" in text
