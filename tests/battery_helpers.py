"""Driving the real ``kam`` from outside: subprocesses and ptys, as a user would."""

from __future__ import annotations

import contextlib
import os
import select
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

KAM = [sys.executable, "-m", "kamtui"]
HANG = 120  # seconds: only a guard against a hung program, never a speed assertion


def kam(
    *args: str,
    env: dict[str, str] | None = None,
    preexec_fn: Callable[[], Any] | None = None,
    prefix: Sequence[str] = (),
) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [*(prefix or KAM), *args],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        env=full_env,
        preexec_fn=preexec_fn,
        timeout=HANG,
    )


def refused(result: subprocess.CompletedProcess[str], *secrets: str) -> str:
    """The one line a failing command printed: non-zero exit, no traceback, no customer
    data (``secrets``) on either stream."""
    assert result.returncode != 0, (result.stdout, result.stderr)
    both = result.stdout + result.stderr
    assert "Traceback" not in both, result.stderr
    for secret in secrets:
        assert secret not in both, f"{secret!r} echoed: {result.stderr}"
    lines = [line for line in result.stderr.splitlines() if not line.startswith("kam: warning")]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: "), result.stderr
    return lines[0].removeprefix("Error: ")


def demo(path: Path, accounts: int = 8) -> None:
    result = kam("--db", str(path), "demo", "--accounts", str(accounts), "--seed", "5")
    assert result.returncode == 0, result.stderr


def _ro(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def content(path: Path) -> dict[str, Any]:
    """What a user would call the data: every table's rows (read-only look)."""
    conn = _ro(path)
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        return {t: sorted(map(repr, conn.execute(f'SELECT * FROM "{t}"'))) for t in tables}
    finally:
        conn.close()


def customer_strings(path: Path) -> list[str]:
    """Account and contact names and e-mail addresses held in a database."""
    conn = _ro(path)
    try:
        rows = [r[0] for r in conn.execute("SELECT name FROM account")]
        rows += [r[0] for r in conn.execute("SELECT name FROM contact")]
        rows += [r[0] for r in conn.execute("SELECT email FROM contact WHERE email != ''")]
        return [r for r in rows if r and len(r) > 3]
    finally:
        conn.close()


def at_revision(path: Path, revision: str) -> None:
    """A database at an older schema revision, as an older kam left it."""
    code = (
        "import sys; from pathlib import Path; from alembic import command;"
        "from kamtui import migrate; from kamtui.db import Database;"
        "d = Database.for_file(Path(sys.argv[1])); d.prepare_file();"
        "c = d.engine.connect(); t = c.begin();"
        "command.upgrade(migrate._alembic_config(c), sys.argv[2]); t.commit(); c.close(); d.close()"
    )
    subprocess.run([sys.executable, "-c", code, str(path), revision], check=True, timeout=HANG)


def add_rows_0001(path: Path, accounts: int = 3) -> None:
    """A few accounts with contacts and periods, in the 0001 schema."""
    conn = sqlite3.connect(path)
    for i in range(1, accounts + 1):
        conn.execute(
            "INSERT INTO account (id, name, website, industry, country, city, status,"
            " financial_situation, infrastructure, business_strategy, incumbents, why_buy_note,"
            " notes, created_at, updated_at) VALUES (?, ?, '', '', '', '', 'key', '', '', '', '',"
            " '', '', '2026-01-01', '2026-01-01')",
            (i, f"Customer {i} GmbH"),
        )
        conn.execute(
            "INSERT INTO contact (account_id, name, title, level, email, phone)"
            " VALUES (?, ?, '', 'manager', ?, '')",
            (i, f"Person {i}", f"person{i}@customer.example"),
        )
    conn.commit()
    conn.close()


# --- a real pseudo-terminal ---------------------------------------------------------------


class Pty:
    """``kam`` on a real pty (its controlling terminal), read the way a terminal reads."""

    def __init__(
        self,
        args: Sequence[str],
        env: dict[str, str] | None = None,
        size: tuple[int, int] = (100, 30),
        ignore_sighup: bool = False,
    ) -> None:
        import fcntl
        import pty
        import signal
        import struct
        import termios

        self.output = b""
        pid, fd = pty.fork()
        if pid == 0:  # the child: becomes kam
            try:
                if ignore_sighup:
                    signal.signal(signal.SIGHUP, signal.SIG_IGN)
                os.execvpe(KAM[0], [*KAM, *args], {**os.environ, **(env or {})})
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        cols, rows = size
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.status: int | None = None

    def read_until(self, needle: bytes, timeout: float = HANG) -> bytes:
        """Everything the program drew until ``needle`` appears (plain text, no styles)."""
        deadline = time.monotonic() + timeout
        while needle not in _plain(self.output):
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"{needle!r} never appeared; screen: {self.screen()[-2000:]}")
            ready, _, _ = select.select([self.fd], [], [], min(left, 1.0))
            if ready:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:
                    chunk = b""
                if not chunk:
                    raise AssertionError(f"kam ended before {needle!r}: {self.screen()[-2000:]}")
                self.output += chunk
        return self.output

    def screen(self) -> str:
        return _plain(self.output).decode("utf-8", "replace")

    def send(self, keys: str | bytes) -> None:
        os.write(self.fd, keys.encode() if isinstance(keys, str) else keys)

    def drain(self) -> None:
        """Read what is pending without waiting (keeps the program from blocking on output)."""
        while True:
            ready, _, _ = select.select([self.fd], [], [], 0)
            if not ready:
                return
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.output += chunk

    def wait(self, timeout: float = HANG) -> int:
        """The exit status (negative: killed by that signal); drains output meanwhile."""
        deadline = time.monotonic() + timeout
        while self.status is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = (
                    -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
                )
                with contextlib.suppress(OSError):
                    self.drain()  # what it wrote just before it ended
                break
            if time.monotonic() > deadline:
                os.kill(self.pid, 9)
                os.waitpid(self.pid, 0)
                raise AssertionError("kam did not exit")
            with contextlib.suppress(OSError):
                self.drain()
            time.sleep(0.05)
        return self.status

    def close(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self.fd)
        if self.status is None:
            try:
                os.kill(self.pid, 9)
                os.waitpid(self.pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass


def _plain(data: bytes) -> bytes:
    """Terminal output without escape sequences, so words can be looked for."""
    import re

    return re.sub(
        rb"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Za-z0-9]|\x1b[=>]|\x1b\][^\x07]*\x07", b"", data
    )
