"""The account screen's Economics and Contacts sections: a short table each, with `n`
add, `e` edit, `d` delete. Forms save through the writer thread with an undo label; the
table gets plain rows read in a worker."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static

from kamtui.screens.account_section import Section
from kamtui.services.undo import UndoLabel


@dataclass(frozen=True)
class RecordRow:
    """One period or contact as the table shows it and as its form starts."""

    id: int
    version: int | None
    cells: tuple[str, ...]
    values: dict[str, str]


PERIOD_COLUMNS = ("Period", "Revenue", "Cost to serve", "Gross profit", "Receivables", "R/C")
CONTACT_COLUMNS = ("Name", "Title", "Level", "E-mail", "Phone", "Our counterpart")


def period_rows(db: Any, account_id: int) -> list[RecordRow]:
    from kamtui.money import format_amount
    from kamtui.services.economics import format_period, ratio
    from kamtui.services.records import list_periods

    rows = []
    for p in list_periods(db, account_id):
        assert p.id is not None
        r = ratio(p.revenue_minor, p.cost_to_serve_minor)
        period = format_period(p.period_start, p.kind)
        amounts = {
            name: format_amount(getattr(p, name), cents=True)
            if getattr(p, name) is not None
            else ""
            for name in (
                "revenue_minor", "cost_to_serve_minor", "gross_profit_minor", "receivables_minor",
            )
        }  # fmt: skip
        cells = (
            period,
            format_amount(p.revenue_minor),
            format_amount(p.cost_to_serve_minor),
            format_amount(p.gross_profit_minor),
            format_amount(p.receivables_minor),
            f"{r:.1f}" if r is not None else "–",
        )
        rows.append(RecordRow(p.id, p.version, cells, {"period": period, **amounts}))
    return rows


def contact_rows(db: Any, account_id: int) -> list[RecordRow]:
    from kamtui.services.records import list_contacts

    rows = []
    for c, counterpart in list_contacts(db, account_id):
        assert c.id is not None
        values = {
            "name": c.name, "title": c.title, "level": c.level, "email": c.email,
            "phone": c.phone, "counterpart": counterpart or "",
        }  # fmt: skip
        cells = (c.name, c.title, c.level, c.email, c.phone, counterpart or "–")
        rows.append(RecordRow(c.id, c.version, cells, values))
    return rows


class RecordTable(DataTable[str]):
    """A short list of records on the account screen (periods, contacts), with n / e / d."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "add", "Add", id="record.add"),
        Binding("e,enter", "edit", "Edit", id="record.edit"),
        Binding("d", "remove", "Delete", id="record.delete"),
    ]

    def __init__(self, kind: str, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.kind = kind

    def _current(self) -> int | None:
        if not self.row_count:
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        return int(key or 0)

    def action_add(self) -> None:
        self._section.edit_record(None)

    def action_edit(self) -> None:
        record_id = self._current()
        if record_id is not None:
            self._section.edit_record(record_id)

    def action_remove(self) -> None:
        record_id = self._current()
        if record_id is not None:
            self._section.remove_record(record_id)

    @property
    def _section(self) -> RecordsSection:
        return next(a for a in self.ancestors if isinstance(a, RecordsSection))


class RecordsSection(Section):
    DEFAULT_CSS = """
    RecordsSection RecordTable { height: 1fr; }
    RecordsSection .tab-hint { color: $text-muted; height: 1; }
    """

    """Periods of economics or contacts: a table with n / e / d, forms for each record."""

    def __init__(self, account_id: int, kind: str, **kwargs: Any) -> None:
        super().__init__(account_id, **kwargs)
        self.kind = kind
        self.rows: dict[int, RecordRow] = {}

    def compose(self) -> ComposeResult:
        if self.kind == "period":
            hint = "n add · e edit · d delete · amounts in the database currency"
        else:
            hint = "n add · e edit · d delete · counterpart: our person at the same level"
        yield Static(hint, classes="tab-hint")
        table = RecordTable(self.kind, id="periods" if self.kind == "period" else "contacts-table")
        table.add_columns(*(PERIOD_COLUMNS if self.kind == "period" else CONTACT_COLUMNS))
        yield table

    @property
    def table(self) -> RecordTable:
        return self.query_one(RecordTable)

    @property
    def noun(self) -> str:
        return "period of economics" if self.kind == "period" else "contact"

    def load(self) -> None:
        reader = period_rows if self.kind == "period" else contact_rows
        self.db_read(f"account-{self.kind}s", reader, self.account_id, then=self._show)

    def _show(self, rows: list[RecordRow]) -> None:
        self.rows = {r.id: r for r in rows}
        table = self.table
        keep = table.cursor_row
        table.clear()
        for r in rows:
            table.add_row(*r.cells, key=str(r.id))
        if rows:
            table.move_cursor(row=min(keep, len(rows) - 1))

    def _which(self, values: dict[str, str]) -> str:
        return " ".join(values.get("period" if self.kind == "period" else "name", "").split())

    def _undo_label(
        self, record: RecordRow | None, values: dict[str, str], *, deleted: bool = False
    ) -> UndoLabel:
        """In words: "contacts of Acme back to 'with Eva Keller'", "contact Eva Keller of
        Acme back to 'title: Buyer'"."""
        plural = "periods of economics" if self.kind == "period" else "contacts"
        if record is None or deleted:
            which = self._which(values if record is None else record.values)
            with_it, without = f"with {which}", f"without {which}"
            old, new = (with_it, without) if deleted else (without, with_it)
            return UndoLabel(f"{plural} of {self.account_name}", old, new)
        changed = [n for n, v in values.items() if v != record.values.get(n, "")]
        old = ", ".join(f"{n}: {record.values.get(n, '')}" for n in changed) or "unchanged"
        new = ", ".join(f"{n}: {values[n]}" for n in changed) or "unchanged"
        return UndoLabel(
            f"{self.noun} {self._which(record.values)} of {self.account_name}", old, new
        )

    def edit_record(self, record_id: int | None) -> None:
        from kamtui.screens.dialogs.form import FormField
        from kamtui.screens.dialogs.work_form import WorkFormDialog
        from kamtui.services import records

        record = self.rows.get(record_id) if record_id is not None else None
        specs = records.PERIOD_FIELDS if self.kind == "period" else records.CONTACT_FIELDS
        start = (
            record.values if record else ({"level": "manager"} if self.kind == "contact" else {})
        )
        from kamtui.models import LEVELS

        fields = [
            FormField(n, s.label, start.get(n, ""), s.help, choices=LEVELS if n == "level" else ())
            for n, s in specs.items()
        ]
        account_id, version = self.account_id, record.version if record else None
        save = records.save_period if self.kind == "period" else records.save_contact

        def write(db: Any, values: dict[str, str]) -> Any:
            return save(db, account_id, record_id, version, values)

        def undo(values: dict[str, str]) -> UndoLabel:
            return self._undo_label(record, values)

        def done(result: Any) -> None:
            if result is not None:
                self.load()
                self.post_message(self.Changed())
                self.notify("Saved; ctrl+z undoes it.")

        if self.kind == "period":
            title = "Edit period" if record else "Add a period of economics"
        else:
            title = "Edit contact" if record else "Add a contact"
        dialog = WorkFormDialog(title, fields, write, undo=undo, work_name=f"save-{self.kind}")
        self.app.push_screen(dialog, done)

    def remove_record(self, record_id: int) -> None:
        from kamtui.screens.dialogs.confirm import ConfirmDialog
        from kamtui.services import records

        record = self.rows.get(record_id)
        delete = records.delete_period if self.kind == "period" else records.delete_contact

        def answer(yes: bool | None) -> None:
            if not yes:
                return
            self.db_write(
                f"delete-{self.kind}",
                delete,
                record_id,
                then=lambda _: self._removed(),
                undo=self._undo_label(record, {}, deleted=True) if record else None,
            )

        self.app.push_screen(
            ConfirmDialog(f"Delete this {self.noun}?", yes="Delete", no="Keep"), answer
        )

    def _removed(self) -> None:
        self.load()
        self.post_message(self.Changed())
        self.notify("Deleted; ctrl+z brings it back.")
