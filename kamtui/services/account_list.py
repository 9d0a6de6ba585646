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
# Rows come in account order: the table's sort is stable, so rows that tie (say, the same
# revenue) keep this order, and the first page read at start-up (FIRST_PAGE_ORDER) is the
# top of exactly the list the full read gives.
LIST_ORDER = " ORDER BY a.id"
FIRST_PAGE_ORDER = " ORDER BY revenue DESC, id LIMIT ?"


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
    return _read(db, sql + LIST_ORDER, params, apart=apart)[1]


def first_page(db: Database, today: dt.date, size: int, *, apart: bool = False) -> FirstPage:
    """The ``size`` rows the Accounts view shows first (by revenue, as it opens sorted),
    and how many accounts there are: all start-up needs for its first frame."""
    start, end = last_four_quarters(today)
    sql = f"SELECT * FROM ({LIST_SQL}) page{FIRST_PAGE_ORDER}"
    total, rows = _read(
        db, sql, [start.isoformat(), end.isoformat(), size], apart=apart, count=True
    )
    return FirstPage(rows, len(rows) if total is None else total)


def _read(
    db: Database, sql: str, params: list[Any], *, apart: bool, count: bool = False
) -> tuple[int | None, list[AccountRow]]:
    fetch = db.fetch_apart if apart else db.fetch
    total: int | None = None
    if db.is_sqlite and JSON_ROWS:
        # One JSON text in one step: SQLite releases the interpreter for the whole query
        # instead of taking it back for each of 10,000 rows, which a busy main thread
        # (start-up importing Textual) would hold it against (PERFORMANCE.md).
        head = "(SELECT COUNT(*) FROM account)" if count else "NULL"
        found = fetch(
            f"SELECT {head}, json_group_array(json_array({', '.join(AccountRow._fields)}))"
            f" FROM ({sql})",
            params,
        )
        total, rows = found[0][0], json.loads(found[0][1])
    else:
        rows = fetch(sql, params)
        if count:
            total = int(fetch("SELECT COUNT(*) FROM account")[0][0])
    return total, [
        AccountRow(
            r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9],
            dt.date.fromisoformat(r[10]) if isinstance(r[10], str) else r[10],
        )
        for r in rows
    ]  # fmt: skip


def count_accounts(db: Database) -> int:
    return int(db.fetch("SELECT COUNT(*) FROM account")[0][0])


class FirstPage(NamedTuple):
    """The top rows of the Accounts view and the number of accounts in all."""

    rows: list[AccountRow]
    total: int

    @property
    def complete(self) -> bool:
        return len(self.rows) >= self.total


@dataclass(frozen=True)
class FirstRows:
    """The first screen's rows, being read since before the UI library was imported."""

    today: dt.date
    future: Future[FirstPage]

    def take(self, today: dt.date) -> Future[FirstPage] | None:
        return self.future if today == self.today else None


FIRST_PAGE_SIZE = 200  # more than any terminal shows; the rest is read after the first frame


def start_reading(db: Database, today: dt.date, size: int = FIRST_PAGE_SIZE) -> FirstRows:
    """Start reading the first screen's rows now, in a thread of their own.

    Start-up imports Textual for about 200 ms; SQLite releases the interpreter while it
    runs the query, so the rows are ready when the first screen mounts instead of being
    asked for then. Only the first page is read (building 10,000 rows would hold the
    interpreter against the importing thread); the view reads the rest once it has
    painted. An error is kept in the future and raised where it is read.
    """
    future: Future[FirstPage] = Future()

    def run() -> None:
        try:
            future.set_result(first_page(db, today, size, apart=True))
        except BaseException as exc:  # handed to the reader, which reports it
            future.set_exception(exc)

    threading.Thread(target=run, name="kam-first-rows", daemon=True).start()
    return FirstRows(today, future)
