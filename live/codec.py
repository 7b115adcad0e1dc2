"""Dataclass values as JSON text and back, for changes that travel between replicas via Redis.

Only flat records cross (the trader's account figures, an open position, a journal entry): their
fields are ints, strings, booleans, `Decimal`s (as exact strings, never floats), aware
`datetime`s (ISO 8601), string enums, or None. Anything else is refused when the codec is built,
not when a message arrives. JSON, not pickle: a message from Redis is data, never code.
"""

from __future__ import annotations

import enum
import json
import types
import typing
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Generic, TypeVar

from live.changes import Audience, Change, ChangeKind, Item, Snapshot

T = TypeVar("T")
Scalar = str | int | bool | None
SCALARS: tuple[type, ...] = (bool, int, str, Decimal, datetime)


def _plain(hint: object) -> type:
    """`X | None` -> X; a field of any other shape is refused."""
    args = [arg for arg in typing.get_args(hint) if arg is not types.NoneType]
    found = args[0] if isinstance(hint, types.UnionType) and len(args) == 1 else hint
    if isinstance(found, type) and (issubclass(found, SCALARS) or issubclass(found, enum.Enum)):
        return found
    raise TypeError(f"no codec for a field of type {hint!r}")


def _dump(value: object) -> Scalar:
    if isinstance(value, enum.Enum):
        return _dump(value.value)
    if isinstance(value, Decimal | datetime):
        return value.isoformat() if isinstance(value, datetime) else str(value)
    if value is None or isinstance(value, str | int | bool):
        return value
    raise TypeError(f"cannot encode {type(value).__name__}")


def _load(raw: object, kind: type) -> object:
    if raw is None:
        return None
    if issubclass(kind, enum.Enum):
        return kind(raw)
    if kind is Decimal:
        return Decimal(str(raw))
    if kind is datetime:
        return datetime.fromisoformat(str(raw))
    if not isinstance(raw, kind):
        raise ValueError(f"expected {kind.__name__}, got {type(raw).__name__}")
    return raw


class RecordCodec(Generic[T]):
    """Encodes and decodes one flat dataclass type."""

    def __init__(self, record: type[T]) -> None:
        self._record = record
        self._fields = {name: _plain(hint) for name, hint in typing.get_type_hints(record).items()}

    def dump(self, value: T) -> dict[str, Scalar]:
        return {name: _dump(getattr(value, name)) for name in self._fields}

    def load(self, data: Mapping[str, object]) -> T:
        return self._record(**{name: _load(data.get(name), k) for name, k in self._fields.items()})


def encode_changes(changes: tuple[Change[T], ...], codec: RecordCodec[T]) -> str:
    return json.dumps([_change(change, codec) for change in changes])


def _change(change: Change[T], codec: RecordCodec[T]) -> dict[str, object]:
    audience = {"whiteLabel": change.audience.white_label, "caller": change.audience.caller}
    value = codec.dump(change.value)
    return {"kind": change.kind.value, "key": change.key, "audience": audience, "value": value}


def decode_changes(text: str | bytes, codec: RecordCodec[T]) -> tuple[Change[T], ...]:
    """The changes of one message; a message of another shape raises `ValueError`."""
    try:
        return tuple(_read_change(raw, codec) for raw in json.loads(text))
    except (KeyError, TypeError, AttributeError) as error:
        raise ValueError(f"not a change message: {error}") from error


def _read_change(raw: object, codec: RecordCodec[T]) -> Change[T]:
    fields = _mapping(raw)
    audience = _mapping(fields["audience"])
    seen = Audience(_text(audience["whiteLabel"]), _text(audience["caller"]))
    value = codec.load(_mapping(fields["value"]))
    return Change(ChangeKind(str(fields["kind"])), str(fields["key"]), value, seen)


def _mapping(raw: object) -> Mapping[str, object]:
    if not isinstance(raw, dict):
        raise TypeError(f"expected an object, got {type(raw).__name__}")
    return raw


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def encode_snapshot(snapshot: Snapshot[T], codec: RecordCodec[T]) -> str:
    """A whole snapshot, as the changes that would build it from nothing."""
    added = tuple(Change(ChangeKind.ADDED, k, i.value, i.audience) for k, i in snapshot.items())
    return encode_changes(added, codec)


def decode_snapshot(text: str | bytes, codec: RecordCodec[T]) -> Snapshot[T]:
    return {
        change.key: Item(change.value, change.audience) for change in decode_changes(text, codec)
    }
