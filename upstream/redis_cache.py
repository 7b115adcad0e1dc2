"""`RedisCache`: tags' tokens and kept answers in Redis, so that every replica shares them.

One round trip per read (`MGET` of the answer and its tag's token):

    <prefix>:read:tag:<tag>             the tag's token; absent means "0"
    <prefix>:read:kept:<request key>    "<token>\\n<id>\\n<content type>\\n" + body, expiring

Redis holds bytes, so each process also keeps the `Answered` it last took from Redis (or read
itself) under each key, with the id Redis filed it under (`kept.Kept`, at most `max_bytes` of
bodies): while Redis still holds that id, a hit is that same `Answered`, decoded at most once in
this process however many readers it has (`sharing.Answered.decoded`). Redis alone decides
whether an answer is still served: its expiry and the tag's token are checked on every read.

When Redis cannot be reached, reads go to the upstream unshared and a warning is logged; a write
whose tokens could not be replaced leaves other replicas' answers to expire within `ttl`.
"""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass

import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError

from upstream.kept import Entry, Kept
from upstream.sharing import Answered

UNREACHABLE = "unreachable:"
log = structlog.get_logger("upstream")


@dataclass(frozen=True, slots=True)
class _Head:
    token: str
    id: str
    content_type: str
    start: int
    """Where the body starts in the stored value."""


class RedisCache:
    def __init__(
        self, redis: Redis, prefix: str, *, ttl: float, hold: float, max_bytes: int
    ) -> None:
        self._redis, self._prefix = redis, f"{prefix}:read"
        self._ttl, self._hold = ttl, hold
        self._local = Kept(max_bytes)

    async def look(self, key: str, tag: str) -> tuple[Answered | None, str]:
        try:
            value, token = await self._redis.mget(self._answer(key), self._tag(tag))
        except RedisError as error:
            log.warning("read cache unreachable", reason=type(error).__name__)
            return None, f"{UNREACHABLE}{secrets.token_hex(8)}"  # shared with nobody
        current = "0" if token is None else _text(token)
        if value is None:
            return None, current
        return self._taken(key, _bytes(value), current), current

    async def keep(self, key: str, tag: str, token: str, answered: Answered, age: float) -> None:
        left = int((self._ttl - age) * 1000)
        if left <= 0 or token.startswith(UNREACHABLE):
            return
        kept_id = secrets.token_hex(8)
        head = f"{token}\n{kept_id}\n{answered.content_type}\n".encode()
        try:
            await self._redis.set(self._answer(key), head + answered.content, px=left)
        except RedisError as error:
            log.warning("read cache unreachable", reason=type(error).__name__)
            return
        self._local.put(key, Entry(kept_id, math.inf, answered))

    async def touch(self, tags: tuple[str, ...]) -> None:
        try:
            async with self._redis.pipeline(transaction=False) as pipe:
                for tag in tags:
                    pipe.set(self._tag(tag), secrets.token_hex(8), px=int(self._hold * 1000))
                await pipe.execute()
        except RedisError as error:
            log.warning("read cache not invalidated", reason=type(error).__name__, tags=tags)

    async def aclose(self) -> None:
        """Forgets this process's copies; the Redis client is its owner's (the app's lifespan)."""
        self._local.clear()

    def _taken(self, key: str, value: bytes, current: str) -> Answered | None:
        """The answer `value` holds if it was read under `current`: this process's own copy
        when it has the one Redis holds, else a new one (kept as this process's copy)."""
        head = _head(value)
        if head is None or head.token != current:
            self._local.drop(key)
            return None
        mine = self._local.get(key)
        if mine is not None and mine.stamp == head.id:
            return mine.answered
        answered = Answered(value[head.start :], head.content_type)
        self._local.put(key, Entry(head.id, math.inf, answered))
        return answered

    def _answer(self, key: str) -> str:
        return f"{self._prefix}:kept:{key}"

    def _tag(self, tag: str) -> str:
        return f"{self._prefix}:tag:{tag}"


def _head(value: bytes) -> _Head | None:
    """The three lines before the body; None for a value of any other shape."""
    first = value.find(b"\n")
    second = value.find(b"\n", first + 1)
    third = value.find(b"\n", second + 1)
    if min(first, second, third) < 0:
        return None
    token, kept_id = value[:first].decode(), value[first + 1 : second].decode()
    return _Head(token, kept_id, value[second + 1 : third].decode(), third + 1)


def _text(value: bytes | str) -> str:
    return value if isinstance(value, str) else value.decode()


def _bytes(value: bytes | str) -> bytes:
    return value if isinstance(value, bytes) else value.encode()
