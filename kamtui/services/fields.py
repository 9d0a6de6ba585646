"""Parsing what a person typed into a value we can store, with one clear message."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from kamtui.errors import ValidationError
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
            raise ValueError(f"{raw.strip()!r} is not one of: {', '.join(values)}")
        return value

    return parse


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
