"""Accounts view on a 10,000-account demo, in a real terminal (tmux).

* start-up: launch to the first frame that shows the data, as a ratio to an empty Textual
  app measured in the same run (runs alternate, medians compared);
* key-to-paint: send a key with tmux and poll the pane until it changes (down, page down,
  sort, one filter character); median and worst;
* peak memory of the kam process (VmHWM).

Run: .venv/bin/python bench/bench_accounts.py [--db DEMO.db] [--rounds N]   (or: make bench)
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
KAM = str(Path(PY).with_name("kam"))
SESSION = os.environ.get("KAM_BENCH_PREFIX", "") + "kambench"


def bench_env() -> str:
    """What the measured commands run with: as on a user's machine, where Python keeps
    the compiled modules of kam (some sandboxes set PYTHONDONTWRITEBYTECODE, which would
    make every start compile kam's sources and not the bare app's, Textual being
    installed compiled)."""
    subprocess.run([PY, "-m", "compileall", "-q", str(ROOT / "kamtui")], check=True)
    return "env -u PYTHONDONTWRITEBYTECODE TEXTUAL_ANIMATIONS=none "


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True).stdout


def capture(escapes: bool = False) -> str:
    return tmux("capture-pane", "-p", *(["-e"] if escapes else []), "-t", SESSION)


def start(command: str, ready: str, timeout: float = 30.0) -> float:
    tmux("kill-session", "-t", SESSION)
    t0 = time.perf_counter()
    for _ in range(3):  # the tmux server may still be ending after its last session went
        made = subprocess.run(
            ["tmux", "new-session", "-d", "-s", SESSION, "-x", "100", "-y", "30", command]
        )
        if made.returncode == 0:
            break
        time.sleep(0.2)
        t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout:
        if ready in capture():
            return time.perf_counter() - t0
        time.sleep(0.003)
    raise RuntimeError(f"{ready!r} never appeared:\n{capture()}")


def key_to_paint(key: str, literal: bool = False) -> float:
    before = capture(escapes=True)
    t0 = time.perf_counter()
    tmux("send-keys", "-t", SESSION, *(["-l"] if literal else []), key)
    while time.perf_counter() - t0 < 5:
        if capture(escapes=True) != before:
            return time.perf_counter() - t0
        time.sleep(0.001)
    return float("nan")


def main() -> None:
    if not shutil.which("tmux"):
        sys.exit("bench_accounts needs tmux")
    sys.path.insert(0, str(ROOT))
    import argparse

    from kamtui.db import Database
    from kamtui.migrate import open_database
    from kamtui.services.demo import build_demo

    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, help="a 10,000-account demo to reuse")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="kam-bench-"))
    demo_s = float("nan")
    if args.db:
        db_path = args.db.absolute()
    else:
        db_path = folder / "bench.db"
        database = Database.for_file(db_path)
        open_database(database)
        t0 = time.perf_counter()
        build_demo(database, accounts=10_000, seed=1, today=dt.date.today())
        demo_s = time.perf_counter() - t0
        database.close()

    env = bench_env()
    empty, kam = [], []
    for _ in range(args.rounds):
        empty.append(start(f"{env}{PY} {ROOT / 'bench' / 'empty_app.py'}", "READY"))
        kam.append(start(f"{env}{KAM} --db {db_path}", "10,000 accounts"))
    time.sleep(1.0)

    keys: dict[str, list[float]] = {"down": [], "page down": [], "sort (s)": [], "filter char": []}
    for _ in range(20):
        keys["down"].append(key_to_paint("Down"))
    for _ in range(10):
        keys["page down"].append(key_to_paint("PageDown"))
    for _ in range(8):
        keys["sort (s)"].append(key_to_paint("s"))
    tmux("send-keys", "-t", SESSION, "/")
    time.sleep(0.3)
    for ch in "ridgeab":
        keys["filter char"].append(key_to_paint(ch, literal=True))
    for _ in range(7):
        keys["filter char"].append(key_to_paint("BSpace"))
    pid = subprocess.run(
        ["pgrep", "-f", f"kam --db {db_path}"], capture_output=True, text=True
    ).stdout.split()
    peaks = []
    for one in pid:  # tmux and the shell match too: the largest is the app
        status = Path(f"/proc/{one}/status").read_text()
        peaks += [int(x.split()[1]) for x in status.splitlines() if x.startswith("VmHWM")]
    peak = f"{max(peaks) / 1024:.0f} MiB" if peaks else "?"
    tmux("kill-session", "-t", SESSION)
    shutil.rmtree(folder, ignore_errors=True)

    e, k = statistics.median(empty), statistics.median(kam)
    print(f"\n## Accounts view, 10,000 accounts (machine load {os.getloadavg()[0]:.1f})\n")
    print(f"kam demo --accounts 10000: {demo_s:.1f} s\n")
    print("| measure | median | worst | bar |")
    print("|---|---|---|---|")
    print(
        f"| empty Textual app to first frame | {e * 1000:.0f} ms | {max(empty) * 1000:.0f} ms | |"
    )
    print(f"| kam to 10,000 accounts shown | {k * 1000:.0f} ms | {max(kam) * 1000:.0f} ms | |")
    print(f"| start-up ratio | {k / e:.2f}x | | ≤ 1.5x |")
    for name, times in keys.items():
        times = [t for t in times if t == t]
        print(
            f"| key-to-paint: {name} | {statistics.median(times) * 1000:.1f} ms | {max(times) * 1000:.1f} ms | ≤ 50 ms median |"
        )
    print(f"| peak RSS of kam | {peak} | | ≤ 250 MB |")
    print("\n(key-to-paint includes tmux send-keys and capture-pane polling, about 6 ms)")


if __name__ == "__main__":
    main()
