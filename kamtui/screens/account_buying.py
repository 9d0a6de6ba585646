"""The Buying map section of the account screen: the customer's buying milestones in
order, side by side with our matching selling steps, joined by the milestone's status
(= aligned, ≠ gap, ? unknown). The highlighted milestone's requirement and how our
process adapts are shown below the table.

Keys: `n` add, `e` / `enter` edit, `d` delete, `<` / `>` move earlier / later, `t` add
the template's milestones, `T` save this map as the template. Every change is undoable.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static

from kamtui.screens.account_plan_parts import PartSection, PartTable, clip
from kamtui.services.undo import UndoLabel, added_label, form_label


def read_buying(db: Any, account_id: int) -> tuple[list[Any], list[str], list[str]]:
    from kamtui.services.accounts import person_names
    from kamtui.services.buying_map import list_steps

    contacts = [
        r[0]
        for r in db.fetch(
            "SELECT name FROM contact WHERE account_id = ? ORDER BY name", [account_id]
        )
    ]
    return list_steps(db, account_id), contacts, person_names(db)


class BuyingSection(PartSection):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "add", "Add", id="buying.add"),
        Binding("e", "edit", "Edit", id="buying.edit"),
        Binding("d", "remove", "Delete", id="buying.delete"),
        Binding("less_than_sign", "move(-1)", "Earlier", id="buying.earlier", key_display="<"),
        Binding("greater_than_sign", "move(1)", "Later", id="buying.later", key_display=">"),
        Binding("t", "template", "Template", id="buying.template"),
        Binding("T", "save_template", "Save template", id="buying.save_template", show=False),
    ]
    noun = "milestone"

    def __init__(self, account_id: int, **kwargs: Any) -> None:
        super().__init__(account_id, **kwargs)
        self.steps: dict[int, Any] = {}
        self.contacts: list[str] = []
        self.people: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static(
            "their buying ↔ our selling · = aligned ≠ gap ? unknown · n e d · < > move · "
            "t template · T save as template",
            classes="tab-hint",
        )
        yield Static("", id="buying-summary")
        table = PartTable(id="buying-table")
        table.add_columns("#", "Their milestone", "Their owner", "", "Our step", "Our owner")
        yield table
        yield Static("", classes="detail")

    def load(self) -> None:
        self.db_read("account-buying", read_buying, self.account_id, then=self.show)

    def show(self, data: tuple[list[Any], list[str], list[str]]) -> None:
        from kamtui.services.buying_map import STATUS_GLYPH

        steps, self.contacts, self.people = data
        self.steps = {s.id: s for s in steps}
        table = self.query_one(PartTable)
        table.fill(
            [
                (
                    s.id,
                    (
                        str(i),
                        clip(s.milestone, 18),
                        clip(s.owner, 14) or "–",
                        STATUS_GLYPH.get(s.status, "?") + (" gap" if s.gap else ""),
                        clip(s.our_step, 20) or "–",
                        clip(s.our_owner, 12) or "–",
                    ),
                )
                for i, s in enumerate(steps, start=1)
            ],
            keep=table.current(),
        )
        gaps = [s.milestone for s in steps if s.gap]
        summary = (
            f"{len(steps)} milestones · {len(gaps)} gaps" + (f": {', '.join(gaps)}" if gaps else "")
            if steps
            else "No milestones yet: t adds the template's (need identified … renewal), n adds one."
        )
        self.query_one("#buying-summary", Static).update(clip(summary, 200))
        self._describe()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._describe()

    def _describe(self) -> None:
        s = self.steps.get(self.current_id() or -1)
        if s is None:
            self.set_detail("")
            return
        adapt = f" · we adapt: {s.adapt}" if s.adapt else ""
        self.set_detail(f"{s.milestone} ({s.status}): they require {s.requires or '–'}{adapt}")

    def _fields(self, start: dict[str, str]) -> list[Any]:
        from kamtui.screens.dialogs.form import FormField
        from kamtui.services.buying_map import CHOICES, STEP_FIELDS

        choices = {**CHOICES, "owner": tuple(self.contacts), "our_owner": tuple(self.people)}
        return [
            FormField(n, s.label, start.get(n, ""), s.help, choices=choices.get(n, ()))
            for n, s in STEP_FIELDS.items()
        ]

    def action_add(self) -> None:
        from kamtui.services.buying_map import save_step

        account_id, account = self.account_id, self.account_name

        def write(db: Any, values: dict[str, str]) -> Any:
            return save_step(db, account_id, None, None, values)

        def undo(values: dict[str, str]) -> UndoLabel:
            return added_label(f"buying map of {account}", values.get("milestone", ""))

        self.open_form(
            "Add a buying milestone",
            self._fields({"status": "unknown"}),
            write,
            undo,
            work_name="buying-add",
        )

    def action_edit(self) -> None:
        from kamtui.services.buying_map import STEP_FIELDS, save_step

        s = self.steps.get(self.current_id() or -1)
        if s is None:
            return
        account_id = self.account_id
        labels = {n: f.label for n, f in STEP_FIELDS.items()}

        def write(db: Any, values: dict[str, str]) -> Any:
            changed = {k: v for k, v in values.items() if v != s.values.get(k)}
            return save_step(db, account_id, s.id, s.version, changed)

        def undo(values: dict[str, str]) -> UndoLabel:
            return form_label(
                f"milestone {s.milestone} of {self.account_name}", s.values, values, labels
            )

        self.open_form(
            f"Milestone: {s.milestone}",
            self._fields(s.values),
            write,
            undo,
            work_name="buying-edit",
        )

    def action_remove(self) -> None:
        from kamtui.services.buying_map import delete_step

        s = self.steps.get(self.current_id() or -1)
        if s is None:
            return
        label = UndoLabel(
            f"buying map of {self.account_name}", f"with {s.milestone}", f"without {s.milestone}"
        )
        self.confirm_delete(f"the milestone “{s.milestone}”", delete_step, s.id, label)

    def action_move(self, delta: int) -> None:
        from kamtui.services.buying_map import move_step

        s = self.steps.get(self.current_id() or -1)
        if s is None:
            return
        order = list(self.steps)
        i = order.index(s.id)
        if not 0 <= i + delta < len(order):
            self.notify(
                f"{s.milestone} is already the {'first' if delta < 0 else 'last'}.",
                severity="warning",
            )
            return
        self.write_now(
            "buying-move", move_step, s.id, s.version, delta,
            undo=UndoLabel(f"place of {s.milestone}", str(i + 1), str(i + 1 + delta)),
            message=f"{s.milestone} moved {'earlier' if delta < 0 else 'later'}; ctrl+z undoes it.",
        )  # fmt: skip

    def action_template(self) -> None:
        from kamtui.services.buying_map import apply_template

        self.write_now(
            "buying-template", apply_template, self.account_id,
            undo=UndoLabel(f"buying map of {self.account_name}", "without the template", "with the template"),
            message="Template milestones added; ctrl+z takes them back.",
        )  # fmt: skip

    def action_save_template(self) -> None:
        from kamtui.screens.dialogs.confirm import ConfirmDialog
        from kamtui.services.buying_map import save_map_as_template

        if not self.steps:
            self.notify("The map is empty: add milestones first.", severity="warning")
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self.write_now(
                    "buying-save-template", save_map_as_template, self.account_id,
                    undo=UndoLabel("the buying-map template", "as before", f"{len(self.steps)} milestones"),
                    message="Saved as the template for every account; ctrl+z undoes it.",
                )  # fmt: skip

        question = (
            f"Make these {len(self.steps)} milestones the template that `t` adds on every "
            "account's buying map?"
        )
        self.app.push_screen(ConfirmDialog(question, yes="Save template", no="Cancel"), answer)
