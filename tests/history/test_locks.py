"""Two replicas never read the same window at the same time: while one holds a window, the
other skips it (the worker) or waits and then finds it settled (the backfill), so the upstream
sees one read. Run over PostgreSQL advisory locks and over Redis locks (each skipped with the
reason when its URL is not set), and in-process; and only one catch-up worker leads a pass."""

from __future__ import annotations

import asyncio
import random
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette

from history.locks import LocalLocks, Locks, PostgresLocks, RedisLocks
from history.sync import Outcome, Sync
from history.windows import Window
from history.worker import CatchUp
from settings.history import HistorySettings
from store.db import create_tables, make_engine, write
from store.deals import save_window
from tests.resolvers.harness import ADMIN
from tests.support.sandbox import BASE_URL, SandboxTransport
from tests.support.services import POSTGRES_URL, REDIS_URL, on_postgres, on_redis
from upstream.client import WebServicesClient
from upstream.config import ClientConfig

DAY_MS = 86_400_000


class GatedTransport(httpx.AsyncBaseTransport):
    """The sandbox, but a closed-positions read waits at `gate`; reads inside are counted."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self._inner = inner
        self.gate, self.entered = asyncio.Event(), asyncio.Event()
        self.calls = self.inside = self.most_inside = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if not request.url.path.endswith("/closedPositions"):
            return await self._inner.handle_async_request(request)
        self.calls += 1
        self.inside += 1
        self.most_inside = max(self.most_inside, self.inside)
        self.entered.set()
        try:
            await self.gate.wait()
            return await self._inner.handle_async_request(request)
        finally:
            self.inside -= 1


LockPair = Callable[[AsyncEngine, AsyncEngine], tuple[Locks, Locks]]


def _local(_a: AsyncEngine, _b: AsyncEngine) -> tuple[Locks, Locks]:
    shared = LocalLocks()  # one process: both "replicas" share its locks
    return shared, shared


def _postgres(a: AsyncEngine, b: AsyncEngine) -> tuple[Locks, Locks]:
    scope = f"test-{uuid.uuid4().hex}"
    return PostgresLocks(a, scope), PostgresLocks(b, scope)


def _redis(_a: AsyncEngine, _b: AsyncEngine) -> tuple[Locks, Locks]:
    assert REDIS_URL is not None
    prefix = f"test-{uuid.uuid4().hex}"
    return RedisLocks.at(REDIS_URL, prefix, 30.0), RedisLocks.at(REDIS_URL, prefix, 30.0)


VARIANTS = [
    pytest.param(_local, None, id="in-process"),
    on_postgres(_postgres, POSTGRES_URL),
    on_redis(_redis, None),
]


def _client(transport: httpx.AsyncBaseTransport) -> WebServicesClient:
    config = ClientConfig(
        base_url=BASE_URL, manager_login=ADMIN[0], manager_password=SecretStr(ADMIN[1])
    )
    return WebServicesClient(config, transport=transport)


@pytest.fixture
async def engines(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[tuple[AsyncEngine, AsyncEngine]]:
    url = request.node.callspec.params.get("database") or f"sqlite+aiosqlite:///{tmp_path / 'm.db'}"
    first, second = make_engine(url), make_engine(url)
    await create_tables(first)
    yield first, second
    await first.dispose()
    await second.dispose()


@pytest.mark.parametrize(("pair", "database"), VARIANTS)
async def test_a_window_one_replica_reads_is_skipped_or_awaited_by_the_other(
    sandbox: Starlette,
    engines: tuple[AsyncEngine, AsyncEngine],
    pair: LockPair,
    database: str | None,
) -> None:
    transport = GatedTransport(SandboxTransport(sandbox))
    locks = pair(*engines)
    first = Sync(engines[0], _client(transport), locks[0], horizon_ms=0)
    second = Sync(engines[1], _client(transport), locks[1], horizon_ms=0)
    window = Window(random.randrange(5_000, 9_000) * 2 * DAY_MS)  # one no other run uses
    reading = asyncio.create_task(first.window(window, wait=False))
    await transport.entered.wait()
    skipped = await second.window(window, wait=False)
    waiting = asyncio.create_task(second.window(window, wait=True))
    transport.gate.set()
    read, waited = await reading, await waiting
    for held in locks:
        await held.aclose()
    assert (read.outcome, skipped.outcome, waited.outcome) == (
        Outcome.READ,
        Outcome.BUSY,
        Outcome.SETTLED,
    )
    assert (transport.calls, transport.most_inside) == (1, 1)


class StillClock:
    """The worker's clock; these tests call `pass_once` themselves and never wait on it."""

    async def sleep(self, seconds: float) -> None:
        raise AssertionError("the test drives the passes")


@pytest.mark.parametrize(("pair", "database"), VARIANTS)
async def test_only_one_replicas_worker_leads_a_pass(
    sandbox: Starlette,
    engines: tuple[AsyncEngine, AsyncEngine],
    pair: LockPair,
    database: str | None,
) -> None:
    now = random.randrange(5_000, 9_000) * 2 * DAY_MS + DAY_MS  # mid-window, on no other run's
    transport = GatedTransport(SandboxTransport(sandbox))
    locks = pair(*engines)
    settings = HistorySettings(history_retention_days=2)
    workers = [
        CatchUp(
            Sync(engine, _client(transport), held, horizon_ms=DAY_MS, now_ms=lambda: now),
            settings,
            StillClock(),
            _nothing,
        )
        for engine, held in zip(engines, locks, strict=True)
    ]
    previous = Window(now - now % (2 * DAY_MS) - 2 * DAY_MS)
    await write(
        engines[0],
        lambda c: save_window(c, previous.start_ms, previous.end_ms, previous.start_ms + 1, []),
    )
    leading = asyncio.create_task(workers[0].pass_once())
    await transport.entered.wait()
    other = await workers[1].pass_once()
    transport.gate.set()
    led = await leading
    for held in locks:
        await held.aclose()
    assert ((led.led, led.windows_read, led.error), (other.led, other.windows_read)) == (
        (True, 2, None),
        (False, 0),
    )
    assert (transport.calls, transport.most_inside) == (2, 1)


async def _nothing() -> None:
    return None
