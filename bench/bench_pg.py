"""The TUI on a 10,000-account demo, SQLite and PostgreSQL side by side, in tmux.

* start-up: launch to the first frame showing "10,000 accounts", runs alternating with
  an empty Textual app; medians and the ratio to the empty app;
* account-open: ``enter`` on the Accounts view until the account screen shows (its
  "Profile" section), ``escape``, next row; median and worst;
* every view: keys 3–6 then 2, the time until the pane has settled, and that kam is still
  running without an error on screen.

The server: ``KAM_BENCH_PG_URL`` or ``KAM_TEST_PG_URL`` (a database where the user may
create databases); without either, a throw-away one from ``.ci/pg-up``.

Run: .venv/bin/python bench/bench_pg.py   (or: make bench)
"""

from __future__ import annotations

import datetime as dt
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
KAM = str(Path(PY).with_name("kam"))
SESSION = "kambenchpg"
RUNS = 5
ACCOUNTS = 10_000
ACCOUNT_MARKER = "Profile"


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True).stdout


def capture() -> str:
    return tmux("capture-pane", "-p", "-t", SESSION)


def wait_for(ready: str, t0: float, timeout: float = 60.0) -> float:
    while time.perf_counter() - t0 < timeout:
        if ready in capture():
            return time.perf_counter() - t0
        time.sleep(0.003)
    raise RuntimeError(f"{ready!r} never appeared:\n{capture()}")


def start(command: str, ready: str) -> float:
    tmux("kill-session", "-t", SESSION)
    t0 = time.perf_counter()
    tmux("new-session", "-d", "-s", SESSION, "-x", "120", "-y", "40", command)
    return wait_for(ready, t0)


def settle(t0: float, before: str, quiet: float = 0.4, timeout: float = 60.0) -> float:
    """Seconds from t0 until the pane changed and then stayed the same for ``quiet``."""
    last, changed_at = before, None
    while time.perf_counter() - t0 < timeout:
        now = capture()
        if now != last:
            last, changed_at = now, time.perf_counter()
        elif changed_at is not None and time.perf_counter() - changed_at >= quiet:
            return changed_at - t0
        time.sleep(0.005)
    return float("nan")


def account_open() -> list[float]:
    times = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        tmux("send-keys", "-t", SESSION, "Enter")
        times.append(wait_for(ACCOUNT_MARKER, t0))
        time.sleep(0.3)
        tmux("send-keys", "-t", SESSION, "Escape")
        wait_for("10,000 accounts", time.perf_counter())
        tmux("send-keys", "-t", SESSION, "Down")
        time.sleep(0.3)
    return times


def every_view() -> dict[str, float]:
    out = {}
    for key in "34562":
        before = capture()
        t0 = time.perf_counter()
        tmux("send-keys", "-t", SESSION, key)
        took = settle(t0, before)
        pane = capture()
        if (
            "unexpected error" in pane
            or "Traceback" in pane
            or not tmux("list-panes", "-t", SESSION)
        ):
            raise RuntimeError(f"view {key} failed:\n{pane}")
        out[key] = took
    return out


def pg_admin_url() -> tuple[str, dict[str, str] | None]:
    url = os.environ.get("KAM_BENCH_PG_URL") or os.environ.get("KAM_TEST_PG_URL")
    if url:
        return url, None
    done = subprocess.run(
        [str(ROOT / ".ci" / "pg-up")], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        sys.exit(f"bench_pg needs PostgreSQL: {done.stderr.strip()}")
    env = {}
    for line in done.stdout.splitlines():
        name, _, value = line.removeprefix("export ").partition("=")
        env[name] = shlex.split(value)[0]
    os.environ.update(env)
    return env["KAM_TEST_PG_URL"], env


def main() -> None:
    if not shutil.which("tmux"):
        sys.exit("bench_pg needs tmux")
    sys.path.insert(0, str(ROOT))
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from kamtui.db import Database
    from kamtui.migrate import open_database
    from kamtui.services.demo import build_demo

    admin_url, started = pg_admin_url()
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = f"kam_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    pg_url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    folder = Path(tempfile.mkdtemp(prefix="kam-bench-pg-"))
    targets = {"SQLite": str(folder / "bench.db"), "PostgreSQL": pg_url}
    demo_s = {}
    try:
        for label, arg in targets.items():
            database = Database.from_argument(arg)
            open_database(database)
            t0 = time.perf_counter()
            build_demo(database, accounts=ACCOUNTS, seed=1, today=dt.date.today())
            demo_s[label] = time.perf_counter() - t0
            database.close()

        env = "TEXTUAL_ANIMATIONS=none "
        startup: dict[str, list[float]] = {"empty Textual app": [], **{k: [] for k in targets}}
        for _ in range(RUNS):
            startup["empty Textual app"].append(
                start(f"{env}{PY} {ROOT / 'bench' / 'empty_app.py'}", "READY")
            )
            for label, arg in targets.items():
                startup[label].append(
                    start(f"{env}{KAM} --db {shlex.quote(arg)}", f"{ACCOUNTS:,} accounts")
                )
        opens, views = {}, {}
        for label, arg in targets.items():
            start(f"{env}{KAM} --db {shlex.quote(arg)}", f"{ACCOUNTS:,} accounts")
            time.sleep(1.0)  # let the background warm-up finish
            opens[label] = account_open()
            views[label] = every_view()
            tmux("kill-session", "-t", SESSION)
    finally:
        tmux("kill-session", "-t", SESSION)
        shutil.rmtree(folder, ignore_errors=True)
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()
        if started:
            subprocess.run([str(ROOT / ".ci" / "pg-down"), started["KAM_TEST_PG_DIR"]], check=False)

    empty = statistics.median(startup["empty Textual app"])
    print(f"\n## SQLite and PostgreSQL, {ACCOUNTS:,} accounts (load {os.getloadavg()[0]:.1f})\n")
    print(", ".join(f"kam demo on {k}: {v:.1f} s" for k, v in demo_s.items()) + "\n")
    print("| measure | SQLite | PostgreSQL |")
    print("|---|---|---|")
    print(f"| empty Textual app to first frame (median) | {empty * 1000:.0f} ms | |")

    def cells(f: object) -> str:
        return " | ".join(f(k) for k in targets)  # type: ignore[operator]

    print(f"| start-up to {ACCOUNTS:,} accounts shown (median) | "
          + cells(lambda k: f"{statistics.median(startup[k]) * 1000:.0f} ms") + " |")  # fmt: skip
    print("| start-up ratio to the empty app | "
          + cells(lambda k: f"{statistics.median(startup[k]) / empty:.2f}x") + " |")  # fmt: skip
    print("| account-open (median / worst) | "
          + cells(lambda k: f"{statistics.median(opens[k]) * 1000:.0f} / "
                            f"{max(opens[k]) * 1000:.0f} ms") + " |")  # fmt: skip
    for key in "34562":
        print(f"| view {key} shown and settled | "
              + cells(lambda k, key=key: f"{views[k][key] * 1000:.0f} ms") + " |")  # fmt: skip
    print("\n(times include tmux polling, about 6 ms; 'settled' = no change for 0.4 s after)")


if __name__ == "__main__":
    main()
