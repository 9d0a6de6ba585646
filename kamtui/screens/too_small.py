"""Shown instead of a view while the terminal is smaller than kam can lay out."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

MIN_WIDTH = 60
MIN_HEIGHT = 16


def too_small(width: int, height: int) -> bool:
    return width < MIN_WIDTH or height < MIN_HEIGHT


class TooSmallScreen(Screen[None]):
    """Covers the view (clipped tables and boards would mislead); gone once it fits."""

    DEFAULT_CSS = """
    TooSmallScreen { align: center middle; }
    TooSmallScreen > Static { width: 100%; height: auto; text-align: center; }
    """

    def compose(self) -> ComposeResult:
        yield Static(self._text(), id="too-small")

    def _text(self) -> str:
        width, height = self.app.size
        return (
            f"Terminal too small ({width}×{height}).\n"
            f"kam needs at least {MIN_WIDTH}×{MIN_HEIGHT}: make the window bigger."
        )

    def on_resize(self) -> None:
        self.query_one("#too-small", Static).update(self._text())
