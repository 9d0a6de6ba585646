"""Pick a rating 1–5 with one key; escape cancels (None)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static


class RatingDialog(ModalScreen[int | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        *(Binding(str(n), f"pick({n})", str(n), show=False, id=f"rating.{n}") for n in range(1, 6)),
        Binding("escape", "pick(0)", "Cancel", id="rating.cancel"),
    ]
    DEFAULT_CSS = """
    RatingDialog { align: center middle; }
    RatingDialog > Vertical {
        width: 50; max-width: 95%; height: auto; border: round $primary; background: $surface;
        padding: 0 1;
    }
    RatingDialog #question { text-style: bold; margin-bottom: 1; }
    RatingDialog #hint { color: $text-muted; margin-top: 1; }
    """

    def __init__(self, question: str, labels: Mapping[int, str], current: int | None) -> None:
        super().__init__()
        self.question = question
        self.labels = dict(labels)
        self.current = current

    def compose(self) -> ComposeResult:
        lines = [
            f"{'▶' if n == self.current else ' '} {n}  {'★' * n}{'☆' * (5 - n)}  {label}"
            for n, label in sorted(self.labels.items())
        ]
        with Vertical():
            yield Static(self.question, id="question", markup=False)
            yield Static("\n".join(lines), id="choices", markup=False)
            yield Static("press 1–5 · escape: cancel", id="hint")

    def action_pick(self, value: int) -> None:
        self.dismiss(value or None)
