"""Undo and redo of saved changes, for any user action that writes through the ORM.

A write run under :meth:`Database.recording` has every row it inserted, updated or
deleted captured (table, key, the values before, the version after). Undoing it is one
more write: deleted rows come back, updated rows get their old values, inserted rows
go — but only where each row is still as that write left it. A row changed elsewhere
since (another program, or a later edit here that is not being undone) is never
overwritten: the undo is refused with a StaleError and nothing is changed. The undo is
itself recorded, so its record is the redo.

No Textual here: the app keeps one :class:`UndoStack` and runs these in its writer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kamtui.errors import KamError, StaleError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from kamtui.db import Database

MAX_ENTRIES = 200


@dataclass(frozen=True)
class UndoLabel:
    """What a change did, in words: ``what`` changed from ``old`` to ``new``.

    ``UndoLabel("name of Acme GmbH", "Acme", "Acme GmbH")`` reads "Undid: name of Acme
    GmbH back to 'Acme'" and "Redid: name of Acme GmbH to 'Acme GmbH'".
    """

    what: str
    old: str
    new: str

    @property
    def undo_text(self) -> str:
        return f"{self.what} back to {_quoted(self.old)}"

    @property
    def redo_text(self) -> str:
        return f"{self.what} to {_quoted(self.new)}"


def form_label(
    thing: str, before: dict[str, str], values: dict[str, str], labels: dict[str, str]
) -> UndoLabel:
    """What a form changed, in words: "role of Kim Novak back to 'Sales'" for one field,
    "Kim Novak back to 'role: Sales, level: manager'" for several (any form's labels)."""
    changed = [n for n, v in values.items() if v.strip() != before.get(n, "").strip()]
    if len(changed) == 1:
        (n,) = changed
        what = labels.get(n, n).lower()
        return UndoLabel(f"{what} of {thing}", before.get(n, ""), values[n])
    old = ", ".join(f"{labels.get(n, n).lower()}: {before.get(n, '')}" for n in changed)
    new = ", ".join(f"{labels.get(n, n).lower()}: {values[n]}" for n in changed)
    return UndoLabel(thing, old or "unchanged", new or "unchanged")


def added_label(plural: str, name: str) -> UndoLabel:
    """An add, in words: "criteria of BIG back to 'without Margin'"."""
    name = " ".join(name.split())
    return UndoLabel(plural, f"without {name}", f"with {name}")


def _quoted(text: str) -> str:
    text = " ".join(text.split()) or "empty"
    return repr(text if len(text) <= 40 else text[:39] + "…")


@dataclass(frozen=True)
class RowUpdate:
    model: type[Any]
    key: Any
    before: dict[str, Any]
    after: dict[str, Any]
    version: int | None  # the row's version after the change (None: unversioned table)
    version_before: int | None = None  # and before it (to follow the row through undos)


@dataclass(frozen=True)
class RowInsert:
    model: type[Any]
    key: Any
    values: dict[str, Any]
    version: int | None


@dataclass(frozen=True)
class RowDelete:
    model: type[Any]
    values: dict[str, Any]


@dataclass(frozen=True)
class Change:
    """Every row one user action wrote, in the order written."""

    inserted: tuple[RowInsert, ...] = ()
    updated: tuple[RowUpdate, ...] = ()
    deleted: tuple[RowDelete, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.inserted or self.updated or self.deleted)


def _columns(obj: Any) -> dict[str, Any]:
    from sqlalchemy import inspect

    return {a.key: getattr(obj, a.key) for a in inspect(obj).mapper.column_attrs}


def _key(obj: Any) -> Any:
    from sqlalchemy import inspect

    identity = inspect(obj).identity
    return identity[0] if identity and len(identity) == 1 else identity


def _version(obj: Any) -> int | None:
    from sqlalchemy import inspect

    if inspect(obj).mapper.version_id_col is None:
        return None
    return int(obj.version)


@dataclass
class Recorder:
    """Collects what the sessions of one user action flush (one thread, one action)."""

    inserted: list[RowInsert] = field(default_factory=list)
    updated: list[RowUpdate] = field(default_factory=list)
    deleted: list[RowDelete] = field(default_factory=list)
    # what the current session has flushed, made final when it commits
    _new: list[Any] = field(default_factory=list)
    _dirty: dict[int, tuple[Any, dict[str, Any]]] = field(default_factory=dict)
    _gone: dict[int, RowDelete] = field(default_factory=dict)
    _versions: dict[int, int | None] = field(default_factory=dict)

    def before_flush(self, session: Session, _context: Any, _instances: Any) -> None:
        from sqlalchemy import inspect

        for obj in session.new:
            self._new.append(obj)
        new_ids = {id(o) for o in self._new}
        for obj in session.dirty:
            if id(obj) in new_ids or not session.is_modified(obj, include_collections=False):
                continue
            state = inspect(obj)
            version_key = state.mapper.version_id_col
            before = self._dirty.setdefault(id(obj), (obj, {}))[1]
            self._versions.setdefault(id(obj), _version(obj))  # not yet bumped by this flush
            for attr in state.mapper.column_attrs:
                if version_key is not None and attr.columns[0] is version_key:
                    continue
                history = state.attrs[attr.key].history
                if history.has_changes() and attr.key not in before:
                    before[attr.key] = history.deleted[0] if history.deleted else None
        for obj in session.deleted:
            if id(obj) in new_ids:
                continue
            self._gone.setdefault(id(obj), RowDelete(type(obj), _columns(obj)))

    def committed(self) -> None:
        for obj in self._new:
            self.inserted.append(RowInsert(type(obj), _key(obj), _columns(obj), _version(obj)))
        for key, (obj, before) in self._dirty.items():
            if key in self._gone:
                continue
            now = _columns(obj)
            after = {k: now[k] for k in before}
            if after != before:
                self.updated.append(
                    RowUpdate(
                        type(obj), _key(obj), before, after, _version(obj),
                        self._versions.get(key),
                    )
                )  # fmt: skip
        self.deleted.extend(self._gone.values())
        self.rolled_back()

    def rolled_back(self) -> None:
        self._new, self._dirty, self._gone, self._versions = [], {}, {}, {}

    def change(self) -> Change:
        return Change(tuple(self.inserted), tuple(self.updated), tuple(self.deleted))


def _stale(what: str) -> StaleError:
    return StaleError(f"{what} was changed elsewhere since, so it is left as it is")


def revert(db: Database, change: Change, what: str = "this record") -> Change:
    """Undo ``change`` in one transaction; returns the change that redoes it.

    Refused (StaleError, nothing written) when any row it touched is no longer as the
    change left it.
    """
    with db.recording() as recorder, db.session() as s:
        # Deleted rows come back first and inserted rows go last, so that references hold
        # on the way: an update may have cleared a reference to a row deleted with it (a
        # contact and the milestone it owned), or set one to a row inserted with it (a
        # SWOT point and the action made from it).
        for gone in reversed(change.deleted):
            values = {k: v for k, v in gone.values.items() if k != "version"}
            s.add(gone.model(**values))
            s.flush()
        for upd in reversed(change.updated):
            obj = s.get(upd.model, upd.key)
            if obj is None:
                raise StaleError(
                    f"{what} no longer exists (deleted elsewhere?), so nothing changed"
                )
            current = {k: getattr(obj, k) for k in upd.after}
            if (upd.version is not None and _version(obj) != upd.version) or current != upd.after:
                raise _stale(what)
            for k, v in upd.before.items():
                setattr(obj, k, v)
            s.add(obj)
            s.flush()
        for row in reversed(change.inserted):
            obj = s.get(row.model, row.key)
            if obj is None:
                continue  # gone already (deleted elsewhere): nothing to take back
            if row.version is not None and _version(obj) != row.version:
                raise _stale(what)
            s.delete(obj)
            s.flush()
    return recorder.change()


@dataclass(frozen=True)
class Entry:
    label: UndoLabel
    change: Change


def _primary_key(model: type[Any], values: dict[str, Any]) -> Any:
    from sqlalchemy import inspect

    columns = inspect(model).primary_key
    key = tuple(values.get(c.key) for c in columns)
    return key[0] if len(key) == 1 else key


def rebase(entries: list[Entry], change: Change, inverse: Change) -> None:
    """After ``change`` was reverted (as ``inverse``), the rows it touched carry new
    versions, though their values are back to what the older entries left: point those
    entries at the new versions, so undoing twice on one row (a priority raised twice) is
    not mistaken for a change made elsewhere."""
    moved: dict[tuple[Any, Any, int], int] = {}
    now = {(u.model, u.key): u.version for u in inverse.updated}
    for upd in change.updated:
        new = now.get((upd.model, upd.key))
        if upd.version_before is not None and new is not None:
            moved[(upd.model, upd.key, upd.version_before)] = new
    back = {(r.model, r.key): r.version for r in inverse.inserted}
    for gone in change.deleted:
        old = gone.values.get("version")
        new = back.get((gone.model, _primary_key(gone.model, gone.values)))
        if isinstance(old, int) and new is not None:
            moved[(gone.model, _primary_key(gone.model, gone.values), old)] = new
    if not moved:
        return

    def follow(model: Any, key: Any, version: int | None) -> int | None:
        return version if version is None else moved.get((model, key, version), version)

    from dataclasses import replace

    for i, entry in enumerate(entries):
        c = entry.change
        updated = tuple(replace(u, version=follow(u.model, u.key, u.version)) for u in c.updated)
        inserted = tuple(replace(r, version=follow(r.model, r.key, r.version)) for r in c.inserted)
        if updated != c.updated or inserted != c.inserted:
            entries[i] = Entry(entry.label, Change(inserted, updated, c.deleted))


@dataclass
class UndoStack:
    """This program's saved changes, newest last; undone ones wait on the redo side."""

    done: list[Entry] = field(default_factory=list)
    undone: list[Entry] = field(default_factory=list)

    def push(self, label: UndoLabel, change: Change) -> None:
        if change.empty:
            return
        self.done.append(Entry(label, change))
        del self.done[:-MAX_ENTRIES]
        self.undone.clear()

    @property
    def next_undo(self) -> Entry | None:
        return self.done[-1] if self.done else None

    @property
    def next_redo(self) -> Entry | None:
        return self.undone[-1] if self.undone else None

    def undo(self, db: Database) -> Entry:
        """Undo the newest change. A refused undo (changed elsewhere) is dropped from the
        stack, since it can never apply; a busy database leaves it for another try."""
        entry = self.next_undo
        if entry is None:
            raise KamError("Nothing to undo")
        try:
            inverse = revert(db, entry.change, entry.label.what)
        except StaleError:
            self.done.pop()
            raise
        self.done.pop()
        rebase(self.done, entry.change, inverse)
        self.undone.append(Entry(entry.label, inverse))
        return entry

    def redo(self, db: Database) -> Entry:
        entry = self.next_redo
        if entry is None:
            raise KamError("Nothing to redo")
        try:
            inverse = revert(db, entry.change, entry.label.what)
        except StaleError:
            self.undone.pop()
            raise
        self.undone.pop()
        rebase(self.undone, entry.change, inverse)
        self.done.append(Entry(entry.label, inverse))
        return entry
