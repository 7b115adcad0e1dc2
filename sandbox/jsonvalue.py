"""The JSON value type shared by the wire codecs and the handlers (no `Any` crosses a layer)."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from json.encoder import encode_basestring
from typing import TypeAlias

Json: TypeAlias = bool | int | str | Decimal | list["Json"] | dict[str, "Json"] | None
JsonObject: TypeAlias = dict[str, Json]


def dumps(value: Json) -> str:
    """JSON text; Decimals are written as exact numbers (never through float)."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, str):
        return _quote(value)
    if isinstance(value, list):
        return "[" + ",".join(dumps(item) for item in value) + "]"
    return "{" + ",".join(f"{_quote(key)}:{dumps(item)}" for key, item in value.items()) + "}"


@lru_cache(maxsize=4096)
def _key(text: str) -> str:
    return encode_basestring(text)


def _quote(text: str) -> str:
    return encode_basestring(text)
