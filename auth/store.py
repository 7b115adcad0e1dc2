"""Sessions and partner API keys in the service's database, known only by their digests.

`tg_sessions` holds, per session: the digest of the opaque token, the manager it acts for, that
manager's upstream token (the service needs it on every call of the session; it is as sensitive
as the manager's password and goes when the session is revoked or found expired) and the expiry.
`tg_api_keys` holds the digest of each partner key, its partner and whether it is read-only.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Integer,
    String,
    Table,
    bindparam,
    delete,
    insert,
    select,
)
from sqlalchemy.ext.asyncio import AsyncEngine

from auth.secrets import KEY_PREFIX, SESSION_PREFIX, digest, new_token
from auth.session_cache import cache_of
from store.db import first_row, metadata, read, writing

sessions = Table(
    "tg_sessions",
    metadata,
    Column("token_digest", String(64), primary_key=True),
    Column("manager_login", Integer, nullable=False),
    Column("upstream_token", String(200), nullable=False),
    Column("expires_at_ms", BigInteger, nullable=False),
)

api_keys = Table(
    "tg_api_keys",
    metadata,
    Column("key_digest", String(64), primary_key=True),
    Column("partner", String(100), nullable=False),
    Column("read_only", Boolean, nullable=False),
    Column("created_at_ms", BigInteger, nullable=False),
)


@dataclass(frozen=True)
class Session:
    manager_login: int
    upstream_token: str
    expires_at_ms: int

    def __repr__(self) -> str:
        return f"Session(manager_login={self.manager_login}, expires_at_ms={self.expires_at_ms})"


@dataclass(frozen=True)
class KeyGrant:
    partner: str
    read_only: bool


def _now_ms() -> int:
    return int(time.time() * 1000)


class SessionStore:
    """`cache_seconds`: how long a session read from the database is taken as it was
    (auth/session_cache.py); 0 reads it for every request."""

    def __init__(
        self,
        engine: AsyncEngine,
        clock_ms: Callable[[], int] = _now_ms,
        cache_seconds: float = 0.0,
    ) -> None:
        self._engine, self._clock_ms = engine, clock_ms
        self._cache_ms = int(cache_seconds * 1000)
        self._cache = cache_of(engine)

    async def open(
        self, manager_login: int, upstream_token: str, ttl_seconds: float
    ) -> tuple[str, int]:
        """A new session token (shown once, stored as its digest) and its expiry in epoch ms."""
        token = new_token(SESSION_PREFIX)
        expires = self._clock_ms() + int(ttl_seconds * 1000)
        row = {"token_digest": digest(token), "manager_login": manager_login}
        async with writing(self._engine) as connection:
            await connection.execute(
                insert(sessions).values(**row, upstream_token=upstream_token, expires_at_ms=expires)
            )
        return token, expires

    async def find(self, token: str) -> Session | None:
        """The live session of `token`; an expired one is deleted and reads as None."""
        key, now = digest(token), self._clock_ms()
        kept = self._cache.fresh(key, now, self._cache_ms)
        if isinstance(kept, Session) and kept.expires_at_ms > now:
            return kept
        self._cache.drop(key)
        session = await self._read(key)
        if session is not None and self._cache_ms > 0:
            self._cache.keep(key, session, now)
        return session

    async def _read(self, key: str) -> Session | None:
        found = await read(self._engine, first_row(SESSION_BY_DIGEST, {"digest": key}))
        if found is None:
            return None
        if found.expires_at_ms <= self._clock_ms():
            async with writing(self._engine) as connection:
                await connection.execute(delete(sessions).where(sessions.c.token_digest == key))
            return None
        return Session(found.manager_login, found.upstream_token, found.expires_at_ms)

    async def revoke(self, token: str) -> bool:
        self._cache.drop(digest(token))  # this process serves it no more, from now
        async with writing(self._engine) as connection:
            done = await connection.execute(
                delete(sessions).where(sessions.c.token_digest == digest(token))
            )
        return bool(done.rowcount)


class KeyStore:
    def __init__(self, engine: AsyncEngine, clock_ms: Callable[[], int] = _now_ms) -> None:
        self._engine, self._clock_ms = engine, clock_ms

    async def create(self, partner: str, *, read_only: bool) -> str:
        """A new partner key, returned once; only its digest is kept."""
        key = new_token(KEY_PREFIX)
        values = {"key_digest": digest(key), "partner": partner, "read_only": read_only}
        async with writing(self._engine) as connection:
            await connection.execute(
                insert(api_keys).values(**values, created_at_ms=self._clock_ms())
            )
        return key

    async def find(self, key: str) -> KeyGrant | None:
        found = await read(self._engine, first_row(KEY_BY_DIGEST, {"digest": digest(key)}))
        return None if found is None else KeyGrant(found.partner, found.read_only)


SESSION_BY_DIGEST = select(sessions).where(sessions.c.token_digest == bindparam("digest"))
KEY_BY_DIGEST = select(api_keys).where(api_keys.c.key_digest == bindparam("digest"))
"""Built once: every request with a bearer token runs one of them."""
