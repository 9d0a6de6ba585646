"""The file on disk: permissions, migrations on real data, refusing newer schemas, backups."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import stat
from pathlib import Path

import pytest

from kamtui import migrate
from kamtui.db import Database
from kamtui.errors import KamError
from kamtui.migrations import HEAD, KNOWN
from kamtui.services import accounts as svc
from kamtui.services.demo import build_demo

TODAY = dt.date(2026, 11, 16)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_files_are_private_under_a_permissive_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        database = Database.from_argument(None)  # default place, in XDG_DATA_HOME (conftest)
        migrate.open_database(database)
        build_demo(database, accounts=5, today=TODAY)
        assert database.path is not None
        assert database.path.parent == tmp_path / "xdg-data" / "kamtui"
        assert mode(database.path.parent) == 0o700
        sidecars = [p for p in database.sidecars() if p.exists()]
        assert sidecars, "WAL mode leaves -wal/-shm files while connected"
        for path in (database.path, *sidecars):
            assert mode(path) == 0o600, path
        backup = database.backup_to(tmp_path / "copy.db")
        assert mode(backup) == 0o600
        database.close()
    finally:
        os.umask(old)


def test_an_existing_world_readable_file_is_tightened(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    sqlite3.connect(path).close()
    path.chmod(0o644)
    database = Database.for_file(path)
    notes = migrate.open_database(database)
    assert mode(path) == 0o600
    assert any("readable by other users" in n for n in notes)
    database.close()


def _at_revision(path: Path, revision: str) -> Database:
    """A database migrated only up to ``revision``."""
    from alembic import command

    database = Database.for_file(path)
    database.prepare_file()
    with database.engine.connect() as conn, conn.begin():
        command.upgrade(migrate._alembic_config(conn), revision)  # type: ignore[arg-type]
    return database


def test_upgrade_keeps_every_row_and_the_case_insensitive_name_rule(tmp_path: Path) -> None:
    database = _at_revision(tmp_path / "v1.db", "0001")
    raw = sqlite3.connect(database.path)  # type: ignore[arg-type]
    raw.execute("PRAGMA foreign_keys = ON")
    raw.execute(
        "INSERT INTO account (id, name, website, industry, country, city, status, financial_situation,"
        " infrastructure, business_strategy, incumbents, why_buy_note, notes, created_at, updated_at)"
        " VALUES (1, 'Acme', '', '', '', '', 'key', '', '', '', '', '', '', '2026-01-01', '2026-01-01')"
    )
    for i in range(3):
        raw.execute(
            "INSERT INTO contact (account_id, name, title, level, email, phone)"
            f" VALUES (1, 'Person {i}', '', 'manager', '', '')"
        )
    raw.execute(
        "INSERT INTO account_period (account_id, period_start, kind, revenue_minor, cost_to_serve_minor,"
        " gross_profit_minor, receivables_minor) VALUES (1, '2026-07-01', 'quarter', 100, 10, 40, 5)"
    )
    raw.commit()
    raw.close()
    database.close()

    reopened = Database.for_file(tmp_path / "v1.db")
    notes = migrate.open_database(reopened)
    assert migrate.read_state(reopened).revision == HEAD
    assert any("previous copy is" in n for n in notes)
    backups = list(tmp_path.glob("v1.db.before-0001-*.bak"))
    assert len(backups) == 1 and mode(backups[0]) == 0o600
    # the contact table was rebuilt in batch mode: its rows must survive (RELIABILITY.md 8)
    assert reopened.fetch("SELECT COUNT(*) FROM contact")[0][0] == 3
    assert reopened.fetch("SELECT review_cadence FROM account")[0][0] == "none"
    assert reopened.check() == []
    with pytest.raises(KamError, match="exists already"):
        svc.create_account(reopened, {"name": "ACME"}, today=TODAY)
    reopened.close()


def test_a_newer_database_is_refused_without_a_write(tmp_path: Path) -> None:
    database = Database.for_file(tmp_path / "new.db")
    migrate.open_database(database)
    database.close()
    raw = sqlite3.connect(tmp_path / "new.db")
    raw.execute("UPDATE alembic_version SET version_num = '9999'")
    raw.commit()
    raw.close()
    before = (tmp_path / "new.db").read_bytes()
    with pytest.raises(KamError, match="newer than this kam"):
        migrate.open_database(Database.for_file(tmp_path / "new.db"))
    assert (tmp_path / "new.db").read_bytes() == before
    assert not list(tmp_path.glob("*.bak"))


def test_a_foreign_sqlite_file_is_refused(tmp_path: Path) -> None:
    raw = sqlite3.connect(tmp_path / "other.db")
    raw.execute("CREATE TABLE things (x)")
    raw.commit()
    raw.close()
    with pytest.raises(KamError, match="not a kam database"):
        migrate.open_database(Database.for_file(tmp_path / "other.db"))


def test_network_filesystems_fall_back_from_wal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("kamtui.db.filesystem_type", lambda path: "nfs4")
    database = Database.for_file(tmp_path / "nfs.db")
    notes = migrate.open_database(database)
    assert any("network filesystem" in n for n in notes)
    assert database.fetch("PRAGMA journal_mode")[0][0] == "delete"
    database.close()


def test_migration_scripts_match_the_known_revisions_and_the_models(tmp_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from kamtui.models import SQLModel

    script = ScriptDirectory.from_config(migrate._alembic_config(None))  # type: ignore[arg-type]
    assert script.get_current_head() == HEAD
    assert sorted(s.revision for s in script.walk_revisions()) == sorted(KNOWN)
    database = Database.for_file(tmp_path / "cmp.db")
    migrate.open_database(database)
    with database.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert diff == [], "models.py and the migrations disagree: write a migration"
    database.close()


def test_backup_is_a_consistent_copy(demo_db: Database, tmp_path: Path) -> None:
    target = demo_db.backup_to(tmp_path / "b.db")
    copy = Database.for_file(target)
    assert copy.check() == []
    assert svc.count_accounts(copy) == svc.count_accounts(demo_db)
    with pytest.raises(KamError, match="exists already"):
        demo_db.backup_to(target)
    copy.close()
