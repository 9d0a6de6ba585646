"""Shared helpers for the import/export tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kamtui.db import Database
from kamtui.errors import KamError
from kamtui.io.importer import apply_import, prepare_import
from kamtui.io.plan import ImportPlan, Options

FIXTURES = Path(__file__).parent / "fixtures"


def snapshot(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, as stored."""
    from kamtui import models as m

    return {
        t.name: db.fetch(f"SELECT * FROM {t.name} ORDER BY 1, 2")
        for t in m.SQLModel.metadata.sorted_tables
    }


def run_import(db: Database, path: Path, today: Any, **opts: Any) -> ImportPlan:
    plan = prepare_import(db, path, Options(**opts), today)
    if plan.ok:
        apply_import(plan)
    return plan


def failure(db: Database, path: Path, today: Any, **opts: Any) -> str:
    """The text a user sees when the file is refused ('' if it would import)."""
    try:
        plan = prepare_import(db, path, Options(**opts), today)
    except KamError as exc:
        return str(exc)
    if plan.problems:
        try:
            apply_import(plan)
        except KamError as exc:
            return "\n".join([str(exc), *plan.problems.items])
        raise AssertionError("a plan with problems was applied")
    return ""
