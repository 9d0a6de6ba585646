"""The values a field takes, listed under its input and narrowed as you type.

A form's reference fields (an account, one of our people, an objective of the account)
and choice fields (priority, status, stage, why they buy…) must hold one of a known set
of values. Typing them exactly from memory is guesswork, so the input shows a short list
under it while it has the focus: all the values at first, with the current one chosen;
then the ones that match what is typed (those that start with it first). `up` / `down`
choose, `enter` or `tab` takes the chosen one and goes on, as the input would. Nothing is
taken unless a value is chosen: a field that only suggests (industry, country) keeps
what was typed.

Only the first ``LIMIT`` matches are listed (an account field offers 10,000 names), with
a last line saying how many more there are.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.widgets import OptionList
from textual.widgets.option_list import Option


def matching(choices: Sequence[str], typed: str, limit: int) -> tuple[list[str], int]:
    """The choices that match ``typed`` (case-insensitive): those starting with it, then
    those with a word starting with it, then any containing it; at most ``limit`` of
    them, and how many matched in all."""
    needle = " ".join(typed.split()).casefold()
    if not needle:
        return list(choices[:limit]), len(choices)
    starts, words, inside = [], [], []
    for choice in choices:
        folded = choice.casefold()
        if folded.startswith(needle):
            starts.append(choice)
        elif f" {needle}" in folded:
            words.append(choice)
        elif needle in folded:
            inside.append(choice)
    found = starts + words + inside
    return found[:limit], len(found)


class Picker(OptionList, can_focus=False):
    """The list under an input; the input drives it (see ``KamInput.picker``)."""

    LIMIT: ClassVar[int] = 50
    HEIGHT: ClassVar[int] = 6  # lines at most
    DEFAULT_CSS = """
    Picker {
        height: auto; max-height: 6; display: none; border: none; padding: 0;
        margin: 0 0 0 2; background: $boost; scrollbar-size-vertical: 1;
    }
    Picker.shown { display: block; }
    Picker > .option-list--option-highlighted { text-style: bold; }
    """

    def __init__(
        self,
        choices: Sequence[str] = (),
        *,
        strict: bool = False,
        empty: str = "",
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.choices: list[str] = list(choices)
        self.strict = strict  # one of the values is required: the best match is chosen
        self.empty = empty  # listed once it is known there is nothing to choose from
        self.loaded = bool(choices)  # False until a loader's set_choices()
        self._wanted = False  # its input has the focus
        self.shown_values: list[str] = []
        self._typed: str | None = None  # None: show all, the current value chosen
        self._current = ""

    def set_choices(self, choices: Sequence[str]) -> None:
        self.choices, self.loaded = list(choices), True
        self._refill()
        self.show(self._wanted)

    def show_all(self, current: str) -> None:
        """On focus: every value (up to the limit), the current one chosen."""
        self._typed, self._current = None, current
        self._refill()

    def narrow(self, typed: str) -> None:
        """As the user types: the matching values; in a strict field the best is chosen."""
        self._typed = typed
        self._refill()

    def _refill(self) -> None:
        typed = self._typed
        found, total = matching(self.choices, typed or "", self.LIMIT)
        self.shown_values = found
        options = [Option(value) for value in found]
        if total > len(found):
            options.append(Option(f"… {total - len(found):,} more: type to narrow", disabled=True))
        elif not found and self.choices and typed:
            options.append(Option(f"nothing matches {typed.strip()!r}", disabled=True))
        elif not self.choices and self.empty and self.loaded:
            options.append(Option(self.empty, disabled=True))
        self.set_options(options)
        self.highlighted = self._best(typed)
        self.set_class(bool(options), "has-options")

    def _best(self, typed: str | None) -> int | None:
        values = [v.casefold() for v in self.shown_values]
        wanted = (self._current if typed is None else typed).strip().casefold()
        if wanted in values:
            return values.index(wanted)
        if typed and self.strict and values:
            return 0
        return None

    @property
    def chosen(self) -> str | None:
        """The value chosen (highlighted), if any."""
        index = self.highlighted
        if index is None or index >= len(self.shown_values):
            return None
        return self.shown_values[index]

    def move(self, delta: int) -> None:
        count = len(self.shown_values)
        if not count:
            return
        index = self.highlighted
        self.highlighted = (
            (0 if delta > 0 else count - 1) if index is None else (index + delta) % count
        )

    def show(self, on: bool) -> None:
        self._wanted = on
        self.set_class(on and bool(self.choices or (self.empty and self.loaded)), "shown")
