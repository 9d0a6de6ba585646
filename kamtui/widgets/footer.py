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
        entries: list[tuple[str, str, bool, str]] = []  # key shown, label, enabled, key
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
            entries.append((app.get_key_display(binding), binding.description, active.enabled, key))
        label = ""
        if palette is not None and app.ENABLE_COMMAND_PALETTE:
            label = f" {app.get_key_display(palette.binding)} palette "
        kept = _fit(entries, self.size.width - len(label) - 1)
        text = Text(no_wrap=True, overflow="ellipsis")
        spans: list[tuple[int, int, str]] = []
        for i, (shown, description, enabled, key) in enumerate(entries):
            if i not in kept:
                continue
            start = len(text)
            text.append(" ")
            text.append(shown, "bold" if enabled else "dim")
            text.append(f" {description} ", "" if enabled else "dim")
            spans.append((start, len(text), key))
        if label and palette is not None:
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


# Kept whatever the width: how to get help, how to go back and how to leave.
ESSENTIAL = frozenset({"?", "q"})
ESSENTIAL_LABELS = frozenset({"Back", "Help", "Quit"})


def _fit(entries: list[tuple[str, str, bool, str]], width: int) -> set[int]:
    """Which entries fit in ``width`` cells: help and quit first, then the view's keys in
    the order the view lists them (most used first); the rest stay in help and the palette."""
    from rich.cells import cell_len

    def cost(i: int) -> int:
        shown, description, _, _ = entries[i]
        return cell_len(f" {shown} {description} ")

    def essential(i: int) -> bool:
        return entries[i][0] in ESSENTIAL or entries[i][1] in ESSENTIAL_LABELS

    order = sorted(range(len(entries)), key=lambda i: (not essential(i), i))
    kept: set[int] = set()
    used = 0
    for i in order:
        if used + cost(i) <= width:
            kept.add(i)
            used += cost(i)
    return kept
