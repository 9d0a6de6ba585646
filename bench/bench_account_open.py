"""Opening an account on a 10,000-account demo, in a real terminal (tmux, 100×30).

* open: press enter on an account in the Accounts view, poll the pane until the
  account's fields are on screen; alternated round by round (both running) with a bare
  Textual app that pushes a
  Screen of the same 25 fields as plain text (``Static``s), measured the same way
  (press enter → text visible). The bar is a median ratio of 1.5× or better;
* key-to-paint on the account screen: moving between fields (down / up) and switching
  sections (ctrl+pagedown), tmux send-keys → pane changed; the bar is well under 50 ms.

Run: .venv/bin/python bench/bench_account_open.py [--db DEMO.db]   (or: make bench)
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import bench_accounts
from bench_accounts import KAM, PY, bench_env, capture, key_to_paint, start, tmux

_PREFIX = os.environ.get("KAM_BENCH_PREFIX", "")  # parallel runs: one prefix each
KAM_SESSION, BARE_SESSION = _PREFIX + "kambench-open-kam", _PREFIX + "kambench-open-bare"
SESSION = KAM_SESSION


def use(session: str) -> None:
    """Point this bench and bench_accounts' helpers at one of the two tmux sessions."""
    global SESSION
    SESSION = bench_accounts.SESSION = session


ROOT = Path(__file__).resolve().parent.parent
ROUNDS = 11

BARE_APP = """
from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import Static

FIELDS = {fields!r}


class Fields(Screen[None]):
    def compose(self) -> ComposeResult:
        for label, value in FIELDS:
            yield Static(f"{{label:<26}}{{value}}")


class Bare(App[None]):
    BINDINGS = [("enter", "open", "Open"), ("escape", "back", "Back")]

    def compose(self) -> ComposeResult:
        yield Static("READY")

    def action_open(self) -> None:
        self.push_screen(Fields())

    def action_back(self) -> None:
        if len(self.screen_stack) > 1:
            self.pop_screen()


Bare().run()
"""


def wait_for(text: str, t0: float, timeout: float = 30.0) -> float:
    while time.perf_counter() - t0 < timeout:
        if text in capture():
            return time.perf_counter() - t0
        time.sleep(0.002)
    raise RuntimeError(f"{text!r} never appeared:\n{capture()}")


def press_until(key: str, text: str) -> float:
    t0 = time.perf_counter()
    tmux("send-keys", "-t", SESSION, key)
    return wait_for(text, t0)


def main() -> None:
    if not shutil.which("tmux"):
        sys.exit("bench_account_open needs tmux")
    sys.path.insert(0, str(ROOT))
    import argparse

    from kamtui.db import Database
    from kamtui.migrate import open_database
    from kamtui.services import accounts as svc
    from kamtui.services.demo import build_demo

    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, help="a 10,000-account demo to reuse")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="kam-bench-open-"))
    db_path = args.db.absolute() if args.db else folder / "bench.db"
    database = Database.for_file(db_path)
    open_database(database)
    if not args.db:
        build_demo(database, accounts=10_000, seed=1, today=dt.date.today())
    first = svc.list_rows(database, dt.date.today())
    top = max(first, key=lambda r: r.revenue or 0)  # the Accounts view's first row
    view = svc.account_view(database, top.id)
    database.close()
    fields = [(svc.ACCOUNT_FIELDS[n].label, v) for n, v in view.fields.items()]
    marker = "Supplier relationships"  # a label far down the profile: the fields are there
    bare = folder / "bare_fields.py"
    bare.write_text(BARE_APP.format(fields=fields + [("", ""), ("", "")][: 25 - len(fields)]))

    env = bench_env()
    kam_open, bare_open = [], []
    use(BARE_SESSION)
    start(f"{env}{PY} {bare}", "READY")
    use(KAM_SESSION)
    start(f"{env}{KAM} --db {db_path}", "10,000 accounts")
    time.sleep(1.0)
    for _ in range(ROUNDS):  # alternating, both running: the same machine load for each
        use(BARE_SESSION)
        bare_open.append(press_until("Enter", marker))
        tmux("send-keys", "-t", SESSION, "Escape")
        wait_for("READY", time.perf_counter())
        time.sleep(0.3)
        use(KAM_SESSION)
        kam_open.append(press_until("Enter", marker))
        time.sleep(0.3)
        tmux("send-keys", "-t", SESSION, "Escape")
        wait_for("10,000 accounts", time.perf_counter())
        time.sleep(0.3)
    tmux("kill-session", "-t", BARE_SESSION)
    # key-to-paint on the account screen
    press_until("Enter", marker)
    time.sleep(0.5)
    keys: dict[str, list[float]] = {"field down/up": [], "next section": []}
    for i in range(20):
        keys["field down/up"].append(key_to_paint("Down" if i % 2 == 0 else "Up"))
    for _ in range(3):  # the first round builds each section; later rounds only switch
        for _ in range(7):
            keys["next section"].append(key_to_paint("C-PageDown"))
            time.sleep(0.3)
    tmux("kill-session", "-t", SESSION)
    shutil.rmtree(folder, ignore_errors=True)

    b, k = statistics.median(bare_open), statistics.median(kam_open)
    print(f"\n## Account open, 10,000 accounts (machine load {os.getloadavg()[0]:.1f})\n")
    print("| measure | median | worst | bar |")
    print("|---|---|---|---|")
    print(f"| bare app: enter → 25 fields | {b * 1000:.0f} ms | {max(bare_open) * 1000:.0f} ms | |")
    print(f"| kam: enter → account fields | {k * 1000:.0f} ms | {max(kam_open) * 1000:.0f} ms | |")
    print(f"| account-open ratio | {k / b:.2f}x | | ≤ 1.5x |")
    for name, times in keys.items():
        times = [t for t in times if t == t]
        print(
            f"| key-to-paint: {name} | {statistics.median(times) * 1000:.1f} ms | "
            f"{max(times) * 1000:.1f} ms | well under 50 ms median |"
        )
    print("\n(times include tmux send-keys and capture-pane polling, about 6 ms)")


if __name__ == "__main__":
    main()
