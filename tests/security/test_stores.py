"""Sessions and keys at rest: only digests are stored, sessions expire, `keys create` prints the
key alone on its last line."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from auth.cli import keys_main
from auth.secrets import digest
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
