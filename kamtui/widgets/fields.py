"""A read-first list of a record's fields on Textual's Line API.

Fields are text, grouped under headings; a cursor moves between them (arrows, `j` / `k`,
`g` / `G`, page keys, a mouse click) and `enter` / `e` asks the owner to edit the one under
the cursor. Nothing else edits: a stray key never changes a value. One widget draws every
line, so opening a record costs one widget, not one `Input` per field (PERFORMANCE.md).

Keys typed before the fields were first shown (type-ahead while the record was loading)
are dropped: they were aimed at whatever was on screen before.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Input, Label, Static

from kamtui.widgets.inputs import KamInput
from kamtui.widgets.picker import Picker


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    value: str = ""


@dataclass(frozen=True)
class _Line:
    heading: str = ""
    field: int = -1  # index into the fields, or -1 for a heading / blank line


def fit(text: str, width: int) -> str:
    """``text`` cut or padded to ``width`` terminal cells (wide characters count two)."""
    if width <= 0:
        return ""
    text = " ".join(text.split()) if "\n" in text or "\t" in text else text
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…"
    return set_cell_size(text, width)


class FieldList(ScrollView, can_focus=True):
    """Labels and values, one line each, with a cursor; the owner does the editing."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor(-1)", "Up", show=False, id="fields.up"),
        Binding("down,j", "cursor(1)", "Down", show=False, id="fields.down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="fields.page_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="fields.page_down"),
        Binding("home,g", "jump(0)", "First", show=False, id="fields.first"),
        Binding("end,G", "jump(-1)", "Last", show=False, id="fields.last"),
        Binding("enter,e", "edit", "Edit", id="fields.edit"),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "field-list--heading",
        "field-list--label",
        "field-list--value",
        "field-list--empty",
        "field-list--cursor",
    }
    DEFAULT_CSS = """
    FieldList { height: 1fr; background: $surface; overflow-x: hidden; }
    FieldList > .field-list--heading { text-style: bold; color: $accent; }
    FieldList > .field-list--label { color: $text-muted; }
    FieldList > .field-list--value { }
    FieldList > .field-list--empty { color: $text-muted; }
    FieldList > .field-list--cursor { background: $block-cursor-background; color: $block-cursor-foreground; text-style: bold; }
    FieldList:blur > .field-list--cursor { background: $block-cursor-blurred-background; color: $foreground; text-style: none; }
    """

    # room under the last field for an editor's extra lines (hint, message); an editor
    # that lists values asks for more with make_room() while it is open
    SPARE_LINES: ClassVar[int] = 3
    spare: int = SPARE_LINES

    class Highlighted(Message):
        def __init__(self, fields: FieldList, name: str) -> None:
            super().__init__()
            self.fields = fields
            self.name = name

    class EditRequested(Message):
        """`enter` / `e` on a field: the owner opens its editor."""

        def __init__(self, fields: FieldList, name: str) -> None:
            super().__init__()
            self.fields = fields
            self.name = name

    def __init__(
        self,
        *,
        label_width: int = 26,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.label_width = label_width
        self._fields: list[Field] = []
        self._index: dict[str, int] = {}
        self._lines: list[_Line] = []
        self._field_y: list[int] = []
        self._cursor = 0
        self.accept_keys_after: float | None = None  # None: no fields shown yet

    # --- data ------------------------------------------------------------------------------

    @property
    def loaded(self) -> bool:
        return self.accept_keys_after is not None

    @property
    def fields(self) -> list[Field]:
        return list(self._fields)

    @property
    def cursor_field(self) -> Field | None:
        return self._fields[self._cursor] if self._fields else None

    def value(self, name: str) -> str:
        return self._fields[self._index[name]].value

    def set_groups(self, groups: Sequence[tuple[str, Sequence[Field]]]) -> None:
        """Show these fields under their headings; the cursor stays on the same field."""
        keep = self.cursor_field.name if self.cursor_field else None
        self._fields, self._lines, self._field_y = [], [], []
        for group, fields in groups:
            if self._lines:
                self._lines.append(_Line())
            self._lines.append(_Line(heading=group))
            for f in fields:
                self._field_y.append(len(self._lines))
                self._lines.append(_Line(field=len(self._fields)))
                self._fields.append(f)
        self._index = {f.name: i for i, f in enumerate(self._fields)}
        self._cursor = self._index.get(keep, 0) if keep else 0
        self.virtual_size = Size(self.size.width, len(self._lines) + self.spare)
        self.refresh()
        self._ensure_visible()
        if self.accept_keys_after is None:
            # keys typed before these lines reach the screen are dropped (see on_key)
            self.call_after_refresh(self._mark_shown)

    def _mark_shown(self) -> None:
        from textual._time import get_time

        self.accept_keys_after = get_time()

    def update_values(self, values: Mapping[str, str]) -> None:
        """Patch values in place (after a save or a reload), repainting only their lines."""
        for name, value in values.items():
            i = self._index.get(name)
            if i is not None and self._fields[i].value != value:
                old = self._fields[i]
                self._fields[i] = Field(old.name, old.label, value)
                self._refresh_field(i)

    def select(self, name: str) -> None:
        i = self._index.get(name)
        if i is not None:
            self._set_cursor(i)

    def line_of(self, name: str) -> int:
        """The field's line in the whole list (not the screen)."""
        return self._field_y[self._index[name]]

    def region_of(self, name: str) -> Region | None:
        """Where a field's line is on screen (relative to this widget), if visible."""
        i = self._index.get(name)
        if i is None:
            return None
        y = self._field_y[i] - round(self.scroll_offset.y)
        if not 0 <= y < self.scrollable_content_region.height:
            return None
        return Region(0, y, self.size.width, 1)

    # --- keys and mouse -------------------------------------------------------------------------

    def on_key(self, event: events.Key) -> None:
        if self.accept_keys_after is None or event.time < self.accept_keys_after:
            event.stop()
            event.prevent_default()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (action == "edit" and not self._fields)

    def action_cursor(self, delta: int) -> None:
        self._set_cursor(self._cursor + delta)

    def action_page(self, direction: int) -> None:
        if not self._fields:
            return
        target_y = self._field_y[self._cursor] + direction * max(
            1, self.scrollable_content_region.height - 1
        )
        best = min(range(len(self._fields)), key=lambda i: abs(self._field_y[i] - target_y))
        if best == self._cursor:
            best += direction
        self._set_cursor(best)

    def action_jump(self, index: int) -> None:
        self._set_cursor(index if index >= 0 else len(self._fields) - 1)

    def action_edit(self) -> None:
        if self.cursor_field is not None:
            self.post_message(self.EditRequested(self, self.cursor_field.name))

    def on_click(self, event: events.Click) -> None:
        y = round(self.scroll_offset.y) + event.y
        if 0 <= y < len(self._lines) and self._lines[y].field >= 0:
            self.focus()
            self._set_cursor(self._lines[y].field)

    # --- geometry -----------------------------------------------------------------------------

    def _set_cursor(self, index: int) -> None:
        if not self._fields:
            return
        index = max(0, min(index, len(self._fields) - 1))
        if index == self._cursor:
            return
        old, self._cursor = self._cursor, index
        top = round(self.scroll_offset.y)
        self._ensure_visible()
        if round(self.scroll_offset.y) == top:  # no scroll: repaint just the two lines
            self._refresh_field(old)
            self._refresh_field(index)
        self.post_message(self.Highlighted(self, self._fields[index].name))

    def _ensure_visible(self) -> None:
        if not self._fields:
            return
        y = self._field_y[self._cursor]
        if self._cursor == 0:
            y = 0  # the first field brings its heading into view too
        height = max(1, self.scrollable_content_region.height)
        top = round(self.scroll_offset.y)
        if y < top:
            self.scroll_to(y=y, animate=False, immediate=True)
        elif self._field_y[self._cursor] >= top + height:
            self.scroll_to(
                y=self._field_y[self._cursor] - height + 1, animate=False, immediate=True
            )

    def _refresh_field(self, index: int) -> None:
        y = self._field_y[index] - round(self.scroll_offset.y)
        if 0 <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, len(self._lines) + self.spare)
        self._ensure_visible()

    def make_room(self, lines: int) -> None:
        """Room under the last field for ``lines`` lines of an open editor (SPARE_LINES
        again once it closes), so the list only scrolls further while it needs to."""
        self.spare = max(self.SPARE_LINES, lines)
        self.virtual_size = Size(self.size.width, len(self._lines) + self.spare)

    # --- rendering ------------------------------------------------------------------------------

    _style_cache: dict[str, Style] | None = None

    def _style(self, component: str) -> Style:
        """Component styles, read once per style change (not once per line drawn)."""
        if self._style_cache is None:
            self._style_cache = {}
        style = self._style_cache.get(component)
        if style is None:
            style = self._style_cache[component] = self.get_component_rich_style(component)
        return style

    def notify_style_update(self) -> None:
        self._style_cache = None
        super().notify_style_update()

    def _base(self) -> Style:
        """The widget's own style (it walks the ancestors: once per style change)."""
        if self._style_cache is None:
            self._style_cache = {}
        style = self._style_cache.get("")
        if style is None:
            style = self._style_cache[""] = self.rich_style
        return style

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self._base()
        index = round(self.scroll_offset.y) + y
        if index >= len(self._lines):
            return Strip.blank(width, base)
        line = self._lines[index]
        if line.field < 0:
            if not line.heading:
                return Strip.blank(width, base)
            style = base + self._style("field-list--heading")
            return Strip([Segment(fit(" " + line.heading, width), style)])
        f = self._fields[line.field]
        cursor = line.field == self._cursor
        row = base + self._style("field-list--cursor") if cursor else base
        label_w = min(self.label_width, max(0, width // 2))
        mark = "›" if cursor else " "  # the cursor is a glyph too, not colour alone
        label_style = Style() if cursor else self._style("field-list--label")
        value, value_style = f.value, Style()
        if not value:
            value = "–"
            if not cursor:
                value_style = self._style("field-list--empty")
        segments = [
            Segment(mark + " ", row),
            Segment(fit(f.label, label_w - 2) + " ", row + label_style),
            Segment(fit(value, width - label_w - 1), row + value_style),
        ]
        return Strip(segments).adjust_cell_length(width, row)


class FieldEditor(Vertical):
    """The one open editor: the field's label, an `Input` with the value, a message line
    (why it was not saved) and a hint (the values allowed). `enter` submits, `escape`
    cancels; the owner saves and closes it.

    It floats over the field list on the ``editor`` layer of their container (which
    declares ``layers: base editor``), moved down to the field's line with ``offset``."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="fields.cancel"),
    ]
    DEFAULT_CSS = """
    FieldEditor {
        layer: editor; width: 100%; height: auto;
        background: $panel; border-bottom: tall $accent;
    }
    FieldEditor > Horizontal { height: 1; }
    FieldEditor > Horizontal > Label { width: 26; padding: 0 1 0 0; text-style: bold; }
    FieldEditor > Horizontal > Input, FieldEditor > Horizontal > Input:focus {
        width: 1fr; height: 1; border: none; padding: 0 1; background: $boost;
    }
    FieldEditor > .message { color: $error; padding-left: 26; height: auto; display: none; }
    FieldEditor > .message.shown { display: block; }
    FieldEditor > .hint { color: $text-muted; padding-left: 26; height: auto; }
    """

    class Submitted(Message):
        def __init__(self, editor: FieldEditor, value: str) -> None:
            super().__init__()
            self.editor = editor
            self.value = value

    class Cancelled(Message):
        def __init__(self, editor: FieldEditor) -> None:
            super().__init__()
            self.editor = editor

    def __init__(
        self,
        field: Field,
        *,
        hint: str = "",
        suggestions: Sequence[str] = (),
        strict: bool = False,
        max_length: int | None = None,
        label_width: int = 26,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.field = field
        self.hint = hint
        self.suggestions = list(suggestions)
        self.strict = strict
        self.max_length = max_length
        self.label_width = label_width
        self.message = ""

    @property
    def input(self) -> KamInput:
        return self.query_one(KamInput)

    @property
    def value(self) -> str:
        return self.input.value

    def compose(self) -> ComposeResult:
        field = KamInput(self.field.value, select_on_focus=False)
        with Horizontal():
            yield Label(fit("› " + self.field.label, self.label_width - 1), markup=False)
            yield field
        if self.suggestions or self.strict:
            field.picker = Picker(self.suggestions, strict=self.strict)
            field.picker.styles.margin = (0, 0, 0, self.label_width)
            yield field.picker
        yield Static("", classes="message", markup=False)
        yield Static(self.hint or " ", classes="hint", markup=False)

    def on_mount(self) -> None:
        self.input.focus()
        self.input.cursor_position = len(self.field.value)

    def set_suggestions(self, values: Sequence[str]) -> None:
        picker = self.input.picker
        if picker is not None:
            picker.set_choices(values)
            if self.input.has_focus:
                picker.show_all(self.input.value)
                picker.show(True)

    def set_hint(self, text: str) -> None:
        self.hint = text
        self.query_one(".hint", Static).update(text or " ")

    def show_message(self, text: str) -> None:
        self.message = text
        message = self.query_one(".message", Static)
        message.update(text)
        message.set_class(bool(text), "shown")

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        """Too long is said at once (a paste of a page), and unsaid once shortened."""
        from kamtui.services.fields import too_long

        message = too_long(self.field.label, event.value, self.max_length)
        if message:
            self.show_message(f"✗ {message}")
        elif self.message.startswith(f"✗ {self.field.label}: ") and "at most" in self.message:
            self.show_message("")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Submitted(self, event.value))

    def action_cancel(self) -> None:
        self.post_message(self.Cancelled(self))
