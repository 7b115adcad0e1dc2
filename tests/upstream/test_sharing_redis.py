"""The read cache in Redis: replicas share answers and see each other's writes at once.

Needs `TRADERGRAPH_TEST_REDIS_URL`; each test uses a prefix of its own and deletes its keys. Two
clients over one sandbox stand for two replicas of the service.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Awaitable
from decimal import Decimal
from typing import cast

import httpx
import pytest
from pydantic import SecretStr
from redis.asyncio import Redis
from redis.typing import KeyT
from starlette.applications import Starlette

from tests.support.fixtures import sandbox_config
from tests.support.sandbox import BASE_URL, SandboxTransport
from tests.upstream.scene import new_trader
from upstream.client import WebServicesClient
from upstream.enums import BalanceChangeType
from upstream.errors import NotEnoughRights
from upstream.inputs import BalanceChangeRequest
from upstream.read_cache import open_read_store
from upstream.redis_cache import RedisCache

REDIS_URL = os.environ.get("TRADERGRAPH_TEST_REDIS_URL")
pytestmark = pytest.mark.skipif(REDIS_URL is None, reason="TRADERGRAPH_TEST_REDIS_URL is not set")
TRADER = "GET /v2/webserv/traders/{login}"
DEPOSIT = BalanceChangeRequest(type=BalanceChangeType.DEPOSIT, amount=Decimal("25.00"))
DESK = (1002, "sandbox-desk")


@pytest.fixture
async def prefix() -> AsyncIterator[str]:
    name = f"tradergraph-test-{uuid.uuid4().hex}"
    yield name
    redis = Redis.from_url(str(REDIS_URL))
    async for key in redis.scan_iter(f"{name}:*"):
        await redis.delete(key)
    await redis.aclose()


def replica(app: Starlette, redis: Redis, prefix: str) -> WebServicesClient:
    store = open_read_store(5.0, max_bytes=2**20, redis=redis, prefix=prefix, hold=40.0)
    assert isinstance(store, RedisCache)
    return WebServicesClient(sandbox_config(BASE_URL), transport=SandboxTransport(app), reads=store)


@pytest.fixture
async def replicas(
    sandbox_app: Starlette, prefix: str
) -> AsyncIterator[tuple[WebServicesClient, WebServicesClient]]:
    """Two replicas, each with its own Redis client (as each process has one)."""
    first, second = Redis.from_url(str(REDIS_URL)), Redis.from_url(str(REDIS_URL))
    async with (
        replica(sandbox_app, first, prefix) as one,
        replica(sandbox_app, second, prefix) as two,
    ):
        yield one, two
    await first.aclose()
    await second.aclose()


async def calls(http: httpx.AsyncClient) -> int:
    stats = (await http.get("/_sandbox/stats")).json()["requests"]
    return int(stats.get(TRADER, 0))


async def test_a_replica_answers_from_what_another_has_read(
    replicas: tuple[WebServicesClient, WebServicesClient], sandbox_http: httpx.AsyncClient
) -> None:
    one, two = replicas
    login = (await one.create_trader(new_trader())).login

    first = await one.get_trader(login)
    again = await two.get_trader(login)

    assert (again, await calls(sandbox_http)) == (first, 1)


async def test_a_deposit_through_one_replica_is_read_back_through_another(
    replicas: tuple[WebServicesClient, WebServicesClient], sandbox_http: httpx.AsyncClient
) -> None:
    one, two = replicas
    login = (await one.create_trader(new_trader())).login
    before = (await two.get_trader(login)).balance

    await one.change_balance(login, DEPOSIT)
    after = (await two.get_trader(login)).balance

    assert (before, after, await calls(sandbox_http)) == (Decimal(0), Decimal("25.00"), 2)


async def test_a_cached_answer_never_reaches_other_credentials(
    replicas: tuple[WebServicesClient, WebServicesClient],
) -> None:
    one, two = replicas
    login = (await one.create_trader(new_trader())).login
    await one.get_trader(login)
    desk = two.for_token(await two.token_for(DESK[0], SecretStr(DESK[1])))

    with pytest.raises(NotEnoughRights):
        await desk.get_trader(login)


async def test_no_key_or_answer_in_redis_holds_the_token(
    replicas: tuple[WebServicesClient, WebServicesClient], prefix: str
) -> None:
    one, _ = replicas
    token = await one.token_for(DESK[0], SecretStr(DESK[1]))
    await one.for_token(token).deposit_assets()
    await one.change_balance((await one.create_trader(new_trader())).login, DEPOSIT)

    redis = Redis.from_url(str(REDIS_URL))
    keys = [key async for key in redis.scan_iter(f"{prefix}:*")]
    values = [await redis.get(key) for key in keys]
    await redis.aclose()

    assert (len(keys) >= 2, [k for k in keys if token.encode() in k]) == (True, [])
    assert [v for v in values if v is not None and token.encode() in v] == []


async def test_reads_go_upstream_when_redis_is_out_of_reach(
    sandbox_app: Starlette, sandbox_http: httpx.AsyncClient
) -> None:
    gone = Redis.from_url("redis://127.0.0.1:1/0")
    store = RedisCache(gone, "gone", ttl=5.0, hold=40.0, max_bytes=2**20)
    transport = SandboxTransport(sandbox_app)
    async with WebServicesClient(sandbox_config(BASE_URL), transport=transport, reads=store) as c:
        login = (await c.create_trader(new_trader())).login
        await c.change_balance(login, DEPOSIT)
        balances = [(await c.get_trader(login)).balance for _ in range(2)]
    await gone.aclose()

    assert (balances, await calls(sandbox_http)) == ([Decimal("25.00")] * 2, 2)


async def test_a_process_decodes_an_answer_from_redis_once_for_all_its_hits(
    replicas: tuple[WebServicesClient, WebServicesClient], sandbox_http: httpx.AsyncClient
) -> None:
    """Redis holds bytes; each replica keeps the record it decoded while Redis holds that answer:
    the reader's own flight's record, or the first it took from Redis."""
    one, two = replicas
    login = (await one.create_trader(new_trader())).login
    first = await one.get_trader(login)

    taken = [await two.get_trader(login) for _ in range(3)]
    mine = await one.get_trader(login)

    assert (await calls(sandbox_http), mine is first, taken[0] == first) == (1, True, True)
    assert [t is taken[0] for t in taken] == [True, True, True]


class Counting(Redis):
    """A Redis client that notes the keys of its single GETs (the bodies it fetches)."""

    fetched: list[str]

    def get(self, name: KeyT) -> Awaitable[bytes | str | None]:
        self.fetched.append(str(name))
        return super().get(name)


def counting() -> Counting:
    redis = cast(Counting, Counting.from_url(str(REDIS_URL)))  # from_url builds a `cls`
    redis.fetched = []
    return redis


async def test_only_a_process_without_the_answer_fetches_its_body(
    sandbox_app: Starlette, sandbox_http: httpx.AsyncClient, prefix: str
) -> None:
    first, second = counting(), counting()
    async with (
        replica(sandbox_app, first, prefix) as one,
        replica(sandbox_app, second, prefix) as two,
    ):
        login = (await one.create_trader(new_trader())).login
        for _ in range(3):
            await one.get_trader(login)
            await two.get_trader(login)
    await first.aclose()
    await second.aclose()

    bodies = [key.split(":read:")[1].split(":")[0] for key in second.fetched]
    assert (first.fetched, bodies, await calls(sandbox_http)) == ([], ["body"], 1)


async def test_an_answer_replaced_in_redis_is_decoded_anew(
    replicas: tuple[WebServicesClient, WebServicesClient], sandbox_http: httpx.AsyncClient
) -> None:
    """A replica's copy is used only while Redis holds the very answer it came from."""
    one, two = replicas
    login = (await one.create_trader(new_trader())).login
    await one.get_trader(login)
    taken = await two.get_trader(login)
    await one.change_balance(login, DEPOSIT)  # through `one`: the trader's token moves

    moved = await one.get_trader(login)
    again = await two.get_trader(login)

    assert (taken.balance, moved.balance, again.balance) == (
        Decimal(0),
        Decimal("25.00"),
        Decimal("25.00"),
    )
    assert (again is taken, again == moved, await calls(sandbox_http)) == (False, True, 2)
