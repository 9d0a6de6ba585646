"""The account screen: profile, economics, contacts and history of one account.

Each profile field saves when you leave it or press enter. A bad value shows its message
beside the field and saves nothing; an edit made stale by another program is refused
with an offer to reload.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import (
    DataTable,
    Footer,
    Input,
    Label,
    Markdown,
    Static,
    TabbedContent,
    TabPane,
)

from kamtui import models as m
from kamtui.commands import Command, bindings
from kamtui.errors import KamError, NotFoundError, StaleError, ValidationError
from kamtui.money import format_amount
from kamtui.screens.account_reviews import AccountReviews
from kamtui.services import accounts as svc
from kamtui.services import records
from kamtui.services.economics import format_period, ratio
from kamtui.services.lifecycle import stage_history
from kamtui.widgets.account_plan import AccountPlan

PROFILE_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Identity", ("name", "external_id", "website", "industry", "country", "city", "parent", "owner")),
    (
        "Profile",
        (
            "employees", "annual_revenue_minor", "financial_situation", "infrastructure",
            "business_strategy", "incumbents",
        ),
    ),
    ("Why they buy", ("why_buy", "why_buy_note", "strength_of_position")),
    ("Reviews", ("review_cadence", "next_review")),
    ("Notes", ("notes",)),
)  # fmt: skip

COMMANDS: tuple[Command, ...] = (
    Command("account.back", "escape", "back", "Back", "Back", "Close the account (everything is saved)."),
    Command("account.status", "ctrl+t", "change_status", "Status", "Change status", "Change the status, with a reason.", key_display="^t"),
    Command("account.next_tab", "ctrl+pagedown,ctrl+right", "next_tab", "Next tab", "Next section", "Show the next section.", show=False),
    Command("account.prev_tab", "ctrl+pageup,ctrl+left", "prev_tab", "Prev tab", "Previous section", "Show the previous section.", show=False),
    Command("account.reload", "ctrl+r", "reload", "Reload", "Reload account", "Read the account again (drops unsaved typing).", show=False),
)  # fmt: skip


class RecordTable(DataTable[str]):
    """A short list of records on the account screen (periods, contacts), with n / e / d."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "add", "Add", id="record.add"),
        Binding("e,enter", "edit", "Edit", id="record.edit"),
        Binding("d", "remove", "Delete", id="record.delete"),
    ]

    def __init__(self, kind: str, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.kind = kind

    def action_add(self) -> None:
        self.screen.edit_record(self.kind, None)  # type: ignore[attr-defined]

    def action_edit(self) -> None:
        if self.row_count:
            key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
            self.screen.edit_record(self.kind, int(key or 0))  # type: ignore[attr-defined]

    def action_remove(self) -> None:
        if self.row_count:
            key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
            self.screen.remove_record(self.kind, int(key or 0))  # type: ignore[attr-defined]


class AccountScreen(Screen[bool]):
    TITLE_TEXT = "Account"
    HELP = (
        "One account, in sections: Profile (every field saves when you leave it or press "
        "enter; a bad value is explained beside the field and not saved), Economics (periods "
        "of revenue, cost to serve, gross profit and receivables: `n` add, `e` edit, `d` "
        "delete), Contacts (their people and our counterpart for each) and History (status "
        "changes with their reasons). `tab` moves between fields; `ctrl+pagedown` / "
        "`ctrl+pageup` between sections."
    )
    COMMANDS_LIST = COMMANDS
    BINDINGS: ClassVar[list[BindingType]] = bindings(COMMANDS)  # type: ignore[assignment]

    DEFAULT_CSS = """
    AccountScreen #head { height: auto; background: $panel; padding: 0 1; }
    AccountScreen #sections { height: 1fr; }
    AccountScreen TabPane { height: 1fr; padding: 0 1; }
    AccountScreen #head #title { text-style: bold; }
    AccountScreen .group { text-style: bold; margin-top: 1; color: $accent; }
    AccountScreen .row { height: 1; }
    AccountScreen .row Label { width: 26; padding: 0 1 0 0; color: $text-muted; }
    AccountScreen .row Input { width: 1fr; height: 1; border: none; padding: 0 1; background: $boost; }
    AccountScreen .row Input:focus { border-left: outer $accent; padding-left: 0; text-style: bold; }
    AccountScreen .error { color: $error; padding-left: 26; height: auto; display: none; }
    AccountScreen .error.shown { display: block; }
    AccountScreen .hint { color: $text-muted; padding-left: 26; height: auto; }
    AccountScreen RecordTable { height: 1fr; }
    AccountScreen .tab-hint { color: $text-muted; height: 1; }
    """

    def __init__(self, account_id: int) -> None:
        super().__init__()
        self.account_id = account_id
        self.account: m.Account | None = None
        self.saved: dict[str, str] = {}
        self.changed = False

    @property
    def db(self) -> Any:
        return self.app.db  # type: ignore[attr-defined]

    @property
    def today(self) -> Any:
        return self.app.today  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        with Vertical(id="head"):
            yield Static("", id="title", markup=False)
            yield Static("", id="subtitle", markup=False)
        with TabbedContent(id="sections"):
            with TabPane("Profile", id="profile"), VerticalScroll():
                for group, names in PROFILE_GROUPS:
                    yield Static(group, classes="group")
                    for name in names:
                        spec = svc.ACCOUNT_FIELDS[name]
                        with Horizontal(classes="row"):
                            yield Label(spec.label)
                            yield Input(id=f"f-{name}", placeholder=spec.help)
                        yield Static("", id=f"e-{name}", classes="error", markup=False)
            with TabPane("Economics", id="economics"):
                yield Static(
                    "n add · e edit · d delete · amounts in the database currency",
                    classes="tab-hint",
                )
                yield RecordTable("period", id="periods")
            with TabPane("Contacts", id="contacts"):
                yield Static(
                    "n add · e edit · d delete · counterpart: our person at the same level",
                    classes="tab-hint",
                )
                yield RecordTable("contact", id="contacts-table")
            with TabPane("Scores", id="scores"), VerticalScroll():
                from kamtui.screens.account_scores import ScorePane

                yield ScorePane(self.account_id, id="score-pane")
            with TabPane("Plan", id="plan"), VerticalScroll():
                yield AccountPlan(self.account_id, id="plan-text")
            with TabPane("Reviews", id="reviews"):
                yield AccountReviews(self.account_id, id="account-reviews")
            with TabPane("History", id="history"), VerticalScroll():
                yield Markdown("", id="history-text")
        yield Footer()

    def on_mount(self) -> None:
        periods = self.query_one("#periods", RecordTable)
        periods.add_columns(
            "Period", "Revenue", "Cost to serve", "Gross profit", "Receivables", "R/C"
        )
        contacts = self.query_one("#contacts-table", RecordTable)
        contacts.add_columns("Name", "Title", "Level", "E-mail", "Phone", "Our counterpart")
        self.load()
        self.query_one("#f-name", Input).focus()

    # --- loading -----------------------------------------------------------------------------------

    def load(self) -> None:
        try:
            account = svc.get_account(self.db, self.account_id)
        except NotFoundError as exc:
            self.notify(str(exc), severity="error")
            self.dismiss(True)
            return
        self.account = account
        lookups = svc.lookups_for(self.db, account)
        self.saved = {name: svc.field_text(account, name, lookups) for name in svc.ACCOUNT_FIELDS}
        for name, value in self.saved.items():
            self.query_one(f"#f-{name}", Input).value = value
            self._set_error(name, "")
        self._show_head()
        self._load_periods()
        self._load_contacts()
        self._load_history()

    def _show_head(self) -> None:
        a = self.account
        assert a is not None
        self.query_one("#title", Static).update(a.name)
        since = f" since {a.status_since.isoformat()}" if a.status_since else ""
        stage = f" · stage {a.stage}: {m.STAGES.get(a.stage, '')}" if a.stage else ""
        self.query_one("#subtitle", Static).update(
            f"Status: {a.status}{since}{stage}  (ctrl+t changes it)"
        )

    def _load_periods(self) -> None:
        table = self.query_one("#periods", RecordTable)
        table.clear()
        for p in records.list_periods(self.db, self.account_id):
            r = ratio(p.revenue_minor, p.cost_to_serve_minor)
            table.add_row(
                format_period(p.period_start, p.kind),
                format_amount(p.revenue_minor),
                format_amount(p.cost_to_serve_minor),
                format_amount(p.gross_profit_minor),
                format_amount(p.receivables_minor),
                f"{r:.1f}" if r is not None else "–",
                key=str(p.id),
            )

    def _load_contacts(self) -> None:
        table = self.query_one("#contacts-table", RecordTable)
        table.clear()
        for c, counterpart in records.list_contacts(self.db, self.account_id):
            table.add_row(
                c.name, c.title, c.level, c.email, c.phone, counterpart or "–", key=str(c.id)
            )

    def _load_history(self) -> None:
        lines = ["| when | change | reason |", "|---|---|---|"]
        for h in svc.status_history(self.db, self.account_id):
            change = (
                f"{h.old_status} → {h.new_status}" if h.old_status else f"created as {h.new_status}"
            )
            reason = h.reason.replace("|", "\\|")
            lines.append(f"| {h.changed_at:%Y-%m-%d %H:%M} | {change} | {reason} |")
        stages = ["| when | move | note |", "|---|---|---|"]
        for mv in stage_history(self.db, self.account_id):
            note = mv.note.replace("|", "\\|")
            stages.append(f"| {mv.moved_at:%Y-%m-%d %H:%M} | {mv.text} | {note} |")
        self.query_one("#history-text", Markdown).update(
            "## Status history\n\n"
            + "\n".join(lines)
            + "\n\n## Lifecycle stage moves\n\n"
            + ("\n".join(stages) if len(stages) > 2 else "None yet.")
        )

    # --- saving fields ------------------------------------------------------------------------------

    def _field_of(self, widget: Input) -> str | None:
        if widget.id and widget.id.startswith("f-"):
            return widget.id[2:]
        return None

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        name = self._field_of(event.input)
        if name and self.save_field(name):
            self.focus_next()

    def on_descendant_blur(self, event: Any) -> None:
        widget = event.widget if hasattr(event, "widget") else None
        if isinstance(widget, Input):
            name = self._field_of(widget)
            if name:
                self.save_field(name)

    def save_field(self, name: str) -> bool:
        """Save one field if it changed; True when the value is saved (or unchanged)."""
        if self.account is None:
            return False
        widget = self.query_one(f"#f-{name}", Input)
        value = widget.value
        if value == self.saved.get(name):
            self._set_error(name, "")
            return True
        try:
            assert self.account.version is not None
            if name == "review_cadence":  # a new cadence reschedules the next review
                from kamtui.services.reviews import set_schedule

                self.account = set_schedule(
                    self.db, self.account_id, self.account.version, {name: value}, self.today
                )
            else:
                self.account = svc.update_account(
                    self.db, self.account_id, self.account.version, {name: value}
                )
        except ValidationError as exc:
            self._set_error(name, f"✗ {exc.message} — not saved")
            return False
        except StaleError as exc:
            self._set_error(name, "✗ not saved: changed elsewhere")
            self._offer_reload(str(exc))
            return False
        except NotFoundError as exc:
            self.notify(str(exc), severity="error")
            return False
        self._set_error(name, "")
        lookups = svc.lookups_for(self.db, self.account)
        for shown in (name, "next_review") if name == "review_cadence" else (name,):
            self.saved[shown] = svc.field_text(self.account, shown, lookups)
            self.query_one(f"#f-{shown}", Input).value = self.saved[shown]
        self.changed = True
        self._show_head()
        self.notify(f"Saved {svc.ACCOUNT_FIELDS[name].label.lower()}.", timeout=1.5)
        return True

    def _set_error(self, name: str, message: str) -> None:
        error = self.query_one(f"#e-{name}", Static)
        error.update(message)
        error.set_class(bool(message), "shown")

    def flush(self) -> None:
        """Save valid typed-but-unsaved values (called on SIGHUP / SIGTERM / quit)."""
        for name in svc.ACCOUNT_FIELDS:
            try:
                if self.query_one(f"#f-{name}", Input).value != self.saved.get(name):
                    self.save_field(name)
            except KamError:
                continue

    @work(exclusive=True, group="stale")
    async def _offer_reload(self, message: str) -> None:
        from kamtui.screens.dialogs.confirm import ConfirmDialog

        question = f"{message.capitalize()}.\n\nReload it now? What you typed but did not save will be replaced."
        if await self.app.push_screen_wait(ConfirmDialog(question, yes="Reload", no="Not now")):
            self.load()

    def action_reload(self) -> None:
        self.load()

    # --- status ---------------------------------------------------------------------------------------

    def action_change_status(self) -> None:
        from kamtui.screens.dialogs.form import FormDialog, FormField

        if self.account is None:
            return
        account = self.account

        def save(values: dict[str, str]) -> m.Account:
            assert account.version is not None
            return svc.change_status(
                self.db, self.account_id, account.version, values["status"].strip().lower(),
                values["reason"], self.today,
            )  # fmt: skip

        def done(result: m.Account | None) -> None:
            if result is not None:
                self.account = result
                self.changed = True
                self._show_head()
                self._load_history()
                self.notify(f"Status is now {result.status}.")

        fields = [
            FormField(
                "status", f"New status (now {account.status})", placeholder=" / ".join(m.STATUSES)
            ),
            FormField("reason", "Reason (kept in the history)"),
        ]
        self.app.push_screen(FormDialog(f"Change the status of {account.name}", fields, save), done)

    # --- periods and contacts -------------------------------------------------------------------------

    def edit_record(self, kind: str, record_id: int | None) -> None:
        from kamtui.screens.dialogs.form import FormDialog, FormField

        fields: list[FormField]
        save: Callable[[dict[str, str]], Any]
        if kind == "period":
            existing = next(
                (p for p in records.list_periods(self.db, self.account_id) if p.id == record_id),
                None,
            )
            values = {
                "period": format_period(existing.period_start, existing.kind) if existing else "",
                "revenue_minor": format_amount(existing.revenue_minor, cents=True)
                if existing
                else "",
                "cost_to_serve_minor": format_amount(existing.cost_to_serve_minor, cents=True)
                if existing
                else "",
                "gross_profit_minor": format_amount(existing.gross_profit_minor, cents=True)
                if existing
                else "",
                "receivables_minor": format_amount(existing.receivables_minor, cents=True)
                if existing
                else "",
            }
            fields = [
                FormField(n, s.label, values[n], s.help) for n, s in records.PERIOD_FIELDS.items()
            ]
            version = existing.version if existing else None

            def save(v: dict[str, str]) -> Any:
                return records.save_period(self.db, self.account_id, record_id, version, v)

            title = "Edit period" if existing else "Add a period of economics"
            after = self._load_periods
        else:
            pair = next(
                (
                    (c, n)
                    for c, n in records.list_contacts(self.db, self.account_id)
                    if c.id == record_id
                ),
                None,
            )
            contact = pair[0] if pair else None
            values = {
                "name": contact.name if contact else "",
                "title": contact.title if contact else "",
                "level": contact.level if contact else "manager",
                "email": contact.email if contact else "",
                "phone": contact.phone if contact else "",
                "counterpart": pair[1] if pair else "",
            }
            fields = [
                FormField(n, s.label, values[n], s.help) for n, s in records.CONTACT_FIELDS.items()
            ]
            cversion = contact.version if contact else None

            def save(v: dict[str, str]) -> Any:
                return records.save_contact(self.db, self.account_id, record_id, cversion, v)

            title = "Edit contact" if contact else "Add a contact"
            after = self._load_contacts

        def done(result: Any) -> None:
            if result is not None:
                self.changed = True
                after()
                self.notify("Saved.")

        self.app.push_screen(FormDialog(title, fields, save), done)

    @work(exclusive=True, group="remove")
    async def remove_record(self, kind: str, record_id: int) -> None:
        from kamtui.screens.dialogs.confirm import ConfirmDialog

        what = "this period of economics" if kind == "period" else "this contact"
        if not await self.app.push_screen_wait(
            ConfirmDialog(f"Delete {what}?", yes="Delete", no="Keep")
        ):
            return
        if kind == "period":
            records.delete_period(self.db, record_id)
            self._load_periods()
        else:
            records.delete_contact(self.db, record_id)
            self._load_contacts()
        self.changed = True

    # --- navigation ---------------------------------------------------------------------------------

    def _switch_tab(self, step: int) -> None:
        tabs = self.query_one("#sections", TabbedContent)
        panes = [p.id for p in tabs.query(TabPane)]
        current = panes.index(tabs.active) if tabs.active in panes else 0
        tabs.active = panes[(current + step) % len(panes)] or ""

    def action_next_tab(self) -> None:
        self._switch_tab(1)

    def action_prev_tab(self) -> None:
        self._switch_tab(-1)

    def action_back(self) -> None:
        self.flush()
        self.dismiss(self.changed)
