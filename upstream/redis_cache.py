"""`RedisCache`: tags' tokens and kept answers in Redis, so that every replica shares them.

    <prefix>:read:tag:<tag>               the tag's token; absent means "0"
    <prefix>:read:kept:<request key>      "<token>\\n<id>\\n<content type>": which answer is kept
    <prefix>:read:body:<request key>:<id> that answer's body

An answer's two keys expire together. Redis holds bytes, so each process also keeps the
`Answered` it last took from Redis (or read itself) under each key, with its id (`kept.Kept`,
at most `max_bytes` of bodies): while Redis still names that id, a hit is that same `Answered`,
decoded at most once in this process however many readers it has (`sharing.Answered.decoded`),
and costs one round trip of a few bytes (`MGET` of the kept line and the tag's token). Only a
process without that answer fetches its body, in a second round trip. Redis alone decides
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


class RedisCache:
    def __init__(
        self, redis: Redis, prefix: str, *, ttl: float, hold: float, max_bytes: int
    ) -> None:
        self._redis, self._prefix = redis, f"{prefix}:read"
        self._ttl, self._hold = ttl, hold
        self._local = Kept(max_bytes)

    async def look(self, key: str, tag: str) -> tuple[Answered | None, str]:
        try:
            line, token = await self._redis.mget(self._kept(key), self._tag(tag))
            current = "0" if token is None else _text(token)
            head = None if line is None else _head(_bytes(line))
            if head is None or head.token != current:
                self._local.drop(key)
                return None, current
            return await self._taken(key, head), current
        except RedisError as error:
            log.warning("read cache unreachable", reason=type(error).__name__)
            return None, f"{UNREACHABLE}{secrets.token_hex(8)}"  # shared with nobody

    async def keep(self, key: str, tag: str, token: str, answered: Answered, age: float) -> None:
        left = int((self._ttl - age) * 1000)
        if left <= 0 or token.startswith(UNREACHABLE):
            return
        kept_id = secrets.token_hex(8)
        try:
            async with self._redis.pipeline(transaction=False) as pipe:
                pipe.set(self._body(key, kept_id), answered.content, px=left)  # the body first
                pipe.set(self._kept(key), f"{token}\n{kept_id}\n{answered.content_type}", px=left)
                await pipe.execute()
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

    async def _taken(self, key: str, head: _Head) -> Answered | None:
        """The answer `head` names: this process's own copy when it has that one, else its
        body from Redis (kept as this process's copy); None when the body has just expired."""
        mine = self._local.get(key)
        if mine is not None and mine.stamp == head.id:
            return mine.answered
        body = await self._redis.get(self._body(key, head.id))
        if body is None:
            return None
        answered = Answered(_bytes(body), head.content_type)
        self._local.put(key, Entry(head.id, math.inf, answered))
        return answered

    def _kept(self, key: str) -> str:
        return f"{self._prefix}:kept:{key}"

    def _body(self, key: str, kept_id: str) -> str:
        return f"{self._prefix}:body:{key}:{kept_id}"

    def _tag(self, tag: str) -> str:
        return f"{self._prefix}:tag:{tag}"


def _head(line: bytes) -> _Head | None:
    """The kept line's three parts; None for a value of any other shape."""
    parts = line.split(b"\n")
    if len(parts) != 3:
        return None
    token, kept_id, content_type = (part.decode(errors="replace") for part in parts)
    return _Head(token, kept_id, content_type)


def _text(value: bytes | str) -> str:
    return value if isinstance(value, str) else value.decode()


def _bytes(value: bytes | str) -> bytes:
    return value if isinstance(value, bytes) else value.encode()
