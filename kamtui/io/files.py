"""Writing files that hold customer data: mode 0600, atomically (temporary file, rename)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from kamtui.db import create_private_file, private_dir
from kamtui.errors import KamError


def check_target(path: Path, *, folder: bool = False) -> Path:
    """Refuse to overwrite: an export never replaces a file the user already has."""
    path = path.expanduser().absolute()
    if folder:
        if path.exists() and (not path.is_dir() or any(path.iterdir())):
            raise KamError(f"{path} exists already and is not an empty folder; choose another")
    elif path.exists():
        raise KamError(f"{path} exists already; choose another name or delete it first")
    if not path.parent.is_dir():
        raise KamError(f"folder {path.parent} does not exist")
    return path


def make_folder(path: Path) -> Path:
    private_dir(path)
    return path


@contextmanager
def _temp_for(path: Path) -> Iterator[Path]:
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temp.unlink(missing_ok=True)
    if not create_private_file(temp):  # pragma: no cover - just unlinked
        raise KamError(f"cannot create {temp}")
    try:
        yield temp
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def write_atomic(path: Path, fill: Callable[[IO[Any]], None], *, binary: bool = False,
                 encoding: str = "utf-8") -> Path:  # fmt: skip
    """Write ``path`` through ``fill(handle)`` into a 0600 temporary file, then rename."""
    with _temp_for(path) as temp:
        if binary:
            with temp.open("wb") as fh:
                fill(fh)
                fh.flush()
                os.fsync(fh.fileno())
        else:
            with temp.open("w", encoding=encoding, newline="") as fh:
                fill(fh)
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(temp, path)
    return path


def save_with(path: Path, save: Callable[[Path], None]) -> Path:
    """For libraries that write by file name (openpyxl): save to the temp file, rename."""
    with _temp_for(path) as temp:
        save(temp)
        os.chmod(temp, 0o600)
        os.replace(temp, path)
    return path
