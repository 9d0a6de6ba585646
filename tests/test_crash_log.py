"""Crash logs hold the traceback of the real error and never a value the user typed.

A worker failure was logged as one line, ``WorkerFailed: Worker raised exception:
OperationalError(…[parameters: ('secret@example.com',)]…)``: no traceback of the cause,
and the SQL parameters — customer data — in clear.
"""

from __future__ import annotations

import datetime as dt
import stat
from typing import Any

import pytest

from kamtui.app import make_app
from kamtui.crash import format_crash, root_error, scrub

TODAY = dt.date(2026, 11, 16)
SECRET = "secret@example.com"


def look_up_contact_by_email(db: Any, email: str) -> None:
    """A worker's job that fails inside SQLAlchemy with the address as a parameter."""
    from sqlalchemy import text

    with db.engine.connect() as conn:
        conn.execute(text("SELECT id FROM contact WHERE no_such_column = :email"), {"email": email})


async def test_a_failed_worker_logs_its_cause_without_the_parameters(
    demo_db: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    app = make_app(demo_db, today=TODAY, welcome=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.run_worker(
            lambda: look_up_contact_by_email(demo_db, SECRET), thread=True, name="lookup"
        )
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app._exception is not None
        app._exception = None  # handled: run_test must not re-raise it into the test
    assert app.crash_log is not None
    assert stat.S_IMODE(app.crash_log.stat().st_mode) == 0o600
    log = app.crash_log.read_text()
    assert "Traceback (most recent call last)" in log
    assert "look_up_contact_by_email" in log  # the frame where it failed
    assert "OperationalError" in log and "no such column: no_such_column" in log
    assert "In a background task (WorkerFailed)" in log
    assert SECRET not in log and "secret" not in log
    shown = capsys.readouterr().err.replace("\n", "")
    assert "(OperationalError)" in shown and str(app.crash_log) in shown
    assert SECRET not in shown


def _statement_error(**engine_args: Any) -> BaseException:
    """A real SQLAlchemy error from an engine that shows its parameters."""
    from sqlalchemy import create_engine, text

    engine = create_engine("sqlite://", **engine_args)
    try:
        with engine.connect() as conn:
            conn.execute(text("CREATE TABLE t (email TEXT NOT NULL UNIQUE)"))
            conn.execute(text("INSERT INTO t VALUES (:e)"), {"e": SECRET})
            conn.execute(text("INSERT INTO t VALUES (:e)"), {"e": SECRET})
    except Exception as exc:
        return exc
    raise AssertionError("no error")


def test_parameters_are_scrubbed_even_when_the_engine_shows_them() -> None:
    error = _statement_error()
    assert SECRET in str(error)  # SQLAlchemy's default: parameters in the message
    try:
        raise RuntimeError("while saving") from error
    except RuntimeError as wrapper:
        text = format_crash(wrapper)
    assert "IntegrityError" in text and "UNIQUE constraint failed: t.email" in text
    assert "The above exception was the direct cause" in text
    assert SECRET not in text and "[parameters hidden]" in text


def test_quoted_values_and_addresses_leave_the_message() -> None:
    assert scrub("invalid literal for int() with base 10: 'Acme GmbH'") == (
        "invalid literal for int() with base 10: ''"
    )
    assert scrub('KeyError: "Müller & Söhne"') == 'KeyError: ""'
    assert scrub("no account for eva.keller@customer.example") == "no account for <address>"
    assert scrub("[parameters: ('a]b', 'x')]\n(Background on this error at: e)") == (
        "[parameters hidden]\n(Background on this error at: e)"
    )


def test_root_error_unwraps_worker_failures() -> None:
    from textual.worker import WorkerFailed

    cause = ValueError("x")
    assert root_error(WorkerFailed(WorkerFailed(cause))) is cause
    assert root_error(cause) is cause


def test_no_local_variables_in_the_log() -> None:
    def fails(customer_name: str) -> None:
        raise ValueError("cannot save")

    typed = "".join(["Geh", "eim AG"])  # as if typed: not in any source line
    try:
        fails(typed)
    except ValueError as exc:
        text = format_crash(exc)
    assert "cannot save" in text and "Geheim" not in text
