"""Exactly once on PostgreSQL: concurrent duplicates in one process, and across two processes.

Skipped, with the reason shown, unless TRADERGRAPH_TEST_POSTGRES_URL names a database. Each test
uses its own caller id, so runs sharing the database never see each other's keys.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import uuid
from collections.abc import AsyncIterator
from decimal import Decimal

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncEngine

from resolvers.money.desk import MoneyDesk
from resolvers.money.orders import MoneyOrder
from store.db import create_tables, make_engine
from store.journal import JournalEntry, MovementKind, MovementState
from tests.money.sandbox_kit import CHANGEBALANCE, Sandbox, sandbox_desk
from tests.money.served import served_sandbox
from upstream.client import WebServicesClient
from upstream.config import ClientConfig

POSTGRES_URL = os.environ.get("TRADERGRAPH_TEST_POSTGRES_URL")
pytestmark = pytest.mark.skipif(
    POSTGRES_URL is None, reason="TRADERGRAPH_TEST_POSTGRES_URL is not set"
)


@pytest.fixture
async def pg_engine() -> AsyncIterator[AsyncEngine]:
    assert POSTGRES_URL is not None
    engine = make_engine(POSTGRES_URL)
    await create_tables(engine)
    yield engine
    await engine.dispose()


def caller_of_this_test() -> str:
    return f"pg-{uuid.uuid4().hex[:12]}"


async def test_fifty_concurrent_deposits_on_postgres_make_one_call(pg_engine: AsyncEngine) -> None:
    async with sandbox_desk(pg_engine) as (sandbox, desk):
        login = await sandbox.open_account()
        await sandbox.fault("latency", latencyMs=50)
        order = MoneyOrder(MovementKind.DEPOSIT, login, Decimal("12.34"), "once")
        caller = caller_of_this_test()
        results = await asyncio.gather(*(desk.movements.move(caller, order) for _ in range(50)))
        assert (len(set(results)), await sandbox.calls(), await sandbox.money(login)) == (
            1,
            1,
            (Decimal("12.34"), Decimal(0), Decimal(0)),
        )


async def start_worker(url: str, caller: str, login: int, count: int) -> asyncio.subprocess.Process:
    assert POSTGRES_URL is not None
    args = [url, POSTGRES_URL, caller, "twice", str(login), "12.34", str(count)]
    worker = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.money.deposit_worker",
        *args,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )
    assert worker.stdout is not None
    assert await worker.stdout.readline() == b"ready\n"
    return worker


async def test_two_processes_sharing_postgres_make_one_call(pg_engine: AsyncEngine) -> None:
    caller = caller_of_this_test()
    async with served_sandbox() as url, httpx.AsyncClient(base_url=url) as control:
        config = ClientConfig(url, 1001, SecretStr("sandbox-admin"))
        async with WebServicesClient(config) as client:
            sandbox = Sandbox(client, control)
            login = await sandbox.open_account()
            await sandbox.fault("latency", latencyMs=300)
            worker = await start_worker(url, caller, login, 25)
            desk = MoneyDesk.for_client(pg_engine, client)
            await desk.movements.account(login)
            order = MoneyOrder(MovementKind.DEPOSIT, login, Decimal("12.34"), "twice")
            mine = asyncio.gather(*(desk.movements.move(caller, order) for _ in range(25)))
            output, _ = await asyncio.gather(worker.communicate(b"go\n"), mine)
            ours = [(r.id, r.state.value) for r in mine.result() if isinstance(r, JournalEntry)]
            theirs = [tuple(pair) for pair in json.loads(output[0])]
            stats = (await control.get("/_sandbox/stats")).json()["requests"]
            books = await sandbox.money(login)
    entry_id = ours[0][0]
    assert (set(ours) | set(theirs), len(ours) + len(theirs), stats[CHANGEBALANCE], books) == (
        {(entry_id, MovementState.SUCCEEDED.value)},
        50,
        1,
        (Decimal("12.34"), Decimal(0), Decimal(0)),
    )
