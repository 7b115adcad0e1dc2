"""What a client's decimal may be: plain digits, finite, at most 28 of them, at most 28 decimals.

The `Decimal` scalar (`schema/scalars.py`) reads every client decimal through `client_decimal`.
Text that is no number at all ("ten", 0.1 as a float) is a GraphQL coercion error, as for any
other scalar. A number the service will not compute with (NaN, an infinity, an exponent such as
"1e999999999", more than `MAX_DIGITS` significant digits or decimals) parses instead to an
`UnusableDecimal`: a NaN that says why. Each input that takes a decimal refuses it with its own
typed error before anything else reads the value (the money mutations' `InvalidAmount`, before
the order hash, the journal and the upstream; the lifecycle's `InvalidInput`). Being a NaN, it
also fails every `is_finite()` check and raises on any comparison, so a consumer that forgot to
look cannot compute with it.

28 digits is the default decimal context's precision, so every product and sum of two client
decimals is exact or rounded once, and far beyond any money the upstream can hold (its amounts
are 64-bit integers of 10^-moneyDigits units).
"""

from __future__ import annotations

import decimal
import re

MAX_DIGITS = 28
_ECHO = 24
_PLAIN = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)")


class UnusableDecimal(decimal.Decimal):
    """A client's number refused for computing: NaN-valued, with the reason for its refusal."""

    reason: str

    def __new__(cls, reason: str) -> UnusableDecimal:
        unusable = super().__new__(cls, "NaN")
        unusable.reason = reason
        return unusable


def echo(text: str) -> str:
    """The client's text, quoted and cut short: a refusal never repeats a megabyte back."""
    return repr(text if len(text) <= _ECHO else text[:_ECHO] + "...")


def client_decimal(text: str) -> decimal.Decimal:
    """`text` as an exact Decimal, or an `UnusableDecimal`; raises ValueError if no number."""
    if _PLAIN.fullmatch(text) is None:
        return _special(text)
    value = decimal.Decimal(text)
    decimals = len(text.partition(".")[2])
    if len(value.as_tuple().digits) > MAX_DIGITS or decimals > MAX_DIGITS:
        limit = f"more than {MAX_DIGITS} significant digits or decimals"
        return UnusableDecimal(f"{echo(text)} has {limit}")
    return value


def _special(text: str) -> decimal.Decimal:
    """Text that is not plain digits: a number the service refuses, or no number at all."""
    try:
        value = decimal.Decimal(text)
    except decimal.InvalidOperation:
        value = None
    if value is not None and not value.is_finite():
        return UnusableDecimal(f"{echo(text)} is not a finite number")
    if value is not None and "e" in text.lower():
        written = 'is written with an exponent; write its digits out, as in "1234.56"'
        return UnusableDecimal(f"{echo(text)} {written}")
    raise ValueError(f"{echo(text)} is not a decimal number")
