"""A private scratch database for one import: the file's rows, parsed, and a copy of the
keys kam holds, so that the checks across rows (duplicates, matches, parents) run as SQL
over indexes instead of Python dicts of every row. Memory stays flat however long the
file is (issue 9 item 11); the scratch file lives in a 0700 temporary folder and goes
when the import is written, abandoned, or the program exits."""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
import weakref
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from kamtui.db import Database

BATCH = 5000


class Staging:
    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="kam-import-"))  # mode 0700
        self.conn = sqlite3.connect(self.folder / "staging.db", check_same_thread=False)
        self.conn.isolation_level = None
        for pragma in (
            "journal_mode = OFF",
            "synchronous = OFF",
            "temp_store = FILE",
            "cache_size = -16000",  # 16 MB
        ):
            self.conn.execute(f"PRAGMA {pragma}")
        self._finalizer = weakref.finalize(self, _remove, self.conn, self.folder)

    def close(self) -> None:
        self._finalizer()

    def execute(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def script(self, sql: str) -> None:
        self.conn.executescript(sql)

    def fill(self, sql: str, rows: Iterable[Sequence[Any]]) -> int:
        """executemany in batches (``rows`` may be a generator of any length)."""
        n = 0
        batch: list[Sequence[Any]] = []
        self.conn.execute("BEGIN")
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH:
                self.conn.executemany(sql, batch)
                n += len(batch)
                batch = []
        if batch:
            self.conn.executemany(sql, batch)
            n += len(batch)
        self.conn.execute("COMMIT")
        return n

    def stream(self, sql: str, params: Sequence[Any] = ()) -> Iterator[Any]:
        cur = self.conn.execute(sql, params)
        try:
            while batch := cur.fetchmany(BATCH):
                yield from batch
        finally:
            cur.close()

    def batches(self, sql: str, params: Sequence[Any] = ()) -> Iterator[list[Any]]:
        cur = self.conn.execute(sql, params)
        try:
            while batch := cur.fetchmany(BATCH):
                yield batch
        finally:
            cur.close()

    def one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = self.conn.execute(sql, params).fetchone()
        return None if row is None else row[0]


def _remove(conn: sqlite3.Connection, folder: Path) -> None:
    try:
        conn.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def stream_rows(db: Database, sql: str) -> Iterator[tuple[Any, ...]]:
    """Rows of a read query on the kam database, fetched in batches (never all at once)."""
    if db.is_sqlite:
        conn = db.connect_raw()
        try:
            cur = conn.execute(sql)
            while batch := cur.fetchmany(BATCH):
                yield from batch
        finally:
            conn.close()
        return
    from sqlalchemy import text  # pragma: no cover - PostgreSQL

    with db.engine.connect() as pg:  # pragma: no cover - PostgreSQL
        result = pg.execution_options(yield_per=BATCH).execute(text(sql))
        for row in result:
            yield tuple(row)
