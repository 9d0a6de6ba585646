"""The scoring matrix view, driven through Textual's Pilot as a user would."""

from __future__ import annotations

import datetime as dt
from typing import Any

from textual.widgets import Input, Static
from ui_helpers import settle

from kamtui.app import make_app
from kamtui.screens.matrix import MatrixScreen

TODAY = dt.date(2026, 11, 16)


async def _open(app: Any, pilot: Any) -> MatrixScreen:
    await app.switch_mode("matrix")
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, MatrixScreen)
    assert screen.mx is not None
    return screen


def _status(screen: MatrixScreen) -> str:
    return str(screen.query_one("#status-line", Static).render())


def _column(screen: MatrixScreen, name: str) -> int:
    assert screen.mx is not None
    return next(i for i, c in enumerate(screen.mx.criteria) if c.name == name)


async def test_edit_a_score_with_its_evidence_note(demo_db: Any) -> None:
    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open(app, pilot)
        mx = screen.mx
        assert mx is not None
        col = _column(screen, "Cultural fit")
        await pilot.press("j", *["l"] * col)
        row = screen.current_row()
        assert row is not None
        account_id, criterion_id = mx.ids[row], mx.criteria[col].id
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("2", "tab")  # typing replaces the selected value
        keys = ["space" if ch == " " else ch for ch in "rude to our drivers"]
        await pilot.press(*keys, "ctrl+s")
        await settle(app, pilot)  # saved on the writer thread
        assert app.screen is screen
        assert demo_db.fetch(
            "SELECT value, note FROM score WHERE account_id = ? AND criterion_id = ?",
            [account_id, criterion_id],
        ) == [(2, "rude to our drivers")]
        last = demo_db.fetch(
            "SELECT new_value, note FROM score_change WHERE account_id = ? "
            "AND criterion_id = ? ORDER BY id DESC LIMIT 1",
            [account_id, criterion_id],
        )
        assert last == [(2, "rude to our drivers")]
        # the matrix shows it at once: the value, the note marker, a new total
        assert mx.values[col][row] == 2 and (row, col) in mx.notes


async def test_a_bad_score_is_explained_and_not_saved(demo_db: Any) -> None:
    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open(app, pilot)
        before = demo_db.fetch("SELECT COUNT(*) FROM score_change")
        await pilot.press("j", *["l"] * _column(screen, "Cultural fit"), "enter")
        await pilot.pause()
        app.screen.query_one("#f-value", Input).value = "9"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "1 to 5" in str(app.screen.query_one("#e-value", Static).render())
        assert demo_db.fetch("SELECT COUNT(*) FROM score_change") == before


async def test_nudge_a_weight_is_a_what_if_until_kept(demo_db: Any) -> None:
    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open(app, pilot)
        mx = screen.mx
        assert mx is not None
        col = _column(screen, "Cultural fit")
        saved = mx.criteria[col].weight
        totals = list(mx.totals)
        await pilot.press(*["l"] * col, "plus", "plus", "plus")  # cursor starts on the weights row
        assert mx.what_if and mx.weights[col] == saved + 3
        assert mx.totals != totals  # totals moved at once
        assert "WHAT-IF" in _status(screen)
        await pilot.press("escape")
        assert not mx.what_if and mx.totals == totals
        await pilot.press("plus", "w")
        await settle(app, pilot)
        assert not mx.what_if
        stored = demo_db.fetch("SELECT weight FROM criterion WHERE id = ?", [mx.criteria[col].id])
        assert stored == [(saved + 1,)]


async def test_nudging_a_score_saves_it_and_keeps_history(demo_db: Any) -> None:
    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open(app, pilot)
        mx = screen.mx
        assert mx is not None
        col = _column(screen, "Product fit & connections")
        await pilot.press("j", *["l"] * col)
        row = screen.current_row()
        assert row is not None
        old = mx.values[col][row]
        await pilot.press("minus")
        expected = max(1, old - 1) if old is not None else None
        assert mx.values[col][row] == expected
        if expected is not None and expected != old:
            rows = demo_db.fetch(
                "SELECT old_value, new_value FROM score_change WHERE account_id = ? "
                "ORDER BY id DESC LIMIT 1",
                [mx.ids[row]],
            )
            assert rows == [(old, expected)]


async def test_promote_a_qualifying_account_and_warn_over_capacity(demo_db: Any) -> None:
    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open(app, pilot)
        mx = screen.mx
        assert mx is not None
        await pilot.press("c")
        await pilot.pause()
        app.screen.query_one("#f-capacity", Input).value = "1"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert mx.capacity == 1
        await pilot.press("Q")  # qualification: accounts to promote come first
        row = screen.current_row()
        assert row is not None and row == mx.to_promote()[0]
        account_id = mx.ids[row]
        await pilot.press("K")
        await pilot.pause()
        await pilot.press("enter")  # accept the suggested reason
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert demo_db.fetch("SELECT status FROM account WHERE id = ?", [account_id]) == [("key",)]
        reason = demo_db.fetch(
            "SELECT reason FROM status_change WHERE account_id = ? ORDER BY id DESC LIMIT 1",
            [account_id],
        )[0][0]
        assert "threshold" in reason
        assert "capacity of 1" in _status(screen)


async def test_vetoed_account_cannot_be_promoted(demo_db: Any) -> None:
    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open(app, pilot)
        mx = screen.mx
        assert mx is not None
        target = mx.to_promote()[0]
        keys = ["space" if ch == " " else ch for ch in mx.names[target]]
        await pilot.press("slash", *keys, "enter", "j")
        assert screen.current_row() == target
        await pilot.press("T")  # nightmare traits: the vetoes come first
        await settle(app, pilot)
        await pilot.press("space", "escape")
        await settle(app, pilot)
        assert mx.vetoes[target]
        assert not mx.qualifies(target)
        assert "vetoed" in mx.why_not(target)
        await pilot.press("K")
        await pilot.pause()
        status = demo_db.fetch("SELECT status FROM account WHERE id = ?", [mx.ids[target]])
        assert status[0][0] != "key"


async def test_score_history_of_the_account(demo_db: Any) -> None:
    from kamtui.screens.dialogs.scoring import HistoryDialog

    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await _open(app, pilot)
        await pilot.press("j", "H")
        await settle(app, pilot)
        assert isinstance(app.screen, HistoryDialog)
        assert "→" in str(app.screen.query_one("#history", Static).render())


async def test_preset_picker_switches_the_model(demo_db: Any) -> None:
    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open(app, pilot)
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("down", "down", "enter")  # from BIG to FUTURE profit
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.mx is not None and screen.mx.model is not None
        assert screen.mx.model.preset == "future_profit"
        warning = str(screen.query_one("#warning", Static).render())
        assert "over-valued" in warning


def _header(screen: MatrixScreen) -> str:
    return screen.grid.render_line(0).text


def _shows_in_order(header: str, *headings: str) -> bool:
    """Each heading whole (a space either side), in this order."""
    at = [header.find(f" {h} ") for h in headings]
    return -1 not in at and at == sorted(at)


def _info(screen: MatrixScreen) -> str:
    return " ".join(str(screen.query_one("#info", Static).render()).split())


async def test_headings_at_80_columns_are_the_short_names_uncut(demo_db: Any) -> None:
    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot)
        # they read "Rev4Q* TheSi* Emplo* RevTo* ProFi CulFi" before
        header = _header(screen)
        assert _shows_in_order(header, "Revenue*", "Size*", "Staff*", "Ratio*", "Fit", "Culture")
        assert "…" not in header and "Total" in header and "Rank" in header
        await pilot.press("j", "l", "l")  # to the column headed Staff*
        await pilot.pause()
        info = _info(screen)
        assert info.startswith("Employees ×2 · benefit")  # its full name and weight
        assert "* automatic: their number of employees" in info  # what * means
        await pilot.press("l", "l", "l")
        await pilot.pause()
        assert _info(screen).startswith("Cultural fit ×1")


async def test_headings_are_full_names_where_they_fit(demo_db: Any) -> None:
    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(app, pilot)
        header = _header(screen)
        # the three that save most take their short names, so that the rest fit whole
        # and the account names keep their room
        assert _shows_in_order(
            header, "Revenue 4Q*", "Size*", "Employees*", "Ratio*", "Fit", "Cultural fit"
        )
        assert "…" not in header
        assert "★ Glenstone Systems " in screen.grid.render_line(2).text
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert _shows_in_order(_header(screen), "Revenue*", "Size*", "Staff*")


async def test_scrolling_sideways_never_cuts_a_heading_at_the_left(demo_db: Any) -> None:
    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(60, 24)) as pilot:
        screen = await _open(app, pilot)
        await pilot.press("j", *["l"] * 5)  # to Culture, past the right edge
        await pilot.pause()
        header = _header(screen)
        # "venue* Size* …" before: scrolled to the cell, not to a column
        assert header.split()[1:3] == ["Size*", "Staff*"], header


async def test_the_criterion_form_edits_the_short_name_and_undo_takes_it_back(
    demo_db: Any,
) -> None:
    from kamtui.screens.dialogs.work_form import WorkFormDialog

    def shorts() -> list[str]:
        return [r[0] for r in demo_db.fetch(
            "SELECT c.short_name FROM criterion c JOIN scoring_model m ON m.id = c.model_id "
            "WHERE m.active ORDER BY c.position"
        )]  # fmt: skip

    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot)
        await pilot.press("j", "l", "l", "e")  # Employees, headed Staff*
        await pilot.pause()
        form = app.screen
        assert isinstance(form, WorkFormDialog)
        box = form.query_one("#f-short_name", Input)
        assert box.value == "Staff"
        box.value = "Size"  # the heading of another column
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form  # refused, said beside the field
        error = str(form.query_one("#e-short_name", Static).render())
        assert "“Size” heads another column" in error
        box.value = "Headcnt"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen
        assert shorts()[2] == "Headcnt"
        assert _shows_in_order(_header(screen), "Size*", "Headcnt*", "Ratio*")
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert shorts()[2] == "Staff"
        assert _shows_in_order(_header(screen), "Size*", "Staff*", "Ratio*")

        await pilot.press("n")  # a new criterion: its short name made from the name
        await pilot.pause()
        app.screen.query_one("#f-name", Input).value = "Pays on time"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert shorts()[-1] == "PaysTime"
        assert screen.grid.label_of(7) == "PaysTime"  # the seventh criterion's heading


async def test_a_cost_criterion_is_marked_and_its_mark_explained(demo_db: Any) -> None:
    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot)
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("down", "enter")  # The ones you MUSTN'T LOSE: eight criteria
        await settle(app, pilot)
        shorts = ("Revenue*", "Profit*", "Ref val", "Pain", "-Strain", "Ratio*", "Fit", "Culture")
        assert _shows_in_order(_header(screen), *shorts)  # all eight in view
        await pilot.press("j", *["l"] * _column(screen, "Demands on our staff"))
        await pilot.pause()
        assert _info(screen).startswith("Demands on our staff ×1 · - cost: more is worse")


# --- snapshots ---------------------------------------------------------------------------


async def _ready(pilot: Any) -> None:
    await pilot.app.switch_mode("matrix")
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("j", "j")


def test_snapshot_80x24(demo_db: Any, snap_compare: Any) -> None:
    app = make_app(demo_db, today=TODAY, welcome=False)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_ready)


def test_snapshot_120x40_what_if(demo_db: Any, snap_compare: Any) -> None:
    async def what_if(pilot: Any) -> None:
        await _ready(pilot)
        await pilot.press("g", "k", "l", "l", "l", "l", "l", "plus", "plus", "plus", "plus")
        await pilot.pause()

    app = make_app(demo_db, today=TODAY, welcome=False)
    assert snap_compare(app, terminal_size=(120, 40), run_before=what_if)


async def test_account_screen_shows_scores_and_their_history(demo_db: Any) -> None:

    from kamtui.screens.account import AccountScreen

    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open(app, pilot)
        await pilot.press("j", "o")
        await pilot.pause()
        assert isinstance(app.screen, AccountScreen)
        assert app.screen.account_id == screen.current_account()
        app.screen.query_one("#sections").active = "scores"  # type: ignore[attr-defined]
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = str(app.screen.query_one("#score-pane", Static).render())
        assert "total" in text and "Score history" in text and "Cultural fit" in text


async def test_the_nightmare_trait_list_is_editable(demo_db: Any) -> None:
    from kamtui.screens.dialogs.scoring import TraitsDialog

    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await _open(app, pilot)
        await pilot.press("j", "T")
        await settle(app, pilot)
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one("#f-name", Input).value = "Never answers e-mails"
        app.screen.query_one("#f-effect", Input).value = "veto"
        await pilot.press("ctrl+s")
        for _ in range(100):  # saved, the list read again, then the traits dialog is back
            if isinstance(app.screen, TraitsDialog):
                break
            await pilot.pause(0.02)
        assert isinstance(app.screen, TraitsDialog)  # back to the account's traits
        assert any(t.name == "Never answers e-mails" for t in app.screen.traits)
        rows = demo_db.fetch(
            "SELECT effect FROM nightmare_trait WHERE name = 'Never answers e-mails'"
        )
        assert rows == [("veto",)]


async def test_the_criterion_form_reads_plainly_at_80_columns(demo_db: Any) -> None:
    """The bands of 'Their size' read "1.5e+07, 2.5e+07 …", the direction and automatic
    source had to be typed from memory, and a long label's second line ran under the ›."""
    from kamtui.screens.dialogs.work_form import WorkFormDialog
    from kamtui.widgets.picker import Picker

    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot)
        await pilot.press("j", "l", "e")  # Their size: automatic, from their own revenue
        await pilot.pause()
        form = app.screen
        assert isinstance(form, WorkFormDialog)
        bands = form.query_one("#f-bands", Input).value
        assert bands == "15 000 000, 25 000 000, 40 000 000, 75 000 000", bands
        assert form.query_one("#p-direction", Picker) and form.query_one("#p-auto_source", Picker)
        label = str(form.query_one("#r-bands Label", Static).render())
        assert [line[:2] for line in label.splitlines()] == ["  ", "  "], label
        # choosing "hand-scored" (the source emptied) saves, and the bands as shown
        # parse back to the same limits
        form.query_one("#f-auto_source", Input).value = ""
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen
        row = demo_db.fetch(
            "SELECT c.auto_source FROM criterion c JOIN scoring_model m ON m.id = c.model_id "
            "WHERE m.active ORDER BY c.position LIMIT 1 OFFSET 1"
        )[0]
        assert row[0] is None
        assert "Size*" not in _header(screen) and "Size" in _header(screen)
