"""Quitting cleanly after visiting several views.

On quit Textual clears the current mode's stack first, then prunes the screens of the
other modes; their focus reset calls ``refresh_bindings``, and our override asked for
``app.screen``, which raises ``ScreenStackError: No screens on stack`` then. Users saw a
full traceback in the terminal after opening an account, leaving it and pressing ``q``.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path
from typing import Any

import pytest
from ui_helpers import settle as _settle

from kamtui.app import make_app

TODAY = dt.date(2026, 11, 16)


@pytest.mark.parametrize(
    "keys",
    [
        ["3", "2", "enter", "escape", "q"],  # the report: leave the account, quit at once
        ["4", "enter", "escape", "2", "q"],  # the account opened from the board
    ],
    ids=["account-from-accounts", "account-from-board"],
)
async def test_quit_after_visiting_views_is_clean(demo_db: Any, keys: list[str]) -> None:
    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        for key in keys[:-1]:
            await pilot.press(key)
            await _settle(app, pilot)
        await pilot.press(keys[-1])  # no settling: quit right away
    assert app._exception is None
    assert app.return_code == 0


# --- the same in a real terminal ------------------------------------------------------------

ANSI = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[P\]][^\x07\x1b]*(\x07|\x1b\\)|\x1b.")


class Terminal:
    """``kam`` in a pseudo-terminal of 100×30; the screen text with escapes removed."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        self.proc = subprocess.Popen(
            args, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
        )
        os.close(slave)
        self.fd = master
        self.raw = b""

    def read(self, timeout: float = 0.1) -> None:
        while select.select([self.fd], [], [], timeout)[0]:
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:  # the program ended and closed the terminal
                return
            if not chunk:
                return
            self.raw += chunk
            timeout = 0.05

    @property
    def text(self) -> str:
        return ANSI.sub(b"", self.raw).decode("utf-8", "replace")

    def wait_for(self, needle: str, timeout: float = 60.0) -> None:
        end = time.monotonic() + timeout  # a guard against hanging, not a speed check
        start = len(self.raw)
        while time.monotonic() < end:
            self.read()
            if needle in ANSI.sub(b"", self.raw[start:]).decode("utf-8", "replace"):
                return
            if self.proc.poll() is not None:
                break
        raise AssertionError(f"{needle!r} never appeared:\n{self.text[-2000:]}")

    def send(self, keys: str) -> None:
        os.write(self.fd, keys.encode())

    def close(self) -> int:
        end = time.monotonic() + 30
        while self.proc.poll() is None and time.monotonic() < end:
            self.read()
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.read(0)
        os.close(self.fd)
        return self.proc.wait()


def test_quit_in_a_real_terminal_prints_no_traceback(demo_db: Any, tmp_path: Path) -> None:
    kam = Path(sys.executable).with_name("kam")
    env = {**os.environ, "TERM": "xterm-256color", "TEXTUAL_ANIMATIONS": "none"}
    term = Terminal([str(kam), "--db", str(demo_db.path)], env)
    try:
        term.wait_for("60 accounts")
        term.send("3")
        term.wait_for("Weights")
        term.send("2")
        term.wait_for("60 accounts")
        term.send("\r")
        term.wait_for("Profile")
        term.send("\x1b")  # back to the list (an escape followed at once by q is alt+q)
        term.wait_for("60 accounts")
        term.send("q")
    finally:
        code = term.close()
    assert "Traceback" not in term.text and "Error" not in term.text, term.text[-3000:]
    assert code == 0
