"""Help for the current view: what it is for and every key that works there."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Markdown


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close", id="help.close"),
    ]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 90%; max-width: 96; height: 90%; border: round $primary; background: $surface;
        padding: 0 1;
    }
    """

    def __init__(self, screen: Screen[Any]) -> None:
        super().__init__()
        self.for_screen = screen

    def compose(self) -> ComposeResult:
        from kamtui.app import KamApp

        app = self.app
        assert isinstance(app, KamApp)
        title = getattr(self.for_screen, "TITLE_TEXT", None) or type(self.for_screen).__name__
        lines = [
            f"# {title}",
            "",
            getattr(self.for_screen, "HELP", "") or "",
            "",
            "| keys | does |",
            "|---|---|",
        ]
        for command in app.commands_for(self.for_screen):
            lines.append(f"| `{command.keys_text}` | {command.help} |")
        lines += [
            "",
            "Views: " + " · ".join(f"`{v.key}` {v.title}" for v in app.views),
            "",
            "`ctrl+p` opens the command palette: every action by name. `escape` closes this help.",
        ]
        with VerticalScroll():
            yield Markdown("\n".join(lines))

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss()
