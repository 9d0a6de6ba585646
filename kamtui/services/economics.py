"""Periods, quarters and the figures derived from them. Plain functions."""

from __future__ import annotations

import datetime as dt
import re


def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clipped to the month's end (Jan 31 + 1 = Feb 28/29)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def last_four_quarters(today: dt.date) -> tuple[dt.date, dt.date]:
    """[start, end): the four complete quarters before the current one."""
    end = quarter_start(today)
    return add_months(end, -12), end


def previous_four_quarters(today: dt.date) -> tuple[dt.date, dt.date]:
    """The four quarters before ``last_four_quarters`` (for growth)."""
    start, _ = last_four_quarters(today)
    return add_months(start, -12), start


def ratio(revenue_minor: int, cost_minor: int) -> float | None:
    """Revenue-to-cost-to-serve ratio (display only); None when there is no cost."""
    if cost_minor <= 0:
        return None
    return revenue_minor / cost_minor


def parse_period(raw: str) -> tuple[dt.date, str]:
    """'2026-Q3' -> (2026-07-01, 'quarter'); '2026-07' -> (2026-07-01, 'month')."""
    value = raw.strip().upper().replace(" ", "")
    if m := re.fullmatch(r"(\d{4})-?Q([1-4])", value):
        return dt.date(int(m[1]), 3 * (int(m[2]) - 1) + 1, 1), "quarter"
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})", value):
        month = int(m[2])
        if 1 <= month <= 12:
            return dt.date(int(m[1]), month, 1), "month"
    raise ValueError(f"{raw.strip()!r} is not a period: write 2026-Q3 or 2026-07")


def format_period(start: dt.date, kind: str) -> str:
    if kind == "quarter":
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    return f"{start.year}-{start.month:02d}"
