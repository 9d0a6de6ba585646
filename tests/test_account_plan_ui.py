"""The account plan's sections as a user meets them at 80×24: SWOT, Buying map,
Relationships and Log — add, edit, reprioritise, delete and undo from the keyboard,
each checked against what is stored — and a snapshot of each section."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from ui_helpers import settle

from kamtui.app import KamApp, make_app
from kamtui.db import Database
from kamtui.screens.account import AccountScreen
from kamtui.screens.dialogs.confirm import ConfirmDialog
from kamtui.screens.dialogs.form import FormDialog
from kamtui.services import buying_map as bm
from kamtui.services import contact_log as cl
from kamtui.services import relationships as rel
from kamtui.services import swot

TODAY = dt.date(2026, 11, 16)
SIZE = (80, 24)


def key_account(db: Database) -> int:
    """The first key account (the demo fills its plan: SWOT, map, relationships, log)."""
    return int(db.fetch("SELECT id FROM account WHERE status = 'key' ORDER BY id LIMIT 1")[0][0])


def bare_account(db: Database) -> int:
    """A customer with contacts but no buying map and no contact log yet."""
    return int(
        db.fetch(
            "SELECT id FROM account a WHERE status = 'customer' "
            "AND EXISTS (SELECT 1 FROM contact c WHERE c.account_id = a.id) "
            "AND NOT EXISTS (SELECT 1 FROM buying_step b WHERE b.account_id = a.id) "
            "AND NOT EXISTS (SELECT 1 FROM contact_log g WHERE g.account_id = a.id) "
            "ORDER BY id LIMIT 1"
        )[0][0]
    )


async def open_section(app: KamApp, pilot: Any, account_id: int, section: str) -> AccountScreen:
    await settle(app, pilot)
    await app.push_screen(AccountScreen(account_id))
    await settle(app, pilot)
    screen = app.screen
    assert isinstance(screen, AccountScreen) and screen.view is not None
    screen.query_one("#sections").active = section  # type: ignore[attr-defined]
    await settle(app, pilot)
    await settle(app, pilot)
    return screen


async def form(app: KamApp, pilot: Any, *keys: str) -> None:
    """Keys typed into the open form (enter moves on and saves after the last field)."""
    await pilot.pause()
    assert isinstance(app.screen, FormDialog)
    await pilot.press(*keys)
    await settle(app, pilot)


def cells(screen: AccountScreen, table_id: str) -> list[list[str]]:
    table = screen.query_one(f"#{table_id}")
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]  # type: ignore[attr-defined]


def undo_texts(app: KamApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_swot_add_reprioritise_action_delete_and_undo(demo_db: Database) -> None:
    aid = key_account(demo_db)
    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_section(app, pilot, aid, "swot")
        await pilot.press("tab", "tab", "tab")  # the Threats quadrant
        assert app.focused is screen.query_one("#swot-threat")
        before = len(swot.list_points(demo_db, aid))
        await pilot.press("n")
        await form(app, pilot, "enter", *"Rival opens a plant nearby", "enter", *"low", "enter", "enter")  # fmt: skip
        points = swot.list_points(demo_db, aid)
        assert len(points) == before + 1
        (new,) = [p for p in points if p.text == "Rival opens a plant nearby"]
        assert (new.quadrant, new.priority, new.perspective) == ("threat", "low", "customer")
        rows = cells(screen, "swot-threat")
        assert rows[-1][1:3] == ["L", "them"]  # High first, Low last
        assert rows[-1][3].startswith("Rival opens a plant")  # clipped to the quadrant

        table = screen.query_one("#swot-threat")
        table.move_cursor(row=len(rows) - 1)  # type: ignore[attr-defined]
        await pilot.press("plus", "plus")
        await settle(app, pilot)
        point = next(p for p in swot.list_points(demo_db, aid) if p.id == new.id)
        assert point.priority == "high" and point.flagged
        assert cells(screen, "swot-threat")[0][:2] == ["⚑", "H"]  # sorted to the top, flagged
        for undone in ("medium", "low"):  # two undos on one row: both apply
            await pilot.press("ctrl+z")
            await settle(app, pilot)
            point = next(p for p in swot.list_points(demo_db, aid) if p.id == new.id)
            assert point.priority == undone
        await pilot.press("plus", "plus")
        await settle(app, pilot)

        screen.query_one("#swot-threat").move_cursor(row=0)  # type: ignore[attr-defined]
        assert screen.query_one("#swot-threat").current() == new.id  # type: ignore[attr-defined]
        await pilot.press("a")
        await form(app, pilot, "enter", "enter")
        point = next(p for p in swot.list_points(demo_db, aid) if p.id == new.id)
        assert point.action == "Rival opens a plant nearby" and not point.flagged
        assert "⚑" not in cells(screen, "swot-threat")[0][0]
        await pilot.press("ctrl+z")  # the action goes, the point is flagged again
        await settle(app, pilot)
        point = next(p for p in swot.list_points(demo_db, aid) if p.id == new.id)
        assert point.action_id is None and point.flagged
        assert not demo_db.fetch("SELECT 1 FROM action WHERE title = 'Rival opens a plant nearby'")

        await pilot.press("e")
        await form(
            app, pilot, "enter", "ctrl+u", *"Rival opened a plant", "enter", "enter", "enter"
        )
        assert any(p.text == "Rival opened a plant" for p in swot.list_points(demo_db, aid))
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(app, pilot)
        assert len(swot.list_points(demo_db, aid)) == before
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert any(p.text == "Rival opened a plant" for p in swot.list_points(demo_db, aid))
        assert any(r[-1].startswith("Rival opened a") for r in cells(screen, "swot-threat"))


async def test_swot_refuses_a_bad_choice_beside_its_field(demo_db: Database) -> None:
    aid = key_account(demo_db)
    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_section(app, pilot, aid, "swot")
        before = swot.list_points(demo_db, aid)
        await pilot.press("n")
        await form(app, pilot, *"risk", "enter", *"Something", "enter", "enter", "enter")
        assert isinstance(app.screen, FormDialog)
        error = str(app.screen.query_one("#e-quadrant").render())
        assert "Quadrant" in error and "strength" in error
        assert swot.list_points(demo_db, aid) == before
        await pilot.press("escape")


async def test_relationships_edit_views_and_undo(demo_db: Database) -> None:
    aid = key_account(demo_db)
    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_section(app, pilot, aid, "relationships")
        rmap = rel.relationship_map(demo_db, aid, TODAY)
        assert len(cells(screen, "relationships-table")) == len(rmap.rows)
        first = rmap.rows[0]
        await pilot.press("e")
        # buying role, stance, influence, reports to, counterpart, strength
        await form(app, pilot, "ctrl+u", *"gatekeeper", "enter", "ctrl+u", *"blocker", "enter", "enter", "enter", "enter", "ctrl+u", "0", "enter")  # fmt: skip
        row = next(r for r in rel.relationship_map(demo_db, aid, TODAY).rows if r.contact_id == first.contact_id)  # fmt: skip
        assert (row.buying_role, row.stance, row.strength) == ("gatekeeper", "blocker", 0)
        assert cells(screen, "relationships-table")[0][2:4] == ["gatekeeper", "blocker"]
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        row = next(r for r in rel.relationship_map(demo_db, aid, TODAY).rows if r.contact_id == first.contact_id)  # fmt: skip
        assert (row.buying_role, row.stance, row.strength) == (first.buying_role, first.stance, first.strength)  # fmt: skip

        await pilot.press("v")  # the org tree: the same rows, in reports-to order
        await settle(app, pilot)
        names = [r.name for _, r in rel.org_tree(rmap.rows)]
        shown = [c[0].lstrip("│├└─ ") for c in cells(screen, "relationships-table")]
        assert [n[:8] for n in shown] == [n[:8] for n in names]
        await pilot.press("v")  # the peer coverage grid
        await settle(app, pilot)
        grid = str(screen.query_one("#rel-grid").render())
        assert "Stage 4" in grid and "management" in grid
        assert ("✓ pass" in grid) == (rmap.check == rel.PASS)


async def test_buying_map_template_move_edit_delete_and_undo(demo_db: Database) -> None:
    aid = bare_account(demo_db)
    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_section(app, pilot, aid, "buying")
        assert cells(screen, "buying-table") == []
        await pilot.press("t")
        await settle(app, pilot)
        steps = bm.list_steps(demo_db, aid)
        assert [s.milestone for s in steps] == [t[0] for t in bm.DEFAULT_TEMPLATE]
        assert len(cells(screen, "buying-table")) == len(steps)
        await pilot.press("ctrl+z")  # the template's milestones go in one undo
        await settle(app, pilot)
        assert bm.list_steps(demo_db, aid) == [] and cells(screen, "buying-table") == []
        await pilot.press("t")
        await settle(app, pilot)
        steps = bm.list_steps(demo_db, aid)
        await pilot.press("greater_than_sign")  # Need identified after Budget approved
        await settle(app, pilot)
        assert [s.milestone for s in bm.list_steps(demo_db, aid)][:2] == ["Budget approved", "Need identified"]  # fmt: skip
        assert screen.query_one("#buying-table").cursor_row == 1  # type: ignore[attr-defined]
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert [s.milestone for s in bm.list_steps(demo_db, aid)][:2] == ["Need identified", "Budget approved"]  # fmt: skip

        await pilot.press("e")  # milestone, owner, requires, our step, our owner, status, adapt
        await form(app, pilot, "enter", "enter", "enter", "enter", "enter", "ctrl+u", *"gap", "enter", *"Run discovery with their engineers", "enter")  # fmt: skip
        first = bm.list_steps(demo_db, aid)[0]
        assert first.gap and first.adapt == "Run discovery with their engineers"
        assert "≠" in cells(screen, "buying-table")[0][3]
        assert "1 gaps: Need identified" in str(screen.query_one("#buying-summary").render())
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await settle(app, pilot)
        assert len(bm.list_steps(demo_db, aid)) == len(steps) - 1
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert bm.list_steps(demo_db, aid)[0].gap
        assert len(cells(screen, "buying-table")) == len(steps)
        for _ in range(2):  # the edit, then the template: undo follows the row back
            await pilot.press("ctrl+z")
            await settle(app, pilot)
        assert bm.list_steps(demo_db, aid) == [] and cells(screen, "buying-table") == []


async def test_log_an_entry_updates_last_contact_and_follow_up_becomes_action(demo_db: Database) -> None:  # fmt: skip
    aid = bare_account(demo_db)
    contact = demo_db.fetch("SELECT name FROM contact WHERE account_id = ? ORDER BY name", [aid])[
        0
    ][0]
    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_section(app, pilot, aid, "log")
        assert contact in str(screen.query_one("#log-stale").render())  # never heard from
        before = len(cl.list_entries(demo_db, aid))
        await pilot.press("n")  # date (today), kind, their people, ours, summary, follow-up
        await form(app, pilot, "enter", "ctrl+u", *"call", "enter", *contact.lower(), "enter", "enter", *"Talked pricing", "enter", *"Send the offer", "enter")  # fmt: skip
        entries = cl.list_entries(demo_db, aid)
        assert len(entries) == before + 1
        assert (entries[0].happened_on, entries[0].kind, entries[0].contacts) == (TODAY, "call", (contact,))  # fmt: skip
        assert cells(screen, "log-table")[0][:3] == [TODAY.isoformat(), "call", contact]
        row = next(r for r in rel.relationship_map(demo_db, aid, TODAY).rows if r.name == contact)
        assert row.last_contact == TODAY and not row.stale
        await pilot.press("a")
        await form(app, pilot, "enter", "enter")
        assert cl.list_entries(demo_db, aid)[0].action == "Send the offer"
        assert cells(screen, "log-table")[0][-1] == "✓"
        await pilot.press("ctrl+z")  # the action goes; the entry stays, its follow-up open
        await settle(app, pilot)
        assert not demo_db.fetch("SELECT 1 FROM action WHERE title = 'Send the offer'")
        assert cl.list_entries(demo_db, aid)[0].action_id is None
        assert cells(screen, "log-table")[0][-1] == "…"
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await settle(app, pilot)
        assert len(cl.list_entries(demo_db, aid)) == before
        await pilot.press("ctrl+z")  # back, with who took part
        await settle(app, pilot)
        assert cl.list_entries(demo_db, aid)[0].contacts == (contact,)


async def test_sections_are_not_read_until_shown(demo_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """Opening the account reads nothing of the plan: each section reads when shown."""
    from kamtui.screens import account_swot

    calls: list[int] = []
    real = account_swot.read_swot
    monkeypatch.setattr(account_swot, "read_swot", lambda db, aid: calls.append(aid) or real(db, aid))  # fmt: skip
    aid = key_account(demo_db)
    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await app.push_screen(AccountScreen(aid))
        await settle(app, pilot)
        assert calls == []
        app.screen.query_one("#sections").active = "swot"  # type: ignore[attr-defined]
        await settle(app, pilot)
        assert calls == [aid]


# --- snapshots at 80×24 ------------------------------------------------------------------------


def _section_snapshot(section: str, keys: tuple[str, ...] = ()) -> Any:
    async def run_before(pilot: Any) -> None:
        from textual.widgets import Input

        app = pilot.app
        await settle(app, pilot)
        await pilot.press("enter")  # the first account of the list
        await settle(app, pilot)
        app.screen.query_one("#sections").active = section
        await settle(app, pilot)
        await settle(app, pilot)
        if keys:
            await pilot.press(*keys)
            await settle(app, pilot)
        for box in app.screen.query(Input):
            box.cursor_blink = False
        await pilot.pause()

    return run_before


@pytest.mark.parametrize(
    ("section", "keys"),
    [
        ("swot", ()),
        ("buying", ()),
        ("relationships", ()),
        ("relationships", ("v",)),
        ("relationships", ("v", "v")),
        ("log", ()),
    ],
    ids=["swot", "buying", "relationships", "org-tree", "coverage-grid", "log"],
)
def test_section_snapshot(demo_db, snap_compare, section, keys) -> None:  # type: ignore[no-untyped-def]
    app = make_app(demo_db, today=TODAY, welcome=False)
    assert snap_compare(app, terminal_size=SIZE, run_before=_section_snapshot(section, keys))
