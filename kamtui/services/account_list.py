"""The Accounts list as plain rows, read without the ORM (it is on the start-up path)."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, NamedTuple

from kamtui.db import Database
from kamtui.services.economics import last_four_quarters


class AccountRow(NamedTuple):
    """One line of the Accounts table; plain data, cheap to build, sort and filter."""

    id: int
    name: str
    status: str
    stage: int | None
    revenue: int
    profit: int
    cost: int
    owner: str
    country: str
    industry: str
    next_review: dt.date | None

    @property
    def ratio(self) -> float | None:
        return self.revenue / self.cost if self.cost > 0 else None


JSON_ROWS = sqlite3.sqlite_version_info >= (3, 38)  # json_group_array built in

LIST_SQL = """
SELECT a.id AS id, a.name AS name, a.status AS status, a.stage AS stage,
       COALESCE(e.revenue, 0) AS revenue, COALESCE(e.profit, 0) AS profit,
       COALESCE(e.cost, 0) AS cost, COALESCE(p.name, '') AS owner, a.country AS country,
       a.industry AS industry, a.next_review AS next_review
FROM account a
LEFT JOIN person p ON p.id = a.owner_id
LEFT JOIN (
    SELECT account_id, SUM(revenue_minor) AS revenue, SUM(gross_profit_minor) AS profit,
           SUM(cost_to_serve_minor) AS cost
    FROM account_period
    WHERE period_start >= ? AND period_start < ?
    GROUP BY account_id
) e ON e.account_id = a.id
"""


def list_rows(
    db: Database, today: dt.date, account_id: int | None = None, *, apart: bool = False
) -> list[AccountRow]:
    """The Accounts rows (one account's with ``account_id``); ``apart`` reads on a
    connection of its own, for a thread that must not share the database's."""
    start, end = last_four_quarters(today)
    sql, params = LIST_SQL, [start.isoformat(), end.isoformat()]
    if account_id is not None:
        sql += " WHERE a.id = ?"
        params.append(account_id)  # type: ignore[arg-type]
    if db.is_sqlite and JSON_ROWS:
        # One JSON text in one step: SQLite releases the interpreter for the whole query
        # instead of taking it back for each of 10,000 rows, which a busy main thread
        # (start-up importing Textual) would hold it against (PERFORMANCE.md).
        sql = f"SELECT json_group_array(json_array({', '.join(AccountRow._fields)})) FROM ({sql})"
        found = db.fetch_apart(sql, params) if apart else db.fetch(sql, params)
        rows: list[Any] = json.loads(found[0][0])
    else:
        rows = db.fetch_apart(sql, params) if apart else db.fetch(sql, params)
    return [
        AccountRow(
            r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9],
            dt.date.fromisoformat(r[10]) if isinstance(r[10], str) else r[10],
        )
        for r in rows
    ]  # fmt: skip


def count_accounts(db: Database) -> int:
    return int(db.fetch("SELECT COUNT(*) FROM account")[0][0])


@dataclass(frozen=True)
class FirstRows:
    """The first screen's rows, being read since before the UI library was imported."""

    today: dt.date
    future: Future[list[AccountRow]]

    def take(self, today: dt.date) -> Future[list[AccountRow]] | None:
        return self.future if today == self.today else None


def start_reading(db: Database, today: dt.date) -> FirstRows:
    """Start reading the Accounts rows now, in a thread of their own.

    Start-up imports Textual for about 200 ms; SQLite releases the interpreter while it
    runs the query, so the rows are (nearly) ready when the first screen mounts instead
    of being asked for then. An error is kept in the future and raised where it is read.
    """
    future: Future[list[AccountRow]] = Future()

    def run() -> None:
        try:
            future.set_result(list_rows(db, today, apart=True))
        except BaseException as exc:  # handed to the reader, which reports it
            future.set_exception(exc)

    threading.Thread(target=run, name="kam-first-rows", daemon=True).start()
    return FirstRows(today, future)
