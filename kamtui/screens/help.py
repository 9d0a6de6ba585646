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
        Binding("j,down", "scroll(1)", "Down", show=False, id="help.down"),
        Binding("k,up", "scroll(-1)", "Up", show=False, id="help.up"),
        Binding("space,pagedown,ctrl+f", "page(1)", "Page down", show=False, id="help.page_down"),
        Binding("pageup,b,ctrl+b", "page(-1)", "Page up", show=False, id="help.page_up"),
        Binding("g,home", "edge(0)", "Top", show=False, id="help.top"),
        Binding("G,end", "edge(1)", "Bottom", show=False, id="help.bottom"),
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
            "`ctrl+p` opens the command palette: every action by name. In this help `j` / `k` "
            "scroll, `space` / `b` page, `g` / `G` go to the top / bottom; `escape` closes it.",
        ]
        with VerticalScroll():
            yield Markdown("\n".join(lines))

    @property
    def scroller(self) -> VerticalScroll:
        return self.query_one(VerticalScroll)

    def action_scroll(self, lines: int) -> None:
        self.scroller.scroll_relative(y=lines, animate=False)

    def action_page(self, direction: int) -> None:
        scroller = self.scroller
        scroller.scroll_relative(y=direction * max(1, scroller.size.height - 1), animate=False)

    def action_edge(self, end: int) -> None:
        if end:
            self.scroller.scroll_end(animate=False)
        else:
            self.scroller.scroll_home(animate=False)

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss()
