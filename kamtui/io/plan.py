"""What every import shares: options, the list of problems, the plan shown before writing.

An import is two steps. ``prepare`` reads and validates the whole file against the
database and returns an ``ImportPlan`` (counts, warnings, the first problems); nothing
is written. ``apply`` writes the plan in one transaction, and refuses if an account it
would update was changed elsewhere in the meantime (optimistic concurrency).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kamtui.errors import KamError
from kamtui.money import MAX_INT, bounded_decimal, parse_amount, to_minor

MAX_PROBLEMS = 20
Progress = Callable[[int, int], None]  # (done, total)


@dataclass
class Options:
    fmt: str = "auto"
    mapping: dict[str, str] = field(default_factory=dict)
    encoding: str | None = None
    decimal_comma: bool = False
    source: str | None = None  # the system the file's ids come from (--source)


@dataclass
class Problems:
    """Up to MAX_PROBLEMS messages as 'line N: column X: reason', and the total."""

    items: list[str] = field(default_factory=list)
    total: int = 0

    def add(self, line: int, column: str, reason: str) -> None:
        self.add_at(f"line {line}: column {column}" if column else f"line {line}", reason)

    def add_at(self, where: str, reason: str) -> None:
        self.total += 1
        if len(self.items) < MAX_PROBLEMS:
            self.items.append(f"{where}: {reason}")

    def __bool__(self) -> bool:
        return self.total > 0


@dataclass
class ImportPlan:
    path: Path
    kind: str  # accounts | contacts | economics | dump
    format: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    problems: Problems = field(default_factory=Problems)
    write: Callable[[Progress | None], None] | None = field(default=None, repr=False)
    discard: Callable[[], None] | None = field(default=None, repr=False)  # frees the scratch
    done: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems and self.write is not None

    def counts_text(self) -> str:
        noun = {"accounts": "account", "contacts": "contact", "economics": "period"}.get(
            self.kind, "row"
        )
        if self.kind == "dump":
            return f"{self.created:,} rows in {self.updated} tables to restore"
        return (
            f"{self.created:,} {noun}{'s' if self.created != 1 else ''} to create, "
            f"{self.updated:,} to update, {self.unchanged:,} unchanged"
        )

    def result_text(self) -> str:
        """After writing: what happened."""
        if self.kind == "dump":
            return f"restored {self.created:,} rows into {self.updated} tables"
        return f"{self.created:,} created, {self.updated:,} updated, {self.unchanged:,} unchanged"

    def describe(self) -> list[str]:
        """The preview: what the file is, what would happen, what is wrong."""
        lines = [
            f"{self.path.name}: {self.format}, {self.rows:,} row{'s' if self.rows != 1 else ''}"
            f" of {self.kind}"
        ]
        if self.problems:
            lines.append(
                f"{self.problems.total} problem{'s' if self.problems.total != 1 else ''}: "
                "the file cannot be imported, nothing will change"
            )
            lines.extend(self.problems.items)
            if self.problems.total > len(self.problems.items):
                lines.append(f"… and {self.problems.total - len(self.problems.items)} more")
            return lines
        lines.append(self.counts_text())
        lines.extend(f"note: {n}" for n in self.notes)
        lines.extend(f"warning: {w}" for w in self.warnings)
        return lines


def rejected(plan: ImportPlan) -> KamError:
    n = plan.problems.total
    return KamError(
        f"{plan.path.name} was not imported: {n} problem{'s' if n != 1 else ''}, "
        "nothing was changed"
    )


# --- value parsers shared by the importers --------------------------------------------------

_PLAIN = re.compile(r"-?\d+(\.\d{1,2})?")
_SCIENTIFIC = re.compile(r"[+-]?\d+(\.\d+)?[eE][+-]?\d+")


def amount(raw: str, *, decimal_comma: bool, allow_negative: bool = False) -> int:
    """Money to cents, exactly: '1,200', '$1,100.04', '€ 2.500' (decimal comma), and the
    scientific notation Salesforce Data Loader writes for big numbers ('1.5E7'). Bounded
    before it is converted: at most what a signed 64-bit column holds in cents."""
    text = raw.strip()
    plain = _PLAIN.fullmatch(text) if len(text) < 19 else None
    if plain is not None and text[0] != "-":  # most cells: 1200000 or 1200000.50, no bomb
        whole, _, frac = text.partition(".")
        return int(whole) * 100 + int(frac.ljust(2, "0"))
    if _PLAIN.fullmatch(text) or _SCIENTIFIC.fullmatch(text):
        # the common case from a CRM: 1200000, 1200000.50 or 1.2E6
        negative = text[0] == "-"
        cents = to_minor(text.lstrip("+-"), negative=negative)
    else:
        _check_groups(text, decimal_comma)
        cents = parse_amount(text, decimal_comma=decimal_comma)
    if cents < 0 and not allow_negative:
        raise ValueError(f"{text[:40]!r}: cannot be negative")
    return cents


def _check_groups(text: str, decimal_comma: bool) -> None:
    """Refuse amounts whose separators say the other convention: '2.500,50' without
    --decimal-comma would silently become 2.50 — a wrong number is worse than an error."""
    digits = re.sub(r"[^\d.,]", "", text)
    group, point = (".", ",") if decimal_comma else (",", ".")
    whole = digits.split(point)[0] if digits.count(point) == 1 else digits
    grouped = re.fullmatch(r"\d{1,3}(" + re.escape(group) + r"\d{3})+", whole)
    after = point in digits and digits.rfind(group) > digits.find(point)
    if digits.count(point) > 1 or after or (group in whole and not grouped):
        hint = (
            "is --decimal-comma right for this file?"
            if decimal_comma
            else "use --decimal-comma if commas mark decimals"
        )
        raise ValueError(f"{text!r} is not an amount ({hint})")


def whole_number(raw: str, *, decimal_comma: bool) -> int:
    if len(raw) < 19 and raw.isascii() and raw.isdigit():  # the common case, no bomb
        return int(raw)
    text = raw.strip().replace(" ", "").replace("_", "").replace("'", "")
    text = text.replace(".", "") if decimal_comma else text.replace(",", "")
    if decimal_comma:
        text = text.replace(",", ".")
    shown = raw.strip()[:40]
    if not (re.fullmatch(r"-?\d+(\.0+)?", text) or _SCIENTIFIC.fullmatch(text)):
        raise ValueError(f"{shown!r} is not a whole number")
    value = bounded_decimal(text.lstrip("+"), limit=MAX_INT)  # before any int(): no bombs
    if value != value.to_integral_value():
        raise ValueError(f"{shown!r} is not a whole number")
    number = int(value)
    if number < 0:
        raise ValueError(f"{shown!r}: cannot be negative")
    return number


def short_text(raw: str, limit: int) -> str:
    value = raw.strip()
    if len(value) > limit:
        raise ValueError(f"longer than {limit} characters ({len(value)})")
    return value


def iso_date(raw: str) -> dt.date:
    value = raw.strip()
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        raise ValueError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def chunks(items: list[Any], size: int = 2000) -> list[list[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]
