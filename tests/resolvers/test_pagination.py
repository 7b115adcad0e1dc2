"""Cursors and page sizes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from resolvers.errors import InvalidInput
from resolvers.index import IndexEntry
from resolvers.pagination import checked_first, cursor_of, position_of

ENTRY = IndexEntry(30001, datetime(2026, 3, 2, 10, 20, 30, 456000, tzinfo=UTC), None, None, ())


def test_a_cursor_points_back_at_its_entry() -> None:
    assert position_of(cursor_of(ENTRY)) == (ENTRY.registered, 30001)


@pytest.mark.parametrize("cursor", ["", "bm90LW91cnM=", "dHJhZGVyOng6eQ==", "%%%"])
def test_a_foreign_cursor_is_refused(cursor: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        position_of(cursor)
    assert str(raised.value) == f"Invalid cursor {cursor!r}."


def test_a_page_larger_than_the_maximum_is_refused() -> None:
    with pytest.raises(InvalidInput) as raised:
        checked_first(501, 500)
    assert str(raised.value) == "first must be between 0 and 500, got 501."


def test_a_negative_page_is_refused() -> None:
    with pytest.raises(InvalidInput) as raised:
        checked_first(-1, 500)
    assert str(raised.value) == "first must be between 0 and 500, got -1."
