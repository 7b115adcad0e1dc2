"""The sandbox served by uvicorn on a free loopback port, for specifications across processes.

It keeps an idle connection open longer than any client here keeps one in its pool
(`PoolLimits.keepalive_expiry`): with uvicorn's 5 s default, a request sent on a pooled connection
in the moment the server times it out is reset before the app sees it. A write lost that way is
rightly OUTCOME_UNKNOWN (the operator then finds the books unmoved), but the upstream never counted
it, so a specification that counts one upstream call per journaled attempt would fail at random.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import uvicorn

from sandbox import SandboxSettings, create_app
from upstream.config import PoolLimits

KEEP_ALIVE = int(PoolLimits().keepalive_expiry) * 2
"""Seconds the server keeps an idle connection: past the clients' expiry, so they drop it first."""


@asynccontextmanager
async def served_sandbox(settings: SandboxSettings | None = None) -> AsyncIterator[str]:
    """Serve a fresh sandbox on 127.0.0.1; yields its base URL and stops it on exit."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    config = uvicorn.Config(
        create_app(settings or SandboxSettings()),
        log_level="warning",
        lifespan="on",
        timeout_keep_alive=KEEP_ALIVE,
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[listener]))
    while not server.started:
        if task.done():
            await task
        await asyncio.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task
        listener.close()
