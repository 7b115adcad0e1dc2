"""One poller per key, whatever the subscribers; differences only; scope at fan-out; back-off."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from decimal import Decimal

import pytest

from live.backoff import PollPolicy, TransientFailure
from live.changes import Audience, Change, ChangeKind, Scope
from live.hub import LiveHub, LocalDistribution
from live.poller import PollKey
from live.topic import Subscriber
from tests.live.clock import ManualClock
from tests.live.ledger import Balance, Ledger

INTERVAL = 10.0
POLICY = PollPolicy(interval=INTERVAL, ceiling=80.0)
ADMIN = Scope("1001")
ATLAS = Audience(white_label="atlas-markets")


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def ledger() -> Ledger:
    ledger = Ledger()
    ledger.balances = {7: ("atlas-markets", Decimal("100.00"))}
    return ledger


@pytest.fixture
async def hub(clock: ManualClock) -> AsyncIterator[LiveHub]:
    hub = LiveHub(LocalDistribution(clock, POLICY))
    yield hub
    await hub.close()


async def subscribed(
    stack: AsyncExitStack, hub: LiveHub, ledger: Ledger, count: int, scope: Scope = ADMIN
) -> list[Subscriber[Balance]]:
    source = ledger.source()
    return [await stack.enter_async_context(hub.subscribe([source], scope)) for _ in range(count)]


async def polls_in_three_intervals(clock: ManualClock, ledger: Ledger, hub: LiveHub, n: int) -> int:
    async with AsyncExitStack() as stack:
        await subscribed(stack, hub, ledger, n)
        await clock.settled(1)
        for _ in range(3):
            await clock.advance(INTERVAL)
            await clock.settled(1)
        return ledger.polls


async def test_a_hundred_subscribers_cost_the_polls_of_one(
    clock: ManualClock, hub: LiveHub
) -> None:
    alone, crowd = Ledger(), Ledger()
    assert (
        await polls_in_three_intervals(clock, alone, hub, 1),
        await polls_in_three_intervals(clock, crowd, hub, 100),
    ) == (4, 4)


async def test_the_first_poll_is_a_baseline_and_reports_nothing(
    clock: ManualClock, hub: LiveHub, ledger: Ledger
) -> None:
    async with AsyncExitStack() as stack:
        [subscriber] = await subscribed(stack, hub, ledger, 1)
        await clock.settled(1)
        await clock.advance(INTERVAL)
        await clock.settled(1)
        assert (ledger.polls, subscriber.drain()) == (2, [])


async def test_a_change_reaches_every_subscriber_within_one_interval(
    clock: ManualClock, hub: LiveHub, ledger: Ledger
) -> None:
    async with AsyncExitStack() as stack:
        subscribers = await subscribed(stack, hub, ledger, 3)
        await clock.settled(1)
        ledger.balances[7] = ("atlas-markets", Decimal("150.00"))
        await clock.advance(INTERVAL)
        await clock.settled(1)
        change = Change(ChangeKind.UPDATED, "7", Balance(7, Decimal("150.00")), ATLAS)
        assert [s.drain() for s in subscribers] == [[(change,)]] * 3


async def test_a_subscriber_outside_the_scope_sees_nothing(
    clock: ManualClock, hub: LiveHub, ledger: Ledger
) -> None:
    borealis_only = Scope("1001", white_labels=frozenset({"borealis-fx"}))
    async with AsyncExitStack() as stack:
        [inside] = await subscribed(stack, hub, ledger, 1)
        [outside] = await subscribed(stack, hub, ledger, 1, borealis_only)
        await clock.settled(1)
        ledger.balances[7] = ("atlas-markets", Decimal("1.00"))
        await clock.advance(INTERVAL)
        await clock.settled(1)
        change = Change(ChangeKind.UPDATED, "7", Balance(7, Decimal("1.00")), ATLAS)
        assert (inside.drain(), outside.drain(), ledger.polls) == ([(change,)], [], 2)


async def test_the_last_subscriber_leaving_stops_the_poller(
    clock: ManualClock, hub: LiveHub, ledger: Ledger
) -> None:
    async with AsyncExitStack() as stack:
        await subscribed(stack, hub, ledger, 2)
        await clock.settled(1)
    await clock.advance(INTERVAL * 5)
    assert (hub.keys(), clock.pending(), ledger.polls) == (frozenset(), [], 1)


async def test_one_subscriber_leaving_keeps_the_poller_for_the_others(
    clock: ManualClock, hub: LiveHub, ledger: Ledger
) -> None:
    async with AsyncExitStack() as stack:
        await subscribed(stack, hub, ledger, 1)
        async with hub.subscribe([ledger.source()], ADMIN):
            await clock.settled(1)
        await clock.advance(INTERVAL)
        await clock.settled(1)
        assert (hub.keys(), ledger.polls) == (frozenset({ledger.source().key}), 2)


async def test_each_key_has_its_own_poller(
    clock: ManualClock, hub: LiveHub, ledger: Ledger
) -> None:
    other = PollKey("balance", "1001", "other")
    first, second = ledger.source(), ledger.source(other)
    async with hub.subscribe([first], ADMIN), hub.subscribe([second], ADMIN):
        await clock.settled(2)
        assert (hub.keys(), ledger.polls) == (frozenset({ledger.source().key, other}), 2)


async def test_throttled_and_failing_polls_back_off_then_recover(
    clock: ManualClock, hub: LiveHub, ledger: Ledger
) -> None:
    async with hub.subscribe([ledger.source()], ADMIN):
        await clock.settled(1)
        ledger.failures = [TransientFailure("429", retry_after=45.0), TransientFailure("503")]
        waits = []
        for _ in range(3):
            await clock.advance(clock.pending()[0])
            await clock.settled(1)
            waits.append(clock.pending()[0])
        assert waits == [45.0, 40.0, INTERVAL]


async def test_a_change_made_while_the_upstream_failed_is_reported_once_it_answers(
    clock: ManualClock, hub: LiveHub, ledger: Ledger
) -> None:
    async with hub.subscribe([ledger.source()], ADMIN) as subscriber:
        await clock.settled(1)
        ledger.failures = [TransientFailure("503")]
        ledger.balances[7] = ("atlas-markets", Decimal("5.00"))
        for _ in range(2):
            await clock.advance(clock.pending()[0])
            await clock.settled(1)
        change = Change(ChangeKind.UPDATED, "7", Balance(7, Decimal("5.00")), ATLAS)
        assert subscriber.drain() == [(change,)]


async def test_an_unexpected_failure_backs_off_and_keeps_the_poller(
    clock: ManualClock, hub: LiveHub, ledger: Ledger
) -> None:
    async with hub.subscribe([ledger.source()], ADMIN):
        await clock.settled(1)
        ledger.failures = [RuntimeError("a bug in a decoder")]
        await clock.advance(INTERVAL)
        await clock.settled(1)
        assert (clock.pending(), hub.keys()) == ([INTERVAL * 2], frozenset({ledger.source().key}))
