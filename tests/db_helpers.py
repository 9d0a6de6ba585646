"""What the data-layer tests share (importable by spawned processes too)."""

from __future__ import annotations

from typing import Any

from kamtui.db import Database
from kamtui.errors import StaleError
from kamtui.services import accounts as svc


def increment(db_arg: str, account_id: int, rounds: int, out: Any) -> None:
    """Read-modify-write like a person editing: retry only when told the edit is stale.

    ``db_arg`` is what ``--db`` takes (a file path or a URL); puts the stale count on ``out``.
    """
    database = Database.from_argument(db_arg)
    stale = 0
    for _ in range(rounds):
        while True:
            account = svc.get_account(database, account_id)
            try:
                svc.update_account(
                    database,
                    account_id,
                    account.version,
                    {"employees": str((account.employees or 0) + 1)},
                )
                break
            except StaleError:
                stale += 1
    database.close()
    out.put(stale)
