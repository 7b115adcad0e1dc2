"""The stores behind `sharing.Sharing`: tags' tokens, and the answers kept for a few seconds.

`LocalTags` alone (the default: `ttl` 0) keeps no answer; it only gives tags tokens, so reads in
flight are shared and writes are read back. `MemoryCache` also keeps answers in this process
(`kept.Kept`, at most `max_bytes` of bodies, the oldest leave first), each the `Answered` its
flight read, so a hit decodes nothing. `redis_cache.RedisCache` keeps tokens and answers in
Redis, so that every replica shares them.

An answer is kept for `ttl` seconds from the moment its upstream request was *sent* (not
answered), so nothing served is older than `ttl`. A token lives `hold` seconds (longer than an
answer, or a flight, can), so an expired tag cannot bring an old answer back.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable

from redis.asyncio import Redis

from upstream.kept import Entry, Kept
from upstream.redis_cache import RedisCache
from upstream.sharing import Answered, ReadStore

MAX_TAGS = 100_000
"""Tokens kept in memory; past it they all start again (every kept answer is read anew)."""


class LocalTags:
    """Tokens in this process: a counter, so a token is never given twice."""

    def __init__(self) -> None:
        self._counter = itertools.count(1)
        self._tokens: dict[str, str] = {}
        self._floor = "0"

    def token(self, tag: str) -> str:
        return self._tokens.get(tag, self._floor)

    async def look(self, key: str, tag: str) -> tuple[Answered | None, str]:
        return None, self.token(tag)

    async def keep(self, key: str, tag: str, token: str, answered: Answered, age: float) -> None:
        return None

    async def touch(self, tags: tuple[str, ...]) -> None:
        if len(self._tokens) >= MAX_TAGS:
            self._tokens.clear()
            self._floor = str(next(self._counter))  # every old token is now stale
        for tag in tags:
            self._tokens[tag] = str(next(self._counter))

    async def aclose(self) -> None:
        return None


class MemoryCache(LocalTags):
    """Answers kept in this process (`kept.Kept`): a hit is the very `Answered` a flight read,
    its decoded records included."""

    def __init__(self, ttl: float, max_bytes: int, clock: Callable[[], float]) -> None:
        super().__init__()
        self._ttl, self._clock = ttl, clock
        self._kept = Kept(max_bytes)

    async def look(self, key: str, tag: str) -> tuple[Answered | None, str]:
        token = self.token(tag)
        kept = self._kept.get(key)
        if kept is None:
            return None, token
        if kept.stamp == token and kept.expires > self._clock():
            return kept.answered, token
        self._kept.drop(key)
        return None, token

    async def keep(self, key: str, tag: str, token: str, answered: Answered, age: float) -> None:
        if token != self.token(tag):
            return  # a write came since it was sent: keep nothing older than what is there
        self._kept.put(key, Entry(token, self._clock() - age + self._ttl, answered))

    async def aclose(self) -> None:
        self._kept.clear()


def open_read_store(
    ttl: float,
    *,
    max_bytes: int,
    redis: Redis | None,
    prefix: str,
    hold: float,
    clock: Callable[[], float] = time.monotonic,
) -> ReadStore:
    """No kept answers when `ttl` is 0; else in `redis` when one is given (the app's client,
    which its owner closes; `max_bytes` then bounds this process's decoded copies), this
    process otherwise.

    `hold` is how long a token must outlive the answers and flights read under it: more than
    `ttl` plus a call's whole deadline.
    """
    if ttl <= 0:
        return LocalTags()
    if redis is None:
        return MemoryCache(ttl, max_bytes, clock)
    return RedisCache(redis, prefix, ttl=ttl, hold=hold, max_bytes=max_bytes)
