"""Where automatic persisted queries (APQ) are remembered: a document's text by its SHA-256.

In memory by default (one process): an LRU of at most `MAX_MEMORY_DOCUMENTS` documents and
`apq_memory_bytes` of text. With `redis_url` set, in Redis, so that a document registered through
one replica runs by hash on every other: one key per document, `<prefix>:apq:<sha256>`, set with
an expiry of `apq_ttl_seconds` that every hit renews (`GETEX`), so documents in use stay and the
rest leave on their own. Only documents whose hash was checked are written, so every key is a
64-hex digest.

A store that fails (Redis down) is a cache miss, never a failed request: the lookup answers
nothing (`PERSISTED_QUERY_NOT_FOUND`, so an APQ client resends the text) and a registration is
skipped; both are logged with the error's type only, never the URL (it may hold a password).
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Protocol

import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError

MAX_MEMORY_DOCUMENTS = 10_000
log = structlog.get_logger("tradergraph.apq")


class ApqStore(Protocol):
    async def get(self, digest: str) -> str | None:
        """The document registered under `digest`, if it is still remembered."""
        ...

    async def put(self, digest: str, document: str) -> None: ...


class MemoryApq:
    """An LRU bounded by its count of documents and by the bytes of their text."""

    def __init__(self, max_bytes: int, max_documents: int = MAX_MEMORY_DOCUMENTS) -> None:
        self._max_bytes, self._max_documents = max_bytes, max_documents
        self._documents: OrderedDict[str, str] = OrderedDict()
        self._bytes = 0

    async def get(self, digest: str) -> str | None:
        document = self._documents.get(digest)
        if document is not None:
            self._documents.move_to_end(digest)
        return document

    async def put(self, digest: str, document: str) -> None:
        self._forget(digest)
        self._documents[digest] = document
        self._bytes += len(document.encode())
        while len(self._documents) > self._max_documents or self._bytes > self._max_bytes:
            self._forget(next(iter(self._documents)))

    def _forget(self, digest: str) -> None:
        document = self._documents.pop(digest, None)
        if document is not None:
            self._bytes -= len(document.encode())


class RedisApq:
    def __init__(self, redis: Redis, prefix: str, ttl_seconds: int) -> None:
        self._redis, self._prefix, self._ttl = redis, prefix, ttl_seconds

    async def get(self, digest: str) -> str | None:
        try:
            found = await self._redis.getex(self._key(digest), ex=self._ttl)
        except RedisError as error:
            log.warning("persisted query lookup failed", reason=type(error).__name__)
            return None
        return found.decode() if isinstance(found, bytes) else None

    async def put(self, digest: str, document: str) -> None:
        try:
            await self._redis.set(self._key(digest), document.encode(), ex=self._ttl)
        except RedisError as error:
            log.warning("persisted query not registered", reason=type(error).__name__)

    def _key(self, digest: str) -> str:
        return f"{self._prefix}:apq:{digest}"


def open_apq(redis: Redis | None, prefix: str, *, ttl_seconds: int, memory_bytes: int) -> ApqStore:
    """Over the app's Redis when one is configured, so replicas share the documents; else in
    memory. The Redis client is the lifespan's: it closes it, not the store."""
    if redis is None:
        return MemoryApq(memory_bytes)
    return RedisApq(redis, prefix, ttl_seconds)
