"""A progress bar on the terminal for long imports (click's), on stderr and only when
stderr is a terminal: piped or logged output stays one clean line per message."""

from __future__ import annotations

import sys
from types import TracebackType
from typing import Any

LONG = 20_000  # rows (lines): below this an import is over before a bar helps


class TerminalProgress:
    """A ``Progress`` callback ``(done, total)`` that draws a bar once total is long."""

    def __init__(self, label: str, *, long: int = LONG, stream: Any = None) -> None:
        self.label = label
        self.long = long
        self.stream = stream if stream is not None else sys.stderr
        self.bar: Any = None
        self.done = 0
        self.off = False

    def __call__(self, done: int, total: int) -> None:
        if self.off:
            return
        if self.bar is None:
            if total < self.long or not self.stream.isatty():
                self.off = True
                return
            import click

            self.bar = click.progressbar(length=total, label=self.label, file=self.stream)
            self.bar.__enter__()
        step = max(0, done - self.done)
        self.done = max(self.done, done)
        self.bar.update(step)

    def __enter__(self) -> TerminalProgress:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.bar is not None:
            self.bar.__exit__(kind, exc, tb)
            self.bar = None
