"""The Decimal scalar: exact strings out, strings (never floats) in."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from schema.scalars import parse_decimal, serialize_decimal


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("1234567.89"), "1234567.89"),
        (Decimal(1).scaleb(-8), "0.00000001"),
        (Decimal(0).scaleb(-2), "0.00"),
        (Decimal("1E+3"), "1000"),
    ],
)
def test_decimals_print_in_positional_notation(value: Decimal, text: str) -> None:
    assert serialize_decimal(value) == text


def test_a_decimal_string_parses_exactly() -> None:
    assert parse_decimal("0.12345678") == Decimal("0.12345678")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (0.1, 'Decimal values are strings such as "1234.56"'),
        (True, 'Decimal values are strings such as "1234.56"'),
        ("ten", "'ten' is not a decimal number"),
        ("NaN", "'NaN' is not a finite decimal number"),
    ],
)
def test_anything_else_is_refused(value: object, message: str) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        parse_decimal(value)
