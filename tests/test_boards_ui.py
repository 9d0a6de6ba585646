"""The lifecycle board and the attack plan, driven through Textual's Pilot."""

from __future__ import annotations

import datetime as dt

import pytest
from ui_helpers import first_movable_card
from ui_helpers import settle as _settle

from kamtui.app import make_app
from kamtui.services import lifecycle as lc
from kamtui.services import plans

TODAY = dt.date(2026, 11, 16)


@pytest.fixture
def key_db(demo_db):  # type: ignore[no-untyped-def]
    """The demo with eight more key accounts, in stages 1–4 (seeded through the services)."""
    from kamtui.services.accounts import change_status, get_account

    customers = [
        r[0] for r in demo_db.fetch("SELECT id FROM account WHERE status = 'customer' ORDER BY id")
    ]
    for n, account_id in enumerate(customers[:8]):
        a = get_account(demo_db, account_id)
        a = change_status(demo_db, a.id, a.version, "key", "grew", TODAY - dt.timedelta(days=90))
        if n % 4:
            lc.move_stage(demo_db, a.id, a.version, n % 4, "", TODAY - dt.timedelta(days=10 * n))
    return demo_db


async def test_move_a_key_account_with_a_note(key_db) -> None:  # type: ignore[no-untyped-def]
    app = make_app(key_db, today=TODAY, welcome=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.switch_mode("lifecycle")
        await _settle(app, pilot)
        board = app.screen.board
        start, card = await first_movable_card(app, pilot)
        assert card is not None and board.focus_column == start
        stage = card.data.stage
        version = card.data.version
        await pilot.press("greater_than_sign")
        await pilot.pause()
        await pilot.press(*"exec sponsor met", "enter")
        await _settle(app, pilot)
        assert board.focus_column == start + 1 and board.card is not None
        assert board.card.key == card.key  # the focus followed the card
        moves = lc.stage_history(key_db, card.key)
        assert (moves[0].from_stage, moves[0].to_stage) == (stage, start + 2)
        assert moves[0].note == "exec sponsor met"
        assert board.card.data.version > version
        # shift+left moves it back; escape on the note cancels the move
        await pilot.press("shift+left")
        await pilot.pause()
        await pilot.press("escape")
        await _settle(app, pilot)
        assert len(lc.stage_history(key_db, card.key)) == len(moves)
        assert board.focus_column == start + 1


async def test_stage_move_shows_in_account_history(key_db) -> None:  # type: ignore[no-untyped-def]
    from textual.widgets import Markdown

    app = make_app(key_db, today=TODAY, welcome=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.switch_mode("lifecycle")
        await _settle(app, pilot)
        await pilot.press("greater_than_sign")
        await pilot.pause()
        await pilot.press(*"moved in test", "enter")
        await _settle(app, pilot)
        await pilot.press("enter")
        await _settle(app, pilot)
        sections = app.screen.query_one("#sections")
        sections.active = "history"  # type: ignore[attr-defined]  # built when first shown
        await _settle(app, pilot)
        sections.active = "plan"  # type: ignore[attr-defined]
        await _settle(app, pilot)
        history = app.screen.query_one("#history-text", Markdown)
        assert "moved in test" in history.source
        assert "Lifecycle stage moves" in history.source
        plan = app.screen.query_one("#plan-text", Markdown)
        assert "## Objectives" in plan.source and "## SWOT" in plan.source  # the one-page plan


async def test_plan_add_move_and_complete_an_action(demo_db) -> None:  # type: ignore[no-untyped-def]
    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.switch_mode("plan")
        await _settle(app, pilot)
        screen = app.screen
        board = screen.board
        first = board.card
        assert first is not None and first.data.status == "todo"
        await pilot.press("greater_than_sign")
        await pilot.pause()
        assert plans.get_action(demo_db, first.key).status == "doing"
        assert board.focus_column == 1 and board.card.key == first.key
        # add an action: the account is filled in from the focused card
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"Call the new CFO", "ctrl+s")
        await _settle(app, pilot)
        added = board.card
        assert added is not None and added.title == "Call the new CFO"
        row = plans.get_action(demo_db, added.key)
        assert (row.status, row.account) == ("todo", first.data.account)
        todo_before = screen.counts["done"][0]
        await pilot.press("greater_than_sign", "greater_than_sign", "greater_than_sign")
        await _settle(app, pilot)
        done = plans.get_action(demo_db, added.key)
        assert (done.status, done.done_on) == ("done", TODAY)
        assert screen.counts["done"][0] == todo_before + 1
        assert board.focus_column == 3 and board.card.key == added.key


async def test_plan_filter_to_overdue_then_clear(demo_db) -> None:  # type: ignore[no-untyped-def]
    from textual.widgets import Input

    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.switch_mode("plan")
        await _settle(app, pilot)
        screen = app.screen
        total = sum(n for n, _ in screen.counts.values())
        await pilot.press("f")
        await pilot.pause()
        app.screen.query_one("#f-overdue", Input).value = "yes"
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        late = sum(n for n, _ in screen.counts.values())
        assert 0 < late < total
        for column in screen.board.columns:
            cards = [column.source[i] for i in range(len(column.source))]
            assert all(c.data.overdue(TODAY) and c.badge.startswith("!") for c in cards)
        assert len(screen.board.columns[3].source) == 0  # nothing done is overdue
        await pilot.press("escape")
        await _settle(app, pilot)
        assert sum(n for n, _ in screen.counts.values()) == total


async def test_plan_delete_asks_first(demo_db) -> None:  # type: ignore[no-untyped-def]
    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.switch_mode("plan")
        await _settle(app, pilot)
        card = app.screen.board.card
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("n")
        await _settle(app, pilot)
        assert plans.get_action(demo_db, card.key)
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await _settle(app, pilot)
        assert all(r.id != card.key for r in plans.list_actions(demo_db, TODAY))


# --- snapshots -------------------------------------------------------------------------------


def _snap(demo_db, mode: str):  # type: ignore[no-untyped-def]
    app = make_app(demo_db, today=TODAY, welcome=False)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await app.switch_mode(mode)
        await _settle(app, pilot)
        await pilot.press("l", "j")
        await pilot.pause()

    return app, run_before


def test_snapshot_lifecycle_80x24(key_db, snap_compare) -> None:  # type: ignore[no-untyped-def]
    app, run_before = _snap(key_db, "lifecycle")
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_snapshot_lifecycle_120x40(key_db, snap_compare) -> None:  # type: ignore[no-untyped-def]
    app, run_before = _snap(key_db, "lifecycle")
    assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)


def test_snapshot_plan_80x24(demo_db, snap_compare) -> None:  # type: ignore[no-untyped-def]
    app, run_before = _snap(demo_db, "plan")
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_snapshot_plan_120x40(demo_db, snap_compare) -> None:  # type: ignore[no-untyped-def]
    app, run_before = _snap(demo_db, "plan")
    assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)


async def test_greater_than_on_an_unstaged_card_offers_stage_1(key_db) -> None:  # type: ignore[no-untyped-def]
    """#14 item 3: an unstaged key account sits in column 1 marked ○; `>` skipped it to 2."""
    app = make_app(key_db, today=TODAY, welcome=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.switch_mode("lifecycle")
        await _settle(app, pilot)
        board = app.screen.board
        first = board.columns[0].source
        index = next(i for i in range(len(first)) if first[i].data.stage is None)
        card = first[index]
        board.focus_card(0, index)
        await pilot.press("greater_than_sign")
        await pilot.pause()
        from textual.widgets import Static

        asked = " ".join(str(w.render()) for w in app.screen.query(Static))
        assert "to stage 1" in asked, asked  # the note prompt names stage 1
        await pilot.press("enter")
        await _settle(app, pilot)
        moves = lc.stage_history(key_db, card.key)
        assert (moves[0].from_stage, moves[0].to_stage) == (None, 1)
        assert board.focus_column == 0 and board.card is not None and board.card.key == card.key
        assert board.card.data.stage == 1


# --- legible at 80 and 120 columns (#14 item 3) -----------------------------------------------


def _board_lines(board) -> list[str]:  # type: ignore[no-untyped-def]
    return [board.render_line(y).text for y in range(board.size.height)]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_every_stage_is_named_and_counted_and_no_column_is_cut_to_a_stub(
    key_db, size
) -> None:  # type: ignore[no-untyped-def]
    """Six stages at 80 columns were 8–10 cells each ("2 You s…", "Dalwick…"): the board
    shows as many columns as fit at a readable width, and a strip names all six."""
    from kamtui import models as m
    from kamtui.widgets.board import MIN_COLUMN

    app = make_app(key_db, today=TODAY, welcome=False)
    async with app.run_test(size=size) as pilot:
        await app.switch_mode("lifecycle")
        await _settle(app, pilot)
        board = app.screen.board
        lines = _board_lines(board)
        # every cell has a style: NO_COLOR's monochrome filter crashed on one padded without
        assert all(seg.style is not None for y in range(4) for seg in board.render_line(y))
        strip = lines[0]
        for n, column in zip(m.STAGES, board.columns, strict=True):
            assert f"{n} {m.STAGE_SHORT[n]} {len(column.source)}" in strip
        assert strip.rstrip().endswith("▶") and not strip.startswith("◀")
        titles = lines[1].split("│")[:-1]
        assert len(titles) == board.shown < 6
        assert all(len(t) >= MIN_COLUMN for t in titles)
        assert titles[0].strip().startswith(("▸1 You got what", "1 You got what"))
        # every card in view shows its whole name, or its name cut no shorter than 15 cells
        for line in lines[4:]:
            for cell in line.split("│")[:-1]:
                assert "…" not in cell or len(cell.split("…")[0].strip()) >= 15
        # moving right past the last column in view brings the next stage in
        for _ in range(board.shown):
            await pilot.press("l")
        await pilot.pause()
        lines = _board_lines(board)
        assert lines[0].startswith("◀")
        assert f"▸{board.shown + 1} " in lines[1]  # the focused stage is in view
        assert board.focus_column == board.shown


async def test_a_click_on_the_strip_goes_to_that_stage(key_db) -> None:  # type: ignore[no-untyped-def]
    app = make_app(key_db, today=TODAY, welcome=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.switch_mode("lifecycle")
        await _settle(app, pilot)
        board = app.screen.board
        x = board.render_line(0).text.index("6 Maintain")
        await pilot.click(board, offset=(x + 2, 0))
        await pilot.pause()
        assert board.focus_column == 5
        assert "▸6 Relationship maintena" in board.render_line(1).text


async def test_the_panel_says_what_the_card_figures_are(key_db) -> None:  # type: ignore[no-untyped-def]
    """◆, ♥ and ⚠ on a card were never explained: the panel spells them out."""
    import re

    app = make_app(key_db, today=TODAY, welcome=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.switch_mode("lifecycle")
        await _settle(app, pilot)
        board = app.screen.board
        card = board.card
        assert card is not None
        panel = str(app.screen.query_one("#panel").render())
        score = re.search(r"◆(\d+\.\d)", card.detail)
        assert score is not None
        assert f"◆{score.group(1)} matrix score" in panel
        assert "health" in panel  # ♥ once the health is read


def test_a_one_line_card_shows_whole_figures_or_none() -> None:
    """ "Dalwick GmbH · 49d · ◆86…" cut a score in half; a card keeps whole parts."""
    from kamtui.widgets.board import _whole_parts

    assert _whole_parts("Dalwick GmbH · 49d · ◆86.2 · 1.1M", 24) == "Dalwick GmbH · 49d"
    assert _whole_parts("Dalwick GmbH · 49d · ◆86.2", 26) == "Dalwick GmbH · 49d · ◆86.2"
    assert _whole_parts("A very long account name indeed · 4d", 10) == "A very lo…"


async def test_the_attack_plan_at_80_columns_shows_whole_columns_and_names_all_four(
    demo_db,
) -> None:  # type: ignore[no-untyped-def]
    from kamtui.widgets.board import MIN_COLUMN

    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.switch_mode("plan")
        await _settle(app, pilot)
        board = app.screen.board
        strip = board.render_line(0).text
        for column in board.columns:
            assert f"{column.title} {len(column.source):,}" in strip
        titles = board.render_line(1).text.split("│")[:-1]
        assert all(len(t) >= MIN_COLUMN for t in titles) and len(titles) == 3
