"""The first screen on an empty database: what kam is, and three ways to begin."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Markdown, Static

from kamtui.errors import KamError
from kamtui.screens.dbwork import DbWork

WELCOME = """\
# Welcome to kam

Key account management in your terminal: choose your key accounts on purpose, plan
them, review them — offline, from the keyboard, in one file you own.

* **d** — load the **demo portfolio** (300 accounts) to look around
* **n** — add your **first account** by hand
* **i** — **import** your accounts from Salesforce, HubSpot or a spreadsheet
  (CSV or XLSX): a preview shows what will change before anything is saved
* **escape** — start with an empty database

`?` lists every key once you are in; `kam --help` lists the commands.
"""


class WelcomeScreen(DbWork, ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d", "demo", "Load demo", id="welcome.demo"),
        Binding("n", "new", "First account", id="welcome.new"),
        Binding("i", "import_file", "Import", id="welcome.import"),
        Binding("escape", "close", "Start empty", id="welcome.close"),
    ]
    DEFAULT_CSS = """
    WelcomeScreen { align: center middle; }
    WelcomeScreen > Vertical {
        width: 80; max-width: 98%; height: auto; max-height: 98%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    WelcomeScreen #progress { color: $text-muted; height: auto; }
    """

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Markdown(WELCOME)
            yield Static("", id="progress")

    def action_close(self) -> None:
        self.dismiss()

    async def action_import_file(self) -> None:
        """i: the Accounts view's import dialog, as its own `i` opens it."""
        self.dismiss()
        await self.app.screen.run_action("import_file")

    async def action_new(self) -> None:
        self.dismiss()
        await self.app.screen.run_action("new")

    building = False

    def action_demo(self) -> None:
        """Build the demo on the writer thread (one transaction, so a busy database
        leaves nothing half-built). Not undoable: it is written with Core statements,
        which the undo journal does not see."""
        from kamtui.services.demo import build_demo

        if self.building:
            return
        self.building = True
        self.query_one("#progress", Static).update("Building the demo portfolio…")
        today = self.app.today  # type: ignore[attr-defined]

        def build(db: Any) -> None:
            build_demo(db, accounts=300, seed=7, today=today)

        self.db_write("demo", build, then=self._built, failed=self._refused)

    def _built(self, _: None) -> None:
        self.app.call_later(self._done)

    def _refused(self, exc: KamError) -> None:
        self.building = False
        self.query_one("#progress", Static).update(f"Demo not loaded: {exc}")

    async def _done(self) -> None:
        self.dismiss()
        await self.app.screen.run_action("reload")
        self.notify("Demo portfolio loaded: 300 accounts.")
