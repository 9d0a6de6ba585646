"""The Accounts list as plain rows, read without the ORM (it is on the start-up path)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kamtui.db import Database
from kamtui.services.economics import last_four_quarters


@dataclass(frozen=True)
class AccountRow:
    """One line of the Accounts table; plain data, cheap to sort and filter."""

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


LIST_SQL = """
SELECT a.id, a.name, a.status, a.stage,
       COALESCE(e.revenue, 0), COALESCE(e.profit, 0), COALESCE(e.cost, 0),
       COALESCE(p.name, ''), a.country, a.industry, a.next_review
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


def list_rows(db: Database, today: dt.date, account_id: int | None = None) -> list[AccountRow]:
    start, end = last_four_quarters(today)
    sql, params = LIST_SQL, [start.isoformat(), end.isoformat()]
    if account_id is not None:
        sql += " WHERE a.id = ?"
        params.append(account_id)  # type: ignore[arg-type]
    rows = db.fetch(sql, params)
    return [
        AccountRow(
            r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9],
            dt.date.fromisoformat(r[10]) if isinstance(r[10], str) else r[10],
        )
        for r in rows
    ]  # fmt: skip


def count_accounts(db: Database) -> int:
    return int(db.fetch("SELECT COUNT(*) FROM account")[0][0])
