"""View 1: the dashboard — portfolio figures, the Pareto chart, and the early warnings as
a triage list (seed 004: monitor routinely, detect issues in time).

The figures are read first (one quick read), the warnings and the health scores after
(a few set-based queries); both in workers, so the view's first frame is there at once.
In the list `enter` opens the account, `a` makes an action for it, `z` snoozes the
warning until a date, `x` dismisses it with a reason (it comes back when its figures
change); `v` shows the snoozed and dismissed ones, `u` brings one back. Every triage is
saved at once and undone with ctrl+z.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.widgets import Input, Static

from kamtui.commands import Command, bindings
from kamtui.money import format_compact
from kamtui.screens.base import KamScreen
from kamtui.screens.dbwork import DbWork
from kamtui.services.early_warnings import RULE_TITLES, Alert, AlertBoard
from kamtui.services.portfolio import Portfolio, accounts_for, change_text, share_text
from kamtui.widgets.inputs import KamInput
from kamtui.widgets.table import Column, VirtualTable

SEVERITY = {1: "▲ high", 2: "● med", 3: "· low"}
TRIAGE = {"snoozed": "z snoozed", "dismissed": "x dismissed"}


def make_columns(health_of: Callable[[Alert], str]) -> tuple[Column[Alert], ...]:
    return (
        Column("account", "Account", 18, lambda a: a.account, lambda a: a.account.lower()),
        Column("severity", "Sev", 6, lambda a: SEVERITY.get(a.severity, ""), lambda a: a.severity,
               style=lambda a: "bold" if a.severity == 1 else None),
        Column("reason", "Warning", 30, lambda a: a.reason, lambda a: (a.rule, a.reason), flex=True),
        Column("health", "Health", 6, health_of, lambda a: health_of(a) or "~", align="right"),
        Column("triage", "Triage", 12, lambda a: _triage_text(a), lambda a: (a.triage, a.triage_note)),
    )  # fmt: skip


def _triage_text(a: Alert) -> str:
    if a.triage:
        return f"{TRIAGE[a.triage]} {a.triage_note}".strip()
    return "↺ back" if a.triage_note else ""


COMMANDS: tuple[Command, ...] = (
    Command("dashboard.open", "enter", "open", "Open", "Open account", "Open the account the warning names."),
    Command("dashboard.action", "a", "action", "Action", "New action for the account", "Make an action (attack plan) for the account the warning names."),
    Command("dashboard.snooze", "z", "snooze", "Snooze", "Snooze warning", "Hide the warning until a date (YYYY-MM-DD, or +7 for a week); ctrl+z undoes it."),
    Command("dashboard.dismiss", "x", "dismiss_warning", "Dismiss", "Dismiss warning", "Dismiss the warning with a reason; it comes back when its figures change. ctrl+z undoes it."),
    Command("dashboard.restore", "u", "restore", "Restore", "Show warning again", "Bring back a snoozed or dismissed warning."),
    Command("dashboard.hidden", "v", "toggle_hidden", "Snoozed", "Show snoozed and dismissed", "Show or hide the snoozed and dismissed warnings."),
    Command("dashboard.thresholds", "t", "thresholds", "Thresholds", "Warning thresholds", "Edit the thresholds of the warnings (kept in this database's settings)."),
    Command("dashboard.filter", "slash", "filter", "Filter", "Filter warnings", "Filter as you type: account, warning.", key_display="/"),
    Command("dashboard.clear", "escape", "clear_filter", "Clear", "Clear filter", "Clear the filter."),
    Command("dashboard.reload", "ctrl+r", "reload", "Reload", "Reload dashboard", "Read the figures and warnings again.", show=False),
)  # fmt: skip


def figures_text(pf: Portfolio | None, board: AlertBoard | None) -> str:
    """The figures panel as text (also what the snapshot tests read)."""
    if pf is None:
        return "Portfolio\n…"
    s = pf.statuses
    e = pf.exposure
    over = " ⚠ over" if pf.key_accounts > pf.capacity else ""
    ratio = f"{pf.ratio:.1f}" if pf.ratio is not None else "–"
    prev = f" (was {pf.ratio_prev:.1f})" if pf.ratio_prev is not None else ""
    lines = [
        f"[b]Portfolio[/b] · 4Q to {pf.window_end.isoformat()}",
        f"{sum(s.values()):,} accounts: ★{s['key']} key {s['customer']} cust "
        f"{s['target']} tgt {s['prospect']} pros {s['former']} fmr",
        f"Key accounts {pf.key_accounts} of capacity {pf.capacity}{over}",
        f"Revenue {format_compact(pf.revenue)} {change_text(pf.revenue, pf.revenue_prev)}"
        f" · GP {format_compact(pf.gross_profit)} "
        f"{change_text(pf.gross_profit, pf.gross_profit_prev)}",
        f"Revenue/cost {ratio}{prev}",
        f"Top 20 % ({pf.top20_count} of {pf.accounts_with_revenue}): rev "
        f"{share_text(pf.top20_revenue_share)} · GP {share_text(pf.top20_gross_profit_share)}",
        f"80 % of revenue from {accounts_for(pf.pareto_revenue)} accounts",
        f"Lose 5 of top 10: rev {share_text(e.revenue_min)}–{share_text(e.revenue_max)}",
        f"                  GP  {share_text(e.profit_min)}–{share_text(e.profit_max)}",
    ]
    if board is not None and board.key_health:
        scores = board.key_health
        weak = sum(1 for h in scores if h < 50)
        lines.append(f"♥ Health of key accounts: avg {sum(scores) // len(scores)}, {weak} below 50")
    return "\n".join(lines)


class DashboardScreen(DbWork, KamScreen):
    MODE = "dashboard"
    TITLE_TEXT = "Dashboard"
    HELP = (
        "The portfolio at a glance (seed 001: key accounts rest on the 80/20 rule — on "
        "profitability, not size). Revenue and gross profit (GP) are the Accounts view's "
        "“4Q” (the last four complete quarters), with their change against the four before. "
        "The **Pareto chart** ranks the accounts biggest first: the braille line is revenue, "
        "the dots gross profit, the flat line 80 %, the upright one the top 20 %. **Lose 5 of "
        "top 10** is the share lost with the 5 smallest (best case) to the 5 largest (worst "
        "case) of the top 10 (seed 003). The **warnings** name each account and the reason "
        "with its figures (reviews and actions overdue, revenue falling, receivables growing, "
        "a stage unchanged, a decision maker not contacted, a High threat or weakness with no "
        "action, over capacity, a key account below the threshold): `enter` opens the account, `a` makes an action, `z` snoozes until a "
        "date, `x` dismisses with a reason (it comes back when its figures change), `v` shows "
        "the snoozed and dismissed ones, `u` brings one back, `t` edits the thresholds. "
        "**Health** (♥ 0–100) adds up parts shown under the list for the account under the "
        "cursor. `kam alerts` prints the same warnings for a morning cron mail."
    )
    COMMANDS_LIST = COMMANDS
    BINDINGS: ClassVar[list[BindingType]] = bindings(COMMANDS)  # type: ignore[assignment]

    DEFAULT_CSS = """
    DashboardScreen #dash-top { height: 11; }
    DashboardScreen #figures { width: 52; padding: 0 1; }
    DashboardScreen #pareto { width: 1fr; }
    DashboardScreen #dash-info { height: auto; max-height: 2; padding: 0 1; }
    DashboardScreen #status-line { height: 1; background: $panel; color: $text-muted; padding: 0 1; }
    DashboardScreen #filter { dock: bottom; display: none; margin-bottom: 1; border: tall $accent; }
    DashboardScreen #filter.visible { display: block; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.portfolio: Portfolio | None = None
        self.board: AlertBoard | None = None
        self.show_hidden = False
        self.loaded = False
        self._away = False
        self.table: VirtualTable[Alert] = VirtualTable(
            make_columns(self._health_text),
            row_key=lambda a: a.key,
            search_text=lambda a: f"{a.account}\t{a.reason}\t{RULE_TITLES.get(a.rule, '')}",
            empty_text="Reading the warnings…",
            id="alerts",
        )
        self.chart: Any = None

    def compose(self) -> ComposeResult:
        from kamtui.widgets.pareto import make_chart

        self.chart = make_chart()
        yield from self.compose_bar()
        with Horizontal(id="dash-top"):
            yield Static(figures_text(None, None), id="figures")
            yield self.chart
        yield self.table
        yield Static("", id="dash-info")
        yield Static("", id="status-line")
        yield KamInput(placeholder="filter: account, warning — escape clears", id="filter")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.table.sort_by("severity")
        self.table.focus()
        self._fit(self.size.width, self.size.height)
        self.call_after_refresh(self.load)  # the first frame first, then the reads

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size.width, event.size.height)

    def _fit(self, width: int, height: int) -> None:
        """The figures and chart take about 40 % of the height (at least their 10 lines)."""
        top = max(11, min(18, height * 2 // 5))
        self.query_one("#dash-top").styles.height = top
        self.query_one("#figures").styles.width = 46 if width < 100 else 54

    def on_screen_suspend(self) -> None:
        self._away = True

    def on_screen_resume(self) -> None:
        if self._away:
            self._away = False
            self.load()

    # --- data ------------------------------------------------------------------------------

    def load(self) -> None:
        from kamtui.services.early_warnings import alert_board
        from kamtui.services.portfolio import portfolio

        today = self.kam.today
        self.db_read("dashboard-figures", portfolio, today, then=self._show_figures)
        self.db_read("dashboard-alerts", alert_board, today, then=self._show_board)

    def action_reload(self) -> None:
        self.load()

    def _show_figures(self, pf: Portfolio) -> None:
        from kamtui.widgets.pareto import draw

        self.portfolio = pf
        self.query_one("#figures", Static).update(figures_text(pf, self.board))
        draw(self.chart, pf.pareto_revenue, pf.pareto_profit)

    def _show_board(self, board: AlertBoard) -> None:
        self.board = board
        self.loaded = True
        self.query_one("#figures", Static).update(figures_text(self.portfolio, board))
        self._fill()

    def _fill(self) -> None:
        if self.board is None:
            return
        rows = [a for a in self.board.alerts if self.show_hidden or a.current]
        self.table.empty_text = (
            "No warnings: nothing overdue, no falling revenue. (v shows snoozed and dismissed.)"
        )
        self.table.set_rows(rows)
        self._update_status()
        self._update_info()
        self.refresh_bindings()

    def _health_text(self, a: Alert) -> str:
        if self.board is None or a.account_id is None:
            return ""
        h = self.board.health.get(a.account_id)
        return f"♥ {h.score}" if h is not None else ""

    def _update_status(self) -> None:
        if self.board is None:
            return
        alerts = self.board.alerts
        current = [a for a in alerts if a.current]
        counts: dict[str, int] = {}
        for a in current:
            counts[a.rule] = counts.get(a.rule, 0) + 1
        snoozed = sum(1 for a in alerts if a.triage == "snoozed")
        dismissed = sum(1 for a in alerts if a.triage == "dismissed")
        parts = [f"⚠ {len(current):,} warnings"]
        parts += [f"{RULE_TITLES.get(rule, rule)} {n:,}" for rule, n in counts.items()]
        hidden = f"{snoozed} snoozed, {dismissed} dismissed"
        parts.append(f"{hidden} (shown)" if self.show_hidden else f"{hidden} (v shows)")
        if self.table.filter_text:
            parts.append(f"filter “{self.table.filter_text}”: {self.table.row_count} shown")
        self.query_one("#status-line", Static).update(" · ".join(parts))

    def _update_info(self) -> None:
        """The health of the account under the cursor, with its parts."""
        a = self.table.cursor_row
        text = ""
        if a is not None and self.board is not None and a.account_id is not None:
            h = self.board.health.get(a.account_id)
            if h is not None:
                text = f"{a.account} ♥ {h.score}: {h.parts_text}"
        self.query_one("#dash-info", Static).update(text)

    @on(VirtualTable.CursorMoved)
    def _cursor_moved(self) -> None:
        self._update_info()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        row = self.table.cursor_row
        if action in ("open", "action"):
            return row is not None and row.account_id is not None
        if action in ("snooze", "dismiss_warning"):
            return row is not None and row.current
        if action == "restore":
            return row is not None and bool(row.triage)
        if action == "clear_filter":
            return bool(self.table.filter_text) or self.query_one("#filter").has_class("visible")
        return True

    # --- filter ------------------------------------------------------------------------------

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.add_class("visible")
        self.set_focus(box)
        self.refresh_bindings()

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.value = ""
        box.remove_class("visible")
        self.table.set_filter("")
        self.table.focus()
        self._update_status()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.table.set_filter(event.value)
        self._update_status()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.table.focus()

    def action_toggle_hidden(self) -> None:
        self.show_hidden = not self.show_hidden
        self._fill()

    # --- triage ------------------------------------------------------------------------------

    @on(VirtualTable.Selected)
    def _selected(self, event: VirtualTable.Selected) -> None:
        self.action_open()

    def action_open(self) -> None:
        from kamtui.screens.account import open_account

        row = self.table.cursor_row
        if row is not None and row.account_id is not None:
            open_account(self, row.account_id)

    def action_action(self) -> None:
        from kamtui.screens.dialogs.form import FormField
        from kamtui.screens.dialogs.work_form import WorkFormDialog
        from kamtui.services.plans import create_action
        from kamtui.services.undo import added_label

        row = self.table.cursor_row
        if row is None or row.account_id is None:
            return
        today, account = self.kam.today, row.account

        def write(db: Any, values: dict[str, str]) -> Any:
            return create_action(db, {**values, "account": account}, today)

        def done(result: Any) -> None:
            if result is not None:
                self.notify(f"Action added to {account}'s attack plan; ctrl+z undoes it.")
                self.load()

        fields = [
            FormField("title", "Action", placeholder=f"what to do about: {row.reason}"[:70]),
            FormField("due", "Due", placeholder="YYYY-MM-DD, optional"),
            FormField("owner", "Owner", placeholder="one of our people, optional"),
        ]
        dialog = WorkFormDialog(
            f"New action for {account}", fields, write,
            undo=lambda v: added_label(f"actions of {account}", v.get("title", "")),
            work_name="dashboard-action",
        )  # fmt: skip
        self.app.push_screen(dialog, done)

    def _triage(
        self,
        title: str,
        field: Any,
        write: Callable[[Any, dict[str, str]], Any],
        label: Callable[[dict[str, str]], Any],
        said: str,
    ) -> None:
        from kamtui.screens.dialogs.work_form import WorkFormDialog

        def done(result: Any) -> None:
            if result is not None:
                self.notify(f"{said}; ctrl+z undoes it.")
                self.load()

        dialog = WorkFormDialog(title, [field], write, undo=label, work_name="dashboard-triage")
        self.app.push_screen(dialog, done)

    def action_snooze(self) -> None:
        from kamtui.screens.dialogs.form import FormField
        from kamtui.services.early_warnings import snooze
        from kamtui.services.undo import UndoLabel

        row = self.table.cursor_row
        if row is None or not row.current:
            return
        today = self.kam.today
        self._triage(
            f"Snooze: {row.line}"[:76],
            FormField("until", "Until (YYYY-MM-DD, or +7 for a week)", "+7"),
            lambda db, v: snooze(db, row, v.get("until", ""), today),
            lambda v: UndoLabel(f"warning {row.line}"[:60], "shown", f"snoozed until {v.get('until', '')}"),
            f"Snoozed: {row.account}",
        )  # fmt: skip

    def action_dismiss_warning(self) -> None:
        from kamtui.screens.dialogs.form import FormField
        from kamtui.services.early_warnings import dismiss
        from kamtui.services.undo import UndoLabel

        row = self.table.cursor_row
        if row is None or not row.current:
            return
        self._triage(
            f"Dismiss: {row.line}"[:76],
            FormField("reason", "Reason (kept; it comes back when its figures change)", placeholder="why"),
            lambda db, v: dismiss(db, row, v.get("reason", "")),
            lambda v: UndoLabel(f"warning {row.line}"[:60], "shown", f"dismissed: {v.get('reason', '')}"),
            f"Dismissed: {row.account}",
        )  # fmt: skip

    def action_restore(self) -> None:
        from kamtui.services.early_warnings import restore
        from kamtui.services.undo import UndoLabel

        row = self.table.cursor_row
        if row is None or not row.triage:
            return

        def done(_: Any) -> None:
            self.notify(f"Shown again: {row.account}; ctrl+z undoes it.")
            self.load()

        label = UndoLabel(f"warning {row.line}"[:60], row.triage, "shown")
        self.db_write("dashboard-restore", restore, row.key, then=done, undo=label)

    def action_thresholds(self) -> None:
        from kamtui.services.early_warnings import get_thresholds

        self.db_read("dashboard-thresholds-read", get_thresholds, then=self._thresholds)

    def _thresholds(self, start: Any) -> None:
        from kamtui.screens.dialogs.form import FormField
        from kamtui.screens.dialogs.work_form import WorkFormDialog
        from kamtui.services.early_warnings import THRESHOLD_FIELDS, save_thresholds
        from kamtui.services.undo import form_label

        before = {n: str(getattr(start, n)) for n in THRESHOLD_FIELDS}
        fields = [FormField(n, s.label, before[n], s.help) for n, s in THRESHOLD_FIELDS.items()]
        labels = {n: s.label.split(" (")[0] for n, s in THRESHOLD_FIELDS.items()}

        def done(result: Any) -> None:
            if result is not None:
                self.notify("Warning thresholds saved; ctrl+z undoes it.")
                self.load()

        dialog = WorkFormDialog(
            "Warning thresholds (this database)", fields,
            lambda db, v: save_thresholds(db, start.version, v),
            undo=lambda v: form_label("the warning thresholds", before, v, labels),
            work_name="dashboard-thresholds", only_changed=True,
        )  # fmt: skip
        self.app.push_screen(dialog, done)
