"""`tradergraph serve --workers 2`: two worker processes on one port, sharing only the database.

Real processes (tests/support/processes.py): the sandbox, and the service with two uvicorn
workers over one SQLite file. Every request below comes on a connection of its own, so the kernel
hands each to whichever worker accepts it first; whichever that is, every query gets the same
answer, and a deposit repeated on all of them at once reaches the upstream once.
"""

from __future__ import annotations

import asyncio
from decimal import Decimal
from pathlib import Path

import httpx
from pydantic import SecretStr

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


def workers_of(supervisor: Served) -> list[str]:
    """The command lines of the supervisor's worker processes (multiprocessing spawns them)."""
    children = Path(f"/proc/{supervisor.pid}/task/{supervisor.pid}/children").read_text().split()
    lines = [Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ") for pid in children]
    return [line.decode() for line in lines if b"spawn_main" in line]


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
        assert (len(workers_of(graph)), pages, deposits, calls, books) == (
            2,
            [(200, page)] * REQUESTS,
            [(200, {"data": {"deposit": moved}})] * REQUESTS,
            1,
            (Decimal("7.50"), Decimal(0), Decimal(0)),
        )
