"""The portfolio's figures (view 1 and ``kam portfolio``): 80/20 concentration on revenue
*and* gross profit (seed 001: profitability and sustainability, not size), the "lose 5
of the top 10" exposure (seed 003), totals against the four quarters before.

Definitions (the JSON of ``kam portfolio --json`` names them):

- the window is the Accounts view's "4Q": ``economics.last_four_quarters`` (four
  complete quarters before the current one); ``window_end`` is its last day;
- N = ``accounts_with_revenue``: accounts with revenue > 0 in the window;
- ``top20_revenue_share``: the top ceil(0.2·N) of those N by revenue, their revenue over
  the revenue of all N (0–1); ``top20_gross_profit_share`` the same ranked by gross
  profit (None when the N's gross profit is not positive);
- ``lose5of10_revenue_share_min`` / ``_max``: of the top 10 by revenue, the 5 smallest /
  the 5 largest, their revenue over the revenue of all N (best and worst case of losing
  5 of the top 10); ``lose5of10_gross_profit_share_min`` / ``_max``: of those same 10
  accounts, the 5 with the least / most gross profit, over the gross profit of all N.

Pure functions take plain lists; ``portfolio`` reads them in two queries.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from kamtui.db import Database
from kamtui.services.economics import last_four_quarters, previous_four_quarters


def top_count(n: int, share: float = 0.2) -> int:
    """How many accounts are "the top 20 %": ceil(0.2·N), at least 1 when N > 0."""
    return math.ceil(round(share * n, 9)) if n > 0 else 0


def top_share(values: Sequence[int], share: float = 0.2) -> float | None:
    """The top ceil(share·N) values' sum over the sum of all N (None when that sum ≤ 0)."""
    total = sum(values)
    if not values or total <= 0:
        return None
    ranked = sorted(values, reverse=True)
    return sum(ranked[: top_count(len(ranked), share)]) / total


def cumulative_shares(values: Sequence[int]) -> list[float]:
    """The Pareto curve: after each account, ranked biggest first, the share of the total
    so far (0–1). Empty when the total is not positive."""
    total = sum(values)
    if total <= 0:
        return []
    out, running = [], 0
    for v in sorted(values, reverse=True):
        running += v
        out.append(running / total)
    return out


def accounts_for(cumulative: Sequence[float], level: float = 0.8) -> int:
    """How many accounts (best first) make ``level`` of the total."""
    for i, share in enumerate(cumulative, start=1):
        if share >= level - 1e-12:
            return i
    return len(cumulative)


@dataclass(frozen=True)
class Exposure:
    """Losing 5 of the top 10: best case (the 5 smallest) to worst (the 5 largest)."""

    revenue_min: float | None
    revenue_max: float | None
    profit_min: float | None
    profit_max: float | None
    names_min: tuple[str, ...] = ()
    names_max: tuple[str, ...] = ()


def exposure(rows: Sequence[tuple[str, int, int]], lose: int = 5, of: int = 10) -> Exposure:
    """``rows``: (name, revenue, gross profit) of the N accounts with revenue."""
    total_rev = sum(r[1] for r in rows)
    total_gp = sum(r[2] for r in rows)
    top = sorted(rows, key=lambda r: (-r[1], r[0]))[:of]
    k = min(lose, len(top))
    if not top or total_rev <= 0:
        return Exposure(None, None, None, None)
    small, large = top[len(top) - k :], top[:k]
    by_gp = sorted(r[2] for r in top)
    gp_ok = total_gp > 0
    return Exposure(
        sum(r[1] for r in small) / total_rev,
        sum(r[1] for r in large) / total_rev,
        sum(by_gp[:k]) / total_gp if gp_ok else None,
        sum(by_gp[-k:]) / total_gp if gp_ok else None,
        tuple(r[0] for r in small),
        tuple(r[0] for r in large),
    )


@dataclass
class Portfolio:
    today: dt.date
    window_start: dt.date
    window_end: dt.date  # last day of the window
    statuses: dict[str, int]
    key_accounts: int
    capacity: int
    accounts_with_revenue: int
    revenue: int
    gross_profit: int
    cost: int
    revenue_prev: int
    gross_profit_prev: int
    cost_prev: int
    top20_count: int
    top20_revenue_share: float | None
    top20_gross_profit_share: float | None
    exposure: Exposure
    pareto_revenue: list[float] = field(default_factory=list)
    pareto_profit: list[float] = field(default_factory=list)
    currency: str = "EUR"

    @property
    def ratio(self) -> float | None:
        return self.revenue / self.cost if self.cost > 0 else None

    @property
    def ratio_prev(self) -> float | None:
        return self.revenue_prev / self.cost_prev if self.cost_prev > 0 else None

    def to_json(self) -> dict[str, Any]:
        e = self.exposure
        return {
            "today": self.today.isoformat(),
            "window_start": self.window_start.isoformat(),
            "window_end": self.window_end.isoformat(),
            "currency": self.currency,
            "accounts": sum(self.statuses.values()),
            "accounts_by_status": dict(self.statuses),
            "key_accounts": self.key_accounts,
            "key_account_capacity": self.capacity,
            "accounts_with_revenue": self.accounts_with_revenue,
            "revenue_minor": self.revenue,
            "gross_profit_minor": self.gross_profit,
            "cost_to_serve_minor": self.cost,
            "revenue_to_cost": self.ratio,
            "previous": {
                "revenue_minor": self.revenue_prev,
                "gross_profit_minor": self.gross_profit_prev,
                "cost_to_serve_minor": self.cost_prev,
                "revenue_to_cost": self.ratio_prev,
            },
            "top20_count": self.top20_count,
            "top20_revenue_share": self.top20_revenue_share,
            "top20_gross_profit_share": self.top20_gross_profit_share,
            "lose5of10_revenue_share_min": e.revenue_min,
            "lose5of10_revenue_share_max": e.revenue_max,
            "lose5of10_gross_profit_share_min": e.profit_min,
            "lose5of10_gross_profit_share_max": e.profit_max,
            "lose5of10_best_case": list(e.names_min),
            "lose5of10_worst_case": list(e.names_max),
            "accounts_for_80pct_revenue": accounts_for(self.pareto_revenue),
            "accounts_for_80pct_gross_profit": accounts_for(self.pareto_profit),
        }


WINDOW_SQL = """
SELECT a.id, a.name,
       SUM(CASE WHEN p.period_start >= ? THEN p.revenue_minor ELSE 0 END),
       SUM(CASE WHEN p.period_start >= ? THEN p.gross_profit_minor ELSE 0 END),
       SUM(CASE WHEN p.period_start >= ? THEN p.cost_to_serve_minor ELSE 0 END),
       SUM(CASE WHEN p.period_start < ? THEN p.revenue_minor ELSE 0 END),
       SUM(CASE WHEN p.period_start < ? THEN p.gross_profit_minor ELSE 0 END),
       SUM(CASE WHEN p.period_start < ? THEN p.cost_to_serve_minor ELSE 0 END)
FROM account_period p JOIN account a ON a.id = p.account_id
WHERE p.period_start >= ? AND p.period_start < ?
GROUP BY a.id, a.name
"""


def portfolio(db: Database, today: dt.date) -> Portfolio:
    """The dashboard's figures, read in a few queries."""
    start, end = last_four_quarters(today)
    prev_start, _ = previous_four_quarters(today)
    s, e, p = start.isoformat(), end.isoformat(), prev_start.isoformat()
    rows = db.fetch(WINDOW_SQL, [s, s, s, s, s, s, p, e])
    statuses = {st: 0 for st in ("prospect", "target", "customer", "key", "former")}
    for status, n in db.fetch("SELECT status, COUNT(*) FROM account GROUP BY status"):
        statuses[status] = int(n)
    capacity = db.fetch("SELECT key_account_capacity FROM settings WHERE id = 1")
    currency = db.fetch("SELECT currency FROM settings WHERE id = 1")
    earning = [(str(r[1]), int(r[2]), int(r[3])) for r in rows if int(r[2]) > 0]
    revenues = [r[1] for r in earning]
    profits = [r[2] for r in earning]
    return Portfolio(
        today=today,
        window_start=start,
        window_end=end - dt.timedelta(days=1),
        statuses=statuses,
        key_accounts=statuses.get("key", 0),
        capacity=int(capacity[0][0]) if capacity else 12,
        accounts_with_revenue=len(earning),
        revenue=sum(int(r[2]) for r in rows),
        gross_profit=sum(int(r[3]) for r in rows),
        cost=sum(int(r[4]) for r in rows),
        revenue_prev=sum(int(r[5]) for r in rows),
        gross_profit_prev=sum(int(r[6]) for r in rows),
        cost_prev=sum(int(r[7]) for r in rows),
        top20_count=top_count(len(earning)),
        top20_revenue_share=top_share(revenues),
        top20_gross_profit_share=top_share(profits),
        exposure=exposure(earning),
        pareto_revenue=cumulative_shares(revenues),
        pareto_profit=cumulative_shares([max(0, v) for v in profits]),
        currency=currency[0][0] if currency else "EUR",
    )


def change_text(new: int, old: int) -> str:
    """'+12 %' against the four quarters before; '' when there was nothing before."""
    if old <= 0:
        return ""
    return f"{(new / old - 1) * 100:+.0f} %"


def share_text(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.1f} %"


def text_report(pf: Portfolio) -> str:
    """``kam portfolio`` as text."""
    from kamtui.money import format_compact

    e = pf.exposure
    ratio = f"{pf.ratio:.1f}" if pf.ratio is not None else "–"
    lines = [
        f"Portfolio on {pf.today.isoformat()} · four quarters {pf.window_start.isoformat()} – "
        f"{pf.window_end.isoformat()} (amounts in {pf.currency})",
        "Accounts: " + ", ".join(f"{n} {s}" for s, n in pf.statuses.items()),
        f"Key accounts: {pf.key_accounts} of a capacity of {pf.capacity}"
        + (" ⚠ over capacity" if pf.key_accounts > pf.capacity else ""),
        f"Revenue:      {format_compact(pf.revenue):>8} {change_text(pf.revenue, pf.revenue_prev)}",
        f"Gross profit: {format_compact(pf.gross_profit):>8} "
        f"{change_text(pf.gross_profit, pf.gross_profit_prev)}",
        f"Revenue/cost: {ratio:>8}",
        f"Accounts with revenue: {pf.accounts_with_revenue}; top 20 % = {pf.top20_count} accounts",
        f"Top 20 % share: revenue {share_text(pf.top20_revenue_share)}, gross profit "
        f"{share_text(pf.top20_gross_profit_share)}",
        f"80 % of revenue from {accounts_for(pf.pareto_revenue)} accounts, of gross profit "
        f"from {accounts_for(pf.pareto_profit)}",
        f"Lose 5 of the top 10: revenue {share_text(e.revenue_min)} (best case) to "
        f"{share_text(e.revenue_max)} (worst case); gross profit {share_text(e.profit_min)} "
        f"to {share_text(e.profit_max)}",
    ]
    return "\n".join(lines) + "\n"
