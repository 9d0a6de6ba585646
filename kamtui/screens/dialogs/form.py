"""A form dialog: labelled inputs, a message beside each bad field, nothing saved until valid.

The caller passes ``save(values)``; it runs the service and either returns the saved
result (the dialog closes with it) or raises ``ValidationError`` (every message appears
beside its field, all at once) or another ``KamError`` (shown under the form). What was
typed stays, with its message, until it is fixed or the form cancelled; `escape` on a
form holding unsaved typing asks before throwing it away.

A field with ``choices`` lists them under its input while it has the focus (a
``Picker``): up / down choose, enter or tab take the chosen one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from kamtui.errors import KamError, ValidationError, ValidationErrors
from kamtui.widgets.inputs import KamInput
from kamtui.widgets.picker import Picker

# read in a worker when the form opens (WorkFormDialog): fn(db, values typed so far)
ChoiceLoader = Callable[[Any, Mapping[str, str]], Sequence[str]]


@dataclass(frozen=True)
class FormField:
    name: str
    label: str
    value: str = ""
    placeholder: str = ""
    # allowed (or known) values, listed under the input as it is typed in
    choices: tuple[str, ...] = ()
    # one of the values is needed: the best match is chosen as you type
    strict: bool = False
    # choices read from the database, again when a field named in ``reload_on`` is left
    load: ChoiceLoader | None = None
    reload_on: tuple[str, ...] = ()
    # listed when there are no values to choose from
    empty: str = ""
    # said beside the field as soon as the typed value is longer
    max_length: int | None = None


def _label(f: FormField) -> str:
    """The label; ▾ says the field lists its values under it when typed in."""
    return f"{f.label} ▾" if f.choices or f.load is not None else f.label


def label_lines(f: FormField, current: bool, width: int) -> str:
    """The label as shown in ``width`` cells: marked › when typed in, and a long label
    wrapped under its own first word (Textual's wrap put the second line under the ›)."""
    import textwrap

    lines = textwrap.wrap(_label(f), width=max(width - 3, 8)) or [""]
    return ("› " if current else "  ") + "\n  ".join(lines)


class FormDialog(ModalScreen[Any]):
    AUTO_FOCUS = "Input"  # type straight away into the first field
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
        Binding("ctrl+s", "save", "Save", id="form.save"),
    ]
    LABEL_WIDTH: ClassVar[int] = 24
    DEFAULT_CSS = """
    FormDialog { align: center middle; }
    FormDialog > Vertical {
        width: 76; max-width: 98%; height: auto; max-height: 98%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    FormDialog #title { text-style: bold; margin-bottom: 1; }
    FormDialog VerticalScroll { height: auto; }
    FormDialog .row { height: auto; }
    FormDialog .row > .label { width: 24; padding-right: 1; color: $text-muted; }
    FormDialog .row.current > .label { color: $text; text-style: bold; }
    FormDialog .row > Input, FormDialog .row > Input:focus {
        width: 1fr; height: 1; border: none; padding: 0 1; background: $boost;
    }
    FormDialog .row > Input:focus { background: $primary 30%; }
    FormDialog Picker { margin-left: 25; }
    FormDialog .error { color: $error; height: auto; margin-left: 25; display: none; }
    FormDialog .error.shown { display: block; }
    FormDialog #form-error { color: $error; height: auto; }
    FormDialog #hint { color: $text-muted; margin-top: 1; }
    """

    def __init__(
        self,
        title: str,
        fields: Sequence[FormField],
        save: Callable[[dict[str, str]], Any],
        *,
        only_changed: bool = False,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.fields = list(fields)
        self.save = save
        self.only_changed = only_changed
        self.rejected = False  # the last save was refused

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text, id="title", markup=False)
            with VerticalScroll():
                for f in self.fields:
                    field = KamInput(f.value, placeholder=f.placeholder, id=f"f-{f.name}")
                    with Horizontal(classes="row", id=f"r-{f.name}"):
                        yield Label(
                            label_lines(f, False, self.LABEL_WIDTH), classes="label", markup=False
                        )
                        yield field
                    if f.choices or f.load is not None:
                        field.picker = Picker(
                            f.choices, strict=f.strict, empty=f.empty, id=f"p-{f.name}"
                        )
                        yield field.picker
                    yield Static("", classes="error", id=f"e-{f.name}", markup=False)
            yield Static("", id="form-error", markup=False)
            yield Static(
                "enter: next field · ctrl+s: save · escape: cancel"
                + (" · ↑↓: choose" if any(f.choices or f.load for f in self.fields) else ""),
                id="hint",
            )

    def on_mount(self) -> None:
        # the first field, not the scrolling container: typing goes straight into it;
        # the scroll stays at the top so the first field's label shows above it
        # (none when the app is already closing: `q` then `s` in one read pushes the form
        # while the screens are torn down)
        first = self.query(Input)
        if first:
            first.first().focus(scroll_visible=False)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self._mark_current(event.widget, True)

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        self._mark_current(event.widget, False)

    def _mark_current(self, widget: Any, on: bool) -> None:
        """The field being typed in is marked with › (not by colour alone)."""
        row = widget.parent
        if isinstance(widget, Input) and row is not None and row.has_class("row"):
            row.set_class(on, "current")
            label = row.query_one(Label)
            f = self.fields[[x.name for x in self.fields].index((widget.id or "")[2:])]
            label.update(label_lines(f, on, self.LABEL_WIDTH))

    def on_input_changed(self, event: Input.Changed) -> None:
        from kamtui.services.fields import too_long

        name = (event.input.id or "")[2:]
        f = next((x for x in self.fields if x.name == name), None)
        if f is None or f.max_length is None:
            return
        error = self.query_one(f"#e-{name}", Static)
        message = too_long(f.label, event.value, f.max_length)
        if message or error.has_class("too-long"):
            error.update(f"✗ {message}" if message else "")
            error.set_class(bool(message), "shown", "too-long")

    def picker(self, name: str) -> Picker:
        return self.query_one(f"#p-{name}", Picker)

    def values(self) -> dict[str, str]:
        out = {}
        for f in self.fields:
            value = self.query_one(f"#f-{f.name}", Input).value
            if not self.only_changed or value != f.value:
                out[f.name] = value
        return out

    def changed(self) -> bool:
        """Something was typed that is not saved."""
        return any(self.query_one(f"#f-{f.name}", Input).value != f.value for f in self.fields)

    def show_errors(self, errors: Mapping[str, str], general: str = "") -> None:
        """Every message beside its field (and one under the form); the focus goes to the
        first bad field, unless the one being typed in is bad too."""
        self.rejected = bool(errors or general)
        for f in self.fields:
            message = errors.get(f.name, "")
            error = self.query_one(f"#e-{f.name}", Static)
            error.update(f"✗ {message}" if message else "")
            error.set_class(bool(message), "shown")
        self.query_one("#form-error", Static).update(general)
        focused = self.focused
        if isinstance(focused, Input) and (focused.id or "")[2:] in errors:
            return
        for f in self.fields:
            if f.name in errors:
                self.query_one(f"#f-{f.name}", Input).focus()
                break

    def show_refusal(self, exc: KamError) -> None:
        """A refused save: a bad value beside its field(s), anything else under the form."""
        if isinstance(exc, ValidationError):
            known = {f.name for f in self.fields}
            errors = ValidationErrors.of(exc)
            beside = {k: v for k, v in errors.items() if k in known}
            general = " · ".join(v for k, v in errors.items() if k not in known)
            self.show_errors(beside, general)
        else:
            self.show_errors({}, str(exc))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        inputs = list(self.query(Input))
        index = inputs.index(event.input)
        if index + 1 < len(inputs):
            inputs[index + 1].focus()
        else:
            self.action_save()

    def action_save(self) -> None:
        try:
            result = self.save(self.values())
        except KamError as exc:
            self.show_refusal(exc)
            return
        self.dismiss(result)

    def action_cancel(self) -> None:
        """Close without saving; typing that was not saved is only thrown away once the
        user says so."""
        if not self.changed():
            self.dismiss(None)
            return
        from kamtui.screens.dialogs.confirm import ConfirmDialog

        what = "What you typed was not saved" + (
            " (it was refused: see the ✗ messages)" if self.rejected else ""
        )

        def answer(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmDialog(f"{what}.\n\nDiscard it?", yes="Discard", no="Keep editing"), answer
        )
