"""The footer: the keys that work right now, drawn as one line of text.

Textual's own ``Footer`` builds a widget per key and rebuilds them all whenever the
bindings change — on every screen push, that cost more than the rest of the account
screen together (profiled: ≈ 100 ms a push on this machine). This one renders a single
``Text`` line from the screen's active bindings: enabled keys bold, disabled ones dimmed,
hidden ones (``check_action`` → False) not shown. A click on a key presses it.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import events
from textual.widget import Widget


class KeyFooter(Widget):
    DEFAULT_CSS = """
    KeyFooter { dock: bottom; height: 1; background: $panel; color: $text-muted; }
    """

    def __init__(self) -> None:
        super().__init__()
        self._spans: list[tuple[int, int, str]] = []  # x from, x to, key to press

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, _screen: Any) -> None:
        if self.is_attached:
            self.refresh()

    def render(self) -> Text:
        app = self.app
        text = Text(no_wrap=True, overflow="ellipsis")
        spans: list[tuple[int, int, str]] = []
        seen: set[str] = set()
        palette = None
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if key == app.COMMAND_PALETTE_BINDING:
                palette = active
                continue
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            start = len(text)
            text.append(" ")
            text.append(app.get_key_display(binding), "bold" if active.enabled else "dim")
            text.append(f" {binding.description} ", "" if active.enabled else "dim")
            spans.append((start, len(text), key))
        if palette is not None and app.ENABLE_COMMAND_PALETTE:
            label = f" {app.get_key_display(palette.binding)} palette "
            gap = max(1, self.size.width - len(text) - len(label))
            text.append(" " * gap)
            spans.append((len(text), len(text) + len(label), palette.binding.key))
            text.append(label, "bold")
        self._spans = spans
        return text

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                event.stop()
                self.app.simulate_key(key)
                return
