"""The one entry point for imports: ``prepare_import`` (read, validate, plan; writes
nothing) and ``apply_import`` (one transaction). The CLI and the TUI both use these."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kamtui.db import Database
from kamtui.errors import KamError
from kamtui.io.plan import ImportPlan, Options, Progress, rejected


def prepare_import(
    db: Database, path: Path, opts: Options, today: dt.date, progress: Progress | None = None
) -> ImportPlan:
    """Read and check the whole file (``progress(line, lines)`` while reading)."""
    from kamtui.io import headers as h
    from kamtui.io.accounts import check_headers, prepare_accounts
    from kamtui.io.read import read_table
    from kamtui.io.records import prepare_contacts, prepare_economics

    path = path.expanduser()
    if opts.fmt not in h.FORMAT_NAMES:
        raise KamError(f"unknown format {opts.fmt!r}: use {', '.join(h.FORMAT_NAMES)}")
    if path.suffix.lower() == ".json":
        from kamtui.io.dump import prepare_restore

        return prepare_restore(db, path)
    table = read_table(path, encoding=opts.encoding)
    table.progress = progress
    check_headers(table)
    try:
        mapping = h.map_headers(table.headers, fmt=opts.fmt, overrides=opts.mapping)
    except ValueError as exc:
        raise KamError(str(exc)) from None
    prepare = {
        "accounts": prepare_accounts,
        "contacts": prepare_contacts,
        "economics": prepare_economics,
    }[mapping.kind]
    return prepare(db, table, mapping, opts, today)


def apply_import(plan: ImportPlan, progress: Progress | None = None) -> ImportPlan:
    if plan.problems or plan.write is None:
        raise rejected(plan)
    if plan.done:
        raise KamError("this import has been written already")
    try:
        plan.write(progress)
    finally:
        if plan.discard is not None:
            plan.discard()
    return plan


def parse_map(items: tuple[str, ...] | list[str]) -> dict[str, str]:
    """``--map "Their Column=field"`` (repeatable; ``Column=`` skips a column)."""
    out = {}
    for item in items:
        if "=" not in item:
            raise KamError(f'--map {item!r}: write "Their Column=field"')
        their, ours = item.rsplit("=", 1)
        if not their.strip():
            raise KamError(f"--map {item!r}: the column name is missing")
        out[their.strip()] = ours.strip()
    return out
