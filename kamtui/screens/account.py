"""The account screen: one account, read first, edited on purpose.

It opens in *view* mode: the head line says what the account is (status, stage, owner)
and the Profile lists every field as text on one Line-API widget. The cursor moves with
the arrows, `j` / `k`, `g` / `G` and the page keys; `enter` or `e` opens one editor on
the field under the cursor (`enter` saves, `escape` cancels). A bad value keeps the editor
open with the reason beside it; a busy database keeps it open with the typed value, so
`enter` again saves it; an edit made stale by another program is refused with an offer to
reload. Keys typed while the account is still loading reach nothing.

The other sections (Economics, Contacts, Scores, Plan, Reviews, History) are built when
their tab is first shown. All database work goes through the worker boundary
(``DbWork``): reads in named thread workers, writes on the app's writer thread with an
undo label, results back as plain data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, cast

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Container
from textual.screen import Screen
from textual.widgets import ContentSwitcher, DataTable, Static

from kamtui import models as m
from kamtui.commands import Command, bindings
from kamtui.errors import KamError, NotFoundError, StaleError, ValidationError
from kamtui.screens.account_section import HistorySection, PlanSection, Section
from kamtui.screens.dbwork import DbWork
from kamtui.services import accounts as svc
from kamtui.services.fields import max_length_of, parse_value
from kamtui.services.undo import UndoLabel
from kamtui.widgets.fields import Field, FieldEditor, FieldList
from kamtui.widgets.footer import KeyFooter
from kamtui.widgets.picker import Picker
from kamtui.widgets.sections import SectionBar

if TYPE_CHECKING:
    from textual.widget import Widget

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

# Fields whose allowed values are a fixed list: shown beside the editor, and completed.
CHOICES: dict[str, tuple[str, ...]] = {
    "why_buy": m.WHY_BUY,
    "review_cadence": m.CADENCES,
    "strength_of_position": ("1", "2", "3", "4", "5"),
}

SECTIONS = (
    "profile", "economics", "contacts", "relationships", "log", "scores", "swot", "buying",
    "plan", "reviews", "history",
)  # fmt: skip
SECTION_TITLES = {"swot": "SWOT", "buying": "Buying map"}  # the others: capitalised

# What each section is for and its keys: the F1 / ? help is built from this, so a section
# cannot be added without its help (a test checks every section is described).
SECTION_HELP = {
    "profile": "every field as text. `enter` or `e` edits the field under the cursor "
    "(`enter` saves, `escape` cancels; choice, owner and parent fields list their values, "
    "`↑` `↓` choose); a bad value is explained beside it and not saved.",
    "economics": "periods of revenue, cost to serve, gross profit and receivables: `n` add, "
    "`e` / `enter` edit, `d` delete.",
    "contacts": "the people at the account: `n` add, `e` / `enter` edit, `d` delete.",
    "relationships": "who is who on their side and ours: `v` switches list / org tree / "
    "peer coverage grid; `e` edits role, stance, influence, reports-to, counterpart and "
    "strength.",
    "log": "meetings, calls and e-mails: `n` add, `e` edit, `d` delete, `a` turns a "
    "follow-up into an action.",
    "scores": "the account's score on each criterion of the active scoring model (the same "
    "total as the Matrix and the lifecycle card's ◆).",
    "swot": "strengths, weaknesses, opportunities, threats: `tab` next quadrant, `n` add, "
    "`e` edit, `d` delete, `+` / `-` priority, `a` turns an item into an action.",
    "buying": "their buying process against our selling process: `n` add, `e` edit, "
    "`d` delete, `<` / `>` reorder, `t` apply a template, `T` save as a template.",
    "plan": "the one-page account plan (objectives, actions, SWOT, buying map) that "
    "`kam plan` prints.",
    "reviews": "past and next reviews: `o` opens the review, `v` records value delivered.",
    "history": "status changes and lifecycle stage moves, with their notes.",
}


def account_help() -> str:
    """The account screen's help: how to move and edit, then every section in order."""
    intro = (
        "One account, read first: nothing changes until you ask. Move with the arrows, "
        "`j` / `k`, `g` / `G` and the page keys; `ctrl+pagedown` / `ctrl+pageup` switch "
        "sections (or click a name); `ctrl+t` changes the status; `ctrl+z` undoes a saved "
        "change. The sections:"
    )
    items = [
        f"* **{SECTION_TITLES.get(key, key.capitalize())}** — {SECTION_HELP[key]}"
        for key in SECTIONS
    ]
    return "\n".join([intro, "", *items])


COMMANDS: tuple[Command, ...] = (
    Command("account.back", "escape", "back", "Back", "Back", "Close the account (everything is saved)."),
    Command("account.status", "ctrl+t", "change_status", "Status", "Change status", "Change the status, with a reason.", key_display="^t"),
    Command("account.next_tab", "ctrl+pagedown", "next_tab", "Next tab", "Next section", "Show the next section.", show=False, priority=True),
    Command("account.prev_tab", "ctrl+pageup", "prev_tab", "Prev tab", "Previous section", "Show the previous section.", show=False, priority=True),
    Command("account.reload", "ctrl+r", "reload", "Reload", "Reload account", "Read the account again.", show=False),
)  # fmt: skip

# Keys that still work while the account loads (none of them can change data).
_PASS_WHILE_LOADING = ("escape", "ctrl+q", "ctrl+c", "ctrl+p")


def save_account_field(
    db: Any, account_id: int, version: int, name: str, typed: str, today: dt.date
) -> svc.AccountView:
    """The write behind one field edit (runs on the writer thread); the account as now."""
    if name == "review_cadence":  # a new cadence reschedules the next review
        from kamtui.services.reviews import set_schedule

        set_schedule(db, account_id, version, {name: typed}, today)
    else:
        svc.update_account(db, account_id, version, {name: typed})
    return svc.account_view(db, account_id)


def _head(view: svc.AccountView) -> Text:
    head = Text(view.name, style="bold", no_wrap=True, overflow="ellipsis")
    head.append("\n")
    head.append(view.head)
    return head


def open_account(
    host: DbWork, account_id: int, done: Callable[[bool | None], None] | None = None
) -> None:
    """Read the account off the UI thread, then push its screen with the fields in its
    first frame (one frame, like a screen of plain text). Keys typed during the read go
    nowhere: they were meant for the account, not for the view it is opened from."""
    node = cast("Widget", host)
    app = node.app
    held = app.hold_keys()  # type: ignore[attr-defined]

    def show(view: svc.AccountView) -> None:
        app.release_keys(held)  # type: ignore[attr-defined]
        app.push_screen(AccountScreen(account_id, view), done)

    def failed(exc: KamError) -> None:
        app.release_keys(held)  # type: ignore[attr-defined]
        app.notify(str(exc), severity="error")

    host.db_read("account-open", svc.account_view, account_id, then=show, failed=failed)


class AccountScreen(DbWork, Screen[bool]):
    TITLE_TEXT = "Account"
    HELP = account_help()
    COMMANDS_LIST = COMMANDS
    BINDINGS: ClassVar[list[BindingType]] = bindings(COMMANDS)  # type: ignore[assignment]
    AUTO_FOCUS = None  # nothing takes keys until the account is shown

    DEFAULT_CSS = """
    AccountScreen #head { height: 2; background: $panel; padding: 0 1; }
    AccountScreen #panes { height: 1fr; }
    AccountScreen #panes > Container { height: 1fr; }
    AccountScreen #profile { padding: 0 1; layers: base editor; }
    """

    def __init__(self, account_id: int, view: svc.AccountView | None = None) -> None:
        """``view``: the account, already read (see :func:`open_account`), so its fields
        are in the screen's first frame; without it the screen reads it first."""
        super().__init__()
        self.account_id = account_id
        self._read_before = view
        self.view: svc.AccountView | None = None
        self.editor: FieldEditor | None = None
        self.saving = False
        self.changed = False
        self._built: set[str] = {"profile"}

    @property
    def today(self) -> dt.date:
        return self.app.today  # type: ignore[attr-defined]

    @property
    def fields(self) -> FieldList:
        return self.query_one("#fields", FieldList)

    def compose(self) -> ComposeResult:
        known = self._read_before
        yield Static(_head(known) if known else "Loading the account…", id="head")
        yield SectionBar(
            [(key, SECTION_TITLES.get(key, key.capitalize())) for key in SECTIONS], id="sections"
        )
        with ContentSwitcher(initial="profile", id="panes"), Container(id="profile"):
            yield FieldList(id="fields")
        yield KeyFooter()

    def on_mount(self) -> None:
        if self._read_before is not None:
            self._show_view(self._read_before)
            self._read_before = None
        else:
            self.load_view()

    # --- loading --------------------------------------------------------------------------------

    def on_key(self, event: events.Key) -> None:
        """Until the account is shown, keys reach nothing (they were meant for the view
        before, or typed ahead blind)."""
        if self.view is None and event.key not in _PASS_WHILE_LOADING:
            event.stop()
            event.prevent_default()

    def load_view(self) -> None:
        self.db_read(
            "account-view",
            svc.account_view,
            self.account_id,
            then=self._show_view,
            failed=self._view_failed,
        )

    def _view_failed(self, exc: KamError) -> None:
        self.notify(str(exc), severity="error")
        if isinstance(exc, NotFoundError) and self.view is None:
            self.dismiss(self.changed)

    def _show_view(self, view: svc.AccountView) -> None:
        first = self.view is None
        self.view = view
        if not first or self._read_before is None:  # composed with it otherwise
            self.query_one("#head", Static).update(_head(view))
        fields = self.fields
        if first:
            fields.set_groups(
                [(group, [self._field(n, view) for n in names]) for group, names in PROFILE_GROUPS]
            )
            if self.focused is None:
                fields.focus()
        else:
            fields.update_values(view.fields)

    def _field(self, name: str, view: svc.AccountView) -> Field:
        return Field(name, svc.ACCOUNT_FIELDS[name].label, view.fields[name])

    def data_changed(self) -> None:
        """Called by the app after an undo / redo: read everything shown again."""
        self.load_view()
        for section in self.query(Section):
            section.load()

    def action_reload(self) -> None:
        self.data_changed()

    @on(Section.Changed)
    def _section_changed(self, event: Section.Changed) -> None:
        self.changed = True
        self.load_view()  # a review started or values added can move the next review

    # --- editing one field -----------------------------------------------------------------------

    @on(FieldList.EditRequested)
    def _edit_requested(self, event: FieldList.EditRequested) -> None:
        event.stop()
        self.open_editor(event.name)

    def open_editor(self, name: str) -> None:
        if self.view is None:
            return
        if self.editor is not None:
            if self.editor.field.name != name:
                self.notify(
                    f"Finish editing {self.editor.field.label.lower()} first: "
                    "enter saves, escape cancels.",
                    severity="warning",
                )
            self.set_focus(self.editor.input)
            return
        fields = self.fields
        fields.select(name)
        listed = name in CHOICES or name in ("owner", "parent")
        lines = 4 + (Picker.HEIGHT if listed else 0)
        fields.make_room(lines)
        y = self._editor_row(name, lines)
        spec = svc.ACCOUNT_FIELDS[name]
        editor = FieldEditor(
            Field(name, spec.label, self.view.fields[name]),
            hint=self._hint(name),
            suggestions=CHOICES.get(name, ()),
            strict=listed,
            max_length=max_length_of(spec),
            label_width=fields.label_width,
            id="field-editor",
        )
        editor.styles.offset = (0, y)
        self.editor = editor
        self.query_one("#profile").mount(editor)
        if name in ("owner", "parent"):
            reader = svc.person_names if name == "owner" else svc.account_names
            self.db_read(f"names-{name}", reader, then=lambda names: self._names(editor, names))

    def _editor_row(self, name: str, lines: int) -> int:
        """The line of the field on screen, scrolled so the editor's ``lines`` fit."""
        fields = self.fields
        region = fields.region_of(name)
        height = fields.scrollable_content_region.height
        if region is None or region.y > height - lines:
            target = fields.line_of(name)
            fields.scroll_to(
                y=max(0, target - max(0, height - lines)), animate=False, immediate=True
            )
            region = fields.region_of(name)
        return region.y if region is not None else 0

    def _hint(self, name: str) -> str:
        spec = svc.ACCOUNT_FIELDS[name]
        keys = "enter saves · escape cancels"
        if name in CHOICES:  # the values are listed under the input
            empty = " (or empty)" if name == "why_buy" else ""
            return f"{spec.help or 'one of the values listed'}{empty} · ↑↓ choose · {keys}"
        if name == "owner":
            return f"one of our people (ctrl+o edits the team) · ↑↓ choose · {keys}"
        if name == "parent":
            return f"another account, or empty · ↑↓ choose · {keys}"
        return f"{spec.help} · {keys}" if spec.help else keys

    def _names(self, editor: FieldEditor, names: list[str]) -> None:
        if editor is not self.editor or not editor.is_mounted:
            return
        editor.set_suggestions(names)
        if editor.field.name == "owner" and names:
            shown = ", ".join(names[:8]) + (", …" if len(names) > 8 else "")
            editor.set_hint(f"one of: {shown} · enter saves · escape cancels")

    @on(FieldEditor.Cancelled)
    def _editor_cancelled(self, event: FieldEditor.Cancelled) -> None:
        """Escape: close the editor; a value that was refused is only thrown away once
        the user says so (it stays, with its message, until fixed or discarded)."""
        event.stop()
        editor = event.editor
        if not editor.message or self.view is None:
            self.close_editor()
            return
        from kamtui.screens.dialogs.confirm import ConfirmDialog

        def answer(discard: bool | None) -> None:
            if discard and editor is self.editor:
                self.close_editor()

        shown = editor.value if len(editor.value) <= 60 else editor.value[:59] + "…"
        question = (
            f"“{shown}” was not saved:\n{editor.message.lstrip('✗ ')}\n\n"
            f"Discard it and keep {editor.field.label.lower()} as it was?"
        )
        self.app.push_screen(ConfirmDialog(question, yes="Discard", no="Keep editing"), answer)

    @on(FieldEditor.Submitted)
    def _editor_submitted(self, event: FieldEditor.Submitted) -> None:
        event.stop()
        self.save_editor()

    def close_editor(self) -> None:
        editor, self.editor = self.editor, None
        if editor is not None:
            editor.remove()
        self.fields.make_room(0)
        self.set_focus(self.fields)

    def save_editor(self) -> None:
        """Save the open editor's value (through the writer); it closes once saved."""
        editor, view = self.editor, self.view
        if editor is None or view is None or self.saving:
            return
        name, typed = editor.field.name, editor.value
        old = view.fields[name]
        if typed == old:
            self.close_editor()
            return
        spec = svc.ACCOUNT_FIELDS[name]
        try:
            parse_value(spec, typed)  # the quick check; cross-record rules come back below
        except ValidationError as exc:
            editor.show_message(f"✗ {exc.message} — not saved")
            return
        self.saving = True
        editor.show_message("")
        who = typed.strip() if name == "name" else view.name
        self.db_write(
            "account-save",
            save_account_field,
            self.account_id,
            view.version,
            name,
            typed,
            self.today,
            then=lambda saved: self._field_saved(editor, saved),
            failed=lambda exc: self._field_failed(editor, exc),
            undo=UndoLabel(f"{spec.label.lower()} of {who}", old, typed.strip()),
        )

    def _field_saved(self, editor: FieldEditor, view: svc.AccountView) -> None:
        self.saving = False
        self.changed = True
        if editor is self.editor:
            self.close_editor()
        self._show_view(view)
        label = editor.field.label.lower()
        self.notify(f"Saved {label}; ctrl+z undoes it.", timeout=2)

    def _field_failed(self, editor: FieldEditor, exc: KamError) -> None:
        self.saving = False
        if editor is not self.editor:  # cancelled meanwhile: nothing was saved
            self.notify(f"{exc}", severity="error")
            return
        if isinstance(exc, ValidationError):
            editor.show_message(f"✗ {exc.message} — not saved")
        elif isinstance(exc, StaleError):
            editor.show_message("✗ not saved: changed elsewhere")
            self._offer_reload(str(exc))
        elif isinstance(exc, NotFoundError):
            editor.show_message(f"✗ {exc}")
            self.notify(str(exc), severity="error")
        else:  # busy, and anything else a user can meet: the typed value stays
            editor.show_message(f"✗ {exc}")

    def _offer_reload(self, message: str) -> None:
        from kamtui.screens.dialogs.confirm import ConfirmDialog

        def answer(yes: bool | None) -> None:
            if yes:
                if self.editor is not None:
                    self.close_editor()
                self.data_changed()

        question = (
            f"{message.capitalize()}.\n\nReload it now? What you typed but did not save "
            "will be replaced."
        )
        self.app.push_screen(ConfirmDialog(question, yes="Reload", no="Not now"), answer)

    def flush(self) -> None:
        """Save the open editor's valid typed value (called on SIGHUP / SIGTERM / quit).

        This is the exit path: it runs synchronously, not through the writer."""
        editor, view = self.editor, self.view
        if editor is None or view is None:
            return
        name, typed = editor.field.name, editor.value
        if typed == view.fields[name]:
            return
        try:
            parse_value(svc.ACCOUNT_FIELDS[name], typed)
            save_account_field(
                self.app.db,  # type: ignore[attr-defined]
                self.account_id,
                view.version,
                name,
                typed,
                self.today,
            )
        except KamError:
            return

    # --- status ----------------------------------------------------------------------------------

    def action_change_status(self) -> None:
        from kamtui.screens.dialogs.form import FormField
        from kamtui.screens.dialogs.work_form import WorkFormDialog

        view = self.view
        if view is None:
            return
        account_id, version, today = self.account_id, view.version, self.today

        def write(db: Any, values: dict[str, str]) -> Any:
            return svc.change_status(
                db, account_id, version, values["status"].strip().lower(), values["reason"], today
            )

        def undo(values: dict[str, str]) -> UndoLabel:
            return UndoLabel(
                f"status of {view.name}", view.status, values["status"].strip().lower()
            )

        def done(result: Any) -> None:
            if result is not None:
                self.changed = True
                self.data_changed()
                self.notify(f"Status is now {result.status}; ctrl+z undoes it.")

        fields = [
            FormField(
                "status", f"New status (now {view.status})", placeholder=" / ".join(m.STATUSES)
            ),
            FormField("reason", "Reason (kept in the history)"),
        ]
        dialog = WorkFormDialog(
            f"Change the status of {view.name}", fields, write, undo=undo, work_name="status"
        )
        self.app.push_screen(dialog, done)

    # --- sections -----------------------------------------------------------------------------------

    @on(SectionBar.Activated)
    def _section_activated(self, event: SectionBar.Activated) -> None:
        """Show a section; build it (and start its read) the first time."""
        panes = self.query_one("#panes", ContentSwitcher)
        key = event.section
        if key not in self._built:
            self._built.add(key)
            pane = Container(id=key)
            section = self._make_section(key)
            panes.mount(pane)
            panes.current = key
            if section is not None:
                pane.mount(section)
                self.call_after_refresh(self._focus_section, section)
            return
        panes.current = key
        if key == "profile":
            self.set_focus(self.fields if self.editor is None else self.editor.input)
        else:
            for section in panes.query_one(f"#{key}").query(Section):
                self._focus_section(section)

    def _focus_section(self, section: Section) -> None:
        target = next(iter(section.query(DataTable)), None)
        self.set_focus(target or section)

    def _make_section(self, pane_id: str) -> Section | None:
        if pane_id in ("economics", "contacts"):
            from kamtui.screens.account_records import RecordsSection

            kind = "period" if pane_id == "economics" else "contact"
            return RecordsSection(self.account_id, kind, id=f"{pane_id}-section")
        if pane_id == "scores":
            from kamtui.screens.account_scores import ScoresSection

            return ScoresSection(self.account_id, id="scores-section")
        if pane_id == "plan":
            return PlanSection(self.account_id, id="plan-section")
        if pane_id == "reviews":
            from kamtui.screens.account_reviews import AccountReviews

            return AccountReviews(self.account_id, id="account-reviews")
        if pane_id == "history":
            return HistorySection(self.account_id, id="history-section")
        if pane_id in ("swot", "buying", "relationships", "log"):
            from kamtui.screens.account_plan_parts import make_part

            return make_part(pane_id, self.account_id)
        return None

    def _switch_tab(self, step: int) -> None:
        self.query_one("#sections", SectionBar).step(step)

    def action_next_tab(self) -> None:
        self._switch_tab(1)

    def action_prev_tab(self) -> None:
        self._switch_tab(-1)

    def action_back(self) -> None:
        self.flush()
        self.dismiss(self.changed)
