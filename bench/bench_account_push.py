"""Opening an account in-process (headless, 100×30) against a bare Textual screen push.

Alternates: push a Screen of 25 ``Static`` fields (the floor) and open kam's
AccountScreen as enter in the Accounts view does, until its fields are shown, on a 10,000-account demo; prints both medians
and their ratio. The tmux version (bench_account_open.py) measures the same in a real
terminal; this one needs no tmux and is steadier on a loaded machine.

Run: .venv/bin/python bench/bench_account_push.py [--accounts 10000] [--db PATH]
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

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

TODAY = dt.date(2026, 11, 16)


class Bare(Screen[None]):
    def compose(self) -> ComposeResult:
        for i in range(25):
            yield Static(f"{f'label {i}':<26}value {i}")


async def until(done: Callable[[], bool]) -> None:
    while not done():
        await asyncio.sleep(0.0005)


async def measure(db: Any, rounds: int) -> tuple[float, float]:
    from kamtui.app import make_app
    from kamtui.screens.account import AccountScreen

    app = make_app(db, today=TODAY, welcome=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await asyncio.sleep(1.0)  # the background warm-up of the other views
        accounts = app.screen
        ids = [r[0] for r in db.fetch("SELECT id FROM account ORDER BY id LIMIT ?", [rounds])]
        bare, kam = [], []
        for account_id in ids:
            started = time.perf_counter()
            floor = Bare()
            app.push_screen(floor)
            await until(lambda s=floor: s.is_mounted and app.screen is s)
            await pilot.pause()
            bare.append(time.perf_counter() - started)
            app.pop_screen()
            await pilot.pause()
            started = time.perf_counter()
            accounts.open_account(account_id)  # as enter does: read, then push with fields
            await until(lambda: isinstance(app.screen, AccountScreen) and app.screen.view)
            await pilot.pause()
            kam.append(time.perf_counter() - started)
            app.pop_screen()
            await pilot.pause()
    return statistics.median(bare), statistics.median(kam)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--accounts", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--db", type=Path, help="an existing demo database (else one is made)")
    args = parser.parse_args()

    from kamtui.db import Database
    from kamtui.migrate import open_database
    from kamtui.services.demo import build_demo

    with tempfile.TemporaryDirectory() as folder:
        path = args.db or Path(folder) / "bench.db"
        db = Database.for_file(path)
        open_database(db)
        if args.db is None:
            build_demo(db, accounts=args.accounts, seed=1, today=TODAY)
        bare, kam = asyncio.run(measure(db, args.rounds))
        db.close()
    print(f"bare screen push {bare * 1e3:.1f} ms · account screen {kam * 1e3:.1f} ms")
    print(f"account-open ratio {kam / bare:.2f}x (bar: 1.5x)")


if __name__ == "__main__":
    main()
