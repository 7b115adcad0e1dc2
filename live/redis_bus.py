"""`RedisBus`: several replicas share each poller, and fan out through Redis pub/sub.

Every replica with subscribers to a key listens on the key's channel and stands for leader (a
replica listens to all its channels over one pub/sub connection, see `listener`). The leader is
whoever holds the key's Redis lock (`SET NX` with a TTL); it alone polls, renews the lock between
polls and publishes each batch of changes on the channel. Every replica, the leader
included, delivers what arrives on the channel to its own subscribers, so the upstream sees one
poller per key however many replicas and subscribers there are. A leader that dies stops
renewing: its lock expires after `leader_ttl` and another replica with subscribers takes over
(it retries every half TTL). A leader whose last subscriber leaves releases the lock at once.
The leader keeps its last snapshot in Redis (for two TTLs); the next leader diffs its first poll
against it, so a change made while the poller changed hands is still reported.
"""

from __future__ import annotations

import asyncio
from typing import TypeVar

import structlog
from redis.asyncio import Redis
from redis.asyncio.lock import Lock
from redis.exceptions import LockError, RedisError

from live.backoff import PollPolicy
from live.changes import Change, Snapshot
from live.clock import Clock
from live.codec import (
    RecordCodec,
    decode_changes,
    decode_snapshot,
    encode_changes,
    encode_snapshot,
)
from live.hub import Deliver, Stop, cancel
from live.listener import Listener, raise_if_cancelled
from live.poller import Poller, Source
from observability.telemetry import current

T = TypeVar("T")
log = structlog.get_logger("tradergraph.live")


class RedisBus:
    """A `Distribution` over one Redis; `prefix` keeps unrelated deployments (or tests) apart."""

    def __init__(
        self, redis: Redis, clock: Clock, policy: PollPolicy, *, leader_ttl: float, prefix: str
    ) -> None:
        self._redis = redis
        self._clock = clock
        self._policy = policy
        self._ttl = leader_ttl
        self._prefix = prefix
        self._listener = Listener(redis, clock, retry=policy.interval)

    async def start(self, source: Source[T], deliver: Deliver[T]) -> Stop:
        channel = f"{self._prefix}:changes:{source.key}"
        codec = source.codec
        leave = await self._listener.listen(
            channel, lambda data: _deliver(channel, data, codec, deliver)
        )
        candidate = asyncio.create_task(self._stand(source, channel))

        async def stop() -> None:
            await cancel(candidate)
            await leave()

        return stop

    async def aclose(self) -> None:
        """Stop listening; the Redis client is the app's (its lifespan closes it)."""
        await self._listener.aclose()

    async def _stand(self, source: Source[T], channel: str) -> None:
        """Lead while the lock is ours; otherwise try again every half TTL."""
        lock = self._redis.lock(
            f"{self._prefix}:leader:{source.key}", timeout=self._ttl, blocking=False
        )
        while True:
            try:
                if await lock.acquire():
                    await self._lead(source, channel, lock)
            except (LockError, RedisError) as error:
                log.warning("poller leadership lost", key=str(source.key), reason=str(error))
            await self._sleep(self._ttl / 2)

    async def _lead(self, source: Source[T], channel: str, lock: Lock) -> None:
        async def publish(changes: tuple[Change[T], ...]) -> None:
            await self._redis.publish(channel, encode_changes(changes, source.codec))

        poller = Poller(source, self._policy.backoff(), publish)
        poller.resume(await self._recall(source))
        metrics = current().metrics
        metrics.poller_started(source.key.resource)
        try:
            while True:
                wait = await poller.poll()
                await self._remember(source, poller.last)
                await self._hold(lock, wait)
        finally:
            metrics.poller_stopped(source.key.resource)
            await _release(lock)

    async def _sleep(self, seconds: float) -> None:
        """Wait on the clock, unless a stop's cancellation was swallowed by a Redis call."""
        raise_if_cancelled()
        await self._clock.sleep(seconds)

    def _snapshot_key(self, source: Source[T]) -> str:
        return f"{self._prefix}:snapshot:{source.key}"

    async def _recall(self, source: Source[T]) -> Snapshot[T] | None:
        """The previous leader's last snapshot, if it is recent enough to still be kept."""
        text = await self._redis.get(self._snapshot_key(source))
        if text is None:
            return None
        try:
            return decode_snapshot(text, source.codec)
        except ValueError:
            log.warning("ignored a malformed snapshot", key=str(source.key))
            return None

    async def _remember(self, source: Source[T], snapshot: Snapshot[T] | None) -> None:
        """Keep the last snapshot for whoever leads next; it expires with the leadership."""
        if snapshot is not None:
            text = encode_snapshot(snapshot, source.codec)
            await self._redis.set(self._snapshot_key(source), text, px=int(self._ttl * 2000))

    async def _hold(self, lock: Lock, wait: float) -> None:
        """Wait `wait` seconds, renewing the lock often enough that it never lapses meanwhile."""
        while wait > 0:
            step = min(wait, self._ttl / 3)
            await self._sleep(step)
            wait -= step
            await lock.reacquire()


def _deliver(channel: str, data: bytes | str, codec: RecordCodec[T], deliver: Deliver[T]) -> None:
    try:
        deliver(decode_changes(data, codec))
    except ValueError:
        log.warning("ignored a malformed change message", channel=channel)


async def _release(lock: Lock) -> None:
    try:
        await lock.release()
    except (LockError, RedisError):  # expired or Redis gone: the TTL frees it anyway
        log.info("poller lock already gone")
