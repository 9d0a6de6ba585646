"""Our team (the people who own accounts and meet their peers) and the database settings."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from kamtui.screens.dialogs.form import FormDialog, FormField
from kamtui.services import records


class TeamScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "add", "Add", id="team.add"),
        Binding("e,enter", "edit", "Edit", id="team.edit"),
        Binding("escape", "close", "Close", id="team.close"),
    ]
    DEFAULT_CSS = """
    TeamScreen { align: center middle; }
    TeamScreen > Vertical { width: 90; max-width: 98%; height: 80%; border: round $primary; background: $surface; }
    TeamScreen #hint { color: $text-muted; padding: 0 1; }
    TeamScreen DataTable { height: 1fr; }
    """

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                "Our team — owners of accounts and counterparts of their contacts", id="title"
            )
            yield DataTable(cursor_type="row", zebra_stripes=True)
            yield Static("n add · e edit · escape close", id="hint")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Name", "Role", "Level", "E-mail")
        self.load()
        table.focus()

    def load(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        for p in records.list_people(self.app.db):  # type: ignore[attr-defined]
            table.add_row(p.name, p.role, p.level, p.email, key=str(p.id))

    def _edit(self, person_id: int | None) -> None:
        person = next((p for p in records.list_people(self.app.db) if p.id == person_id), None)  # type: ignore[attr-defined]
        values = {
            "name": person.name if person else "",
            "role": person.role if person else "",
            "level": person.level if person else "manager",
            "email": person.email if person else "",
        }
        fields = [
            FormField(n, s.label, values[n], s.help) for n, s in records.PERSON_FIELDS.items()
        ]
        version = person.version if person else None

        def save(v: dict[str, str]) -> Any:
            return records.save_person(self.app.db, person_id, version, v)  # type: ignore[attr-defined]

        def done(result: Any) -> None:
            if result is not None:
                self.load()

        title = "Edit a team member" if person else "Add a team member"
        self.app.push_screen(FormDialog(title, fields, save), done)

    def action_add(self) -> None:
        self._edit(None)

    def action_edit(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            self._edit(int(key or 0))

    def action_close(self) -> None:
        self.dismiss()


@work
async def edit_settings(app: Any) -> None:
    """The database settings (currency, key-account capacity) in a form."""
    settings = records.get_settings(app.db)
    fields = [
        FormField("currency", records.SETTINGS_FIELDS["currency"].label, settings.currency, "EUR"),
        FormField(
            "key_account_capacity",
            records.SETTINGS_FIELDS["key_account_capacity"].label,
            str(settings.key_account_capacity),
            records.SETTINGS_FIELDS["key_account_capacity"].help,
        ),
    ]

    def save(v: dict[str, str]) -> Any:
        return records.save_settings(app.db, settings.version, v)

    if (
        await app.push_screen_wait(FormDialog("Settings of this database", fields, save))
        is not None
    ):
        app.notify("Settings saved.")
