"""Bring a database to the schema this program knows, safely (RELIABILITY.md 8–10).

* The revision is read with one SELECT; Alembic is imported only when an upgrade is due.
* A database whose revision this program does not know is refused, without a write.
* The upgrade runs in one ``BEGIN IMMEDIATE`` transaction with ``foreign_keys=OFF``
  (batch table rebuilds would otherwise cascade-delete children). Inside that lock it
  re-reads the revision (two programs starting together upgrade once, and only one
  takes a backup), takes a 0600 copy with the backup API under a name that cannot
  collide, upgrades, and checks ``foreign_key_check`` before it commits.
* A failed upgrade rolls back whole and says so in one line naming the copy; the copy
  is kept under one name per revision, so retries do not pile up ``.bak`` files.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kamtui.db import BUSY_TIMEOUT_MS, Database, busy_error
from kamtui.errors import KamError
from kamtui.failures import UpgradeFailed
from kamtui.migrations import HEAD, KNOWN


@dataclass(frozen=True)
class SchemaState:
    revision: str | None  # None: an empty database
    has_tables: bool

    @property
    def current(self) -> bool:
        return self.revision == HEAD

    @property
    def too_new(self) -> bool:
        return self.revision is not None and self.revision not in KNOWN


def read_state(db: Database) -> SchemaState:
    tables = {
        r[0]
        for r in db.fetch(
            "SELECT name FROM sqlite_master WHERE type = 'table'"
            if db.is_sqlite
            else "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema()"
        )
    }
    if "alembic_version" not in tables:
        return SchemaState(None, bool(tables))
    rows = db.fetch("SELECT version_num FROM alembic_version")
    return SchemaState(rows[0][0] if rows else None, True)


def refuse_if_unusable(state: SchemaState) -> None:
    if state.too_new:
        raise KamError(
            f"this database has schema revision {state.revision}, newer than this kam "
            f"knows (up to {HEAD}); upgrade kamtui to open it. Nothing was changed."
        )
    if state.revision is None and state.has_tables:
        raise KamError("this file holds tables that are not a kam database; nothing was changed")


def _alembic_config(connection: object) -> object:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).with_name("migrations")))
    cfg.attributes["connection"] = connection
    return cfg


def backup_name(db: Database, revision: str | None) -> Path:
    """A backup name no other program can be using: time, our pid and, should that still
    exist (a clock set back), a counter."""
    assert db.path is not None
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    base = f"{db.path.name}.before-{revision or 'new'}-{stamp}-{os.getpid()}"
    for n in itertools.count():
        candidate = db.path.with_name(f"{base}{f'-{n}' if n else ''}.bak")
        if not os.path.lexists(candidate):
            return candidate
    raise AssertionError("unreachable")  # pragma: no cover


def failed_backup_name(db: Database, revision: str) -> Path:
    """Where the copy taken before a failed upgrade is kept: one name per revision, so
    retrying a failing upgrade replaces the previous attempt's copy instead of adding one."""
    assert db.path is not None
    return db.path.with_name(f"{db.path.name}.before-{revision}-failed-upgrade.bak")


def upgrade(db: Database) -> Path | None:
    """Upgrade to HEAD if needed; return the backup taken, if any."""
    state = read_state(db)
    refuse_if_unusable(state)
    if state.current:
        return None
    return _run_upgrade(db)


MIGRATION_BUSY_TIMEOUT_MS = 120_000  # another program's upgrade of a big file: wait for it
UPGRADE_LOCK = 0x6B616D  # "kam": PostgreSQL advisory lock held while upgrading


def _run_upgrade(db: Database) -> Path | None:
    """Under the schema lock: re-read the revision, back up, upgrade, check, commit.

    The lock comes first (BEGIN IMMEDIATE on SQLite), so of two programs starting
    together one upgrades and takes the one backup while the other waits, then finds the
    schema current. Any failure rolls the whole upgrade back (UpgradeFailed)."""
    from alembic import command
    from sqlalchemy import text

    engine = db.engine
    with engine.connect() as conn:
        raw = conn.connection.driver_connection  # outside any transaction, or it is ignored
        assert raw is not None
        if db.is_sqlite:
            raw.execute("PRAGMA foreign_keys = OFF")
            raw.execute(f"PRAGMA busy_timeout = {MIGRATION_BUSY_TIMEOUT_MS}")
        backup: Path | None = None
        try:
            with conn.begin():  # BEGIN IMMEDIATE on SQLite: we hold the write lock
                revision = None
                if conn.dialect.name == "postgresql":  # the same on a server: one at a time
                    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": UPGRADE_LOCK})
                if _has_version_table(conn, db.is_sqlite):
                    row = conn.execute(text("SELECT version_num FROM alembic_version")).fetchone()
                    revision = row[0] if row else None
                if revision == HEAD:
                    return None  # another program upgraded it while we waited
                if revision is not None:
                    refuse_if_unusable(SchemaState(revision, True))  # a newer kam was first
                if db.is_sqlite and revision is not None:
                    backup = db.backup_to(backup_name(db, revision))
                try:
                    with warnings.catch_warnings():
                        # batch mode cannot reflect the lower(name) index; it is not rebuilt
                        warnings.filterwarnings("ignore", "Skipped unsupported reflection")
                        command.upgrade(_alembic_config(conn), "head")  # type: ignore[arg-type]
                    if db.is_sqlite:
                        broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                        if broken:
                            raise KamError(
                                f"the upgrade would leave {len(broken)} broken references"
                            )
                except Exception as exc:  # leaving the block rolls everything back
                    raise _failed(db, revision, backup, exc) from exc
        finally:
            if db.is_sqlite:
                raw.execute("PRAGMA foreign_keys = ON")
                raw.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return backup


def _failed(db: Database, revision: str | None, backup: Path | None, exc: Exception) -> Exception:
    """The one line for a failed upgrade; a lock timeout stays a BusyError."""
    busy = busy_error(exc)
    if busy is not None:
        return busy
    kept_at: Path | None = None
    if backup is not None and revision is not None:
        kept_at = failed_backup_name(db, revision)
        os.replace(backup, kept_at)  # the previous failed attempt's copy is replaced
    kept = f"; a copy from before is {kept_at}" if kept_at else ""
    why = f" ({exc})" if isinstance(exc, KamError) else ""
    return UpgradeFailed(
        f"the upgrade of {db.label} to schema {HEAD} failed{why} and was rolled back: "
        f"the database is unchanged{kept}",
        kept_at,
    )


def _has_version_table(conn: Any, is_sqlite: bool) -> bool:
    from sqlalchemy import inspect

    if is_sqlite:
        sql = "SELECT name FROM sqlite_master WHERE name = 'alembic_version'"
        return bool(conn.exec_driver_sql(sql).fetchall())
    return bool(inspect(conn).has_table("alembic_version"))


def open_database(db: Database) -> list[str]:
    """Prepare the file and schema; return messages worth telling the user."""
    db.prepare_file()
    backup = upgrade(db)
    notes = list(db.warnings)
    if backup is not None:
        notes.append(f"database upgraded to schema {HEAD}; the previous copy is {backup}")
    return notes
