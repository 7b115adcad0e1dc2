"""The demo (`make run`) on free loopback ports, as tests/test_demo.py runs it: a seeded sandbox
and the service, both real uvicorn servers, so a browser or a client script can reach them."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import demo


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


async def _until_ready(ready: asyncio.Event, running: asyncio.Task[None]) -> None:
    """Wait for both servers; a demo that stops before that raises why."""
    waiting = asyncio.create_task(ready.wait())
    await asyncio.wait({waiting, running}, timeout=120, return_when=asyncio.FIRST_COMPLETED)
    waiting.cancel()
    if running.done():
        running.result()
        raise RuntimeError("the demo stopped before it served")
    if not ready.is_set():
        raise TimeoutError("the demo did not start serving within 120 s")


@asynccontextmanager
async def running_demo(scratch: Path, traders: int) -> AsyncIterator[str]:
    """The service's base URL while the demo serves `traders` seeded traders (seed 42)."""
    port, sandbox_port = free_port(), free_port()
    args = demo.build_parser().parse_args(
        ["--port", str(port), "--sandbox-port", str(sandbox_port), "--traders", str(traders)]
    )
    ready, stop = asyncio.Event(), asyncio.Event()
    database = f"sqlite+aiosqlite:///{scratch / 'demo.db'}"
    running = asyncio.create_task(demo.run(args, database, ready=ready, stop=stop))
    try:
        await _until_ready(ready, running)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop.set()
        await asyncio.wait_for(running, timeout=30)
