"""Money as exact integer minor units (cents). Never binary floats."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

_CURRENCY_MARKS = re.compile(r"[\s$€£¥]|EUR|USD|GBP|CHF|JPY", re.IGNORECASE)


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
        raise ValueError(f"{raw.strip()!r} is not an amount")
    try:
        value = Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - regex guards this
        raise ValueError(f"{raw!r} is not an amount") from exc
    cents = int((value * 100).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))
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
