"""The account plan's services: peer coverage and the stage-4 check (one definition),
staleness, SWOT, buying map, contact log, `kam plan`, undo of a contact's deletion, and
the 0005 upgrade of a database that holds data."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlmodel import select

from kamtui import models as m
from kamtui.cli import cli
from kamtui.errors import KamError, StaleError, ValidationError
from kamtui.services import buying_map as bm
from kamtui.services import contact_log as cl
from kamtui.services import lifecycle as lc
from kamtui.services import relationships as rel
from kamtui.services import swot
from kamtui.services.account_plan import account_plan, find_account
from kamtui.services.records import delete_contact, save_contact
from kamtui.services.undo import revert

pytestmark = pytest.mark.both_dbs
TODAY = dt.date(2026, 11, 16)


def T(contact: str, level: str, person: str | None = None, plevel: str | None = None) -> rel.Thread:
    return rel.Thread(contact, level, person, plevel)


# --- coverage rules ---------------------------------------------------------------------


def test_levels_fall_into_four_tiers() -> None:
    assert [rel.tier_of(lv) for lv in m.LEVELS] == [0, 1, 1, 2, 2, 3]
    assert rel.tier_of("nonsense") is None


def test_grid_flags_single_threaded_uncovered_and_too_junior_levels() -> None:
    grid = rel.coverage(
        [
            T("Pres", "executive", "Sam", "staff"),  # their president, our junior
            T("Chair", "board"),  # nobody of ours
            T("Buyer", "manager", "Jo", "manager"),
            T("Director", "director", "Alex", "executive"),
            T("Clerk", "staff", "Jo", "manager"),
        ]
    )
    by = {row.name: row for row in grid}
    assert by["board"].flags == ("no counterpart",)
    assert by["executive"].flags == ("counterpart too junior", "single-threaded")
    assert by["management"].flags == () and by["management"].people == ("Jo", "Alex")
    assert by["operational"].flags == ("single-threaded",) and by["operational"].peer
    assert rel.grid_check(grid) == rel.FAIL
    assert rel.check_reason(grid) == "no peer at board, executive"


def test_one_level_below_is_a_peer_two_is_not() -> None:
    assert rel.coverage([T("a", "executive", "x", "director")])[1].peer
    assert not rel.coverage([T("a", "executive", "x", "staff")])[1].peer
    assert not rel.coverage([T("a", "board", "x", "manager")])[0].peer


def test_stage_four_passes_with_peers_at_each_level_that_matters() -> None:
    ok = [T("a", "executive", "x", "executive"), T("b", "manager", "y", "manager")]
    assert rel.grid_check(rel.coverage(ok)) == rel.PASS
    # operational people without a peer do not fail it; a board member without one does
    assert rel.grid_check(rel.coverage([*ok, T("c", "staff")])) == rel.PASS
    assert rel.grid_check(rel.coverage([*ok, T("d", "board")])) == rel.FAIL
    # peers at one level only
    assert rel.grid_check(rel.coverage([T("a", "vp", "x", "vp")])) == rel.FAIL


def test_the_board_check_and_the_grid_agree_on_every_key_account(demo_db) -> None:  # type: ignore[no-untyped-def]
    rows = lc.board_rows(demo_db, TODAY)
    assert rows
    results = set()
    for row in rows:
        grid_result = rel.relationship_map(demo_db, row.id, TODAY).check
        assert dict(row.checks)[4] == grid_result, row.name
        results.add(grid_result)
    assert rel.PASS in results  # the demo has peers at some key accounts
    # their people keep only a junior counterpart: both fail, for the same reason
    first = rows[0].id
    with demo_db.session() as s:
        staff = m.Person(name="Junior Kim", level="staff")
        s.add(staff)
        s.flush()
        for c in s.exec(select(m.Contact).where(m.Contact.account_id == first)):
            c.counterpart_id = staff.id
            s.add(c)
    (row,) = lc.board_rows(demo_db, TODAY, first)
    assert dict(row.checks)[4] == rel.relationship_map(demo_db, first, TODAY).check == rel.FAIL


# --- staleness -----------------------------------------------------------------------------


def test_staleness_after_ninety_days_or_the_setting() -> None:
    assert rel.is_stale(None, TODAY)
    assert not rel.is_stale(TODAY - dt.timedelta(days=90), TODAY)
    assert rel.is_stale(TODAY - dt.timedelta(days=91), TODAY)
    assert not rel.is_stale(TODAY - dt.timedelta(days=100), TODAY, days=120)


def _account_with_contacts(db) -> int:  # type: ignore[no-untyped-def]
    from kamtui.services.accounts import create_account

    account = create_account(db, {"name": "Planco GmbH"}, status="key", today=TODAY)
    assert account.id is not None
    for name, level in (("Pia Boss", "executive"), ("Ole Buyer", "manager")):
        save_contact(db, account.id, None, None, {"name": name, "level": level})
    return account.id


def _contact(db, account_id: int, name: str) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    rows = db.fetch(
        "SELECT id, version FROM contact WHERE account_id = ? AND name = ?", [account_id, name]
    )
    return rows[0][0], rows[0][1]


def test_last_contact_comes_from_the_log_and_makes_stale(db) -> None:  # type: ignore[no-untyped-def]
    aid = _account_with_contacts(db)
    cl.save_entry(db, aid, None, None, {"happened_on": "2026-10-01", "kind": "meeting", "contacts": "pia boss", "people": "", "summary": "Kick-off"})  # fmt: skip
    cl.save_entry(db, aid, None, None, {"happened_on": "2026-06-01", "kind": "call", "contacts": "Pia Boss, Ole Buyer"})  # fmt: skip
    rmap = rel.relationship_map(db, aid, TODAY)
    by = {r.name: r for r in rmap.rows}
    assert by["Pia Boss"].last_contact == dt.date(2026, 10, 1) and not by["Pia Boss"].stale
    assert by["Ole Buyer"].last_contact == dt.date(2026, 6, 1) and by["Ole Buyer"].stale
    with db.session() as s:
        settings = s.get(m.Settings, 1) or m.Settings(id=1)
        settings.stale_after_days = 200
        s.add(settings)
    assert not rel.relationship_map(db, aid, TODAY).stale


# --- relationship editing -------------------------------------------------------------------


def test_relationship_saves_checks_names_and_refuses_loops(db) -> None:  # type: ignore[no-untyped-def]
    aid = _account_with_contacts(db)
    boss, boss_v = _contact(db, aid, "Pia Boss")
    buyer, buyer_v = _contact(db, aid, "Ole Buyer")
    rel.save_relationship(db, buyer, buyer_v, None, {"buying_role": "Technical buyer", "stance": "champion", "influence": "4", "reports_to": "pia boss", "strength": "2"})  # fmt: skip
    row = next(r for r in rel.relationship_map(db, aid, TODAY).rows if r.name == "Ole Buyer")
    assert (row.buying_role, row.stance, row.influence, row.reports_to, row.strength) == (
        "technical buyer", "champion", 4, "Pia Boss", 2,
    )  # fmt: skip
    with pytest.raises(ValidationError, match="loop"):
        rel.save_relationship(db, boss, boss_v, None, {"reports_to": "Ole Buyer"})
    with pytest.raises(ValidationError, match="Influence"):
        rel.save_relationship(db, boss, boss_v, None, {"influence": "6"})
    with pytest.raises(ValidationError, match="Stance"):
        rel.save_relationship(db, boss, boss_v, None, {"stance": "friendly"})
    with pytest.raises(ValidationError, match="nobody named"):
        rel.save_relationship(db, boss, boss_v, None, {"counterpart": "Nobody Here"})
    with pytest.raises(StaleError):
        rel.save_relationship(db, buyer, buyer_v, None, {"stance": "neutral"})  # row exists now
    tree = rel.org_tree(rel.relationship_map(db, aid, TODAY).rows)
    assert [(prefix, r.name) for prefix, r in tree] == [("", "Pia Boss"), ("└─ ", "Ole Buyer")]


def test_undoing_a_contact_deletion_brings_back_its_map_and_log(db) -> None:  # type: ignore[no-untyped-def]
    aid = _account_with_contacts(db)
    buyer, buyer_v = _contact(db, aid, "Ole Buyer")
    boss, _ = _contact(db, aid, "Pia Boss")
    rel.save_relationship(db, buyer, buyer_v, None, {"stance": "sceptic"})
    rel.save_relationship(db, boss, _contact(db, aid, "Pia Boss")[1], None, {"reports_to": "Ole Buyer"})  # fmt: skip
    cl.save_entry(db, aid, None, None, {"happened_on": "2026-11-01", "kind": "call", "contacts": "Ole Buyer"})  # fmt: skip
    bm.save_step(db, aid, None, None, {"milestone": "Trial", "owner": "Ole Buyer", "status": "gap"})

    def shown() -> list[tuple[str, dict[str, str], object]]:
        return [
            (r.name, r.values, r.last_contact) for r in rel.relationship_map(db, aid, TODAY).rows
        ]

    before = shown()
    with db.recording() as recorder:
        delete_contact(db, buyer)
    assert [r.name for r in rel.relationship_map(db, aid, TODAY).rows] == ["Pia Boss"]
    revert(db, recorder.change())
    assert shown() == before
    assert bm.list_steps(db, aid)[0].owner == "Ole Buyer"


# --- SWOT ------------------------------------------------------------------------------------


def test_swot_points_sort_by_priority_shift_and_flag(db) -> None:  # type: ignore[no-untyped-def]
    aid = _account_with_contacts(db)
    low = swot.save_point(db, aid, None, None, {"quadrant": "threat", "text": "New rival", "priority": "low", "perspective": "customer"})  # fmt: skip
    swot.save_point(db, aid, None, None, {"quadrant": "threat", "text": "Budget freeze", "priority": "medium", "perspective": "us"})  # fmt: skip
    assert [p.text for p in swot.by_quadrant(swot.list_points(db, aid))["threat"]] == ["Budget freeze", "New rival"]  # fmt: skip
    assert low.id is not None
    p = swot.shift_priority(db, low.id, low.version, +1)
    p = swot.shift_priority(db, low.id, p.version, +1)
    with pytest.raises(ValidationError, match="already High"):
        swot.shift_priority(db, low.id, p.version, +1)
    rows = swot.by_quadrant(swot.list_points(db, aid))["threat"]
    assert [r.text for r in rows] == ["New rival", "Budget freeze"] and rows[0].flagged
    action = swot.point_to_action(db, low.id, p.version, {"title": "", "due": "2026-12-01"}, TODAY)
    point = swot.list_points(db, aid)[0]
    assert point.action == "New rival" and not point.flagged and action.priority == "high"
    with pytest.raises(ValidationError, match="Quadrant"):
        swot.save_point(db, aid, None, None, {"quadrant": "risk", "text": "x"})


# --- buying map -------------------------------------------------------------------------------


def test_buying_map_template_order_and_saved_template(db) -> None:  # type: ignore[no-untyped-def]
    aid = _account_with_contacts(db)
    assert bm.apply_template(db, aid) == len(bm.DEFAULT_TEMPLATE)
    with pytest.raises(ValidationError, match="already"):
        bm.apply_template(db, aid)
    steps = bm.list_steps(db, aid)
    assert [s.milestone for s in steps][:2] == ["Need identified", "Budget approved"]
    moved = bm.move_step(db, steps[1].id, steps[1].version, -1)
    assert moved.position == 1
    assert [s.milestone for s in bm.list_steps(db, aid)][:2] == [
        "Budget approved",
        "Need identified",
    ]
    with pytest.raises(ValidationError, match="first"):
        first = bm.list_steps(db, aid)[0]
        bm.move_step(db, first.id, first.version, -1)
    bm.save_step(db, aid, first.id, first.version, {"owner": "Pia Boss", "our_owner": "", "status": "gap", "adapt": "Send the ROI model first"})  # fmt: skip
    assert bm.list_steps(db, aid)[0].gap and bm.list_steps(db, aid)[0].owner == "Pia Boss"
    with pytest.raises(ValidationError, match="no contact"):
        bm.save_step(db, aid, None, None, {"milestone": "X", "owner": "Stranger"})
    for s in bm.list_steps(db, aid)[2:]:
        bm.delete_step(db, s.id)
    assert bm.save_map_as_template(db, aid) == 2
    assert [t[0] for t in bm.get_template(db)] == ["Budget approved", "Need identified"]


# --- contact log -------------------------------------------------------------------------------


def test_log_entries_links_follow_up_and_delete(db) -> None:  # type: ignore[no-untyped-def]
    aid = _account_with_contacts(db)
    entry = cl.save_entry(db, aid, None, None, {"happened_on": "2026-11-02", "kind": "meeting", "contacts": "Pia Boss; Ole Buyer", "people": "", "summary": "QBR", "follow_up": "Send the deck"})  # fmt: skip
    (row,) = cl.list_entries(db, aid)
    assert row.contacts == ("Ole Buyer", "Pia Boss") and row.follow_up == "Send the deck"
    with pytest.raises(ValidationError, match="nobody named"):
        cl.save_entry(db, aid, entry.id, row.version, {"contacts": "Ghost"})
    with pytest.raises(ValidationError, match="Date"):
        cl.save_entry(db, aid, None, None, {"kind": "call"})
    cl.save_entry(db, aid, entry.id, row.version, {"contacts": "Pia Boss"})
    (row,) = cl.list_entries(db, aid)
    assert row.contacts == ("Pia Boss",)
    action = cl.follow_up_to_action(db, row.id, row.version, {"title": "", "due": ""}, TODAY)
    assert action.title == "Send the deck" and cl.list_entries(db, aid)[0].action == "Send the deck"
    with db.recording() as recorder:
        cl.delete_entry(db, row.id)
    assert cl.list_entries(db, aid) == []
    revert(db, recorder.change())
    assert cl.list_entries(db, aid)[0].contacts == ("Pia Boss",)


# --- kam plan -------------------------------------------------------------------------------------


def test_plan_of_a_demo_key_account_has_all_three_sections_filled(demo_db) -> None:  # type: ignore[no-untyped-def]
    _aid, name = demo_db.fetch("SELECT id, name FROM account WHERE status = 'key' ORDER BY id LIMIT 1")[0]  # fmt: skip
    text = account_plan(demo_db, name.upper(), TODAY)
    assert text.startswith(f"# Account plan: {name}\n")
    for heading in ("## SWOT", "## Buying process ↔ selling process", "## Relationship map"):
        assert f"\n{heading}\n" in text
        section = text.split(f"\n{heading}\n", 1)[1].split("\n## ", 1)[0]
        assert "yet (" not in section, heading  # not the empty text
    assert "**High**" in text or "**Medium**" in text
    assert "Stage-4 check" in text and "| board |" in text
    assert "revenue-to-cost" in text and "Score:" in text


def test_find_account_by_external_id_and_refusals(demo_db) -> None:  # type: ignore[no-untyped-def]
    aid, name, ext = demo_db.fetch("SELECT id, name, external_id FROM account ORDER BY id LIMIT 1")[0]  # fmt: skip
    assert find_account(demo_db, ext.lower()) == (aid, name)
    with pytest.raises(KamError, match="no account named 'Nowhere Ltd'"):
        find_account(demo_db, "Nowhere Ltd")
    other = demo_db.fetch("SELECT name FROM account WHERE id != ? ORDER BY id LIMIT 1", [aid])[0][0]
    with demo_db.session() as s:  # an account named like another's external id
        a = s.get(m.Account, aid)
        assert a is not None
        a.external_id = other
    with pytest.raises(KamError, match="more than one account"):
        find_account(demo_db, other)


def test_cli_plan_prints_writes_and_refuses_in_one_line(demo_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    name = demo_db.fetch("SELECT name FROM account WHERE status = 'key' ORDER BY id LIMIT 1")[0][0]
    arg = str(demo_db.path) if demo_db.path is not None else str(demo_db.url)
    runner = CliRunner()
    result = runner.invoke(cli, ["--db", arg, "plan", name])
    assert result.exit_code == 0, result.output
    assert "## Relationship map" in result.output
    out = tmp_path / "plan.md"
    result = runner.invoke(cli, ["--db", arg, "plan", name, "--out", str(out)])
    assert result.exit_code == 0 and out.read_text().startswith("# Account plan:")
    assert (out.stat().st_mode & 0o777) == 0o600
    result = runner.invoke(cli, ["--db", arg, "plan", "No Such Account"])
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert result.output.strip().count("\n") == 0 and "no account named" in result.output


# --- the upgrade --------------------------------------------------------------------------------


def test_upgrade_to_0005_keeps_every_row(tmp_path: Path, backend: str) -> None:
    from kamtui.migrations import HEAD as head

    if backend != "sqlite":
        pytest.skip("the SQLite file upgrade; PostgreSQL runs the same script in test_team_mode")
    from battery_helpers import add_rows_0001, at_revision

    from kamtui import migrate
    from kamtui.db import Database

    path = tmp_path / "old.db"
    at_revision(path, "0004")
    add_rows_0001(path)
    conn = sqlite3.connect(path)
    before = {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in ("account", "contact", "settings")}  # fmt: skip
    conn.close()
    db = Database.for_file(path)
    migrate.open_database(db)
    assert migrate.read_state(db).revision == head  # through 0005 and on
    conn = sqlite3.connect(path)
    for table, rows in before.items():
        after = conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
        if table == "settings":
            after = [r[: len(rows[0])] if rows else r for r in after]
        assert after == rows, table
    conn.close()
    aid = db.fetch("SELECT id FROM account ORDER BY id LIMIT 1")[0][0]
    cid, cv = db.fetch("SELECT id, version FROM contact WHERE account_id = ?", [aid])[0]
    rel.save_relationship(db, cid, cv, None, {"stance": "champion"})
    assert rel.relationship_map(db, aid, TODAY).rows[0].stance == "champion"
    db.close()


def test_the_stale_period_is_a_setting(db) -> None:  # type: ignore[no-untyped-def]
    from kamtui.services.records import get_settings, save_settings

    assert rel.stale_after(db) == rel.STALE_DAYS
    save_settings(db, get_settings(db).version, {"stale_after_days": "30"})
    assert rel.stale_after(db) == 30
    save_settings(db, get_settings(db).version, {"stale_after_days": ""})
    assert rel.stale_after(db) == rel.STALE_DAYS


def test_undoing_twice_on_one_row_follows_its_versions(db) -> None:  # type: ignore[no-untyped-def]
    """Raise a priority twice, then undo three times: each undo applies (the row's new
    version after an undo is not a change made elsewhere); a real change elsewhere still
    refuses."""
    from kamtui.services.undo import UndoLabel, UndoStack

    aid = _account_with_contacts(db)
    stack = UndoStack()

    def step(fn, *args):  # type: ignore[no-untyped-def]
        with db.recording() as recorder:
            result = fn(db, *args)
        stack.push(UndoLabel("x", "a", "b"), recorder.change())
        return result

    point = step(swot.save_point, aid, None, None, {"quadrant": "threat", "text": "Rival", "priority": "low"})  # fmt: skip
    point = step(swot.shift_priority, point.id, point.version, 1)
    point = step(swot.shift_priority, point.id, point.version, 1)
    assert swot.list_points(db, aid)[0].priority == "high"
    stack.undo(db)
    assert swot.list_points(db, aid)[0].priority == "medium"
    stack.undo(db)
    assert swot.list_points(db, aid)[0].priority == "low"
    stack.redo(db)
    stack.redo(db)
    assert swot.list_points(db, aid)[0].priority == "high"
    stack.undo(db)
    stack.undo(db)
    stack.undo(db)
    assert swot.list_points(db, aid) == []
    # a change elsewhere between two of ours is still refused
    point = step(swot.save_point, aid, None, None, {"quadrant": "threat", "text": "Rival", "priority": "low"})  # fmt: skip
    point = step(swot.shift_priority, point.id, point.version, 1)
    other = swot.shift_priority(db, point.id, point.version, 1)  # another program
    swot.shift_priority(db, point.id, other.version, -1)
    with pytest.raises(StaleError):
        stack.undo(db)


def test_undo_after_undoing_a_delete_follows_the_row_back(db) -> None:  # type: ignore[no-untyped-def]
    from kamtui.services.undo import UndoLabel, UndoStack

    aid = _account_with_contacts(db)
    stack = UndoStack()

    def step(fn, *args):  # type: ignore[no-untyped-def]
        with db.recording() as recorder:
            result = fn(db, *args)
        stack.push(UndoLabel("x", "a", "b"), recorder.change())
        return result

    entry = step(cl.save_entry, aid, None, None, {"happened_on": "2026-11-02", "contacts": "Pia Boss", "follow_up": "Call back"})  # fmt: skip
    step(cl.follow_up_to_action, entry.id, cl.list_entries(db, aid)[0].version, {}, TODAY)
    step(cl.delete_entry, entry.id)
    stack.undo(db)  # the entry is back
    stack.undo(db)  # its action goes
    assert cl.list_entries(db, aid)[0].action_id is None
    stack.undo(db)  # the entry goes
    assert cl.list_entries(db, aid) == []


# --- the plan's early warnings (view 1, kam alerts) -------------------------------------------


def test_warnings_name_a_decision_maker_not_contacted_and_an_unanswered_high_threat(db) -> None:  # type: ignore[no-untyped-def]
    from kamtui.services.early_warnings import all_alerts

    aid = _account_with_contacts(db)
    pia, pia_v = _contact(db, aid, "Pia Boss")
    rel.save_relationship(db, pia, pia_v, None, {"buying_role": "decision maker"})

    def plan_alerts() -> list[str]:
        found = all_alerts(db, TODAY)
        return [a.reason for a in found if a.rule in ("decision_maker", "threat_unanswered")]

    assert plan_alerts() == ["decision maker Pia Boss never contacted (no contact-log entry)"]
    cl.save_entry(db, aid, None, None, {"happened_on": "2026-07-01", "kind": "call", "contacts": "Pia Boss"})  # fmt: skip
    assert plan_alerts() == ["decision maker Pia Boss not contacted for 138 days (last 2026-07-01)"]
    cl.save_entry(db, aid, None, None, {"happened_on": "2026-11-01", "kind": "meeting", "contacts": "Pia Boss"})  # fmt: skip
    assert plan_alerts() == []  # 15 days: within the 90-day threshold
    point = swot.save_point(db, aid, None, None, {"quadrant": "threat", "text": "Rival undercuts by 20 %", "priority": "high", "perspective": "customer"})  # fmt: skip
    swot.save_point(db, aid, None, None, {"quadrant": "threat", "text": "Minor", "priority": "low", "perspective": "customer"})  # fmt: skip
    assert plan_alerts() == ["High threat with no open action (“Rival undercuts by 20 %”)"]
    assert point.id is not None
    swot.point_to_action(db, point.id, point.version, {"title": "", "due": "2026-12-20"}, TODAY)
    assert plan_alerts() == []  # answered by an open action, as the SWOT's ⚑ says
