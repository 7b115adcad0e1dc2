"""The pieces of the money benchmark: a sandbox in its own process, and timed deposit runs.

The sandbox runs in a separate OS process served by uvicorn on a loopback port, so the process
under measurement spends its CPU on the client side only, as the service would in production.
"""

from __future__ import annotations

import asyncio
import os
import socket
import statistics
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from decimal import Decimal

import httpx
from pydantic import SecretStr

from upstream.client import WebServicesClient
from upstream.config import ClientConfig
from upstream.enums import AccessRights, AccountType
from upstream.inputs import NewTrader

Operation = Callable[[int, int], Awaitable[object]]
"""One deposit: (sequence number, login) -> anything; raising counts as a failure."""


@dataclass(frozen=True)
class Measured:
    name: str
    operations: int
    failures: int
    seconds: float
    latencies: tuple[float, ...]

    @property
    def throughput(self) -> float:
        return self.operations / self.seconds

    @property
    def p50_ms(self) -> float:
        return statistics.median(self.latencies) * 1000

    @property
    def p99_ms(self) -> float:
        return statistics.quantiles(self.latencies, n=100)[98] * 1000


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@asynccontextmanager
async def sandbox_process() -> AsyncIterator[str]:
    """`tradergraph sandbox` on a free port, without a practical rate limit; stopped on exit."""
    port = free_port()
    env = {**os.environ, "SANDBOX_RATE_LIMIT_PER_HOUR": "1000000000"}
    command = [sys.executable, "-m", "cli", "sandbox", "--port", str(port)]
    process = await asyncio.create_subprocess_exec(
        *command, env=env, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    try:
        await until_ready(url)
        yield url
    finally:
        process.terminate()
        await process.wait()


async def until_ready(url: str, attempts: int = 200) -> None:
    async with httpx.AsyncClient(base_url=url) as http:
        for _ in range(attempts):
            try:
                if (await http.get("/_sandbox/stats")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.05)
    raise RuntimeError(f"the sandbox at {url} did not start")


def admin_client(url: str) -> WebServicesClient:
    return WebServicesClient(ClientConfig(url, 1001, SecretStr("sandbox-admin")))


async def open_accounts(client: WebServicesClient, count: int) -> list[int]:
    new = NewTrader(
        access_rights=AccessRights.FULL_ACCESS,
        account_type=AccountType.HEDGED,
        broker_name="sandbox",
        deposit_currency="USD",
        group_name="Retail USD",
        password=SecretStr("bench-secret"),
        leverage=Decimal(100),
    )
    return [(await client.create_trader(new)).login for _ in range(count)]


async def measure(
    name: str, operation: Operation, logins: list[int], operations: int, concurrency: int
) -> Measured:
    """Run `operations` deposits, `concurrency` at a time, spread over the accounts."""
    latencies: list[float] = []
    failures = 0
    queue = iter(range(operations))

    async def worker() -> None:
        nonlocal failures
        for number in queue:
            started = time.perf_counter()
            try:
                await operation(number, logins[number % len(logins)])
            except Exception:
                failures += 1
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return Measured(name, operations, failures, time.perf_counter() - started, tuple(latencies))
