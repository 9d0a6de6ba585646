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
import json
import re
from collections.abc import Callable, Iterator
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
from kamtui.services.fields import clean_name

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


def cells(table: Table, problems: Problems) -> Iterator[tuple[int, list[str]]]:
    """Rows as (line, values), streamed, with the values' count checked against the
    header. A header with no rows under it is a FileProblem."""
    width = len(table.headers)
    any_rows = False
    for row in table:
        any_rows = True
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
        yield row.line, values
    if not any_rows:
        raise FileProblem(f"{table.path.name} has a header but no rows")


def _name(raw: str, limit: int) -> str:
    value = clean_name(raw)
    if not value:
        raise ValueError("only invisible characters: every account needs a visible name")
    if len(value) > limit:
        raise ValueError(f"longer than {limit} characters ({len(value)})")
    return value


def _parser(name: str, opts: Options) -> Callable[[str], Any]:
    if name in ("name", "parent", "owner"):
        return lambda raw: _name(raw, TEXT_LIMITS[name])
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
    if not re.fullmatch(r"[0-9]{1,3}", value) or not 1 <= int(value) <= 5:
        raise ValueError(f"{value[:40]!r}: must be a whole number from 1 to 5")
    return int(value)


EXISTING_SQL = f"SELECT id, version, {', '.join(COLUMNS)} FROM account"
VALUE_FIELDS = tuple(c for c in COLUMNS if c not in ("name", "external_id", "status",
                                                      "parent_id", "owner_id"))  # fmt: skip
FORMAT_SYSTEMS = {"Salesforce": "salesforce", "HubSpot": "hubspot"}

SCHEMA = f"""
CREATE TABLE r (
    n INTEGER PRIMARY KEY, line INTEGER NOT NULL, bad INTEGER NOT NULL DEFAULT 0,
    name TEXT NOT NULL, name_key TEXT NOT NULL, name_col TEXT NOT NULL,
    ext TEXT, ext_key TEXT, ext_col TEXT,
    parent_raw TEXT, parent_col TEXT, p_name_key TEXT, p_ext_key TEXT,
    owner TEXT, owner_key TEXT, status TEXT, crm INTEGER, not_status INTEGER,
    vals TEXT NOT NULL,
    target INTEGER, by_ext INTEGER NOT NULL DEFAULT 0, p_row INTEGER, p_db INTEGER
);
CREATE TABLE e (id INTEGER PRIMARY KEY, version INTEGER, name_key TEXT,
                {", ".join(COLUMNS)});
CREATE TABLE x (account_id INTEGER, system TEXT, ext TEXT, ext_key TEXT);
CREATE TABLE p (key TEXT PRIMARY KEY, id INTEGER);
CREATE TABLE ch (n INTEGER PRIMARY KEY, target INTEGER, changes TEXT NOT NULL,
                 parent INTEGER NOT NULL, ext_add TEXT);
"""
INDEXES = """
CREATE INDEX r_name ON r (name_key, n);
CREATE INDEX r_ext ON r (ext_key, n);
CREATE INDEX r_target ON r (target, n);
CREATE INDEX e_name ON e (name_key);
CREATE INDEX x_ext ON x (ext_key, system);
CREATE INDEX x_account ON x (account_id, system);
"""


def system_of(mapping: h.ColumnMap, opts: Options) -> str | None:
    """The source system the file's ids belong to: --source, else the CRM the header
    says; None for kam's own or generic columns (then an id matches in any system)."""
    from kamtui.services.external_ids import system_key

    if opts.source:
        return system_key(opts.source)
    return next((v for k, v in FORMAT_SYSTEMS.items() if mapping.format.startswith(k)), None)


def prepare_accounts(
    db: Database, table: Table, mapping: h.ColumnMap, opts: Options, today: dt.date
) -> ImportPlan:
    from kamtui.io.staging import Staging

    plan = ImportPlan(table.path, "accounts", mapping.format)
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
    system = system_of(mapping, opts)
    st = Staging()
    st.script(SCHEMA)

    # pass 1: every row parsed and checked on its own, then staged
    plan_fields = [(name, indexes, parsers.get(name)) for name, indexes in src.items()]
    statuses: dict[str, str | None] = {}  # a file has a handful of distinct statuses

    def parsed() -> Any:
        n = 0
        for line, values in cells(table, problems):
            vals: dict[str, Any] = {}
            status: tuple[str | None, bool] | None = None
            parent = owner = None
            ok = True  # a row with a bad value is still staged: the checks across rows see it
            for name, indexes, parse in plan_fields:
                for index in indexes:
                    raw = values[index]
                    if raw and not raw.isspace():
                        break
                else:
                    continue
                try:
                    if parse is None:  # status or crm_status
                        if raw in statuses:
                            mapped = statuses[raw]
                        else:
                            mapped = statuses[raw] = h.map_status(raw)
                        if status is None or (status[1] and name == "status"):
                            status = (mapped, name == "crm_status")
                        continue
                    value = parse(raw)
                except ValueError as exc:
                    problems.add(line, header[index], str(exc))
                    ok = False
                    continue
                if name == "parent":
                    parent = (value, header[index])
                elif name == "owner":
                    owner = value
                else:
                    vals[name] = value.isoformat() if isinstance(value, dt.date) else value
            if "name" not in vals:
                if ok:
                    problems.add(line, header[src["name"][0]], "empty: every account needs a name")
                continue
            name = vals.pop("name")
            ext = vals.pop("external_id", None)
            yield (
                n, line, name, name.lower(), header[src["name"][0]],
                ext, h.ext_key(ext) if ext else None,
                header[src["external_id"][0]] if "external_id" in src else "",
                parent[0] if parent else None, parent[1] if parent else None,
                parent[0].lower() if parent else None, h.ext_key(parent[0]) if parent else None,
                owner, owner.lower() if owner else None,
                status[0] if status else None, int(status[1]) if status else None,
                int(status is not None and status[0] is None),
                json.dumps(vals),
            )  # fmt: skip
            n += 1

    st.fill(
        "INSERT INTO r (n, line, name, name_key, name_col, ext, ext_key, ext_col, parent_raw, "
        "parent_col, p_name_key, p_ext_key, owner, owner_key, status, crm, not_status, vals) "
        f"VALUES ({', '.join('?' * 18)})",
        parsed(),
    )
    plan.rows = table.count
    plan.notes.extend(table.notes)
    _stage_existing(db, st)
    st.script(INDEXES)
    _match(st, system, problems)
    _parents(st, system, problems)
    _loops(st, problems)
    if problems:
        st.close()
        return plan

    new_people = [
        owner
        for (owner,) in st.stream(
            "SELECT owner FROM r WHERE n IN (SELECT min(n) FROM r WHERE owner_key IS NOT NULL "
            "AND owner_key NOT IN (SELECT key FROM p) GROUP BY owner_key) ORDER BY owner"
        )
    ]
    _changes(st, plan, system)
    if new_people:
        plan.notes.append(
            f"{len(new_people)} owner{'s' if len(new_people) != 1 else ''} new to kam "
            f"will be added to your people: {', '.join(new_people[:5])}"
            + ("…" if len(new_people) > 5 else "")
        )
    not_status = st.one("SELECT count(*) FROM r WHERE not_status")
    if not_status:
        plan.notes.append(
            f"{not_status} row{'s have' if not_status != 1 else ' has'} a CRM type that is not a "
            "status (Partner, Reseller, Other…): their status is left as it is"
        )
    _warn_columns(plan, mapping)

    def write(progress: Progress | None) -> None:
        from kamtui.io.write_accounts import write_accounts

        try:
            write_accounts(db, plan, st, new_people, system, today, progress)
        finally:
            st.close()

    plan.write = write
    plan.discard = st.close
    return plan


def _stage_existing(db: Database, st: Any) -> None:
    """Copy what matching needs of kam's accounts, people and ids, in batches."""
    from kamtui.io.staging import stream_rows
    from kamtui.services.fields import clean_name

    name_at = 2 + COLUMNS.index("name")
    st.fill(
        f"INSERT INTO e VALUES ({', '.join('?' * (3 + len(COLUMNS)))})",
        (
            (r[0], r[1], clean_name(r[name_at]).lower(), *r[2:])
            for r in stream_rows(db, EXISTING_SQL)
        ),
    )
    ids = stream_rows(db, "SELECT account_id, system, external_id FROM account_external_id")
    primary = stream_rows(
        db, "SELECT id, '', external_id FROM account WHERE external_id IS NOT NULL"
    )
    for rows in (primary, ids):
        st.fill("INSERT INTO x VALUES (?, ?, ?, ?)", ((a, s, x, h.ext_key(x)) for a, s, x in rows))
    st.fill(
        "INSERT OR IGNORE INTO p VALUES (?, ?)",
        (
            (clean_name(name).lower(), pid)
            for pid, name in stream_rows(db, "SELECT id, name FROM person")
        ),
    )


def _report(st: Any, problems: Problems, sql: str, params: tuple[Any, ...] = (),
            mark: bool = True) -> None:  # fmt: skip
    """Add each (n, line, column, reason) the query finds; mark those rows bad."""
    bad = []
    for n, line, column, reason in st.stream(sql, params):
        problems.add(line, column, reason)
        bad.append((n,))
    if bad and mark:
        st.conn.executemany("UPDATE r SET bad = 1 WHERE n = ?", bad)


def _match(st: Any, system: str | None, problems: Problems) -> None:
    """Each row's account: by external id (its system's, or kam's primary id), then by
    name; and the checks across rows: duplicates, conflicts, two rows on one account."""
    from kamtui.services.external_ids import label

    anywhere = int(system is None)
    s = system or ""
    _report(st, problems,
        "SELECT n, line, name_col, 'duplicate name ' || quote(name) || ': already on line ' || "
        "first FROM (SELECT n, line, name_col, name, (SELECT min(g.line) FROM r g "
        "WHERE g.name_key = r.name_key) AS first FROM r) WHERE first < line ORDER BY n")  # fmt: skip
    _report(st, problems,
        "SELECT n, line, ext_col, 'duplicate id ' || quote(ext) || ': already on line ' || "
        "first FROM (SELECT n, line, ext_col, ext, (SELECT min(g.line) FROM r g "
        "WHERE g.ext_key = r.ext_key AND NOT g.bad) AS first FROM r "
        "WHERE ext_key IS NOT NULL AND NOT bad) WHERE first < line ORDER BY n")  # fmt: skip
    if anywhere:
        _report(st, problems,
            "SELECT n, line, ext_col, 'the id ' || quote(ext) || ' belongs to several accounts "
            "(in different systems): say which with --source' FROM r WHERE ext_key IS NOT NULL "
            "AND NOT bad AND (SELECT count(DISTINCT account_id) FROM x "
            "WHERE x.ext_key = r.ext_key) > 1 ORDER BY n")  # fmt: skip
    st.execute(
        "UPDATE r SET target = (SELECT x.account_id FROM x WHERE x.ext_key = r.ext_key "
        "AND (? OR x.system = ? OR x.system = '') ORDER BY x.system = ? DESC, x.system = '' DESC "
        "LIMIT 1) WHERE ext_key IS NOT NULL AND NOT bad",
        (anywhere, s, s),
    )
    st.execute("UPDATE r SET by_ext = 1 WHERE target IS NOT NULL")
    st.execute(
        "UPDATE r SET target = (SELECT e.id FROM e WHERE e.name_key = r.name_key ORDER BY e.id "
        "LIMIT 1) WHERE target IS NULL AND NOT bad"
    )
    # matched by name, but the account holds another id from the same system
    held_system = "x.system = ''" if anywhere else "x.system = ?"
    found = st.stream(
        f"SELECT r.n, r.line, r.ext_col, r.name, r.ext, x.ext, x.system FROM r JOIN x "
        f"ON x.account_id = r.target AND {held_system} WHERE NOT r.by_ext AND NOT r.bad "
        "AND r.ext_key IS NOT NULL AND x.ext_key != r.ext_key ORDER BY r.n",
        () if anywhere else (s,),
    )
    bad = []
    for n, line, column, name, ext, held, held_in in list(found):
        kind = "external id" if not held_in else f"{label(held_in)} id"
        problems.add(line, column, f"{name!r} exists with {kind} {held!r}, this row says {ext!r}")
        bad.append((n,))
    st.conn.executemany("UPDATE r SET bad = 1 WHERE n = ?", bad)
    _report(st, problems,
        "SELECT n, line, name_col, 'renaming to ' || quote(name) || ', but another account has "
        "that name already' FROM r WHERE by_ext AND NOT bad AND EXISTS (SELECT 1 FROM e "
        "WHERE e.name_key = r.name_key AND e.id != r.target) ORDER BY n")  # fmt: skip
    _report(st, problems,
        "SELECT n, line, name_col, 'matches the same account as line ' || first FROM ("
        "SELECT n, line, name_col, (SELECT min(g.line) FROM r g WHERE g.target = r.target "
        "AND NOT g.bad) AS first FROM r WHERE target IS NOT NULL AND NOT bad) "
        "WHERE first < line ORDER BY n")  # fmt: skip
    st.execute("UPDATE r SET target = NULL WHERE bad")


def _parents(st: Any, system: str | None, problems: Problems) -> None:
    """Parents by external id or name, in the file first, then in kam."""
    s = system or ""
    st.execute(
        "UPDATE r SET p_row = COALESCE("
        "(SELECT min(g.n) FROM r g WHERE g.ext_key = r.p_ext_key AND NOT g.bad), "
        "(SELECT min(g.n) FROM r g WHERE g.name_key = r.p_name_key AND NOT g.bad)) "
        "WHERE parent_raw IS NOT NULL"
    )
    st.execute(
        "UPDATE r SET p_db = COALESCE((SELECT x.account_id FROM x WHERE x.ext_key = r.p_ext_key "
        "ORDER BY x.system = ? DESC, x.system = '' DESC LIMIT 1), "
        "(SELECT e.id FROM e WHERE e.name_key = r.p_name_key ORDER BY e.id LIMIT 1)) "
        "WHERE parent_raw IS NOT NULL AND p_row IS NULL",
        (s,),
    )
    # a parent in kam that a row of the file stands for is that row
    st.execute(
        "UPDATE r SET p_row = (SELECT min(g.n) FROM r g WHERE g.target = r.p_db) "
        "WHERE p_db IS NOT NULL"
    )
    st.execute("UPDATE r SET p_db = NULL WHERE p_row IS NOT NULL")
    _report(st, problems,
        "SELECT n, line, parent_col, 'no account with id or name ' || quote(parent_raw) || "
        "' in the file or in kam (or --map \"' || parent_col || '=\" to skip the column)' "
        "FROM r WHERE parent_raw IS NOT NULL AND p_row IS NULL AND p_db IS NULL ORDER BY n",
        mark=False)  # fmt: skip
    _report(st, problems,
        "SELECT n, line, parent_col, 'an account cannot be its own parent' FROM r "
        "WHERE p_row = n ORDER BY n", mark=False)  # fmt: skip
    st.execute("UPDATE r SET p_row = NULL WHERE p_row = n")


NONE = -(2**62)


def _loops(st: Any, problems: Problems) -> None:
    """Parents must not form a loop, across the file and kam. A walk up from every row
    with a memo (each node is visited once): arrays of 9 bytes a row, not dicts."""
    from array import array

    total = st.one("SELECT count(*) FROM r")
    up = array("q", [NONE]) * total
    held_parent = (
        "COALESCE((SELECT min(g.n) FROM r g WHERE g.target = e.parent_id AND NOT g.bad), "
        "-e.parent_id)"
    )
    for n, code in st.stream(
        "SELECT r.n, CASE WHEN r.parent_raw IS NOT NULL THEN COALESCE(r.p_row, -r.p_db) "
        f"ELSE (SELECT {held_parent} FROM e WHERE e.id = r.target) END FROM r"
    ):
        if code is not None:
            up[n] = code
    db_up = dict(
        st.stream(
            f"SELECT -e.id, {held_parent} FROM e WHERE e.parent_id IS NOT NULL AND e.id NOT IN "
            "(SELECT target FROM r WHERE target IS NOT NULL)"
        )
    )
    state = bytearray(total)  # 0 not seen, 1 on this walk, 2 reaches a root, 3 in a loop
    db_state: dict[int, int] = {}
    looped = []
    for start in range(total):
        if state[start]:
            continue
        path = []
        node: int | None = start
        result = 2
        while node is not None:
            seen = state[node] if node >= 0 else db_state.get(node, 0)
            if seen:
                result = 3 if seen in (1, 3) else 2
                break
            path.append(node)
            if node >= 0:
                state[node] = 1
                nxt = up[node]
                node = None if nxt == NONE else nxt
            else:
                db_state[node] = 1
                node = db_up.get(node)
        for visited in path:
            if visited >= 0:
                state[visited] = result
                if result == 3:
                    looped.append(visited)
            else:
                db_state[visited] = result
    for n in sorted(looped):
        line, column = st.execute("SELECT line, parent_col FROM r WHERE n = ?", (n,)).fetchone()
        problems.add(line, column or "", "parents form a loop")


def _changes(st: Any, plan: ImportPlan, system: str | None) -> None:
    """What changes for each row, staged for the write: created, updated or unchanged."""
    cols = ", ".join(f"e.{c}" for c in COLUMNS)
    sys_ext = (
        "(SELECT x.ext FROM x WHERE x.account_id = r.target AND x.system = ?)" if system else "NULL"
    )
    sql = (
        "SELECT r.n, r.target, r.name, r.ext, r.vals, r.status, r.crm, r.owner_key, "
        "(SELECT p.id FROM p WHERE p.key = r.owner_key), r.parent_raw IS NOT NULL, r.p_row, "
        "r.p_db, (SELECT min(g.n) FROM r g WHERE g.target = e.parent_id), "
        f"{sys_ext}, r.by_ext, {cols} FROM r LEFT JOIN e ON e.id = r.target ORDER BY r.n"
    )
    col = {c: i + 15 for i, c in enumerate(COLUMNS)}

    def rows() -> Any:
        for r in st.stream(sql, (system,) if system else ()):
            (n, target, name, ext, vals, status, crm, owner_key, owner_id, has_parent, p_row,
             p_db, held_row, held_sys_ext, by_ext) = r[:15]  # fmt: skip
            wanted: dict[str, Any] = json.loads(vals)
            if "annual_revenue" in wanted:
                wanted["annual_revenue_minor"] = wanted.pop("annual_revenue")
            if owner_key is not None:
                wanted["owner_id"] = owner_key
            ext_add = ext if system and ext and held_sys_ext is None else None
            if target is None:
                wanted["name"] = name
                wanted["external_id"] = ext
                wanted["status"] = status or "prospect"
                plan.created += 1
                yield (n, None, json.dumps(wanted), int(has_parent), ext_add)
                continue
            old_status = r[col["status"]]
            if status is not None:
                wanted["status"] = h.refine_crm_status(old_status, status) if crm else status
            if by_ext:
                wanted["name"] = name  # matched by id: the file may rename it
            if ext and r[col["external_id"]] is None:
                wanted["external_id"] = ext  # the account's first id becomes its primary
            changes: dict[str, Any] = {}
            for field, value in wanted.items():
                if field == "owner_id":
                    if owner_id is None or owner_id != r[col["owner_id"]]:
                        changes[field] = value
                elif r[col[field]] != value:
                    changes[field] = value
            parent = 0
            if has_parent:
                held = (held_row, None) if held_row is not None else (None, r[col["parent_id"]])
                parent = int((p_row, p_db) != held)
            if changes or parent or ext_add:
                plan.updated += 1
                yield (n, target, json.dumps(changes), parent, ext_add)
            else:
                plan.unchanged += 1

    st.fill("INSERT INTO ch VALUES (?, ?, ?, ?, ?)", rows())


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
