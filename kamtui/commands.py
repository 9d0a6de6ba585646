"""Each command is defined once: its key, footer label, palette title and help text.

Bindings, the footer, the command palette and the help screen are all derived from
these, so they cannot disagree. Binding ids are stable, so a user keymap can rebind
them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True)
class Command:
    id: str
    keys: str
    action: str
    label: str
    title: str
    help: str
    show: bool = True
    key_display: str | None = None
    priority: bool = False

    def binding(self) -> Binding:
        return Binding(
            self.keys,
            self.action,
            self.label,
            show=self.show,
            id=self.id,
            key_display=self.key_display,
            priority=self.priority,
        )

    @property
    def keys_text(self) -> str:
        if self.key_display:
            return self.key_display
        names = {"slash": "/", "question_mark": "?", "escape": "esc", "space": "space"}
        return " ".join(names.get(k, k) for k in self.keys.split(","))


def bindings(commands: Iterable[Command]) -> list[Binding]:
    return [c.binding() for c in commands]
