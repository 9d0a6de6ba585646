"""The accounts services, without Textual."""

from __future__ import annotations

import datetime as dt

import pytest

from kamtui.errors import KamError, StaleError, ValidationError
from kamtui.services import accounts as svc
from kamtui.services import records
from kamtui.services.demo import build_demo

pytestmark = pytest.mark.both_dbs  # SQLite and PostgreSQL (conftest.py)

TODAY = dt.date(2026, 11, 16)


def make(db, name: str = "Acme GmbH", **raw: str):  # type: ignore[no-untyped-def]
    return svc.create_account(db, {"name": name, **raw}, today=TODAY)


def test_create_records_first_status(db) -> None:  # type: ignore[no-untyped-def]
    account = make(db, industry="Logistics")
    history = svc.status_history(db, account.id)
    assert [(h.old_status, h.new_status) for h in history] == [(None, "prospect")]
    assert svc.get_account(db, account.id).industry == "Logistics"


@pytest.mark.parametrize("name", ["acme gmbh", "ACME GMBH", "  Acme GmbH  "])
def test_names_are_unique_whatever_the_case(db, name: str) -> None:  # type: ignore[no-untyped-def]
    make(db)
    with pytest.raises(ValidationError, match="exists already") as err:
        make(db, name)
    assert err.value.field == "name"
    assert svc.count_accounts(db) == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "   ", "cannot be empty"),
        ("employees", "-4", "cannot be negative"),
        ("employees", "many", "not a whole number"),
        ("annual_revenue_minor", "12 Mio", "not an amount"),
        ("next_review", "31/12/2026", "not a date"),
        ("why_buy", "luck", "not one of"),
        ("review_cadence", "weekly", "not one of"),
        ("strength_of_position", "9", "from 1 to 5"),
        ("owner", "Nobody Known", "no person named"),
        ("parent", "Ghost Corp", "no parent account named"),
    ],
)
def test_bad_edits_save_nothing(db, field: str, value: str, message: str) -> None:  # type: ignore[no-untyped-def]
    account = make(db, employees="10")
    with pytest.raises(ValidationError, match=message) as err:
        svc.update_account(db, account.id, account.version, {field: value})
    assert err.value.field == field
    again = svc.get_account(db, account.id)
    assert again.version == account.version
    assert again.employees == 10 and again.name == "Acme GmbH"


def test_good_edit_saves_and_bumps_version(db) -> None:  # type: ignore[no-untyped-def]
    records.save_person(db, None, None, {"name": "Sam Patel", "level": "manager"})
    parent = make(db, "Parent Holdings")
    account = make(db)
    saved = svc.update_account(
        db,
        account.id,
        account.version,
        {"employees": "1,200", "annual_revenue_minor": "$2,500,000.50", "owner": "sam patel"},
    )
    saved = svc.update_account(db, account.id, saved.version, {"parent": "parent holdings"})
    fresh = svc.get_account(db, account.id)
    assert fresh.employees == 1200
    assert fresh.annual_revenue_minor == 250000050
    assert fresh.parent_id == parent.id
    assert fresh.version == account.version + 2
    assert svc.lookups_for(db, fresh) == {"parent": "Parent Holdings", "owner": "Sam Patel"}


def test_parent_loops_are_refused(db) -> None:  # type: ignore[no-untyped-def]
    a = make(db, "A")
    b = make(db, "B", parent="A")
    with pytest.raises(ValidationError, match="loop"):
        svc.update_account(db, a.id, a.version, {"parent": "B"})
    with pytest.raises(ValidationError, match="own parent"):
        svc.update_account(db, b.id, b.version, {"parent": "B"})


def test_stale_edit_is_refused_not_overwritten(db) -> None:  # type: ignore[no-untyped-def]
    account = make(db)
    svc.update_account(db, account.id, account.version, {"city": "Hamburg"})
    with pytest.raises(StaleError):
        svc.update_account(db, account.id, account.version, {"city": "Bremen"})
    assert svc.get_account(db, account.id).city == "Hamburg"


def test_status_change_needs_a_reason_and_is_kept(db) -> None:  # type: ignore[no-untyped-def]
    account = make(db)
    with pytest.raises(ValidationError, match="say why"):
        svc.change_status(db, account.id, account.version, "target", "  ", TODAY)
    with pytest.raises(ValidationError, match="not one of"):
        svc.change_status(db, account.id, account.version, "vip", "because", TODAY)
    changed = svc.change_status(
        db, account.id, account.version, "target", "fits our profile", TODAY
    )
    assert changed.status == "target" and changed.status_since == TODAY
    history = svc.status_history(db, account.id)
    assert (history[0].old_status, history[0].new_status, history[0].reason) == (
        "prospect",
        "target",
        "fits our profile",
    )


def test_delete_says_what_goes_with_it_and_cascades(db) -> None:  # type: ignore[no-untyped-def]
    account = make(db)
    child = make(db, "Child Ltd", parent="Acme GmbH")
    records.save_contact(db, account.id, None, None, {"name": "Eva Keller", "level": "vp"})
    records.save_period(
        db, account.id, None, None,
        {"period": "2026-Q1", "revenue_minor": "100", "cost_to_serve_minor": "10", "gross_profit_minor": "30"},
    )  # fmt: skip
    impact = svc.deletion_impact(db, account.id)
    assert "1 contact" in impact and "1 period of economics" in impact
    assert "1 child account lose their parent" in impact
    svc.delete_account(db, account.id)
    assert db.fetch("SELECT COUNT(*) FROM contact")[0][0] == 0
    assert db.fetch("SELECT COUNT(*) FROM account_period")[0][0] == 0
    assert svc.get_account(db, child.id).parent_id is None
    assert db.check() == []


def test_periods_validate_and_feed_the_list(db) -> None:  # type: ignore[no-untyped-def]
    account = make(db)
    base = {"revenue_minor": "1,000", "cost_to_serve_minor": "250", "gross_profit_minor": "400"}
    for period in ("2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3", "2025-Q3", "2026-Q4"):
        records.save_period(db, account.id, None, None, {"period": period, **base})
    with pytest.raises(ValidationError, match="has that period already"):
        records.save_period(db, account.id, None, None, {"period": "2026-q1", **base})
    with pytest.raises(ValidationError, match="cannot be negative"):
        records.save_period(
            db, account.id, None, None, {**base, "period": "2024-Q1", "revenue_minor": "-5"}
        )
    [row] = svc.list_rows(db, TODAY)
    # only the four complete quarters before 2026-Q4 count
    assert (row.revenue, row.profit, row.cost) == (400000, 160000, 100000)
    assert row.ratio == 4.0


def test_demo_is_deterministic_and_shaped_like_a_real_portfolio(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from kamtui.db import Database
    from kamtui.migrate import open_database

    dbs = []
    for name in ("a.db", "b.db"):
        database = Database.for_file(tmp_path / name)
        open_database(database)
        build_demo(database, accounts=1000, seed=11, today=TODAY)
        dbs.append(database)
    rows = svc.list_rows(dbs[0], TODAY)
    assert [r.name for r in rows] == [r.name for r in svc.list_rows(dbs[1], TODAY)]
    assert {r.status for r in rows} == {"prospect", "target", "customer", "key", "former"}
    profits = sorted((r.profit for r in rows if r.status in ("customer", "key")), reverse=True)
    top = profits[: len(profits) // 5]
    assert 0.65 <= sum(top) / sum(profits) <= 0.92  # about 80/20
    assert any(r.cost > r.profit > 0 for r in rows), (
        "some accounts cost more to serve than they earn"
    )
    with pytest.raises(KamError, match="holds 1000 accounts already"):
        build_demo(dbs[0], accounts=10, today=TODAY)
    for database in dbs:
        assert database.check() == []
        database.close()
