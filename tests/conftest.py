"""The fixture ladder: an empty migrated database → a seeded one → the app on either.

"Today" is fixed so nothing depends on the date the tests run.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

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


@pytest.fixture
def db(tmp_path: Path) -> Iterator[object]:
    """An empty database at the current schema."""
    from kamtui.db import Database
    from kamtui.migrate import open_database

    database = Database.for_file(tmp_path / "kam.db")
    open_database(database)
    yield database
    database.close()


@pytest.fixture
def demo_db(db: object) -> object:
    """The database with a small deterministic demo portfolio (60 accounts)."""
    from kamtui.services.demo import build_demo

    build_demo(db, accounts=60, seed=3, today=TODAY)  # type: ignore[arg-type]
    return db
