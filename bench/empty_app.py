"""The baseline: an empty Textual app that paints one word. Start-up is measured against it."""

from textual.app import App, ComposeResult
from textual.widgets import Static


class Empty(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("READY")


if __name__ == "__main__":
    Empty().run()
