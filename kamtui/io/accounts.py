"""Importing accounts: validate every row against the file and the database, then write
creates and updates in one transaction (Core statements, status history kept, versions
bumped so open editors see their copy is stale).

Rules a user can rely on (also in ``kam import --help``):
- a row matches an account by external id, then by name (case-insensitive), and updates it;
- an empty cell leaves the value kam holds (imports never erase what you wrote);
- parents resolve by external id or name, in the file or the database, in any row order;
- owners are our people, by name; a name kam does not know yet becomes a new person;
- a CRM's coarse status never overwrites a finer one: its 'customer' keeps our key and
  former accounts, its 'prospect' keeps our targets;
- Salesforce Types and HubSpot values that are not statuses (Partner, Reseller, Vendor,
  Other, Competitor, Analyst, Integrator, Investor, Press) leave the status as it is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kamtui import models as m
from kamtui.db import Database
from kamtui.io import headers as h
from kamtui.io.plan import (
    ImportPlan,
    Options,
    Problems,
    Progress,
    amount,
    iso_date,
    short_text,
    whole_number,
)
from kamtui.io.read import FileProblem, Table, unquote_formula

LOW_PRIORITY = frozenset(
    {"shippingcity", "shippingcountry", "shipping city", "shipping country",
     "company domain name", "type"}
)  # fmt: skip
TEXT_LIMITS = {
    "name": 200, "external_id": 100, "website": 300, "industry": 100, "country": 100,
    "city": 100, "owner": 200, "parent": 200,
}  # fmt: skip
LONG_TEXT = ("notes", "financial_situation", "infrastructure", "business_strategy",
             "incumbents", "why_buy_note")  # fmt: skip
# the account columns an import can set (parent_id and owner_id resolved from names)
COLUMNS = (
    "name", "external_id", "website", "industry", "country", "city", "status", "employees",
    "annual_revenue_minor", *LONG_TEXT, "why_buy", "strength_of_position", "review_cadence",
    "next_review", "parent_id", "owner_id",
)  # fmt: skip
LABELS = {"annual_revenue_minor": "annual revenue", "parent_id": "parent", "owner_id": "owner"}


def sources(table: Table, columns: dict[int, str]) -> dict[str, list[int]]:
    """Field → column indexes, best first (a Billing column before a Shipping one)."""
    out: dict[str, list[int]] = {}
    for index in sorted(columns, key=lambda i: h.norm(table.headers[i]) in LOW_PRIORITY):
        out.setdefault(columns[index], []).append(index)
    return out


def check_headers(table: Table) -> None:
    seen: dict[str, int] = {}
    for i, header in enumerate(table.headers):
        key = h.norm(header)
        if key and key in seen:
            raise FileProblem(f"line 1: column {header.strip()!r} appears twice in the header")
        seen[key] = i
    if not table.rows:
        raise FileProblem(f"{table.path.name} has a header but no rows")


def cells(table: Table, problems: Problems) -> list[tuple[int, list[str]]]:
    """Rows as (line, values), with the values' count checked against the header."""
    width = len(table.headers)
    out = []
    for row in table.rows:
        values = row.values
        if len(values) > width and not any(v.strip() for v in values[width:]):
            values = values[:width]
        if len(values) != width:
            if table.kind == "xlsx" and len(values) < width:
                values = values + [""] * (width - len(values))
            else:
                problems.add(
                    row.line,
                    "",
                    f"{len(values)} values but the header has {width} columns "
                    "(a stray comma, or a line break inside an unquoted field?)",
                )
                continue
        if any(v[:1] == "'" for v in values):
            values = [unquote_formula(v) for v in values]
        out.append((row.line, values))
    return out


@dataclass
class Incoming:
    line: int
    values: dict[str, Any]
    parent: tuple[str, str] | None = None  # (raw value, column)
    owner: str | None = None
    status: tuple[str | None, bool] | None = None  # (status, from a CRM column)
    target: int | None = None  # existing account id
    key: str = ""
    changes: dict[str, Any] = field(default_factory=dict)


def _parser(name: str, opts: Options) -> Callable[[str], Any]:
    if name in TEXT_LIMITS:
        return lambda raw: short_text(raw, TEXT_LIMITS[name])
    if name in LONG_TEXT:
        return lambda raw: raw.rstrip()
    if name == "employees":
        return lambda raw: whole_number(raw, decimal_comma=opts.decimal_comma)
    if name == "annual_revenue":
        return lambda raw: amount(raw, decimal_comma=opts.decimal_comma)
    if name == "why_buy":
        return lambda raw: _choice(raw, m.WHY_BUY)
    if name == "review_cadence":
        return lambda raw: _choice(raw, m.CADENCES)
    if name == "strength_of_position":
        return _rating
    if name == "next_review":
        return iso_date
    raise AssertionError(name)  # pragma: no cover


def _choice(raw: str, values: tuple[str, ...]) -> str:
    value = raw.strip().lower()
    if value not in values:
        raise ValueError(f"{raw.strip()!r} is not one of: {', '.join(values)}")
    return value


def _rating(raw: str) -> int:
    value = raw.strip()
    if not value.isdigit() or not 1 <= int(value) <= 5:
        raise ValueError(f"{value!r}: must be a whole number from 1 to 5")
    return int(value)


EXISTING_SQL = f"SELECT id, version, {', '.join(COLUMNS)} FROM account"


def prepare_accounts(
    db: Database, table: Table, mapping: h.ColumnMap, opts: Options, today: dt.date
) -> ImportPlan:
    plan = ImportPlan(table.path, "accounts", mapping.format, rows=len(table.rows))
    plan.notes.extend(table.notes)
    problems = plan.problems
    src = sources(table, mapping.columns)
    if "name" not in src:
        raise FileProblem(
            f"{table.path.name} has no name column (Name, Account Name, Company name or name); "
            f"columns: {', '.join(c.strip() for c in table.headers)} — "
            'or say which one with --map "Their Column=name"'
        )
    header = [c.strip() for c in table.headers]
    parsers = {f: _parser(f, opts) for f in src if f not in ("status", "crm_status")}

    incoming: list[Incoming] = []
    for line, values in cells(table, problems):
        item = Incoming(line, {})
        for name, indexes in src.items():
            index = next((i for i in indexes if values[i].strip()), None)
            if index is None:
                continue
            raw = values[index]
            try:
                if name in ("status", "crm_status"):
                    status = h.map_status(raw)
                    if item.status is None or (item.status[1] and name == "status"):
                        item.status = (status, name == "crm_status")
                    continue
                value = parsers[name](raw)
            except ValueError as exc:
                problems.add(line, header[index], str(exc))
                continue
            if name == "parent":
                item.parent = (value, header[index])
            elif name == "owner":
                item.owner = value
            else:
                item.values[name] = value
        if "name" not in item.values:
            problems.add(line, header[src["name"][0]], "empty: every account needs a name")
            continue
        item.key = item.values["name"].lower()
        incoming.append(item)

    # the database as it is now
    existing = {r[0]: r for r in db.fetch(EXISTING_SQL)}
    col = {c: i + 2 for i, c in enumerate(COLUMNS)}
    by_ext = {
        h.ext_key(r[col["external_id"]]): r[0] for r in existing.values() if r[col["external_id"]]
    }
    by_name = {r[col["name"]].lower(): r[0] for r in existing.values()}
    people = {name.lower(): pid for pid, name in db.fetch("SELECT id, name FROM person")}

    file_names: dict[str, int] = {}
    file_ext: dict[str, int] = {}
    claimed: dict[int, int] = {}
    for n, item in enumerate(incoming):
        name = item.values["name"]
        ext = item.values.get("external_id")
        name_col = header[src["name"][0]]
        if item.key in file_names:
            problems.add(
                item.line, name_col,
                f"duplicate name {name!r}: already on line {incoming[file_names[item.key]].line}",
            )  # fmt: skip
            continue
        file_names[item.key] = n
        if ext:
            if h.ext_key(ext) in file_ext:
                first = incoming[file_ext[h.ext_key(ext)]].line
                problems.add(
                    item.line, header[src["external_id"][0]],
                    f"duplicate id {ext!r}: already on line {first}",
                )  # fmt: skip
                continue
            file_ext[h.ext_key(ext)] = n
        target = by_ext.get(h.ext_key(ext)) if ext else None
        if target is not None:  # the same id, maybe spelt 15 vs 18 characters: keep ours
            item.values["external_id"] = existing[target][col["external_id"]]
        if target is None:
            target = by_name.get(item.key)
            if target is not None:
                # matched by name: the name kam holds stays, whatever the file's case
                item.values["name"] = existing[target][col["name"]]
            if target is not None and ext:
                held = existing[target][col["external_id"]]
                if held and held != ext:
                    problems.add(
                        item.line, header[src["external_id"][0]],
                        f"{name!r} exists with external id {held!r}, this row says {ext!r}",
                    )  # fmt: skip
                    continue
        else:
            other = by_name.get(item.key)
            if other is not None and other != target:
                problems.add(
                    item.line, name_col,
                    f"renaming to {name!r}, but another account has that name already",
                )  # fmt: skip
                continue
        if target is not None:
            if target in claimed:
                problems.add(
                    item.line, name_col,
                    f"matches the same account as line {incoming[claimed[target]].line}",
                )  # fmt: skip
                continue
            claimed[target] = n
        item.target = target

    # parents: by external id or name, in the file first, then in the database
    def node_of(raw: str) -> tuple[str, int] | None:
        if h.ext_key(raw) in file_ext:
            return ("row", file_ext[h.ext_key(raw)])
        if raw.lower() in file_names:
            return ("row", file_names[raw.lower()])
        found = by_ext.get(h.ext_key(raw)) or by_name.get(raw.lower())
        if found is None:
            return None
        return ("row", claimed[found]) if found in claimed else ("db", found)

    parent_of: dict[tuple[str, int], tuple[str, int] | None] = {}
    for aid, r in existing.items():
        pid = r[col["parent_id"]]
        parent_of[("db", aid)] = ("db", pid) if pid is not None else None
    for aid in claimed:
        parent_of.pop(("db", aid), None)
    for pid_node in list(parent_of):  # a db parent that a row now stands for
        target_node = parent_of[pid_node]
        if target_node is not None and target_node[1] in claimed:
            parent_of[pid_node] = ("row", claimed[target_node[1]])
    for n, item in enumerate(incoming):
        me = ("row", n)
        if item.parent is None:
            current = existing[item.target][col["parent_id"]] if item.target else None
            parent_of[me] = node_of_db(current, claimed)
            continue
        raw, column = item.parent
        node = node_of(raw)
        if node is None:
            problems.add(
                item.line, column,
                f"no account with id or name {raw!r} in the file or in kam "
                f'(or --map "{column}=" to skip the column)',
            )  # fmt: skip
        elif node == me:
            problems.add(item.line, column, "an account cannot be its own parent")
        else:
            parent_of[me] = node
    for n, item in enumerate(incoming):
        seen = {("row", n)}
        node = parent_of.get(("row", n))
        while node is not None:
            if node in seen:
                problems.add(
                    item.line, item.parent[1] if item.parent else "", "parents form a loop"
                )
                break
            seen.add(node)
            node = parent_of.get(node)
    if problems:
        return plan

    # what changes
    fresh = {
        i.owner.lower(): i.owner for i in incoming if i.owner and i.owner.lower() not in people
    }
    new_people = sorted(fresh.values())
    for item in incoming:
        wanted: dict[str, Any] = dict(item.values)
        if "annual_revenue" in wanted:
            wanted["annual_revenue_minor"] = wanted.pop("annual_revenue")
        if item.owner:
            wanted["owner_id"] = ("person", item.owner.lower())
        current = existing.get(item.target) if item.target else None
        old_status = current[col["status"]] if current else None
        if item.status is not None and item.status[0] is not None:
            status, crm = item.status
            assert status is not None
            wanted["status"] = h.refine_crm_status(old_status, status) if crm else status
        if current is None:
            wanted.setdefault("status", "prospect")
            item.changes = wanted
            plan.created += 1
            continue
        changes: dict[str, Any] = {}
        for name, value in wanted.items():
            if name == "owner_id":
                if value[1] not in people or people[value[1]] != current[col["owner_id"]]:
                    changes[name] = value
            elif current[col[name]] != _stored(name, value):
                changes[name] = value
        item.changes = changes
        plan.updated += bool(changes)
        plan.unchanged += not changes
    # parent changes are known only now
    for n, item in enumerate(incoming):
        if item.target is None or item.parent is None:
            continue
        parent_node = parent_of[("row", n)]
        held = existing[item.target][col["parent_id"]]
        if parent_node != node_of_db(held, claimed):
            if not item.changes:
                plan.updated += 1
                plan.unchanged -= 1
            item.changes["parent_id"] = parent_node
        elif "parent_id" in item.changes:  # pragma: no cover - defensive
            del item.changes["parent_id"]
    if new_people:
        plan.notes.append(
            f"{len(new_people)} owner{'s' if len(new_people) != 1 else ''} new to kam "
            f"will be added to your people: {', '.join(new_people[:5])}"
            + ("…" if len(new_people) > 5 else "")
        )
    not_status = sum(1 for i in incoming if i.status is not None and i.status[0] is None)
    if not_status:
        plan.notes.append(
            f"{not_status} row{'s have' if not_status != 1 else ' has'} a CRM type that is not a "
            "status (Partner, Reseller, Other…): their status is left as it is"
        )
    _warn_columns(plan, mapping)

    def write(progress: Progress | None) -> None:
        from kamtui.io.write_accounts import write_accounts

        write_accounts(db, plan, incoming, existing, new_people, parent_of, today, progress)

    plan.write = write
    return plan


def node_of_db(pid: int | None, claimed: dict[int, int]) -> tuple[str, int] | None:
    if pid is None:
        return None
    return ("row", claimed[pid]) if pid in claimed else ("db", pid)


def _stored(name: str, value: Any) -> Any:
    """A value as the raw sqlite3 read returns it, for comparison."""
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


# our own export's bookkeeping columns (written lower-case exactly like this)
INTERNAL = frozenset(
    {"id", "parent_id", "owner_id", "status_since", "stage", "stage_since", "created_at",
     "updated_at", "version", "account_id", "counterpart_id"}
)  # fmt: skip


def _warn_columns(plan: ImportPlan, mapping: h.ColumnMap) -> None:
    if mapping.unknown:
        plan.warnings.append(
            f"column{'s' if len(mapping.unknown) != 1 else ''} not recognised, not imported: "
            f'{", ".join(mapping.unknown)} (keep one with --map "Column=field")'
        )
    internal = [c for c in mapping.ignored if c in INTERNAL]
    others = [c for c in mapping.ignored if c not in INTERNAL]
    if others:
        reasons = [f"{c} ({h.REASONS[h.norm(c)]})" if h.norm(c) in h.REASONS else c for c in others]
        plan.warnings.append(f"columns kam does not keep, not imported: {', '.join(reasons)}")
    if internal:
        plan.notes.append(f"skipped the ids and bookkeeping of a kam export: {', '.join(internal)}")
