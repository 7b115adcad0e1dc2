"""`Source` (what to poll, under which key) and `Poller` (poll, diff, hand over the differences).

A poller keeps the last snapshot it saw. Its first poll is the baseline and hands over nothing;
each later poll hands over only what changed. A source that watches a changing set of targets
(`watchlist`) names the items its last poll saw for the first time because their target had just
been added (`fresh`): those are that target's baseline, not additions. A failed poll keeps the
old snapshot, so nothing is reported twice or lost when the upstream comes back.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

import structlog

from live.backoff import Backoff, TransientFailure
from live.changes import Change, ChangeKind, Snapshot, diff
from live.codec import RecordCodec

T = TypeVar("T")
Changes = tuple[Change[T], ...]
log = structlog.get_logger("tradergraph.live")


@dataclass(frozen=True)
class PollKey:
    """One shared poller: a resource, the credentials' scope it is polled with, and a target."""

    resource: str
    scope: str
    target: str

    def __str__(self) -> str:
        return f"{self.resource}/{self.scope}/{self.target}"


@dataclass(frozen=True)
class Source(Generic[T]):
    """How to take one snapshot of a key, and how its items cross between replicas."""

    key: PollKey
    fetch: Callable[[], Awaitable[Snapshot[T]]]
    codec: RecordCodec[T]
    fresh: Callable[[], frozenset[str]] = lambda: frozenset()
    """The keys of the last fetch's items whose target was new to it (a baseline, no change)."""


class Poller(Generic[T]):
    def __init__(
        self,
        source: Source[T],
        backoff: Backoff,
        publish: Callable[[Changes[T]], Awaitable[None]],
    ) -> None:
        self._source = source
        self._backoff = backoff
        self._publish = publish
        self._last: Snapshot[T] | None = None

    @property
    def last(self) -> Snapshot[T] | None:
        """The last snapshot seen (None before the first good poll)."""
        return self._last

    def resume(self, snapshot: Snapshot[T] | None) -> None:
        """Diff the next poll against `snapshot` (a previous poller's last) instead of taking
        a baseline, so a poller changing hands loses no change."""
        self._last = snapshot

    async def poll(self) -> float:
        """Poll once, hand over the changes; answers how long to wait before the next poll."""
        try:
            snapshot = await self._source.fetch()
        except TransientFailure as failure:
            wait = self._backoff.after_failure(failure.retry_after)
            log.warning("poll failed", key=str(self._source.key), reason=str(failure), wait=wait)
            return wait
        except Exception:  # a poller outlives any one bad answer; the detail goes to the log
            log.exception("poll failed unexpectedly", key=str(self._source.key))
            return self._backoff.after_failure()
        changes = () if self._last is None else self._news(diff(self._last, snapshot))
        self._last = snapshot
        if changes:
            await self._publish(changes)
        return self._backoff.after_success()

    def _news(self, changes: Changes[T]) -> Changes[T]:
        fresh = self._source.fresh()
        if not fresh:
            return changes
        return tuple(c for c in changes if c.kind is not ChangeKind.ADDED or c.key not in fresh)
