"""A form dialog: labelled inputs, a message beside each bad field, nothing saved until valid.

The caller passes ``save(values)``; it runs the service and either returns the saved
result (the dialog closes with it) or raises ``ValidationError`` (the message appears
beside its field) or another ``KamError`` (shown under the form).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from kamtui.errors import KamError, ValidationError
from kamtui.widgets.inputs import KamInput


@dataclass(frozen=True)
class FormField:
    name: str
    label: str
    value: str = ""
    placeholder: str = ""
    # allowed (or known) values: completed as typed (right arrow or end takes the rest)
    choices: tuple[str, ...] = ()


def _suggester(choices: Sequence[str]) -> Any:
    if not choices:
        return None
    from textual.suggester import SuggestFromList

    return SuggestFromList(choices, case_sensitive=False)


def _label(f: FormField) -> str:
    """The label, with a short list of allowed values beside it (a long one is only
    completed)."""
    shown = " / ".join(f.choices)
    return f"{f.label} ({shown})" if f.choices and len(shown) <= 60 else f.label


class FormDialog(ModalScreen[Any]):
    AUTO_FOCUS = "Input"  # type straight away into the first field
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
        Binding("ctrl+s", "save", "Save", id="form.save"),
    ]
    DEFAULT_CSS = """
    FormDialog { align: center middle; }
    FormDialog > Vertical {
        width: 76; max-width: 98%; height: auto; max-height: 95%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    FormDialog #title { text-style: bold; margin-bottom: 1; }
    FormDialog VerticalScroll { height: auto; max-height: 30; }
    FormDialog .label { margin-top: 0; color: $text-muted; }
    FormDialog Input { margin: 0; }
    FormDialog .error { color: $error; height: auto; }
    FormDialog #form-error { color: $error; }
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

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text, id="title", markup=False)
            with VerticalScroll():
                for f in self.fields:
                    yield Label(_label(f), classes="label")
                    yield KamInput(
                        f.value,
                        placeholder=f.placeholder,
                        id=f"f-{f.name}",
                        suggester=_suggester(f.choices),
                    )
                    yield Static("", classes="error", id=f"e-{f.name}", markup=False)
            yield Static("", id="form-error", markup=False)
            yield Static(
                "enter: next field / save on the last · ctrl+s: save · escape: cancel", id="hint"
            )

    def on_mount(self) -> None:
        # the first field, not the scrolling container: typing goes straight into it
        self.query(Input).first().focus()

    def values(self) -> dict[str, str]:
        out = {}
        for f in self.fields:
            value = self.query_one(f"#f-{f.name}", Input).value
            if not self.only_changed or value != f.value:
                out[f.name] = value
        return out

    def show_errors(self, errors: Mapping[str, str], general: str = "") -> None:
        for f in self.fields:
            self.query_one(f"#e-{f.name}", Static).update(errors.get(f.name, ""))
        self.query_one("#form-error", Static).update(general)
        for f in self.fields:
            if f.name in errors:
                self.query_one(f"#f-{f.name}", Input).focus()
                break

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
        except ValidationError as exc:
            known = {f.name for f in self.fields}
            if exc.field in known:
                self.show_errors({exc.field: exc.message})
            else:
                self.show_errors({}, exc.message)
            return
        except KamError as exc:
            self.show_errors({}, str(exc))
            return
        self.dismiss(result)

    def action_cancel(self) -> None:
        self.dismiss(None)
