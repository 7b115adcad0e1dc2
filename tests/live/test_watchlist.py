"""`Watchlist`: a target stays watched until the last subscription watching it ends."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from live.poller import PollKey
from live.watchlist import LocalWatchlist, RedisWatchlist, Watchlist

REDIS_URL = os.environ.get("TRADERGRAPH_TEST_REDIS_URL")
KEY = PollKey("account", "1001", "watched")
OTHER = PollKey("account", "1002", "watched")


@pytest.fixture(params=["memory", "redis"])
async def watchlist(request: pytest.FixtureRequest) -> AsyncIterator[Watchlist]:
    if request.param == "memory":
        yield LocalWatchlist()
        return
    if REDIS_URL is None:
        pytest.skip("TRADERGRAPH_TEST_REDIS_URL is not set")
    redis = Redis.from_url(REDIS_URL)
    prefix = f"tradergraph-test:{uuid.uuid4().hex}"
    yield RedisWatchlist(redis, prefix)
    async for name in redis.scan_iter(f"{prefix}:*"):
        await redis.delete(name)
    await redis.aclose()


async def test_a_target_stays_until_its_last_watcher_leaves(watchlist: Watchlist) -> None:
    await watchlist.watch(KEY, ["1", "2"])
    await watchlist.watch(KEY, ["2", "3"])
    await watchlist.watch(OTHER, ["9"])
    both = await watchlist.targets(KEY)
    await watchlist.unwatch(KEY, ["1", "2"])
    left = await watchlist.targets(KEY)
    await watchlist.unwatch(KEY, ["2", "3"])

    assert (both, left, await watchlist.targets(KEY), await watchlist.targets(OTHER)) == (
        frozenset({"1", "2", "3"}),
        frozenset({"2", "3"}),
        frozenset(),
        frozenset({"9"}),
    )
