"""Scalars: `Decimal` as an exact string, `DateTime` as ISO 8601 (Strawberry's own).

Strawberry's built-in Decimal prints with `str()`, which writes 0.00000001 as "1E-8"; clients
parsing money want plain positional notation, so the override below prints with `format(v, "f")`.
Parsing accepts a string (or an integer literal) and never a float, through
`resolvers.decimals.client_decimal`: a number the service refuses to compute with (NaN, an
infinity, an exponent, more than 28 digits) parses to an `UnusableDecimal`, which each input
then refuses with its own typed error (the money mutations' `InvalidAmount`), for inline
literals and variables alike.
"""

from __future__ import annotations

import decimal

import strawberry
from graphql import IntValueNode, StringValueNode, ValueNode
from strawberry.types.scalar import ScalarDefinition

from resolvers.decimals import MAX_DIGITS, UnusableDecimal, client_decimal

NOT_A_STRING = 'Decimal values are strings such as "1234.56"'


def serialize_decimal(value: decimal.Decimal) -> str:
    """Positional notation: `str` when it writes no exponent (the same text, at a third of the
    cost), else `format(value, "f")`."""
    text = str(value)
    return format(value, "f") if "E" in text else text


def parse_decimal(value: object) -> decimal.Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError(NOT_A_STRING)
    if isinstance(value, int):
        return _integer(value)
    return client_decimal(value)


def parse_decimal_literal(node: ValueNode, _variables: object = None) -> decimal.Decimal:
    """An inline literal, read from its text: a long integer literal never becomes an int."""
    if isinstance(node, StringValueNode | IntValueNode):
        return client_decimal(node.value)
    raise ValueError(NOT_A_STRING)


def _integer(value: int) -> decimal.Decimal:
    if abs(value) >= 10**MAX_DIGITS:
        return UnusableDecimal(f"the integer has more than {MAX_DIGITS} significant digits")
    return decimal.Decimal(value)


DecimalScalar = strawberry.scalar(
    name="Decimal",
    description='An exact decimal number, written as a string ("1234567.89").',
    serialize=serialize_decimal,
    parse_value=parse_decimal,
    parse_literal=parse_decimal_literal,
)

SCALAR_OVERRIDES: dict[object, ScalarDefinition] = {decimal.Decimal: DecimalScalar}
