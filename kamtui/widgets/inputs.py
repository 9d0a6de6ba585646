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
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input


class KamInput(Input):
    async def _on_key(self, event: events.Key) -> None:
        focused = self.screen.focused
        if focused is not self and focused is not None:
            # A key of the same read as the escape (or enter) that moved focus away: it
            # was handed here before that key ran. It goes where the user now types.
            event.stop()
            event.prevent_default()
            focused._forward_event(events.Key(event.key, event.character))
            return
        if not event.is_printable and await self.app._check_bindings(event.key):
            # handled now, in order with the keys queued behind it
            event.stop()
            event.prevent_default()
            return
        await super()._on_key(event)
