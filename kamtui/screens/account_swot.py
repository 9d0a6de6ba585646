"""The SWOT section of the account screen: four quadrants in a 2×2 grid, each sorted by
priority (High first). Every point shows its priority as a letter (H / M / L) and its
perspective as a word (*them*: about the customer, *us*: the customer's view of us);
⚑ marks a High weakness or threat that no open action answers.

Keys: `tab` moves between quadrants; `n` add (in this quadrant), `e` / `enter` edit,
`d` delete, `+` / `-` raise or lower the priority, `a` turn the point into an
attack-plan action. Every change is undoable (ctrl+z).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.widgets import DataTable, Static

from kamtui.screens.account_plan_parts import PartSection, PartTable, clip
from kamtui.services.undo import UndoLabel, added_label, form_label

PRIORITY_LETTER = {"high": "H", "medium": "M", "low": "L"}


@dataclass(frozen=True)
class SwotData:
    points: list[Any]  # swot.SwotRow


def read_swot(db: Any, account_id: int) -> SwotData:
    from kamtui.services.swot import list_points

    return SwotData(list_points(db, account_id))


class SwotSection(PartSection):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "add", "Add", id="swot.add"),
        Binding("e", "edit", "Edit", id="swot.edit"),
        Binding("d", "remove", "Delete", id="swot.delete"),
        Binding("plus,equals_sign", "priority(1)", "Priority +", id="swot.raise", key_display="+"),
        Binding("minus", "priority(-1)", "Priority -", id="swot.lower", key_display="-"),
        Binding("a", "to_action", "Action", id="swot.action"),
        Binding("tab", "quadrant(1)", "Next quadrant", id="swot.next", show=False),
        Binding("shift+tab", "quadrant(-1)", "Previous quadrant", id="swot.prev", show=False),
    ]
    DEFAULT_CSS = """
    SwotSection #swot-grid { grid-size: 2 2; grid-gutter: 0 1; height: 1fr; }
    SwotSection .quadrant { height: 1fr; }
    SwotSection .quadrant-title { text-style: bold; height: 1; }
    SwotSection #swot-flags { height: 1; }
    """
    noun = "SWOT point"

    def __init__(self, account_id: int, **kwargs: Any) -> None:
        super().__init__(account_id, **kwargs)
        self.points: dict[int, Any] = {}
        self.data: SwotData | None = None

    def compose(self) -> ComposeResult:
        from kamtui import models as m
        from kamtui.services.swot import QUADRANT_TITLE

        yield Static(
            "tab quadrant · n e d · +/- priority · a action · view: them = about them, us = of us"[
                :78
            ],
            classes="tab-hint",
        )
        yield Static("", id="swot-flags")
        with Grid(id="swot-grid"):
            for q in m.SWOT_QUADRANTS:
                with Vertical(classes="quadrant"):
                    yield Static(QUADRANT_TITLE[q], classes="quadrant-title", id=f"title-{q}")
                    table = PartTable(id=f"swot-{q}")
                    table.add_columns("", "P", "view", "point")
                    yield table
        yield Static("", classes="detail")

    def load(self) -> None:
        self.db_read("account-swot", read_swot, self.account_id, then=self.show)

    def quadrant_of(self, table: PartTable | None) -> str:
        return (table.id or "swot-strength").removeprefix("swot-") if table else "strength"

    def show(self, data: SwotData) -> None:
        from kamtui.services.swot import FLAG, PERSPECTIVE_SHORT, QUADRANT_TITLE, by_quadrant

        self.data = data
        self.points = {p.id: p for p in data.points}
        width = max(12, (self.app.size.width - 6) // 2 - 16)
        for q, rows in by_quadrant(data.points).items():
            table = self.query_one(f"#swot-{q}", PartTable)
            table.fill(
                [
                    (
                        p.id,
                        (
                            FLAG if p.flagged else " ",
                            PRIORITY_LETTER.get(p.priority, "?"),
                            PERSPECTIVE_SHORT.get(p.perspective, p.perspective),
                            clip(p.text, width),
                        ),
                    )
                    for p in rows
                ],
                keep=table.current(),
            )
            self.query_one(f"#title-{q}", Static).update(f"{QUADRANT_TITLE[q]} ({len(rows)})")
        flagged = [p for p in data.points if p.flagged]
        self.query_one("#swot-flags", Static).update(
            f"{FLAG} {len(flagged)} High weakness or threat with no open action (a makes one)"
            if flagged
            else ("No points yet: n adds one." if not data.points else "")
        )
        self._describe()

    def on_resize(self) -> None:
        if self.data is not None:
            self.show(self.data)  # the points' text fits the new width

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._describe()

    def on_descendant_focus(self, event: Any) -> None:
        self._describe()

    def _describe(self) -> None:
        from kamtui.services.swot import PERSPECTIVE_WORD, PRIORITY_WORD

        point = self.points.get(self.current_id() or -1)
        if point is None:
            self.set_detail("")
            return
        action = f" · → action: {point.action}" if point.action else ""
        self.set_detail(
            f"{PRIORITY_WORD.get(point.priority, '')} · {PERSPECTIVE_WORD.get(point.perspective, '')}"
            f" · {point.text}{action}"
        )

    # --- actions -------------------------------------------------------------------------------

    def _fields(self, start: dict[str, str]) -> list[Any]:
        from kamtui.screens.dialogs.form import FormField
        from kamtui.services.swot import CHOICES, SWOT_FIELDS

        return [
            FormField(n, s.label, start.get(n, ""), s.help, choices=CHOICES.get(n, ()))
            for n, s in SWOT_FIELDS.items()
        ]

    def action_quadrant(self, step: int) -> None:
        from kamtui import models as m

        current = self.quadrant_of(self.focused_table())
        i = m.SWOT_QUADRANTS.index(current) if current in m.SWOT_QUADRANTS else 0
        target = m.SWOT_QUADRANTS[(i + step) % len(m.SWOT_QUADRANTS)]
        self.query_one(f"#swot-{target}", PartTable).focus()

    def action_add(self) -> None:
        from kamtui.services.swot import save_point

        quadrant = self.quadrant_of(self.focused_table())
        account_id, account = self.account_id, self.account_name

        def write(db: Any, values: dict[str, str]) -> Any:
            return save_point(db, account_id, None, None, values)

        def undo(values: dict[str, str]) -> UndoLabel:
            return added_label(f"SWOT of {account}", values.get("text", ""))

        start = {"quadrant": quadrant, "priority": "medium", "perspective": "customer"}
        self.open_form("Add a SWOT point", self._fields(start), write, undo, work_name="swot-add")

    def action_edit(self) -> None:
        from kamtui.services.swot import SWOT_FIELDS, save_point

        point = self.points.get(self.current_id() or -1)
        if point is None:
            return
        account_id = self.account_id
        labels = {n: s.label for n, s in SWOT_FIELDS.items()}
        thing = f"SWOT point “{clip(point.text, 30)}” of {self.account_name}"

        def write(db: Any, values: dict[str, str]) -> Any:
            changed = {k: v for k, v in values.items() if v != point.values.get(k)}
            return save_point(db, account_id, point.id, point.version, changed)

        def undo(values: dict[str, str]) -> UndoLabel:
            return form_label(thing, point.values, values, labels)

        self.open_form(
            "Edit the SWOT point", self._fields(point.values), write, undo, work_name="swot-edit"
        )

    def action_remove(self) -> None:
        from kamtui.services.swot import delete_point

        point = self.points.get(self.current_id() or -1)
        if point is None:
            return
        text = clip(point.text, 40)
        label = UndoLabel(f"SWOT of {self.account_name}", f"with {text}", f"without {text}")
        self.confirm_delete(f"the SWOT point “{text}”", delete_point, point.id, label)

    def action_priority(self, step: int) -> None:
        from kamtui import models as m
        from kamtui.services.swot import PRIORITY_WORD, shift_priority

        point = self.points.get(self.current_id() or -1)
        if point is None:
            return
        i = m.PRIORITIES.index(point.priority) - step
        if not 0 <= i < len(m.PRIORITIES):
            self.notify(f"Priority is already {PRIORITY_WORD[point.priority]}.", severity="warning")
            return
        new = m.PRIORITIES[i]
        self.write_now(
            "swot-priority", shift_priority, point.id, point.version, step,
            undo=UndoLabel(
                f"priority of “{clip(point.text, 30)}”", PRIORITY_WORD[point.priority], PRIORITY_WORD[new]
            ),
            message=f"Priority {PRIORITY_WORD[new]}; ctrl+z undoes it.",
        )  # fmt: skip

    def action_to_action(self) -> None:
        import datetime as dt

        from kamtui.screens.dialogs.form import FormField
        from kamtui.services.swot import point_to_action

        point = self.points.get(self.current_id() or -1)
        if point is None:
            return
        if point.action and point.action_status != "done":
            self.notify(
                f"This point has an open action already: {point.action}.", severity="warning"
            )
            return
        today, account = self.today, self.account_name

        def write(db: Any, values: dict[str, str]) -> Any:
            return point_to_action(db, point.id, point.version, values, today)

        def undo(values: dict[str, str]) -> UndoLabel:
            title = clip(values.get("title", "").strip() or point.text, 40)
            return UndoLabel(f"actions of {account}", f"without “{title}”", f"with “{title}”")

        due = (today + dt.timedelta(days=14)).isoformat()
        fields = [
            FormField("title", "Action", point.text[:300]),
            FormField("due", "Due", due, "YYYY-MM-DD, optional"),
        ]
        self.open_form(
            "Turn this point into an action", fields, write, undo,
            message="Action on the attack plan; ctrl+z undoes it.", work_name="swot-action",
        )  # fmt: skip
