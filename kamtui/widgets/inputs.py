"""The text input every kam form, editor and filter uses: keys take effect in the order typed.

Textual's ``Input`` inserts a printable key as soon as it takes it from its queue, but a
key bound to an action (backspace, delete, the arrows, home / end, ctrl+u, enter, and
the editor's escape) is not handled there: it bubbles to the screen and the app, whose
queues run it later. When a terminal read brings several keys at once — typing fast,
over SSH, a paste of keystrokes — the printable keys behind a bound key are inserted
before it runs: "XQ", three backspaces and " Ltd" in one read saved " " (the text
selected on focus was replaced by the space, then " Ltd" typed, then three characters
deleted). Measured on a bare Textual 8.2 app; see docs/upstream/textual-input-key-order.md.

Here a bound key is run by the input itself, at once, through the same binding chain
(the input, its containers, the screen, the app) the app would have used; an unbound key
bubbles as before. A key handed to the input before the key in front of it moved the
focus elsewhere (escape closing the filter, then "3" for a view) goes to the widget focused
now.

An input may have a ``picker`` (``kamtui.widgets.picker.Picker``): the list of the values
its field takes, shown under it while it has the focus. `up` / `down` choose in it and
`enter` / `tab` take the chosen value before doing what they always do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.widgets import Input

if TYPE_CHECKING:
    from kamtui.widgets.picker import Picker


class KamInput(Input):
    picker: Picker | None = None

    # (Textual calls Input's own focus / blur handlers as well: these only add to them)
    def on_focus(self, event: events.Focus) -> None:
        if self.picker is not None:
            self.picker.show_all(self.value)
            self.picker.show(True)

    def on_blur(self, event: events.Blur) -> None:
        if self.picker is not None:
            self.picker.show(False)

    def on_input_changed(self, event: Input.Changed) -> None:
        if self.picker is not None and event.input is self and self.has_focus:
            self.picker.narrow(event.value)

    def _pick(self, key: str) -> bool:
        """``key`` used by the picker (True: nothing else to do with it)."""
        picker = self.picker
        if picker is None or not picker.has_class("shown"):
            return False
        if key in ("down", "up"):
            picker.move(1 if key == "down" else -1)
            return True
        if key in ("enter", "tab"):
            chosen = picker.chosen
            if chosen is not None and chosen != self.value:
                self.value = chosen
                self.cursor_position = len(chosen)
        return False

    async def _on_key(self, event: events.Key) -> None:
        focused = self.screen.focused
        if focused is not self and focused is not None:
            # A key of the same read as the escape (or enter) that moved focus away: it
            # was handed here before that key ran. It goes where the user now types.
            event.stop()
            event.prevent_default()
            focused._forward_event(events.Key(event.key, event.character))
            return
        if self._pick(event.key):
            event.stop()
            event.prevent_default()
            return
        if not event.is_printable and await self.app._check_bindings(event.key):
            # handled now, in order with the keys queued behind it
            event.stop()
            event.prevent_default()
            return
        await super()._on_key(event)
