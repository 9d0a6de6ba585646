"""Where the data lives and how we talk to it.

Everything here follows RELIABILITY.md 1–7 and 11: PRAGMAs on every connection,
``BEGIN IMMEDIATE`` for SQLite transactions, one short session per user action, files
created 0600 in a 0700 folder, WAL only on a local filesystem.

SQLAlchemy is imported lazily: the first screen reads its rows through the standard
library's ``sqlite3`` (13 ms for 10,000 rows) while the ORM loads in the background.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kamtui.errors import BusyError, KamError, NotFoundError, StaleError

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

APP_NAME = "kamtui"
DB_FILENAME = "kam.db"
BUSY_TIMEOUT_MS = 5000
NETWORK_FILESYSTEMS = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb3",
        "smbfs",
        "fuse.sshfs",
        "sshfs",
        "9p",
        "afs",
        "ceph",
        "glusterfs",
    }
)


def data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def state_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_state_dir(APP_NAME, appauthor=False))


def private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) with mode 0700 if it is missing."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def create_private_file(path: Path) -> bool:
    """Create an empty file with mode 0600 unless it exists; return True if created."""
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY | os.O_NOFOLLOW, 0o600)
    except FileExistsError:
        return False
    os.close(fd)
    return True


def tighten(path: Path) -> bool:
    """Make an existing file 0600; return True if it was readable by others before."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return False
    if mode & 0o077:
        path.chmod(0o600)
        return True
    return False


def filesystem_type(path: Path) -> str:
    """The filesystem type of the mount holding ``path`` (Linux), or '' if unknown."""
    try:
        mounts = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return ""
    target = str(path.resolve())
    best, fstype = "", ""
    for line in mounts:
        parts = line.split()
        if len(parts) < 3:
            continue
        mount_point = parts[1].replace("\\040", " ")
        inside = target == mount_point or target.startswith(mount_point.rstrip("/") + "/")
        if inside and len(mount_point) >= len(best):
            best, fstype = mount_point, parts[2]
    return fstype


BUSY_WORDS = ("database is locked", "database is busy", "database table is locked")
BUSY_SQLSTATES = frozenset({"40001", "40P01", "55P03"})  # serialization, deadlock, lock


def busy_error(exc: BaseException) -> BusyError | None:
    """The BusyError for a lock / busy / serialisation failure from SQLite or PostgreSQL
    (raw driver error or SQLAlchemy's wrapper), or None for any other error."""
    orig = getattr(exc, "orig", None) or exc
    if isinstance(orig, sqlite3.OperationalError) and any(
        w in str(orig).lower() for w in BUSY_WORDS
    ):
        return BusyError()
    if getattr(orig, "sqlstate", None) in BUSY_SQLSTATES:
        return BusyError()
    return None


@dataclass
class Database:
    """One database: a SQLite file (the usual case) or any SQLAlchemy URL."""

    url: str
    path: Path | None = None
    journal_mode: str = "WAL"
    warnings: list[str] = field(default_factory=list)
    _engine: Engine | None = field(default=None, repr=False)
    _raw: sqlite3.Connection | None = field(default=None, repr=False)

    # --- opening --------------------------------------------------------------------

    @classmethod
    def from_argument(cls, value: str | None) -> Database:
        """``--db`` / ``KAM_DB``: a file path or a SQLAlchemy URL; None for the default."""
        if value and "://" in value:
            if value.startswith("sqlite:///") and len(value) > len("sqlite:///"):
                return cls.for_file(Path(value[len("sqlite:///") :]))
            if value.startswith("sqlite"):
                raise KamError(f"unsupported SQLite URL {value!r}: use sqlite:///PATH")
            return cls(url=value)
        if value:
            return cls.for_file(Path(value).expanduser())
        return cls.for_file(private_dir(data_dir()) / DB_FILENAME)

    @classmethod
    def for_file(cls, path: Path) -> Database:
        path = path.absolute()
        return cls(url=f"sqlite:///{path}", path=path)

    @property
    def is_sqlite(self) -> bool:
        return self.path is not None

    def prepare_file(self) -> None:
        """Create the file 0600 (sidecars copy its mode) and choose the journal mode."""
        if self.path is None:
            return
        if self.path.is_dir():
            raise KamError(f"{self.path} is a folder, not a database file")
        if not self.path.parent.exists():
            private_dir(self.path.parent)
        if not create_private_file(self.path):
            for p in (self.path, *self.sidecars()):
                if tighten(p):
                    self.warnings.append(f"{p} was readable by other users; it is now 0600")
        fstype = filesystem_type(self.path.parent)
        if fstype in NETWORK_FILESYSTEMS:
            self.journal_mode = "DELETE"
            self.warnings.append(
                f"the database is on a network filesystem ({fstype}): WAL is off, "
                "so keep only one kam open on it"
            )

    def sidecars(self) -> list[Path]:
        assert self.path is not None
        return [self.path.with_name(self.path.name + s) for s in ("-wal", "-shm", "-journal")]

    # --- connections -----------------------------------------------------------------

    def _configure(self, conn: sqlite3.Connection) -> None:
        conn.isolation_level = None  # we issue BEGIN ourselves (BEGIN IMMEDIATE)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA journal_mode = {self.journal_mode}")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA journal_size_limit = 67108864")

    def connect_raw(self) -> sqlite3.Connection:
        """A new standard-library connection with our PRAGMAs (SQLite only)."""
        assert self.path is not None, "raw connections are for SQLite files"
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
        self._configure(conn)
        return conn

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = self._make_engine()
        return self._engine

    def _make_engine(self) -> Engine:
        from sqlalchemy import create_engine, event

        # hide_parameters: typed values never reach an error message (or a crash log)
        if not self.is_sqlite:
            return create_engine(self.url, pool_pre_ping=True, hide_parameters=True)
        engine = create_engine(
            self.url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000}, hide_parameters=True
        )

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
            self._configure(dbapi_connection)

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Any) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One short session for one user action; commits on success."""
        from sqlmodel import Session

        with Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException as exc:
                session.rollback()
                busy = busy_error(exc)
                if busy is not None:
                    raise busy from None
                raise

    @contextmanager
    def edit(
        self, model: type[Any], record_id: int, version: int, noun: str = "record"
    ) -> Iterator[tuple[Session, Any]]:
        """One optimistic edit: the record as read at ``version``, or NotFoundError /
        StaleError — also when another program saves between our read and our write."""
        from sqlalchemy.orm.exc import StaleDataError

        stale = f"this {noun} was changed elsewhere since you opened it"
        try:
            with self.session() as s:
                record = s.get(model, record_id)
                if record is None:
                    raise NotFoundError(f"this {noun} no longer exists (deleted elsewhere?)")
                if record.version != version:
                    raise StaleError(stale)
                yield s, record
                s.add(record)
        except StaleDataError:
            raise StaleError(stale) from None

    # --- fast reads --------------------------------------------------------------------

    def fetch(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[tuple[Any, ...]]:
        """Plain rows for a read-only query written in SQL common to SQLite and PostgreSQL.

        Positional parameters use ``?``; on other databases they are rewritten.
        """
        if self.is_sqlite:
            if self._raw is None:
                self._raw = self.connect_raw()
            try:
                cur = self._raw.execute(sql, params)
                try:
                    return cur.fetchall()
                finally:
                    cur.close()
            except sqlite3.OperationalError as exc:
                busy = busy_error(exc)
                if busy is not None:
                    raise busy from None
                raise
        from sqlalchemy import text

        if isinstance(params, dict):
            bound = params
        else:
            parts = sql.split("?")
            sql = "".join(p + (f":p{i}" if i < len(parts) - 1 else "") for i, p in enumerate(parts))
            bound = {f"p{i}": v for i, v in enumerate(params)}
        with self.engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql), bound)]

    def close(self) -> None:
        if self._raw is not None:
            self._raw.close()
            self._raw = None
        if self._engine is not None:
            if self.is_sqlite:
                try:
                    with self.engine.connect() as conn:
                        conn.exec_driver_sql("PRAGMA optimize")
                except Exception:  # pragma: no cover - best effort on the way out
                    pass
            self._engine.dispose()
            self._engine = None

    # --- maintenance --------------------------------------------------------------------

    def backup_to(self, target: Path) -> Path:
        """A consistent copy through SQLite's backup API, mode 0600 (RELIABILITY.md 5)."""
        if self.path is None:
            raise KamError("kam backup works on SQLite files; use pg_dump for PostgreSQL")
        target = target.expanduser().absolute()
        if target.exists():
            raise KamError(f"{target} exists already; choose another name")
        if not target.parent.is_dir():
            raise KamError(f"folder {target.parent} does not exist")
        create_private_file(target)
        src = sqlite3.connect(self.path)
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
        tighten(target)
        return target

    def check(self) -> list[str]:
        """Problems found by integrity_check and foreign_key_check (empty when healthy)."""
        if not self.is_sqlite:
            return []
        conn = self.connect_raw()
        try:
            problems = [r[0] for r in conn.execute("PRAGMA integrity_check") if r[0] != "ok"]
            for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check"):
                problems.append(f"{table} row {rowid} points to a missing {parent}")
            return problems
        finally:
            conn.close()
