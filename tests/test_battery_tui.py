"""Reliability battery, terminal (R1, R5, RELIABILITY.md 13–16): the real ``kam`` on a
real pty — start-up under TERM=linux and NO_COLOR, SIGTERM, SIGHUP, a pty that closes
under a kam that was started with SIGHUP ignored, kill -9 in the middle of an edit — and
every view resized below the minimum size and back (Pilot)."""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest
from battery_helpers import Pty, demo, kam

from kamtui.app import VIEWS, KamApp, make_app
from kamtui.screens.too_small import MIN_HEIGHT, MIN_WIDTH, TooSmallScreen

TODAY = dt.date(2026, 11, 16)


@pytest.fixture
def demo_file(tmp_path: Path) -> Path:
    path = tmp_path / "kam.db"
    demo(path, accounts=12)
    return path


def started(path: Path, env: dict[str, str] | None = None, **kw: Any) -> Pty:
    """kam on a pty, once the Accounts view has drawn its rows."""
    term = Pty(["--db", str(path)], env={"TERM": "xterm-256color", **(env or {})}, **kw)
    term.read_until(b"Accounts")
    term.read_until(b"Quit")  # the footer: the first screen is complete
    return term


def checked(path: Path) -> None:
    result = kam("--db", str(path), "check")
    assert result.returncode == 0 and "integrity: ok" in result.stdout, result.stderr


def names(path: Path) -> set[str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM account")}
    finally:
        conn.close()


GREYS_256 = {0, 7, 8, 15, 16, 231, *range(232, 256)}


def colours(output: bytes) -> list[tuple[int, ...]]:
    """Every foreground / background colour in SGR codes: (n,) from the 256 palette,
    (r, g, b) true colour, (-1, n) one of the 16 console colours."""
    found: list[tuple[int, ...]] = []
    for sgr in re.findall(rb"\x1b\[([0-9;]*)m", output):
        parts = [int(p) for p in sgr.split(b";") if p]
        i = 0
        while i < len(parts):
            if parts[i] in (38, 48) and i + 1 < len(parts):
                if parts[i + 1] == 5:
                    found.append((parts[i + 2],))
                    i += 3
                    continue
                if parts[i + 1] == 2:
                    found.append(tuple(parts[i + 2 : i + 5]))
                    i += 5
                    continue
            if 30 <= parts[i] <= 37 or 40 <= parts[i] <= 47 or 90 <= parts[i] <= 107:
                found.append((-1, parts[i] % 10))  # the 16 colours of a console
            i += 1
    return found


def is_grey(colour: tuple[int, ...]) -> bool:
    if len(colour) == 1:
        return colour[0] in GREYS_256
    if colour[0] == -1:
        return colour[1] in (0, 7)  # black, white (and their bright forms)
    return len(set(colour)) == 1


# --- starts ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "env",
    [{"TERM": "linux"}, {"NO_COLOR": "1"}, {"TERM": "linux", "NO_COLOR": "1"}],
    ids=["TERM=linux", "NO_COLOR", "both"],
)
def test_kam_starts_and_quits_on_plain_terminals(demo_file: Path, env: dict[str, str]) -> None:
    term = started(demo_file, env=env)
    try:
        if "NO_COLOR" in env:  # monochrome: every colour drawn is a grey
            assert colours(term.output) and all(is_grey(c) for c in colours(term.output))
        term.send("q")
        assert term.wait() == 0
    finally:
        term.close()
    assert "Traceback" not in term.screen()


# --- signals (R5) ---------------------------------------------------------------------------


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_a_signal_ends_kam_cleanly(demo_file: Path, sig: signal.Signals) -> None:
    before = names(demo_file)
    term = started(demo_file)
    try:
        os.kill(term.pid, sig)
        assert term.wait() == 128 + sig
    finally:
        term.close()
    assert "Traceback" not in term.screen()
    checked(demo_file)
    assert names(demo_file) == before


def test_a_closed_terminal_ends_kam_even_with_sighup_ignored(demo_file: Path) -> None:
    """Started under nohup (SIGHUP ignored), the terminal then goes away: kam must end,
    not spin on a dead terminal (RELIABILITY.md 14)."""
    term = started(demo_file, ignore_sighup=True)
    os.close(term.fd)  # the terminal emulator / SSH connection is gone
    try:
        term.wait()  # raises (and kills it) if kam keeps running on the dead terminal
    finally:
        term.fd = -1
        term.close()
    checked(demo_file)


# --- kill -9 in the middle of an edit (R1) --------------------------------------------------


@pytest.mark.parametrize("delay", [0.0, 0.02, 0.1, 0.4])
def test_kill_9_during_an_edit_leaves_old_or_new(demo_file: Path, delay: float) -> None:
    """A new account typed and saved, the process killed around the save: afterwards the
    database is sound and holds the whole new account or nothing of it. ``delay`` only
    moves the moment of the kill; nothing waits on it."""
    before = names(demo_file)
    term = started(demo_file)
    try:
        term.send("n")
        term.read_until(b"New account")
        term.send("Killed Mid Edit AG")
        term.read_until(b"Killed Mid Edit AG")
        term.send(b"\x13")  # ctrl+s: save
        time.sleep(delay)
        os.kill(term.pid, signal.SIGKILL)
        assert term.wait() == -signal.SIGKILL
    finally:
        term.close()
    checked(demo_file)
    after = names(demo_file)
    assert after in (before, before | {"Killed Mid Edit AG"}), after - before


# --- sizes ------------------------------------------------------------------------------------


async def test_every_view_shows_a_notice_when_too_small_and_returns(demo_db: Any) -> None:
    app: KamApp = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(120, 40)) as pilot:
        for view in VIEWS:
            await pilot.press(view.key)
            await pilot.pause()
            await app.workers.wait_for_complete()
            screen = app.screen
            assert app.current_mode == view.mode and not isinstance(screen, TooSmallScreen)
            await pilot.resize_terminal(40, 12)
            await pilot.pause()
            assert isinstance(app.screen, TooSmallScreen), view.mode
            text = str(app.screen.query_one("#too-small").render())
            assert "Terminal too small (40×12)" in text
            assert f"at least {MIN_WIDTH}×{MIN_HEIGHT}" in text
            await pilot.press("4" if view.key != "4" else "5")  # views stay put meanwhile
            assert app.current_mode == view.mode
            await pilot.resize_terminal(MIN_WIDTH, MIN_HEIGHT - 1)
            await pilot.pause()
            assert isinstance(app.screen, TooSmallScreen)
            await pilot.resize_terminal(120, 40)
            await pilot.pause()
            assert app.screen is screen, view.mode
        await pilot.resize_terminal(MIN_WIDTH, MIN_HEIGHT)
        await pilot.pause()
        assert not isinstance(app.screen, TooSmallScreen)


async def test_starting_in_a_tiny_terminal_shows_the_notice(demo_db: Any) -> None:
    app: KamApp = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert type(app.screen).__name__ == "AccountsScreen"


def test_the_tui_refuses_a_bad_file_in_one_line(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("Jane Doe, jane@customer.example\n")
    term = Pty(["--db", str(notes)])
    try:
        assert term.wait() == 1
    finally:
        term.close()
    lines = [line for line in term.screen().splitlines() if line.strip()]
    assert lines == [f"Error: {notes} is not a kam database (not an SQLite file): check --db"]
    assert notes.read_text() == "Jane Doe, jane@customer.example\n"
