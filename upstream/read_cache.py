"""The stores behind `sharing.Sharing`: tags' tokens, and the answers kept for a few seconds.

`LocalTags` alone (the default: `ttl` 0) keeps no answer; it only gives tags tokens, so reads in
flight are shared and writes are read back. `MemoryCache` also keeps answers in this process,
at most `max_bytes` of bodies (the oldest leave first). `RedisCache` keeps tokens and answers in
Redis, so that every replica shares them, in one round trip per read:

    <prefix>:read:tag:<tag>              the tag's token; absent means "0"
    <prefix>:read:answer:<request key>   "<token>\\n<content type>\\n" + body, expiring with it

An answer is kept for `ttl` seconds from the moment its upstream request was *sent* (not
answered), so nothing served is older than `ttl`. A token is random and lives `hold` seconds
(longer than an answer, or a flight, can), so an expired tag cannot bring an old answer back.
When Redis cannot be reached, reads go to the upstream unshared and a warning is logged; a write
whose tokens could not be replaced leaves other replicas' answers to expire within `ttl`.
"""

from __future__ import annotations

import itertools
import secrets
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError

from upstream.sharing import Answered, ReadStore

MAX_TAGS = 100_000
"""Tokens kept in memory; past it they all start again (every kept answer is read anew)."""
log = structlog.get_logger("upstream")


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


@dataclass(frozen=True, slots=True)
class _Kept:
    token: str
    expires: float
    answered: Answered


class MemoryCache(LocalTags):
    def __init__(self, ttl: float, max_bytes: int, clock: Callable[[], float]) -> None:
        super().__init__()
        self._ttl, self._max_bytes, self._clock = ttl, max_bytes, clock
        self._kept: OrderedDict[str, _Kept] = OrderedDict()
        self._bytes = 0

    async def look(self, key: str, tag: str) -> tuple[Answered | None, str]:
        token = self.token(tag)
        kept = self._kept.get(key)
        if kept is None:
            return None, token
        if kept.token == token and kept.expires > self._clock():
            return kept.answered, token
        self._drop(key)
        return None, token

    async def keep(self, key: str, tag: str, token: str, answered: Answered, age: float) -> None:
        size = len(answered.content)
        if token != self.token(tag) or size > self._max_bytes:
            return  # a write came since it was sent: keep nothing older than what is there
        self._drop(key)
        self._kept[key] = _Kept(token, self._clock() - age + self._ttl, answered)
        self._bytes += size
        while self._bytes > self._max_bytes:
            self._drop(next(iter(self._kept)))

    def _drop(self, key: str) -> None:
        kept = self._kept.pop(key, None)
        if kept is not None:
            self._bytes -= len(kept.answered.content)

    async def aclose(self) -> None:
        self._kept.clear()
        self._bytes = 0


class RedisCache:
    def __init__(
        self,
        redis: Redis,
        prefix: str,
        *,
        ttl: float,
        hold: float,
    ) -> None:
        self._redis, self._prefix = redis, f"{prefix}:read"
        self._ttl, self._hold = ttl, hold

    async def look(self, key: str, tag: str) -> tuple[Answered | None, str]:
        try:
            value, token = await self._redis.mget(self._answer(key), self._tag(tag))
        except RedisError as error:
            log.warning("read cache unreachable", reason=type(error).__name__)
            return None, f"unreachable:{secrets.token_hex(8)}"  # shared with nobody
        current = "0" if token is None else _text(token)
        return (None if value is None else _parse(_bytes(value), current)), current

    async def keep(self, key: str, tag: str, token: str, answered: Answered, age: float) -> None:
        left = int((self._ttl - age) * 1000)
        if left <= 0 or token.startswith("unreachable:"):
            return
        head = f"{token}\n{answered.content_type}\n".encode()
        try:
            await self._redis.set(self._answer(key), head + answered.content, px=left)
        except RedisError as error:
            log.warning("read cache unreachable", reason=type(error).__name__)

    async def touch(self, tags: tuple[str, ...]) -> None:
        try:
            async with self._redis.pipeline(transaction=False) as pipe:
                for tag in tags:
                    pipe.set(self._tag(tag), secrets.token_hex(8), px=int(self._hold * 1000))
                await pipe.execute()
        except RedisError as error:
            log.warning("read cache not invalidated", reason=type(error).__name__, tags=tags)

    async def aclose(self) -> None:
        """Nothing to close: the Redis client is its owner's (the app's lifespan)."""

    def _answer(self, key: str) -> str:
        return f"{self._prefix}:answer:{key}"

    def _tag(self, tag: str) -> str:
        return f"{self._prefix}:tag:{tag}"


def _parse(value: bytes, current: str) -> Answered | None:
    token, _, rest = value.partition(b"\n")
    if token.decode() != current:
        return None
    content_type, _, content = rest.partition(b"\n")
    return Answered(content, content_type.decode())


def _text(value: bytes | str) -> str:
    return value if isinstance(value, str) else value.decode()


def _bytes(value: bytes | str) -> bytes:
    return value if isinstance(value, bytes) else value.encode()


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
    which its owner closes), this process otherwise.

    `hold` is how long a token must outlive the answers and flights read under it: more than
    `ttl` plus a call's whole deadline.
    """
    if ttl <= 0:
        return LocalTags()
    if redis is None:
        return MemoryCache(ttl, max_bytes, clock)
    return RedisCache(redis, prefix, ttl=ttl, hold=hold)
