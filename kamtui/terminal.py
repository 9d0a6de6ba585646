"""Reading keys from a real terminal: escape followed soon by a key is two keys.

Textual reads the terminal in a thread that waits up to 100 ms for bytes, and its parser
checks whether a lone escape has timed out only *after* it has taken the next byte. So
escape and then "3" 70 ms later — closing the filter, then switching view — became one
sequence, alt+3, which typed "£" into the filter, and the view keys after it went there
too. Here the parser first honours a timeout that passed while no byte came, and waits
40 ms instead of 100 (a terminal sends the bytes of one sequence in one write; ``ESCDELAY``
in the environment still sets it). See docs/upstream/textual-escape-timeout.md.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from typing import Any

from textual import constants
from textual._time import get_time
from textual._xterm_parser import XTermParser

ESCAPE_DELAY = 0.04  # seconds


class KamXTermParser(XTermParser):
    def feed(self, data: str) -> Iterable[Any]:
        timeout = self._timeout_time
        if data and timeout is not None and get_time() >= timeout:
            yield from self.tick()  # the escape that was alone, before the key after it
        yield from super().feed(data)


def read_keys_in_time(driver_class: type[Any]) -> None:
    """Make ``driver_class`` (a Textual driver) parse keys with :class:`KamXTermParser`."""
    if "ESCDELAY" not in os.environ:
        constants.ESCAPE_DELAY = ESCAPE_DELAY  # type: ignore[misc]
    module = sys.modules.get(driver_class.__module__)
    if module is not None and getattr(module, "XTermParser", None) is XTermParser:
        module.XTermParser = KamXTermParser  # type: ignore[attr-defined]
