"""Sort and filter speed of the Accounts table (VirtualTable on LineTable), 10,000 rows.

    .venv/bin/python bench/bench_vtable.py

In-process and headless at 100×30 (no database: the rows are made up, seed 1). Each
measure is the median of 20 calls of the table method alone, in ms, then the same with
the lines in view rendered (what a key press costs before the terminal write):

- sort: ``sort_by`` on the next column (name, revenue, country, status, in turn);
- filter: ``set_filter`` with one more character of a needle, then with none;
- sort + move_to_key: a sort, then the cursor put on a row by its key (a lookup).

The rows are keyed as in the Accounts view (``attrgetter("id")``). The garbage collector
is held off during each call, as timeit does. The machine's load average is printed:
these are milliseconds, so compare runs made under the same load.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import gc
import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from functools import partial
from operator import attrgetter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ROWS = 10_000
REPEAT = 20
WORDS = ("Acme", "Nord", "Ridge", "Alpen", "Kaiser", "Delta", "Orbit", "Lumen", "株式会社", "华为")


def make_rows() -> list[Any]:
    from kamtui.services.account_list import AccountRow

    rng = random.Random(1)
    statuses = ["prospect", "target", "customer", "key", "former"]
    rows = []
    for i in range(ROWS):
        name = f"{rng.choice(WORDS)} {rng.choice(WORDS)} {i}"
        revenue = rng.randrange(0, 5_000_000)
        rows.append(
            AccountRow(
                id=i + 1, name=name, status=rng.choice(statuses), stage=rng.randrange(1, 6),
                revenue=revenue, profit=revenue // 3, cost=revenue // 9,
                owner=rng.choice(["", "anna", "bert"]), country=rng.choice(["DE", "CH", "日本"]),
                industry=rng.choice(["Logistics", "Retail", "Cars"]),
                next_review=dt.date(2026, 1, 1) + dt.timedelta(days=i % 365),
            )
        )  # fmt: skip
    return rows


def median_ms(calls: Sequence[Callable[[], Any]]) -> float:
    """The median time of the calls; the garbage collector is held off while each runs
    (as timeit does), so a collection that happens to fall in one does not count."""
    times = []
    for call in calls:
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            call()
            times.append((time.perf_counter() - start) * 1000)
        finally:
            gc.enable()
    return statistics.median(times)


async def measure() -> dict[str, float]:
    from textual.app import App, ComposeResult

    from kamtui.screens.accounts import COLUMNS, search_text
    from kamtui.widgets.table import VirtualTable

    table: VirtualTable[Any] = VirtualTable(
        COLUMNS, row_key=attrgetter("id"), search_text=search_text, id="t"
    )

    class Bench(App[None]):
        def compose(self) -> ComposeResult:
            yield table

    rows = make_rows()
    sort_keys = [("name", "revenue", "country", "status")[i % 4] for i in range(REPEAT)]
    needles = [("", "r", "ri", "rid", "ridg")[i % 5] for i in range(REPEAT)]  # all → a few
    targets = [rows[(i * 997) % ROWS].id for i in range(REPEAT)]
    results: dict[str, float] = {}
    app = Bench()
    async with app.run_test(size=(100, 30)) as pilot:
        table.set_rows(rows)
        await pilot.pause()

        def paint() -> None:
            for y in range(table.size.height):
                table.render_line(y)

        def sort_paint(key: str) -> None:
            table.sort_by(key)
            paint()

        def filter_paint(needle: str) -> None:
            table.set_filter(needle)
            paint()

        def sort_move(key: str, row_key: int) -> None:
            table.sort_by(key)
            table.move_to_key(row_key)

        results["sort"] = median_ms([partial(table.sort_by, k) for k in sort_keys])
        results["sort + paint"] = median_ms([partial(sort_paint, k) for k in sort_keys])
        results["filter"] = median_ms([partial(table.set_filter, n) for n in needles])
        results["filter + paint"] = median_ms([partial(filter_paint, n) for n in needles])
        table.set_filter("")
        moves = [partial(sort_move, k, t) for k, t in zip(sort_keys, targets, strict=True)]
        results["sort + move_to_key"] = median_ms(moves)
    return results


def main() -> None:
    results = asyncio.run(measure())
    load = os.getloadavg()[0]
    print(f"\n## LineTable sort and filter, {ROWS:,} rows (median of {REPEAT}; load {load:.1f})\n")
    print("| measure | median |")
    print("|---|---|")
    for name, value in results.items():
        print(f"| {name} | {value:.2f} ms |")


if __name__ == "__main__":
    main()
