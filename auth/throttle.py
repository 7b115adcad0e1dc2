"""`LoginThrottle`: growing delays between `login` attempts, per address and per manager there.

Every attempt is counted before the upstream is asked, under two keys: the client address, and
the (manager login, client address) pair. Within `login_free_attempts` (per pair) and
`login_free_attempts_per_address` (per address) an attempt goes ahead at once; past them, each
one waits twice as long after the one before (1 s, 2 s, 4 s ... up to `login_max_delay_seconds`),
and an attempt sooner than that is refused (`LOGIN_THROTTLED`, HTTP 429 with `Retry-After`)
without reaching the upstream. A successful login clears both keys; a quiet hour forgets them.
An attack from one address never delays a login from another address.

The counts live in memory (one process) or, with `redis_url` set, in Redis so that every replica
applies the same delays: `<prefix>:login:<key>` (INCR) and `<prefix>:login:<key>:until` (SET NX
PX, the gate that lets one attempt through per delay even when many arrive at once). A Redis
that fails delays nothing (a warning with the error's type is logged), as the rates do.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError

from settings.auth import AuthSettings

FORGET_SECONDS = 3600
MAX_MEMORY_KEYS = 100_000
log = structlog.get_logger("tradergraph.throttle")


def delay(count: int, free: int, longest: float) -> float:
    """How long the attempt numbered `count` holds back the next one."""
    return 0.0 if count <= free else float(min(2 ** min(count - free - 1, 32), longest))


class Attempts(Protocol):
    async def attempt(self, key: str, free: int, longest: float) -> float | None:
        """Count an attempt under `key`, or the seconds to wait when it may not go ahead yet."""
        ...

    async def clear(self, key: str) -> None: ...


@dataclass
class _Count:
    count: int
    until: float
    last: float


class MemoryAttempts:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._counts: dict[str, _Count] = {}

    async def attempt(self, key: str, free: int, longest: float) -> float | None:
        now = self._clock()
        known = self._counts.get(key)
        if known is None or now - known.last > FORGET_SECONDS:
            known = _Count(0, 0.0, now)
        if known.until > now:
            return known.until - now
        count = known.count + 1
        self._forget_idle(now)
        self._counts[key] = _Count(count, now + delay(count, free, longest), now)
        return None

    async def clear(self, key: str) -> None:
        self._counts.pop(key, None)

    def _forget_idle(self, now: float) -> None:
        if len(self._counts) >= MAX_MEMORY_KEYS:
            self._counts = {k: v for k, v in self._counts.items() if v.until > now}


class RedisAttempts:
    def __init__(self, redis: Redis, prefix: str) -> None:
        self._redis, self._prefix = redis, prefix

    async def attempt(self, key: str, free: int, longest: float) -> float | None:
        try:
            return await self._attempt(f"{self._prefix}:login:{key}", free, longest)
        except RedisError as error:
            log.warning("login attempt not counted", reason=type(error).__name__)
            return None

    async def _attempt(self, name: str, free: int, longest: float) -> float | None:
        wait = int(await self._redis.pttl(f"{name}:until"))
        if wait > 0:
            return wait / 1000
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.incr(name)
            pipe.expire(name, FORGET_SECONDS)
            count, _ = await pipe.execute()
        held = delay(int(count), free, longest)
        if held and not await self._redis.set(f"{name}:until", 1, px=int(held * 1000), nx=True):
            await self._redis.decr(name)  # another attempt took this turn
            return max(int(await self._redis.pttl(f"{name}:until")), 1) / 1000
        return None

    async def clear(self, key: str) -> None:
        name = f"{self._prefix}:login:{key}"
        try:
            await self._redis.delete(name, f"{name}:until")
        except RedisError as error:
            log.warning("login attempts not cleared", reason=type(error).__name__)


def open_attempts(redis: Redis | None, prefix: str) -> Attempts:
    """Over the app's Redis when one is configured, so replicas share the delays; else in
    memory. The Redis client is the lifespan's: it closes it, not the attempts."""
    if redis is None:
        return MemoryAttempts()
    return RedisAttempts(redis, prefix)


@dataclass(frozen=True)
class LoginThrottle:
    attempts: Attempts
    settings: AuthSettings

    async def attempt(self, manager: int | None, client: str) -> float | None:
        """Count a login from `client` (for `manager`, when known); the wait when refused."""
        longest = self.settings.login_max_delay_seconds
        free = self.settings.login_free_attempts_per_address
        wait = await self.attempts.attempt(f"address:{client}", free, longest)
        if wait is None and manager is not None:
            free = self.settings.login_free_attempts
            wait = await self.attempts.attempt(f"manager:{manager}:{client}", free, longest)
        return wait

    async def succeeded(self, manager: int, client: str) -> None:
        await self.attempts.clear(f"address:{client}")
        await self.attempts.clear(f"manager:{manager}:{client}")
