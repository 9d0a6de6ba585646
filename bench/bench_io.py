"""Import/export speed and memory on a 10,000-account portfolio (issue 3, SPEC §6).

    .venv/bin/python bench/bench_io.py [--runs 3]

Measures, each as the median of ``--runs`` runs (a fresh database per run):
- importing a 10,000-row Salesforce CSV (Data Loader style, with parents) into an empty
  database: read, validate, plan and write in one transaction (target ≤ 3 s);
- re-importing the same file onto itself: all 10,000 rows matched, none changed;
- re-importing it with every row changed (all 10,000 updates, versions bumped; ≤ 5 s);
- JSON export of the 10,000-account demo (≤ 3 s), and restoring it into an empty database;
- peak RSS of this process (≤ 250 MB), from ``resource.getrusage``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kamtui.db import Database
from kamtui.io.importer import apply_import, prepare_import
from kamtui.io.plan import Options
from kamtui.migrate import open_database
from kamtui.services.demo import build_demo

TODAY = dt.date(2026, 11, 16)
TYPES = ("Customer - Direct", "Customer - Channel", "Prospect", "Other", "")


def salesforce_csv(path: Path, rows: int, bump: int = 0) -> None:
    """A Data Loader extract: every value quoted, CRLF, parents by Id in any order."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        w.writerow(["Id", "Name", "Type", "ParentId", "Industry", "AnnualRevenue",
                    "NumberOfEmployees", "BillingCity", "BillingCountry", "Website", "OwnerId",
                    "Description", "Rating"])  # fmt: skip
        for i in range(1, rows + 1):
            parent = f"0015g{(i * 7919) % rows + 1:010d}AAA" if i % 25 == 0 else ""
            if parent == f"0015g{i:010d}AAA":
                parent = ""
            w.writerow([
                f"0015g{i:010d}AAA", f"Company {i:05d} Ltd", TYPES[i % len(TYPES)],
                parent if i % 50 != 0 else "", "Manufacturing", f"{(i * 1013) % 900000 + bump}.50",
                str(i % 5000 + 5), "Hamburg", "Germany", f"https://c{i}.example",
                "0055g00000XYZabAAA", "Key supplier of widgets, \"since 2019\"\nTwo sites.", "Warm",
            ])  # fmt: skip


def fresh(folder: Path, name: str) -> Database:
    db = Database.for_file(folder / name)
    open_database(db)
    return db


def timed(fn: Callable[[], object]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process): on a busy shared machine the wall
    clock measures the neighbours too, so both are reported."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def import_file(db: Database, path: Path) -> None:
    plan = prepare_import(db, path, Options(fmt="auto"), TODAY)
    assert plan.ok, plan.describe()
    apply_import(plan)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    results: dict[str, list[tuple[float, float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        src, changed = folder / "sf.csv", folder / "sf-changed.csv"
        salesforce_csv(src, 10_000)
        salesforce_csv(changed, 10_000, bump=1)
        demo = fresh(folder, "demo.db")
        build_demo(demo, accounts=10_000, seed=1, today=TODAY)
        demo_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        for run in range(runs):
            db = fresh(folder, f"import-{run}.db")
            results.setdefault("import 10,000-row Salesforce CSV, empty db", []).append(
                timed(lambda db=db: import_file(db, src))  # type: ignore[misc]
            )
            results.setdefault("re-import the same file (10,000 unchanged)", []).append(
                timed(lambda db=db: import_file(db, src))  # type: ignore[misc]
            )
            results.setdefault("re-import, every row changed (10,000 updates)", []).append(
                timed(lambda db=db: import_file(db, changed))  # type: ignore[misc]
            )
            db.close()
            out = folder / f"dump-{run}.json"
            from kamtui.io.export import export

            results.setdefault("JSON export of the 10,000-account demo", []).append(
                timed(lambda out=out: export(demo, "json", out))  # type: ignore[misc]
            )
            target = fresh(folder, f"restore-{run}.db")
            results.setdefault("restore that JSON into an empty db", []).append(
                timed(lambda target=target, out=out: import_file(target, out))  # type: ignore[misc]
            )
            target.close()
        demo.close()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    targets = {
        "import 10,000-row Salesforce CSV, empty db": 3.0,
        "re-import, every row changed (10,000 updates)": 5.0,
        "re-import the same file (10,000 unchanged)": 5.0,
        "JSON export of the 10,000-account demo": 3.0,
    }
    load = os.getloadavg()[0]
    print(f"bench_io: {runs} run(s), {os.cpu_count()} CPUs, load average {load:.1f}")
    print(f"{'measure':<48} {'wall':>7} {'CPU':>7} {'target':>8}")
    for name, values in results.items():
        wall = statistics.median(v[0] for v in values)
        cpu = statistics.median(v[1] for v in values)
        target = targets.get(name)
        mark = "" if target is None else ("ok" if wall <= target else "over (wall)")
        shown = f"≤ {target:.0f} s" if target else ""
        print(f"{name:<48} {wall:>6.2f}s {cpu:>6.2f}s {shown:>8} {mark}")
    print(f"{'peak RSS after building the demo (baseline)':<48} {demo_mb:>5.0f}MB")
    print(f"{'peak RSS of the whole run':<48} {peak_mb:>5.0f}MB {'':>7} {'≤ 250 MB':>8} "
          f"{'ok' if peak_mb <= 250 else 'HIGH'}")  # fmt: skip


if __name__ == "__main__":
    main()
