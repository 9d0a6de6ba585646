"""Writing a validated accounts import: one transaction of Core statements, streamed
from the import's scratch database in batches (memory does not grow with the file).

New accounts are inserted, then given their parents (they had no ids before); changed
accounts get one UPDATE each, guarded by the version the preview read, then version + 1
(so an edit open elsewhere is refused as stale); every status an import sets is kept in
the status history; each source system's id is recorded on its account.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from kamtui import models as m
from kamtui.db import Database
from kamtui.errors import StaleError
from kamtui.io.accounts import COLUMNS, LONG_TEXT
from kamtui.io.plan import ImportPlan, Progress, now
from kamtui.io.staging import Staging

STALE = (
    "accounts were changed elsewhere since the preview: nothing was imported; "
    "preview the file again"
)
# the id of the account a row's parent is: a row of the file (matched or new), or kam's
PARENT_ID = (
    "CASE WHEN r.p_row IS NOT NULL THEN (SELECT COALESCE(g.target, ni.id) FROM r g "
    "LEFT JOIN newid ni ON ni.n = g.n WHERE g.n = r.p_row) ELSE r.p_db END"
)


def write_accounts(
    db: Database,
    plan: ImportPlan,
    st: Staging,
    new_people: list[str],
    system: str | None,
    today: dt.date,
    progress: Progress | None,
) -> None:
    from sqlalchemy.exc import IntegrityError

    try:
        _write(db, plan, st, new_people, system, today, progress)
    except IntegrityError:
        # a name or id taken by another program between the preview and now
        raise StaleError(STALE) from None
    plan.done = True


def _write(
    db: Database,
    plan: ImportPlan,
    st: Staging,
    new_people: list[str],
    system: str | None,
    today: dt.date,
    progress: Progress | None,
) -> None:
    from sqlalchemy import bindparam, insert, select, update

    from kamtui.services.fields import clean_name

    account = m.Account.__table__  # type: ignore[attr-defined]
    person = m.Person.__table__  # type: ignore[attr-defined]
    history = m.StatusChange.__table__  # type: ignore[attr-defined]
    ext_ids = m.AccountExternalId.__table__  # type: ignore[attr-defined]
    stamp = now()
    reason = f"imported from {plan.path.name}"
    total = plan.created + plan.updated + 1
    done = 0

    def tick(n: int) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(min(done, total), total)

    st.script("DROP TABLE IF EXISTS newid; CREATE TABLE newid (n INTEGER PRIMARY KEY, id INTEGER);")
    with db.engine.begin() as conn:
        if new_people:
            conn.execute(insert(person), [{"name": p, "version": 1} for p in new_people])
        people = {
            clean_name(n).lower(): i for i, n in conn.execute(select(person.c.id, person.c.name))
        }

        def resolved(values: dict[str, Any]) -> dict[str, Any]:
            out = dict(values)
            if "owner_id" in out:
                out["owner_id"] = people[out["owner_id"]]
            if isinstance(out.get("next_review"), str):
                out["next_review"] = dt.date.fromisoformat(out["next_review"])
            return out

        # 1. new accounts, with their first status in the history
        blank: dict[str, Any] = {c: None for c in COLUMNS if c != "parent_id"}
        blank.update(
            website="", industry="", country="", city="", review_cadence="none",
            external_id=None, **{c: "" for c in LONG_TEXT},
        )  # fmt: skip
        bulk = BulkInsert(conn)
        for batch in st.batches("SELECT n, changes FROM ch WHERE target IS NULL ORDER BY n"):
            rows = []
            for _, changes in batch:
                row = dict(blank)
                row.update(resolved(json.loads(changes)))
                row.update(status_since=today, created_at=stamp, updated_at=stamp, version=1)
                rows.append(row)
            ids = bulk.insert_ids(account, rows)
            st.conn.executemany(
                "INSERT INTO newid VALUES (?, ?)",
                [(b[0], i) for b, i in zip(batch, ids, strict=True)],
            )
            bulk.insert(
                history,
                [{"account_id": i, "changed_at": stamp, "old_status": None,
                  "new_status": row["status"], "reason": reason}
                 for i, row in zip(ids, rows, strict=True)],
            )  # fmt: skip
            tick(len(rows))

        # 2. changed accounts: one UPDATE of every importable column, version-guarded
        stmt = (
            update(account)
            .where(account.c.id == bindparam("b_id"), account.c.version == bindparam("b_version"))
            .values(
                {c: bindparam(f"b_{c}") for c in COLUMNS}
                | {"version": account.c.version + 1, "updated_at": bindparam("b_updated_at")}
            )
        )
        since_stmt = (
            update(account)
            .where(account.c.id == bindparam("b_id"))
            .values(status_since=bindparam("b_since"))
        )
        cols = ", ".join(f"e.{c}" for c in COLUMNS)
        sql = (
            f"SELECT ch.target, ch.changes, ch.parent, {PARENT_ID}, e.version, {cols} "
            "FROM ch JOIN e ON e.id = ch.target JOIN r ON r.n = ch.n "
            "WHERE ch.changes != '{}' OR ch.parent ORDER BY ch.n"
        )
        for batch in st.batches(sql):
            updates: list[dict[str, Any]] = []
            moves: list[dict[str, Any]] = []
            for target, changes, parent, parent_id, version, *current in batch:
                upd: dict[str, Any] = {f"b_{c}": v for c, v in zip(COLUMNS, current, strict=True)}
                if isinstance(upd["b_next_review"], str):
                    upd["b_next_review"] = dt.date.fromisoformat(upd["b_next_review"])
                upd.update({f"b_{k}": v for k, v in resolved(json.loads(changes)).items()})
                if parent:
                    upd["b_parent_id"] = parent_id
                old_status = current[COLUMNS.index("status")]
                upd.update(b_id=target, b_version=version, b_updated_at=stamp)
                updates.append(upd)
                if upd["b_status"] != old_status:
                    moves.append({"account_id": target, "changed_at": stamp,
                                  "old_status": old_status, "new_status": upd["b_status"],
                                  "reason": reason})  # fmt: skip
            if conn.execute(stmt, updates).rowcount != len(updates):
                raise StaleError(STALE)
            if moves:
                conn.execute(
                    since_stmt, [{"b_id": mv["account_id"], "b_since": today} for mv in moves]
                )
                conn.execute(insert(history), moves)
            tick(len(updates))

        # 3. parents of new accounts (they had no ids until now)
        link = (
            update(account)
            .where(account.c.id == bindparam("b_id"))
            .values(parent_id=bindparam("b_parent"))
        )
        for batch in st.batches(
            f"SELECT newid.id, {PARENT_ID} FROM ch JOIN r ON r.n = ch.n "
            "JOIN newid ON newid.n = ch.n WHERE ch.target IS NULL AND ch.parent"
        ):
            conn.execute(link, [{"b_id": i, "b_parent": p} for i, p in batch])

        # 4. each source system's id on its account
        if system:
            for batch in st.batches(
                "SELECT COALESCE(ch.target, newid.id), ch.ext_add FROM ch "
                "LEFT JOIN newid ON newid.n = ch.n WHERE ch.ext_add IS NOT NULL ORDER BY ch.n"
            ):
                bulk.insert(
                    ext_ids,
                    [{"account_id": a, "system": system, "external_id": x} for a, x in batch],
                )
        tick(total)


class BulkInsert:
    """Many rows into one table inside the import's transaction. On SQLite through the
    transaction's own DBAPI cursor (Core's per-row parameter handling is most of the time
    of a million-row import), values converted by the columns' own SQLAlchemy types so
    they are stored exactly as Core would store them; elsewhere through Core."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self.sqlite = conn.dialect.name == "sqlite"
        self.raw = conn.connection.driver_connection.cursor() if self.sqlite else None
        self._plans: dict[str, tuple[str, list[str], list[Any]]] = {}

    def _plan(self, table: Any, names: list[str]) -> tuple[str, list[str], list[Any]]:
        key = f"{table.name}:{','.join(names)}"
        if key not in self._plans:
            dialect = self.conn.dialect
            procs = [table.c[n].type.dialect_impl(dialect).bind_processor(dialect) for n in names]
            sql = (
                f"INSERT INTO {table.name} ({', '.join(names)}) "
                f"VALUES ({', '.join('?' * len(names))})"
            )
            self._plans[key] = (sql, names, procs)
        return self._plans[key]

    def insert(self, table: Any, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        if self.raw is None:
            from sqlalchemy import insert

            self.conn.execute(insert(table), rows)
            return
        sql, names, procs = self._plan(table, list(rows[0]))
        self.raw.executemany(
            sql,
            [
                [v if p is None or v is None else p(v) for v, p in zip(
                    (r[n] for n in names), procs, strict=True)]
                for r in rows
            ],
        )  # fmt: skip

    def insert_ids(self, table: Any, rows: list[dict[str, Any]]) -> list[int]:
        """Insert and return the new ids, in the order of ``rows``."""
        if self.raw is None:
            from sqlalchemy import insert

            stmt = insert(table).returning(table.c.id, sort_by_parameter_order=True)
            return list(self.conn.execute(stmt, rows).scalars().all())
        # SQLite gives each new row of an INTEGER PRIMARY KEY table max(id) + 1, and we
        # hold the write lock (BEGIN IMMEDIATE): the ids are the next ones, checked below
        top = self.raw.execute(f"SELECT COALESCE(max(id), 0) FROM {table.name}").fetchone()[0]
        self.insert(table, rows)
        last = self.raw.execute(f"SELECT max(id), count(*) FROM {table.name} WHERE id > ?",
                                (top,)).fetchone()  # fmt: skip
        if last != (top + len(rows), len(rows)):  # pragma: no cover - SQLite's documented rule
            raise RuntimeError("new account ids are not consecutive")
        return list(range(top + 1, top + 1 + len(rows)))
