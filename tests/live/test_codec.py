"""Changes cross Redis as JSON: exact decimals, aware times, enums; nothing else gets in."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from live.changes import Audience, Change, ChangeKind, Item
from live.codec import (
    RecordCodec,
    decode_changes,
    decode_snapshot,
    encode_changes,
    encode_snapshot,
)


class Side(enum.Enum):
    BUY = "BUY"
    SELL = "SELL"


@dataclass(frozen=True)
class Row:
    login: int
    amount: Decimal
    at: datetime
    side: Side
    note: str | None
    open: bool


ROW = Row(
    7, Decimal("0.12345678"), datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC), Side.SELL, None, True
)


def test_changes_survive_the_round_trip_digit_for_digit() -> None:
    codec = RecordCodec(Row)
    changes = (Change(ChangeKind.UPDATED, "7", ROW, Audience("atlas-markets", "1001")),)
    assert decode_changes(encode_changes(changes, codec), codec) == changes


def test_decimals_travel_as_strings_not_floats() -> None:
    codec = RecordCodec(Row)
    assert codec.dump(ROW) == {
        "login": 7,
        "amount": "0.12345678",
        "at": "2026-01-02T03:04:05+00:00",
        "side": "SELL",
        "note": None,
        "open": True,
    }


def test_a_message_of_another_shape_is_refused() -> None:
    with pytest.raises(ValueError, match="not a change message"):
        decode_changes('[{"kind": "ADDED"}]', RecordCodec(Row))


def test_a_record_with_a_field_it_cannot_carry_is_refused_up_front() -> None:
    @dataclass(frozen=True)
    class Nested:
        rows: list[Row]

    with pytest.raises(TypeError, match="no codec for a field"):
        RecordCodec(Nested)


def test_a_snapshot_survives_the_round_trip() -> None:
    codec = RecordCodec(Row)
    snapshot = {"7": Item(ROW, Audience("atlas-markets", None))}
    assert decode_snapshot(encode_snapshot(snapshot, codec), codec) == snapshot
