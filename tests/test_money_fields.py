from __future__ import annotations

import datetime as dt

import pytest

from kamtui.errors import ValidationError
from kamtui.money import format_amount, format_compact, parse_amount
from kamtui.services import fields as f
from kamtui.services.economics import add_months, format_period, last_four_quarters, parse_period


@pytest.mark.parametrize(
    ("raw", "cents", "comma"),
    [
        ("1,200", 120000, False),
        ("$1,100.04", 110004, False),
        ("€ 2.500", 250000, True),
        ("2.500,75 €", 250075, True),
        ("0.1", 10, False),
        ("-15.5", -1550, False),
        ("(200)", -20000, False),
        ("1234567.89", 123456789, False),
    ],
)
def test_amounts_parse_exactly(raw: str, cents: int, comma: bool) -> None:
    assert parse_amount(raw, decimal_comma=comma) == cents


@pytest.mark.parametrize("raw", ["", "abc", "1.2.3", "12a", "--5", "$"])
def test_bad_amounts_are_refused(raw: str) -> None:
    with pytest.raises(ValueError, match="not an amount"):
        parse_amount(raw)


def test_amounts_format_for_people() -> None:
    assert format_amount(123456789) == "1,234,568"
    assert format_amount(123456789, cents=True) == "1,234,567.89"
    assert format_compact(123456789) == "1.2M"
    assert format_compact(-5000000) == "-50k"


def test_field_parsers_explain_what_is_wrong() -> None:
    spec = f.FieldSpec("employees", "Employees", f.count)
    assert f.parse_value(spec, " 1,250 ") == 1250
    assert f.parse_value(spec, "") is None
    with pytest.raises(ValidationError, match="Employees: cannot be negative"):
        f.parse_value(spec, "-3")
    with pytest.raises(ValidationError, match="not a whole number"):
        f.parse_value(spec, "twelve")
    date = f.FieldSpec("next_review", "Next review", f.date)
    assert f.parse_value(date, "2026-02-28") == dt.date(2026, 2, 28)
    with pytest.raises(ValidationError, match="not a date"):
        f.parse_value(date, "2026-02-30")
    choice = f.FieldSpec("why_buy", "Why", f.choice(("price", "quality"), optional=True))
    assert f.parse_value(choice, "Price") == "price"
    with pytest.raises(ValidationError, match="not one of"):
        f.parse_value(choice, "luck")


def test_quarters_and_periods() -> None:
    assert last_four_quarters(dt.date(2026, 11, 16)) == (dt.date(2025, 10, 1), dt.date(2026, 10, 1))
    assert last_four_quarters(dt.date(2026, 1, 1)) == (dt.date(2025, 1, 1), dt.date(2026, 1, 1))
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2025, 1, 31), 1) == dt.date(2025, 2, 28)
    assert parse_period("2026-q3") == (dt.date(2026, 7, 1), "quarter")
    assert parse_period("2026-07") == (dt.date(2026, 7, 1), "month")
    assert format_period(dt.date(2026, 7, 1), "quarter") == "2026-Q3"
    with pytest.raises(ValueError, match="not a period"):
        parse_period("2026-13")
