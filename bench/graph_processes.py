"""The processes the read-graph benchmark measures: a seeded sandbox and the service, each its own.

Each runs as `python -m cli ...` (the `tradergraph` command) served by uvicorn on a free
loopback port, so the service's peak memory (`VmHWM` in `/proc/<pid>/status`) is its own and the
benchmark's clients do not share its interpreter. Both are context managers that stop their
process on exit, also when the body raises.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import sys
import time
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from store.cli import import_users as store_users
from store.users_csv import parse_users_csv

MANAGER_LOGIN = 1001
MANAGER_PASSWORD = "sandbox-admin"  # noqa: S105 - the sandbox's documented super-admin (docs/sandbox.md)
WHITE_LABELS = {
    "sandbox": {"environment": "demo", "jurisdiction": "CY"},
    "atlas-markets": {"environment": "demo", "jurisdiction": "AU"},
    "borealis-fx": {"environment": "demo", "jurisdiction": "SC"},
}
POLL_SECONDS = 0.1


@dataclass(frozen=True)
class Served:
    """A started process: where it answers, and its pid (for `/proc/<pid>/status`)."""

    url: str
    pid: int


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident set size so far (`VmHWM`), in MB (2**20 bytes)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmHWM for process {pid}")


def rss_mb(pid: int) -> float:
    """The process's resident set size now (`VmRSS`), in MB (2**20 bytes)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


async def until_ready(
    url: str, path: str, process: asyncio.subprocess.Process, limit: float
) -> None:
    """Poll `path` until it answers 200; bounded by `limit` seconds and by the process living."""
    deadline = time.monotonic() + limit
    async with httpx.AsyncClient(base_url=url, timeout=5.0) as http:
        while time.monotonic() < deadline:
            if process.returncode is not None:
                raise RuntimeError(f"{url}: the process exited with {process.returncode}")
            try:
                if (await http.get(path)).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(POLL_SECONDS)
    raise RuntimeError(f"{url}{path} did not answer within {limit:.0f} s")


@asynccontextmanager
async def _process(
    args: list[str], env: dict[str, str], ready_path: str, limit: float
) -> AsyncIterator[Served]:
    port = free_port()
    command = [sys.executable, "-m", "cli", *args, "--host", "127.0.0.1", "--port", str(port)]
    process = await asyncio.create_subprocess_exec(
        *command,
        env={**os.environ, **env},
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        await until_ready(url, ready_path, process, limit)
        yield Served(url, process.pid)
    finally:
        if process.returncode is None:
            process.terminate()
        await process.wait()


def sandbox(
    seed: int, traders: int, start_limit: float = 300.0, history_days: int = 0
) -> AbstractAsyncContextManager[Served]:
    """`tradergraph sandbox --seed S --traders N --history-days D`, rate limit out of the way.

    No seeded history unless asked: the read graph's phases never read closed positions, and
    100,000 traders' 120 days of deals would take minutes to seed."""
    args = ["sandbox", "--seed", str(seed), "--traders", str(traders)]
    args += ["--history-days", str(history_days)]
    env = {"SANDBOX_RATE_LIMIT_PER_HOUR": "1000000000"}
    return _process(args, env, "/_sandbox/stats", start_limit)


def service(
    upstream_url: str,
    database_url: str,
    start_limit: float = 60.0,
    extra_env: dict[str, str] | None = None,
) -> AbstractAsyncContextManager[Served]:
    """`tradergraph serve` against `upstream_url`, its own database at `database_url`."""
    args = ["serve", "--upstream-url", upstream_url, "--manager-login", str(MANAGER_LOGIN)]
    env = {
        "TRADERGRAPH_MANAGER_PASSWORD": MANAGER_PASSWORD,
        "TRADERGRAPH_DATABASE_URL": database_url,
        "TRADERGRAPH_WHITE_LABELS": json.dumps(WHITE_LABELS),
        # Requests without Authorization act as the configured manager (no login round trip).
        "TRADERGRAPH_DEFAULT_CALLER": "true",
        # The benchmark measures throughput, not the per-caller rate limit (docs/security.md).
        "TRADERGRAPH_RATE_QUERIES": "1000000000",
        **(extra_env or {}),
    }
    return _process(args, env, "/healthz", start_limit)


async def import_users(sandbox_url: str, database_url: str) -> None:
    """The users export of the sandbox into the service's database, as the demo does."""
    async with httpx.AsyncClient(base_url=sandbox_url, timeout=120.0) as http:
        export = await http.get("/_sandbox/users.csv")
        export.raise_for_status()
    await store_users(parse_users_csv(export.text), database_url)


@asynccontextmanager
async def stack(
    seed: int, traders: int, workdir: Path, service_env: dict[str, str] | None = None
) -> AsyncIterator[tuple[Served, Served]]:
    """A seeded sandbox, its users imported, and a fresh service in front of it (its
    environment plus `service_env`)."""
    database_url = f"sqlite+aiosqlite:///{workdir / f'service-{traders}.db'}"
    async with sandbox(seed, traders) as upstream:
        await import_users(upstream.url, database_url)
        async with service(upstream.url, database_url, extra_env=service_env) as graph:
            yield upstream, graph
