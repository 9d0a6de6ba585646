"""Reliability battery, kill -9 during ``kam import`` (R1): whenever the process dies,
the database is sound and holds the whole file or nothing of it."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from pathlib import Path

import pytest
from battery_helpers import HANG, KAM, content, demo, kam


def _accounts_file(path: Path, rows: int) -> Path:
    path.write_text(
        "Account Name,Industry,Country\n"
        + "".join(f"Killed Import {i:05d} AG,Retail,Germany\n" for i in range(rows)),
        encoding="utf-8",
    )
    return path


def _kill_during_import(db: Path, csv: Path, delay: float) -> None:
    before = content(db)["account"]
    proc = subprocess.Popen(
        [*KAM, "--db", str(db), "import", str(csv)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert proc.stderr is not None
    proc.stderr.readline()  # the file is read and checked: the write is next
    time.sleep(delay)  # only moves the moment of the kill
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(HANG)
    proc.stderr.close()
    checked = kam("--db", str(db), "check")
    assert checked.returncode == 0 and "integrity: ok" in checked.stdout, checked.stderr
    after = content(db)["account"]
    imported = sum("Killed Import" in row for row in after)
    assert (imported, len(after)) in ((0, len(before)), (3000, len(before) + 3000)), imported


@pytest.mark.parametrize("delay", [0.0, 0.3, 0.6, 2.0])
def test_kill_9_during_an_import_leaves_all_or_nothing(tmp_path: Path, delay: float) -> None:
    db = tmp_path / "kam.db"
    demo(db)
    _kill_during_import(db, _accounts_file(tmp_path / "big.csv", 3000), delay)


@pytest.mark.slow
def test_kill_9_during_imports_soak(tmp_path: Path) -> None:
    db = tmp_path / "kam.db"
    demo(db)
    csv = _accounts_file(tmp_path / "big.csv", 3000)
    rng = random.Random(9)
    for _ in range(30):
        _kill_during_import(db, csv, rng.uniform(0, 1.5))
        result = kam("--db", str(db), "demo", "--replace", "--accounts", "8")
        assert result.returncode == 0, result.stderr
