"""The one boundary between screens and the database.

Screens and widgets never call the database on the UI thread. They hand a function to
:meth:`DbWork.db_read` or :meth:`DbWork.db_write`; it runs off the UI thread (reads in a
named thread worker, writes one at a time and in order on the app's writer thread),
and its result comes back on the UI thread as plain data: to the ``then`` callback and
as a typed :class:`DbWork.Done` message. A :class:`~kamtui.errors.KamError` (a bad
value, a stale edit, a record gone, a busy database) comes back the same way, to
``failed`` or as a one-line notification, and as :class:`DbWork.Failed`; the program
keeps running and the change is not half-applied (each write is one transaction).
Anything else is a bug: it is written to the crash log and reported in one line.

A write given an :class:`~kamtui.services.undo.UndoLabel` is recorded so ``ctrl+z``
can take it back.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, TypeVar, cast

from textual.message import Message

from kamtui.errors import KamError

if TYPE_CHECKING:
    from textual.app import App
    from textual.dom import DOMNode

    from kamtui.db import Database
    from kamtui.services.undo import Change, UndoLabel

T = TypeVar("T")


def writer(app: App[Any]) -> ThreadPoolExecutor:
    """The app's one writer thread: writes run in the order they were asked for."""
    executor: ThreadPoolExecutor | None = getattr(app, "_kam_writer", None)
    if executor is None:
        executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kam-writer")
        app._kam_writer = executor  # type: ignore[attr-defined]
    return executor


def report_bug(app: App[Any], error: BaseException) -> None:
    """An unexpected error in database work: crash log, one line, keep running."""
    from kamtui.crash import write_crash_log

    log = write_crash_log(error)
    where = f"; details are in {log}" if log else ""
    app.notify(
        f"Unexpected error ({type(error).__name__}); nothing was half-saved{where}.",
        severity="error",
        timeout=10,
    )


class DbWork:
    """Mixin for screens and widgets that read or write the database."""

    class Done(Message):
        """A read or write finished; ``value`` is what its function returned."""

        def __init__(self, name: str, value: Any) -> None:
            super().__init__()
            self.name = name
            self.value = value

    class Failed(Message):
        """A read or write was refused with a one-line reason (nothing was changed)."""

        def __init__(self, name: str, error: KamError) -> None:
            super().__init__()
            self.name = name
            self.error = error

    # --- reads -----------------------------------------------------------------------

    def db_read(
        self,
        name: str,
        fn: Callable[..., T],
        *args: Any,
        then: Callable[[T], None] | None = None,
        failed: Callable[[KamError], None] | None = None,
    ) -> None:
        """Run ``fn(db, *args)`` in a thread; a newer read of the same name replaces it."""
        node: DOMNode = self  # type: ignore[assignment]
        db: Database = node.app.db  # type: ignore[attr-defined]

        async def run() -> None:
            try:
                value = await asyncio.to_thread(fn, db, *args)
            except KamError as exc:
                self._db_failed(name, exc, failed)
                return
            except Exception as exc:
                report_bug(node.app, exc)
                return
            self._db_done(name, value, then)

        node.run_worker(cast(Any, run), name=name, group=name, exclusive=True, exit_on_error=False)

    # --- writes ----------------------------------------------------------------------

    def db_write(
        self,
        name: str,
        fn: Callable[..., T],
        *args: Any,
        then: Callable[[T], None] | None = None,
        failed: Callable[[KamError], None] | None = None,
        undo: UndoLabel | None = None,
    ) -> None:
        """Run ``fn(db, *args)`` on the writer thread, after every write asked before it.

        The worker belongs to the app, so a write asked for just before its screen
        closes still finishes (and stays undoable); ``then`` runs only while this widget
        is still mounted.
        """
        node: DOMNode = self  # type: ignore[assignment]
        app = node.app
        db: Database = app.db  # type: ignore[attr-defined]

        def call() -> tuple[T, Change | None]:
            if undo is None:
                return fn(db, *args), None
            with db.recording() as recorder:
                value = fn(db, *args)
            return value, recorder.change()

        async def run() -> None:
            loop = asyncio.get_running_loop()
            try:
                value, change = await loop.run_in_executor(writer(app), call)
            except KamError as exc:
                self._db_failed(name, exc, failed)
                return
            except Exception as exc:
                report_bug(app, exc)
                return
            if undo is not None and change is not None:
                app.undo_stack.push(undo, change)  # type: ignore[attr-defined]
            self._db_done(name, value, then)

        app.run_worker(cast(Any, run), name=name, group="db-write", exit_on_error=False)

    # --- results -------------------------------------------------------------------------

    def _db_done(self, name: str, value: Any, then: Callable[[Any], None] | None) -> None:
        node: DOMNode = self  # type: ignore[assignment]
        if not node.is_attached:
            return
        if then is not None:
            then(value)
        node.post_message(self.Done(name, value))

    def _db_failed(
        self, name: str, error: KamError, failed: Callable[[KamError], None] | None
    ) -> None:
        node: DOMNode = self  # type: ignore[assignment]
        if not node.is_attached:
            node.app.notify(str(error), severity="error")
            return
        if failed is not None:
            failed(error)
        else:
            node.app.notify(str(error), severity="error", timeout=6)
        node.post_message(self.Failed(name, error))
