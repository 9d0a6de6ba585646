"""The fixture ladder: an empty migrated database → a seeded one → the app on either.

"Today" is fixed so nothing depends on the date the tests run.

Both databases: a test module marked ``pytestmark = pytest.mark.both_dbs`` runs each
test that uses ``db`` / ``demo_db`` / ``new_db`` / ``db_arg`` twice, on a SQLite file and
on a fresh PostgreSQL database (``pytest.mark.pg``: on PostgreSQL only). The server is
the one named by ``--pg-url`` or ``KAM_TEST_PG_URL`` (``.ci/pg-up`` starts one); without
it those runs are skipped, and the header of the run says so.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")

TODAY = dt.date(2026, 11, 16)


@pytest.fixture(autouse=True)
def _private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the user's real data and state folders out of every test."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg-state"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.delenv("KAM_DB", raising=False)


@pytest.fixture
def today() -> dt.date:
    return TODAY


PG_SKIP = "PostgreSQL run skipped: no server (set KAM_TEST_PG_URL; .ci/pg-up starts one)"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--pg-url",
        default=os.environ.get("KAM_TEST_PG_URL") or None,
        help="SQLAlchemy URL of a PostgreSQL database the tests may use to create and drop "
        "their own databases (default: $KAM_TEST_PG_URL)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "both_dbs: run on SQLite and on PostgreSQL")
    config.addinivalue_line("markers", "pg: run on PostgreSQL only (skipped without a server)")


def pytest_report_header(config: pytest.Config) -> str:
    from kamtui.db import mask_password

    url = config.getoption("--pg-url")
    return f"PostgreSQL: {mask_password(url)}" if url else f"PostgreSQL: {PG_SKIP}"


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    if not config.getoption("--pg-url"):  # -q hides the header: say it at the end too
        terminalreporter.write_line(f"NOTE: {PG_SKIP}", yellow=True)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" not in metafunc.fixturenames:
        return
    pg = pytest.param("pg", marks=pytest.mark.pg)
    if metafunc.definition.get_closest_marker("pg"):
        metafunc.parametrize("backend", [pg], indirect=True)
    elif metafunc.definition.get_closest_marker("both_dbs"):
        metafunc.parametrize("backend", ["sqlite", pg], indirect=True)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--pg-url"):
        return
    skip = pytest.mark.skip(reason=PG_SKIP)
    for item in items:
        if item.get_closest_marker("pg"):
            item.add_marker(skip)


class PgServer:
    """Creates a database per test on the server (cloned from a migrated template, so a
    test does not pay for the migrations) and drops it afterwards."""

    def __init__(self, url: str) -> None:
        from sqlalchemy import create_engine
        from sqlalchemy.engine import make_url

        self.url = make_url(url)
        self.admin = create_engine(self.url, isolation_level="AUTOCOMMIT", poolclass=_null_pool())
        self.prefix = f"kt_{uuid.uuid4().hex[:8]}"
        self.template: str | None = None
        self.count = 0

    def _execute(self, sql: str) -> None:
        from sqlalchemy import text

        with self.admin.connect() as conn:
            conn.execute(text(sql))

    def url_of(self, name: str) -> str:
        return self.url.set(database=name).render_as_string(hide_password=False)

    def create(self, *, migrated: bool) -> str:
        """A new database's URL: empty, or at the current schema."""
        if migrated and self.template is None:
            self.template = f"{self.prefix}_template"
            self._execute(f"CREATE DATABASE {self.template}")
            from kamtui.db import Database
            from kamtui.migrate import open_database

            database = Database(url=self.url_of(self.template))
            open_database(database)
            database.close()
        self.count += 1
        name = f"{self.prefix}_{self.count}"
        template = f" TEMPLATE {self.template}" if migrated else ""
        self._execute(f"CREATE DATABASE {name}{template}")
        return self.url_of(name)

    def drop(self, url: str) -> None:
        from sqlalchemy.engine import make_url

        self._execute(f"DROP DATABASE IF EXISTS {make_url(url).database} WITH (FORCE)")

    def close(self) -> None:
        if self.template is not None:
            self._execute(f"DROP DATABASE IF EXISTS {self.template} WITH (FORCE)")
        self.admin.dispose()


def _null_pool() -> Any:
    from sqlalchemy.pool import NullPool

    return NullPool


@pytest.fixture(scope="session")
def pg_server(pytestconfig: pytest.Config) -> Iterator[PgServer]:
    url = pytestconfig.getoption("--pg-url")
    if not url:
        pytest.skip(PG_SKIP)
    server = PgServer(url)
    yield server
    server.close()


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    """'sqlite', or 'pg' in the PostgreSQL run of a ``both_dbs`` / ``pg`` test."""
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture
def new_db(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[Callable[..., Any]]:
    """Make another database on this test's backend: ``new_db(name, migrated=True)``."""
    from kamtui.db import Database
    from kamtui.migrate import open_database

    made: list[Any] = []
    dropped: list[str] = []
    server: PgServer | None = request.getfixturevalue("pg_server") if backend == "pg" else None

    def make(name: str = "kam.db", *, migrated: bool = True) -> Database:
        if server is None:
            database = Database.for_file(tmp_path / name)
            if migrated:
                open_database(database)
        else:
            url = server.create(migrated=migrated)
            dropped.append(url)
            database = Database(url=url)
        made.append(database)
        return database

    yield make
    for database in made:
        database.close()
    for url in dropped:
        assert server is not None
        server.drop(url)


@pytest.fixture
def db(new_db: Callable[..., Any]) -> object:
    """An empty database at the current schema."""
    return new_db("kam.db")


@pytest.fixture
def db_arg(new_db: Callable[..., Any]) -> str:
    """What a user gives ``--db`` for a new, empty database on this test's backend."""
    database = new_db("cli.db", migrated=False)
    return str(database.path) if database.path is not None else str(database.url)


@pytest.fixture
def demo_db(db: object) -> object:
    """The database with a small deterministic demo portfolio (60 accounts)."""
    from kamtui.services.demo import build_demo

    build_demo(db, accounts=60, seed=3, today=TODAY)  # type: ignore[arg-type]
    return db
