"""The application shell: views as Textual modes, global keys, help, palette, crashes.

``make_app`` is the one factory: the ``kam`` command and the tests both call it.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import importlib
import os
import signal
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual import events
from textual.app import App, SystemCommand
from textual.binding import BindingType
from textual.screen import Screen

from kamtui.commands import Command, bindings
from kamtui.crash import root_error, write_crash_log
from kamtui.db import Database

if TYPE_CHECKING:
    from concurrent.futures import Future

    from kamtui.services.account_list import FirstPage, FirstRows


KEYS_NEVER_HELD = frozenset({"ctrl+c", "ctrl+q"})


@dataclass(frozen=True)
class View:
    key: str
    mode: str
    title: str
    target: str  # "module:Class", imported when the view is first shown
    short: str = ""  # in the view bar when the full titles do not fit

    def factory(self) -> Callable[[], Screen[Any]]:
        def make() -> Screen[Any]:
            module, cls = self.target.split(":")
            return getattr(importlib.import_module(module), cls)()

        return make


# Only views that really exist are registered; each feature adds its own line.
VIEWS: tuple[View, ...] = (
    View("1", "dashboard", "Dashboard", "kamtui.screens.dashboard:DashboardScreen", "Dash"),
    View("2", "accounts", "Accounts", "kamtui.screens.accounts:AccountsScreen", "Accts"),
    View("3", "matrix", "Matrix", "kamtui.screens.matrix:MatrixScreen"),
    View("4", "lifecycle", "Lifecycle", "kamtui.screens.lifecycle:LifecycleScreen", "Life"),
    View("5", "plan", "Attack plan", "kamtui.screens.attack_plan:AttackPlanScreen", "Plan"),
    View("6", "reviews", "Reviews", "kamtui.screens.reviews:ReviewsScreen", "Revs"),
    View("7", "prospects", "Prospects", "kamtui.screens.prospects:ProspectsScreen", "Prosp"),
)

APP_COMMANDS: tuple[Command, ...] = (
    *(
        Command(
            f"view.{v.mode}",
            v.key,
            f"app.show_view('{v.mode}')",
            v.title,
            f"Go to {v.title}",
            f"Switch to the {v.title} view ({v.key}).",
            show=False,
        )
        for v in VIEWS
    ),
    Command(
        "app.help",
        "question_mark,f1",
        "app.help",
        "Help",
        "Help",
        "Keys and purpose of this view.",
        key_display="?",
    ),
    Command("app.team", "ctrl+o", "app.team", "Team", "Our team", "Add and edit our people (account owners, counterparts).", show=False),
    Command("app.settings", "f2", "app.settings", "Settings", "Settings", "Currency and key-account capacity of this database.", show=False),
    Command("app.undo", "ctrl+z", "app.undo", "Undo", "Undo", "Undo the last change saved in this program (again to go further back).", show=False, key_display="^z"),
    Command("app.redo", "ctrl+y", "app.redo", "Redo", "Redo", "Redo the change just undone.", show=False, key_display="^y"),
    Command("app.quit", "q", "app.quit", "Quit", "Quit", "Leave kam; every change is already saved."),
)  # fmt: skip


def _palette_commands() -> type[Any]:
    """The palette's provider, imported when the palette first opens."""
    from kamtui.screens.palette import KamCommands

    return KamCommands


class KamApp(App[int]):
    """kamtui."""

    TITLE = "kam"
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = True
    COMMANDS: ClassVar[set[Any]] = {_palette_commands}
    MODES: ClassVar[dict[str, str | Callable[[], Screen[Any]]]] = {
        v.mode: v.factory() for v in VIEWS
    }
    DEFAULT_MODE: ClassVar[str] = "accounts"  # the start-up path is tuned for the Accounts view
    BINDINGS: ClassVar[list[BindingType]] = bindings(APP_COMMANDS)  # type: ignore[assignment]

    def __init__(
        self,
        db: Database,
        *,
        today: dt.date | None = None,
        welcome: bool = True,
        first_rows: FirstRows | None = None,
    ) -> None:
        super().__init__()
        self.db = db
        self._today = today
        self.offer_welcome = welcome
        self._first_rows = first_rows
        self._keys_held: set[object] = set()
        self._after_first_frame: list[Callable[[], object]] | None = []
        self.crash_log: Path | None = None
        self.hard_exit: Callable[[int], object] = os._exit  # tests replace it
        self._deadline: threading.Timer | None = None
        self._drafts_saved = False
        from kamtui.services.undo import UndoStack

        self.undo_stack = UndoStack()

    def get_driver_class(self) -> type[Any]:
        driver = super().get_driver_class()
        from kamtui.terminal import read_keys_in_time

        read_keys_in_time(driver)  # escape, then a key soon after: two keys
        return driver

    # --- shared state ------------------------------------------------------------------------

    @property
    def today(self) -> dt.date:
        """Injected in tests so nothing depends on the date."""
        return self._today or dt.date.today()

    @property
    def views(self) -> tuple[View, ...]:
        return VIEWS

    # --- lifecycle ----------------------------------------------------------------------------

    def on_mount(self) -> None:
        self._fit_terminal(self.size.width, self.size.height)
        self._install_signal_handlers()
        self._load_keymap()

    FIRST_FRAME_AFTER_READY = 0.1  # seconds: Ready comes before the first full frame is written

    def on_ready(self) -> None:
        """Textual laid out the first screen; its first full frame is written a few tens
        of milliseconds later (measured: 20–50 ms at 10,000 accounts). Then run what
        waited for it."""
        self.set_timer(self.FIRST_FRAME_AFTER_READY, self._first_frame_out)

    def _first_frame_out(self) -> None:
        waiting, self._after_first_frame = self._after_first_frame, None
        for callback in waiting or ():
            callback()

    def after_first_frame(self, callback: Callable[[], object]) -> None:
        """Run ``callback`` once the first frame is on the terminal (soon, if it is):
        start-up work that the first frame does not need must not delay it."""
        if self._after_first_frame is None:
            self.call_later(callback)
        else:
            self._after_first_frame.append(callback)

    def _load_keymap(self) -> None:
        """A user keymap: ``[keymap]`` in ``config.toml`` maps binding ids to keys."""
        from kamtui.db import config_dir

        path = config_dir() / "config.toml"
        if not path.is_file():  # most users: no parser to import on the start-up path
            return
        import tomllib

        try:
            keymap = tomllib.loads(path.read_text(encoding="utf-8")).get("keymap", {})
        except FileNotFoundError:
            return
        except (OSError, tomllib.TOMLDecodeError) as exc:
            self.notify(f"{path}: {exc}", severity="error", timeout=10)
            return
        self.set_keymap({str(k): str(v) for k, v in keymap.items()})

    # --- keys held while a screen is read ------------------------------------------------

    KEYS_HELD_AT_MOST = 3.0  # seconds: a read that never answers does not lock the keyboard

    def hold_keys(self) -> object:
        """Drop keys until :meth:`release_keys` with the token returned: a screen is being
        read, and what is typed now was meant for it, not for the view it is opened from."""
        token = object()
        self._keys_held.add(token)
        self.set_timer(self.KEYS_HELD_AT_MOST, partial(self.release_keys, token))
        return token

    def release_keys(self, token: object) -> None:
        self._keys_held.discard(token)

    async def on_event(self, event: events.Event) -> None:
        if (
            self._keys_held
            and isinstance(event, events.Key)
            and not event.is_forwarded
            and event.key not in KEYS_NEVER_HELD
        ):
            return
        if (
            isinstance(event, events.Key)
            and not event.is_forwarded
            and getattr(self.focused, "RUN_BINDINGS_AT_ONCE", False)
            and self.screen.maximized is None
            and (
                await self._check_bindings(event.key, priority=True)
                or await self._check_bindings(event.key)
            )
        ):
            # A key bound on a list or board runs now, before the keys behind it in the
            # same terminal read are handed out: "/acme" typed fast opens the filter box
            # and "acme" reaches it (Textual would give "acme" to the list, focused when
            # the read came in, and run "/" after).
            return
        await super().on_event(event)

    def take_first_rows(self, today: dt.date) -> Future[FirstPage] | None:
        """The Accounts rows read during start-up, once (None if not read, or not for
        this day)."""
        first, self._first_rows = self._first_rows, None
        return first.take(today) if first is not None else None

    def maybe_welcome(self, accounts: int) -> None:
        """The first screen found ``accounts`` accounts: with none, offer the welcome."""
        if self.offer_welcome and accounts == 0:
            from kamtui.screens.welcome import WelcomeScreen

            self.push_screen(WelcomeScreen())
        self.offer_welcome = False

    def _install_signal_handlers(self) -> None:
        """SIGHUP (SSH dropped) and SIGTERM: save what is typed, then exit cleanly."""
        try:
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGHUP, signal.SIGTERM):
                loop.add_signal_handler(sig, self._on_signal, sig)
        except (NotImplementedError, RuntimeError, ValueError):  # pragma: no cover
            pass

    def _on_signal(self, sig: int) -> None:
        """Save, then leave. After SIGHUP the terminal is gone: restoring it can hang or
        spin (RELIABILITY.md 14), so the process ends at once once the data is safe. After
        SIGTERM the terminal is restored, with a deadline in case that blocks."""
        code = 128 + sig
        self.save_drafts()
        self.db.close()
        if sig == signal.SIGHUP:
            self.hard_exit(code)
            return
        self._deadline = threading.Timer(3.0, self.hard_exit, args=(code,))
        self._deadline.daemon = True
        self._deadline.start()
        self.exit(code, return_code=code)

    def save_drafts(self) -> None:
        """Ask every open screen to save valid typed-but-unsaved input."""
        if self._drafts_saved:
            return
        self._drafts_saved = True
        for stack in self._screen_stacks.values():
            for screen in stack:
                flush = getattr(screen, "flush", None)
                if callable(flush):
                    with contextlib.suppress(Exception):  # an unsavable draft is no crash
                        flush()

    async def action_quit(self) -> None:
        self.save_drafts()
        self.exit(0)

    # --- undo and redo ------------------------------------------------------------------------

    def action_undo(self) -> None:
        self._undo_or_redo(redo=False)

    def action_redo(self) -> None:
        self._undo_or_redo(redo=True)

    def _undo_or_redo(self, *, redo: bool) -> None:
        """Take back (or re-apply) the newest change, on the writer thread like any write;
        refused, with a message, over a change made elsewhere since."""
        from kamtui.errors import KamError, StaleError
        from kamtui.screens.dbwork import report_bug, writer
        from kamtui.services.undo import Entry, rebase, revert

        stack = self.undo_stack
        side = stack.undone if redo else stack.done
        if not side:
            self.notify("Nothing to redo." if redo else "Nothing to undo.", timeout=2)
            return
        entry = side[-1]
        verb = "Redid" if redo else "Undid"
        text = entry.label.redo_text if redo else entry.label.undo_text

        async def run() -> None:
            loop = asyncio.get_running_loop()
            try:
                inverse = await loop.run_in_executor(
                    writer(self), revert, self.db, entry.change, entry.label.what
                )
            except StaleError as exc:
                if entry in side:
                    side.remove(entry)
                self.notify(f"{exc}.", severity="error", timeout=6)
                return
            except KamError as exc:
                self.notify(str(exc), severity="error", timeout=6)
                return
            except Exception as exc:
                report_bug(self, exc)
                return
            if entry in side:
                side.remove(entry)
            rebase(side, entry.change, inverse)  # undoing twice on one row is not "stale"
            (stack.done if redo else stack.undone).append(Entry(entry.label, inverse))
            self.notify(f"{verb}: {text}.", timeout=3)
            self.data_changed()

        self.run_worker(cast(Any, run), name="undo", group="db-write", exit_on_error=False)

    def data_changed(self) -> None:
        """Data changed behind the views' backs (an undo): the view in front reads again;
        the others read again when shown (they reload on resume)."""
        screen = self.screen
        for name in ("data_changed", "action_reload", "load"):
            method = getattr(screen, name, None)
            if callable(method):
                method()
                return

    def undo_commands(self) -> Iterable[SystemCommand]:
        stack = self.undo_stack
        if stack.next_undo is not None:
            yield SystemCommand(
                f"Undo {stack.next_undo.label.undo_text}", "Undo the last saved change (ctrl+z)",
                self.action_undo,
            )  # fmt: skip
        if stack.next_redo is not None:
            yield SystemCommand(
                f"Redo {stack.next_redo.label.redo_text}", "Redo the change just undone (ctrl+y)",
                self.action_redo,
            )  # fmt: skip

    # --- views, help, palette ---------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        self._fit_terminal(event.size.width, event.size.height)

    def _fit_terminal(self, width: int, height: int) -> None:
        """Below the minimum size a notice covers the view instead of clipped content."""
        from kamtui.screens.too_small import TooSmallScreen, too_small

        showing = isinstance(self.screen, TooSmallScreen) if self._screen_stack else False
        if too_small(width, height) and not showing:
            self.push_screen(TooSmallScreen())
        elif showing and not too_small(width, height):
            self.pop_screen()

    def action_command_palette(self) -> None:
        from kamtui.screens.palette import KamPalette

        if self.use_command_palette and not KamPalette.is_open(self):  # type: ignore[arg-type]
            self.push_screen(KamPalette(id="--command-palette"))

    def action_show_view(self, mode: str) -> None:
        if type(self.screen).__name__ == "TooSmallScreen":
            return  # the notice stays until the terminal is big enough
        if self.current_mode != mode:
            self.switch_mode(mode)

    def action_team(self) -> None:
        from kamtui.screens.team import TeamScreen

        self.push_screen(TeamScreen())

    def action_settings(self) -> None:
        from kamtui.screens.team import edit_settings

        edit_settings(self)

    def action_help(self) -> None:
        from kamtui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
            return
        self.push_screen(HelpScreen(self.screen))

    def commands_for(self, screen: Screen[Any]) -> list[Command]:
        """Commands live on this screen: its own, then the app's."""
        own: Iterable[Command] = getattr(screen, "COMMANDS_LIST", ())
        return [*own, *APP_COMMANDS]

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from self.undo_commands()
        for command in self.commands_for(screen):
            target: Any = self if command.action.startswith("app.") else screen
            action = command.action.removeprefix("app.")
            if target.check_action(action.split("(")[0], ()) is False:
                continue
            yield SystemCommand(
                command.title,
                f"{command.help}  [{command.keys_text}]",
                partial(target.run_action, action),
            )
        extra = getattr(screen, "palette_commands", None)
        if callable(extra):
            yield from extra()
        yield SystemCommand("Theme", "Change the colours", self.action_change_theme)

    # --- errors --------------------------------------------------------------------------------

    def _handle_exception(self, error: Exception) -> None:
        """Never a traceback with local variables on screen (they hold customer data)."""
        self.crash_log = write_crash_log(error)
        self._return_code = 1
        if self._exception is None:
            self._exception = error
            self._exception_event.set()
        from rich.text import Text  # a path is no markup

        where = f"; details are in {self.crash_log}" if self.crash_log else ""
        name = type(root_error(error)).__name__
        self._exit_renderables.append(
            Text(f"kam stopped after an unexpected error ({name}){where}.")
        )
        self.save_drafts()
        self._close_messages_no_wait()

    def on_unmount(self) -> None:
        self.save_drafts()
        if self._deadline is not None:
            self._deadline.cancel()


def make_app(
    db: Database,
    *,
    today: dt.date | None = None,
    welcome: bool = True,
    first_rows: FirstRows | None = None,
) -> KamApp:
    """The one factory: ``kam`` and the tests build the app the same way."""
    return KamApp(db, today=today, welcome=welcome, first_rows=first_rows)
