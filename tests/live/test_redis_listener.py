"""One Redis pub/sub connection per replica, whatever the number of keys it listens to.

Needs `TRADERGRAPH_TEST_REDIS_URL`. Each test names its Redis client (`CLIENT SETNAME`) and its
channels after a fresh id, so the connections and channels it counts are its own.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

import pytest
from redis.asyncio import Redis
from redis.exceptions import ConnectionError
from structlog.testing import capture_logs

from live.backoff import PollPolicy
from live.changes import Audience, Change, ChangeKind, Scope
from live.hub import LiveHub, Stop
from live.listener import Listener
from live.poller import PollKey
from live.redis_bus import RedisBus
from live.topic import Subscriber
from tests.live.clock import LIMIT, ManualClock
from tests.live.ledger import Balance, Ledger

REDIS_URL = os.environ.get("TRADERGRAPH_TEST_REDIS_URL")
pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(REDIS_URL is None, reason="TRADERGRAPH_TEST_REDIS_URL is not set"),
]
INTERVAL = 10.0
POLICY = PollPolicy(interval=INTERVAL, ceiling=80.0)
ADMIN = Scope("1001")
T = TypeVar("T")


@dataclass
class Replica:
    """A `Listener` (and its `RedisBus` and `LiveHub`) on a Redis client named `name`."""

    name: str
    redis: Redis
    observer: Redis
    clock: ManualClock

    def channel(self, target: str) -> str:
        return f"{self.name}:changes:{key(target)}"

    async def subscriptions(self) -> list[int]:
        """The channel count of each of this replica's connections that subscribes any."""
        clients = await self.observer.client_list()
        return [int(c["sub"]) for c in clients if c["name"] == self.name and c["sub"] != "0"]

    async def channels(self) -> list[str]:
        channels = await self.observer.pubsub_channels(f"{self.name}:*")
        return sorted(c.decode() if isinstance(c, bytes) else c for c in channels)

    async def subscribers(self, channel: str) -> int:
        [(_, count)] = await self.observer.pubsub_numsub(channel)
        return int(count)


@pytest.fixture
async def replica() -> AsyncIterator[Replica]:
    assert REDIS_URL is not None
    name = f"tradergraph-test-{uuid.uuid4().hex}"
    redis = Redis.from_url(REDIS_URL, client_name=name)
    observer = Redis.from_url(REDIS_URL)
    yield Replica(name, redis, observer, ManualClock())
    await redis.aclose()
    await observer.aclose()


@pytest.fixture
async def listener(replica: Replica) -> AsyncIterator[Listener]:
    listener = Listener(replica.redis, replica.clock, retry=INTERVAL)
    yield listener
    await listener.aclose()


@pytest.fixture
async def hub(replica: Replica) -> AsyncIterator[LiveHub]:
    bus = RedisBus(replica.redis, replica.clock, POLICY, leader_ttl=30.0, prefix=replica.name)
    hub = LiveHub(bus)
    yield hub
    await hub.close()
    await bus.aclose()


def key(target: str) -> PollKey:
    return PollKey("balance", "1001", target)


async def received(queue: asyncio.Queue[bytes | str], count: int) -> list[bytes | str]:
    async with asyncio.timeout(LIMIT):
        return [await queue.get() for _ in range(count)]


async def listening(listener: Listener, channel: str) -> tuple[asyncio.Queue[bytes | str], Stop]:
    queue: asyncio.Queue[bytes | str] = asyncio.Queue()
    return queue, await listener.listen(channel, queue.put_nowait)


async def test_a_replica_listens_to_all_its_keys_over_one_connection(
    replica: Replica, hub: LiveHub
) -> None:
    ledger, targets = Ledger(), ["a", "b", "c"]
    async with hub.subscribe([ledger.source(key(t)) for t in targets], ADMIN):
        shared = await replica.subscriptions()
        counts = [await replica.subscribers(replica.channel(t)) for t in targets]
    assert (shared, counts) == ([3], [1, 1, 1])


async def test_a_keys_channel_is_unsubscribed_when_its_last_subscriber_leaves(
    replica: Replica, hub: LiveHub
) -> None:
    ledger = Ledger()
    a, b = ledger.source(key("a")), ledger.source(key("b"))
    # Leaving as the leader writes its snapshot: Python 3.11's wait_for, under redis-py's send,
    # can swallow the stop's cancellation. A stop that never ends fails here instead of hanging.
    async with asyncio.timeout(LIMIT):
        async with hub.subscribe([b], ADMIN), hub.subscribe([a], ADMIN):
            async with hub.subscribe([a], ADMIN):
                pass
            one_left = await replica.channels()
    assert (one_left, await replica.channels()) == (
        [replica.channel("a"), replica.channel("b")],
        [],
    )


async def test_each_keys_changes_reach_only_its_own_subscribers(
    replica: Replica, hub: LiveHub
) -> None:
    moving, still = Ledger(), Ledger()
    moving.balances = still.balances = {7: ("atlas-markets", Decimal("1.00"))}
    async with AsyncExitStack() as stack:
        first: Subscriber[Balance] = await stack.enter_async_context(
            hub.subscribe([moving.source(key("a"))], ADMIN)
        )
        second: Subscriber[Balance] = await stack.enter_async_context(
            hub.subscribe([still.source(key("b"))], ADMIN)
        )
        await replica.clock.settled(2)
        moving.balances = {7: ("atlas-markets", Decimal("2.00"))}
        await replica.clock.advance(INTERVAL)
        async with asyncio.timeout(LIMIT):
            batch = await anext(aiter(first))
        await replica.clock.settled(2)
        others = second.drain()
    change = Change(ChangeKind.UPDATED, "7", Balance(7, Decimal("2.00")), Audience("atlas-markets"))
    assert (batch, others) == ((change,), [])


async def test_two_listeners_on_one_channel_each_get_every_message_in_order(
    replica: Replica, listener: Listener
) -> None:
    channel = replica.channel("a")
    first, _ = await listening(listener, channel)
    second, _ = await listening(listener, channel)
    for text in ("1", "2", "3"):
        await replica.observer.publish(channel, text)
    assert (
        await received(first, 3),
        await received(second, 3),
        await replica.subscriptions(),
    ) == ([b"1", b"2", b"3"], [b"1", b"2", b"3"], [1])


async def test_a_listener_stopped_while_a_message_is_on_its_way_gets_nothing_more(
    replica: Replica, listener: Listener
) -> None:
    gone, stop = await listening(listener, replica.channel("a"))
    staying, _ = await listening(listener, replica.channel("b"))
    await replica.observer.publish(replica.channel("a"), "late")
    await stop()
    await replica.observer.publish(replica.channel("b"), "after")  # read after "late", if sent
    assert (await received(staying, 1), gone.empty()) == ([b"after"], True)


@pytest.mark.parametrize(
    "order", ["leave, join at once", "join, leave at once", "leave, then join"]
)
async def test_a_channel_left_and_joined_is_subscribed_for_the_newcomer(
    replica: Replica, listener: Listener, order: str
) -> None:
    channel = replica.channel("a")
    leaving, stop = await listening(listener, channel)
    joining: asyncio.Queue[bytes | str] = asyncio.Queue()
    join = listener.listen(channel, joining.put_nowait)
    if order == "leave, join at once":
        await asyncio.gather(stop(), join)
    elif order == "join, leave at once":
        await asyncio.gather(join, stop())
    else:
        await stop()
        await join
    count = await replica.subscribers(channel)
    await replica.observer.publish(channel, "hello")
    assert (count, await received(joining, 1), leaving.empty()) == (1, [b"hello"], True)


async def test_a_lost_connection_is_subscribed_again_after_the_retry_wait(
    replica: Replica, listener: Listener
) -> None:
    channel = replica.channel("a")
    queue, _ = await listening(listener, channel)
    [client] = [c for c in await replica.observer.client_list() if c["name"] == replica.name]
    with capture_logs() as logs:
        await replica.observer.client_kill_filter(_id=client["id"])
        await replica.clock.settled(1)
    waiting = replica.clock.pending()
    await replica.clock.advance(INTERVAL)
    await until(lambda: replica.subscribers(channel), 1)
    await replica.observer.publish(channel, "again")
    assert (waiting, await received(queue, 1), await replica.subscriptions(), logs) == (
        [INTERVAL],
        [b"again"],
        [1],
        [
            {
                "event": "change channels lost, listening again",
                "reason": "Connection closed by server.",
                "log_level": "warning",
            }
        ],
    )


async def test_a_failing_receiver_leaves_the_others_and_the_channel_listening(
    replica: Replica, listener: Listener
) -> None:
    def fail(data: bytes | str) -> None:
        raise RuntimeError("a bug in a receiver")

    channel = replica.channel("a")
    await listener.listen(channel, fail)
    queue, _ = await listening(listener, channel)
    with capture_logs() as logs:
        await replica.observer.publish(channel, "1")
        await replica.observer.publish(channel, "2")
        got = await received(queue, 2)
    assert (got, [entry["event"] for entry in logs]) == (
        [b"1", b"2"],
        ["a change receiver failed"] * 2,
    )


async def test_closing_leaves_no_task_and_no_connection(replica: Replica) -> None:
    listener = Listener(replica.redis, replica.clock, retry=INTERVAL)
    await listening(listener, replica.channel("a"))
    await listener.aclose()
    nothing: list[int] = []
    await until(replica.subscriptions, nothing)
    assert asyncio.all_tasks() == {asyncio.current_task()}


async def test_listening_after_closing_is_refused(replica: Replica) -> None:
    listener = Listener(replica.redis, replica.clock, retry=INTERVAL)
    await listener.aclose()
    with pytest.raises(ConnectionError) as refused:
        await listener.listen(replica.channel("a"), lambda data: None)
    assert str(refused.value) == "the change listener is closed"


async def until(probe: Callable[[], Awaitable[T]], expected: T) -> None:
    """Return once `probe()` answers `expected` (Redis applies a closed socket on its own time)."""
    async with asyncio.timeout(LIMIT):
        while await probe() != expected:  # noqa: ASYNC110  # Redis' state has no event to await
            await asyncio.sleep(0)
