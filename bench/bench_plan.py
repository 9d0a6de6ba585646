"""The account plan on a 10,000-account demo: what each of its sections reads when shown
(SWOT, buying map, relationship map with the coverage grid, contact log), the one-page
plan (`kam plan`, the Plan tab), the stage-4 check over every key account, and the
demo's plan extension. Medians of in-process calls; the sections' reads are the work
between a keystroke (switching to the tab) and its paint.

Run: .venv/bin/python bench/bench_plan.py [--db DEMO.db]   (a demo is built if absent)
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROUNDS = 21


def median_ms(fn: Callable[[], Any], rounds: int = ROUNDS) -> tuple[float, float]:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def main() -> None:
    from kamtui.db import Database
    from kamtui.migrate import open_database
    from kamtui.screens.account_buying import read_buying
    from kamtui.screens.account_log import read_log
    from kamtui.screens.account_relationships import read_map
    from kamtui.screens.account_swot import read_swot
    from kamtui.services.account_plan import plan_markdown
    from kamtui.services.demo import build_demo
    from kamtui.services.lifecycle import board_rows

    today = dt.date.today()
    args = sys.argv[1:]
    if "--db" in args:
        path = Path(args[args.index("--db") + 1])
    else:
        path = Path(tempfile.mkdtemp()) / "k10.db"
    db = Database.for_file(path)
    open_database(db)
    if not db.fetch("SELECT 1 FROM account LIMIT 1"):
        build_demo(db, accounts=10_000, today=today)
    aid = db.fetch(
        "SELECT a.id FROM account a WHERE a.status = 'key' ORDER BY "
        "(SELECT COUNT(*) FROM contact c WHERE c.account_id = a.id) DESC LIMIT 1"
    )[0][0]
    rows = [
        ("SWOT tab read", median_ms(lambda: read_swot(db, aid))),
        ("Buying map tab read", median_ms(lambda: read_buying(db, aid))),
        ("Relationships tab read (map, grid, last contacts)", median_ms(lambda: read_map(db, aid, today))),
        ("Log tab read (entries, staleness)", median_ms(lambda: read_log(db, aid, today))),
        ("one-page plan (kam plan; the Plan tab reads it in a worker)", median_ms(lambda: plan_markdown(db, aid, today), 7)),
        ("lifecycle board, stage checks of every key account", median_ms(lambda: board_rows(db, today), 7)),
    ]  # fmt: skip

    from kamtui.services import demo as demo_module

    def demo_seconds(modules: tuple[str, ...]) -> tuple[float, dict[str, int]]:
        full = demo_module.EXTENSION_MODULES
        demo_module.EXTENSION_MODULES = modules
        try:
            target = Database.for_file(Path(tempfile.mkdtemp()) / "demo.db")
            open_database(target)
            start = time.perf_counter()
            counts = build_demo(target, accounts=10_000, today=today)
            target.close()
            return time.perf_counter() - start, counts
        finally:
            demo_module.EXTENSION_MODULES = full

    every = demo_module.EXTENSION_MODULES
    others = tuple(name for name in every if name != "kamtui.services.plan_demo")
    with_plan, without_plan = [], []
    for _ in range(3):  # alternated, so both see the same machine load
        seconds, counts = demo_seconds(every)
        with_plan.append(seconds)
        without_plan.append(demo_seconds(others)[0])
    whole = statistics.median(with_plan) * 1000
    ratio = statistics.median(with_plan) / statistics.median(without_plan)

    print(f"\n## Account plan, 10,000 accounts (account {aid})\n")
    print("| measure | median | worst | bar |\n|---|---|---|---|")
    for name, (med, worst) in rows:
        bar = "well under 50 ms" if "tab read" in name else ""
        print(f"| {name} | {med:.1f} ms | {worst:.1f} ms | {bar} |")
    print(
        f"| kam demo --accounts 10000 (all of it; {counts.get('SWOT points', 0):,} SWOT points, "
        f"{counts.get('contact log entries', 0):,} log entries) | {whole:.0f} ms | | a few seconds |"
    )
    print(f"| demo with the plan's part / without it | {ratio:.2f}x | | close to 1 |")
    db.close()


if __name__ == "__main__":
    main()
