"""The price of `traders(filter:)`: conditions that read more than the index are charged."""

from __future__ import annotations

import pytest

from limits.cost import Plan, Price, price

PLAN = Plan(batch=100, white_labels=3)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (None, Price(("index",), 1, 50, request_wide=True)),
        ({"whiteLabel": "atlas-markets"}, Price(("index",), 1, 50, request_wide=True)),
        ({"marginLevelBelow": None}, Price(("index",), 1, 50, request_wide=True)),
        (
            {"marginLevelBelow": "120"},
            Price(("index", "margin levels"), 2, 50, request_wide=True),
        ),
        ({"hasOpenPositions": False}, Price(("index", "open grid"), 2, 50, request_wide=True)),
        (
            {"hasOpenPositions": True, "marginLevelBelow": "80"},
            Price(("index", "open grid", "margin levels"), 3, 50, request_wide=True),
        ),
    ],
)
def test_a_filter_adds_the_reads_its_conditions_make(
    given: dict[str, object] | None, expected: Price
) -> None:
    assert price(PLAN, "Partner", "traders", 1, {"first": 50, "filter": given}) == expected
