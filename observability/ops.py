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
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager

import uvicorn
from starlette.applications import Starlette
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Receive, Scope, Send

from settings import ServiceSettings


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

    @asynccontextmanager
    async def serving(self, state: dict[str, object]) -> AsyncIterator[None]:
        """The operations port served while this is open (when one is set), its requests
        carrying the lifespan's `state` as the main port's do."""
        host, port = self._settings.ops_host, self._settings.ops_port
        if port is None:
            yield
            return
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.create_server((host.strip("[]"), port), family=family) as listener:
            self.port = int(listener.getsockname()[1])
            config = uvicorn.Config(
                _with_state(Starlette(routes=self._routes), state),
                lifespan="off",
                log_config=None,
                access_log=False,
            )
            server = _Inner(config)
            serving = asyncio.create_task(server.serve(sockets=[listener]))
            try:
                yield
            finally:
                server.should_exit = True
                await serving


def _with_state(app: ASGIApp, state: dict[str, object]) -> ASGIApp:
    """`app`, its requests given the main app's lifespan state (this server runs no lifespan)."""

    async def with_state(scope: Scope, receive: Receive, send: Send) -> None:
        await app({**scope, "state": dict(state)}, receive, send)

    return with_state
