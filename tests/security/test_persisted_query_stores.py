"""Where automatic persisted queries are remembered: a bounded LRU in one process, or Redis shared
by every replica (the Redis tests need `TRADERGRAPH_TEST_REDIS_URL`; each uses keys of its own
prefix, so a shared Redis is fine)."""

from __future__ import annotations

import hashlib
import os
import socket
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from redis.asyncio import Redis
from starlette.applications import Starlette
from structlog.testing import capture_logs

from limits.apq import MemoryApq, RedisApq
from tests.resolvers.harness import Upstream
from tests.security.test_trusted_documents import NOT_FOUND, TRADER, by_hash, get, persisted
from tests.security.wire import Answer, wire_on

REDIS_URL = os.environ.get("TRADERGRAPH_TEST_REDIS_URL")
needs_redis = pytest.mark.skipif(REDIS_URL is None, reason="TRADERGRAPH_TEST_REDIS_URL is not set")
TTL = 600
A, B, C = "{ a }", "{ b }", "{ c }"  # five bytes each
WARNING = {"log_level": "warning"}


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


async def remembered(store: MemoryApq) -> list[str | None]:
    return [await store.get(sha256(text)) for text in (A, B, C)]


async def test_memory_forgets_the_least_recently_used_beyond_its_count() -> None:
    store = MemoryApq(max_bytes=1_000, max_documents=2)
    await store.put(sha256(A), A)
    await store.put(sha256(B), B)
    await store.get(sha256(A))  # A is now more recent than B

    await store.put(sha256(C), C)

    assert await remembered(store) == [A, None, C]


async def test_memory_forgets_the_least_recently_used_beyond_its_bytes() -> None:
    store = MemoryApq(max_bytes=10)
    await store.put(sha256(A), A)
    await store.put(sha256(B), B)

    await store.put(sha256(C), C)

    assert await remembered(store) == [None, B, C]


async def test_memory_counts_a_document_registered_twice_once() -> None:
    store = MemoryApq(max_bytes=10)
    await store.put(sha256(A), A)
    await store.put(sha256(A), A)

    await store.put(sha256(B), B)

    assert await remembered(store) == [A, B, None]


@pytest.fixture
def closed_port() -> Iterator[str]:
    """A loopback Redis URL on a port that refuses connections (bound, never listening)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield f"redis://127.0.0.1:{sock.getsockname()[1]}/0"


async def test_redis_that_refuses_is_a_miss_not_a_failure(closed_port: str) -> None:
    redis = Redis.from_url(closed_port)
    store = RedisApq(redis, "tg-test", TTL)
    try:
        with capture_logs() as logs:
            await store.put(sha256(A), A)  # does not raise
            found = await store.get(sha256(A))
    finally:
        await redis.aclose()

    assert (found, logs) == (
        None,
        [
            {"event": "persisted query not registered", "reason": "ConnectionError", **WARNING},
            {"event": "persisted query lookup failed", "reason": "ConnectionError", **WARNING},
        ],
    )


@pytest.fixture
async def redis() -> AsyncIterator[Redis]:
    assert REDIS_URL is not None
    client = Redis.from_url(REDIS_URL)
    yield client
    await client.aclose()


@pytest.mark.redis
@needs_redis
async def test_a_hit_renews_the_documents_expiry(redis: Redis) -> None:
    prefix = f"tg-test-{uuid.uuid4().hex}"
    store = RedisApq(redis, prefix, TTL)
    await store.put(sha256(A), A)
    key = f"{prefix}:apq:{sha256(A)}"
    await redis.expire(key, 5)

    found = await store.get(sha256(A))

    assert (found, TTL - 5 < await redis.ttl(key) <= TTL) == (A, True)


@pytest.mark.redis
@needs_redis
async def test_a_document_registered_on_one_replica_runs_by_hash_on_another(
    sandbox: Starlette, upstream: Upstream, redis: Redis, tmp_path: Path
) -> None:
    login = await upstream.create_trader()
    prefix = f"tg-test-{uuid.uuid4().hex}"
    shared = {"redis_url": REDIS_URL, "redis_key_prefix": prefix, "apq_ttl_seconds": TTL}
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    variables = {"login": login}
    async with (
        wire_on(sandbox, tmp_path / "a", **shared) as first,
        wire_on(sandbox, tmp_path / "b", **shared) as second,
    ):
        before = await second.send_json({**persisted(sha256(TRADER)), "variables": variables})
        await first.send_json({**persisted(sha256(TRADER), TRADER), "variables": variables})
        await upstream.reset_calls()
        by_post = await second.send_json({**persisted(sha256(TRADER)), "variables": variables})
        by_get = await get(second, extensions=by_hash(sha256(TRADER)), variables=variables)

    key = f"{prefix}:apq:{sha256(TRADER)}"
    ran = Answer(200, {"data": {"trader": {"login": login}}})
    assert (before, by_post, by_get) == (NOT_FOUND, ran, ran)
    assert await upstream.calls() == {
        "POST /v2/webserv/managers/token": 1,
        "GET /v2/webserv/traders/{login}": 2,
    }
    assert (await redis.get(key), 0 < await redis.ttl(key) <= TTL) == (TRADER.encode(), True)
