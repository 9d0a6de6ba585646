"""Reliability battery, command line (issue 9 items 1–3, 6–8): the real ``kam`` in a
subprocess, as a careful user and an unlucky one run it. Every refusal is one line on
stderr, a non-zero exit, no traceback, no customer data, and the database unchanged."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from battery_helpers import KAM, content, customer_strings, demo, kam, refused


@pytest.fixture
def demo_file(tmp_path: Path) -> Path:
    path = tmp_path / "kam.db"
    demo(path)
    return path


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


# --- item 1: not a database ---------------------------------------------------------------


def test_a_text_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("meeting with Jane Doe <jane@customer.example>\n")
    notes.chmod(0o644)
    for command in (["check"], ["demo", "--accounts", "3"], ["export"]):
        line = refused(kam("--db", str(notes), *command), "jane@customer.example")
        assert line == f"{notes} is not a kam database (not an SQLite file): check --db"
    assert notes.read_text() == "meeting with Jane Doe <jane@customer.example>\n"
    assert mode(notes) == 0o644
    assert not list(tmp_path.glob("notes.txt-*"))


def test_kam_db_setting_is_named_when_it_is_wrong(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database\n")
    line = refused(kam("check", env={"KAM_DB": str(notes)}))
    assert line.endswith("check KAM_DB")


# --- item 2: folders, other users, read-only files, full disks ------------------------------


def test_a_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    for command in (["check"], ["demo"]):
        line = refused(kam("--db", str(folder), *command))
        assert line == f"{folder} is a folder, not a database file"
    assert list(folder.iterdir()) == []


@pytest.fixture
def shared_folder() -> Iterator[Path]:
    """A folder other users may enter (pytest's own tmp folders are 0700)."""
    folder = Path(tempfile.mkdtemp(prefix="kam-shared-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


AS_NOBODY = textwrap.dedent(
    """
    import os, pwd, sys
    import kamtui.cli, kamtui.db, kamtui.failures, kamtui.migrate, kamtui.services.demo
    import kamtui.app  # the crash log writer, should it be needed (before /root closes)
    nobody = pwd.getpwnam("nobody")
    os.setgroups([]); os.setgid(nobody.pw_gid); os.setuid(nobody.pw_uid)
    sys.argv = ["kam", *sys.argv[1:]]
    kamtui.cli.main()
    """
)


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to run kam as another user")
def test_another_users_private_database_is_refused(shared_folder: Path) -> None:
    path = shared_folder / "theirs.db"
    demo(path)
    assert mode(path) == 0o600
    before = content(path)
    names = customer_strings(path)
    # kam runs as nobody; it imports its modules first because this machine's Python
    # lives under /root, which nobody may not read
    result = kam("--db", str(path), "demo", "--replace", prefix=[sys.executable, "-c", AS_NOBODY])
    line = refused(result, *names)
    assert line == (
        f"cannot open {path}: it belongs to user root (mode 0600) and you may not read "
        "and write it — use your own copy or ask its owner"
    )
    assert content(path) == before
    assert mode(path) == 0o600 and os.stat(path).st_uid == 0


@pytest.fixture
def immutable(demo_file: Path) -> Iterator[Path]:
    if shutil.which("chattr") is None:
        pytest.skip("chattr is not installed")
    made = subprocess.run(["chattr", "+i", str(demo_file)], capture_output=True, text=True)
    if made.returncode != 0:
        pytest.skip(f"chattr +i refused here ({made.stderr.strip()}): needs root on ext4")
    yield demo_file
    subprocess.run(["chattr", "-i", str(demo_file)], check=True)


def test_a_read_only_database_refuses_writes_in_one_line(immutable: Path) -> None:
    before = content(immutable)
    names = customer_strings(immutable)
    line = refused(kam("--db", str(immutable), "demo", "--replace", "--accounts", "4"), *names)
    assert line == (
        f"{immutable} is read-only (file mode, chattr +i or a read-only disk): nothing was "
        "changed — make it writable or choose another file"
    )
    assert content(immutable) == before
    checked = kam("--db", str(immutable), "check")  # reading still works
    assert checked.returncode == 0 and "integrity: ok" in checked.stdout


@pytest.fixture
def small_disk() -> Iterator[Path]:
    """A 2 MB filesystem (tmpfs), so the disk really fills up."""
    folder = Path(tempfile.mkdtemp(prefix="kam-full-"))
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        folder.rmdir()
        pytest.skip(f"cannot mount a small tmpfs here ({mounted.stderr.strip()}): needs root")
    yield folder
    subprocess.run(["umount", str(folder)], check=True)
    folder.rmdir()


def test_a_full_disk_is_one_line_and_the_data_survives(small_disk: Path) -> None:
    path = small_disk / "kam.db"
    demo(path, accounts=5)
    before = content(path)
    result = kam("--db", str(path), "demo", "--replace", "--accounts", "3000")
    line = refused(result, *customer_strings(path))
    assert line == (
        f"the disk holding {path} is full: nothing was saved — free some space and try again"
    )
    assert content(path) == before
    assert "integrity: ok" in kam("--db", str(path), "check").stdout


def test_a_file_size_limit_is_one_line(tmp_path: Path) -> None:
    """Without root: RLIMIT_FSIZE makes the disk 'full' for this one process."""
    import resource

    path = tmp_path / "kam.db"
    demo(path, accounts=5)
    before = content(path)

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (1_000_000, 1_000_000))

    result = kam("--db", str(path), "demo", "--replace", "--accounts", "3000", preexec_fn=limit)
    line = refused(result, *customer_strings(path))
    assert str(path) in line and "nothing was saved" in line
    assert content(path) == before


# --- item 3: drivers, URLs and passwords ---------------------------------------------------

BLOCK_PSYCOPG = textwrap.dedent(
    """
    import sys, importlib.abc
    class Block(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in ("psycopg", "psycopg2"):
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)
    sys.meta_path.insert(0, Block())
    sys.argv = ["kam", *sys.argv[1:]]
    from kamtui.cli import main
    main()
    """
)


def test_postgresql_without_its_driver(tmp_path: Path) -> None:
    url = "postgresql+psycopg://kam@127.0.0.1:5/kam"
    line = refused(kam("--db", url, "check", prefix=[sys.executable, "-c", BLOCK_PSYCOPG]))
    assert line == (
        "the PostgreSQL driver is not installed: pip install 'kamtui[postgres]' "
        "(and use a postgresql+psycopg:// URL in --db)"
    )


def test_a_password_in_the_url_warns_and_is_never_echoed(tmp_path: Path) -> None:
    pytest.importorskip("psycopg")
    url = "postgresql+psycopg://kam:S3cr3t-pw@127.0.0.1:5/kam"  # nothing listens on port 5
    result = kam("--db", url, "check")
    line = refused(result, "S3cr3t-pw")
    assert line == (
        "cannot connect to postgresql+psycopg://kam:***@127.0.0.1:5/kam: connection refused "
        "— is PostgreSQL running on that host and port?"
    )
    assert result.stderr.splitlines()[0] == (
        "kam: warning: the password in --db can be seen by other users (ps, shell history); "
        "leave it out of the URL and put it in PGPASSWORD or ~/.pgpass"
    )
    quiet = kam("--db", "postgresql+psycopg://kam@127.0.0.1:5/kam", "check")
    assert "warning" not in quiet.stderr


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            "mysql://u:pw@127.0.0.1:5/kam",
            "kam supports SQLite files and PostgreSQL (postgresql+psycopg://HOST/DB), "
            "not 'mysql' databases",
        ),
        (
            "mssql+pyodbc://u:pw@dsn",
            "kam supports SQLite files and PostgreSQL (postgresql+psycopg://HOST/DB), "
            "not 'mssql' databases",
        ),
        (
            "://nothing-here",
            "KAM_DB is neither a file path nor a database URL: give a database file or "
            "postgresql+psycopg://HOST/DATABASE",
        ),
        (
            "postgresql+psycopg://u:pw@host:notaport/kam",
            "KAM_DB is neither a file path nor a database URL: give a database file or "
            "postgresql+psycopg://HOST/DATABASE",
        ),
        (
            "no-such-kind://host/db",
            "KAM_DB is neither a file path nor a database URL: give a database file or "
            "postgresql+psycopg://HOST/DATABASE",
        ),
        (
            "sqlite://memory",
            "unsupported SQLite URL 'sqlite://memory': use sqlite:///PATH",
        ),
    ],
)
def test_urls_kam_cannot_use(value: str, expected: str) -> None:
    result = kam("check", env={"KAM_DB": value})
    assert refused(result, ":pw@") == expected


# --- item 8: paths ---------------------------------------------------------------------------


def test_a_symlinked_database_is_refused(demo_file: Path, tmp_path: Path) -> None:
    link = tmp_path / "link.db"
    link.symlink_to(demo_file)
    before = content(demo_file)
    for command in (["check"], ["demo", "--replace", "--accounts", "3"]):
        line = refused(kam("--db", str(link), *command))
        assert line == (
            f"{link} is a symbolic link; kam does not follow links — give the database "
            "file's real path"
        )
    assert content(demo_file) == before


def test_a_dangling_symlink_creates_nothing(tmp_path: Path) -> None:
    link = tmp_path / "link.db"
    target = tmp_path / "elsewhere.db"
    link.symlink_to(target)
    refused(kam("--db", str(link), "demo", "--accounts", "3"))
    assert not target.exists()
    assert link.is_symlink()


def test_devices_and_pipes_are_refused_and_never_chmodded(tmp_path: Path) -> None:
    devnull_mode = mode(Path("/dev/null"))
    line = refused(kam("--db", "/dev/null", "demo", "--accounts", "3"))
    assert line == (
        "/dev/null is not a regular file (a device, pipe or socket); give a database file"
    )
    assert mode(Path("/dev/null")) == devnull_mode
    fifo = tmp_path / "pipe.db"
    os.mkfifo(fifo, 0o644)
    refused(kam("--db", str(fifo), "check"))  # and does not hang on the pipe
    assert mode(fifo) == 0o644


def test_folders_kam_makes_are_0700_under_umask_000(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "c" / "kam.db"

    def no_umask() -> None:
        os.umask(0)

    result = kam("--db", str(path), "demo", "--accounts", "3", preexec_fn=no_umask)
    assert result.returncode == 0, result.stderr
    for folder in (tmp_path / "a", tmp_path / "a" / "b", tmp_path / "a" / "b" / "c"):
        assert mode(folder) == 0o700, folder
    assert mode(path) == 0o600
    out = tmp_path / "export"
    result = kam(
        "--db", str(path), "export", "--format", "csv", "--out", str(out), preexec_fn=no_umask
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert mode(out) == 0o700
    assert {mode(f) for f in out.iterdir()} == {0o600}


def test_an_existing_world_readable_database_is_tightened_and_said(
    demo_file: Path, tmp_path: Path
) -> None:
    demo_file.chmod(0o644)
    csv = tmp_path / "one.csv"
    csv.write_text("Account Name\nTightened Example AG\n", encoding="utf-8")
    result = kam("--db", str(demo_file), "import", str(csv), "--dry-run")
    assert result.returncode == 0, result.stderr
    assert f"kam: {demo_file} was readable by other users; it is now 0600" in result.stderr
    assert mode(demo_file) == 0o600


def test_an_output_file_that_is_a_link_is_not_written_through(
    demo_file: Path, tmp_path: Path
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    link = tmp_path / "report.md"
    link.symlink_to(victim)
    line = refused(kam("--db", str(demo_file), "status-report", "--out", str(link)))
    assert (
        line == f"{link} is a symbolic link; kam does not follow links — give the file's real path"
    )
    assert victim.read_text() == "keep me\n"
    backup_link = tmp_path / "copy.db"
    backup_link.symlink_to(tmp_path / "nowhere.db")
    refused(kam("--db", str(demo_file), "backup", str(backup_link)))
    assert not (tmp_path / "nowhere.db").exists()


# --- item 6: two imports of the same new names at once -----------------------------------


def test_the_loser_of_two_imports_is_told_in_one_line(demo_file: Path, tmp_path: Path) -> None:
    """Both imports read the database and plan to create the same new accounts while a
    third program holds the write lock; then both write. One wins, the other is told."""
    import sqlite3

    csv = tmp_path / "new.csv"
    csv.write_text(
        "Account Name,Industry\n" + "".join(f"Racing Customer {i} AG,Retail\n" for i in range(20)),
        encoding="utf-8",
    )
    holder = sqlite3.connect(demo_file, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    env = {**os.environ}
    procs = [
        subprocess.Popen(
            [*KAM, "--db", str(demo_file), "import", str(csv)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for _ in range(2)
    ]
    firsts = [p.stderr.readline() for p in procs if p.stderr is not None]  # both planned
    assert all("20" in line for line in firsts), firsts
    holder.rollback()
    holder.close()
    results = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        results.append((p.returncode, out, err))
    codes = sorted(code for code, _, _ in results)
    assert codes[0] == 0, results
    if codes[1] != 0:  # the race was lost (an importer that re-plans under the lock wins both)
        _, out, err = next(r for r in results if r[0] != 0)
        assert "Traceback" not in err and "Racing Customer" not in err + out
        assert err.strip().splitlines()[-1] == (
            "Error: another program imported the same names at the same time; nothing from "
            "new.csv was saved — run the import again"
        )
    names = content(demo_file)["account"]
    assert sum("Racing Customer" in row for row in names) == 20
    assert "integrity: ok" in kam("--db", str(demo_file), "check").stdout


# --- anything unexpected -------------------------------------------------------------------

CRASH = textwrap.dedent(
    """
    import sys
    import kamtui.services.demo as demo
    def broken(*a, **k):
        raise RuntimeError("customer jane@customer.example said no")
    demo.build_demo = broken
    sys.argv = ["kam", *sys.argv[1:]]
    from kamtui.cli import main
    main()
    """
)


def test_an_unexpected_error_points_to_a_private_crash_log(tmp_path: Path) -> None:
    result = kam(
        "--db", str(tmp_path / "k.db"), "demo", prefix=[sys.executable, "-c", CRASH]
    )  # fmt: skip
    line = refused(result, "jane@customer.example")
    logs = list((tmp_path / "xdg-state").rglob("crash-*.log"))
    assert len(logs) == 1 and mode(logs[0]) == 0o600
    assert line == (
        f"kam stopped after an unexpected error (RuntimeError); details are in {logs[0]} — "
        "please send that file with a bug report"
    )
    assert "RuntimeError" in logs[0].read_text()
