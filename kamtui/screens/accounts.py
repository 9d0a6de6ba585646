"""View 2: every account in one fast table — filter as you type, sort, open, add, delete."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from functools import partial
from operator import attrgetter
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import Input, Static

from kamtui.commands import Command, bindings
from kamtui.money import format_compact
from kamtui.screens.base import KamScreen, TableSorting
from kamtui.screens.dbwork import DbWork
from kamtui.services.account_list import AccountRow, FirstPage
from kamtui.services.economics import format_period, last_four_quarters
from kamtui.stages import STAGE_SHORT, STAGES
from kamtui.widgets.inputs import KamInput
from kamtui.widgets.table import Column, VirtualTable

STATUS_MARK = {
    "key": "★ key",
    "former": "former",
    "customer": "customer",
    "target": "target",
    "prospect": "prospect",
}


def _money_style(value: int) -> str | None:
    return "italic" if value < 0 else None


def _ratio_text(r: AccountRow) -> str:
    ratio = r.ratio
    if ratio is None:
        return ""
    return f"{ratio:.1f}" if ratio < 100 else "99+"


COLUMNS: tuple[Column[AccountRow], ...] = (
    Column("name", "Name", 20, lambda r: r.name, lambda r: r.name.lower(), flex=True),
    Column("status", "Status", 8, lambda r: STATUS_MARK.get(r.status, r.status), lambda r: r.status),
    Column("stage", "Stage", 5, lambda r: str(r.stage) if r.stage else "", lambda r: r.stage, align="right"),
    Column(
        "revenue", "Rev 4Q", 7, lambda r: format_compact(r.revenue) if r.revenue else "",
        lambda r: r.revenue, align="right",
    ),
    Column(
        "profit", "GP 4Q", 7, lambda r: format_compact(r.profit) if r.revenue else "",
        lambda r: r.profit, align="right", style=lambda r: _money_style(r.profit),
    ),
    Column(
        "ratio", "R/C", 4, _ratio_text, lambda r: r.ratio, align="right",
        style=lambda r: "bold" if r.ratio is not None and r.ratio < 3 else None,
    ),
    Column("owner", "Owner", 12, lambda r: r.owner, lambda r: r.owner.lower() or None),
    Column("country", "Country", 11, lambda r: r.country, lambda r: r.country.lower() or None),
    Column("industry", "Industry", 13, lambda r: r.industry, lambda r: r.industry.lower() or None),
    Column(
        "next_review", "Next review", 11, lambda r: r.next_review.isoformat() if r.next_review else "",
        lambda r: r.next_review,
    ),
)  # fmt: skip


def _read_rows(db: Any, today: Any, first: Future[FirstPage] | None) -> list[AccountRow]:
    """Every row: the ones start-up read, if that was all of them; else read now (also
    when that read failed)."""
    from kamtui.services.account_list import list_rows

    if first is not None:
        try:
            page = first.result()
        except Exception:
            pass
        else:
            if page.complete:
                return page.rows
    return list_rows(db, today)


def search_text(r: AccountRow) -> str:
    """What the filter matches: the words shown in the row ("key", "stage 3" too), and
    the stage's name ("relationships grow") and its short name on the board ("grow")."""
    stage = f"\tstage {r.stage}\t{STAGES[r.stage]}\t{STAGE_SHORT[r.stage]}" if r.stage else ""
    return f"{r.name}\t{r.industry}\t{r.country}\t{r.owner}\t{r.status}{stage}"


NO_ACCOUNTS = "No accounts yet: press n to add one, or see kam import --help."


COMMANDS: tuple[Command, ...] = (
    Command("accounts.open", "enter", "open", "Open", "Open account", "Open the account under the cursor."),
    Command("accounts.new", "n", "new", "New", "New account", "Add an account."),
    Command("accounts.delete", "d", "delete", "Delete", "Delete account", "Delete the account (asks first)."),
    Command("accounts.filter", "slash", "filter", "Filter", "Filter accounts", "Filter as you type: name, industry, country, owner, status (key, target…) or stage (stage 3, relationships grow).", key_display="/"),
    Command("accounts.clear", "escape", "clear_filter", "Clear", "Clear filter", "Clear the filter."),
    Command("accounts.sort", "s", "sort_next", "Sort", "Sort by next column", "Sort by the next column."),
    Command("accounts.reverse", "S", "sort_reverse", "Reverse", "Reverse sort", "Reverse the sort direction.", show=False),
    Command("accounts.import", "i", "import_file", "Import", "Import accounts from a file", "Import accounts, contacts or economics from CSV/XLSX (Salesforce, HubSpot, spreadsheet), or restore a kam JSON dump: preview first, then confirm."),
    Command("accounts.export", "x", "export_all", "Export", "Export everything", "Export every table as a JSON dump, CSV files or an XLSX workbook (mode 0600)."),
    Command("accounts.reload", "ctrl+r", "reload", "Reload", "Reload accounts", "Read the accounts again from the database.", show=False),
)  # fmt: skip


class AccountsScreen(TableSorting, DbWork, KamScreen):
    SORT_BIGGEST_FIRST = ("revenue", "profit", "ratio", "stage", "health", "score", "rank")
    SORT_NOUN = "accounts"
    MODE = "accounts"
    TITLE_TEXT = "Accounts"
    HELP = (
        "Every account you know: prospects, targets, customers, key accounts and former key "
        "accounts. Revenue and gross profit (GP) are summed over the last four complete "
        "quarters; R/C is revenue divided by the cost to serve (bold below 3). Filter with `/`, "
        "sort with `s` (or click a heading; `S` reverses), open with `enter`. Each sort column "
        "is also in the command palette (`ctrl+p`, type *sort*)."
    )
    COMMANDS_LIST = COMMANDS
    BINDINGS: ClassVar[list[BindingType]] = bindings(COMMANDS)  # type: ignore[assignment]

    DEFAULT_CSS = """
    AccountsScreen #status-line { height: 1; background: $panel; color: $text-muted; padding: 0 1; }
    AccountsScreen #filter { dock: bottom; display: none; margin-bottom: 1; border: tall $accent; }
    AccountsScreen #filter.visible { display: block; }
    """

    def __init__(self) -> None:
        super().__init__()
        from kamtui.screens.accounts_health import HealthColumns

        self.health = HealthColumns(self)  # Health, Score, Rank: read after the first paint
        self.table: VirtualTable[AccountRow] = VirtualTable(
            (*COLUMNS, *self.health.columns),
            row_key=attrgetter("id"),
            search_text=search_text,
            empty_text="Loading accounts…",
            id="accounts",
        )
        self.loaded = False
        self._total: int | None = None  # of all accounts, while only the first page is in
        self._away = False
        self._had_row = False

    def compose(self) -> ComposeResult:
        yield from self.compose_bar()
        yield self.table
        yield Static("", id="status-line")
        yield KamInput(
            placeholder="filter: name, industry, country, owner, status, stage 3 — escape clears",
            id="filter",
        )
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.table.sort_by("revenue", reverse=True)
        self.set_focus(self.table)
        first = self.kam.take_first_rows(self.kam.today)
        if first is not None and first.done() and first.exception() is None:
            page = first.result()  # read during start-up: in the first frame
            self._show_rows(page.rows, total=page.total)
            if not page.complete:  # the rest once the first frame is out
                self.kam.after_first_frame(self.load)
        else:
            self.load(first)

    def on_screen_suspend(self) -> None:
        self._away = True

    def on_screen_resume(self) -> None:
        if self._away:  # back from another screen: what it changed shows (not on first show)
            self._away = False
            self.load()

    # --- data ----------------------------------------------------------------------------------

    def load(self, first: Future[FirstPage] | None = None) -> None:
        """Read every account's row (or wait for the ones start-up is reading)."""
        self.db_read("accounts-load", _read_rows, self.kam.today, first, then=self._show_rows)

    def _show_rows(self, rows: list[AccountRow], total: int | None = None) -> None:
        """Show ``rows``: all of them, or (``total`` given) the first page of ``total``."""
        self.table.empty_text = self._empty_text()
        self.table.set_rows(rows)
        self._total = total
        first_time = not self.loaded
        self.loaded = True
        self._update_status()
        if first_time:
            self.kam.maybe_welcome(len(rows) if total is None else total)
            # after the first paint: importing the ORM holds the interpreter for ~0.2 s
            self.set_timer(0.2, self._warm_orm)
            self.set_timer(0.3, self.health.load)
        else:
            self.health.load()

    @work(thread=True, exclusive=True, group="warm")
    def _warm_orm(self) -> None:
        """Import the ORM and the other views in the background, once the first screen is
        up, so the first edit and the first switch to another view are quick."""
        import importlib

        import kamtui.models
        import kamtui.services.records  # noqa: F401

        for view in self.kam.views:
            importlib.import_module(view.target.split(":")[0])

    def _update_status(self) -> None:
        start, end = last_four_quarters(self.kam.today)
        from kamtui.services.economics import add_months

        window = (
            f"{format_period(start, 'quarter')}–{format_period(add_months(end, -3), 'quarter')}"
        )
        shown, total = self.table.row_count, self.table.total_count
        if self._total is not None:  # the first page: the rest is being read
            total = self._total
            shown = shown if self.table.filter_text else total
        parts = [f"{shown:,} of {total:,} accounts" if shown != total else f"{total:,} accounts"]
        if self.table.filter_text:
            parts.append(f"filter “{self.table.filter_text}”")
        key, reverse = self.table.sort_column
        label = next((c.label for c in self.table.columns if c.key == key), None)
        if label:
            parts.append(f"sorted by {label} {'▼' if reverse else '▲'}")
        parts.append(f"4Q = {window}")
        self.query_one("#status-line", Static).update(" · ".join(parts))

    def refresh_account(self, account_id: int, then: Callable[[], None] | None = None) -> None:
        """Read one account's row again (after it was opened, added or changed)."""
        from kamtui.services.account_list import list_rows

        def show(rows: list[AccountRow]) -> None:
            self._show_one(account_id, rows)
            if then is not None:
                then()

        self.db_read(f"account-row-{account_id}", list_rows, self.kam.today, account_id, then=show)

    def _show_one(self, account_id: int, rows: list[AccountRow]) -> None:
        if rows:
            if self.table.has_key(account_id):
                self.table.update_row(rows[0])
            else:
                self.table.add_row(rows[0])
                self.table.move_to_key(account_id)
        else:
            self.table.remove_row(account_id)
        self._update_status()

    # --- filter and sort ------------------------------------------------------------------------

    def _empty_text(self) -> str:
        typed = self.table.filter_text
        return f"No account matches “{typed}” (escape clears the filter)." if typed else NO_ACCOUNTS

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.add_class("visible")
        box.display = True
        # focus now, not after a refresh: keys typed fast after / must reach the box
        self.set_focus(box)

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.value = ""
        box.remove_class("visible")
        box.display = False
        self.table.set_filter("")
        self.table.empty_text = self._empty_text()
        self.set_focus(self.table)
        self._update_status()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.table.set_filter(event.value)
        self.table.empty_text = self._empty_text()
        self._update_status()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.set_focus(self.table)

    def action_reload(self) -> None:
        self.load()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("open", "delete"):
            return self.table.cursor_row is not None
        if action == "clear_filter":
            return bool(self.table.filter_text) or self.query_one("#filter").has_class("visible")
        return True

    @on(VirtualTable.CursorMoved)
    def _cursor_moved(self) -> None:
        # Redrawing the footer costs more than moving the cursor: only when keys change.
        has_row = self.table.cursor_row is not None
        if has_row != self._had_row:
            self._had_row = has_row
            self.refresh_bindings()

    # --- open, new, delete ----------------------------------------------------------------------

    @on(VirtualTable.Selected)
    def _selected(self, event: VirtualTable.Selected) -> None:
        self.open_account(event.row.id)

    def action_open(self) -> None:
        row = self.table.cursor_row
        if row is not None:
            self.open_account(row.id)

    def open_account(self, account_id: int) -> None:
        from kamtui.screens.account import open_account

        def done(_: Any) -> None:
            self.refresh_account(account_id)

        open_account(self, account_id, done)

    def action_new(self) -> None:
        from kamtui.screens.dialogs.choices import spec_fields
        from kamtui.screens.dialogs.work_form import WorkFormDialog
        from kamtui.services.accounts import ACCOUNT_FIELDS, create_account
        from kamtui.services.undo import UndoLabel

        today = self.kam.today

        def write(db: Any, values: dict[str, str]) -> int:
            account = create_account(db, values, today=today)
            assert account.id is not None
            return account.id

        def undo(values: dict[str, str]) -> UndoLabel:
            return UndoLabel(f"account {values.get('name', '').strip()}", "not there", "added")

        def created(account_id: int | None) -> None:
            if account_id is not None:
                self.refresh_account(account_id, partial(self._open_new, account_id))
                self.notify("Added; ctrl+z takes it away again.")

        specs = {n: ACCOUNT_FIELDS[n] for n in ("name", "industry", "country", "city", "website")}
        fields = spec_fields(specs, {}, helps={"name": "Company name (required)"})
        dialog = WorkFormDialog("New account", fields, write, undo=undo, work_name="account-new")
        self.app.push_screen(dialog, created)

    def _open_new(self, account_id: int) -> None:
        self.table.move_to_key(account_id)  # even if a reload showed it first
        self.open_account(account_id)

    def action_delete(self) -> None:
        from kamtui.services.accounts import deletion_impact

        row = self.table.cursor_row
        if row is not None:
            self.db_read(
                "account-impact", deletion_impact, row.id, then=partial(self._ask_delete, row)
            )

    def _ask_delete(self, row: AccountRow, impact: list[str]) -> None:
        from kamtui.screens.dialogs.confirm import ConfirmDialog
        from kamtui.services.accounts import delete_account

        goes = f"\n\nWith it go: {', '.join(impact)}." if impact else ""
        question = f"Delete the account “{row.name}”?{goes}\n\nThis cannot be undone (kam backup makes a copy)."

        def gone(_: Any) -> None:
            self.table.remove_row(row.id)
            self._update_status()
            self.notify(f"Deleted {row.name}.")

        def answer(yes: bool | None) -> None:
            if yes:
                self.db_write("account-delete", delete_account, row.id, then=gone)

        self.app.push_screen(ConfirmDialog(question, yes="Delete", no="Keep"), answer)

    # --- import and export (issue 3) ----------------------------------------------------------

    def action_import_file(self) -> None:
        from kamtui.screens.dialogs.import_export import ImportDialog

        def done(plan: Any) -> None:
            if plan is not None:
                self.load()
                self.notify(
                    f"Imported {plan.path.name}: {plan.counts_text()}.".replace(" to ", " ")
                )

        self.app.push_screen(ImportDialog(self.kam.db, self.kam.today), done)

    def action_export_all(self) -> None:
        from kamtui.screens.dialogs.import_export import ExportDialog

        def done(result: Any) -> None:
            if result is not None:
                self.notify(f"Exported {result[1]:,} rows to {result[0]}")

        self.app.push_screen(ExportDialog(self.kam.db, self.kam.today), done)
