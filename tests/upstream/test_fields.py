"""Typed reading of bodies: JSON values and their XML text read alike; anything else is refused.

`Fields.drain` reads a long list in order and lets go of each entry as it is read.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from upstream.decode import text_items
from upstream.fields import Fields, ShapeError
from upstream.grids import open_positions
from upstream.times import to_epoch_ms


@pytest.mark.parametrize(
    ("data", "read"),
    [
        ({"n": 12}, 12),
        ({"n": "12"}, 12),
        ({"n": " -3 "}, -3),
        ({"n": Decimal("4")}, 4),
    ],
)
def test_integers_read_from_json_numbers_and_xml_text(data: dict[str, object], read: int) -> None:
    assert Fields(data).integer("n") == read


@pytest.mark.parametrize(
    ("data", "call", "reason"),
    [
        ({"n": True}, lambda f: f.integer("n"), "'n' is a boolean, not an integer"),
        ({"n": Decimal("1.5")}, lambda f: f.integer("n"), "'n' is not an integer"),
        ({"n": True}, lambda f: f.decimal("n"), "'n' is a boolean, not a number"),
        ({"n": [1]}, lambda f: f.decimal("n"), "'n' is not a number"),
        ({"s": 5}, lambda f: f.text("s"), "'s' is not a string"),
        ({"b": "yes"}, lambda f: f.flag("b"), "'b' is not a boolean"),
        ({"o": "x"}, lambda f: f.record("o"), "'o' is not an object"),
        ({"m": 5}, lambda f: f.opt_scaled("m", None), "'m' came without moneyDigits"),
        ({"a": ["x", 1]}, lambda f: text_items(f, "a"), "'a' holds something else than strings"),
    ],
)
def test_values_of_the_wrong_kind_are_shape_errors(
    data: dict[str, object], call: Callable[[Fields], object], reason: str
) -> None:
    with pytest.raises(ShapeError) as caught:
        call(Fields(data))

    assert str(caught.value) == reason


def test_xml_text_and_json_values_read_alike() -> None:
    as_json = Fields({"b": True, "d": Decimal("0.10"), "l": [1, 2]})
    as_xml = Fields({"b": "true", "d": "0.10", "l": ["1", "2"]})

    read = [
        (f.flag("b"), f.decimal("d"), [int(str(x)) for x in f.items("l")])
        for f in (as_json, as_xml)
    ]
    assert read == [(True, Decimal("0.10"), [1, 2])] * 2


def test_a_grid_that_is_not_utf8_is_a_shape_error() -> None:
    with pytest.raises(ShapeError) as caught:
        open_positions(b"\xff\xfe\x00")

    assert str(caught.value) == "the grid is not UTF-8 CSV"


def test_epoch_milliseconds_are_exact_both_ways() -> None:
    assert to_epoch_ms(datetime(2026, 3, 2, 10, 20, 30, 456999, tzinfo=UTC)) == 1_772_446_830_456


def test_drain_yields_the_records_in_order_and_empties_the_parsed_list() -> None:
    parsed: list[object] = [{"login": 1}, {"login": 2}, {"login": 3}]
    fields = Fields({"trader": parsed, "hasMore": False})
    logins = [record.integer("login") for record in fields.drain("trader")]
    assert (logins, parsed, fields.flag("hasMore")) == ([1, 2, 3], [], False)


def test_drain_of_a_single_record_or_none_reads_like_records() -> None:
    single = Fields({"trader": {"login": 7}})
    assert ([r.integer("login") for r in single.drain("trader")], list(Fields({}).drain("x"))) == (
        [7],
        [],
    )
