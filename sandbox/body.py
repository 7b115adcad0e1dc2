"""Typed reads of a request body, tolerant the way live servers are (numeric strings, XML text).

A body parsed from XML holds only strings, lists and objects, so every accessor accepts the string
form of its type too; anything unreadable is an `INVALID_REQUEST` naming the key.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from sandbox.exceptions import InvalidRequest
from sandbox.jsonvalue import Json, JsonObject

_INTEGER = re.compile(r"^-?\d+$")
INT64 = 2**63


class Body:
    def __init__(self, data: JsonObject) -> None:
        self.data = data

    def has(self, key: str) -> bool:
        return self.data.get(key) is not None

    def opt_int(self, key: str, *, required: bool = False) -> int | None:
        value = self._get(key, required)
        return None if value is None else to_int(key, value)

    def req_int(self, key: str) -> int:
        return to_int(key, self._get(key, True))

    def opt_str(self, key: str, *, required: bool = False) -> str | None:
        value = self._get(key, required)
        return None if value is None else _to_str(key, value)

    def req_str(self, key: str) -> str:
        return _to_str(key, self._get(key, True))

    def opt_bool(self, key: str, *, required: bool = False) -> bool | None:
        value = self._get(key, required)
        if value is None or isinstance(value, bool):
            return value
        if value in ("true", "false"):
            return value == "true"
        raise InvalidRequest(f"'{key}' must be a boolean")

    def decimal(self, key: str) -> Decimal:
        value = self._get(key, True)
        if isinstance(value, bool) or not isinstance(value, int | str | Decimal):
            raise InvalidRequest(f"'{key}' must be a number")
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise InvalidRequest(f"'{key}' must be a number") from None
        if not number.is_finite():
            raise InvalidRequest(f"'{key}' must be a number")
        return number

    def enum(self, key: str, values: tuple[str, ...], *, required: bool = False) -> str | None:
        value = self.opt_str(key, required=required)
        if value is not None and value not in values:
            raise InvalidRequest(f"'{key}' must be one of {', '.join(values)}")
        return value

    def req_enum(self, key: str, values: tuple[str, ...]) -> str:
        value = self.req_str(key)
        if value not in values:
            raise InvalidRequest(f"'{key}' must be one of {', '.join(values)}")
        return value

    def obj(self, key: str) -> Body | None:
        value = self._get(key, False)
        if value is None:
            return None
        if value == "":
            return Body({})
        if not isinstance(value, dict):
            raise InvalidRequest(f"'{key}' must be an object")
        return Body(value)

    def opt_list(self, key: str, *, required: bool = False) -> list[Json] | None:
        """A list; a single XML element (or scalar) counts as a one-item list."""
        value = self._get(key, required)
        if value is None:
            return None
        if isinstance(value, dict) and len(value) == 1:
            (inner,) = value.values()  # XML wrapper element: <traderIds><id>1</id>...</traderIds>
            value = inner
        return value if isinstance(value, list) else [value]

    def _get(self, key: str, required: bool) -> Json:
        value = self.data.get(key)
        if value is None and required:
            raise InvalidRequest(f"'{key}' is required")
        return value


def _to_str(key: str, value: Json) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise InvalidRequest(f"'{key}' must be a string")
    return str(value)


def to_int(key: str, value: Json) -> int:
    """An integer that fits the database's 64-bit columns, else `INVALID_REQUEST`."""
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and _INTEGER.match(value.strip()) and len(value.strip()) < 20:
        number = int(value.strip())
    elif isinstance(value, Decimal) and value.is_finite() and abs(value) < INT64:
        number = int(value) if value == value.to_integral_value() else None
    if number is None or not -INT64 < number < INT64:
        raise InvalidRequest(f"'{key}' must be an integer")
    return number
