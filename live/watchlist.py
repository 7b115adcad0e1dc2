"""`Watchlist`: what one poller watches for all its subscribers (the accounts, the positions).

A poller that serves many targets at once (every account watched under one set of credentials)
polls the union of its subscribers' targets: each subscription `watch`es its own when it starts
and `unwatch`es them when it ends; the poll reads `targets`. A target is counted once per
subscription watching it, so it stays watched until its last subscription ends.

In memory for one process; in Redis with `TRADERGRAPH_REDIS_URL`, where whichever replica leads
the poller needs every replica's targets: a hash per poller key, `<prefix>:watch:<key>`, of
target -> count. A replica that dies without its subscriptions ending leaves its counts behind:
the leader keeps polling those targets (their rows cost a little; nobody receives them) until
the key is idle on every replica and the hash expires (`IDLE_SECONDS` after its last change).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Protocol

from redis.asyncio import Redis

from live.poller import PollKey

IDLE_SECONDS = 7 * 24 * 3600
"""A watch hash nobody has changed for this long belongs to replicas long gone."""

_UNWATCH = """
local left = redis.call('HINCRBY', KEYS[1], ARGV[1], -1)
if left <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) end
return left
"""


class Watchlist(Protocol):
    async def watch(self, key: PollKey, targets: Iterable[str]) -> None: ...

    async def unwatch(self, key: PollKey, targets: Iterable[str]) -> None: ...

    async def targets(self, key: PollKey) -> frozenset[str]: ...


class LocalWatchlist:
    def __init__(self) -> None:
        self._watched: dict[PollKey, Counter[str]] = {}

    async def watch(self, key: PollKey, targets: Iterable[str]) -> None:
        self._watched.setdefault(key, Counter()).update(targets)

    async def unwatch(self, key: PollKey, targets: Iterable[str]) -> None:
        watched = self._watched.get(key)
        if watched is None:
            return
        watched.subtract(targets)
        for target in [t for t, count in watched.items() if count <= 0]:
            del watched[target]
        if not watched:
            del self._watched[key]

    async def targets(self, key: PollKey) -> frozenset[str]:
        return frozenset(self._watched.get(key, ()))


class RedisWatchlist:
    def __init__(self, redis: Redis, prefix: str) -> None:
        self._redis, self._prefix = redis, prefix
        self._unwatch = redis.register_script(_UNWATCH)

    async def watch(self, key: PollKey, targets: Iterable[str]) -> None:
        name = self._name(key)
        async with self._redis.pipeline(transaction=True) as pipe:
            for target in targets:
                pipe.hincrby(name, target, 1)
            pipe.expire(name, IDLE_SECONDS)
            await pipe.execute()

    async def unwatch(self, key: PollKey, targets: Iterable[str]) -> None:
        name = self._name(key)
        async with self._redis.pipeline(transaction=True) as pipe:
            for target in targets:
                await self._unwatch(keys=[name], args=[target], client=pipe)
            await pipe.execute()

    async def targets(self, key: PollKey) -> frozenset[str]:
        names = await self._redis.hkeys(self._name(key))
        return frozenset(n if isinstance(n, str) else n.decode() for n in names)

    def _name(self, key: PollKey) -> str:
        return f"{self._prefix}:watch:{key}"
