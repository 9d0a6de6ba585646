"""The Accounts view's Health, Score and Rank columns (issue 11).

They are not on the start-up path: the first rows come without them (shown as "…"), and
one set-based read after the first paint (``health_read.health_cells``, in a worker) fills
them. Score and rank are the active scoring model's (``scoring_math``, the one formula);
health is ``services/health.py``. All three sort like any column.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kamtui.services.account_list import AccountRow
from kamtui.services.scoring_math import format_total
from kamtui.widgets.table import Column

if TYPE_CHECKING:
    from kamtui.services.health_read import HealthCells

NUMERIC = ("health", "score", "rank")


class HealthColumns:
    """The three columns and the figures they show (per screen; plain data)."""

    def __init__(self, screen: Any) -> None:
        self.screen = screen
        self.cells: dict[int, HealthCells] = {}
        self.loaded = False
        self.columns: tuple[Column[AccountRow], ...] = (
            Column("health", "Health", 6, self._health, self._health_key, align="right",
                   style=lambda r: "bold" if self._low(r) else None),
            Column("score", "Score", 5, self._score, self._score_key, align="right"),
            Column("rank", "Rank", 4, self._rank, self._rank_key, align="right"),
        )  # fmt: skip

    def _cell(self, r: AccountRow) -> HealthCells | None:
        return self.cells.get(r.id)

    def _health(self, r: AccountRow) -> str:
        c = self._cell(r)
        if c is None:
            return "" if self.loaded else "…"
        return f"{'⚠' if c.health < 50 else '♥'}{c.health}"

    def _low(self, r: AccountRow) -> bool:
        c = self._cell(r)
        return c is not None and c.health < 50

    def _health_key(self, r: AccountRow) -> int | None:
        c = self._cell(r)
        return c.health if c is not None else None

    def _score(self, r: AccountRow) -> str:
        c = self._cell(r)
        if c is None:
            return "" if self.loaded else "…"
        return format_total(c.score) if c.score is not None else ""

    def _score_key(self, r: AccountRow) -> float | None:
        c = self._cell(r)
        return c.score if c is not None else None

    def _rank(self, r: AccountRow) -> str:
        c = self._cell(r)
        if c is None:
            return "" if self.loaded else "…"
        return str(c.rank) if c.rank else ""

    def _rank_key(self, r: AccountRow) -> int | None:
        c = self._cell(r)
        return -c.rank if c is not None and c.rank else None  # rank 1 is "most"

    def load(self) -> None:
        """Read every account's health, score and rank in a worker (after the first paint)."""
        from kamtui.services.health_read import health_cells

        self.screen.db_read("accounts-health", health_cells, self.screen.kam.today, then=self.show)

    def show(self, cells: dict[int, HealthCells]) -> None:
        self.cells = cells
        self.loaded = True
        table = self.screen.table
        key, reverse = table.sort_column
        if key in NUMERIC:
            table.sort_by(key, reverse=reverse)  # the order depends on what was just read
        table.refresh()
