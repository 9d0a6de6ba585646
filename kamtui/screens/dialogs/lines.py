"""Edit a short list as lines of text (a checklist template): ctrl+s saves, escape cancels."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from kamtui.errors import KamError


class LinesDialog(ModalScreen[Any]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="lines.cancel"),
        Binding("ctrl+s", "save", "Save", id="lines.save"),
    ]
    DEFAULT_CSS = """
    LinesDialog { align: center middle; }
    LinesDialog > Vertical {
        width: 80; max-width: 98%; height: auto; max-height: 95%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    LinesDialog #title { text-style: bold; margin-bottom: 1; }
    LinesDialog TextArea { height: 12; }
    LinesDialog #error { color: $error; height: auto; }
    LinesDialog #hint { color: $text-muted; }
    """

    def __init__(self, title: str, lines: Sequence[str], save: Callable[[list[str]], Any]) -> None:
        super().__init__()
        self.title_text = title
        self.lines = list(lines)
        self.save = save

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text, id="title", markup=False)
            yield TextArea("\n".join(self.lines), id="lines", soft_wrap=True)
            yield Static("", id="error", markup=False)
            yield Static("ctrl+s: save · escape: cancel", id="hint")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def action_save(self) -> None:
        lines = self.query_one(TextArea).text.splitlines()
        try:
            result = self.save(lines)
        except KamError as exc:
            self.query_one("#error", Static).update(f"✗ {exc}")
            return
        self.dismiss(result)

    def action_cancel(self) -> None:
        self.dismiss(None)
