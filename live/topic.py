"""`Topic`: the subscribers of one poller key in this process, each behind its own queue.

Fan-out applies each subscriber's `Scope`: a batch of changes is filtered per subscriber, and a
subscriber whose share is empty receives nothing at all. A subscriber that stops reading does not
hold the poller up: its queue keeps the latest `QUEUE_LIMIT` batches and drops the oldest.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Generic, TypeVar

from live.changes import Change, Scope, visible

T = TypeVar("T")
QUEUE_LIMIT = 256


class Subscriber(Generic[T]):
    """One subscription's view: iterate it to receive batches of the changes it may see.

    A subscription to several keys (the accounts of several logins) is one subscriber that has
    joined several topics; its batches arrive in the order the polls produced them.
    """

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self._queue: asyncio.Queue[tuple[Change[T], ...]] = asyncio.Queue(QUEUE_LIMIT)

    def offer(self, changes: tuple[Change[T], ...]) -> None:
        seen = visible(changes, self.scope)
        if not seen:
            return
        if self._queue.full():
            self._queue.get_nowait()
        self._queue.put_nowait(seen)

    def drain(self) -> list[tuple[Change[T], ...]]:
        """The batches that have arrived, without waiting for more."""
        batches = []
        while not self._queue.empty():
            batches.append(self._queue.get_nowait())
        return batches

    async def __aiter__(self) -> AsyncIterator[tuple[Change[T], ...]]:
        while True:
            yield await self._queue.get()


class Topic(Generic[T]):
    def __init__(self) -> None:
        self._subscribers: set[Subscriber[T]] = set()

    def join(self, subscriber: Subscriber[T]) -> None:
        self._subscribers.add(subscriber)

    def leave(self, subscriber: Subscriber[T]) -> bool:
        """Remove `subscriber`; True when nobody is left."""
        self._subscribers.discard(subscriber)
        return not self._subscribers

    def deliver(self, changes: tuple[Change[T], ...]) -> None:
        for subscriber in self._subscribers:
            subscriber.offer(changes)
