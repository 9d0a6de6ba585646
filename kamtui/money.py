"""Money as exact integer minor units (cents). Never binary floats."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

_CURRENCY_MARKS = re.compile(r"[\s$€£¥]|EUR|USD|GBP|CHF|JPY", re.IGNORECASE)

# What a column can hold: money in minor units and counts are signed 64-bit integers
# (SQLite INTEGER, PostgreSQL BIGINT). Numbers are bounded *before* they are converted,
# from their digits and exponent alone: int(Decimal("1e50000000")) would take minutes.
MAX_INT = 2**63 - 1
MAX_MINOR = MAX_INT
_NUMBER = re.compile(r"([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?")


class TooLarge(ValueError):
    """A number beyond what the column can hold."""


def too_large(limit_minor: int, scale: int) -> TooLarge:
    limit = Decimal(limit_minor).scaleb(-scale)
    shown = f"{limit:,.{scale}f}" if scale else f"{limit_minor:,}"
    return TooLarge(f"number too large (at most {shown})")


def bounded_decimal(text: str, *, scale: int = 0, limit: int = MAX_INT) -> Decimal:
    """``text`` (digits, an optional fraction and exponent, no separators) as a Decimal
    whose value times 10**scale fits ``limit``; else TooLarge. The check looks at the
    digits and the exponent only, so '1E999999999' or a 40-digit string costs nothing."""
    match = _NUMBER.fullmatch(text)
    if match is None or not (match.group(2) or match.group(3)):
        raise ValueError(f"{text[:40]!r} is not a number")
    whole, frac, exp_text = match.group(2), match.group(3) or "", match.group(4)
    exp_digits = (exp_text or "0").lstrip("+-").lstrip("0")
    if len(exp_digits) > 7:  # |exponent| of at least 10 million
        if not exp_text or exp_text[0] != "-":
            raise too_large(limit, scale)
        return Decimal(0)  # so small that it rounds to zero
    exp = int(exp_text or "0")
    significant = whole.lstrip("0")
    if significant:
        magnitude = len(significant) + exp  # digits before the point
    else:
        lead = len(frac) - len(frac.lstrip("0"))
        magnitude = exp - lead if frac.strip("0") else -(10**9)
    if magnitude + scale > len(str(limit)):
        raise too_large(limit, scale)
    if magnitude < -(10**6):  # zero, or so small that it rounds to zero
        return Decimal(0)
    value = Decimal(text)
    if abs(value.scaleb(scale)) > limit:
        raise too_large(limit, scale)
    return value


def parse_amount(raw: str, *, decimal_comma: bool = False) -> int:
    """Parse a human amount ("1,200", "$1,100.04", "€ 2.500" with decimal_comma) to cents.

    Raises ValueError with a readable message.
    """
    text = _CURRENCY_MARKS.sub("", raw.strip())
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1]
    if text.startswith("-"):
        negative, text = not negative, text[1:]
    if decimal_comma:
        text = text.replace(".", "").replace("'", "").replace(",", ".")
    else:
        text = text.replace(",", "").replace("'", "")
    if not text or not re.fullmatch(r"\d+(\.\d+)?", text):
        raise ValueError(f"{raw.strip()[:40]!r} is not an amount")
    return to_minor(text, negative=negative)


def to_minor(text: str, *, negative: bool = False) -> int:
    """Plain or scientific number text ('1200.50', '1.5E7') to cents, bounded first."""
    try:
        value = bounded_decimal(text, scale=2, limit=MAX_MINOR)
        cents = int((value * 100).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))
    except InvalidOperation:  # pragma: no cover - bounded_decimal guards this
        raise ValueError(f"{text[:40]!r} is not an amount") from None
    if abs(cents) > MAX_MINOR:  # rounding up at the very edge
        raise too_large(MAX_MINOR, 2)
    return -cents if negative else cents


def to_decimal(minor: int) -> Decimal:
    return (Decimal(minor) / 100).quantize(Decimal("0.01"))


def format_amount(minor: int | None, *, cents: bool = False) -> str:
    """1234567 -> '12,345.67' with cents, '12,346' without."""
    if minor is None:
        return ""
    if cents:
        return f"{to_decimal(minor):,.2f}"
    whole = (Decimal(minor) / 100).quantize(Decimal(1), rounding=ROUND_HALF_EVEN)
    return f"{whole:,}"


def format_compact(minor: int | None) -> str:
    """Short form for narrow columns: 1.2M, 340k, 950."""
    if minor is None:
        return ""
    value = float(minor) / 100  # display only (2-3 digits); a Decimal SUM works too
    sign = "-" if value < 0 else ""
    value = abs(value)
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if value >= limit:
            shown = value / limit
            return f"{sign}{shown:.1f}{suffix}" if shown < 10 else f"{sign}{shown:.0f}{suffix}"
    return f"{sign}{value:.0f}"
