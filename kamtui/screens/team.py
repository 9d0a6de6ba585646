"""Our team (the people who own accounts and meet their peers) and the database settings.

Both read and save off the UI thread (``db_read`` / ``db_write``); every save is
undoable with ctrl+z."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from kamtui.errors import KamError
from kamtui.screens.dbwork import DbWork, report_bug
from kamtui.screens.dialogs.form import FormField
from kamtui.screens.dialogs.work_form import WorkFormDialog
from kamtui.services import records
from kamtui.services.undo import UndoLabel, form_label


@dataclass(frozen=True)
class PersonRow:
    """One team member as the table shows it and as its form starts."""

    id: int
    version: int | None
    values: dict[str, str]


def people_rows(db: Any) -> list[PersonRow]:
    rows = []
    for p in records.list_people(db):
        assert p.id is not None
        values = {"name": p.name, "role": p.role, "level": p.level, "email": p.email}
        rows.append(PersonRow(p.id, p.version, values))
    return rows


class TeamScreen(DbWork, ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "add", "Add", id="team.add"),
        Binding("e,enter", "edit", "Edit", id="team.edit"),
        Binding("escape", "close", "Close", id="team.close"),
        # a modal screen hides the app's bindings: undo and redo here too
        Binding("ctrl+z", "app.undo", "Undo", show=False, id="team.undo"),
        Binding("ctrl+y", "app.redo", "Redo", show=False, id="team.redo"),
    ]
    DEFAULT_CSS = """
    TeamScreen { align: center middle; }
    TeamScreen > Vertical { width: 90; max-width: 98%; height: 80%; border: round $primary; background: $surface; }
    TeamScreen #hint { color: $text-muted; padding: 0 1; }
    TeamScreen DataTable { height: 1fr; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.people: dict[int, PersonRow] = {}

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                "Our team — owners of accounts and counterparts of their contacts", id="title"
            )
            yield DataTable(cursor_type="row", zebra_stripes=True)
            yield Static("n add · e edit · ctrl+z undo · escape close", id="hint")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Name", "Role", "Level", "E-mail")
        self.load()
        table.focus()

    def load(self) -> None:
        self.db_read("team-people", people_rows, then=self._show)

    def _show(self, rows: list[PersonRow]) -> None:
        self.people = {r.id: r for r in rows}
        table = self.query_one(DataTable)
        keep = table.cursor_row
        table.clear()
        for r in rows:
            v = r.values
            table.add_row(v["name"], v["role"], v["level"], v["email"], key=str(r.id))
        if rows:
            table.move_cursor(row=min(keep, len(rows) - 1))

    def _edit(self, person_id: int | None) -> None:
        person = self.people.get(person_id) if person_id is not None else None
        start = person.values if person else {"level": "manager"}
        fields = [
            FormField(n, s.label, start.get(n, ""), s.help)
            for n, s in records.PERSON_FIELDS.items()
        ]
        version = person.version if person else None

        def write(db: Any, v: dict[str, str]) -> Any:
            return records.save_person(db, person_id, version, v)

        def undo(v: dict[str, str]) -> UndoLabel:
            if person is None:
                name = " ".join(v.get("name", "").split())
                return UndoLabel("our team", f"without {name}", f"with {name}")
            labels = {n: s.label for n, s in records.PERSON_FIELDS.items()}
            return form_label(person.values["name"], person.values, v, labels)

        def done(result: Any) -> None:
            if result is not None:
                self.load()
                self.notify("Saved; ctrl+z undoes it.")

        title = "Edit a team member" if person else "Add a team member"
        self.app.push_screen(
            WorkFormDialog(title, fields, write, undo=undo, work_name="team-save"), done
        )

    def action_add(self) -> None:
        self._edit(None)

    def action_edit(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            self._edit(int(key or 0))

    def action_close(self) -> None:
        self.dismiss()


def settings_values(db: Any) -> tuple[int | None, dict[str, str]]:
    settings = records.get_settings(db)
    return settings.version, {
        "currency": settings.currency,
        "key_account_capacity": str(settings.key_account_capacity),
        "stale_after_days": str(settings.stale_after_days or ""),
    }


@work(name="settings", group="settings", exclusive=True, exit_on_error=False)
async def edit_settings(app: Any) -> None:
    """The database settings (currency, key-account capacity) in a form: read in a thread
    (the app is no DbWork node), saved on the writer thread, undoable."""
    try:
        version, start = await asyncio.to_thread(settings_values, app.db)
    except KamError as exc:
        app.notify(str(exc), severity="error", timeout=6)
        return
    except Exception as exc:
        report_bug(app, exc)
        return
    specs = records.SETTINGS_FIELDS
    fields = [
        FormField("currency", specs["currency"].label, start["currency"], "EUR"),
        FormField(
            "key_account_capacity",
            specs["key_account_capacity"].label,
            start["key_account_capacity"],
            specs["key_account_capacity"].help,
        ),
        FormField(
            "stale_after_days",
            specs["stale_after_days"].label,
            start["stale_after_days"],
            specs["stale_after_days"].help,
        ),
    ]

    def write(db: Any, v: dict[str, str]) -> Any:
        return records.save_settings(db, version, v)

    def undo(v: dict[str, str]) -> UndoLabel:
        labels = {n: s.label.split(" (")[0] for n, s in specs.items()}
        return form_label("this database", start, v, labels)

    dialog = WorkFormDialog(
        "Settings of this database", fields, write, undo=undo, work_name="settings-save"
    )
    if await app.push_screen_wait(dialog) is not None:
        app.notify("Settings saved; ctrl+z undoes it.")
