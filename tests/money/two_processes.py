"""Two service processes sharing one journal and one upstream, sending the same deposit at once.

This process and a `tests.money.deposit_worker` process each send `count` identical deposits
(same caller, same key) over their own engine on `database_url`, against a sandbox served on a
loopback port with 300 ms of latency on `changebalance`, so the duplicates overlap in flight.
What came of it is returned for the test to compare whole.
"""

from __future__ import annotations

import asyncio
import json
import sys
from dataclasses import dataclass
from decimal import Decimal

import httpx
from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncEngine

from resolvers.money.desk import MoneyDesk
from resolvers.money.orders import MoneyOrder
from store.journal import JournalEntry, MovementKind
from tests.money.sandbox_kit import CHANGEBALANCE, Sandbox
from tests.money.served import served_sandbox
from upstream.client import WebServicesClient
from upstream.config import ClientConfig

AMOUNT = "12.34"
KEY = "twice"


@dataclass(frozen=True)
class Outcome:
    answers: frozenset[tuple[int | None, str]]
    """(journal id, state) of every answer, both processes' together."""
    count: int
    changebalance_calls: int
    books: tuple[Decimal, Decimal, Decimal]


async def start_worker(
    url: str, database_url: str, caller: str, login: int, count: int
) -> asyncio.subprocess.Process:
    args = [url, database_url, caller, KEY, str(login), AMOUNT, str(count)]
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


async def deposit_from_two_processes(
    engine: AsyncEngine, database_url: str, caller: str, count: int = 25
) -> Outcome:
    async with served_sandbox() as url, httpx.AsyncClient(base_url=url) as control:
        config = ClientConfig(url, 1001, SecretStr("sandbox-admin"))
        async with WebServicesClient(config) as client:
            sandbox = Sandbox(client, control)
            login = await sandbox.open_account()
            await sandbox.fault("latency", latencyMs=300)
            worker = await start_worker(url, database_url, caller, login, count)
            desk = MoneyDesk.for_client(engine, client)
            await desk.movements.account(login)
            order = MoneyOrder(MovementKind.DEPOSIT, login, Decimal(AMOUNT), KEY)
            mine = asyncio.gather(*(desk.movements.move(caller, order) for _ in range(count)))
            output, _ = await asyncio.gather(worker.communicate(b"go\n"), mine)
            ours = [(r.id, r.state.value) for r in mine.result() if isinstance(r, JournalEntry)]
            theirs = [(pair[0], pair[1]) for pair in json.loads(output[0])]
            calls = await sandbox.calls(CHANGEBALANCE)
            books = await sandbox.money(login)
    return Outcome(frozenset(ours) | frozenset(theirs), len(ours) + len(theirs), calls, books)
