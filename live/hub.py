"""`LiveHub`: one poller per key, whatever the number of subscribers; none once they have left.

The first subscriber of a key starts its distribution (a local poller, or a Redis candidacy and
listener, see `redis_bus`); later subscribers join its `Topic`; the last one to leave stops it.
How changes travel from the poll to the topic is the `Distribution`'s business.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from live.backoff import PollPolicy
from live.changes import Change, Scope
from live.clock import Clock
from live.poller import Poller, PollKey, Source
from live.topic import Subscriber, Topic
from live.watchlist import LocalWatchlist, Watchlist
from observability.telemetry import current

T = TypeVar("T")
Deliver = Callable[[tuple[Change[T], ...]], None]
Stop = Callable[[], Awaitable[None]]


class Distribution(Protocol):
    async def start(self, source: Source[T], deliver: Deliver[T]) -> Stop:
        """Begin polling `source` (or listening to whoever polls it); answer how to stop."""


@dataclass
class _Running(Generic[T]):
    topic: Topic[T]
    stop: Stop


class LiveHub:
    """The service's pollers and their subscribers; one per process (per app)."""

    def __init__(self, distribution: Distribution, watchlist: Watchlist | None = None) -> None:
        self._distribution = distribution
        self.watchlist: Watchlist = watchlist or LocalWatchlist()
        """What the pollers of many targets poll (`live.watchlist`), shared like the pollers."""
        # Keys of different resources carry different item types; each key's own is consistent.
        self._running: dict[PollKey, _Running[Any]] = {}
        self._guard = asyncio.Lock()

    def keys(self) -> frozenset[PollKey]:
        """The keys being served now."""
        return frozenset(self._running)

    @asynccontextmanager
    async def subscribe(
        self, sources: Sequence[Source[T]], scope: Scope
    ) -> AsyncIterator[Subscriber[T]]:
        """Receive the changes of `sources` that `scope` may see, for as long as the block runs."""
        subscriber = Subscriber[T](scope)
        joined: list[PollKey] = []
        try:
            for source in sources:
                await self._join(source, subscriber)
                joined.append(source.key)
            yield subscriber
        finally:
            for key in joined:
                await self._leave(key, subscriber)

    async def _join(self, source: Source[T], subscriber: Subscriber[T]) -> None:
        async with self._guard:
            running: _Running[T] | None = self._running.get(source.key)
            if running is None:
                topic = Topic[T]()
                running = _Running(topic, await self._distribution.start(source, topic.deliver))
                self._running[source.key] = running
            running.topic.join(subscriber)

    async def _leave(self, key: PollKey, subscriber: Subscriber[T]) -> None:
        async with self._guard:
            running = self._running.get(key)
            if running is not None and running.topic.leave(subscriber):
                del self._running[key]
                await running.stop()

    async def close(self) -> None:
        """Stop every poller (the service is shutting down)."""
        async with self._guard:
            running, self._running = list(self._running.values()), {}
        for each in running:
            await each.stop()


class LocalDistribution:
    """Pollers in this process only: each key's poller hands its changes straight to its topic."""

    def __init__(self, clock: Clock, policy: PollPolicy) -> None:
        self._clock = clock
        self._policy = policy

    async def start(self, source: Source[T], deliver: Deliver[T]) -> Stop:
        async def publish(changes: tuple[Change[T], ...]) -> None:
            deliver(changes)

        poller = Poller(source, self._policy.backoff(), publish)
        task = asyncio.create_task(self._run(poller, source.key.resource))

        async def stop() -> None:
            await cancel(task)

        return stop

    async def _run(self, poller: Poller[T], resource: str) -> None:
        metrics = current().metrics
        metrics.poller_started(resource)
        try:
            while True:
                await self._clock.sleep(await poller.poll())
        finally:
            metrics.poller_stopped(resource)


async def cancel(task: asyncio.Task[None]) -> None:
    """Cancel `task` and wait for it to end."""
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
