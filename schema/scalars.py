"""Scalars: `Decimal` as an exact string, `DateTime` as ISO 8601 (Strawberry's own).

Strawberry's built-in Decimal prints with `str()`, which writes 0.00000001 as "1E-8"; clients
parsing money want plain positional notation, so the override below prints with `format(v, "f")`.
Parsing accepts a string (or an integer literal) and never a float.
"""

from __future__ import annotations

import decimal

import strawberry
from strawberry.types.scalar import ScalarDefinition


def serialize_decimal(value: decimal.Decimal) -> str:
    return format(value, "f")


def parse_decimal(value: object) -> decimal.Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError('Decimal values are strings such as "1234.56"')
    try:
        parsed = decimal.Decimal(value)
    except decimal.InvalidOperation:
        raise ValueError(f"{value!r} is not a decimal number") from None
    if not parsed.is_finite():
        raise ValueError(f"{value!r} is not a finite decimal number")
    return parsed


DecimalScalar = strawberry.scalar(
    name="Decimal",
    description='An exact decimal number, written as a string ("1234567.89").',
    serialize=serialize_decimal,
    parse_value=parse_decimal,
)

SCALAR_OVERRIDES: dict[object, ScalarDefinition] = {decimal.Decimal: DecimalScalar}
