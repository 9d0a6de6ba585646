"""Importing contacts and economics by period, linked to accounts by external id or name.

The same rules as accounts: every row validated first, one transaction, an empty cell
leaves the value kam holds, a changed record gets version + 1.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from kamtui import models as m
from kamtui.db import Database
from kamtui.errors import StaleError
from kamtui.io import headers as h
from kamtui.io.accounts import _warn_columns, cells, sources
from kamtui.io.plan import ImportPlan, Options, Progress, amount, chunks, short_text
from kamtui.io.read import FileProblem, Table
from kamtui.services.economics import parse_period
from kamtui.services.fields import clean_name

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def _account_lookup(db: Database) -> tuple[dict[str, int], dict[str, int]]:
    """Accounts by any of their external ids (primary first, then per system) and by
    name (cleaned as names are: NFC, no invisible characters)."""
    rows = db.fetch("SELECT id, name, external_id FROM account")
    by_ext = {
        h.ext_key(ext): aid
        for aid, ext in db.fetch("SELECT account_id, external_id FROM account_external_id")
    }
    by_ext.update({h.ext_key(ext): aid for aid, _, ext in rows if ext})
    by_name = {clean_name(name).lower(): aid for aid, name, _ in rows}
    return by_ext, by_name


def _find_account(raw: str, by_ext: dict[str, int], by_name: dict[str, int]) -> int:
    value = clean_name(raw)
    found = by_ext.get(h.ext_key(value)) or by_name.get(value.lower())
    if found is None:
        raise ValueError(f"no account with id or name {value!r} in kam (import the accounts first)")
    return found


def guess_level(title: str) -> str:
    """A contact's level from their job title, for the relationship map."""
    t = f" {title.lower()} "
    if any(w in t for w in ("chief", " ceo", " cfo", " coo", " cto", "president", "owner",
                            "founder", "managing director", "general manager")):  # fmt: skip
        return "vp" if "vice president" in t else "executive"
    if " vp" in t or "vice president" in t:
        return "vp"
    if "director" in t or "head of" in t:
        return "director"
    if any(w in t for w in ("assistant", "coordinator", "specialist", "analyst", "clerk")):
        return "staff"
    return "manager"


# --- contacts ------------------------------------------------------------------------------

CONTACT_COLUMNS = ("name", "title", "level", "email", "phone")
LIMITS = {"name": 200, "title": 200, "email": 200, "phone": 50}


def prepare_contacts(
    db: Database, table: Table, mapping: h.ColumnMap, opts: Options, today: dt.date
) -> ImportPlan:
    plan = ImportPlan(table.path, "contacts", mapping.format)
    problems = plan.problems
    src = sources(table, mapping.columns)
    header = [c.strip() for c in table.headers]
    if "account" not in src:
        raise FileProblem(
            f"{table.path.name} has no account column for its contacts (Company Name, "
            'AccountId, Account Name or account) — or say which with --map "Column=account"'
        )
    if not {"name", "first_name", "last_name"} & set(src):
        raise FileProblem(
            f"{table.path.name} has no name column for its contacts "
            "(First Name and Last Name, FirstName and LastName, or name)"
        )
    by_ext, by_name = _account_lookup(db)
    existing = db.fetch(
        "SELECT id, version, account_id, name, title, level, email, phone FROM contact"
    )
    by_email = {(r[2], r[6].lower()): r for r in existing if r[6]}
    by_person = {(r[2], r[3].lower()): r for r in existing}

    seen: dict[tuple[int, str], int] = {}
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for line, values in cells(table, problems):

        def get(name: str, values: list[str] = values) -> tuple[str, str]:
            for i in src.get(name, []):
                if values[i].strip():
                    return values[i].strip(), header[i]
            return "", header[src[name][0]] if name in src else name

        raw_account, account_col = get("account")
        if not raw_account:
            problems.add(line, account_col, "empty: every contact belongs to an account")
            continue
        try:
            account_id = _find_account(raw_account, by_ext, by_name)
        except ValueError as exc:
            problems.add(line, account_col, str(exc))
            continue
        record: dict[str, Any] = {}
        full, name_col = get("name")
        if not full:
            full = " ".join(p for p in (get("first_name")[0], get("last_name")[0]) if p)
            name_col = get("first_name")[1] if "first_name" in src else get("last_name")[1]
        ok = True
        for field, (raw, column) in (
            ("name", (full, name_col)),
            ("title", get("title")),
            ("email", get("email")),
            ("phone", get("phone")),
            ("level", get("level")),
        ):
            if not raw:
                continue
            try:
                if field == "level":
                    if raw.lower() not in m.LEVELS:
                        raise ValueError(f"{raw!r} is not one of: {', '.join(m.LEVELS)}")
                    record[field] = raw.lower()
                else:
                    record[field] = short_text(raw, LIMITS[field])
                if field == "email" and not EMAIL.fullmatch(record[field]):
                    raise ValueError(f"{raw!r} is not an e-mail address")
            except ValueError as exc:
                problems.add(line, column, str(exc))
                ok = False
        if not ok:
            continue
        if "name" not in record:
            problems.add(line, name_col, "empty: every contact needs a name")
            continue
        email = record.get("email", "").lower()
        key = (account_id, f"@{email}" if email else record["name"].lower())
        if key in seen:
            problems.add(line, name_col, f"the same contact is on line {seen[key]} already")
            continue
        seen[key] = line
        current = by_email.get((account_id, email)) if email else None
        if current is None:
            current = by_person.get((account_id, record["name"].lower()))
        if current is None:
            record.setdefault("level", guess_level(record.get("title", "")))
            inserts.append(
                {"account_id": account_id, "title": "", "email": "", "phone": "", "version": 1}
                | record
            )
            continue
        old = dict(zip(CONTACT_COLUMNS, current[3:], strict=True))
        if all(old[k] == v for k, v in record.items()):
            plan.unchanged += 1
            continue
        updates.append({f"b_{k}": record.get(k, old[k]) for k in CONTACT_COLUMNS}
                       | {"b_id": current[0], "b_version": current[1]})  # fmt: skip
    plan.rows = table.count
    plan.notes.extend(table.notes)
    if problems:
        return plan
    plan.created, plan.updated = len(inserts), len(updates)
    _warn_columns(plan, mapping)

    def write(progress: Progress | None) -> None:
        _write(db, m.Contact.__table__, CONTACT_COLUMNS, inserts, updates, progress)  # type: ignore[attr-defined]
        plan.done = True

    plan.write = write
    return plan


def _write(
    db: Database,
    table: Any,
    columns: tuple[str, ...],
    inserts: list[dict[str, Any]],
    updates: list[dict[str, Any]],
    progress: Progress | None,
) -> None:
    from sqlalchemy import bindparam, insert, update

    total = len(inserts) + len(updates)
    done = 0
    stmt = (
        update(table)
        .where(table.c.id == bindparam("b_id"), table.c.version == bindparam("b_version"))
        .values({c: bindparam(f"b_{c}") for c in columns} | {"version": table.c.version + 1})
    )
    with db.engine.begin() as conn:
        for batch in chunks(inserts):
            conn.execute(insert(table), batch)
            done += len(batch)
            if progress:
                progress(done, total)
        for batch in chunks(updates):
            if conn.execute(stmt, batch).rowcount != len(batch):
                raise StaleError(
                    "records were changed elsewhere since the preview: nothing was imported; "
                    "preview the file again"
                )
            done += len(batch)
            if progress:
                progress(done, total)


# --- economics -----------------------------------------------------------------------------

PERIOD_COLUMNS = (
    "kind", "revenue_minor", "cost_to_serve_minor", "gross_profit_minor", "receivables_minor",
)  # fmt: skip


def _period(raw: str, kind: str) -> tuple[dt.date, str]:
    value = raw.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        start = dt.date.fromisoformat(value)
        if start.day != 1:
            raise ValueError(f"{value!r}: a period starts on the first day of a month")
        if not kind:
            kind = "quarter" if start.month in (1, 4, 7, 10) else "month"
        if kind == "quarter" and start.month not in (1, 4, 7, 10):
            raise ValueError(f"{value!r} is not the start of a quarter")
        return start, kind
    start, found = parse_period(value)
    return start, found


def prepare_economics(
    db: Database, table: Table, mapping: h.ColumnMap, opts: Options, today: dt.date
) -> ImportPlan:
    plan = ImportPlan(table.path, "economics", mapping.format)
    problems = plan.problems
    src = sources(table, mapping.columns)
    header = [c.strip() for c in table.headers]
    missing = [
        label
        for field, label in (
            ("account", "account"),
            ("revenue", "revenue"),
            ("cost_to_serve", "cost to serve"),
            ("gross_profit", "gross profit"),
        )
        if field not in src
    ]
    if missing:
        raise FileProblem(
            f"{table.path.name} is missing the column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)} (economics need account, period, revenue, cost to serve, "
            "gross profit; receivables optional)"
        )
    by_ext, by_name = _account_lookup(db)
    existing = {
        (r[2], r[3]): r
        for r in db.fetch(
            "SELECT id, version, account_id, period_start, kind, revenue_minor, "
            "cost_to_serve_minor, gross_profit_minor, receivables_minor FROM account_period"
        )
    }
    seen: dict[tuple[int, str], int] = {}
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for line, values in cells(table, problems):

        def get(name: str, values: list[str] = values) -> tuple[str, str]:
            for i in src.get(name, []):
                if values[i].strip():
                    return values[i].strip(), header[i]
            return "", header[src[name][0]] if name in src else name

        record: dict[str, Any] = {}
        ok = True
        raw, column = get("account")
        try:
            if not raw:
                raise ValueError("empty: every period belongs to an account")
            account_id = _find_account(raw, by_ext, by_name)
        except ValueError as exc:
            problems.add(line, column, str(exc))
            ok = False
        kind = get("kind")[0].lower()
        raw, column = get("period") if "period" in src else get("period_start")
        try:
            if kind and kind not in m.PERIOD_KINDS:
                raise ValueError(f"kind {kind!r} is not quarter or month")
            if not raw:
                raise ValueError("empty: say which quarter (2026-Q3) or month (2026-07)")
            start, record["kind"] = _period(raw, kind)
        except ValueError as exc:
            problems.add(line, column, str(exc))
            ok = False
        for field, negative in (
            ("revenue", False),
            ("cost_to_serve", False),
            ("gross_profit", True),
            ("receivables", False),
        ):
            raw, column = get(field)
            if not raw:
                continue
            try:
                record[f"{field}_minor"] = amount(
                    raw, decimal_comma=opts.decimal_comma, allow_negative=negative
                )
            except ValueError as exc:
                problems.add(line, column, str(exc))
                ok = False
        if not ok:
            continue
        key = (account_id, start.isoformat())
        if key in seen:
            problems.add(line, column, f"the same account and period are on line {seen[key]}")
            continue
        seen[key] = line
        current = existing.get(key)
        if current is None:
            inserts.append(
                {"account_id": account_id, "period_start": start, "revenue_minor": 0,
                 "cost_to_serve_minor": 0, "gross_profit_minor": 0, "receivables_minor": 0,
                 "version": 1} | record
            )  # fmt: skip
            continue
        old = dict(zip(PERIOD_COLUMNS, current[4:], strict=True))
        if all(old[k] == v for k, v in record.items()):
            plan.unchanged += 1
            continue
        updates.append({f"b_{k}": record.get(k, old[k]) for k in PERIOD_COLUMNS}
                       | {"b_id": current[0], "b_version": current[1]})  # fmt: skip
    plan.rows = table.count
    plan.notes.extend(table.notes)
    if problems:
        return plan
    plan.created, plan.updated = len(inserts), len(updates)
    _warn_columns(plan, mapping)

    def write(progress: Progress | None) -> None:
        _write(db, m.AccountPeriod.__table__, PERIOD_COLUMNS, inserts, updates, progress)  # type: ignore[attr-defined]
        plan.done = True

    plan.write = write
    return plan
