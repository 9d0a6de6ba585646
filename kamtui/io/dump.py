"""The complete JSON dump: every table, the schema revision, the settings; and restoring it
into an empty database with nothing lost."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from kamtui.db import Database, reset_sequences
from kamtui.errors import KamError
from kamtui.io.files import check_target, write_atomic
from kamtui.io.plan import ImportPlan, Progress, chunks
from kamtui.money import MAX_INT

FORMAT = "kamtui-dump"
FORMAT_VERSION = 1


def _tables() -> list[Any]:
    from kamtui import models as m

    return list(m.SQLModel.metadata.sorted_tables)


def _kinds(table: Any) -> dict[str, str]:
    """Columns that JSON cannot hold as they are: date, datetime, decimal, bool."""
    from sqlalchemy import Boolean, Date, DateTime

    from kamtui.models import DecimalText

    out = {}
    for column in table.columns:
        t = column.type
        if isinstance(t, DateTime):
            out[column.name] = "datetime"
        elif isinstance(t, Date):
            out[column.name] = "date"
        elif isinstance(t, DecimalText):
            out[column.name] = "decimal"
        elif isinstance(t, Boolean):
            out[column.name] = "bool"
    return out


def _to_json(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _from_json(value: Any, kind: str | None) -> Any:
    if value is None or kind is None:
        return value
    if kind == "datetime":
        return dt.datetime.fromisoformat(value)  # both 'T' and ' ' separators
    if kind == "date":
        return dt.date.fromisoformat(value)
    if kind == "decimal":
        return Decimal(value)
    if kind == "bool":
        return bool(value)
    return value  # pragma: no cover


def schema_revision(db: Database) -> str | None:
    rows = db.fetch("SELECT version_num FROM alembic_version")
    return rows[0][0] if rows else None


def dump_data(db: Database) -> dict[str, Any]:
    from importlib.metadata import version

    from sqlalchemy import select

    tables: dict[str, Any] = {}
    if db.is_sqlite:
        # SQLite hands back what it stores (ISO text for dates, text for decimals): read it
        # raw, 5x faster than typed rows; only booleans need a word (stored as 0/1)
        for table in _tables():
            names = [c.name for c in table.columns]
            order = ", ".join(c.name for c in table.primary_key.columns)
            data: list[Any] = db.fetch(
                f"SELECT {', '.join(names)} FROM {table.name} ORDER BY {order}"
            )
            flags = [i for i, n in enumerate(names) if _kinds(table).get(n) == "bool"]
            if flags:
                data = [list(r) for r in data]
                for r in data:
                    for i in flags:
                        r[i] = None if r[i] is None else bool(r[i])
            tables[table.name] = {"columns": names, "rows": data}
    else:  # PostgreSQL: typed rows, turned into JSON values
        with db.engine.connect() as conn:
            for table in _tables():
                names = [c.name for c in table.columns]
                rows = conn.execute(select(table).order_by(*table.primary_key.columns)).all()
                tables[table.name] = {
                    "columns": names,
                    "rows": [[_to_json(v) for v in r] for r in rows],
                }
    settings = tables.get("settings", {}).get("rows", [])
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "app_version": version("kamtui"),
        "schema_revision": schema_revision(db),
        "exported_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "settings": dict(zip(tables["settings"]["columns"], settings[0], strict=True))
        if settings
        else {},
        "tables": tables,
    }


def export_json(db: Database, out: Path) -> tuple[Path, int]:
    """Write the dump to ``out`` (0600, atomic). Returns the path and the row count."""
    out = check_target(out)
    data = dump_data(db)
    rows = sum(len(t["rows"]) for t in data["tables"].values())

    def dumps(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))  # C encoder: fast

    def fill(fh: Any) -> None:
        # one table at a time: the whole document as one string would double peak memory
        head = dumps({k: v for k, v in data.items() if k != "tables"})
        fh.write(head[:-1] + ',"tables":{')
        for i, (name, table) in enumerate(data["tables"].items()):
            fh.write(("," if i else "") + dumps(name) + ":" + dumps(table))
        fh.write("}}\n")

    write_atomic(out, fill)
    return out, rows


# --- restore -------------------------------------------------------------------------------


class _Refused(ValueError):
    pass


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > 19:
        raise _Refused(f"the number {text[:24]}… is too large for any column")
    return int(text)


def _no_constant(name: str) -> Any:
    raise _Refused(f"{name} is not a number kam stores")


def _load(path: Path) -> dict[str, Any]:
    """The dump as Python values, or one line saying why not. A hand-edited file may be
    anything: nested 100,000 deep, numbers with 5,000 digits, NaN, the wrong shapes."""
    try:
        with path.open("r", encoding="utf-8-sig") as fh:
            data = json.load(fh, parse_int=_bounded_int, parse_constant=_no_constant)
    except UnicodeDecodeError:
        raise KamError(f"{path.name} is not UTF-8 JSON") from None
    except json.JSONDecodeError as exc:
        raise KamError(f"line {exc.lineno}: {path.name} is not valid JSON ({exc.msg})") from None
    except RecursionError:
        raise KamError(
            f"{path.name} is not a kam dump: its JSON is nested far too deeply"
        ) from None
    except _Refused as exc:
        raise KamError(f"{path.name}: {exc}") from None
    except ValueError as exc:  # e.g. Python's limit on the digits of an integer
        raise KamError(f"{path.name} is not valid JSON ({str(exc)[:80]})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise KamError(f"{path.name} is not a kam export (kam export --format json writes one)")
    if data.get("format_version") != FORMAT_VERSION:
        raise KamError(f"{path.name} is a kam dump of an unknown format version")
    if not isinstance(data.get("tables"), dict):
        raise KamError(f'{path.name}: "tables" must be an object of table name → columns and rows')
    if not isinstance(data.get("schema_revision"), str):
        raise KamError(f'{path.name}: "schema_revision" must be text such as "0002"')
    return data


def _checker(column: Any) -> Any:
    """A function that returns '' for a value the column can hold, else what is wrong."""
    from sqlalchemy import Boolean, Date, DateTime, Integer, String, Text

    from kamtui.models import DecimalText

    t = column.type
    nullable = column.nullable or (column.primary_key and column.autoincrement is not False)

    def check(value: Any) -> str:
        if value is None:
            return "" if nullable else "cannot be empty (null)"
        try:
            if isinstance(t, Boolean):
                ok = isinstance(value, bool) or value in (0, 1)
                return "" if ok else "expected true or false"
            if isinstance(t, Integer):
                if isinstance(value, bool) or not isinstance(value, int):
                    return "expected a whole number"
                return "" if -MAX_INT - 1 <= value <= MAX_INT else "number too large"
            if not isinstance(value, str):
                return "expected text"
            if isinstance(t, DateTime):
                dt.datetime.fromisoformat(value)
            elif isinstance(t, Date):
                dt.date.fromisoformat(value)
            elif isinstance(t, DecimalText):
                if len(value) > 40 or not Decimal(value).is_finite():
                    return "expected a decimal number"
            elif isinstance(t, String | Text) and t.length and len(value) > t.length:
                return f"longer than {t.length} characters"
        except (ValueError, ArithmeticError):
            return f"{value[:30]!r} is not a {'date' if isinstance(t, Date) else 'valid value'}"
        return ""

    return check


def _check_tables(path: Path, data: dict[str, Any], plan: ImportPlan) -> None:
    """Every table, column and value of the dump, checked before anything is written:
    one line per problem (at most 20 listed)."""
    tables = {t.name: t for t in _tables()}
    for name, content in data["tables"].items():
        if name not in tables:
            raise KamError(f"{path.name}: table {name!r} is unknown to this kam")
        if not isinstance(content, dict):
            raise KamError(f"{path.name}: table {name} must be an object with columns and rows")
        columns, rows = content.get("columns"), content.get("rows", [])
        if not isinstance(columns, list) or not all(isinstance(c, str) for c in columns):
            raise KamError(f'{path.name}: table {name}: "columns" must be a list of names')
        if not isinstance(rows, list):
            raise KamError(f'{path.name}: table {name}: "rows" must be a list')
        known = tables[name].columns
        unknown = set(columns) - {c.name for c in known}
        if unknown:
            raise KamError(f"{path.name}: table {name} has unknown columns {sorted(unknown)}")
        if len(set(columns)) != len(columns):
            raise KamError(f"{path.name}: table {name} names a column twice")
        checks = [_checker(known[c]) for c in columns]
        width = len(columns)
        for n, row in enumerate(rows, start=1):
            if not isinstance(row, list) or len(row) != width:
                plan.problems.add_at(f"table {name}, row {n}", f"does not have {width} values")
                continue
            for column, check, value in zip(columns, checks, row, strict=True):
                wrong = check(value)
                if wrong:
                    plan.problems.add_at(f"table {name}, row {n}, column {column}", wrong)


def _legacy_external_ids(data: dict[str, Any]) -> None:
    """A dump from before schema 0003 has one external id per account: give each its
    system, as migration 0003 does, so nothing is lost and matching keeps working."""
    from kamtui.services.external_ids import guess_system

    tables = data["tables"]
    if "account_external_id" in tables or "account" not in tables:
        return
    account = tables["account"]
    cols = account["columns"]
    if "external_id" not in cols or "id" not in cols:
        return
    i, ext = cols.index("id"), cols.index("external_id")
    rows = [
        [n, r[i], guess_system(r[ext]), r[ext]]
        for n, r in enumerate((r for r in account["rows"] if r[ext]), start=1)
    ]
    tables["account_external_id"] = {
        "columns": ["id", "account_id", "system", "external_id"],
        "rows": rows,
    }


def _legacy_short_names(data: dict[str, Any]) -> None:
    """A dump from before schema 0008 has no short names: give each criterion the one
    migration 0008 gives it (the preset's, else made from its name, unique per model)."""
    from kamtui.services.short_names import default_short_names

    criterion = data["tables"].get("criterion")
    if not criterion or "short_name" in criterion["columns"]:
        return
    cols = criterion["columns"]
    if not {"id", "model_id", "name"} <= set(cols):
        return
    ids, model, name = cols.index("id"), cols.index("model_id"), cols.index("name")
    place = cols.index("position") if "position" in cols else ids
    by_model: dict[Any, list[list[Any]]] = {}
    for row in criterion["rows"]:
        by_model.setdefault(row[model], []).append(row)
    short: dict[Any, str] = {}
    for rows in by_model.values():
        rows = sorted(rows, key=lambda r: (r[place] or 0, r[ids]))
        for row, made in zip(rows, default_short_names([r[name] for r in rows]), strict=True):
            short[row[ids]] = made
    criterion["columns"] = [*cols, "short_name"]
    criterion["rows"] = [[*row, short[row[ids]]] for row in criterion["rows"]]


def prepare_restore(db: Database, path: Path) -> ImportPlan:
    from kamtui.migrations import HEAD, KNOWN

    data = _load(path)
    plan = ImportPlan(path, "dump", f"kam dump, schema {data.get('schema_revision')}")
    revision = data.get("schema_revision")
    if revision not in KNOWN:
        raise KamError(
            f"{path.name} comes from a newer kam (schema {revision}; this kam knows up to "
            f"{HEAD}): upgrade kam first"
        )
    tables = {t.name: t for t in _tables()}
    _check_tables(path, data, plan)
    if plan.problems:
        return plan
    _legacy_external_ids(data)
    _legacy_short_names(data)
    held = {
        name: db.fetch(f"SELECT COUNT(*) FROM {name}")[0][0] for name in tables if name in tables
    }
    # a fresh database may hold its one settings row already: the dump's replaces it
    busy = {k: v for k, v in held.items() if v and not (k == "settings" and v == 1)}
    if busy:
        what = ", ".join(f"{v:,} {k}" for k, v in list(busy.items())[:4])
        raise KamError(
            f"this database is not empty ({what}): a dump restores into an empty one — "
            f"kam --db NEW.db import {path.name}"
        )
    plan.created = sum(len(t.get("rows", [])) for t in data["tables"].values())
    plan.updated = len(data["tables"])
    plan.rows = plan.created
    if plan.problems:
        return plan

    def write(progress: Progress | None) -> None:
        from sqlalchemy.exc import IntegrityError

        try:
            _restore(db, data, progress)
        except IntegrityError as exc:
            # the reason only (which rule), never the row: it may hold customer data
            reason = str(exc.orig).splitlines()[0][:120] if exc.orig else "a rule"
            raise KamError(
                f"{path.name} was not restored: its rows break a rule of the database "
                f"({reason}); nothing was changed"
            ) from None
        plan.done = True

    plan.write = write
    return plan


def _restore(db: Database, data: dict[str, Any], progress: Progress | None) -> None:
    from sqlalchemy import bindparam, delete, insert, update

    total = max(1, sum(len(t.get("rows", [])) for t in data["tables"].values()))
    done = 0
    with db.engine.begin() as conn:
        # SQLite: the stored text goes back verbatim through the transaction's own DBAPI
        # cursor — exact, and several times faster than typed Core inserts
        raw = None
        if db.is_sqlite:
            dbapi = conn.connection.driver_connection
            assert dbapi is not None
            raw = dbapi.cursor()
        for table in _tables():
            content = data["tables"].get(table.name)
            if not content or not content.get("rows"):
                continue
            if table.name == "settings":
                conn.execute(delete(table))
            names: list[str] = content["columns"]
            kinds = _kinds(table)
            # a column pointing into its own table (account.parent_id) is filled afterwards
            refs = [
                i
                for i, n in enumerate(names)
                if any(fk.column.table is table for fk in table.c[n].foreign_keys)
            ]
            when = [i for i, n in enumerate(names) if kinds.get(n) == "datetime"]
            rows: list[list[Any]] = content["rows"]
            links = []
            if refs or when:
                rows = [list(r) for r in rows]
                key = names.index("id") if refs else -1
                for r in rows:
                    for i in refs:
                        if r[i] is not None:
                            links.append({"b_id": r[key], "b_ref": r[i], "b_col": names[i]})
                            r[i] = None
                    if raw is not None:
                        for i in when:
                            if isinstance(r[i], str):
                                r[i] = r[i].replace("T", " ")
            if raw is not None:
                sql = (
                    f"INSERT INTO {table.name} ({', '.join(names)}) "
                    f"VALUES ({', '.join('?' * len(names))})"
                )
                for batch in chunks(rows, 5000):
                    raw.executemany(sql, batch)
                    done += len(batch)
                    if progress:
                        progress(done, total)
            else:
                conv = [kinds.get(n) for n in names]
                typed = [
                    {n: _from_json(v, k) for n, v, k in zip(names, r, conv, strict=True)}
                    for r in rows
                ]
                for batch in chunks(typed, 5000):
                    conn.execute(insert(table), batch)
                    done += len(batch)
                    if progress:
                        progress(done, total)
            for name in {x["b_col"] for x in links}:
                conn.execute(
                    update(table)
                    .where(table.c.id == bindparam("b_id"))
                    .values({name: bindparam("b_ref")}),
                    [{"b_id": x["b_id"], "b_ref": x["b_ref"]} for x in links if x["b_col"] == name],
                )
        reset_sequences(conn)  # PostgreSQL: the next new record must not collide
