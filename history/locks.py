"""Who may sync a window now: one holder per key, across replicas where there are several.

    LocalLocks      one process (the SQLite default: one replica); asyncio locks
    PostgresLocks   PostgreSQL session advisory locks, each on a connection of its own
    RedisLocks      Redis locks (`SET NX` with a TTL, redis-py's `Lock`)

Keys are `worker` (the one catch-up worker) and `window:<start ms>` (one window's read and
save). `hold(key, wait=False)` yields whether the lock was had; the caller skips the work when
it was not. With `wait=True` it waits its turn (the backfill does, then sees the window saved).
A Redis lock lapses after `ttl` seconds if its holder dies; a PostgreSQL advisory lock goes with
its holder's connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import zlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Protocol

from redis.asyncio import Redis
from redis.exceptions import LockError, RedisError
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from settings import ServiceSettings
from store.db import is_sqlite

NAMESPACE = 0x7467  # "tg": the first half of every advisory lock key this service takes


class Locks(Protocol):
    def hold(self, key: str, *, wait: bool) -> contextlib.AbstractAsyncContextManager[bool]: ...

    async def aclose(self) -> None: ...


class LocalLocks:
    def __init__(self) -> None:
        self._locks: dict[str, asyncio.Lock] = {}

    @asynccontextmanager
    async def hold(self, key: str, *, wait: bool) -> AsyncIterator[bool]:
        lock = self._locks.setdefault(key, asyncio.Lock())
        if not wait and lock.locked():
            yield False
            return
        async with lock:
            yield True

    async def aclose(self) -> None:
        self._locks.clear()


def advisory_key(scope: str, key: str) -> int:
    """The key's signed 32-bit half of a two-part advisory lock, within `scope`."""
    return zlib.crc32(f"{scope}:{key}".encode()) - 2**31


class PostgresLocks:
    """`scope` keeps deployments sharing one database apart (the Redis key prefix's twin)."""

    def __init__(self, engine: AsyncEngine, scope: str) -> None:
        self._engine, self._scope = engine, scope

    @asynccontextmanager
    async def hold(self, key: str, *, wait: bool) -> AsyncIterator[bool]:
        params = {"ns": NAMESPACE, "key": advisory_key(self._scope, key)}
        take = "pg_advisory_lock" if wait else "pg_try_advisory_lock"
        async with self._engine.connect() as connection:
            result = await connection.execute(text(f"SELECT {take}(:ns, :key)"), params)
            held = wait or bool(result.scalar_one())
            await connection.commit()
            try:
                yield held
            finally:
                if held:
                    await connection.execute(text("SELECT pg_advisory_unlock(:ns, :key)"), params)
                    await connection.commit()

    async def aclose(self) -> None:
        return None


class RedisLocks:
    def __init__(self, redis: Redis, prefix: str, ttl: float) -> None:
        self._redis, self._prefix, self._ttl = redis, prefix, ttl

    @classmethod
    def at(cls, url: str, prefix: str, ttl: float) -> RedisLocks:
        return cls(Redis.from_url(url), prefix, ttl)

    @asynccontextmanager
    async def hold(self, key: str, *, wait: bool) -> AsyncIterator[bool]:
        name = f"{self._prefix}:history:{key}"
        lock = self._redis.lock(name, timeout=self._ttl, blocking=wait, sleep=0.05)
        held = bool(await lock.acquire())
        try:
            yield held
        finally:
            if held:
                with contextlib.suppress(LockError, RedisError):  # lapsed: the TTL freed it
                    await lock.release()

    async def aclose(self) -> None:
        await self._redis.aclose()


def locks_for(settings: ServiceSettings, engine: AsyncEngine) -> Locks:
    """Redis when configured, else PostgreSQL advisory locks, else (SQLite) in-process."""
    if settings.redis_url:
        prefix = settings.redis_key_prefix
        return RedisLocks.at(settings.redis_url, prefix, settings.history_lock_ttl_seconds)
    if not is_sqlite(settings.database_url):
        return PostgresLocks(engine, settings.redis_key_prefix)
    return LocalLocks()
