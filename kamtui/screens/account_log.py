"""The Log section of the account screen: every meeting, call and e-mail, newest first,
with their people and ours, a summary and a follow-up; contacts with no logged contact
for the stale period (90 days unless the settings say otherwise) are named on top.

Keys: `n` add, `e` / `enter` edit, `d` delete, `a` turn the follow-up into an
attack-plan action. Every change is undoable.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static

from kamtui.screens.account_plan_parts import PartSection, PartTable, clip
from kamtui.services.undo import UndoLabel, added_label, form_label


def read_log(
    db: Any, account_id: int, today: dt.date
) -> tuple[list[Any], list[str], list[str], list[str], int]:
    """Entries, their contacts' names, our people's, the stale contacts and the days."""
    from kamtui.services.accounts import person_names
    from kamtui.services.contact_log import list_entries
    from kamtui.services.relationships import is_stale, last_contacts, stale_after

    days = stale_after(db)
    last = last_contacts(db, account_id)
    contacts = db.fetch(
        "SELECT id, name FROM contact WHERE account_id = ? ORDER BY name", [account_id]
    )
    stale = [name for cid, name in contacts if is_stale(last.get(cid), today, days)]
    return list_entries(db, account_id), [n for _, n in contacts], person_names(db), stale, days


class LogSection(PartSection):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "add", "Add", id="log.add"),
        Binding("e", "edit", "Edit", id="log.edit"),
        Binding("d", "remove", "Delete", id="log.delete"),
        Binding("a", "to_action", "Action", id="log.action"),
    ]
    noun = "log entry"

    def __init__(self, account_id: int, **kwargs: Any) -> None:
        super().__init__(account_id, **kwargs)
        self.entries: dict[int, Any] = {}
        self.contacts: list[str] = []
        self.people: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static(
            "meetings, calls, e-mails · n add · e edit · d delete · a follow-up → action",
            classes="tab-hint",
        )
        yield Static("", id="log-stale")
        table = PartTable(id="log-table")
        table.add_columns("Date", "Kind", "Their people", "Ours", "Summary", "→")
        yield table
        yield Static("", classes="detail")

    def load(self) -> None:
        self.db_read("account-log", read_log, self.account_id, self.today, then=self.show)

    def show(self, data: tuple[list[Any], list[str], list[str], list[str], int]) -> None:
        entries, self.contacts, self.people, stale, days = data
        self.entries = {e.id: e for e in entries}
        table = self.query_one(PartTable)
        table.fill(
            [
                (
                    e.id,
                    (
                        e.happened_on.isoformat(),
                        e.kind,
                        clip(", ".join(e.contacts), 18) or "–",
                        clip(", ".join(e.people), 12) or "–",
                        clip(e.summary, 22) or "–",
                        "✓" if e.action_id else ("…" if e.follow_up else ""),
                    ),
                )
                for e in entries
            ],
            keep=table.current(),
        )
        line = (
            f"⚠ stale (no logged contact for {days} days): {', '.join(stale)}"
            if stale
            else (
                "Every contact heard from in the last " + f"{days} days." if self.contacts else ""
            )
        )
        if not entries:
            line = "Nothing logged yet: n adds a meeting, call or e-mail. " + line
        self.query_one("#log-stale", Static).update(clip(line, 300))
        self._describe()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._describe()

    def _describe(self) -> None:
        e = self.entries.get(self.current_id() or -1)
        if e is None:
            self.set_detail("")
            return
        follow = f" · follow-up: {e.follow_up}" if e.follow_up else ""
        action = f" (→ action: {e.action})" if e.action else ""
        self.set_detail(f"{e.summary or '(no summary)'}{follow}{action}")

    def _fields(self, start: dict[str, str]) -> list[Any]:
        from kamtui.screens.dialogs.form import FormField
        from kamtui.services.contact_log import CHOICES, LOG_FIELDS

        helps = {
            "contacts": "comma-separated: " + clip(", ".join(self.contacts), 60)
            if self.contacts
            else "none yet",
            "people": "comma-separated: " + clip(", ".join(self.people), 60)
            if self.people
            else "none yet",
        }
        choices = {**CHOICES, "contacts": tuple(self.contacts), "people": tuple(self.people)}
        return [
            FormField(
                n, s.label, start.get(n, ""), helps.get(n, s.help), choices=choices.get(n, ())
            )
            for n, s in LOG_FIELDS.items()
        ]

    def action_add(self) -> None:
        from kamtui.services.contact_log import save_entry

        account_id, account = self.account_id, self.account_name

        def write(db: Any, values: dict[str, str]) -> Any:
            return save_entry(db, account_id, None, None, values)

        def undo(values: dict[str, str]) -> UndoLabel:
            return added_label(
                f"contact log of {account}",
                f"{values.get('kind', '')} of {values.get('happened_on', '')}",
            )

        start = {"happened_on": self.today.isoformat(), "kind": "meeting"}
        self.open_form("Log a contact", self._fields(start), write, undo, work_name="log-add")

    def action_edit(self) -> None:
        from kamtui.services.contact_log import LOG_FIELDS, save_entry

        e = self.entries.get(self.current_id() or -1)
        if e is None:
            return
        account_id = self.account_id
        labels = {n: s.label for n, s in LOG_FIELDS.items()}

        def write(db: Any, values: dict[str, str]) -> Any:
            changed = {k: v for k, v in values.items() if v != e.values.get(k)}
            return save_entry(db, account_id, e.id, e.version, changed)

        def undo(values: dict[str, str]) -> UndoLabel:
            return form_label(
                f"{e.kind} of {e.happened_on.isoformat()} with {self.account_name}",
                e.values,
                values,
                labels,
            )

        self.open_form(
            f"Edit the {e.kind} of {e.happened_on.isoformat()}",
            self._fields(e.values),
            write,
            undo,
            work_name="log-edit",
        )

    def action_remove(self) -> None:
        from kamtui.services.contact_log import delete_entry

        e = self.entries.get(self.current_id() or -1)
        if e is None:
            return
        what = f"{e.kind} of {e.happened_on.isoformat()}"
        label = UndoLabel(f"contact log of {self.account_name}", f"with {what}", f"without {what}")
        self.confirm_delete(f"the {what}", delete_entry, e.id, label)

    def action_to_action(self) -> None:
        from kamtui.screens.dialogs.form import FormField
        from kamtui.services.contact_log import follow_up_to_action

        e = self.entries.get(self.current_id() or -1)
        if e is None:
            return
        if e.action_id is not None:
            self.notify(
                f"This entry's follow-up is an action already: {e.action}.", severity="warning"
            )
            return
        today, account = self.today, self.account_name

        def write(db: Any, values: dict[str, str]) -> Any:
            return follow_up_to_action(db, e.id, e.version, values, today)

        def undo(values: dict[str, str]) -> UndoLabel:
            title = clip(values.get("title", "").strip() or e.follow_up or e.summary, 40)
            return UndoLabel(f"actions of {account}", f"without “{title}”", f"with “{title}”")

        due = (today + dt.timedelta(days=7)).isoformat()
        fields = [
            FormField("title", "Action", e.follow_up or e.summary[:300]),
            FormField("due", "Due", due, "YYYY-MM-DD, optional"),
        ]
        self.open_form(
            "Turn the follow-up into an action", fields, write, undo,
            message="Action on the attack plan; ctrl+z undoes it.", work_name="log-action",
        )  # fmt: skip
