"""Forms that do not make the user guess (issue: forms, boards and footers at 80×24).

Reference and choice fields list their values under the input; a refused save shows
every problem at once, beside its field, and keeps what was typed; leaving with typing
that was refused asks first; a pasted page in a name field is told at once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from textual import events
from textual.widgets import Input, Label, Static
from ui_helpers import settle

from kamtui.app import KamApp, make_app
from kamtui.db import Database
from kamtui.errors import ValidationErrors
from kamtui.screens.account import AccountScreen
from kamtui.screens.dialogs.confirm import ConfirmDialog
from kamtui.screens.dialogs.form import FormDialog
from kamtui.services import plans
from kamtui.services.accounts import ACCOUNT_FIELDS, person_names
from kamtui.widgets.picker import Picker, matching

TODAY = dt.date(2026, 11, 16)


def action_count(db: Database) -> int:
    return int(db.fetch("SELECT count(*) FROM action")[0][0])


async def new_action_form(app: KamApp, pilot: Any) -> FormDialog:
    await app.switch_mode("plan")
    await settle(app, pilot)
    await pilot.press("n")
    await settle(app, pilot)
    assert isinstance(app.screen, FormDialog)
    return app.screen


async def focus_field(pilot: Any, form: FormDialog, name: str) -> Input:
    """Tab to the field as a user would."""
    names = [f.name for f in form.fields]
    current = names.index((form.focused.id or "")[2:])  # type: ignore[union-attr]
    steps = names.index(name) - current
    await pilot.press(*["tab" if steps > 0 else "shift+tab"] * abs(steps))
    await pilot.pause()
    focused = form.focused
    assert isinstance(focused, Input) and focused.id == f"f-{name}"
    return focused


def error_text(form: FormDialog, name: str) -> str:
    error = form.query_one(f"#e-{name}", Static)
    return str(error.render()) if error.display else ""


# --- the picker itself ---------------------------------------------------------------------


def test_matching_lists_starts_first_then_words_then_inside() -> None:
    names = ["Alex Morgan", "Sam Patel", "Morgana Lee", "Jo Amorgan"]
    assert matching(names, "morg", 10) == (["Morgana Lee", "Alex Morgan", "Jo Amorgan"], 3)
    assert matching(names, "", 2) == (["Alex Morgan", "Sam Patel"], 4)
    assert matching(names, "  SAM  ", 10) == (["Sam Patel"], 1)


# --- the new-action dialog -----------------------------------------------------------------


async def test_the_owner_field_lists_our_people_and_takes_the_chosen_one(demo_db) -> None:  # type: ignore[no-untyped-def]
    people = person_names(demo_db)
    wanted = people[-1]
    before = action_count(demo_db)
    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await new_action_form(app, pilot)
        await pilot.press(*"Call the new CFO")
        owner = await focus_field(pilot, form, "owner")
        await settle(app, pilot)  # the names are read in a worker
        picker = form.picker("owner")
        assert picker.has_class("shown") and picker.shown_values == people[: Picker.LIMIT]
        await pilot.press(*wanted[:3].lower())
        assert picker.shown_values[0] == wanted and picker.chosen == wanted
        await pilot.press("enter")  # takes it, and goes on to the next field
        assert owner.value == wanted and not picker.has_class("shown")
        priority = await focus_field(pilot, form, "priority")
        assert form.picker("priority").shown_values == ["high", "medium", "low"]
        await pilot.press("down")  # from medium (the current one) down to low
        await pilot.press("tab")
        assert priority.value == "low"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, FormDialog)
    assert action_count(demo_db) == before + 1
    row = demo_db.fetch(
        "SELECT p.name, x.priority FROM action x JOIN person p ON p.id = x.owner_id "
        "WHERE x.title = 'Call the new CFO'"
    )
    assert row == [(wanted, "low")]


async def test_the_objective_field_lists_the_objectives_of_the_account_typed(demo_db) -> None:  # type: ignore[no-untyped-def]
    account, titles = next(
        (name, plans.objective_titles(demo_db, name))
        for (name,) in demo_db.fetch("SELECT name FROM account ORDER BY id")
        if plans.objective_titles(demo_db, name)
    )
    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await new_action_form(app, pilot)
        field = await focus_field(pilot, form, "account")
        field.value = ""
        await pilot.press(*account, "tab")  # leaving the account reads its objectives
        await settle(app, pilot)
        assert form.picker("objective").choices == titles


async def test_a_refused_save_shows_every_problem_at_once_and_keeps_the_typing(demo_db) -> None:  # type: ignore[no-untyped-def]
    before = action_count(demo_db)
    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await new_action_form(app, pilot)
        await pilot.press(*"Call")
        await focus_field(pilot, form, "objective")
        await pilot.press(*"Grow Kelline")
        await focus_field(pilot, form, "owner")
        await pilot.press(*"Nobody Known")
        due = await focus_field(pilot, form, "due")
        due.value = ""
        await pilot.press(*"someday", "ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, FormDialog)
        assert "no objective 'Grow Kelline'" in error_text(form, "objective")
        assert "no owner named 'Nobody Known'" in error_text(form, "owner")
        assert "'someday' is not a date" in error_text(form, "due")
        assert error_text(form, "title") == ""
        assert form.query_one("#f-owner", Input).value == "Nobody Known"
        # the cursor stays in the field being typed in (due is one of the bad ones)
        assert form.focused is due
        # fixing one clears its message on the next save, the others stay
        owner = await focus_field(pilot, form, "owner")
        owner.value = ""
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert error_text(form, "owner") == "" and "is not a date" in error_text(form, "due")
    assert action_count(demo_db) == before


def test_the_services_raise_every_problem_together(demo_db) -> None:  # type: ignore[no-untyped-def]
    account = demo_db.fetch("SELECT name FROM account ORDER BY id LIMIT 1")[0][0]
    raw = {
        "title": "",
        "account": account,
        "objective": "Grow Kelline",
        "owner": "Nobody Known",
        "due": "someday",
        "priority": "urgent",
    }
    with pytest.raises(ValidationErrors) as caught:
        plans.create_action(demo_db, raw, TODAY)
    assert set(caught.value.errors) == {"title", "objective", "owner", "due", "priority"}


async def test_escape_after_a_refused_save_asks_before_throwing_the_typing_away(demo_db) -> None:  # type: ignore[no-untyped-def]
    before = action_count(demo_db)
    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await new_action_form(app, pilot)
        await pilot.press(*"Call")
        await focus_field(pilot, form, "owner")
        await pilot.press(*"Nobody Known", "ctrl+s")
        await settle(app, pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "refused" in app.screen.question
        await pilot.press("n")  # keep editing: everything is still there
        await pilot.pause()
        assert app.screen is form and form.query_one("#f-owner", Input).value == "Nobody Known"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await settle(app, pilot)
        assert not isinstance(app.screen, (FormDialog, ConfirmDialog))
    assert action_count(demo_db) == before


async def test_escape_on_an_untouched_form_just_closes_it(demo_db) -> None:  # type: ignore[no-untyped-def]
    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await new_action_form(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        assert not isinstance(app.screen, (FormDialog, ConfirmDialog))


async def test_the_new_objective_form_shows_its_first_label_at_80x24(demo_db) -> None:  # type: ignore[no-untyped-def]
    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.switch_mode("plan")
        await settle(app, pilot)
        await pilot.press("o")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, FormDialog) and form.title_text.startswith("New objective")
        labels = list(form.query(Label))
        screen_rows = {int(label.region.y) for label in labels if label.region.height}
        first = labels[0]
        assert "Objective" in str(first.render())
        assert first.region.height and first.region.y in screen_rows
        assert form.focused is form.query_one("#f-title", Input)
        # its empty box says what to type, as every other box of the form does
        assert all(form.query_one(f"#f-{f.name}", Input).placeholder for f in form.fields)
        # every field of the form is on screen at once, its label beside it
        for f in form.fields:
            assert form.query_one(f"#f-{f.name}", Input).region.height == 1


# --- the account screen's editor -----------------------------------------------------------


async def open_first_account(app: KamApp, pilot: Any, db: Database) -> AccountScreen:
    account_id = int(db.fetch("SELECT id FROM account ORDER BY id LIMIT 1")[0][0])
    await settle(app, pilot)
    await app.push_screen(AccountScreen(account_id))
    await settle(app, pilot)
    assert isinstance(app.screen, AccountScreen)
    return app.screen


async def test_why_they_buy_lists_its_values_and_saves_the_chosen_one(demo_db) -> None:  # type: ignore[no-untyped-def]
    from kamtui import models as m

    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_first_account(app, pilot, demo_db)
        screen.fields.select("why_buy")
        await pilot.press("e")
        await settle(app, pilot)
        editor = screen.editor
        assert editor is not None
        picker = editor.input.picker
        assert picker is not None and picker.has_class("shown")
        assert picker.shown_values == list(m.WHY_BUY)
        editor.input.value = ""
        wanted = m.WHY_BUY[-1]
        await pilot.press(*wanted[:2], "enter")
        await settle(app, pilot)
        assert screen.editor is None
        account_id = screen.account_id
    stored = demo_db.fetch("SELECT why_buy FROM account WHERE id = ?", [account_id])[0][0]
    assert stored == wanted


async def test_strength_of_position_says_which_end_is_strong(demo_db) -> None:  # type: ignore[no-untyped-def]
    assert "5 strong" in ACCOUNT_FIELDS["strength_of_position"].help
    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_first_account(app, pilot, demo_db)
        screen.fields.select("strength_of_position")
        await pilot.press("e")
        await settle(app, pilot)
        assert screen.editor is not None
        assert "5 strong" in str(screen.editor.query_one(".hint", Static).render())


async def test_a_pasted_page_in_the_name_is_told_at_once_and_never_saved(demo_db) -> None:  # type: ignore[no-untyped-def]
    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_first_account(app, pilot, demo_db)
        name_before = screen.view.name  # type: ignore[union-attr]
        screen.fields.select("name")
        await pilot.press("e")
        await settle(app, pilot)
        editor = screen.editor
        assert editor is not None
        editor.input.value = ""
        editor.input.post_message(events.Paste("x" * 10_000))
        await pilot.pause()
        message = editor.query_one(".message", Static)
        assert message.display and "10,000 characters, at most 200" in editor.message
        await pilot.press("enter")
        await settle(app, pilot)
        assert screen.editor is editor and "200" in editor.message
        # escape with the refused value asks; "n" keeps it, "y" throws it away
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await pilot.pause()
        assert screen.editor is editor and len(editor.value) == 10_000
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await settle(app, pilot)
        assert screen.editor is None
        account_id = screen.account_id
    assert demo_db.fetch("SELECT name FROM account WHERE id = ?", [account_id])[0][0] == name_before


# --- how the action dialog looks -------------------------------------------------------------


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_the_action_dialog_with_its_owner_list_open(demo_db, snap_compare, size) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Any) -> None:
        app = pilot.app
        form = await new_action_form(app, pilot)
        await pilot.press(*"Call the buyer")
        await focus_field(pilot, form, "owner")
        await settle(app, pilot)

    assert snap_compare(
        make_app(demo_db, today=TODAY, welcome=False), terminal_size=size, run_before=run_before
    )


def test_the_action_dialog_after_a_refused_save(demo_db, snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Any) -> None:
        app = pilot.app
        form = await new_action_form(app, pilot)
        await focus_field(pilot, form, "owner")
        await pilot.press(*"Nobody Known")
        due = await focus_field(pilot, form, "due")
        due.value = ""
        await pilot.press(*"someday", "ctrl+s")
        await settle(app, pilot)

    assert snap_compare(
        make_app(demo_db, today=TODAY, welcome=False), terminal_size=(80, 24), run_before=run_before
    )


async def test_an_account_without_objectives_says_so_under_the_objective(demo_db) -> None:  # type: ignore[no-untyped-def]
    bare = demo_db.fetch(
        "SELECT name FROM account WHERE id NOT IN (SELECT account_id FROM objective) LIMIT 1"
    )[0][0]
    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await new_action_form(app, pilot)
        account = await focus_field(pilot, form, "account")
        account.value = bare
        await focus_field(pilot, form, "objective")
        await settle(app, pilot)
        picker = form.picker("objective")
        assert picker.display and picker.has_class("shown")
        assert "has no objectives yet" in str(picker.get_option_at_index(0).prompt)
        assert picker.chosen is None
