"""Reliability battery, schema upgrades (R8, R9; issue 9 item 7), through the real ``kam``:
a failed upgrade is atomic and says so in one line; two programs starting together on an
old database upgrade it exactly once, and neither fails."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
from pathlib import Path

import pytest
from battery_helpers import HANG, KAM, add_rows_0001, at_revision, content, kam, refused

from kamtui.migrations import HEAD


def old_database(path: Path) -> Path:
    at_revision(path, "0001")
    add_rows_0001(path)
    return path


def revision(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return str(conn.execute("SELECT version_num FROM alembic_version").fetchone()[0])
    finally:
        conn.close()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_failed_upgrade_rolls_back_whole_and_names_its_copy(tmp_path: Path) -> None:
    """A table of the user's own named like one the upgrade adds: the upgrade fails."""
    path = old_database(tmp_path / "old.db")
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE review (note TEXT)")
    conn.execute("INSERT INTO review VALUES ('mine')")
    conn.commit()
    conn.close()
    before = content(path)
    kept = tmp_path / "old.db.before-0001-failed-upgrade.bak"
    for attempt in range(2):
        line = refused(kam("--db", str(path), "status-report"), "Customer 1", "person1@")
        logs = sorted((tmp_path / "xdg-state").rglob("crash-*.log"))
        assert len(logs) == attempt + 1 and mode(logs[-1]) == 0o600
        assert line == (
            f"the upgrade of {path} to schema {HEAD} failed and was rolled back: the database "
            f"is unchanged; a copy from before is {kept}; please send {logs[-1]} with a bug "
            "report"
        )
        assert content(path) == before and revision(path) == "0001"
        # one copy, however often it is tried: each retry replaces the last attempt's copy
        assert sorted(tmp_path.glob("*.bak")) == [kept]
        assert mode(kept) == 0o600 and content(kept) == before
        assert "already exists" in logs[-1].read_text()


def test_an_upgrade_that_would_break_references_is_refused(tmp_path: Path) -> None:
    path = old_database(tmp_path / "old.db")
    conn = sqlite3.connect(path)  # foreign keys off: an old, damaged file
    conn.execute(
        "INSERT INTO contact (account_id, name, title, level, email, phone)"
        " VALUES (999, 'Orphan', '', 'manager', '', '')"
    )
    conn.commit()
    conn.close()
    before = content(path)
    line = refused(kam("--db", str(path), "export"), "Orphan")
    assert line.startswith(
        f"the upgrade of {path} to schema {HEAD} failed (the upgrade would leave 1 broken "
        "references) and was rolled back: the database is unchanged; a copy from before is "
    )
    assert content(path) == before


def _upgrade_together(path: Path, programs: int = 2) -> None:
    procs = [
        subprocess.Popen(
            [*KAM, "--db", str(path), "review-pack", "Customer 1 GmbH"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(programs)
    ]
    for p in procs:
        out, err = p.communicate(timeout=HANG)
        assert p.returncode == 0 and "Traceback" not in err, err
        assert "Customer 1 GmbH" in out


def _assert_upgraded_once(path: Path, rows_before: dict[str, list[str]]) -> None:
    assert revision(path) == HEAD
    backups = list(path.parent.glob(f"{path.name}.before-0001-*.bak"))
    assert len(backups) == 1, backups
    assert content(backups[0]) == rows_before
    after = content(path)
    for table in ("account", "contact", "account_period"):
        assert len(after[table]) == len(rows_before[table]), table
    assert "integrity: ok" in kam("--db", str(path), "check").stdout


def test_two_programs_upgrade_an_old_database_once(tmp_path: Path) -> None:
    path = old_database(tmp_path / "old.db")
    before = content(path)
    _upgrade_together(path, programs=3)
    _assert_upgraded_once(path, before)


@pytest.mark.slow
def test_two_programs_upgrade_an_old_database_once_soak(tmp_path: Path) -> None:
    for round_ in range(20):
        folder = tmp_path / f"round{round_}"
        folder.mkdir()
        path = old_database(folder / "old.db")
        before = content(path)
        _upgrade_together(path, programs=2 + round_ % 3)
        _assert_upgraded_once(path, before)
    assert os.path.exists(tmp_path)
