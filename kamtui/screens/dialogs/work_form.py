"""The form dialog with its save going through the worker boundary.

``FormDialog`` calls ``save(values)`` on the UI thread; this one hands ``write(db, values)``
to ``db_write`` (the app's writer thread, with an undo label), keeps the dialog open while
it runs, and shows a ``ValidationError`` beside its field, any other ``KamError`` (busy,
stale, gone) under the form, exactly as ``FormDialog`` does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from textual.widgets import Input

from kamtui.errors import KamError
from kamtui.screens.dbwork import DbWork
from kamtui.screens.dialogs.form import FormDialog, FormField
from kamtui.services.undo import UndoLabel


def _unused(values: dict[str, str]) -> Any:  # pragma: no cover - action_save is replaced
    raise KamError("not used")


class WorkFormDialog(DbWork, FormDialog):
    def __init__(
        self,
        title: str,
        fields: Sequence[FormField],
        write: Callable[[Any, dict[str, str]], Any],
        *,
        undo: Callable[[dict[str, str]], UndoLabel | None] | None = None,
        work_name: str = "form-save",
        only_changed: bool = False,
    ) -> None:
        super().__init__(title, fields, _unused, only_changed=only_changed)
        self.write = write
        self.undo = undo
        self.work_name = work_name
        self.saving = False

    def action_save(self) -> None:
        if self.saving:
            return
        self.saving = True
        values = self.values()
        self.query_one("#form-error").update("saving…")  # type: ignore[attr-defined]
        self.db_write(
            self.work_name,
            self.write,
            values,
            then=self._saved,
            failed=self._failed,
            undo=self.undo(values) if self.undo else None,
        )

    def _saved(self, result: Any) -> None:
        self.saving = False
        self.dismiss(result)

    def _failed(self, exc: KamError) -> None:
        self.saving = False
        self.show_refusal(exc)

    # --- choices read from the database ----------------------------------------------------

    def on_mount(self) -> None:  # Textual calls FormDialog's on_mount as well
        for f in self.fields:
            if f.load is not None:
                self._load_choices(f)

    def _load_choices(self, f: FormField) -> None:
        assert f.load is not None
        picker = self.picker(f.name)
        self.db_read(f"choices-{f.name}", f.load, self.values_now(), then=picker.set_choices)

    def values_now(self) -> dict[str, str]:
        return {f.name: self.query_one(f"#f-{f.name}", Input).value for f in self.fields}

    def on_input_blurred(self, event: Input.Blurred) -> None:
        left = (event.input.id or "")[2:]
        for f in self.fields:
            if f.load is not None and left in f.reload_on:
                self._load_choices(f)
