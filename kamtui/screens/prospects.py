"""View 7: prospects — find more accounts like your best ones (seed 000).

At the top, what today's key accounts have in common, each statement with the share of
key accounts behind it; below, every prospect and target (``c``: customers not yet key
too) ranked by similarity to them, in the one virtual table; under the table the
reasons of the row under the cursor, match by match. The arithmetic is
``services/lookalike.py``; this screen reads it in a worker and shows plain data.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from kamtui.commands import Command, bindings
from kamtui.errors import KamError
from kamtui.screens.base import KamScreen, TableSorting
from kamtui.screens.dbwork import DbWork
from kamtui.widgets.inputs import KamInput
from kamtui.widgets.table import Column, VirtualTable

if TYPE_CHECKING:
    from kamtui.services.lookalike import Account, Ranking

STATUS_TEXT = {"prospect": "prospect", "target": "target", "customer": "customer"}
MARK = "●"


class ProspectRow(NamedTuple):
    """One line of the table: plain data."""

    id: int
    rank: int | None  # None: vetoed, not ranked
    name: str
    status: str
    similarity: float | None
    industry: str
    country: str
    employees: int | None
    revenue: int | None
    veto: str


def _compact(minor: int | None) -> str:
    from kamtui.money import format_compact

    return format_compact(minor) if minor else ""


def _dim(r: ProspectRow) -> str | None:
    return "dim" if r.veto else None


def _sim_style(r: ProspectRow) -> str | None:
    if r.veto:
        return "dim"
    return "bold" if r.similarity is not None and r.similarity >= 75 else None


def rows_of(ranking: Ranking, with_vetoed: bool) -> list[ProspectRow]:
    out = [
        ProspectRow(
            a.id, n, a.name, a.status, sim, a.industry, a.country, a.employees, a.revenue, ""
        )
        for n, (a, sim) in enumerate(ranking.ranked, start=1)
    ]
    if with_vetoed:
        out += [
            ProspectRow(
                a.id, None, a.name, a.status, None, a.industry, a.country, a.employees,
                a.revenue, a.veto,
            )
            for a in ranking.vetoed
        ]  # fmt: skip
    return out


COMMANDS: tuple[Command, ...] = (
    Command("prospects.open", "enter", "open", "Open", "Open account", "Open the account under the cursor."),
    Command("prospects.target", "t", "promote", "Target", "Promote to target", "Make the prospect under the cursor (or every marked one) a target, with a reason; kept in the status history, ctrl+z undoes it."),
    Command("prospects.mark", "space", "mark", "Mark", "Mark / unmark", "Mark the account under the cursor for t (promote several together)."),
    Command("prospects.filter", "slash", "filter", "Filter", "Filter look-alikes", "Filter as you type: name, industry, country, status.", key_display="/"),
    Command("prospects.back", "escape", "back", "Clear", "Clear filter / marks", "Clear the filter; else unmark every account."),
    Command("prospects.weights", "w", "weights", "Weights", "Look-alike weights", "How much each profile field counts in the similarity (0–10; 0 leaves it out)."),
    Command("prospects.profile", "p", "profile", "Profile", "Key-account profile", "The whole profile of your key accounts and every reason of the account under the cursor."),
    Command("prospects.customers", "c", "toggle_customers", "Customers", "Customers too", "Rank customers not yet key too, or only prospects and targets.", show=False),
    Command("prospects.vetoed", "v", "toggle_vetoed", "Vetoed", "Show vetoed", "Show the accounts a vetoing nightmare trait keeps out of the ranking (greyed, with the reason).", show=False),
    Command("prospects.sort", "s", "sort_next", "Sort", "Sort by next column", "Sort by the next column.", show=False),
    Command("prospects.reverse", "S", "sort_reverse", "Reverse", "Reverse sort", "Reverse the sort direction.", show=False),
    Command("prospects.reload", "ctrl+r", "reload", "Reload", "Reload look-alikes", "Read the accounts again and rank them.", show=False),
)  # fmt: skip


class ProspectsScreen(TableSorting, DbWork, KamScreen):
    SORT_BIGGEST_FIRST = ("similarity", "employees", "revenue")
    SORT_WHAT = SORT_NOUN = "look-alikes"
    MODE = "prospects"
    TITLE_TEXT = "Prospects"
    HELP = (
        "Find more accounts like your best ones (seed 000, *key account mapping*). The top "
        "says what today's key accounts have in common, with the share of key accounts "
        "behind each statement; the table ranks every prospect and target (`c`: customers "
        "not yet key too) by **similarity** 0–100 to them, best first; the line under it "
        "gives the reasons of the account under the cursor: ✓ a match, ~ a partial one, "
        "✗ a mismatch, ? not known (worth finding out).\n\n"
        "**The method.** The profile is made of your key accounts without a vetoing "
        "nightmare trait; it needs at least 3 of them, and a field counts once at least 3 "
        "have it filled in. Each field gives 0 to 1: *industry, country, why they buy* — the "
        "share of key accounts with the same value; *employees, their annual revenue* — 1 "
        "inside the key accounts' band (their middle 80 %), falling on a log scale to 0 at "
        "ten times below or above it; *our strength of position* — 1 at or above the key "
        "accounts' median, less for each point below; *revenue-to-cost ratio* — 1 at or "
        "above their band, 0 at half its bottom; *business strategy, infrastructure, "
        "supplier relationships, financial situation* — the best word overlap with one key "
        "account (words in common ÷ words in either; common words left out); *nightmare "
        "traits* — the share of key accounts that have the account's trait. The similarity "
        "is the weighted mean × 100 (`w` changes the weights; 0 leaves a field out). "
        "Industry, country, size and strength always count, unknown as no match; the "
        "others only where the account has them (a prospect has no economics yet). "
        "Accounts with a vetoing trait are never ranked (`v` shows them greyed, with the "
        "reason).\n\n"
        "`enter` opens the account; `t` makes the prospect a target with a reason (status "
        "history; `ctrl+z` undoes it); `space` marks several for `t`; `/` filters; `s` sorts "
        "by the next column, `S` reverses (or click a heading); `p` shows the whole profile. "
        "`kam lookalikes [--top N] [--json]` prints the same ranking."
    )
    COMMANDS_LIST = COMMANDS
    BINDINGS: ClassVar[list[BindingType]] = bindings(COMMANDS)  # type: ignore[assignment]

    DEFAULT_CSS = """
    ProspectsScreen #profile { height: auto; max-height: 3; background: $panel-darken-1; padding: 0 1; }
    ProspectsScreen #detail { height: auto; min-height: 2; max-height: 6; background: $panel-darken-1; padding: 0 1; }
    ProspectsScreen #status-line { height: 1; background: $panel; color: $text-muted; padding: 0 1; }
    ProspectsScreen #filter { dock: bottom; display: none; margin-bottom: 1; border: tall $accent; }
    ProspectsScreen #filter.visible { display: block; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.ranking: Ranking | None = None
        self.weights: dict[str, tuple[int, int | None]] = {}
        self.by_id: dict[int, Account] = {}
        self.marked: set[int] = set()
        self.customers = False
        self.with_vetoed = False
        self._covered = False
        self._loaded = False
        self._texts: dict[str, str] = {}
        self.table: VirtualTable[ProspectRow] = VirtualTable(
            self._columns(),
            row_key=lambda r: r.id,
            search_text=lambda r: f"{r.name}\t{r.industry}\t{r.country}\t{r.status}",
            empty_text="Ranking look-alikes…",
            id="prospects",
        )

    def _columns(self) -> list[Column[ProspectRow]]:
        marked = self.marked

        def name(r: ProspectRow) -> str:
            return f"{MARK} {r.name}" if r.id in marked else r.name

        return [
            Column("name", "Account", 18, name, lambda r: r.name.casefold(), flex=True, style=_dim),
            Column("rank", "#", 4, lambda r: str(r.rank) if r.rank else "—", lambda r: r.rank, align="right", style=_dim),
            Column("similarity", "Sim", 3, lambda r: f"{r.similarity:.0f}" if r.similarity is not None else "✖", lambda r: r.similarity, align="right", style=_sim_style),
            Column("status", "Status", 8, lambda r: STATUS_TEXT.get(r.status, r.status), lambda r: r.status, style=_dim),
            Column("industry", "Industry", 13, lambda r: r.industry, lambda r: r.industry.casefold() or None, flex=True, style=_dim),
            Column("country", "Country", 10, lambda r: r.country, lambda r: r.country.casefold() or None, flex=True, style=_dim),
            Column("employees", "Empl", 6, lambda r: f"{r.employees:,}" if r.employees else "", lambda r: r.employees, align="right", style=_dim),
            Column("revenue", "Rev", 6, lambda r: _compact(r.revenue), lambda r: r.revenue, align="right", style=_dim),
        ]  # fmt: skip

    def compose(self) -> ComposeResult:
        yield from self.compose_bar()
        yield Static("Reading your key accounts…", id="profile", markup=False)
        yield self.table
        yield Static("", id="detail", markup=False)
        yield Static("", id="status-line", markup=False)
        yield KamInput(
            placeholder="filter: name, industry, country, status — escape clears", id="filter"
        )
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.table.sort_by("rank")
        self.table.focus()
        self.load()

    def on_resize(self) -> None:
        # a tall terminal has room for the whole profile and every reason
        tall = self.size.height >= 34
        self.query_one("#profile").styles.max_height = 6 if tall else 3
        self.query_one("#detail").styles.max_height = 8 if tall else 6

    def on_screen_suspend(self) -> None:
        # still on the stack: a dialog or the account covers us (we reload after those)
        self._covered = self in self.app.screen_stack

    def on_screen_resume(self) -> None:
        if self._loaded and not self._covered:
            self.load()

    # --- data ----------------------------------------------------------------------------------

    def load(self) -> None:
        from kamtui.services.lookalike import lookalikes

        today, customers = self.kam.today, self.customers

        def read(db: Any) -> Any:
            return lookalikes(db, today, customers=customers)

        self.db_read("prospects-load", read, then=self._show)

    def _show(self, result: tuple[Ranking, dict[str, tuple[int, int | None]]]) -> None:
        from kamtui.services.lookalike import too_few_text

        ranking, self.weights = result
        self.ranking = ranking
        self.by_id = {a.id: a for a, _ in ranking.ranked}
        self.by_id.update({a.id: a for a in ranking.vetoed})
        self.marked.intersection_update(self.by_id)
        self._loaded = True
        if ranking.enough:
            self._set("#profile", self.profile_text())
            who = "prospects, targets or customers" if self.customers else "prospects or targets"
            self.table.empty_text = f"No {who} to rank: add some in view 2 (n) or import them."
        else:
            self._set("#profile", too_few_text(ranking.profile))
            self.table.empty_text = "Nothing ranked: too few key accounts (see above)."
        self.table.set_rows(rows_of(ranking, self.with_vetoed) if ranking.enough else [])
        self.update_detail()
        self._update_status()
        self.refresh_bindings()

    def profile_text(self) -> str:
        from kamtui.services.lookalike import profile_lines

        assert self.ranking is not None
        p = self.ranking.profile
        return f"What your {p.size} key accounts have in common: " + " · ".join(profile_lines(p))

    def update_detail(self) -> None:
        """The reasons of the row under the cursor, in full."""
        row = self.table.cursor_row
        ranking = self.ranking
        if row is None or ranking is None or row.id not in self.by_id:
            self._set("#detail", "")
            return
        account = self.by_id[row.id]
        reasons = ranking.explain(account)
        head = "Not ranked" if row.veto else f"Similarity {row.similarity:.0f}"
        self._set("#detail", head + ": " + " · ".join(str(r) for r in reasons))

    def _update_status(self) -> None:
        ranking = self.ranking
        if ranking is None:
            return
        who = "prospects, targets and customers" if self.customers else "prospects and targets"
        parts = [f"{len(ranking.ranked):,} {who} ranked"]
        if self.table.row_count != self.table.total_count:
            parts.append(f"{self.table.row_count:,} shown")
        if ranking.vetoed:
            parts.append(
                f"{len(ranking.vetoed)} vetoed"
                + (" (greyed)" if self.with_vetoed else " (v shows)")
            )
        if self.marked:
            parts.append(f"{MARK} {len(self.marked)} marked (t promotes)")
        if self.table.filter_text:
            parts.append(f"filter “{self.table.filter_text}”")
        key, reverse = self.table.sort_column
        label = next((c.label for c in self.table.columns if c.key == key), None)
        if label:
            parts.append(f"sorted by {label} {'▼' if reverse else '▲'}")
        self._set("#status-line", " · ".join(parts))

    def _set(self, selector: str, text: str) -> None:
        """Update a line only when it changes (an update re-lays the screen out)."""
        if self._texts.get(selector) != text:
            self._texts[selector] = text
            self.query_one(selector, Static).update(text)

    @on(VirtualTable.CursorMoved)
    def _cursor_moved(self) -> None:
        self.update_detail()
        self.refresh_bindings()

    # --- filter and sort ------------------------------------------------------------------------

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.add_class("visible")
        box.display = True
        self.set_focus(box)  # now: keys typed fast after / must reach the box

    def action_back(self) -> None:
        box = self.query_one("#filter", Input)
        if self.table.filter_text or box.has_class("visible"):
            box.value = ""
            box.remove_class("visible")
            box.display = False
            self.table.set_filter("")
            self.table.focus()
        elif self.marked:
            self.marked.clear()
            self.table.refresh()
        self._update_status()
        self.refresh_bindings()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.table.set_filter(event.value)
        self._update_status()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.table.focus()

    def action_toggle_customers(self) -> None:
        self.customers = not self.customers
        self.notify(
            "Customers not yet key are ranked too." if self.customers
            else "Only prospects and targets are ranked.",
            timeout=3,
        )  # fmt: skip
        self.load()

    def action_toggle_vetoed(self) -> None:
        self.with_vetoed = not self.with_vetoed
        if self.ranking is not None:
            self._show((self.ranking, self.weights))

    def action_reload(self) -> None:
        self.load()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("open", "mark"):
            return self.table.cursor_row is not None
        if action == "promote":
            return bool(self.marked) or self.table.cursor_row is not None
        if action == "back":
            return (
                bool(self.table.filter_text)
                or self.query_one("#filter").has_class("visible")
                or bool(self.marked)
            )
        if action == "weights":
            return bool(self.weights)
        if action == "profile":
            return self.ranking is not None
        return True

    # --- open, mark, promote --------------------------------------------------------------------

    @on(VirtualTable.Selected)
    def _selected(self, event: VirtualTable.Selected) -> None:
        self.open_account(event.row.id)

    def action_open(self) -> None:
        row = self.table.cursor_row
        if row is not None:
            self.open_account(row.id)

    def open_account(self, account_id: int) -> None:
        from kamtui.screens.account import open_account

        open_account(self, account_id, lambda _: self.load())

    def action_mark(self) -> None:
        row = self.table.cursor_row
        if row is None:
            return
        if row.id in self.marked:
            self.marked.discard(row.id)
        else:
            self.marked.add(row.id)
        self.table.refresh_row(self.table.cursor_index)
        self.table.action_cursor(1)
        self._update_status()
        self.refresh_bindings()

    @work(exclusive=True, group="prospects-dialog")
    async def action_promote(self) -> None:
        from kamtui.screens.dialogs.prompt import PromptDialog
        from kamtui.services.accounts import change_statuses
        from kamtui.services.lookalike import FIELD_BY_KEY
        from kamtui.services.undo import UndoLabel

        ranking = self.ranking
        row = self.table.cursor_row
        if ranking is None:
            return
        chosen = sorted(self.marked) if self.marked else ([row.id] if row is not None else [])
        accounts = [self.by_id[i] for i in chosen if i in self.by_id]
        vetoed = [a for a in accounts if a.veto]
        promote = [a for a in accounts if a.status == "prospect" and not a.veto]
        if not promote:
            if vetoed:
                why = f"{vetoed[0].name} is vetoed ({vetoed[0].veto}): untick the trait in view 3 (T) first."
            else:
                why = "Only prospects become targets: this one is a target or a customer already."
            self.notify(why, severity="warning", timeout=6)
            return
        sims = {a.id: s for a, s in ranking.ranked}
        if len(promote) == 1:
            a = promote[0]
            fits = [
                FIELD_BY_KEY[r.field].label.lower()
                for r in ranking.explain(a)
                if r.verdict == "match"
            ][:3]
            question = f"Why does {a.name} become a target?"
            default = f"look-alike of our key accounts, similarity {sims.get(a.id, 0):.0f}"
            if fits:
                default += f" (like them in {', '.join(fits)})"
        else:
            question = f"Why do these {len(promote)} prospects become targets?"
            default = "look-alikes of our key accounts (view 7)"
        skipped = len(accounts) - len(promote)
        if skipped:
            question += f" ({skipped} marked that are not prospects, or vetoed, stay as they are.)"
        reason = await self.app.push_screen_wait(
            PromptDialog(question, value=default, required=True)
        )
        if not reason:
            return
        versions = {a.id: a.version for a in promote}
        today = self.kam.today
        if len(promote) == 1:
            label = UndoLabel(f"status of {promote[0].name}", "prospect", "target")
        else:
            label = UndoLabel(f"status of {len(promote)} accounts", "prospect", "target")

        def done(names: list[str]) -> None:
            self.marked.clear()
            shown = names[0] if len(names) == 1 else f"{len(names)} accounts"
            self.notify(f"{shown}: now a target; ctrl+z undoes it.")
            self.load()

        def refused(exc: KamError) -> None:
            self.notify(f"Not changed: {exc}", severity="error", timeout=6)
            self.load()

        self.db_write(
            "prospects-promote", change_statuses, versions, "target", reason, today,
            then=done, failed=refused, undo=label,
        )  # fmt: skip

    # --- weights and the whole profile -----------------------------------------------------------

    def action_weights(self) -> None:
        from kamtui.screens.dialogs.form import FormField
        from kamtui.screens.dialogs.work_form import WorkFormDialog
        from kamtui.services.lookalike import FIELDS, MAX_WEIGHT, save_weight_form
        from kamtui.services.undo import form_label

        if not self.weights:
            return
        versions = {k: v for k, (_, v) in self.weights.items()}
        fields = [
            FormField(f.key, f"{f.label} (0–{MAX_WEIGHT})", str(self.weights[f.key][0]))
            for f in FIELDS
        ]
        labels = {f.key: f.label for f in FIELDS}
        before = {f.name: f.value for f in fields}

        def write(db: Any, values: dict[str, str]) -> Any:
            return save_weight_form(db, values, versions)

        def done(result: Any) -> None:
            if result is not None:
                self.notify("Weights kept: the look-alikes are ranked with them; ctrl+z undoes it.")
            self.load()

        dialog = WorkFormDialog(
            "Look-alike weights: how much each field counts", fields, write,
            undo=lambda values: form_label("look-alike weights", before, values, labels),
            work_name="prospects-weights",
        )  # fmt: skip
        self.app.push_screen(dialog, done)

    def action_profile(self) -> None:
        from kamtui.services.lookalike import profile_lines, too_few_text

        ranking = self.ranking
        if ranking is None:
            return
        p = ranking.profile
        lines = [f"What your {p.size} key accounts have in common", ""]
        if ranking.enough:
            lines += [f"  {line}" for line in profile_lines(p)]
        else:
            lines.append(too_few_text(p))
        row = self.table.cursor_row
        if row is not None and row.id in self.by_id:
            lines += ["", f"{row.name} ({row.status})" + (
                f": similarity {row.similarity:.0f}, rank {row.rank}" if row.similarity is not None else ""
            ), ""]  # fmt: skip
            lines += [f"  {r}" for r in ranking.explain(self.by_id[row.id])]
        weights = ", ".join(f"{k} {w}" for k, (w, _) in self.weights.items())
        lines += ["", f"Weights: {weights} (w changes them)"]
        self.app.push_screen(ProfileDialog("Key-account profile", "\n".join(lines)))


def nav_scroll_bindings() -> list[Binding]:
    return [
        Binding("down,j", "scroll(1)", "Down", show=False, id="prospects.profile.down"),
        Binding("up,k", "scroll(-1)", "Up", show=False, id="prospects.profile.up"),
        Binding(
            "pagedown", "scroll(10)", "Page down", show=False, id="prospects.profile.page_down"
        ),
        Binding("pageup", "scroll(-10)", "Page up", show=False, id="prospects.profile.page_up"),
    ]


class ProfileDialog(ModalScreen[None]):
    """The whole profile and the reasons of one account, as text that scrolls."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,p,q", "close", "Close", id="prospects.profile.close"),
        *nav_scroll_bindings(),
    ]
    DEFAULT_CSS = """
    ProfileDialog { align: center middle; }
    ProfileDialog > Vertical {
        width: 100; max-width: 98%; height: auto; max-height: 95%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    ProfileDialog VerticalScroll { height: auto; max-height: 40; }
    ProfileDialog .hint { color: $text-muted; }
    """

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.title_text = title
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text, markup=False)
            with VerticalScroll():
                yield Static(self.text, markup=False, id="profile-text")
            yield Static("escape: close · arrows scroll", classes="hint")

    def action_close(self) -> None:
        self.dismiss(None)

    def action_scroll(self, delta: int) -> None:
        self.query_one(VerticalScroll).scroll_relative(y=delta, animate=False)
