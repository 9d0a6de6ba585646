"""Ask for one line of text (a reason, a note). Escape cancels with None."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from kamtui.widgets.inputs import KamInput


class PromptDialog(ModalScreen[str | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="prompt.cancel")
    ]
    DEFAULT_CSS = """
    PromptDialog { align: center middle; }
    PromptDialog > Vertical {
        width: 70; max-width: 95%; height: auto; border: round $primary; background: $surface; padding: 0 1;
    }
    PromptDialog #question { margin-bottom: 1; }
    PromptDialog #error { color: $error; }
    PromptDialog #hint { color: $text-muted; }
    """

    def __init__(
        self, question: str, *, value: str = "", required: bool = False, placeholder: str = ""
    ) -> None:
        super().__init__()
        self.question = question
        self.value = value
        self.required = required
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question, id="question", markup=False)
            yield KamInput(self.value, placeholder=self.placeholder, id="answer")
            yield Static("", id="error")
            yield Static("enter: OK · escape: cancel", id="hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if self.required and not event.value.strip():
            self.query_one("#error", Static).update("Please write something (or escape to cancel).")
            return
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
