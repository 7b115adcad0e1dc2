"""The Decimal scalar: exact strings out, strings (never floats) in."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from graphql import BooleanValueNode, FloatValueNode, IntValueNode, StringValueNode, ValueNode

from resolvers.decimals import UnusableDecimal
from schema.scalars import NOT_A_STRING, parse_decimal, parse_decimal_literal, serialize_decimal


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
        ("1_000", "'1_000' is not a decimal number"),
        (" 12", "' 12' is not a decimal number"),
        ("x" * 40, "'xxxxxxxxxxxxxxxxxxxxxxxx...' is not a decimal number"),
    ],
)
def test_anything_else_is_refused(value: object, message: str) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        parse_decimal(value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("9" * 28, Decimal("9" * 28)),
        ("0." + "0" * 27 + "1", Decimal(1).scaleb(-28)),
        ("0" * 40 + "1.5", Decimal("1.5")),
        ("-0.5", Decimal("-0.5")),
        (".5", Decimal("0.5")),
    ],
)
def test_up_to_28_digits_and_decimals_parse_exactly(text: str, value: Decimal) -> None:
    parsed = parse_decimal(text)
    assert (type(parsed), parsed) == (Decimal, value)


ENOUGH = "more than 28 significant digits or decimals"


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("NaN", "'NaN' is not a finite number"),
        ("sNaN", "'sNaN' is not a finite number"),
        ("-Infinity", "'-Infinity' is not a finite number"),
        (
            "1e999999999",
            "'1e999999999' is written with an exponent; write its digits out, as in \"1234.56\"",
        ),
        ("1E+2", "'1E+2' is written with an exponent; write its digits out, as in \"1234.56\""),
        ("9" * 29, f"'999999999999999999999999...' has {ENOUGH}"),
        ("0." + "0" * 28 + "1", f"'0.0000000000000000000000...' has {ENOUGH}"),
        ("1." + "0" * 28, f"'1.0000000000000000000000...' has {ENOUGH}"),
        (10**28, "the integer has more than 28 significant digits"),
    ],
)
def test_a_number_no_money_can_be_parses_unusable(value: object, reason: str) -> None:
    parsed = parse_decimal(value)
    assert isinstance(parsed, UnusableDecimal)
    assert (parsed.is_nan(), parsed.reason) == (True, reason)


def test_an_integer_parses_exactly() -> None:
    assert parse_decimal(-(10**28) + 1) == Decimal(-(10**28) + 1)


def test_a_literal_is_read_from_its_text() -> None:
    literals = [StringValueNode(value="12.50"), IntValueNode(value="7")]
    assert [parse_decimal_literal(node) for node in literals] == [Decimal("12.50"), Decimal(7)]


def test_a_long_integer_literal_parses_unusable_without_becoming_an_int() -> None:
    parsed = parse_decimal_literal(IntValueNode(value="9" * 5000))
    assert isinstance(parsed, UnusableDecimal)
    assert parsed.reason == f"'999999999999999999999999...' has {ENOUGH}"


@pytest.mark.parametrize("node", [FloatValueNode(value="1.5"), BooleanValueNode(value=True)])
def test_other_literals_are_refused(node: ValueNode) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(NOT_A_STRING)}$"):
        parse_decimal_literal(node)
