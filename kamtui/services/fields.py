"""Parsing what a person typed into a value we can store, with one clear message."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from kamtui.errors import ValidationError
from kamtui.money import parse_amount

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


def long_text(raw: str) -> str:
    return raw.rstrip()


def count(raw: str) -> int | None:
    value = raw.strip().replace(",", "").replace("_", "")
    if not value:
        return None
    if not re.fullmatch(r"-?\d+", value):
        raise ValueError(f"{raw.strip()!r} is not a whole number")
    number = int(value)
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
        if not value.isdigit() or not low <= int(value) <= high:
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
