"""The one place that turns an exception into the one line a user reads (issue 9).

``describe`` knows the errors a user can meet and can act on — SQLite's, SQLAlchemy's,
a missing driver, the operating system's — and says, in one line, which file or setting
is wrong and what to do. It never repeats an error's own text when that text can hold
SQL or its parameters (customer names, typed e-mail addresses): it names the file, the
setting, the constraint or the errno instead. Anything else is ``unexpected``: the
traceback goes to a 0600 crash log and the line points to it.

No Textual and no SQLAlchemy at import time: this module is loaded by every ``kam``.
"""

from __future__ import annotations

import errno
import os
import re
import sqlite3
import stat
from dataclasses import dataclass
from pathlib import Path

from kamtui.errors import KamError

POSTGRES_DRIVERS = frozenset({"psycopg", "psycopg2", "psycopg_binary", "psycopg_c", "pg8000"})
OTHER_DRIVERS = frozenset(
    {
        "MySQLdb",
        "pymysql",
        "mysql",
        "mariadb",
        "cx_Oracle",
        "oracledb",
        "pyodbc",
        "pymssql",
        "asyncpg",
        "aiomysql",
        "aiosqlite",
        "fdb",
        "ibm_db",
    }
)


@dataclass(frozen=True)
class Where:
    """What the user gave: the database (path or URL without its password) and the setting."""

    database: str = "the database"
    path: Path | None = None
    setting: str = "--db"


class UpgradeFailed(KamError):
    """A schema upgrade failed and was rolled back whole; ``backup`` is the copy taken."""

    def __init__(self, message: str, backup: Path | None) -> None:
        super().__init__(message)
        self.backup = backup


def describe(exc: BaseException, where: Where | None = None) -> str | None:
    """The one line for an error the user can act on, or None when it is unexpected."""
    where = where or Where()
    if isinstance(exc, UpgradeFailed):
        cause = exc.__cause__ or exc
        crash = _crash_log(cause)
        send = f"; please send {crash} with a bug report" if crash else ""
        return f"{exc}{send}"
    if isinstance(exc, KamError):
        return str(exc)
    if isinstance(exc, ModuleNotFoundError):
        return _missing_module(exc, where)
    sqlalchemy_line = _sqlalchemy(exc, where)
    if sqlalchemy_line is not None:
        return sqlalchemy_line
    orig = getattr(exc, "orig", None) or exc
    if isinstance(orig, sqlite3.Error):
        return _sqlite(orig, where)
    if _is_driver_error(orig):
        return postgres_line(orig, where)
    if isinstance(orig, OSError):
        return _os_error(orig, where)
    return None


def unexpected(exc: BaseException) -> str:
    """The line for an error we did not foresee: its details go to a 0600 crash log."""
    crash = _crash_log(exc)
    where = f"; details are in {crash} — please send that file with a bug report" if crash else ""
    return f"kam stopped after an unexpected error ({type(exc).__name__}){where}"


def line_for(exc: BaseException, where: Where | None = None) -> str:
    return describe(exc, where) or unexpected(exc)


def _crash_log(exc: BaseException) -> Path | None:
    try:
        from kamtui.crash import write_crash_log
    except Exception:  # pragma: no cover - a broken install still gets its one line
        return None
    return write_crash_log(exc)


# --- drivers and URLs ---------------------------------------------------------------------


def _missing_module(exc: ModuleNotFoundError, where: Where) -> str:
    name = (exc.name or "").split(".")[0]
    if name in POSTGRES_DRIVERS:
        return (
            "the PostgreSQL driver is not installed: pip install 'kamtui[postgres]' "
            f"(and use a postgresql+psycopg:// URL in {where.setting})"
        )
    if name in OTHER_DRIVERS:
        return (
            f"{where.setting}: kam supports SQLite files and PostgreSQL "
            "(postgresql+psycopg://HOST/DATABASE), not this kind of database"
        )
    return f"a part of kam is missing (Python module {name!r}): reinstall kamtui"


def _sqlalchemy(exc: BaseException, where: Where) -> str | None:
    module = type(exc).__module__
    if not module.startswith("sqlalchemy"):
        return None
    from sqlalchemy import exc as sa_exc

    if isinstance(exc, sa_exc.NoSuchModuleError):
        kind = str(exc).rsplit(":", 1)[-1].strip()
        return (
            f"{where.setting}: unknown kind of database {kind!r}; kam supports SQLite files and "
            "PostgreSQL (postgresql+psycopg://HOST/DATABASE)"
        )
    if isinstance(exc, sa_exc.ArgumentError):
        return (
            f"{where.setting} is neither a file path nor a database URL: give a database file "
            "or postgresql+psycopg://HOST/DATABASE"
        )
    if isinstance(exc, sa_exc.IntegrityError):
        return _integrity(exc)
    return None


def _integrity(exc: BaseException) -> str:
    """A unique rule broken by a race with another program. Only the rule's name is shown:
    the error's text holds the rows (and PostgreSQL's DETAIL the values) that clashed."""
    text = str(getattr(exc, "orig", exc))
    found = re.search(r"(?:index '|constraint \")([A-Za-z0-9_]+)", text) or re.search(
        r"UNIQUE constraint failed: ([A-Za-z0-9_.]+)", text
    )
    rule = found.group(1) if found else "a unique rule"
    what = "the same names" if "name" in rule else f"rows that clash ({rule})"
    return (
        f"another program saved {what} at the same time; nothing was saved — run the command again"
    )


def _is_driver_error(exc: BaseException) -> bool:
    return type(exc).__module__.split(".")[0] in POSTGRES_DRIVERS


def postgres_line(exc: BaseException, where: Where) -> str | None:
    """The line for a PostgreSQL driver error (also used by ``db`` when it connects)."""
    text = str(exc).lower()
    db = where.database
    if "password authentication failed" in text or "no password supplied" in text:
        return (
            f"PostgreSQL refused the login for {db}: check the user name and the password "
            "in PGPASSWORD or ~/.pgpass"
        )
    if "authentication failed" in text or ("role" in text and "does not exist" in text):
        return (
            f"PostgreSQL refused the login for {db}: check the user name and PGPASSWORD / ~/.pgpass"
        )
    if "database" in text and "does not exist" in text:
        return f"{db}: that PostgreSQL database does not exist — create it (createdb) or fix {where.setting}"
    if "connection refused" in text or "is the server running" in text:
        return f"cannot connect to {db}: connection refused — is PostgreSQL running on that host and port?"
    if "could not translate host name" in text or "name or service not known" in text:
        return f"cannot connect to {db}: unknown host name — check {where.setting}"
    if "timeout" in text or "timed out" in text:
        return f"cannot connect to {db}: no answer from the server in time — check the host and the network"
    if "server version" in text or "too old" in text or "unsupported" in text:
        return f"the PostgreSQL server of {db} is too old for kam: use PostgreSQL 12 or newer"
    if "permission denied" in text:
        return f"PostgreSQL: the user of {db} lacks a permission kam needs (see kam's README)"
    return None


# --- SQLite and the operating system ------------------------------------------------------


def _sqlite(exc: sqlite3.Error, where: Where) -> str | None:
    from kamtui.db import busy_error

    busy = busy_error(exc)
    if busy is not None:
        return str(busy)
    if isinstance(exc, sqlite3.IntegrityError):
        return _integrity(exc)
    text = str(exc).lower()
    db = where.database
    if "is not a database" in text:
        return f"{db} is not a kam database (not an SQLite file): check {where.setting}"
    if "malformed" in text:
        return (
            f"{db} is damaged (database disk image is malformed): nothing was changed — "
            "restore a backup (kam backup makes them) and keep the damaged file for a bug report"
        )
    if "readonly database" in text or "read-only" in text:
        return (
            f"{db} is read-only (file mode, chattr +i or a read-only disk): nothing was "
            "changed — make it writable or choose another file"
        )
    if "disk is full" in text:
        return f"the disk holding {db} is full: nothing was saved — free some space and try again"
    if "disk i/o error" in text:
        return (
            f"disk I/O error on {db} (a full or failing disk?): nothing was saved — "
            "check the disk, then run kam check"
        )
    if "unable to open database file" in text:
        return _cannot_open(where)
    return None


def _cannot_open(where: Where) -> str:
    path = where.path
    if path is None:
        return f"cannot open {where.database}"
    folder = path.parent
    if not folder.is_dir():
        return f"cannot open {path}: folder {folder} does not exist"
    try:
        info = path.stat()
    except FileNotFoundError:
        if not os.access(folder, os.W_OK | os.X_OK):
            return f"cannot create {path}: you may not write in folder {folder}"
        return f"cannot open {path}"
    except OSError as exc:
        return f"cannot open {path}: {exc.strerror}"
    if not os.access(path, os.R_OK | os.W_OK):
        return (
            f"cannot open {path}: it belongs to {_owner(info.st_uid)} (mode "
            f"{stat.S_IMODE(info.st_mode):04o}) and you may not read and write it — "
            "use your own copy or ask its owner"
        )
    if not os.access(folder, os.W_OK | os.X_OK):
        return (
            f"cannot open {path}: SQLite needs to write next to it in {folder}, "
            "and you may not — move the file to a folder of yours"
        )
    return f"cannot open {path}"


def _owner(uid: int) -> str:
    try:
        import pwd

        return f"user {pwd.getpwuid(uid).pw_name}"
    except (KeyError, ImportError):
        return f"user id {uid}"


def _os_error(exc: OSError, where: Where) -> str:
    name = exc.filename or where.database
    code = exc.errno
    if code in (errno.ENOSPC, errno.EDQUOT):
        return f"the disk is full ({name}): nothing was saved — free some space and try again"
    if code == errno.EFBIG:
        return f"{name}: the file would grow past the size this system allows; nothing was saved"
    if code in (errno.EACCES, errno.EPERM):
        return f"permission denied: {name} — you may not change this file or folder"
    if code == errno.EROFS:
        return f"{name} is on a read-only filesystem: choose another place"
    if code == errno.ENOTDIR:
        return f"{name}: a part of this path is a file, not a folder"
    if code == errno.EISDIR:
        return f"{name} is a folder: give a file name"
    if code == errno.ENOENT:
        return f"{name} does not exist"
    if code == errno.EEXIST:
        return f"{name} exists already: choose another name"
    if code == errno.ELOOP:
        return f"{name} is a symbolic link: kam does not follow links, give the real path"
    if code == errno.EIO:
        return f"input/output error on {name} (failing disk?): check the disk, then run kam check"
    return f"{exc.strerror or type(exc).__name__}: {name}"
