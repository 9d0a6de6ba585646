"""Where the data lives and how we talk to it.

Everything here follows RELIABILITY.md 1–7 and 11: PRAGMAs on every connection,
``BEGIN IMMEDIATE`` for SQLite transactions, one short session per user action, files
created 0600 in a 0700 folder, WAL only on a local filesystem.

SQLAlchemy is imported lazily: the first screen reads its rows through the standard
library's ``sqlite3`` (13 ms for 10,000 rows) while the ORM loads in the background.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import stat
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kamtui.errors import BusyError, DatabaseUnavailable, KamError, NotFoundError, StaleError

if TYPE_CHECKING:
    from decimal import Decimal

    from sqlalchemy.engine import Engine
    from sqlmodel import Session

    from kamtui.services.undo import Recorder

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
    """Create ``path`` and its missing parents, each 0700 whatever the umask (``mkdir``'s
    mode is masked by it, so each folder made here is chmod-ed). Folders that exist
    already are left alone: they are not kam's to change."""
    missing: list[Path] = []
    probe = path
    while not os.path.lexists(probe) and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for folder in reversed(missing):
        try:
            os.mkdir(folder, 0o700)
        except FileExistsError:
            continue  # made by another program meanwhile: not ours to chmod
        os.chmod(folder, 0o700)
    if not path.is_dir():
        raise KamError(f"{path} is not a folder; kam keeps its files in a folder there")
    return path


def regular_file(path: Path, what: str = "file") -> bool:
    """True if ``path`` is a regular file, False if nothing is there. A symbolic link
    (dangling or not), a folder, a device or a pipe is refused with one line: kam reads
    and writes only real files, so it never writes through a link or onto /dev/null."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return False
    except NotADirectoryError:
        raise KamError(f"{path}: a part of this path is a file, not a folder") from None
    if stat.S_ISLNK(info.st_mode):
        raise KamError(
            f"{path} is a symbolic link; kam does not follow links — give the {what}'s real path"
        )
    if stat.S_ISDIR(info.st_mode):
        raise KamError(f"{path} is a folder, not a {what}")
    if not stat.S_ISREG(info.st_mode):
        raise KamError(f"{path} is not a regular file (a device, pipe or socket); give a {what}")
    return True


def create_private_file(path: Path) -> bool:
    """Create an empty file with mode 0600 unless it exists; return True if created.

    An existing regular file is left for the caller (False); a link or anything that is
    not a regular file is refused (KamError)."""
    try:
        fd = os.open(
            path, os.O_CREAT | os.O_EXCL | os.O_WRONLY | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600
        )
    except FileExistsError:
        regular_file(path)
        return False
    try:
        os.fchmod(fd, 0o600)  # an odd umask (0o200) must not leave it unwritable
    finally:
        os.close(fd)
    return True


def tighten(path: Path) -> bool:
    """Make an existing file 0600; return True if it was readable by others before.

    Only a regular file this user owns is changed: never a link's target, a device
    (``/dev/null``), a pipe, or another user's file."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return False
    mode = stat.S_IMODE(info.st_mode)
    if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid() or not mode & 0o077:
        return False
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except PermissionError:  # a 0244 file of ours: the path was checked just now
        os.chmod(path, 0o600)
        return True
    try:
        now = os.fstat(fd)
        if (now.st_dev, now.st_ino) != (info.st_dev, info.st_ino):
            return False  # replaced between the two looks: not the file we checked
        os.fchmod(fd, 0o600)
    finally:
        os.close(fd)
    return True


def redact_url(url: str) -> str:
    """A database URL fit to print: the password hidden; an unparsable one not shown."""
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "the database URL"


def url_has_password(url: str) -> bool:
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).password is not None
    except Exception:
        return False


SUPPORTED_SCHEMES = ("postgresql", "sqlite")


def _is_sqlite_file(path: Path) -> bool:
    """Whether SQLite reads ``path`` as a database (asked through SQLite itself: a plain
    ``open()`` would drop this process's locks on it, RELIABILITY.md 6)."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error:
        return False
    try:
        conn.execute("PRAGMA schema_version").fetchone()
        return True
    except sqlite3.Error:
        return False
    finally:
        conn.close()


def _parse_url(url: str) -> None:
    """Parse a URL now, so a bad one fails before anything is opened (as ArgumentError,
    which kamtui.failures turns into one line that does not echo it)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        make_url(url)
    except ValueError:  # e.g. a port that is not a number
        raise ArgumentError("Could not parse SQLAlchemy URL from given URL string") from None


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
    _local: threading.local = field(default_factory=threading.local, repr=False)

    # --- opening --------------------------------------------------------------------

    @classmethod
    def from_argument(cls, value: str | None) -> Database:
        """``--db`` / ``KAM_DB``: a file path or a SQLAlchemy URL; None for the default."""
        if value and "://" in value:
            if value.startswith("sqlite:///") and len(value) > len("sqlite:///"):
                return cls._checked(Path(value[len("sqlite:///") :]))
            if value.startswith("sqlite"):
                raise KamError(f"unsupported SQLite URL {value!r}: use sqlite:///PATH")
            scheme = value.split("://", 1)[0].split("+", 1)[0].lower()
            if scheme.isidentifier() and scheme not in SUPPORTED_SCHEMES:
                raise KamError(
                    f"kam supports SQLite files and PostgreSQL (postgresql+psycopg://HOST/DB), "
                    f"not {scheme!r} databases"
                )
            _parse_url(value)
            return cls(url=value)
        if value:
            return cls._checked(Path(value).expanduser())
        return cls._checked(private_dir(data_dir()) / DB_FILENAME)

    @classmethod
    def _checked(cls, path: Path) -> Database:
        regular_file(path, "database file")
        return cls.for_file(path)

    @classmethod
    def for_file(cls, path: Path) -> Database:
        path = path.absolute()
        return cls(url=f"sqlite:///{path}", path=path)

    @property
    def is_sqlite(self) -> bool:
        return self.path is not None

    @property
    def label(self) -> str:
        """How to name this database to the user: the file, or the URL without password."""
        return str(self.path) if self.path is not None else redact_url(self.url)

    def prepare_file(self) -> None:
        """Create the file 0600 (sidecars copy its mode) and choose the journal mode."""
        if self.path is None:
            return
        created = False
        if not regular_file(self.path, "database file"):
            if not self.path.parent.exists():
                private_dir(self.path.parent)
            created = create_private_file(self.path)
        if not created and _is_sqlite_file(self.path):  # never chmod a stray text file
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
            return _server_engine(self.url)
        engine = create_engine(
            self.url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000}, hide_parameters=True
        )

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
            self._configure(dbapi_connection)

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Any) -> None:
            # writes take the lock up front (RELIABILITY.md 2); a read-only session
            # (Database.reading) must not wait for, or block, another program's write
            read = conn.get_execution_options().get("kam_read_only", False)
            conn.exec_driver_sql("BEGIN" if read else "BEGIN IMMEDIATE")

        return engine

    @contextmanager
    def recording(self) -> Iterator[Recorder]:
        """Capture every row the sessions opened in this thread write (for undo)."""
        from kamtui.services.undo import Recorder

        outer = getattr(self._local, "recorder", None)
        recorder = Recorder()
        self._local.recorder = recorder
        try:
            yield recorder
        finally:
            self._local.recorder = outer

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One short session for one user action; commits on success."""
        from sqlalchemy import event
        from sqlmodel import Session

        recorder: Recorder | None = getattr(self._local, "recorder", None)
        with Session(self.engine, expire_on_commit=False) as session:
            if recorder is not None:
                event.listen(session, "before_flush", recorder.before_flush)
            try:
                yield session
                session.commit()
                if recorder is not None:
                    recorder.committed()
            except BaseException as exc:
                session.rollback()
                if recorder is not None:
                    recorder.rolled_back()
                busy = busy_error(exc)
                if busy is not None:
                    raise busy from None
                raise

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A short read-only session: on SQLite a plain (deferred) BEGIN, so it reads the
        last committed state even while another program holds the write lock."""
        from sqlmodel import Session

        bind = self.engine.execution_options(kam_read_only=True)
        with Session(bind, expire_on_commit=False) as session:
            try:
                yield session
            finally:
                session.rollback()

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

    def fetch_apart(
        self, sql: str, params: Sequence[Any] | dict[str, Any] = ()
    ) -> list[tuple[Any, ...]]:
        """:meth:`fetch` on a connection of its own, closed after (SQLite); a server's
        engine already gives each thread its own connection."""
        if not self.is_sqlite:
            return self.fetch(sql, params)
        conn = self.connect_raw()
        try:
            return conn.execute(sql, params).fetchall()
        except sqlite3.OperationalError as exc:
            busy = busy_error(exc)
            if busy is not None:
                raise busy from None
            raise
        finally:
            conn.close()

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
        from decimal import Decimal  # loaded with SQLAlchemy anyway; not at start-up

        with self.engine.connect() as conn:
            return [tuple(_plain(v, Decimal) for v in r) for r in conn.execute(text(sql), bound)]

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
        """A consistent copy, mode 0600: SQLite's backup API (RELIABILITY.md 5), or
        ``pg_dump`` (custom format) for a PostgreSQL database."""
        target = target.expanduser().absolute()
        if target.exists():
            raise KamError(f"{target} exists already; choose another name")
        if not target.parent.is_dir():
            raise KamError(f"folder {target.parent} does not exist")
        if self.path is None:
            return self._pg_dump(target)
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

    def _pg_dump(self, target: Path) -> Path:
        """``pg_dump --format=custom`` into ``target``; the password (if the URL holds one)
        goes through the environment, never the command line (RELIABILITY.md 12)."""
        import shutil
        import subprocess

        if not self.url.startswith(("postgresql", "postgres")):
            raise KamError("kam backup copies SQLite files and PostgreSQL databases only")
        pg_dump = shutil.which("pg_dump")
        if pg_dump is None:
            raise KamError(
                "kam backup of a PostgreSQL database runs pg_dump, which is not installed "
                "(Debian: apt-get install postgresql-client); kam export --format json "
                "also writes a complete copy"
            )
        conninfo, password = _libpq_conninfo(self.url)
        env = dict(os.environ)
        if password is not None:
            env["PGPASSWORD"] = password
        create_private_file(target)
        try:
            done = subprocess.run(
                [pg_dump, "--format=custom", "--no-password", f"--file={target}", conninfo],
                env=env,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                check=False,
            )
        except OSError as exc:
            target.unlink(missing_ok=True)
            raise KamError(f"pg_dump could not run: {exc.strerror or exc}") from None
        if done.returncode != 0:
            target.unlink(missing_ok=True)
            lines = [x for x in done.stderr.splitlines() if x.strip()]
            why = lines[-1].removeprefix("pg_dump: ").strip() if lines else "no reason given"
            raise KamError(f"pg_dump failed, no backup written: {mask_password(why)}")
        tighten(target)
        return target

    def check(self) -> list[str]:
        """Problems found (empty when healthy): SQLite's integrity_check and
        foreign_key_check; on PostgreSQL, constraints left unvalidated and id sequences
        behind their table's highest id (the next insert would collide)."""
        if not self.is_sqlite:
            return self._check_server()
        conn = self.connect_raw()
        try:
            problems = [r[0] for r in conn.execute("PRAGMA integrity_check") if r[0] != "ok"]
            for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check"):
                problems.append(f"{table} row {rowid} points to a missing {parent}")
            return problems
        finally:
            conn.close()

    def _check_server(self) -> list[str]:
        from sqlalchemy import text

        from kamtui import models as m

        problems = [
            f"constraint {name} on {table} is not validated"
            for name, table in self.fetch(
                "SELECT c.conname, t.relname FROM pg_constraint c "
                "JOIN pg_class t ON t.oid = c.conrelid "
                "JOIN pg_namespace n ON n.oid = t.relnamespace "
                "WHERE n.nspname = current_schema() AND NOT c.convalidated"
            )
        ]
        with self.engine.connect() as conn:
            for table in m.SQLModel.metadata.sorted_tables:
                if "id" not in table.c or not table.c.id.autoincrement:
                    continue
                name = conn.dialect.identifier_preparer.quote(table.name)
                row = conn.execute(
                    text(f"SELECT pg_get_serial_sequence(:t, 'id'), (SELECT MAX(id) FROM {name})"),
                    {"t": name},
                ).one()
                if row[0] is None:
                    continue
                seq = conn.execute(text(f"SELECT last_value, is_called FROM {row[0]}")).one()
                next_id = seq[0] + 1 if seq[1] else seq[0]
                if row[1] is not None and next_id <= row[1]:
                    problems.append(
                        f"the id sequence of {table.name} is behind its rows "
                        f"(next {next_id}, highest {row[1]}): a new record would collide"
                    )
        return problems

    def row_counts(self) -> dict[str, int]:
        """Rows per table of the schema, for ``kam check``."""
        from kamtui import models as m

        names = [t.name for t in m.SQLModel.metadata.sorted_tables]
        sql = " UNION ALL ".join(f"SELECT '{n}', COUNT(*) FROM {_quote(n)}" for n in names)
        return {str(n): int(c) for n, c in self.fetch(sql)}

    def server_version(self) -> str | None:
        """'PostgreSQL 15.4' (None for SQLite)."""
        if self.is_sqlite:
            return None
        return "PostgreSQL " + str(self.fetch("SHOW server_version")[0][0]).split()[0]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _plain(value: Any, decimal: type[Decimal]) -> Any:
    """A value as SQLite hands it back, so every reader of ``Database.fetch`` means the
    same on both databases: a date as ISO text, a datetime as 'YYYY-MM-DD HH:MM:SS', and
    ``numeric`` (PostgreSQL's SUM of a bigint, arithmetic with 1.0; a Decimal) as int when
    whole, else float."""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal):
        exponent = value.as_tuple().exponent  # a letter for NaN and infinity
        return int(value) if isinstance(exponent, int) and exponent >= 0 else float(value)
    return value


def reset_sequences(conn: Any, tables: Sequence[Any] | None = None) -> None:
    """PostgreSQL: move each table's id sequence past its highest id, after rows were
    written with explicit ids (demo, restore); otherwise the next insert collides.
    Nothing to do on SQLite (its rowid follows the table)."""
    if conn.dialect.name != "postgresql":
        return
    from sqlalchemy import text

    if tables is None:
        from kamtui import models as m

        tables = m.SQLModel.metadata.sorted_tables
    for table in tables:
        if "id" not in table.c or not table.c.id.autoincrement:
            continue
        name = conn.dialect.identifier_preparer.quote(table.name)
        conn.execute(
            text(
                "SELECT setval(pg_get_serial_sequence(:t, 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {name}), 0) + 1, false)"
            ),
            {"t": name},
        )


# --- PostgreSQL (team mode) -----------------------------------------------------------------

MIN_SERVER_VERSION = 120000  # PostgreSQL 12
DRIVER_HINT = (
    "the PostgreSQL driver is not installed: pip install 'kamtui[postgres]' "
    "(and use a postgresql+psycopg:// URL in --db)"
)


def mask_password(text_or_url: str) -> str:
    """``scheme://user:secret@host`` → ``scheme://user:***@host`` wherever it appears."""
    import re

    return re.sub(r"(://[^/:@\s]*:)[^@\s]*@", r"\1***@", text_or_url)


def _server_url(url: str) -> Any:
    """The URL to connect with: plain ``postgresql://`` means psycopg 3 (the extra)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError:
        raise KamError(f"{mask_password(url)} is not a database URL") from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def _libpq_conninfo(url: str) -> tuple[str, str | None]:
    """A libpq connection string without the password, and the password (if any)."""
    parsed = _server_url(url)
    params = {
        "host": parsed.host,
        "port": parsed.port,
        "user": parsed.username,
        "dbname": parsed.database,
        **{k: v for k, v in parsed.query.items() if isinstance(v, str)},
    }
    parts = []
    for key, value in params.items():
        if value is None or value == "":
            continue
        escaped = str(value).replace("\\", "\\\\").replace("'", "\\'")
        parts.append(f"{key}='{escaped}'")
    return " ".join(parts), parsed.password


def _server_engine(url: str) -> Engine:
    """An engine for a database server. Failing to reach it raises DatabaseUnavailable
    (one line, no traceback) the first time a connection is made."""
    from sqlalchemy import create_engine, event
    from sqlalchemy.exc import NoSuchModuleError

    parsed = _server_url(url)
    try:
        engine = create_engine(parsed, pool_pre_ping=True, hide_parameters=True)
    except (ImportError, NoSuchModuleError) as exc:
        if parsed.drivername.startswith("postgresql"):
            raise DatabaseUnavailable(DRIVER_HINT, reason="driver") from None
        raise KamError(f"no driver for {parsed.drivername}: {exc}") from None
    where = parsed.render_as_string(hide_password=True)

    @event.listens_for(engine, "do_connect")
    def _do_connect(dialect: Any, _record: Any, cargs: Any, cparams: Any) -> Any:
        try:
            return dialect.connect(*cargs, **cparams)
        except Exception as exc:
            raise unavailable(exc, where) from None

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        version = getattr(getattr(dbapi_connection, "info", None), "server_version", None)
        if isinstance(version, int) and version < MIN_SERVER_VERSION:
            dbapi_connection.close()
            shown = f"{version // 10000}.{version % 10000}"
            raise DatabaseUnavailable(
                f"the server at {where} runs PostgreSQL {shown}; kam needs 12 or newer",
                reason="too-old",
            )

    return engine


def unavailable(exc: BaseException, where: str) -> DatabaseUnavailable:
    """The one-line DatabaseUnavailable for a failed connection attempt."""
    orig = getattr(exc, "orig", None) or exc
    text_ = str(orig).strip()
    low = text_.lower()
    sqlstate = getattr(orig, "sqlstate", None)
    if sqlstate == "3D000" or ("database" in low and "does not exist" in low):
        reason, say = "no-database", "the database does not exist on that server"
    elif sqlstate in ("28P01", "28000") or "authentication failed" in low or "password" in low:
        reason, say = "auth", "the server refused the user name or password"
    elif "connection refused" in low or "could not connect" in low or "is the server" in low:
        reason, say = "refused", "no server answers there (is it running? right host and port?)"
    elif "could not translate host name" in low or "name or service not known" in low:
        reason, say = "refused", "that host name is unknown"
    elif "timeout" in low or "timed out" in low:
        reason, say = "refused", "the server did not answer in time"
    else:
        last = text_.splitlines()[-1] if text_ else type(orig).__name__
        reason, say = "other", mask_password(last)
    from kamtui.failures import Where, postgres_line  # the one wording of each failure

    line = postgres_line(orig, Where(where))
    return DatabaseUnavailable(line or f"cannot connect to {where}: {say}", reason=reason)
