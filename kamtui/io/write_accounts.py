"""Writing a validated accounts import: one transaction of Core statements.

New accounts are inserted, then given their parents (they had no ids before); changed
accounts get one UPDATE each, guarded by the version the preview read, then version + 1
(so an edit open elsewhere is refused as stale); every status an import sets is kept in
the status history.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from kamtui import models as m
from kamtui.db import Database
from kamtui.errors import StaleError
from kamtui.io.accounts import COLUMNS, LONG_TEXT, Incoming
from kamtui.io.plan import ImportPlan, Progress, chunks, now


def write_accounts(
    db: Database,
    plan: ImportPlan,
    incoming: list[Incoming],
    existing: dict[int, tuple[Any, ...]],
    new_people: list[str],
    parent_of: dict[tuple[str, int], tuple[str, int] | None],
    today: dt.date,
    progress: Progress | None,
) -> None:
    from sqlalchemy import bindparam, insert, select, update

    account = m.Account.__table__  # type: ignore[attr-defined]
    person = m.Person.__table__  # type: ignore[attr-defined]
    history = m.StatusChange.__table__  # type: ignore[attr-defined]
    stamp = now()
    reason = f"imported from {plan.path.name}"
    total = sum(1 for i in incoming if i.target is None or i.changes) + 1
    done = 0

    def tick(n: int) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(min(done, total), total)

    with db.engine.begin() as conn:
        if new_people:
            conn.execute(insert(person), [{"name": p, "version": 1} for p in new_people])
        people = {n.lower(): i for i, n in conn.execute(select(person.c.id, person.c.name))}

        def resolved(values: dict[str, Any]) -> dict[str, Any]:
            out = dict(values)
            if "owner_id" in out:
                out["owner_id"] = people[out["owner_id"][1]]
            out.pop("parent_id", None)
            return out

        new_rows: list[dict[str, Any]] = []
        for item in incoming:
            if item.target is None:
                row: dict[str, Any] = {c: None for c in COLUMNS if c != "parent_id"}
                row.update(
                    website="", industry="", country="", city="", review_cadence="none",
                    external_id=None, **{c: "" for c in LONG_TEXT},
                )  # fmt: skip
                row.update(resolved(item.changes))
                row.update(status_since=today, created_at=stamp, updated_at=stamp, version=1)
                new_rows.append(row)
        for batch in chunks(new_rows):
            conn.execute(insert(account), batch)
            tick(len(batch))
        ids = {n.lower(): i for i, n in conn.execute(select(account.c.id, account.c.name))}
        row_ids = [item.target if item.target is not None else ids[item.key] for item in incoming]

        def account_id(node: tuple[str, int] | None) -> int | None:
            if node is None:
                return None
            return row_ids[node[1]] if node[0] == "row" else node[1]

        # updates: every changed account gets one UPDATE of all importable columns,
        # guarded by the version the plan read; then version + 1
        col = {c: i + 2 for i, c in enumerate(COLUMNS)}
        updates: list[dict[str, Any]] = []
        moves: list[tuple[int, str, str]] = []
        for n, item in enumerate(incoming):
            if item.target is None or not item.changes:
                continue
            current = existing[item.target]
            upd: dict[str, Any] = {f"b_{c}": current[col[c]] for c in COLUMNS}
            for c in ("next_review",):
                if isinstance(upd[f"b_{c}"], str):
                    upd[f"b_{c}"] = dt.date.fromisoformat(upd[f"b_{c}"])
            upd.update({f"b_{k}": v for k, v in resolved(item.changes).items()})
            upd["b_parent_id"] = account_id(parent_of.get(("row", n)))
            old_status, new_status = current[col["status"]], upd["b_status"]
            upd["b_status_since"] = today if new_status != old_status else None
            upd.update(b_id=item.target, b_version=current[1], b_updated_at=stamp)
            updates.append(upd)
            if new_status != old_status:
                moves.append((item.target, old_status, new_status))
        stmt = (
            update(account)
            .where(account.c.id == bindparam("b_id"), account.c.version == bindparam("b_version"))
            .values(
                {c: bindparam(f"b_{c}") for c in COLUMNS}
                | {
                    "version": account.c.version + 1,
                    "updated_at": bindparam("b_updated_at"),
                }
            )
        )
        since_stmt = (
            update(account)
            .where(account.c.id == bindparam("b_id"))
            .values(status_since=bindparam("b_since"))
        )
        for batch in chunks(updates):
            result = conn.execute(stmt, batch)
            if result.rowcount != len(batch):
                raise StaleError(
                    "accounts were changed elsewhere since the preview: nothing was imported; "
                    "preview the file again"
                )
            moved = [{"b_id": r["b_id"], "b_since": today} for r in batch if r["b_status_since"]]
            if moved:
                conn.execute(since_stmt, moved)
            tick(len(batch))
        # parents of new accounts (they had no ids until now)
        links = []
        for n, item in enumerate(incoming):
            if item.target is None:
                pid = account_id(parent_of.get(("row", n)))
                if pid is not None:
                    links.append({"b_id": row_ids[n], "b_parent": pid})
        if links:
            conn.execute(
                update(account)
                .where(account.c.id == bindparam("b_id"))
                .values(parent_id=bindparam("b_parent")),
                links,
            )
        entries = [
            {"account_id": row_ids[n], "changed_at": stamp, "old_status": None,
             "new_status": r["status"], "reason": reason}
            for n, (item, r) in enumerate(zip(incoming, [i.changes for i in incoming], strict=True))
            if item.target is None
        ]  # fmt: skip
        entries += [
            {"account_id": aid, "changed_at": stamp, "old_status": old, "new_status": new,
             "reason": reason}
            for aid, old, new in moves
        ]  # fmt: skip
        for batch in chunks(entries):
            conn.execute(insert(history), batch)
        tick(total)
    plan.done = True
