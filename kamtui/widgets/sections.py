"""A one-line bar of section names, for a screen whose sections are built when first shown.

Textual's ``TabbedContent`` is a dozen widgets (tabs, underline, switcher, panes) whose
styles are applied on every push of the screen; this bar is one widget that draws its
names as text. The current section is marked by reverse video *and* brackets, so it
reads with NO_COLOR; ‹ and › say more sections lie that way when not all fit. Setting
``active`` (or clicking a name) posts ``Activated``; the screen builds or shows that
section (typically in a ``ContentSwitcher``).
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import events
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget


class SectionBar(Widget):
    DEFAULT_CSS = """
    SectionBar { height: 1; background: $panel; color: $text-muted; }
    """

    active: reactive[str] = reactive("", init=False)

    class Activated(Message):
        def __init__(self, bar: SectionBar, section: str) -> None:
            super().__init__()
            self.bar = bar
            self.section = section

        @property
        def control(self) -> SectionBar:
            return self.bar

    def __init__(self, sections: Sequence[tuple[str, str]], *, id: str | None = None) -> None:
        """``sections``: (id, title) pairs, in order; the first is active."""
        super().__init__(id=id)
        self.sections = list(sections)
        self.set_reactive(SectionBar.active, self.sections[0][0])
        self._spans: list[tuple[int, int, str]] = []

    @property
    def ids(self) -> list[str]:
        return [key for key, _ in self.sections]

    def step(self, delta: int) -> None:
        ids = self.ids
        current = ids.index(self.active) if self.active in ids else 0
        self.active = ids[(current + delta) % len(ids)]

    def validate_active(self, value: str) -> str:
        return value if value in self.ids else self.active

    def watch_active(self, value: str) -> None:
        self.post_message(self.Activated(self, value))

    def _first_shown(self) -> int:
        """The first section drawn: 0, or later when the active one would not fit."""
        width = self.size.width
        ids = self.ids
        active = ids.index(self.active) if self.active in ids else 0
        lengths = [len(title) + 3 for _, title in self.sections]
        first = 0
        while first < active and 2 + sum(lengths[first : active + 1]) > width > 0:
            first += 1
        return first

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        spans = []
        first = self._first_shown()
        if first:
            text.append("‹ ")
        width = self.size.width
        shown = self.sections[first:]
        for n, (key, title) in enumerate(shown):
            start = len(text)
            last = n == len(shown) - 1
            if width and start + len(title) + 2 + (0 if last else 2) > width:
                text.append(" " * max(0, width - start - 1) + "›")  # more sections that way
                break
            if key == self.active:
                text.append(f"[{title}]", "reverse bold")
            else:
                text.append(f" {title} ")
            spans.append((start, len(text), key))
            text.append(" ")
        self._spans = spans
        return text

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                event.stop()
                self.active = key
                return
