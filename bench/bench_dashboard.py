"""Benchmark: view 1 (the dashboard) on the 10,000-account demo.

    .venv/bin/python bench/bench_dashboard.py [--repeat N]

Builds its own demo in a temporary folder (10,000 accounts, seed 1), then:

- computation: the portfolio figures (``portfolio``), the warnings with their health
  (``alert_board``), the Accounts view's Health/Score/Rank columns (``health_cells``),
  ``kam alerts`` (``current_alerts``) — medians of pure work, ``time.perf_counter``;
- switching views headless at 120×40, each on a fresh app: from ``switch_mode`` until
  the view's first frame is painted, and until its data is on screen (its reads done and
  painted), for views 1, 3 and 6 — compared in one run, as ratios to view 6's (the
  lightest view), since the harness has a floor of its own (PERFORMANCE.md);
- keys in view 1: cursor down in the warnings (move + paint every visible line), and
  the figures and chart drawn again (``draw`` + render every line of the chart).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

TODAY = dt.date(2026, 11, 16)


def median_ms(fn: Callable[[], Any], repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), min(times)


async def switch_times(db: Any, mode: str) -> tuple[float, float]:
    """(ms to the first frame of ``mode``, ms until its data is on screen), fresh app."""
    from kamtui.app import make_app

    app = make_app(db, today=TODAY, welcome=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.6)  # the Accounts view's reads after its first paint, done
        await app.workers.wait_for_complete()
        await pilot.pause()
        painted: list[float] = []
        started = time.perf_counter()
        await app.switch_mode(mode)
        app.screen.call_after_refresh(lambda: painted.append(time.perf_counter() - started))
        await pilot.pause()
        first = painted[0] if painted else time.perf_counter() - started
        await app.workers.wait_for_complete()
        await pilot.pause()
        done = time.perf_counter() - started
    return first * 1000, done * 1000


async def keys(db: Any, repeat: int) -> list[tuple[str, tuple[float, float]]]:
    from kamtui.app import make_app
    from kamtui.widgets.pareto import draw

    app = make_app(db, today=TODAY, welcome=False)
    results = []
    async with app.run_test(size=(120, 40)) as pilot:
        await app.switch_mode("dashboard")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen: Any = app.screen
        table = screen.table

        def down() -> None:
            table.action_cursor(1)
            screen._update_info()
            for y in range(table.size.height):
                table.render_line(y)

        results.append(("view 1: key down (move + info + paint)", median_ms(down, repeat * 5)))
        chart = screen.chart
        pf = screen.portfolio

        def redraw() -> None:
            draw(chart, pf.pareto_revenue, pf.pareto_profit)
            chart.render()

        results.append(("view 1: chart drawn again", median_ms(redraw, repeat)))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()

    from kamtui.db import Database
    from kamtui.migrate import open_database
    from kamtui.services.demo import build_demo
    from kamtui.services.early_warnings import alert_board, current_alerts
    from kamtui.services.health_read import health_cells
    from kamtui.services.portfolio import portfolio

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        db = Database.for_file(path)
        open_database(db)
        counts = build_demo(db, accounts=10_000, seed=1, today=TODAY)
        db.close()
        db = Database.for_file(path)
        open_database(db)
        board = alert_board(db, TODAY)
        print(
            f"demo: {counts['accounts']:,} accounts, {counts.get('actions', 0):,} actions; "
            f"{len(board.alerts):,} warnings"
        )
        r = args.repeat
        results = [
            ("portfolio figures", median_ms(lambda: portfolio(db, TODAY), r)),
            ("warnings + their health (alert_board)", median_ms(lambda: alert_board(db, TODAY), r)),
            ("Accounts Health/Score/Rank (10k)", median_ms(lambda: health_cells(db, TODAY), r)),
            ("kam alerts (current_alerts)", median_ms(lambda: current_alerts(db, TODAY), r)),
        ]
        results += asyncio.run(keys(db, r))
        switches: dict[str, list[tuple[float, float]]] = {
            "reviews": [],
            "matrix": [],
            "dashboard": [],
        }
        for _ in range(max(3, r // 2)):
            for mode in switches:  # alternated, so a noisy moment hits every view alike
                switches[mode].append(asyncio.run(switch_times(db, mode)))
        db.close()
    print(f"\n{'step':<44} {'median ms':>10} {'min ms':>8}")
    print("-" * 64)
    for name, (median, fastest) in results:
        print(f"{name:<44} {median:>10.2f} {fastest:>8.2f}")
    base_first = statistics.median(t[0] for t in switches["reviews"])
    base_done = statistics.median(t[1] for t in switches["reviews"])
    print(
        f"\n{'switch to view':<16} {'first frame ms':>14} {'×view 6':>8} {'data shown ms':>14} {'×view 6':>8}"
    )
    print("-" * 64)
    for mode, times in switches.items():
        first = statistics.median(t[0] for t in times)
        done = statistics.median(t[1] for t in times)
        print(
            f"{mode:<16} {first:>14.1f} {first / base_first:>8.2f} {done:>14.1f} {done / base_done:>8.2f}"
        )


if __name__ == "__main__":
    main()
