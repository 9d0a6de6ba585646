"""PostgreSQL's refusals as one line (issue 9 item 3): against the test server when there
is one (``KAM_TEST_PG_URL``, started by .ci/pg-up), and the driver's own error texts
through ``kamtui.failures`` — which never repeats the SQL or its parameters."""

from __future__ import annotations

import os

import pytest
from battery_helpers import kam, refused

from kamtui.failures import Where, describe

PG_URL = os.environ.get("KAM_TEST_PG_URL", "")
needs_server = pytest.mark.skipif(
    not PG_URL, reason="no PostgreSQL test server (set KAM_TEST_PG_URL; .ci/pg-up starts one)"
)


def _with(url: str, **parts: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).set(**parts).render_as_string(hide_password=False)  # type: ignore[arg-type]


@needs_server
def test_a_wrong_password_is_one_line_without_the_password() -> None:
    pytest.importorskip("psycopg")
    result = kam("--db", _with(PG_URL, password="Wr0ng-pw"), "check")
    line = refused(result, "Wr0ng-pw")
    assert line.startswith("PostgreSQL refused the login for ") and "***" in line


@needs_server
def test_an_unknown_database_is_one_line() -> None:
    pytest.importorskip("psycopg")
    url = _with(PG_URL, database="kam_no_such_database")
    line = refused(kam("--db", url, "check"))
    assert "kam_no_such_database: that PostgreSQL database does not exist" in line


class _DriverError(Exception):
    """Stands in for psycopg's OperationalError (same module name, same texts)."""


_DriverError.__module__ = "psycopg"

WHERE = Where("postgresql+psycopg://kam:***@db.example/kam", None, "KAM_DB")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'connection failed: connection to server at "10.0.0.9", port 5432 failed: '
            'FATAL:  password authentication failed for user "kam"',
            "PostgreSQL refused the login for postgresql+psycopg://kam:***@db.example/kam: "
            "check the user name and the password in PGPASSWORD or ~/.pgpass",
        ),
        (
            'connection failed: FATAL:  database "kam" does not exist',
            "postgresql+psycopg://kam:***@db.example/kam: that PostgreSQL database does not "
            "exist — create it (createdb) or fix KAM_DB",
        ),
        (
            'connection failed: connection to server at "127.0.0.1", port 5 failed: '
            "Connection refused\n\tIs the server running on that host and accepting TCP/IP?",
            "cannot connect to postgresql+psycopg://kam:***@db.example/kam: connection refused "
            "— is PostgreSQL running on that host and port?",
        ),
        (
            "server version 9.6 is not supported: kam needs 12 or newer",
            "the PostgreSQL server of postgresql+psycopg://kam:***@db.example/kam is too old "
            "for kam: use PostgreSQL 12 or newer",
        ),
    ],
)
def test_postgresql_errors_name_the_url_and_what_to_do(text: str, expected: str) -> None:
    from sqlalchemy.exc import OperationalError

    wrapped = OperationalError(
        "SELECT * FROM contact WHERE email = %(e)s",
        {"e": "jane@customer.example"},
        _DriverError(text),
    )
    assert describe(wrapped, WHERE) == expected


def test_a_race_on_a_unique_name_never_shows_the_rows() -> None:
    from sqlalchemy.exc import IntegrityError

    for text in (
        "UNIQUE constraint failed: index 'uq_account_name_lower'",
        'duplicate key value violates unique constraint "uq_account_name_lower"\n'
        "DETAIL:  Key (lower(name::text))=(acme customer gmbh) already exists.",
    ):
        error = IntegrityError(
            "INSERT INTO account (name) VALUES (?)", ("Acme Customer GmbH",), Exception(text)
        )
        line = describe(error, WHERE)
        assert line == (
            "another program saved the same names at the same time; nothing was saved — "
            "run the command again"
        )
        assert "acme" not in line.lower()
