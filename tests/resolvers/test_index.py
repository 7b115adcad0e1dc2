"""The trader index snapshot: order, positions after a cursor, window counts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import cast

from resolvers.index import IndexEntry, IndexSnapshot, TraderIndex
from upstream.client import WebServicesClient
from upstream.records import ContactDetails, TraderSummary

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def _summary(login: int, minute: int, partner: str | None = None) -> TraderSummary:
    return TraderSummary(
        login=login,
        registration_timestamp=T0 + timedelta(minutes=minute),
        broker_name="sandbox",
        group_name="default",
        contact_details=ContactDetails(introducing_broker1=partner),
    )


def test_entries_are_oldest_first_and_ties_go_by_login() -> None:
    snapshot = IndexSnapshot.of((_summary(9, 2), _summary(7, 1), _summary(3, 1)))
    assert [entry.login for entry in snapshot.entries] == [3, 7, 9]


def test_an_entry_keeps_what_paging_and_filters_need() -> None:
    snapshot = IndexSnapshot.of((_summary(3, 1, partner="ib-7"),))
    assert snapshot.by_login[3] == IndexEntry(
        login=3,
        registered=T0 + timedelta(minutes=1),
        broker_name="sandbox",
        group_name="default",
        partners=("ib-7",),
    )


def test_entries_share_their_names_and_partner_tuples() -> None:
    """Each name read from the wire is a string of its own; 100,000 entries keep a handful."""

    def read(login: int) -> TraderSummary:
        def fresh(text: str) -> str:
            return "".join(list(text))  # equal, but another object, as each record's are

        return TraderSummary(
            login=login,
            registration_timestamp=T0,
            broker_name=fresh("sandbox"),
            group_name=fresh("default"),
            contact_details=ContactDetails(introducing_broker1=fresh("ib-7")),
        )

    first, second = IndexSnapshot.of((read(3), read(4))).entries
    assert (
        first.broker_name is second.broker_name,
        first.group_name is second.group_name,
        first.partners is second.partners,
        second.partners,
    ) == (True, True, True, ("ib-7",))


def test_the_position_after_a_cursor_skips_ties_up_to_its_login() -> None:
    snapshot = IndexSnapshot.of((_summary(3, 1), _summary(7, 1), _summary(9, 2)))
    assert snapshot.position_after((T0 + timedelta(minutes=1), 3)) == 1


def test_the_position_after_a_vanished_trader_is_where_it_would_be() -> None:
    snapshot = IndexSnapshot.of((_summary(3, 1), _summary(9, 3)))
    assert snapshot.position_after((T0 + timedelta(minutes=2), 5)) == 1


def test_count_between_includes_both_ends() -> None:
    snapshot = IndexSnapshot.of(tuple(_summary(n, n) for n in range(1, 11)))
    assert snapshot.count_between(T0 + timedelta(minutes=2), T0 + timedelta(minutes=5)) == 4


class _Upstream:
    """Answers the index's one list call, noting what the index held while it was asked."""

    def __init__(self, index: TraderIndex) -> None:
        self.index = index
        self.seen: list[IndexSnapshot | None] = []

    async def keep_trader_summaries(
        self, *args: object, keep: Callable[[TraderSummary], IndexEntry]
    ) -> list[IndexEntry]:
        self.seen.append(self.index.current())
        return [keep(_summary(len(self.seen), 1))]


async def test_a_rebuild_lets_the_stale_snapshot_go_before_it_reads_the_new_one() -> None:
    now = [0.0]
    index = TraderIndex(10.0, clock=lambda: now[0])
    upstream = _Upstream(index)
    client = cast(WebServicesClient, upstream)
    first = await index.snapshot(client)
    now[0] = 11.0
    second = await index.snapshot(client)
    assert ([e.login for e in first.entries], [e.login for e in second.entries], upstream.seen) == (
        [1],
        [2],
        [None, None],
    )
