"""Sessions and keys at rest: only digests are stored, sessions expire, `keys create` prints the
key alone on its last line."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from auth import session_cache
from auth.cli import keys_main
from auth.secrets import digest
from auth.session_cache import SessionCache
from auth.store import KeyGrant, KeyStore, Session, SessionStore, api_keys, sessions
from store.db import create_tables, make_engine


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'auth.db'}")
    await create_tables(engine)
    yield engine
    await engine.dispose()


class Clock:
    def __init__(self, now_ms: int) -> None:
        self.now_ms = now_ms

    def __call__(self) -> int:
        return self.now_ms


async def test_a_session_is_found_until_it_expires(engine: AsyncEngine) -> None:
    clock = Clock(1_000_000)
    store = SessionStore(engine, clock)
    token, expires = await store.open(1002, "upstream-token", ttl_seconds=60)

    clock.now_ms = expires - 1
    assert await store.find(token) == Session(1002, "upstream-token", 1_060_000)
    clock.now_ms = expires
    assert await store.find(token) is None


async def test_only_the_digest_of_a_session_token_is_stored(engine: AsyncEngine) -> None:
    token, _ = await SessionStore(engine).open(1002, "upstream-token", ttl_seconds=60)

    async with engine.connect() as connection:
        stored = (await connection.execute(select(sessions.c.token_digest))).scalars().all()

    assert stored == [digest(token)]


async def test_a_revoked_session_is_gone(engine: AsyncEngine) -> None:
    store = SessionStore(engine)
    token, _ = await store.open(1002, "upstream-token", ttl_seconds=60)

    assert await store.revoke(token) is True
    assert await store.find(token) is None


def test_keys_create_prints_the_key_alone_on_its_last_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'keys.db'}"

    status = keys_main(["create", "--partner", "IB-0001", "--read-only", "--database-url", url])

    key = capsys.readouterr().out.splitlines()[-1]
    assert (status, key.startswith("tgk_"), len(key)) == (0, True, 47)


async def test_a_created_key_is_stored_as_its_digest(engine: AsyncEngine) -> None:
    store = KeyStore(engine)
    key = await store.create("IB-0001", read_only=True)

    async with engine.connect() as connection:
        stored = (await connection.execute(select(api_keys.c.key_digest))).scalars().all()

    assert (stored, await store.find(key)) == ([digest(key)], KeyGrant("IB-0001", True))


async def delete_row(engine: AsyncEngine, token: str) -> None:
    """The session's row deleted behind this process's back (another worker's `logout`)."""
    async with engine.begin() as connection:
        await connection.execute(sessions.delete().where(sessions.c.token_digest == digest(token)))


async def test_a_session_read_is_taken_as_it_was_for_the_cache_seconds(
    engine: AsyncEngine,
) -> None:
    clock = Clock(1_000_000)
    store = SessionStore(engine, clock, cache_seconds=2)
    token, _ = await store.open(1002, "upstream-token", ttl_seconds=60)
    first = await store.find(token)
    await delete_row(engine, token)

    clock.now_ms += 1_999
    still = await store.find(token)
    clock.now_ms += 1
    assert (first, still, await store.find(token)) == (
        Session(1002, "upstream-token", 1_060_000),
        Session(1002, "upstream-token", 1_060_000),
        None,
    )


async def test_without_cache_seconds_every_find_reads_the_database(engine: AsyncEngine) -> None:
    store = SessionStore(engine)
    token, _ = await store.open(1002, "upstream-token", ttl_seconds=60)
    found = await store.find(token)
    await delete_row(engine, token)
    assert (found is not None, await store.find(token)) == (True, None)


async def test_logout_in_this_process_drops_the_session_from_its_cache_at_once(
    engine: AsyncEngine,
) -> None:
    """`logout` revokes through a store of its own; the cache belongs to the engine."""
    cached = SessionStore(engine, cache_seconds=2)
    token, _ = await cached.open(1002, "upstream-token", ttl_seconds=60)
    found = await cached.find(token)
    revoked = await SessionStore(engine).revoke(token)
    assert (found is not None, revoked, await cached.find(token)) == (True, True, None)


async def test_an_expired_session_is_never_served_from_the_cache(engine: AsyncEngine) -> None:
    clock = Clock(1_000_000)
    store = SessionStore(engine, clock, cache_seconds=2)
    token, expires = await store.open(1002, "upstream-token", ttl_seconds=1)
    found = await store.find(token)
    clock.now_ms = expires
    assert (found is not None, await store.find(token)) == (True, None)


def test_the_cache_keeps_at_most_its_size_the_oldest_read_going_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(session_cache, "MAX_SESSIONS", 2)
    cache: SessionCache[str] = SessionCache()
    cache.keep("a", "session a", 1)
    cache.keep("b", "session b", 2)
    cache.keep("a", "session a", 3)  # read again: now the newest
    cache.keep("c", "session c", 4)
    kept = [cache.fresh(key, 5, 1_000) for key in ("a", "b", "c")]
    assert (len(cache), kept) == (2, ["session a", None, "session c"])
