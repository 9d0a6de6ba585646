"""Parsing what a person typed into a value we can store, with one clear message."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from kamtui.errors import ValidationError, ValidationErrors
from kamtui.money import MAX_INT, bounded_decimal, parse_amount

Parser = Callable[[str], Any]


def text(required: bool = False, max_length: int = 200) -> Parser:
    def parse(raw: str) -> str:
        value = raw.strip()
        if required and not value:
            raise ValueError("cannot be empty")
        if len(value) > max_length:
            raise ValueError(f"is longer than {max_length} characters")
        return value

    parse.max_length = max_length  # type: ignore[attr-defined]
    return parse


_SPACES = frozenset("\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85")


def clean_name(raw: str) -> str:
    """A name as kam stores and matches it: NFC (so 'Zürich' typed or pasted in its
    decomposed form is the same name), without invisible format characters (zero-width
    space / joiner, BOM, direction marks: Unicode category Cf) or control characters,
    trimmed. May be empty: callers decide whether that is allowed."""
    if raw.isascii() and raw.isprintable():
        return raw.strip()
    kept = []
    for ch in unicodedata.normalize("NFC", raw):
        category = unicodedata.category(ch)
        if category == "Cf" or (category == "Cc" and ch not in _SPACES):
            continue
        kept.append(" " if ch in _SPACES else ch)
    return unicodedata.normalize("NFC", "".join(kept)).strip()


def name(required: bool = False, max_length: int = 200) -> Parser:
    """A name (account, parent, owner): cleaned by ``clean_name`` before anything else."""

    def parse(raw: str) -> str:
        value = clean_name(raw)
        if required and not value:
            raise ValueError("has only invisible characters" if raw.strip() else "cannot be empty")
        if len(value) > max_length:
            raise ValueError(f"is longer than {max_length} characters")
        return value

    parse.max_length = max_length  # type: ignore[attr-defined]
    return parse


def long_text(raw: str) -> str:
    return raw.rstrip()


def count(raw: str) -> int | None:
    value = raw.strip().replace(",", "").replace("_", "")
    if not value:
        return None
    if not re.fullmatch(r"-?[0-9]+", value):
        raise ValueError(f"{raw.strip()[:40]!r} is not a whole number")
    number = int(bounded_decimal(value, limit=MAX_INT))  # bounded before int()
    if number < 0:
        raise ValueError("cannot be negative")
    return number


def money(required: bool = False, allow_negative: bool = True) -> Parser:
    def parse(raw: str) -> int | None:
        if not raw.strip():
            if required:
                raise ValueError("cannot be empty")
            return None
        cents = parse_amount(raw)
        if cents < 0 and not allow_negative:
            raise ValueError("cannot be negative")
        return cents

    return parse


def choice(values: Sequence[str], optional: bool = False) -> Parser:
    def parse(raw: str) -> str | None:
        value = raw.strip().lower()
        if not value and optional:
            return None
        if value not in values:
            raise ValueError(f"{_shown(raw)} is not one of: {', '.join(values)}")
        return value

    parse.choices = tuple(values)  # type: ignore[attr-defined]
    return parse


def _shown(raw: str, limit: int = 40) -> str:
    """What was typed, quoted, cut so a pasted page still gives a one-line message."""
    value = raw.strip()
    return repr(value if len(value) <= limit else value[: limit - 1] + "…")


def max_length_of(spec: FieldSpec) -> int | None:
    """The most characters a text or name field keeps (None: no limit)."""
    return getattr(spec.parse, "max_length", None)


def too_long(label: str, typed: str, limit: int | None) -> str:
    """The message shown as soon as a typed value is longer than its field keeps ("" if it
    fits): said while typing or pasting, not only when saving."""
    if limit is None or len(typed.strip()) <= limit:
        return ""
    return f"{label}: {len(typed.strip()):,} characters, at most {limit} fit: shorten it"


def choices_of(spec: FieldSpec) -> tuple[str, ...]:
    """The values a choice field allows (empty for any other field): forms list them."""
    return tuple(getattr(spec.parse, "choices", ()))


def rating(low: int = 1, high: int = 5) -> Parser:
    def parse(raw: str) -> int | None:
        value = raw.strip()
        if not value:
            return None
        if not re.fullmatch(r"[0-9]{1,3}", value) or not low <= int(value) <= high:
            raise ValueError(f"must be a whole number from {low} to {high}")
        return int(value)

    return parse


def date(raw: str) -> dt.date | None:
    value = raw.strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a date (YYYY-MM-DD)") from None


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    parse: Parser
    help: str = ""


def parse_value(spec: FieldSpec, raw: str) -> Any:
    try:
        return spec.parse(raw)
    except ValueError as exc:
        raise ValidationError(spec.name, f"{spec.label}: {exc}") from None


class Problems:
    """Collects every field's problem so a form shows them all at once, not one per save.

    ``with problems.check(): ...`` keeps a ``ValidationError`` raised inside; ``raise_any``
    raises them together (a ``ValidationErrors``), the first problem of a field winning."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    @contextmanager
    def check(self) -> Iterator[None]:
        try:
            yield
        except ValidationError as exc:
            for field, message in ValidationErrors.of(exc).items():
                self.errors.setdefault(field, message)

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(field, message)

    def raise_any(self) -> None:
        if self.errors:
            raise ValidationErrors(self.errors)


def parse_all(
    specs: Mapping[str, FieldSpec], raw: Mapping[str, str], *, unknown: str = "skip"
) -> dict[str, Any]:
    """Every typed value parsed; all the bad ones are raised together. A name not in
    ``specs`` is skipped (``unknown="skip"``) or refused (``"refuse"``)."""
    from kamtui.errors import KamError

    problems = Problems()
    out: dict[str, Any] = {}
    for name, typed in raw.items():
        spec = specs.get(name)
        if spec is None:
            if unknown == "refuse":
                raise KamError(f"unknown field {name!r}")
            continue
        with problems.check():
            out[name] = parse_value(spec, typed)
    problems.raise_any()
    return out
