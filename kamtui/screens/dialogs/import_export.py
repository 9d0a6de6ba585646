"""Import and export dialogs, opened from the Accounts view (i / x).

Import: type a path (or pick from the files listed below it), see the preview — format
detected, counts to create and update, the first problems — then confirm; the writing
runs in a thread worker behind a progress bar. Export: choose a format and a path.
All file work is in ``kamtui.io``; these screens only call it from workers.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Label, OptionList, ProgressBar, Select, Static
from textual.widgets.option_list import Option

from kamtui.db import Database
from kamtui.errors import KamError
from kamtui.widgets.inputs import KamInput

if TYPE_CHECKING:
    from kamtui.io.plan import ImportPlan

IMPORTABLE = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".json")
FORMATS = (("auto-detect", "auto"), ("Salesforce", "salesforce"), ("HubSpot", "hubspot"),
           ("generic (kam)", "generic"))  # fmt: skip

CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 78; max-width: 100%; height: auto; max-height: 100%;
    border: round $primary; background: $surface; padding: 0 1;
}}
{name} #title {{ text-style: bold; }}
{name} .row {{ height: auto; }}
{name} Select {{ width: 22; }}
{name} #encoding {{ width: 18; }}
{name} #files {{ height: 5; border: none; }}
{name} #preview {{ height: auto; max-height: 8; }}
{name} #progress {{ display: none; }}
{name} #progress.running {{ display: block; }}
{name} .hint {{ color: $text-muted; }}
{name} .error {{ color: $error; }}
"""


def candidates(typed: str) -> list[tuple[str, Path]]:
    """Folders and importable files beside what is typed (at most 200)."""
    path = Path(typed).expanduser() if typed.strip() else Path.cwd()
    folder = path if path.is_dir() else path.parent
    prefix = "" if path.is_dir() else path.name.lower()
    try:
        entries = sorted(folder.iterdir(), key=lambda p: (not p.is_dir(), p.name.lower()))
    except OSError:
        return []
    out = []
    if folder.parent != folder and not prefix:
        out.append(("../", folder.parent))
    for entry in entries:
        if entry.name.startswith(".") or not entry.name.lower().startswith(prefix):
            continue
        if entry.is_dir():
            out.append((entry.name + "/", entry))
        elif entry.suffix.lower() in IMPORTABLE:
            out.append((entry.name, entry))
        if len(out) >= 200:
            break
    return out


class ImportDialog(ModalScreen["ImportPlan | None"]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="import.cancel"),
        Binding("ctrl+s", "confirm", "Import", id="import.confirm"),
    ]
    DEFAULT_CSS = CSS.format(name="ImportDialog")

    def __init__(self, db: Database, today: dt.date, path: str = "") -> None:
        super().__init__()
        self.db = db
        self.today = today
        self.start_path = path
        self.plan: ImportPlan | None = None
        self.running = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Import accounts, contacts or economics", id="title")
            yield KamInput(
                self.start_path,
                placeholder="path to a .csv, .xlsx or kam .json file — enter to preview",
                id="path",
            )
            yield OptionList(id="files")
            with Horizontal(classes="row"):
                yield Select(FORMATS, value="auto", allow_blank=False, id="format")
                yield KamInput(placeholder="encoding: utf-8", id="encoding")
                yield Checkbox("decimal comma", id="decimal-comma")
            yield Static("Choose a file to see what it would change.", id="preview", markup=False)
            yield ProgressBar(id="progress", show_eta=False)
            yield Label(
                "enter: preview · ctrl+s: import · escape: cancel", classes="hint", id="hint"
            )

    def on_mount(self) -> None:
        self.query_one("#path", Input).focus()
        self._list_files(self.start_path)

    # --- choosing the file ---------------------------------------------------------------------

    def _list_files(self, typed: str) -> None:
        files = self.query_one("#files", OptionList)
        files.clear_options()
        files.add_options([Option(label, id=str(path)) for label, path in candidates(typed)])

    @on(Input.Changed, "#path")
    def _path_changed(self, event: Input.Changed) -> None:
        self.plan = None
        self._list_files(event.value)
        self.query_one("#hint", Label).update("enter: preview · ctrl+s: import · escape: cancel")

    @on(OptionList.OptionSelected, "#files")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        path = Path(event.option.id or "")
        box = self.query_one("#path", Input)
        box.value = str(path) + ("/" if path.is_dir() else "")
        box.cursor_position = len(box.value)
        box.focus()
        if path.is_file():
            self.preview()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        if self.plan is not None and self.plan.ok:
            self.action_confirm()
        else:
            self.preview()

    @on(Select.Changed)
    @on(Checkbox.Changed)
    def _options_changed(self) -> None:
        if self.query_one("#path", Input).value.strip():
            self.preview()

    # --- preview and import ----------------------------------------------------------------

    def _options(self) -> Any:
        from kamtui.io.plan import Options

        fmt = self.query_one("#format", Select).value
        encoding = self.query_one("#encoding", Input).value.strip() or None
        return Options(
            fmt=str(fmt), encoding=encoding, decimal_comma=self.query_one(Checkbox).value
        )

    def preview(self) -> None:
        typed = self.query_one("#path", Input).value.strip()
        if not typed or self.running:
            return
        self._show("Reading the file…")
        self._prepare(Path(typed), self._options())

    @work(thread=True, exclusive=True, group="import-preview", name="import-preview",
          exit_on_error=False)  # fmt: skip
    def _prepare(self, path: Path, opts: Any) -> None:
        from kamtui.io.importer import prepare_import

        try:
            plan = prepare_import(self.db, path, opts, self.today)
        except KamError as exc:
            self.app.call_from_thread(self._show, str(exc), error=True)
            return
        except OSError as exc:
            self.app.call_from_thread(self._show, f"{exc.strerror}: {path}", error=True)
            return
        except Exception as exc:
            self.app.call_from_thread(self._bug, exc, False)
            return
        self.app.call_from_thread(self._planned, plan)

    def _planned(self, plan: ImportPlan) -> None:
        self.plan = plan
        self._show("\n".join(plan.describe()), error=not plan.ok)
        self.query_one("#hint", Label).update(
            "enter or ctrl+s: import now · escape: cancel"
            if plan.ok
            else "fix the file (or the options) and press enter to preview again · escape: cancel"
        )

    def _show(self, text: str, *, error: bool = False) -> None:
        preview = self.query_one("#preview", Static)
        preview.update(text)
        preview.set_class(error, "error")

    def action_confirm(self) -> None:
        if self.running or self.plan is None or not self.plan.ok:
            self.preview()
            return
        self.running = True
        bar = self.query_one("#progress", ProgressBar)
        bar.add_class("running")
        bar.update(total=100, progress=0)
        self._show(f"Importing {self.plan.path.name}…")
        self._apply(self.plan)

    @work(thread=True, exclusive=True, group="import-apply", name="import-apply",
          exit_on_error=False)  # fmt: skip
    def _apply(self, plan: ImportPlan) -> None:
        """Not undoable: an import is one bulk transaction of up to millions of rows, far
        past what the undo journal keeps (Core statements it does not see); it is all or
        nothing (a busy database or a bad row leaves the database as it was)."""
        from kamtui.io.importer import apply_import

        def progress(done: int, total: int) -> None:
            self.app.call_from_thread(self._progress, done, total)

        try:
            apply_import(plan, progress)
        except KamError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        except Exception as exc:
            self.app.call_from_thread(self._bug, exc, True)
            return
        self.app.call_from_thread(self.dismiss, plan)

    def _bug(self, exc: Exception, applying: bool) -> None:
        from kamtui.screens.dbwork import report_bug

        report_bug(self.app, exc)
        message = f"Unexpected error ({type(exc).__name__}); nothing was imported."
        if applying:
            self._failed(message)
        else:
            self._show(message, error=True)

    def _progress(self, done: int, total: int) -> None:
        self.query_one("#progress", ProgressBar).update(total=total, progress=done)

    def _failed(self, message: str) -> None:
        self.running = False
        self.plan = None
        self.query_one("#progress", ProgressBar).remove_class("running")
        self._show(message, error=True)

    def action_cancel(self) -> None:
        if not self.running:
            self.dismiss(None)


class ExportDialog(ModalScreen["tuple[Path, int] | None"]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="export.cancel"),
        Binding("ctrl+s", "export", "Export", id="export.confirm"),
    ]
    DEFAULT_CSS = CSS.format(name="ExportDialog") + "ExportDialog Select { width: 100%; }"

    def __init__(self, db: Database, today: dt.date, folder: Path | None = None) -> None:
        super().__init__()
        self.db = db
        self.today = today
        self.folder = folder
        self.running = False

    def _default(self, fmt: str) -> str:
        from kamtui.io.export import default_path

        return str(default_path(fmt, self.today, self.folder))

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Export everything", id="title")
            yield Select(
                (
                    ("JSON: complete dump (restores with import)", "json"),
                    ("CSV: a folder, one file per table", "csv"),
                    ("XLSX: one workbook, a sheet per table", "xlsx"),
                ),
                value="json",
                allow_blank=False,
                id="format",
            )
            yield KamInput(self._default("json"), id="path")
            yield Static(
                "Written with mode 0600 (only you can read it); never overwrites a file.",
                id="preview",
                markup=False,
            )
            yield Label("enter or ctrl+s: export · escape: cancel", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#path", Input).focus()

    @on(Select.Changed, "#format")
    def _format_changed(self, event: Select.Changed) -> None:
        self.query_one("#path", Input).value = self._default(str(event.value))

    @on(Input.Submitted, "#path")
    def _submitted(self) -> None:
        self.action_export()

    def action_export(self) -> None:
        if self.running:
            return
        typed = self.query_one("#path", Input).value.strip()
        if not typed:
            self._show("Say where to write the export.", error=True)
            return
        self.running = True
        self._show("Exporting…")
        self._export(str(self.query_one("#format", Select).value), Path(typed).expanduser())

    @work(thread=True, exclusive=True, group="export", name="export", exit_on_error=False)
    def _export(self, fmt: str, path: Path) -> None:
        from kamtui.io.export import export

        try:
            result = export(self.db, fmt, path)
        except (KamError, OSError) as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        except Exception as exc:
            self.app.call_from_thread(self._bug, exc)
            return
        self.app.call_from_thread(self.dismiss, result)

    def _bug(self, exc: Exception) -> None:
        from kamtui.screens.dbwork import report_bug

        report_bug(self.app, exc)
        self._failed(f"Unexpected error ({type(exc).__name__}); see the notification.")

    def _failed(self, message: str) -> None:
        self.running = False
        self._show(message, error=True)

    def _show(self, text: str, *, error: bool = False) -> None:
        preview = self.query_one("#preview", Static)
        preview.update(text)
        preview.set_class(error, "error")

    def action_cancel(self) -> None:
        if not self.running:
            self.dismiss(None)
