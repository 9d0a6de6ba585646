"""The scoring matrix (view 3): accounts × criteria, weighted totals, ranks, threshold,
capacity, presets and nightmare-trait vetoes. One Line-API grid; the scores live in a
``Matrix`` of plain lists, so what-if weights re-rank without touching the database."""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import Static

from kamtui.commands import Command, bindings
from kamtui.screens.matrix_actions import MatrixActions
from kamtui.services.scoring import CANDIDATES, Matrix, format_measure
from kamtui.services.scoring_math import change_text
from kamtui.services.scoring_presets import AUTO_SOURCES, PRESET_BY_KEY
from kamtui.widgets.grid import Cell, CellGrid, GridColumn
from kamtui.widgets.inputs import KamInput

GLYPH = {"key": "★", "customer": "c", "target": "t", "prospect": "p", "former": "f"}
QUALIFIES = Style(bold=True, color="green")
VETOED = Style(bold=True, color="red")
DIM = Style(dim=True)
CHANGED = Style(bold=True, color="yellow")
THRESHOLD_LINE = Style(underline=True)

COMMANDS: tuple[Command, ...] = (
    Command("matrix.edit", "enter", "edit", "Edit", "Edit score", "Edit the score under the cursor with its evidence note; on the weights row, type a weight."),
    Command("matrix.up", "plus,equals_sign", "nudge(1)", "Raise", "Score / weight +1", "Raise the focused score, or on the weights row the weight (a what-if).", key_display="+"),
    Command("matrix.down", "minus", "nudge(-1)", "Lower", "Score / weight −1", "Lower the focused score, or on the weights row the weight (a what-if).", key_display="-"),
    Command("matrix.keep", "w", "keep_weights", "Keep weights", "Keep the what-if weights", "Save the weights you tried as the model's weights."),
    Command("matrix.back", "escape", "back", "Back", "Back", "Return to the saved weights; else clear the filter; else leave the qualification list."),
    Command("matrix.filter", "slash", "filter", "Filter", "Filter accounts", "Filter the accounts by name as you type.", key_display="/"),
    Command("matrix.preset", "p", "preset", "Preset", "Choose a preset", "Pick one of the seven key-account definitions (seed 001)."),
    Command("matrix.qualify", "Q", "qualification", "Qualify", "Qualification", "Show only accounts to promote (qualify, not key) and key accounts to demote."),
    Command("matrix.key", "K", "promote", "Key ±", "Promote / demote", "Promote the account to key, or demote a key account to former, with a reason."),
    Command("matrix.traits", "T", "traits", "Traits", "Nightmare traits", "Tick the account's nightmare traits (penalties and vetoes)."),
    Command("matrix.history", "H", "history", "History", "Score history", "Every score change of the account: when, old, new, note."),
    Command("matrix.threshold", "t", "threshold", "Threshold", "Set threshold", "The total (0–100) that qualifies an account.", show=False),
    Command("matrix.capacity", "c", "capacity", "Capacity", "Set capacity", "How many key accounts you can serve.", show=False),
    Command("matrix.sort", "s", "sort_column", "Sort", "Sort by this column", "Sort by the focused criterion; again to reverse.", show=False),
    Command("matrix.rank", "r", "sort_rank", "By rank", "Sort by rank", "Sort by total, best first.", show=False),
    Command("matrix.all", "a", "toggle_all", "All", "All accounts / candidates", "Show every account, or only targets, customers and key accounts.", show=False),
    Command("matrix.new", "n", "new_criterion", "New", "New criterion", "Add a criterion to the model.", show=False),
    Command("matrix.edit_criterion", "e", "edit_criterion", "Edit criterion", "Edit criterion", "Name, short name, description, weight, scale, direction, automatic source and bands.", show=False),
    Command("matrix.delete", "d", "delete_criterion", "Delete criterion", "Delete criterion", "Delete the focused criterion and its scores (asks first).", show=False),
    Command("matrix.open", "o", "open", "Open", "Open account", "Open the account under the cursor.", show=False),
    Command("matrix.reload", "ctrl+r", "reload", "Reload", "Reload matrix", "Read the matrix again from the database.", show=False),
)  # fmt: skip


def heading(name: str, direction: str, automatic: bool) -> str:
    """A column heading with its marks: - before a cost criterion, * after an automatic
    one ("-Strain", "Revenue*")."""
    return ("-" if direction == "cost" else "") + name + ("*" if automatic else "")


class MatrixScreen(MatrixActions):
    MODE = "matrix"
    TITLE_TEXT = "Matrix"
    HELP = (
        "Choose key accounts on purpose. Rows are accounts (★ key, c customer, t target, "
        "p prospect, f former), columns the criteria of the active model: `-` before a heading "
        "marks a *cost* criterion (more is worse, counted the other way round), `*` after it an "
        "*automatic* one (from revenue, profit, ratio, growth, employees or their revenue, "
        "turned into the scale by bands: `e` edits them). Where the full names do not fit, "
        "a column is headed by the criterion's short name (`e` edits it too); the line under "
        "the grid names the focused column in full, with its weight. A score with an evidence note shows "
        "•, an unscored cell · (it counts as 0). Total is 0–100, comparable across models; "
        "penalties of nightmare traits are taken off; a veto (✖) never qualifies. Q shows ✓ "
        "for an account at or above the threshold; ✓↑ and ↓ mark rows that cross it in a "
        "what-if; the last qualifying row is underlined. Δ is the rank change since the "
        "matrix was loaded or the weights were kept.\n\n"
        "Arrows or hjkl move; `enter` edits a score and its note; `+`/`-` nudge it. On the "
        "weights row `+`/`-` try a weight: totals and ranks move at once; `w` keeps the "
        "weights, `escape` returns to the saved ones. `p` picks a preset, `t` the threshold, "
        "`c` the capacity; `Q` lists the accounts to promote and the key accounts to demote; "
        "`K` promotes or demotes with a reason; `T` ticks nightmare traits; `H` shows the "
        "account's score history; `a` shows all accounts, not only targets, customers and key "
        "accounts; `s` sorts by the focused column, `r` by rank; `n`/`e`/`d` add, edit, "
        "delete a criterion; `o` opens the account."
    )
    COMMANDS_LIST = COMMANDS
    BINDINGS: ClassVar[list[BindingType]] = bindings(COMMANDS)  # type: ignore[assignment]

    DEFAULT_CSS = """
    MatrixScreen #warning { height: auto; max-height: 2; background: $warning 20%; padding: 0 1; }
    MatrixScreen #info { height: 2; padding: 0 1; color: $text; background: $panel-darken-1; }
    MatrixScreen #status-line { height: auto; max-height: 2; background: $panel; color: $text-muted; padding: 0 1; }
    MatrixScreen #filter { dock: bottom; display: none; margin-bottom: 1; border: tall $accent; }
    MatrixScreen #filter.visible { display: block; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.mx: Matrix | None = None
        self.order: list[int] = []
        self.sort_key: tuple[str, int] = ("rank", 0)
        self.sort_reverse = False
        self.filter_text = ""
        self.qualification = False
        self.show_all = False
        self._covered = False
        self._texts: dict[str, str] = {}
        self._lower: list[str] = []
        self.saved_versions: dict[tuple[int, int], int] = {}
        self.grid = CellGrid(
            self._cells, pinned=1, empty_text="Loading the matrix…", row_style=self._row_style,
            id="grid",
        )  # fmt: skip

    def compose(self) -> ComposeResult:
        yield from self.compose_bar()
        yield Static("", id="warning", markup=False)
        yield self.grid
        yield Static("", id="info", markup=False)
        yield Static("", id="status-line", markup=False)
        yield KamInput(placeholder="filter by name — escape clears", id="filter")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.grid.focus()
        self.load()

    def on_screen_suspend(self) -> None:
        # still on the current stack: a dialog covers us (we refresh ourselves after it);
        # not on it: the user went to another view, where data may change
        self._covered = self in self.app.screen_stack

    def on_screen_resume(self) -> None:
        if not self._covered and self.mx is not None and not self.mx.what_if:
            self.load()

    # --- data ------------------------------------------------------------------------------

    def load(self) -> None:
        from kamtui.services.scoring import load_matrix

        scope = ("prospect", "target", "customer", "key", "former") if self.show_all else CANDIDATES
        today = self.kam.today
        self.db_read("matrix-load", lambda db: load_matrix(db, today, scope=scope), then=self._show)

    def _show(self, mx: Matrix) -> None:
        keep = self.current_account()
        self.mx = mx
        self.saved_versions = {}
        self._lower = [n.lower() for n in mx.names]
        self.grid.empty_text = "No accounts here: press a to show all, or add accounts in view 2."
        self.rebuild(keep_account=keep)

    def columns(self) -> list[GridColumn]:
        assert self.mx is not None
        cols = [GridColumn("name", "Account", 16, align="left", flex=True, want=22)]
        for c in self.mx.criteria:
            # the full name when every heading fits, else the short name (CellGrid picks)
            full = heading(c.name, c.direction, c.automatic)
            short = heading(c.short_name, c.direction, c.automatic)
            cols.append(GridColumn(f"c{c.id}", full, 5, align="center", cell=True, short=short))
        cols += [
            GridColumn("total", "Total", 5),
            GridColumn("rank", "Rank", max(4, len(str(len(self.mx.ids))))),
            GridColumn("delta", "Δ", 4),
            GridColumn("q", "Q", 2, align="left"),
            GridColumn("why", "Why", 12, align="left", flex=True, want=20),
        ]
        return cols

    def rebuild(self, *, keep_account: int | None = None) -> None:
        """Order the rows (scope, filter, sort or qualification) and reshape the grid."""
        mx = self.mx
        if mx is None:
            return
        kind, ci = self.sort_key
        if self.qualification:
            rows = mx.to_promote() + mx.to_demote()
        elif kind == "rank":  # the matrix keeps its rows in rank order already
            rows = mx.ranked[::-1] if self.sort_reverse else mx.ranked
        else:
            rows = mx.members
        if self.filter_text and not self.qualification:
            needle, names = self.filter_text, self._lower
            rows = [i for i in rows if needle in names[i]]
        if kind == "criterion" and ci < len(mx.criteria) and not self.qualification:
            column = mx.values[ci]
            scored = [i for i in rows if column[i] is not None]
            scored.sort(key=lambda i: column[i] or 0, reverse=not self.sort_reverse)
            rows = scored + [i for i in rows if column[i] is None]
        self.order = rows
        keys = list(map(mx.ids.__getitem__, rows))  # the grid finds an account by its id
        self.grid.set_shape(self.columns(), 1, len(rows), keys=keys, cursor_key=keep_account)
        self.update_texts()

    def current_row(self) -> int | None:
        """The matrix row (account) under the cursor; None on the weights row."""
        r = self.grid.cursor_row - 1
        return self.order[r] if 0 <= r < len(self.order) else None

    def current_account(self) -> int | None:
        key = self.grid.cursor_key
        return key if isinstance(key, int) else None

    # --- cells ------------------------------------------------------------------------------

    def _cells(self, grid_row: int) -> list[Cell]:
        mx = self.mx
        assert mx is not None
        if grid_row == 0:
            return self._weight_cells(mx)
        i = self.order[grid_row - 1]
        cells: list[Cell] = [(f"{GLYPH.get(mx.statuses[i], '?')} {mx.names[i]}", None)]
        for ci, c in enumerate(mx.criteria):
            v = mx.values[ci][i]
            if v is None:
                cells.append(("·", DIM))
            else:
                mark = "•" if (i, ci) in mx.notes else ""
                cells.append((f"{v}{mark}", DIM if c.automatic else None))
        rank = mx.ranks[i]
        q, q_style = self._q(mx, i)
        cells += [
            (f"{mx.totals[i]:.1f}", QUALIFIES if q.startswith("✓") else None),
            (str(rank) if rank else "—", None),
            (change_text(mx.rank_change(i)), CHANGED if mx.rank_change(i) else None),
            (q, q_style),
            (self._why(mx, i), VETOED if mx.vetoes[i] else None),
        ]
        return cells

    def _weight_cells(self, mx: Matrix) -> list[Cell]:
        cells: list[Cell] = [
            ("What-if weights" if mx.what_if else "Weights", CHANGED if mx.what_if else None)
        ]
        for w, saved in zip(mx.weights, mx.saved_weights, strict=True):
            arrow = "↑" if w > saved else "↓" if w < saved else ""
            cells.append((f"×{w}{arrow}", CHANGED if arrow else None))
        cells += [("", None), ("", None), ("", None), ("", None)]
        cells.append(("w keeps · esc undoes" if mx.what_if else "", CHANGED))
        return cells

    @staticmethod
    def _q(mx: Matrix, i: int) -> tuple[str, Style | None]:
        if mx.vetoes[i]:
            return "✖", VETOED
        now, before = mx.qualifies(i), mx.qualified_before(i)
        if now and not before:
            return "✓↑", QUALIFIES
        if now:
            return "✓", QUALIFIES
        if before:
            return "↓", CHANGED
        return "", None

    @staticmethod
    def _why(mx: Matrix, i: int) -> str:
        if mx.vetoes[i]:
            return f"vetoed: {mx.vetoes[i]}"
        parts = []
        if mx.statuses[i] == "key" and not mx.qualifies(i):
            parts.append("key, below threshold")
        elif mx.statuses[i] != "key" and mx.qualifies(i) and mx.in_scope(i):
            parts.append("qualifies, not key")
        if mx.penalties[i]:
            parts.append(f"−{mx.penalties[i]} {', '.join(mx.trait_names.get(i, []))}")
        return " · ".join(parts)

    def _row_style(self, grid_row: int) -> Style | None:
        mx = self.mx
        if mx is None or grid_row == 0 or self.sort_key[0] != "rank" or self.sort_reverse:
            return None
        index = grid_row - 1
        if index + 1 >= len(self.order) or self.qualification:
            return None
        here, after = mx.totals[self.order[index]], mx.totals[self.order[index + 1]]
        return THRESHOLD_LINE if here >= mx.threshold > after else None

    # --- texts around the grid -----------------------------------------------------------------

    def update_texts(self) -> None:
        mx = self.mx
        if mx is None:
            return
        capacity = mx.capacity_warning()
        if self.qualification:
            text = (
                f"QUALIFICATION · ✓ {len(mx.to_promote())} qualify but are not key (K promotes) · "
                f"↓ {len(mx.to_demote())} key accounts below the threshold or vetoed (K demotes)"
            )
            self._set("#warning", text)
        else:
            preset = PRESET_BY_KEY.get(mx.model.preset or "") if mx.model else None
            name = mx.model.name if mx.model else "No scoring model"
            line = f"{name}: ⚠ {preset.warning}" if preset else f"{name} (your own model)"
            self._set("#warning", line)
        shown = len(self.order)
        scope = "accounts" if self.show_all else "targets, customers and key accounts"
        if self.filter_text or self.qualification:
            qualify = sum(1 for i in self.order if mx.qualifies(i))
        else:
            qualify = mx.qualify_count
        parts = [
            f"{shown:,} {scope}",
            f"threshold {mx.threshold}",
            f"{qualify:,} qualify",
            f"key {mx.key_count()}/{mx.capacity}",
        ]
        if capacity:
            parts.insert(0, capacity)
        if mx.what_if:
            parts.insert(0, "WHAT-IF (w keeps, esc undoes)")
        if self.filter_text:
            parts.append(f"filter “{self.filter_text}”")
        self._set("#status-line", " · ".join(parts))
        self.update_info()
        self.refresh_bindings()

    def update_info(self) -> None:
        mx = self.mx
        if mx is None:
            return
        lines = ["", ""]
        ci = self.grid.cursor_column
        row = self.current_row()
        if mx.criteria and ci < len(mx.criteria):
            c = mx.criteria[ci]
            # the full name of a column headed by its short name, and what its marks mean
            kind = "- cost: more is worse" if c.direction == "cost" else "benefit"
            head = f"{c.name} ×{mx.weights[ci]} · {kind} · 1–{c.scale_max}"
            if c.auto_source:
                bands = " / ".join(format_measure(c.auto_source, b) for b in c.bands)
                head += f" · * automatic: {AUTO_SOURCES[c.auto_source].lower()} (bands {bands})"
                if row is not None:
                    head += f" · here {format_measure(c.auto_source, mx.measures[ci][row])}"
            elif row is not None and (row, ci) in mx.notes:
                head += f" · note: {mx.notes[(row, ci)]}"
            elif c.description:
                head += f" · {c.description}"
            lines[0] = head
        if row is None:
            lines[1] = "Weights row: +/- or enter try a weight (what-if); w keeps, escape undoes."
        else:
            rank = mx.ranks[row]
            why = mx.why_not(row) or f"qualifies (≥ {mx.threshold})"
            change = change_text(mx.rank_change(row))
            lines[1] = (
                f"{mx.names[row]} · {mx.statuses[row]} · total {mx.totals[row]:.1f}"
                f" · rank {rank or '—'} {change} · {why}"
            )
            if mx.trait_names.get(row):
                lines[1] += f" · traits: {', '.join(mx.trait_names[row])}"
        self._set("#info", "\n".join(lines))

    def _set(self, selector: str, text: str) -> None:
        """Update a line of text only when it changes (an update re-lays the screen out)."""
        if self._texts.get(selector) != text:
            self._texts[selector] = text
            self.query_one(selector, Static).update(text)

    @on(CellGrid.CellMoved)
    def _moved(self) -> None:
        self.update_info()
        self.refresh_bindings()

    def after_change(self, *, resort: bool = True) -> None:
        """Scores, weights or traits changed: re-sort (keeping the cursor) and repaint."""
        if resort:
            keep = self.current_account()
            if keep is None:
                cursor = self.grid.cursor_row
                self.rebuild()
                self.grid.move_to(cursor)
            else:
                self.rebuild(keep_account=keep)
        self.grid.refresh()
        self.update_texts()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        mx = self.mx
        if mx is None:
            return action in ("filter", "reload", "back")
        on_account = self.current_row() is not None
        if action == "keep_weights":
            return mx.what_if
        if action in ("promote", "traits", "history", "open"):
            return on_account
        if action in ("nudge", "edit", "edit_criterion", "delete_criterion", "sort_column"):
            return bool(mx.criteria)
        if action == "back":
            box = self.query_one("#filter")
            return (
                mx.what_if
                or bool(self.filter_text)
                or self.qualification
                or box.has_class("visible")
            )
        return True
