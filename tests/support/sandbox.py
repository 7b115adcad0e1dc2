"""The sandbox in-process, reached through a transport that misbehaves like a real socket.

`httpx.ASGITransport` ignores httpx's timeouts and lets the app's exceptions through. A socket
does neither: a slow answer ends in `ReadTimeout`, and a connection closed after the upstream
committed a change (`DroppedResponse`) ends in `RemoteProtocolError`. `SandboxTransport` adds
exactly those two behaviours, so faults injected into the sandbox reach the client as they
would over the network.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from starlette.applications import Starlette

from sandbox import SandboxSettings, create_app
from sandbox.faults import DroppedResponse

BASE_URL = "http://sandbox.test"
LOOPBACK = ("127.0.0.1", 40404)


@asynccontextmanager
async def running_sandbox(
    settings: SandboxSettings | None = None,
) -> AsyncIterator[tuple[Starlette, str]]:
    """A started sandbox (lifespan entered, base dataset in place) and the base URL to use."""
    app = create_app(settings or SandboxSettings())
    async with app.router.lifespan_context(app):
        yield app, BASE_URL


class SandboxTransport(httpx.AsyncBaseTransport):
    def __init__(self, app: Starlette) -> None:
        self._inner = httpx.ASGITransport(app=app, client=LOOPBACK)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        try:
            async with asyncio.timeout(_read_limit(request)):
                return await self._inner.handle_async_request(request)
        except TimeoutError:
            raise httpx.ReadTimeout("timed out waiting for the answer", request=request) from None
        except DroppedResponse:
            raise httpx.RemoteProtocolError(
                "Server disconnected without sending a response.", request=request
            ) from None

    async def aclose(self) -> None:
        await self._inner.aclose()


def _read_limit(request: httpx.Request) -> float | None:
    """The read timeout httpx would apply on a socket (the pool one when no read is set)."""
    timeout = request.extensions.get("timeout", {})
    read = timeout.get("read")
    return float(read) if read is not None else _optional(timeout.get("pool"))


def _optional(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None
