from __future__ import annotations

from kamtui.services.accounts import count_accounts


def test_demo_fixture_has_accounts(demo_db) -> None:  # type: ignore[no-untyped-def]
    assert count_accounts(demo_db) == 60
