"""The first screen on an empty database: what kam is, and three ways to begin."""

from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Markdown, Static

WELCOME = """\
# Welcome to kam

Key account management in your terminal: choose your key accounts on purpose, plan
them, review them — offline, from the keyboard, in one file you own.

* **d** — load the **demo portfolio** (300 accounts) to look around
* **n** — add your **first account** by hand
* **escape** — start with an empty database

To bring your accounts from Salesforce, HubSpot or a spreadsheet, quit (`q`) and run
`kam import FILE` (CSV or XLSX); `kam --help` lists every command.
"""


class WelcomeScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d", "demo", "Load demo", id="welcome.demo"),
        Binding("n", "new", "First account", id="welcome.new"),
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

    async def action_new(self) -> None:
        self.dismiss()
        await self.app.screen.run_action("new")

    def action_demo(self) -> None:
        self.query_one("#progress", Static).update("Building the demo portfolio…")
        self._build()

    @work(thread=True, exclusive=True, group="demo")
    def _build(self) -> None:
        from kamtui.services.demo import build_demo

        app = self.app
        build_demo(app.db, accounts=300, seed=7, today=app.today)  # type: ignore[attr-defined]
        app.call_from_thread(self._done)  # type: ignore[arg-type]

    async def _done(self) -> None:
        self.dismiss()
        await self.app.screen.run_action("reload")
        self.notify("Demo portfolio loaded: 300 accounts.")
