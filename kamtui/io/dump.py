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


def _load(path: Path) -> dict[str, Any]:
    try:
        with path.open("r", encoding="utf-8-sig") as fh:
            data = json.load(fh)
    except UnicodeDecodeError:
        raise KamError(f"{path.name} is not UTF-8 JSON") from None
    except json.JSONDecodeError as exc:
        raise KamError(f"line {exc.lineno}: {path.name} is not valid JSON ({exc.msg})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise KamError(f"{path.name} is not a kam export (kam export --format json writes one)")
    if data.get("format_version") != FORMAT_VERSION or not isinstance(data.get("tables"), dict):
        raise KamError(f"{path.name} is a kam dump of an unknown format version")
    return data


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
    for name, content in data["tables"].items():
        if name not in tables:
            raise KamError(f"{path.name}: table {name!r} is unknown to this kam")
        unknown = set(content.get("columns", [])) - {c.name for c in tables[name].columns}
        if unknown:
            raise KamError(f"{path.name}: table {name} has unknown columns {sorted(unknown)}")
        width = len(content["columns"])
        for n, row in enumerate(content.get("rows", []), start=1):
            if not isinstance(row, list) or len(row) != width:
                plan.problems.add(n, "", f"table {name}: row {n} does not have {width} values")
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
        _restore(db, data, progress)
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
