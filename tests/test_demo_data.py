"""#14 item 5: demo data that tells the truth.

The demo said "customer since 2026-06-01" of an account whose history made it a customer
in 2023, and at 10,000 accounts it ran out of names ("Venport Systems 2").
"""

from __future__ import annotations

import random
import re

import pytest

from kamtui.services.demo import _company_names


def test_ten_thousand_demo_names_are_distinct_and_carry_no_number() -> None:
    names = _company_names(random.Random(7), 10_000)
    assert len({n.lower() for n in names}) == 10_000
    numbered = [n for n in names if re.search(r"\d", n)]
    assert not numbered, numbered[:5]
    assert names == _company_names(random.Random(7), 10_000)  # same seed, same names


@pytest.mark.both_dbs
def test_status_since_is_the_date_of_the_last_status_change(demo_db) -> None:  # type: ignore[no-untyped-def]
    rows = demo_db.fetch(
        "SELECT a.name, a.status, a.status_since, s.new_status, s.changed_at FROM account a "
        "JOIN status_change s ON s.account_id = a.id "
        "WHERE s.changed_at = (SELECT MAX(changed_at) FROM status_change t "
        "WHERE t.account_id = a.id)"
    )
    assert len({r[0] for r in rows}) == 60
    for name, status, since, last_status, changed_at in rows:
        assert last_status == status, name
        assert str(since)[:10] == str(changed_at)[:10], (name, since, changed_at)
