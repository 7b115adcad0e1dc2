"""`tradergraph serve --workers 2`: two worker processes on one port, sharing only the database.

Real processes (tests/support/processes.py): the sandbox, and the service with two uvicorn
workers over one SQLite file. Every request below comes on a connection of its own, so the kernel
hands each to one worker's listening socket; whichever that is, every query gets the same
answer, and a deposit repeated on all of them at once reaches the upstream once. Each worker
listens on a socket of its own (`listening.WorkersListener`), so connections opened at the same
moment land on both, also after a killed worker has been replaced.
"""

from __future__ import annotations

import asyncio
import os
import signal
import time
from decimal import Decimal
from pathlib import Path

import httpx
from pydantic import SecretStr

from bench.workers import connections, listening, workers_of
from tests.money.sandbox_kit import CHANGEBALANCE, Sandbox
from tests.support.fixtures import ADMIN_LOGIN, ADMIN_PASSWORD
from tests.support.processes import Served, sandbox, service
from upstream.client import WebServicesClient
from upstream.config import ClientConfig

PAGE = "{ traders(first: 5) { edges { node { login account { balance { currency } } } } } }"
DEPOSIT = """mutation ($input: MoneyMovementInput!) {
  deposit(input: $input) {
    __typename ... on MoneyMovement { state login amount { amount currency } attempts }
  }
}"""
REQUESTS = 12
READY_SECONDS = 120.0  # two interpreters importing everything at once, on a busy machine
ENV = {
    "TRADERGRAPH_WORKERS": "2",
    "TRADERGRAPH_DEFAULT_CALLER": "true",  # no Authorization: manager 1001
    "TRADERGRAPH_RATE_MONEY_MUTATIONS": "1000",
}


SPREAD = 16  # connections opened at once: all on one worker by chance with p = 2 * 2**-16
POLL_SECONDS = 0.05


def port_of(served: Served) -> int:
    return int(served.url.rsplit(":", 1)[1])


async def listeners(supervisor: Served, count: int, gone: int = 0) -> dict[int, list[str]]:
    """Each worker's listening sockets, once `count` workers listen and `gone` is none of them
    (bounded by READY_SECONDS)."""
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        found = {pid: listening(pid, port_of(supervisor)) for pid in workers_of(supervisor.pid)}
        if len(found) == count and all(found.values()) and gone not in found:
            return found
        await asyncio.sleep(POLL_SECONDS)
    raise TimeoutError(f"{count} workers did not listen within {READY_SECONDS:g} s")


async def spread(supervisor: Served) -> list[bool]:
    """`SPREAD` connections opened at once, each answered: whether each worker holds some."""
    port = port_of(supervisor)
    opening = (asyncio.open_connection("127.0.0.1", port) for _ in range(SPREAD))
    lines = await asyncio.gather(*opening)
    try:
        for _, writer in lines:
            writer.write(b"GET /healthz HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n")
        heads = [await reader.readuntil(b"\r\n\r\n") for reader, _ in lines]
        held = [connections(pid, port) > 0 for pid in workers_of(supervisor.pid)]
    finally:
        for _, writer in lines:
            writer.close()
    assert {head.split(b"\r\n", 1)[0] for head in heads} == {b"HTTP/1.1 200 OK"}
    return held


async def each_on_its_own_connection(url: str, body: dict[str, object]) -> list[object]:
    async def one() -> object:
        async with httpx.AsyncClient(base_url=url, timeout=30.0) as http:
            answer = await http.post("/graphql", json=body)
            return answer.status_code, answer.json()

    return list(await asyncio.gather(*(one() for _ in range(REQUESTS))))


async def test_two_workers_answer_alike_and_make_a_repeated_deposit_once(tmp_path: Path) -> None:
    async with (
        sandbox(tmp_path) as upstream,
        service(upstream.url, tmp_path, "service", ENV, READY_SECONDS) as graph,
        httpx.AsyncClient(base_url=upstream.url) as control,
    ):
        config = ClientConfig(upstream.url, ADMIN_LOGIN, SecretStr(ADMIN_PASSWORD))
        async with WebServicesClient(config) as admin:
            kit = Sandbox(admin, control)
            login = await kit.open_account()
            pages = await each_on_its_own_connection(graph.url, {"query": PAGE})
            await kit.fault("latency", latencyMs=300)  # the duplicates overlap in flight
            variables = {"input": {"login": login, "amount": "7.50", "idempotencyKey": "w-1"}}
            deposits = await each_on_its_own_connection(
                graph.url, {"query": DEPOSIT, "variables": variables}
            )
            await kit.clear_faults()
            calls, books = await kit.calls(CHANGEBALANCE), await kit.money(login)
        moved = {
            "__typename": "MoneyMovement",
            "state": "SUCCEEDED",
            "login": login,
            "amount": {"amount": "7.5", "currency": "USD"},
            "attempts": 1,
        }
        # Inside the block, so a failure carries the processes' logs.
        node = {"login": login, "account": {"balance": {"currency": "USD"}}}
        page = {"data": {"traders": {"edges": [{"node": node}]}}}
        assert (len(workers_of(graph.pid)), pages, deposits, calls, books) == (
            2,
            [(200, page)] * REQUESTS,
            [(200, {"data": {"deposit": moved}})] * REQUESTS,
            1,
            (Decimal("7.50"), Decimal(0), Decimal(0)),
        )


async def test_each_worker_listens_on_its_own_and_a_killed_one_is_replaced(tmp_path: Path) -> None:
    async with (
        sandbox(tmp_path) as upstream,
        service(upstream.url, tmp_path, "service", ENV, READY_SECONDS) as graph,
    ):
        first = await listeners(graph, 2)
        spread_at_first = await spread(graph)
        killed = min(first)
        os.kill(killed, signal.SIGKILL)
        then = await listeners(graph, 2, gone=killed)
        spread_after = await spread(graph)
        inodes = [inode for each in (first, then) for found in each.values() for inode in found]
        assert (
            [len(found) for found in (*first.values(), *then.values())],
            len(set(inodes)),
            killed in then,
            spread_at_first,
            spread_after,
        ) == ([1, 1, 1, 1], 3, False, [True, True], [True, True])
    assert [alive(pid) for pid in then] == [False, False]  # SIGTERM stopped the supervisor and all


def alive(pid: int) -> bool:
    return Path(f"/proc/{pid}").exists()
