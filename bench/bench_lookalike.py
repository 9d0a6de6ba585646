"""Speed of the look-alike ranking (view 7, kam lookalikes) at 10,000 accounts.

    .venv/bin/python bench/bench_lookalike.py

Builds its own demo (10,000 accounts, seed 1) in a temporary folder and measures, as
medians:

- reading the portfolio (two plain queries, no ORM objects);
- the profile and the ranking of every prospect and target (pure Python), and with
  customers not yet key too;
- the whole of it as the view asks for it (read + rank), target well under 1 s;
- the reasons of one account (what the detail line shows for the cursor);
- the view: key-to-paint of a cursor move and of a re-sort, in-process and headless at
  120×40 (the screen's state update plus rendering every visible line), target ≤ 50 ms.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TODAY = dt.date(2026, 11, 16)


def median_ms(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def report(what: str, ms: float, target: str = "") -> None:
    print(f"  {what:<58} {ms:8.2f} ms  {target}", flush=True)


def paint(screen: Any) -> None:
    table = screen.table
    for y in range(table.size.height):
        table.render_line(y)


async def view_timings(db: Any) -> None:
    from kamtui.app import make_app

    app = make_app(db, today=TODAY, welcome=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.switch_mode("prospects")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        rows = screen.table.row_count
        print(f"  view 7 shows {rows:,} ranked rows")

        def down() -> None:
            screen.table.action_cursor(1)
            screen.update_detail()
            paint(screen)

        def resort() -> None:
            screen.table.sort_by("name")
            paint(screen)

        report("view: cursor down, key to paint", median_ms(down, 200), "target ≤ 50 ms")
        report(
            "view: sort by another column, key to paint", median_ms(resort, 20), "target ≤ 50 ms"
        )


def main() -> None:
    from kamtui.db import Database
    from kamtui.migrate import open_database
    from kamtui.services import lookalike as la
    from kamtui.services.demo import build_demo

    with tempfile.TemporaryDirectory() as folder:
        db = Database.for_file(Path(folder) / "bench.db")
        open_database(db)
        build_demo(db, accounts=10_000, seed=1, today=TODAY)
        accounts = la.read_portfolio(db, TODAY)
        ranking = la.rank(accounts)
        print(
            f"10,000 accounts: {ranking.profile.size} key accounts in the profile, "
            f"{len(ranking.ranked):,} prospects and targets ranked, {len(ranking.vetoed)} vetoed"
        )
        report(
            "read the portfolio (plain rows)", median_ms(lambda: la.read_portfolio(db, TODAY), 7)
        )
        report("profile + rank prospects and targets", median_ms(lambda: la.rank(accounts), 7))
        report(
            "profile + rank, customers too",
            median_ms(lambda: la.rank(accounts, scope=la.WITH_CUSTOMERS), 7),
        )
        report(
            "read + rank (what view 7 asks for)",
            median_ms(lambda: la.lookalikes(db, TODAY), 7),
            "target well under 1,000 ms",
        )
        first = ranking.ranked[0][0]
        report("reasons of one account", median_ms(lambda: ranking.explain(first), 200))
        report(
            "kam lookalikes --json --top 50 (after reading)",
            median_ms(lambda: la.as_json(ranking, 50), 7),
        )
        asyncio.run(view_timings(db))
        db.close()


if __name__ == "__main__":
    main()
