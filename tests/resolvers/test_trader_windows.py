"""Planning the list calls that fetch a set of traders' full records."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from resolvers.index import IndexEntry, IndexSnapshot
from resolvers.trader_batch import Window, plan_windows
from upstream.records import TraderSummary

START = datetime(2026, 1, 1, tzinfo=UTC)


def _snapshot(count: int) -> IndexSnapshot:
    """`count` traders, logins 1..count, one registered per minute."""
    return IndexSnapshot.of(
        tuple(
            TraderSummary(login=n, registration_timestamp=START + timedelta(minutes=n))
            for n in range(1, count + 1)
        )
    )


def _entries(snapshot: IndexSnapshot, logins: list[int]) -> list[IndexEntry]:
    return [snapshot.by_login[login] for login in logins]


def test_a_contiguous_page_is_one_window() -> None:
    snapshot = _snapshot(200)
    page = _entries(snapshot, list(range(51, 101)))
    assert plan_windows(snapshot, page) == [Window(tuple(page))]


def test_the_order_of_the_keys_does_not_change_the_plan() -> None:
    snapshot = _snapshot(200)
    page = _entries(snapshot, list(range(100, 50, -1)))
    assert plan_windows(snapshot, page) == [Window(tuple(reversed(page)))]


def test_a_sparse_page_still_fits_one_window_while_half_dense() -> None:
    snapshot = _snapshot(200)
    every_other = _entries(snapshot, list(range(1, 101, 2)))
    assert plan_windows(snapshot, every_other) == [Window(tuple(every_other))]


def test_far_apart_traders_get_a_window_each() -> None:
    snapshot = _snapshot(1000)
    first, second, third = _entries(snapshot, [5, 500, 995])
    assert plan_windows(snapshot, [third, first, second]) == [
        Window((first,)),
        Window((second,)),
        Window((third,)),
    ]


def test_two_clusters_make_two_windows() -> None:
    snapshot = _snapshot(1000)
    low, high = _entries(snapshot, [1, 2, 3]), _entries(snapshot, [900, 901])
    assert plan_windows(snapshot, low + high) == [Window(tuple(low)), Window(tuple(high))]
