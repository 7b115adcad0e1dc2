"""The sandbox served by uvicorn on a free loopback port, for specifications across processes."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import uvicorn

from sandbox import SandboxSettings, create_app


@asynccontextmanager
async def served_sandbox(settings: SandboxSettings | None = None) -> AsyncIterator[str]:
    """Serve a fresh sandbox on 127.0.0.1; yields its base URL and stops it on exit."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    config = uvicorn.Config(
        create_app(settings or SandboxSettings()), log_level="warning", lifespan="on"
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
