"""Typed reading of a decoded body, the same for JSON and for XML.

JSON gives numbers and booleans; XML gives their text. `Fields` accepts both, so one decoder per
record serves both formats. An XML array of one element looks like a scalar and an empty one is
absent, so `items` accepts a single value or nothing as well as a list. Anything that does not
fit raises `ShapeError`, which the call layer turns into `MalformedResponse`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import TypeVar

from upstream.times import from_epoch_ms

E = TypeVar("E", bound=StrEnum)
_INTEGER = re.compile(r"-?\d+")


class ShapeError(ValueError):
    """A body that parsed but is not what the call answers."""


@dataclass(frozen=True, slots=True)
class Fields:
    data: Mapping[str, object]

    def has(self, key: str) -> bool:
        return self.data.get(key) not in (None, "")

    def raw(self, key: str) -> object:
        if key not in self.data or self.data[key] is None:
            raise ShapeError(f"missing key {key!r}")
        return self.data[key]

    def integer(self, key: str) -> int:
        return as_integer(self.raw(key), key)

    def opt_integer(self, key: str) -> int | None:
        return self.integer(key) if self.has(key) else None

    def text(self, key: str) -> str:
        value = self.raw(key)
        if not isinstance(value, str):
            raise ShapeError(f"{key!r} is not a string")
        return value

    def opt_text(self, key: str) -> str | None:
        return self.text(key) if self.data.get(key) is not None else None

    def flag(self, key: str) -> bool:
        return as_flag(self.raw(key), key)

    def opt_flag(self, key: str) -> bool | None:
        return self.flag(key) if self.has(key) else None

    def decimal(self, key: str) -> Decimal:
        return as_decimal(self.raw(key), key)

    def opt_decimal(self, key: str) -> Decimal | None:
        return self.decimal(key) if self.has(key) else None

    def scaled(self, key: str, digits: int) -> Decimal:
        """A moneyDigits-scaled integer as the exact Decimal it stands for."""
        return Decimal(self.integer(key)).scaleb(-digits)

    def opt_scaled(self, key: str, digits: int | None) -> Decimal | None:
        if not self.has(key):
            return None
        if digits is None:
            raise ShapeError(f"{key!r} came without moneyDigits")
        return self.scaled(key, digits)

    def timestamp(self, key: str) -> datetime:
        return from_epoch_ms(self.integer(key))

    def opt_timestamp(self, key: str) -> datetime | None:
        """Absent, empty or 0 (the upstream's "never") is None."""
        ms = self.opt_integer(key)
        return from_epoch_ms(ms) if ms else None

    def enum(self, key: str, kind: type[E]) -> E:
        return as_enum(self.raw(key), kind, key)

    def opt_enum(self, key: str, kind: type[E]) -> E | None:
        return self.enum(key, kind) if self.has(key) else None

    def record(self, key: str) -> Fields:
        value = self.data.get(key)
        return Fields({}) if value in (None, "") else as_fields(value, key)

    def items(self, key: str) -> list[object]:
        value = self.data.get(key)
        if value in (None, ""):
            return []
        return list(value) if isinstance(value, list) else [value]

    def records(self, key: str) -> list[Fields]:
        return [as_fields(item, key) for item in self.items(key)]

    def drain(self, key: str) -> Iterator[Fields]:
        """The records of `key` in order, each let go of once read, so that a long list (the
        trader index: 100,000 entries) is never held as parsed JSON and as records at once."""
        value = self.data.get(key)
        if not isinstance(value, list):
            yield from self.records(key)
            return
        value.reverse()
        while value:
            yield as_fields(value.pop(), key)


def as_fields(value: object, key: str) -> Fields:
    if not isinstance(value, Mapping):
        raise ShapeError(f"{key!r} is not an object")
    return Fields(value)


def as_integer(value: object, key: str) -> int:
    if isinstance(value, bool):
        raise ShapeError(f"{key!r} is a boolean, not an integer")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and _INTEGER.fullmatch(value.strip()):
        return int(value)
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    raise ShapeError(f"{key!r} is not an integer")


def as_flag(value: object, key: str) -> bool:
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    raise ShapeError(f"{key!r} is not a boolean")


def as_decimal(value: object, key: str) -> Decimal:
    if isinstance(value, bool):
        raise ShapeError(f"{key!r} is a boolean, not a number")
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, str):
        return parse_decimal(value, key)
    raise ShapeError(f"{key!r} is not a number")


def parse_decimal(text: str, key: str) -> Decimal:
    try:
        number = Decimal(text.strip())
    except InvalidOperation:
        raise ShapeError(f"{key!r} is not a number") from None
    if not number.is_finite():
        raise ShapeError(f"{key!r} is not a finite number")
    return number


def as_enum(value: object, kind: type[E], key: str) -> E:
    """One lookup by value (a scan of the members' values cost more, once per grid cell)."""
    if isinstance(value, str):
        try:
            return kind(value)
        except ValueError:
            pass
    raise ShapeError(f"{key!r} has an unknown value {value!r}")
