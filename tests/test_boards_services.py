"""Lifecycle and attack-plan services, without Textual."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kamtui.errors import KamError, StaleError, ValidationError
from kamtui.services import lifecycle as lc
from kamtui.services import plans
from kamtui.services.accounts import change_status, create_account, get_account, update_account
from kamtui.services.plan_report import status_report

pytestmark = pytest.mark.both_dbs  # SQLite and PostgreSQL (conftest.py)

TODAY = dt.date(2026, 11, 16)


def _key_account(db, name: str = "Acme"):  # type: ignore[no-untyped-def]
    account = create_account(db, {"name": name}, today=TODAY)
    return change_status(db, account.id, account.version, "key", "big", TODAY)


# --- lifecycle ---------------------------------------------------------------------------


def test_move_records_history_and_updates_the_account(db) -> None:  # type: ignore[no-untyped-def]
    a = _key_account(db)
    a = lc.move_stage(db, a.id, a.version, 3, "KAM assigned", TODAY - dt.timedelta(days=40))
    moved = lc.move_stage(db, a.id, a.version, 4, "presidents met", TODAY)
    assert (moved.stage, moved.stage_since) == (4, TODAY)
    history = lc.stage_history(db, a.id)
    assert [(h.from_stage, h.to_stage, h.note) for h in history] == [
        (3, 4, "presidents met"),
        (None, 3, "KAM assigned"),
    ]
    assert history[0].moved_at.date() == TODAY
    spent = lc.time_in_stages(history, moved.stage, moved.stage_since, TODAY + dt.timedelta(days=5))
    assert spent == {3: 40, 4: 5}
    assert lc.time_in_stages([], None, None, TODAY) == {}
    assert lc.time_in_stages([], 2, TODAY - dt.timedelta(days=9), TODAY) == {2: 9}


def test_stale_or_pointless_moves_change_nothing(db) -> None:  # type: ignore[no-untyped-def]
    a = _key_account(db)
    old_version = a.version
    a = lc.move_stage(db, a.id, a.version, 2, "", TODAY)
    with pytest.raises(StaleError):
        lc.move_stage(db, a.id, old_version, 3, "", TODAY)
    with pytest.raises(ValidationError):
        lc.move_stage(db, a.id, a.version, 2, "", TODAY)
    with pytest.raises(ValidationError):
        lc.move_stage(db, a.id, a.version, 7, "", TODAY)
    assert get_account(db, a.id).stage == 2
    assert len(lc.stage_history(db, a.id)) == 1


def test_receivables_check() -> None:
    growing_with_revenue = [(100, 50), (120, 60), (150, 75)]
    outgrowing = [(100, 50), (110, 70), (120, 90)]
    assert lc.receivables_check(growing_with_revenue) == lc.PASS
    assert lc.receivables_check(outgrowing) == lc.FAIL
    assert lc.receivables_check([(100, 50)]) == lc.UNKNOWN


def test_relationship_and_review_checks() -> None:
    # (their level, our counterpart's level): peers at two levels pass
    assert lc.relationship_check([("executive", "executive"), ("manager", "director")]) == lc.PASS
    # one level below is still a peer; two below is not (their president, our junior)
    assert lc.relationship_check([("vp", "director"), ("manager", "staff")]) == lc.PASS
    assert lc.relationship_check([("executive", "staff"), ("manager", "manager")]) == lc.FAIL
    # counterparts at only one level, or a level that matters without one
    assert lc.relationship_check([("executive", "executive"), ("vp", "vp")]) == lc.FAIL
    assert lc.relationship_check([("board", None), ("vp", "vp"), ("manager", "manager")]) == lc.FAIL
    assert lc.review_check(TODAY, TODAY) == lc.PASS
    assert lc.review_check(TODAY - dt.timedelta(days=1), TODAY) == lc.FAIL
    assert lc.review_check(None, TODAY) == lc.FAIL


def test_board_rows_derive_checks_from_data(db) -> None:  # type: ignore[no-untyped-def]
    a = _key_account(db)
    [row] = lc.board_rows(db, TODAY)
    checks = dict(row.checks)
    assert row.stage is None and row.column == 1
    assert checks[1] == lc.FAIL and checks[3] == lc.FAIL and checks[6] == lc.PASS
    assert row.failed == [1]  # only checks up to the card's stage warn
    update_account(db, a.id, get_account(db, a.id).version, {"why_buy": "quality"})
    [row] = lc.board_rows(db, TODAY)
    assert dict(row.checks)[1] == lc.PASS and row.failed == []
    plans.create_action(db, {"title": "Call", "account": "Acme", "due": "2026-11-01"}, TODAY)
    [row] = lc.board_rows(db, TODAY)
    assert dict(row.checks)[6] == lc.FAIL


def test_demo_places_key_accounts_in_stages(demo_db) -> None:  # type: ignore[no-untyped-def]
    rows = lc.board_rows(demo_db, TODAY)
    assert rows and all(r.stage is None or 1 <= r.stage <= 6 for r in rows)
    staged = [r for r in rows if r.stage]
    assert staged
    for r in staged:
        assert lc.stage_history(demo_db, r.id)[0].to_stage == r.stage


# --- plans ---------------------------------------------------------------------------------


def test_kr_progress() -> None:
    assert plans.kr_progress(Decimal(100), Decimal(200), Decimal(150)) == Decimal("0.5")
    assert plans.kr_progress(Decimal(60), Decimal(40), Decimal(50)) == Decimal("0.5")  # down is up
    assert plans.kr_progress(Decimal(0), Decimal(10), Decimal(20)) == 1
    assert plans.kr_progress(None, Decimal(10), None) is None


def test_objective_progress_counts_actions(db) -> None:  # type: ignore[no-untyped-def]
    _key_account(db)
    plans.create_objective(
        db,
        {"title": "Grow", "account": "acme", "baseline": "100", "target": "200", "current": "175"},
    )
    for title in ("One", "Two", "Three"):
        plans.create_action(db, {"title": title, "account": "Acme", "objective": "grow"}, TODAY)
    first = plans.list_actions(db, TODAY)[0]
    plans.move_action(db, first.id, first.version, "done", TODAY)
    [o] = plans.list_objectives(db)
    assert (o.actions, o.actions_done) == (3, 1)
    assert o.kr_share == Decimal("0.75")
    assert o.progress_text() == "KR 75% · actions 1/3"


def test_action_validation_names_the_field(db) -> None:  # type: ignore[no-untyped-def]
    _key_account(db)
    with pytest.raises(ValidationError) as err:
        plans.create_action(db, {"title": "x", "account": "Nobody"}, TODAY)
    assert err.value.field == "account"
    with pytest.raises(ValidationError) as err:
        plans.create_action(db, {"title": "x", "account": "Acme", "due": "soon"}, TODAY)
    assert err.value.field == "due"
    with pytest.raises(ValidationError) as err:
        plans.create_action(db, {"title": "x", "account": "Acme", "objective": "nope"}, TODAY)
    assert err.value.field == "objective"
    assert plans.list_actions(db, TODAY) == []


def test_done_date_follows_the_status(db) -> None:  # type: ignore[no-untyped-def]
    _key_account(db)
    row = plans.create_action(db, {"title": "Visit", "account": "Acme"}, TODAY)
    assert (row.status, row.done_on) == ("todo", None)
    done = plans.move_action(db, row.id, row.version, "done", TODAY)
    assert done.done_on == TODAY
    with pytest.raises(StaleError):
        plans.move_action(db, row.id, row.version, "doing", TODAY)
    back = plans.move_action(db, done.id, done.version, "doing", TODAY)
    assert (back.status, back.done_on) == ("doing", None)


def test_filters_pages_and_positions_agree(demo_db) -> None:  # type: ignore[no-untyped-def]
    overdue = plans.ActionFilter(overdue=True)
    counts = plans.column_counts(demo_db, overdue, TODAY)
    assert counts["done"] == (0, 0)
    assert sum(n for n, _ in counts.values()) > 0
    for status in plans.OPEN:
        n, late = counts[status]
        assert n == late
        page = plans.action_page(demo_db, status, overdue, TODAY, 0, 1000)
        assert len(page) == n and all(r.overdue(TODAY) for r in page)
    everything = plans.ActionFilter()
    todo = plans.action_page(demo_db, "todo", everything, TODAY, 0, 10_000)
    dues = [r.due for r in todo if r.due is not None]
    assert dues == sorted(dues)
    for i in (0, 3, len(todo) - 1):
        assert plans.position_of(demo_db, todo[i], everything, TODAY) == i
    # pages join up exactly
    assert plans.action_page(demo_db, "todo", everything, TODAY, 5, 5) == todo[5:10]


def test_week_and_owner_filters(db) -> None:  # type: ignore[no-untyped-def]
    _key_account(db)
    monday, sunday = plans.week_bounds(TODAY)
    assert monday.weekday() == 0 and monday <= TODAY <= sunday
    plans.create_action(
        db, {"title": "This week", "account": "Acme", "due": sunday.isoformat()}, TODAY
    )
    plans.create_action(db, {"title": "Later", "account": "Acme", "due": "2027-01-01"}, TODAY)
    flt, text = plans.parse_filter(db, {"week": "yes"})
    assert text == "due this week"
    assert [r.title for r in plans.action_page(db, "todo", flt, TODAY, 0, 10)] == ["This week"]
    with pytest.raises(ValidationError) as err:
        plans.parse_filter(db, {"owner": "Nobody"})
    assert err.value.field == "owner"


def test_status_report_lists_overdue_first(db) -> None:  # type: ignore[no-untyped-def]
    _key_account(db)
    plans.create_objective(db, {"title": "Grow", "account": "Acme", "target": "10", "current": "5"})
    plans.create_action(db, {"title": "Late one", "account": "Acme", "due": "2026-10-01"}, TODAY)
    plans.create_action(db, {"title": "Fine one", "account": "Acme", "due": "2026-12-01"}, TODAY)
    text = status_report(db, TODAY, "acme")
    assert text.startswith("# Attack plan status report: Acme")
    assert "| Grow |" in text and "50%" in text
    assert text.index("Late one") < text.index("Fine one")
    assert "### Overdue (1)" in text and "## Who owns what" in text
    with pytest.raises(KamError):
        status_report(db, TODAY, "nobody")
