"""Request rates per caller and per operation kind, in fixed windows.

In memory by default (one process); with `redis_url` set, in Redis, so that every replica counts
against the same limit: one `INCR` and `EXPIRE` per request, in one round trip, on a key named
after the caller, the kind and the window (`<prefix>:rate:<caller>:<kind>:<window index>`).
A refused request is still counted: a client hammering the service stays refused. A Redis that
fails counts nothing (the request goes ahead, and a warning with the error's type is logged):
the limits are there to keep the service up, so their store going down must not take it down.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol

import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError

MAX_MEMORY_KEYS = 10_000
log = structlog.get_logger("tradergraph.rates")


class Rates(Protocol):
    async def hit(self, key: str, limit: int, window: float) -> float | None:
        """Count one request under `key`; the seconds to wait when it is over `limit`."""
        ...


class MemoryRates:
    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._windows: dict[str, tuple[int, int]] = {}

    async def hit(self, key: str, limit: int, window: float) -> float | None:
        now = self._clock()
        index = int(now // window)
        start, count = self._windows.get(key, (index, 0))
        count = count + 1 if start == index else 1
        if len(self._windows) >= MAX_MEMORY_KEYS:
            self._windows = {k: v for k, v in self._windows.items() if v[0] == index}
        self._windows[key] = (index, count)
        return (index + 1) * window - now if count > limit else None


class RedisRates:
    def __init__(self, redis: Redis, prefix: str, clock: Callable[[], float] = time.time) -> None:
        self._redis, self._prefix, self._clock = redis, prefix, clock

    async def hit(self, key: str, limit: int, window: float) -> float | None:
        now = self._clock()
        index = int(now // window)
        name = f"{self._prefix}:rate:{key}:{index}"
        try:
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.incr(name)
                pipe.expire(name, int(window) + 1)
                count, _ = await pipe.execute()
        except RedisError as error:
            log.warning("rate not counted", reason=type(error).__name__)
            return None
        return (index + 1) * window - now if int(count) > limit else None


def open_rates(redis: Redis | None, prefix: str) -> Rates:
    """Over the app's Redis when one is configured, so replicas share each limit; else in
    memory. The Redis client is the lifespan's: it closes it, not the rates."""
    if redis is None:
        return MemoryRates()
    return RedisRates(redis, prefix)
