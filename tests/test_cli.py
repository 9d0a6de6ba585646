"""The kam command line: results for people, one clear line for mistakes."""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from kamtui.cli import cli


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_demo_check_and_backup(tmp_path: Path) -> None:
    db = str(tmp_path / "k.db")
    code, out, _ = run("--db", db, "demo", "--accounts", "40", "--seed", "2")
    assert code == 0 and "40 accounts" in out
    code, out, _ = run("--db", db, "check")
    assert code == 0 and "integrity: ok" in out and "current" in out
    code, out, _ = run("--db", db, "backup", str(tmp_path / "copy.db"))
    assert code == 0 and "Backup written" in out
    assert stat.S_IMODE((tmp_path / "copy.db").stat().st_mode) == 0o600


def test_mistakes_are_one_line_without_traceback(tmp_path: Path) -> None:
    db = str(tmp_path / "k.db")
    run("--db", db, "demo", "--accounts", "5")
    cases = [
        ("--db", db, "demo", "--accounts", "5"),  # not empty
        ("--db", db, "demo", "--accounts", "0"),
        ("--db", str(tmp_path / "missing.db"), "check"),
        ("--db", db, "backup", str(tmp_path / "copy.db")),
        ("--db", db, "backup", str(tmp_path / "copy.db")),  # exists now
        ("--db", str(tmp_path), "demo"),  # a folder
        ("--db", "sqlite://memory", "check"),
    ]
    failures = 0
    for args in cases:
        code, _, err = run(*args)
        if code != 0:
            failures += 1
            lines = err.strip().splitlines()
            assert len(lines) == 1 and lines[0].startswith("Error: "), (args, err)
            assert "Traceback" not in err
    assert failures == len(cases) - 1  # the first backup succeeds


def test_env_var_chooses_the_database(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("KAM_DB", str(tmp_path / "env.db"))
    code, out, _ = run("demo", "--accounts", "3")
    assert code == 0 and "3 accounts" in out and (tmp_path / "env.db").exists()


def test_python_dash_m_and_no_terminal(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "kamtui", "--db", str(tmp_path / "m.db")],
        capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60,
    )  # fmt: skip
    assert result.returncode == 1
    assert (
        result.stderr.strip()
        == "Error: kam needs a terminal; use a subcommand (kam --help) for scripts"
    )
