"""The operations port: `/readyz` and `/metrics` on an address of their own, when
`TRADERGRAPH_OPS_PORT` is set (docs/operations.md).

Unset, both are routes of the main app, as before. Set, the main port no longer serves them: the
app's lifespan serves them on `TRADERGRAPH_OPS_HOST:TRADERGRAPH_OPS_PORT` (loopback by default)
with a second uvicorn server in the same process and event loop, so they read the same runtime
and registry as the requests they report on, under `tradergraph serve` and the container's
uvicorn factory alike. The port is bound when the lifespan starts, so a port in use stops the
start-up with its error; 0 binds a free port, which `port` then names.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import TypeAlias, TypeVar

import uvicorn
from starlette.applications import Starlette
from starlette.routing import BaseRoute

from settings import ServiceSettings

A = TypeVar("A")
Lifespan: TypeAlias = Callable[[A], AbstractAsyncContextManager[None]]


class _Inner(uvicorn.Server):
    """A server that leaves the process's signals to the main one; the lifespan stops it."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


class OpsPort:
    """The routes `routes` on the main port, or on the operations port when one is set."""

    def __init__(self, settings: ServiceSettings, routes: list[BaseRoute]) -> None:
        self._settings = settings
        self._routes = routes
        self.port: int | None = None

    def main_routes(self) -> list[BaseRoute]:
        return self._routes if self._settings.ops_port is None else []

    def around(self, lifespan: Lifespan[A]) -> Lifespan[A]:
        """`lifespan`, with the operations port served while it is open."""

        @asynccontextmanager
        async def wrapped(app: A) -> AsyncIterator[None]:
            async with lifespan(app), self._serving():
                yield

        return wrapped

    @asynccontextmanager
    async def _serving(self) -> AsyncIterator[None]:
        host, port = self._settings.ops_host, self._settings.ops_port
        if port is None:
            yield
            return
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.create_server((host.strip("[]"), port), family=family) as listener:
            self.port = int(listener.getsockname()[1])
            config = uvicorn.Config(
                Starlette(routes=self._routes), lifespan="off", log_config=None, access_log=False
            )
            server = _Inner(config)
            serving = asyncio.create_task(server.serve(sockets=[listener]))
            try:
                yield
            finally:
                server.should_exit = True
                await serving
