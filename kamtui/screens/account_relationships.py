"""The Relationships section of the account screen: every contact's buying role, stance,
influence, our counterpart, relationship strength and last contact (from the Log), in
three views — `v` switches between the list, the org tree (from reports-to) and the
peer coverage grid (their levels against our people, with single-threaded levels and
counterparts more than one level below flagged: the lifecycle's stage-4 check).

`e` / `enter` edits the highlighted contact's place in the map (undoable); contacts are
added and removed in the Contacts tab.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static

from kamtui.screens.account_plan_parts import PartSection, PartTable, clip
from kamtui.services.undo import UndoLabel, form_label

VIEWS = ("list", "tree", "grid")
VIEW_TITLE = {"list": "List", "tree": "Org tree", "grid": "Peer coverage"}
ROLE_SHORT = {
    "decision maker": "decider",
    "economic buyer": "econ buyer",
    "technical buyer": "tech buyer",
    "user": "user",
    "influencer": "influencer",
    "gatekeeper": "gatekeeper",
}
STALE_MARK = "⚠"
LEVEL_SHORT = {"executive": "exec", "director": "dir", "manager": "mgr"}


def read_map(db: Any, account_id: int, today: Any) -> tuple[Any, list[str], list[str]]:
    """The map, with the names a form completes (their contacts, our people)."""
    from kamtui.services.accounts import person_names
    from kamtui.services.relationships import relationship_map

    rmap = relationship_map(db, account_id, today)
    return rmap, [r.name for r in rmap.rows], person_names(db)


def grid_text(rmap: Any) -> str:
    from kamtui.services.relationships import check_reason

    reason = check_reason(rmap.grid)
    lines = [
        f"Stage 4 (a peer at each of their levels): {'✓ pass' if rmap.check == 'pass' else '✗ fail'}"
        + (f" — {reason}" if reason else ""),
        "",
        f"{'their level':<12} {'theirs':>6}  {'our counterparts':<34} flags",
    ]
    for row in rmap.grid:
        people = ", ".join(row.people) or "–"
        flags = ", ".join(row.flags) if row.contacts else ""
        mark = "⚑ " if flags else "  "
        lines.append(f"{row.name:<12} {len(row.contacts):>6}  {clip(people, 34):<34} {mark}{flags}")
    lines += [
        "",
        "Peer: our person at most one level below theirs (board · executive · management · operational).",
    ]
    if rmap.stale:
        names = ", ".join(r.name for r in rmap.stale)
        lines.append(f"{STALE_MARK} stale (no logged contact for {rmap.stale_days} days): {names}")
    return "\n".join(lines)


class RelationshipsSection(PartSection):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "edit", "Edit", id="relationships.edit"),
        Binding("v", "switch_view", "View", id="relationships.view"),
    ]
    DEFAULT_CSS = """
    RelationshipsSection #rel-grid { height: 1fr; }
    """
    noun = "relationship"

    def __init__(self, account_id: int, **kwargs: Any) -> None:
        super().__init__(account_id, **kwargs)
        self.view = "list"
        self.rmap: Any = None
        self.contact_names: list[str] = []
        self.people: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static("", classes="tab-hint", id="rel-hint")
        table = PartTable(id="relationships-table")
        table.add_columns("Contact", "Level", "Role", "Stance", "I/S", "Ours", "Last")
        yield table
        grid = Static("", id="rel-grid")
        grid.display = False
        yield grid
        yield Static("", classes="detail")

    def load(self) -> None:
        self.db_read("account-relationships", read_map, self.account_id, self.today, then=self.show)

    def _hint(self) -> None:
        days = self.rmap.stale_days if self.rmap is not None else 90
        self.query_one("#rel-hint", Static).update(
            f"{VIEW_TITLE[self.view]} · v next view · e edit · I/S influence/strength"
            f" · {STALE_MARK} no contact in {days}d"
        )

    def show(self, data: tuple[Any, list[str], list[str]]) -> None:
        from kamtui.services.relationships import org_tree

        self.rmap, self.contact_names, self.people = data
        rows = self.rmap.rows
        ordered = org_tree(rows) if self.view == "tree" else [("", r) for r in rows]
        table = self.query_one(PartTable)

        today = self.today

        def last(r: Any) -> str:
            ago = f"{(today - r.last_contact).days}d" if r.last_contact else "never"
            return f"{STALE_MARK} {ago}" if r.stale else f"  {ago}"

        def num(value: int | None) -> str:
            return "–" if value is None else str(value)

        table.fill(
            [
                (
                    r.contact_id,
                    (
                        prefix + clip(r.name, max(8, 15 - len(prefix))),
                        LEVEL_SHORT.get(r.level, r.level),
                        ROLE_SHORT.get(r.buying_role, r.buying_role) or "–",
                        r.stance or "–",
                        f"{num(r.influence)}/{num(r.strength)}",
                        clip(r.counterpart, 11) or "–",
                        last(r),
                    ),
                )
                for prefix, r in ordered
            ],
            keep=table.current(),
        )
        self.query_one("#rel-grid", Static).update(grid_text(self.rmap))
        self._hint()
        self._describe()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._describe()

    def _row(self) -> Any:
        if self.rmap is None:
            return None
        wanted = self.query_one(PartTable).current()
        return next((r for r in self.rmap.rows if r.contact_id == wanted), None)

    def _describe(self) -> None:
        r = self._row()
        if r is None or self.view == "grid":
            self.set_detail(
                ""
                if self.rmap is None or self.rmap.rows
                else "No contacts yet: add them in the Contacts tab."
            )
            return
        boss = f"reports to {r.reports_to}" if r.reports_to else "reports to nobody on the list"
        role = r.buying_role or "role not set"
        self.set_detail(f"{r.name}: {r.title or r.level} · {role} · {boss}")

    def action_switch_view(self) -> None:
        self.view = VIEWS[(VIEWS.index(self.view) + 1) % len(VIEWS)]
        table = self.query_one(PartTable)
        grid = self.query_one("#rel-grid", Static)
        table.display = self.view != "grid"
        grid.display = self.view == "grid"
        if self.rmap is not None:
            self.show((self.rmap, self.contact_names, self.people))
        if self.view != "grid":
            table.focus()
        else:
            self.focus()

    def action_edit(self) -> None:
        from kamtui.screens.dialogs.form import FormField
        from kamtui.services.relationships import CHOICES, RELATIONSHIP_FIELDS, save_relationship

        r = self._row()
        if r is None:
            return
        names = tuple(n for n in self.contact_names if n != r.name)
        choices = {**CHOICES, "reports_to": names, "counterpart": tuple(self.people)}
        fields = [
            FormField(n, s.label, r.values.get(n, ""), s.help, choices=choices.get(n, ()))
            for n, s in RELATIONSHIP_FIELDS.items()
        ]
        labels = {n: s.label for n, s in RELATIONSHIP_FIELDS.items()}

        def write(db: Any, values: dict[str, str]) -> Any:
            changed = {k: v for k, v in values.items() if v.strip() != r.values.get(k, "")}
            return save_relationship(db, r.contact_id, r.contact_version, r.version, changed)

        def undo(values: dict[str, str]) -> UndoLabel:
            return form_label(f"{r.name} of {self.account_name}", r.values, values, labels)

        self.open_form(
            f"Relationship: {r.name}", fields, write, undo, work_name="relationship-save"
        )
