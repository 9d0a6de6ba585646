"""Keys that arrive in one terminal read take effect in the order typed (the real ``kam``
on a pty): a bound key (backspace, end, ctrl+u, enter) is not overtaken by the printable
keys behind it. Over SSH or when typing fast, a read often holds several keys."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest
from battery_helpers import Pty, demo

END, BACKSPACE, CTRL_U, ENTER, CTRL_S = b"\x1b[F", b"\x7f", b"\x15", b"\r", b"\x13"


@pytest.fixture
def demo_file(tmp_path: Path) -> Path:
    path = tmp_path / "kam.db"
    demo(path, accounts=12)
    return path


def names(path: Path) -> dict[int, str]:
    with sqlite3.connect(path) as conn:
        return dict(conn.execute("SELECT id, name FROM account").fetchall())


def started(path: Path) -> Pty:
    term = Pty(["--db", str(path)], env={"TERM": "xterm-256color"})
    term.read_until(b"Accounts")
    term.read_until(b"Quit")
    return term


def test_a_burst_of_end_backspaces_and_text_saves_what_was_typed(demo_file: Path) -> None:
    before = names(demo_file)
    term = started(demo_file)
    try:
        term.send(ENTER)  # open the account under the cursor
        term.read_until(b"Supplier relationships")
        time.sleep(0.3)  # a person reads the screen: keys typed before it showed are dropped
        term.send(b"e")  # edit its name (the cursor starts on it)
        term.read_until(b"enter saves")
        term.send(END + BACKSPACE * 3 + b" Ltd" + ENTER)  # one write: one read
        term.read_until(b" Ltd")
        term.read_until(b"ctrl+z")  # the save's notice
    finally:
        term.close()
    after = names(demo_file)
    changed = {i: (before[i], after[i]) for i in before if before[i] != after[i]}
    assert len(changed) == 1, changed
    ((old, new),) = changed.values()
    assert new == old[:-3] + " Ltd"


def test_a_burst_of_ctrl_u_and_text_in_a_form_saves_the_text(demo_file: Path) -> None:
    term = started(demo_file)
    try:
        term.send(b"n")
        term.read_until(b"New account")
        term.send(b"Wrong name" + CTRL_U + b"Right Name GmbH" + CTRL_S)
        term.read_until(b"Supplier relationships")  # saved: the new account is open
    finally:
        term.close()
    assert "Right Name GmbH" in names(demo_file).values()
    assert not any("Wrong" in n for n in names(demo_file).values())


def test_a_filter_typed_in_one_burst_with_its_slash_filters_on_all_of_it(demo_file: Path) -> None:
    """The filter box is made on the first `/`: what is typed with it still reaches it."""
    term = started(demo_file)
    try:
        term.send(b"/" + b"zzq" + BACKSPACE + b"q")  # one write: / makes the box, then keys
        term.read_until("filter “zzq”".encode())
        term.read_until(b"0 of 12 accounts")
    finally:
        term.close()


def test_escape_then_a_view_key_70_ms_later_is_two_keys(demo_file: Path) -> None:
    """Escape closes the filter; a view key pressed soon after switches view. Read as one
    sequence (alt+3), it went into the filter and the keys after it too (#14 item 6)."""
    term = started(demo_file)
    try:
        term.send(b"/ab")
        term.read_until("filter “ab”".encode())
        term.send(b"\x1b")
        time.sleep(0.07)
        term.send(b"3")
        term.read_until(b"qualify")  # the matrix view: "3" switched view
        term.drain()
        assert "filter “ab3”" not in term.screen()
    finally:
        term.close()
