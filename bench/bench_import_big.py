"""A 1,000,000-row CSV (≈47 MB) checked and imported in bounded memory (issue 9 item 11).

    .venv/bin/python bench/bench_import_big.py [--rows 1000000] [--keep DIR]

Runs the real ``kam import`` in a subprocess, each measurement in its own child so
``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss`` is that run's peak alone:
- rejecting the file for one bad value on its last row (exit 1, the database unchanged);
- baseline: ``kam check`` on the same database (start-up cost: Python, SQLAlchemy);
- importing it into an empty database (every row created);
- importing it again onto itself (every row matched, none changed).
Targets: peak RSS under 200 MB; time reported as wall and CPU seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
KAM = [sys.executable, "-m", "kamtui"]
TYPES = ("Customer", "Prospect", "Customer - Direct", "Other")


def write_file(path: Path, rows: int, *, bad_last: bool) -> None:
    """Salesforce API columns; a parent on one row in 50 (pointing back in the file)."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("Id,Name,Type,ParentId,AnnualRevenue,NumberOfEmployees\r\n")
        for i in range(1, rows + 1):
            parent = f"001A{(i // 2):011d}" if i % 50 == 0 else ""
            revenue = "1e400" if bad_last and i == rows else f"{(i * 7919) % 9_000_000}.50"
            fh.write(f"001A{i:011d},Company {i},{TYPES[i % 4]},{parent},{revenue},{i % 5000}\r\n")


def measure(args: list[str]) -> dict[str, float]:
    """Run ``args`` in a child of a fresh child: wall, CPU and peak RSS of that run."""
    code = (
        "import json, resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "r = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "wall = time.perf_counter() - t\n"
        "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(json.dumps({'wall': wall, 'cpu': u.ru_utime + u.ru_stime,\n"
        "  'rss_mb': u.ru_maxrss / 1024, 'rc': r.returncode, 'err': r.stderr[-300:]}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, default=None, help="keep the files here")
    a = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="kam-bench-big-")) if a.keep is None else a.keep
    folder.mkdir(parents=True, exist_ok=True)
    env_db = folder / "kam.db"
    good, bad = folder / "big.csv", folder / "big-bad-last.csv"
    t = time.perf_counter()
    write_file(good, a.rows, bad_last=False)
    write_file(bad, a.rows, bad_last=True)
    size = good.stat().st_size / 2**20
    print(f"{a.rows:,} rows, {size:.1f} MiB, written in {time.perf_counter() - t:.1f} s")
    db = ["--db", str(env_db)]
    results = {}
    results["reject (bad last row)"] = measure([*KAM, *db, "import", str(bad)])
    # the baseline: the same program on the same (still empty) database, doing nothing big
    results["baseline: kam check"] = measure([*KAM, *db, "check"])
    results["import (all new)"] = measure([*KAM, *db, "import", str(good)])
    results["re-import (all unchanged)"] = measure([*KAM, *db, "import", str(good)])
    base = results["baseline: kam check"]
    print(f"{'run':<28}{'exit':>5}{'wall s':>9}{'CPU s':>8}{'peak MB':>9}{'× base':>8}")
    for name, r in results.items():
        print(
            f"{name:<28}{r['rc']:>5}{r['wall']:>9.1f}{r['cpu']:>8.1f}{r['rss_mb']:>9.0f}"
            f"{r['rss_mb'] / base['rss_mb']:>8.2f}"
        )
    reject, done = results["reject (bad last row)"], results["import (all new)"]
    ok = (
        reject["rc"] == 1
        and "number too large" in reject["err"]
        and done["rc"] == 0
        and max(r["rss_mb"] for r in results.values()) < 200
    )
    if not ok:
        print("FAILED:", json.dumps(results, indent=1)[-1500:])
    if a.keep is None:
        shutil.rmtree(folder, ignore_errors=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    os.environ.setdefault("KAM_BENCH", "1")
    main()
