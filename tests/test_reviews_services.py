"""Review scheduling, carrying actions forward and completion — without Textual."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from kamtui import models as m
from kamtui.errors import KamError, StaleError, ValidationError
from kamtui.services import reviews as rv
from kamtui.services.accounts import create_account, get_account

pytestmark = pytest.mark.both_dbs  # SQLite and PostgreSQL (conftest.py)

D = dt.date


# --- scheduling rules --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("held", "cadence", "expected"),
    [
        (D(2026, 1, 31), "monthly", D(2026, 2, 28)),
        (D(2028, 1, 31), "monthly", D(2028, 2, 29)),  # leap year
        (D(2026, 11, 30), "quarterly", D(2027, 2, 28)),
        (D(2027, 11, 30), "quarterly", D(2028, 2, 29)),
        (D(2026, 8, 31), "half-yearly", D(2027, 2, 28)),
        (D(2026, 12, 15), "monthly", D(2027, 1, 15)),
        (D(2026, 10, 31), "quarterly", D(2027, 1, 31)),
        (D(2026, 5, 20), "none", None),
    ],
)
def test_next_review_follows_the_last_one_held(
    held: dt.date, cadence: str, expected: dt.date | None
) -> None:
    assert rv.next_after(held, cadence) == expected


def test_unknown_cadence_is_refused() -> None:
    with pytest.raises(ValidationError, match="Cadence"):
        rv.next_after(D(2026, 1, 1), "weekly")


def test_reschedule_after_a_cadence_change() -> None:
    today = D(2026, 11, 16)
    # held on Sep 30: monthly → Oct 30 (overdue, and honestly so); half-yearly → Mar 30
    assert rv.reschedule("monthly", D(2026, 9, 30), D(2026, 12, 30), today) == D(2026, 10, 30)
    assert rv.reschedule("half-yearly", D(2026, 9, 30), D(2026, 12, 30), today) == D(2027, 3, 30)
    # never reviewed: within one cadence from today, or sooner if already set
    assert rv.reschedule("quarterly", None, None, today) == D(2027, 2, 16)
    assert rv.reschedule("quarterly", None, D(2026, 12, 1), today) == D(2026, 12, 1)
    assert rv.reschedule("none", D(2026, 9, 30), D(2026, 12, 30), today) is None


def test_due_words_carry_a_glyph_not_only_colour() -> None:
    today = D(2026, 11, 16)
    assert rv.due_text(D(2026, 11, 4), today) == "⚠ overdue 12d"
    assert rv.due_text(today, today) == "● due today"
    assert rv.due_text(D(2026, 11, 24), today) == "◆ due in 8d"
    assert rv.due_state(D(2026, 11, 30), today) == "month"
    assert rv.due_text(D(2026, 12, 26), today) == "in 40d"
    assert rv.due_state(D(2026, 12, 1), today) == "upcoming"


# --- a key account with a history ---------------------------------------------------------


def _key_account(db, today, cadence: str = "quarterly") -> int:  # type: ignore[no-untyped-def]
    from kamtui.services.records import save_person

    save_person(db, None, None, {"name": "Sam Patel"})
    account = create_account(
        db, {"name": "Acme GmbH", "owner": "Sam Patel", "review_cadence": cadence},
        status="key", today=today,
    )  # fmt: skip
    assert account.id is not None
    return account.id


def _complete(db, review_id: int, today: dt.date, **raw: str) -> rv.Completed:  # type: ignore[no-untyped-def]
    version = rv.get_review(db, review_id).version
    return rv.complete_review(db, review_id, version, raw, today)


def test_set_schedule_by_hand_and_by_cadence(db, today) -> None:  # type: ignore[no-untyped-def]
    aid = _key_account(db, today, cadence="none")
    account = get_account(db, aid)
    account = rv.set_schedule(db, aid, account.version, {"review_cadence": "monthly"}, today)
    assert account.next_review == D(2026, 12, 16)
    account = rv.set_schedule(db, aid, account.version, {"next_review": "2026-12-02"}, today)
    assert account.next_review == D(2026, 12, 2)
    # a change of cadence to a longer one keeps the sooner date already set
    account = rv.set_schedule(db, aid, account.version, {"review_cadence": "quarterly"}, today)
    assert (account.review_cadence, account.next_review) == ("quarterly", D(2026, 12, 2))
    account = rv.set_schedule(db, aid, account.version, {"review_cadence": "none"}, today)
    assert account.next_review is None
    with pytest.raises(StaleError):
        rv.set_schedule(db, aid, account.version - 1, {"review_cadence": "monthly"}, today)
    with pytest.raises(ValidationError, match="Next review"):
        rv.set_schedule(db, aid, account.version, {"next_review": "2026-02-30"}, today)
    assert get_account(db, aid).next_review is None  # nothing changed


def test_completing_schedules_the_next_review_from_the_date_held(db, today) -> None:  # type: ignore[no-untyped-def]
    aid = _key_account(db, today)
    review_id = rv.start_review(db, aid, today)
    done = _complete(db, review_id, today, held_on="2026-08-31", rating="4", summary="Fine.")
    assert done.next_review == D(2026, 11, 30)
    account = get_account(db, aid)
    assert account.next_review == D(2026, 11, 30)
    detail = rv.get_review(db, review_id)
    assert (detail.status, detail.held_on, detail.rating, detail.summary) == (
        "done", D(2026, 8, 31), 4, "Fine."
    )  # fmt: skip
    # a completed review is kept as it was
    with pytest.raises(KamError, match="completed"):
        rv.toggle_item(db, detail.items[0].id)
    # and it is listed in the reviews due, with its last rating
    row = next(r for r in rv.list_due(db, today) if r.account_id == aid)
    assert (row.next_review, row.last_held, row.last_rating) == (D(2026, 11, 30), D(2026, 8, 31), 4)


def test_completion_needs_a_rating_and_a_date_not_in_the_future(db, today) -> None:  # type: ignore[no-untyped-def]
    aid = _key_account(db, today)
    review_id = rv.start_review(db, aid, today)
    with pytest.raises(ValidationError, match="Satisfaction"):
        _complete(db, review_id, today, summary="x")
    with pytest.raises(ValidationError, match="future"):
        _complete(db, review_id, today, rating="3", held_on="2026-11-17")
    assert rv.get_review(db, review_id).status == "open"
    assert get_account(db, aid).next_review is None


def test_review_starts_from_the_template_and_reopens_the_open_one(db, today) -> None:  # type: ignore[no-untyped-def]
    aid = _key_account(db, today)
    review_id = rv.start_review(db, aid, today)
    detail = rv.get_review(db, review_id)
    assert [i.text for i in detail.items] == list(rv.DEFAULT_TEMPLATE)
    assert rv.start_review(db, aid, today) == review_id
    rv.save_template(db, ["Coffee", "  ", "Agree next actions"])
    assert json.loads(db.fetch("SELECT review_template FROM settings")[0][0]) == [
        "Coffee", "Agree next actions"
    ]  # fmt: skip
    with pytest.raises(ValidationError):
        rv.save_template(db, ["", " "])
    _complete(db, review_id, today, rating="5")
    second = rv.start_review(db, aid, today)
    assert [i.text for i in rv.get_review(db, second).items] == ["Coffee", "Agree next actions"]


def test_ticking_notes_ad_hoc_items_and_rating(db, today) -> None:  # type: ignore[no-untyped-def]
    aid = _key_account(db, today)
    review_id = rv.start_review(db, aid, today)
    first = rv.get_review(db, review_id).items[0]
    rv.toggle_item(db, first.id, first.version)
    with pytest.raises(StaleError):
        rv.toggle_item(db, first.id, first.version)  # the version read is out of date
    rv.set_item_note(db, first.id, None, "  they grow in Poland  ")
    rv.add_item(db, review_id, "Discuss the new plant")
    with pytest.raises(ValidationError):
        rv.add_item(db, review_id, "   ")
    rv.set_rating(db, review_id, 3)
    with pytest.raises(ValidationError):
        rv.set_rating(db, review_id, 6)
    detail = rv.get_review(db, review_id)
    assert detail.items[0].done and detail.items[0].note == "they grow in Poland"
    assert detail.items[-1].text == "Discuss the new plant"
    assert len(detail.unticked) == len(rv.DEFAULT_TEMPLATE) - 1 + 1
    assert detail.rating == 3


def test_actions_are_carried_into_the_next_review(db, today) -> None:  # type: ignore[no-untyped-def]
    aid = _key_account(db, today)
    first = rv.start_review(db, aid, D(2026, 5, 1))
    item = rv.get_review(db, first).items[4]
    kept = rv.item_to_action(db, item.id, {"title": "Send price list", "due": "2026-06-01"}, today)
    assert (kept.status, kept.review_id, kept.account_id) == ("todo", first, aid)
    assert kept.owner_id == get_account(db, aid).owner_id is not None
    finished = rv.item_to_action(db, item.id, {"title": "Book plant visit", "due": ""}, today)
    with pytest.raises(ValidationError, match="Due"):
        rv.item_to_action(db, item.id, {"title": "x", "due": "soon"}, today)
    assert [a.title for a in rv.get_review(db, first).agreed] == [
        "Send price list",
        "Book plant visit",
    ]
    _complete(db, first, today, rating="4", held_on="2026-05-01")
    with db.session() as s:
        action = s.get(m.Action, finished.id)
        assert action is not None
        action.status, action.done_on = "done", D(2026, 6, 10)
        s.add(action)
    rv.add_value(
        db, aid, {"delivered_on": "2026-04-20", "description": "Before", "amount_minor": ""}, today
    )
    rv.add_value(
        db,
        aid,
        {"delivered_on": "2026-07-01", "description": "Training", "amount_minor": "4,500"},
        today,
    )
    with pytest.raises(ValidationError, match="delivered"):
        rv.add_value(db, aid, {"description": " "}, today)

    second = rv.get_review(db, rv.start_review(db, aid, today))
    carried = {a.title: a.status for a in second.carried}
    assert carried == {"Send price list": "todo", "Book plant visit": "done"}
    assert second.carried[0].title == "Send price list"  # open ones first
    assert [v.description for v in second.values] == ["Training"]
    assert second.value_total == 450_000
    assert second.previous_held == D(2026, 5, 1)
    _complete(db, second.id, today, rating="3")

    # two reviews on: the finished action is no longer carried, the open one still is
    third = rv.get_review(db, rv.start_review(db, aid, today))
    assert [a.title for a in third.carried] == ["Send price list"]
    assert third.values == []


def test_demo_gives_key_accounts_reviews_some_overdue(demo_db, today) -> None:  # type: ignore[no-untyped-def]
    rows = rv.list_due(demo_db, today)
    assert rows, "key accounts have a next review"
    counts = rv.due_counts(rows, today)
    assert counts["overdue"] >= 1
    assert all(r.cadence in ("monthly", "quarterly", "half-yearly") for r in rows)
    assert all(r.last_held is not None for r in rows)
    assert [r.next_review for r in rows] == sorted(r.next_review for r in rows)


def test_review_services_do_not_import_textual() -> None:
    import subprocess
    import sys

    code = (
        "import sys; import kamtui.services.reviews, kamtui.services.review_pack, "
        "kamtui.services.reviews_demo; print('textual' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
