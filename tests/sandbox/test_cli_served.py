"""The sandbox served over real HTTP by uvicorn (127.0.0.1, an ephemeral port, stopped after)."""

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest
import uvicorn

from sandbox import SandboxSettings, create_app
from tests.sandbox.calls import ADMIN, change_balance
from tests.sandbox.calls import token_of as sandbox_token
from tests.sandbox.traders import create_trader, get_trader
from tests.sandbox.wire import WEBSERV


@asynccontextmanager
async def served(settings: SandboxSettings) -> AsyncIterator[httpx.AsyncClient]:
    """Bind and listen first, so the port is known and early connections wait in the backlog."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(settings), log_level="critical", lifespan="on")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            del client.headers["Accept"]
            yield client
    finally:
        server.should_exit = True
        await task
        sock.close()


async def test_a_served_sandbox_answers_the_token_call(settings: SandboxSettings) -> None:
    async with served(settings) as client:
        token = await sandbox_token(client, *ADMIN)
    assert len(token) == 36


async def test_drop_after_commit_breaks_a_real_connection_after_applying(
    settings: SandboxSettings,
) -> None:
    async with served(settings) as client:
        token = await sandbox_token(client, *ADMIN)
        login = (await create_trader(client, token))["login"]
        fault = {"method": "POST", "path": f"{WEBSERV}/traders/*/changebalance"}
        await client.post("/_sandbox/faults", json={**fault, "action": "drop_after_commit"})
        with pytest.raises(httpx.RemoteProtocolError):
            await change_balance(client, token, login, "10")
        balance = (await get_trader(client, token, login))["balance"]
    assert balance == 1000
