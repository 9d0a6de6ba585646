"""View 7 (Prospects) driven through Pilot, and its SVG snapshots at 80×24 and 120×40."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from textual.widgets import Input, Static
from ui_helpers import settle

from kamtui.app import make_app
from kamtui.services import accounts as svc
from kamtui.services import lookalike as la
from kamtui.services.scoring_store import save_trait, set_account_traits

TODAY = dt.date(2026, 11, 16)  # the same fixed day as conftest.TODAY
KEY = {"industry": "Industrial automation", "country": "Germany"}


def _add(db: Any, name: str, status: str = "prospect", **fields: str) -> int:
    account = svc.create_account(db, {"name": name, **fields}, today=TODAY)
    assert account.id is not None
    if status != "prospect":
        svc.change_status(db, account.id, account.version, status, "test", TODAY)
    return account.id


@pytest.fixture
def prospects_db(db):  # type: ignore[no-untyped-def]
    """Four key accounts alike, prospects and targets from alike to unlike, one vetoed."""
    sizes = (("2000", "300,000,000"), ("3000", "450,000,000"), ("5000", "700,000,000"))
    for i, (e, r) in enumerate(sizes, start=1):
        _add(db, f"Key Works {i}", "key", employees=e, annual_revenue_minor=r,
             strength_of_position="4", business_strategy="Investing in automation", **KEY)  # fmt: skip
    _add(db, "Key Retail AG", "key", industry="Retail", country="Germany", employees="4000")
    _add(db, "Alike GmbH", employees="3200", annual_revenue_minor="400,000,000",
         strength_of_position="4", business_strategy="More automation in plants", **KEY)  # fmt: skip
    _add(db, "Near Target SA", "target", industry="Industrial automation", country="France",
         employees="1500")  # fmt: skip
    _add(db, "Far Away Ltd", industry="Hospitality", country="Spain", employees="12")
    _add(db, "Mid Retail BV", industry="Retail", country="Netherlands", employees="800")
    _add(db, "A Customer Inc", "customer", **KEY)
    veto = save_trait(db, None, None, {"name": "Abusive to our staff", "effect": "veto"})
    bad = _add(db, "Abusive Corp", employees="3000", **KEY)
    set_account_traits(db, bad, [veto.id])
    return db


async def _view(app: Any, pilot: Any) -> Any:
    await pilot.press("7")
    await settle(app, pilot)
    return app.screen


async def _dialog(pilot: Any) -> None:
    """Let a dialog open (its worker waits for the answer: settle would wait forever)."""
    for _ in range(3):
        await pilot.pause()


def _text(screen: Any, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def _names(screen: Any) -> list[str]:
    return [r.name for r in screen.table.rows]


async def test_view_7_shows_the_profile_the_ranking_and_the_reasons(prospects_db) -> None:  # type: ignore[no-untyped-def]
    app = make_app(prospects_db, today=TODAY, welcome=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _view(app, pilot)
        assert type(screen).__name__ == "ProspectsScreen"
        profile = _text(screen, "#profile")
        assert "What your 4 key accounts have in common" in profile
        assert "3 of 4 are in Industrial automation" in profile
        assert "4 of 4 are in Germany" in profile
        names = _names(screen)
        assert names[0] == "Alike GmbH"
        assert names.index("Near Target SA") < names.index("Far Away Ltd")
        assert "Abusive Corp" not in names and "A Customer Inc" not in names
        assert "Key Works 1" not in names
        detail = _text(screen, "#detail")
        assert "industry Industrial automation, like 3 of 4 key accounts" in detail
        assert "✓" in detail
        first = screen.table.render_line(1).text
        assert "Alike GmbH" in first and " 1 " in first
        await pilot.press("G")
        await settle(app, pilot)
        detail = _text(screen, "#detail")
        assert screen.table.cursor_row.name == names[-1]
        assert "✗" in detail  # the last one differs somewhere, and says where
        status = _text(screen, "#status-line")
        assert "4 prospects and targets ranked" in status and "1 vetoed (v shows)" in status


async def test_vetoed_are_shown_greyed_with_the_reason_only_when_asked(prospects_db) -> None:  # type: ignore[no-untyped-def]
    app = make_app(prospects_db, today=TODAY, welcome=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _view(app, pilot)
        assert "Abusive Corp" not in _names(screen)
        await pilot.press("v")
        await settle(app, pilot)
        assert _names(screen)[-1] == "Abusive Corp"
        await pilot.press("G")
        await settle(app, pilot)
        line = screen.table.render_line(screen.table.line_of(screen.table.cursor_index))
        assert "✖" in line.text and "—" in line.text
        assert any(seg.style is not None and seg.style.dim for seg in line)
        assert "vetoed: Abusive to our staff" in _text(screen, "#detail")
        await pilot.press("t")  # a vetoed account is not promoted
        await settle(app, pilot)
        assert svc.get_account(prospects_db, screen.table.cursor_row.id).status == "prospect"
        await pilot.press("v")
        await settle(app, pilot)
        assert "Abusive Corp" not in _names(screen)


async def test_customers_not_yet_key_are_an_option(prospects_db) -> None:  # type: ignore[no-untyped-def]
    app = make_app(prospects_db, today=TODAY, welcome=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _view(app, pilot)
        await pilot.press("c")
        await settle(app, pilot)
        assert "A Customer Inc" in _names(screen)
        assert "prospects, targets and customers ranked" in _text(screen, "#status-line")


async def test_space_marks_several_and_t_promotes_them_with_a_reason_undoably(prospects_db) -> None:  # type: ignore[no-untyped-def]
    app = make_app(prospects_db, today=TODAY, welcome=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _view(app, pilot)
        rows = screen.table.rows
        prospects = [r for r in rows if r.status == "prospect"][:2]
        target = next(r for r in rows if r.status == "target")
        for row in (*prospects, target):
            assert screen.table.move_to_key(row.id)
            await pilot.press("space")
        await settle(app, pilot)
        assert screen.marked == {r.id for r in (*prospects, target)}
        assert "3 marked" in _text(screen, "#status-line")
        assert "● " in screen.table.render_line(screen.table.line_of(
            screen.table.index_of_key(prospects[0].id))).text  # fmt: skip
        await pilot.press("t")
        await _dialog(pilot)
        question = str(app.screen.query_one("#question", Static).render())
        assert "these 2 prospects" in question and "1 marked" in question
        box = app.screen.query_one(Input)
        box.value = ""
        await pilot.press(*"alike our best", "enter")
        await settle(app, pilot)
        for row in prospects:
            account = svc.get_account(prospects_db, row.id)
            assert account.status == "target"
            history = svc.status_history(prospects_db, row.id)
            assert history[0].reason == "alike our best" and history[0].old_status == "prospect"
        assert screen.marked == set()
        assert {r.status for r in screen.table.rows if r.id in {p.id for p in prospects}} == {
            "target"
        }
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        for row in prospects:
            assert svc.get_account(prospects_db, row.id).status == "prospect"
        assert {r.status for r in screen.table.rows if r.id in {p.id for p in prospects}} == {
            "prospect"
        }


async def test_t_on_one_prospect_offers_a_reason_from_its_matches(prospects_db) -> None:  # type: ignore[no-untyped-def]
    app = make_app(prospects_db, today=TODAY, welcome=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _view(app, pilot)
        row = screen.table.cursor_row
        assert row.name == "Alike GmbH"
        await pilot.press("t")
        await _dialog(pilot)
        value = app.screen.query_one(Input).value
        assert value.startswith("look-alike of our key accounts, similarity")
        assert "industry" in value
        await pilot.press("escape")  # cancel: nothing changes
        await settle(app, pilot)
        assert svc.get_account(prospects_db, row.id).status == "prospect"
        await pilot.press("t")
        await _dialog(pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert svc.get_account(prospects_db, row.id).status == "target"
        assert svc.status_history(prospects_db, row.id)[0].reason == value


async def test_enter_opens_the_account_and_escape_comes_back(prospects_db) -> None:  # type: ignore[no-untyped-def]
    app = make_app(prospects_db, today=TODAY, welcome=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _view(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "AccountScreen"
        assert app.screen.account_id == screen.table.cursor_row.id
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is screen


async def test_filter_and_sort_by_any_column(prospects_db) -> None:  # type: ignore[no-untyped-def]
    app = make_app(prospects_db, today=TODAY, welcome=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _view(app, pilot)
        await pilot.press("slash", *"retail")
        await settle(app, pilot)
        assert _names(screen) == ["Mid Retail BV"]
        await pilot.press("escape")
        await settle(app, pilot)
        assert len(_names(screen)) == 4
        screen.table.sort_by("name")
        await settle(app, pilot)
        assert _names(screen) == sorted(_names(screen), key=str.casefold)
        for _ in screen.table.columns:
            await pilot.press("s")
            await settle(app, pilot)
            key, _reverse = screen.table.sort_column
            assert key in {c.key for c in screen.table.columns}
            assert "sorted by" in _text(screen, "#status-line")


async def test_weights_change_the_ranking_and_ctrl_z_takes_them_back(prospects_db) -> None:  # type: ignore[no-untyped-def]
    app = make_app(prospects_db, today=TODAY, welcome=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _view(app, pilot)
        before = _names(screen)
        await pilot.press("w")
        await settle(app, pilot)
        dialog = app.screen
        values = {f.key: "0" for f in la.FIELDS}
        values["country"] = "10"
        for box in dialog.query(Input):
            box.value = values[box.id.removeprefix("f-")] if box.id else box.value
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen
        stored = la.read_weights(prospects_db)
        assert stored["country"][0] == 10 and stored["industry"][0] == 0
        # only the country counts now: the Dutch and the Spanish prospects tie at 0
        assert _names(screen) != before
        assert screen.table.rows[-1].similarity == 0
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert la.read_weights(prospects_db)["industry"][0] == 3
        assert _names(screen) == before


async def test_with_too_few_key_accounts_the_view_says_what_to_do(db) -> None:  # type: ignore[no-untyped-def]
    _add(db, "Only Key", "key", **KEY)
    _add(db, "Prospect", **KEY)
    app = make_app(db, today=TODAY, welcome=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _view(app, pilot)
        profile = _text(screen, "#profile")
        assert "only 1 key account" in profile and "at least 3" in profile
        assert screen.table.row_count == 0
        assert "too few key accounts" in screen.table.render_line(1).text


async def test_help_explains_the_method(prospects_db) -> None:  # type: ignore[no-untyped-def]
    from textual.widgets import Markdown

    app = make_app(prospects_db, today=TODAY, welcome=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await _view(app, pilot)
        await pilot.press("question_mark")
        await settle(app, pilot)
        text = app.screen.query_one(Markdown).source
        for words in (
            "The method",
            "log scale",
            "weighted mean",
            "vetoing",
            "target with a reason",
        ):
            assert words in text or words.lower() in text.lower()
        await pilot.press("escape")
        await pilot.press("p")
        await settle(app, pilot)
        whole = str(app.screen.query_one("#profile-text", Static).render())
        assert "Industry: 3 of 4 are in Industrial automation" in whole
        assert "Alike GmbH" in whole and "Weights: industry 3" in whole


# --- snapshots -----------------------------------------------------------------------------------


async def _snap_ready(pilot: Any) -> None:
    await settle(pilot.app, pilot)
    await pilot.press("7")
    await settle(pilot.app, pilot)
    for box in pilot.app.screen.query(Input):
        box.cursor_blink = False


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_prospects_view_snapshot(prospects_db, snap_compare, size) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(
        make_app(prospects_db, today=TODAY, welcome=False), terminal_size=size,
        run_before=_snap_ready,
    )  # fmt: skip


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_prospects_marked_and_vetoed_snapshot(prospects_db, snap_compare, size) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Any) -> None:
        await _snap_ready(pilot)
        await pilot.press("v", "space", "space", "G")
        await settle(pilot.app, pilot)

    assert snap_compare(
        make_app(prospects_db, today=TODAY, welcome=False), terminal_size=size,
        run_before=run_before,
    )  # fmt: skip
