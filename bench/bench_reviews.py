"""Benchmark: the Reviews view and a review on the 10,000-account demo.

    .venv/bin/python bench/bench_reviews.py [--repeat N]

Builds its own demo in a temporary folder (10,000 accounts, seed 1; topped up to about
100,000 actions if the demo has fewer, as SPEC §6 expects), runs the app headless at
120×40 and times the pure work of each step with ``time.perf_counter`` (never
``pilot.press`` + ``pause``, whose ~84 ms floor measures the harness):

- data: reading the reviews due (``list_due``);
- open view: data + ``set_rows`` + rendering every visible line of the table;
- key down: moving the cursor + rendering every visible line (an upper bound: the
  table itself repaints only the two lines that change);
- open review: ``start_review`` + ``get_review`` + filling the review screen;
- tick: the whole `space` handler (write, re-read, update the checklist) + rendering
  the checklist's visible lines;
- calendar / review pack: the CLI outputs.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

TODAY = dt.date(2026, 11, 16)


def median_ms(fn: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """(median, fastest) in milliseconds; the fastest shows the cost on a quiet machine."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), min(times)


def top_up_actions(db: Any, target: int = 100_000) -> int:
    from sqlalchemy import func, insert, select

    from kamtui import models as m

    table = m.Action.__table__  # type: ignore[attr-defined]
    with db.engine.begin() as conn:
        have = conn.execute(select(func.count()).select_from(table)).scalar_one()
        accounts = [r[0] for r in conn.execute(select(m.Account.__table__.c.id))]  # type: ignore[attr-defined]
        rng = random.Random(1)
        rows = []
        for _ in range(max(0, target - have)):
            status = rng.choice(("todo", "doing", "blocked", "done", "done"))
            rows.append(
                {
                    "account_id": rng.choice(accounts), "title": "Follow up", "status": status,
                    "due": TODAY + dt.timedelta(days=rng.randint(-60, 120)), "priority": "medium",
                    "position": 0, "notes": "", "created_at": dt.datetime(2026, 1, 1), "version": 1,
                }
            )  # fmt: skip
        if rows:
            conn.execute(insert(table), rows)
        return int(have + len(rows))


async def measure(db: Any, repeat: int) -> list[tuple[str, tuple[float, float]]]:
    from kamtui.app import make_app
    from kamtui.screens.review import ReviewScreen
    from kamtui.services import reviews as rv

    results: list[tuple[str, tuple[float, float]]] = []
    app = make_app(db, today=TODAY, welcome=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.switch_mode("reviews")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen: Any = app.screen
        table = screen.table
        height = table.size.height

        def paint() -> None:
            for y in range(height):
                table.render_line(y)

        results.append(("data: list_due", median_ms(lambda: rv.list_due(db, TODAY), repeat)))

        def open_view() -> None:
            screen.show_rows(rv.list_due(db, TODAY))
            paint()

        results.append(("open view (data + rows + paint)", median_ms(open_view, repeat)))

        def key_down() -> None:
            table.action_cursor(1)
            paint()

        results.append(("key down (move + paint)", median_ms(key_down, repeat * 5)))
        results.append(("filter keystroke + paint", median_ms(lambda: (table.set_filter("ab"), paint(), table.set_filter("")), repeat)))  # fmt: skip

        row = rv.list_due(db, TODAY)[0]
        review_id = rv.start_review(db, row.account_id, TODAY)
        review = ReviewScreen(review_id)
        await app.push_screen(review)
        await pilot.pause()

        def open_review() -> None:
            rv.start_review(db, row.account_id, TODAY)
            review.load()

        results.append(("open review (data + fill screen)", median_ms(open_review, repeat)))
        checklist = review.query_one("#checklist")

        def tick() -> None:
            review.action_tick()
            for y in range(checklist.size.height):
                checklist.render_line(y)

        results.append(("tick (save + patch + paint)", median_ms(tick, repeat)))
        item = review.detail.items[0]
        results.append(
            (
                "  of which the save (one commit)",
                median_ms(lambda: rv.toggle_item(db, item.id), repeat),
            )
        )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    from kamtui.db import Database
    from kamtui.migrate import open_database
    from kamtui.services.demo import build_demo
    from kamtui.services.review_pack import calendar_ics, review_pack
    from kamtui.services.reviews import list_due

    with tempfile.TemporaryDirectory() as folder:
        db = Database.for_file(Path(folder) / "bench.db")
        open_database(db)
        started = time.perf_counter()
        counts = build_demo(db, accounts=10_000, seed=1, today=TODAY)
        built = time.perf_counter() - started
        actions = top_up_actions(db)
        db.close()  # open it again as a user would: a checkpointed file, a cold connection
        db = Database.for_file(Path(folder) / "bench.db")
        open_database(db)
        due = list_due(db, TODAY)
        print(
            f"demo: {counts['accounts']:,} accounts, {counts.get('reviews', 0):,} reviews, "
            f"{actions:,} actions, {len(due):,} reviews due; built in {built:.1f} s"
        )
        results = asyncio.run(measure(db, args.repeat))
        results.append(("kam calendar (ics bytes)", median_ms(lambda: calendar_ics(db, TODAY), 3)))
        results.append(
            ("kam review-pack", median_ms(lambda: review_pack(db, due[0].name, TODAY), args.repeat))
        )
        db.close()
    print(f"\n{'step':<36} {'median ms':>10} {'min ms':>8}")
    print("-" * 56)
    for name, (median, fastest) in results:
        print(f"{name:<36} {median:>10.2f} {fastest:>8.2f}")


if __name__ == "__main__":
    main()
