"""Dialogs of the scoring matrix: preset picker, nightmare traits, score history."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import OptionList, SelectionList, Static
from textual.widgets.option_list import Option
from textual.widgets.selection_list import Selection

from kamtui.errors import KamError
from kamtui.services.scoring import ScoreHistoryRow, TraitInfo
from kamtui.services.scoring_presets import Preset

_CSS_BOX = "width: 84; max-width: 98%; height: auto; max-height: 90%; border: round $primary; background: $surface; padding: 0 1;"


class PresetDialog(ModalScreen[str | None]):
    """Pick one of the seven definitions; its warning is shown with it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="preset.cancel")
    ]
    DEFAULT_CSS = f"""
    PresetDialog {{ align: center middle; }}
    PresetDialog > Vertical {{ {_CSS_BOX} }}
    PresetDialog OptionList {{ height: auto; max-height: 30; }}
    PresetDialog .hint {{ color: $text-muted; }}
    """

    def __init__(self, presets: Sequence[Preset], active: str | None) -> None:
        super().__init__()
        self.presets = list(presets)
        self.active = active

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("[b]Which accounts are key to you?[/b] (seed 001: each has its trap)")
            options = []
            for p in self.presets:
                mark = "● " if p.key == self.active else "  "
                options.append(
                    Option(f"{mark}{p.title} — {p.question}\n    ⚠ {p.warning}", id=p.key)
                )
            yield OptionList(*options, id="presets")
            yield Static(
                "enter: use this model (its own criteria, weights and scores) · escape: cancel",
                classes="hint",
            )

    def on_mount(self) -> None:
        keys = [p.key for p in self.presets]
        option_list = self.query_one(OptionList)
        if self.active in keys:
            option_list.highlighted = keys.index(self.active)
        option_list.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class TraitsDialog(ModalScreen[tuple[str, int | None]]):
    """Tick the nightmare traits of one account; each tick is saved at once. ``n`` / ``e``
    / ``d`` close it asking the caller to add, edit or delete a trait of the list."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="traits.close"),
        Binding("n", "change('new')", "New trait", id="traits.new"),
        Binding("e", "change('edit')", "Edit trait", id="traits.edit"),
        Binding("d", "change('delete')", "Delete trait", id="traits.delete"),
    ]
    DEFAULT_CSS = f"""
    TraitsDialog {{ align: center middle; }}
    TraitsDialog > Vertical {{ {_CSS_BOX} }}
    TraitsDialog SelectionList {{ height: auto; max-height: 20; }}
    TraitsDialog #error {{ color: $error; }}
    TraitsDialog .hint {{ color: $text-muted; }}
    """

    def __init__(
        self,
        account: str,
        traits: Sequence[TraitInfo],
        ticked: set[int],
        save: Callable[[list[int]], None],
    ) -> None:
        super().__init__()
        self.account = account
        self.traits = list(traits)
        self.ticked = set(ticked)
        self.save = save
        self.changed = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"Nightmare traits of {self.account}", markup=False)
            selections = []
            for t in self.traits:
                effect = "VETO: never qualifies" if t.effect == "veto" else f"−{t.penalty} points"
                selections.append(Selection(f"{t.name}  ({effect})", t.id, t.id in self.ticked))
            yield SelectionList[int](*selections, id="traits")
            yield Static("", id="error", markup=False)
            yield Static(
                "space: tick / untick (saved at once) · n new trait · e edit · d delete · "
                "escape: close",
                classes="hint",
            )

    def on_mount(self) -> None:
        self.query_one(SelectionList).focus()

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged[int]) -> None:
        chosen = list(event.selection_list.selected)
        try:
            self.save(chosen)
        except KamError as exc:
            self.query_one("#error", Static).update(str(exc))
            return
        self.changed = True

    def action_close(self) -> None:
        self.dismiss(("changed" if self.changed else "", None))

    def action_change(self, what: str) -> None:
        selections = self.query_one(SelectionList)
        index = selections.highlighted
        trait = self.traits[index] if index is not None and index < len(self.traits) else None
        if what != "new" and trait is None:
            return
        self.dismiss((what, trait.id if trait else None))


class HistoryDialog(ModalScreen[None]):
    """Every score change of one account: when, criterion, old → new, note."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,H", "close", "Close", id="history.close")
    ]
    DEFAULT_CSS = f"""
    HistoryDialog {{ align: center middle; }}
    HistoryDialog > Vertical {{ {_CSS_BOX} }}
    HistoryDialog VerticalScroll {{ height: auto; max-height: 24; }}
    HistoryDialog .hint {{ color: $text-muted; }}
    """

    def __init__(self, account: str, rows: Sequence[ScoreHistoryRow]) -> None:
        super().__init__()
        self.account = account
        self.rows = list(rows)

    def compose(self) -> ComposeResult:
        lines = []
        for r in self.rows:
            old = "·" if r.old_value is None else str(r.old_value)
            new = "cleared" if r.new_value is None else str(r.new_value)
            note = f" — {r.note}" if r.note else ""
            lines.append(f"{r.changed_at:%Y-%m-%d %H:%M}  {r.criterion}: {old} → {new}{note}")
        text = "\n".join(lines) or "No score changes yet."
        with Vertical():
            yield Static(f"Score history of {self.account} (newest first)", markup=False)
            with VerticalScroll():
                yield Static(text, markup=False, id="history")
            yield Static("escape: close", classes="hint")

    def action_close(self) -> None:
        self.dismiss(None)
