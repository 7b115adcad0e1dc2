"""The upstream's keep-alive pool: a stack of idle connections per origin, nothing more.

httpcore's `AsyncConnectionPool` reassigns its whole queue of requests to its whole list of
connections twice per request (as it is queued and as its response closes), asking each
connection whether it is idle once per idle connection (quadratic) and whether it has expired
(a `poll` of its socket). With the 16-odd connections of a busy service that was about 650
`is_idle` and 40 `poll` calls per deposit, a sixth of the service's event loop (bench/README.md).
Here a request takes the most recently used idle connection of its origin and checks that one
alone (its keep-alive time, then one `poll` for a close by the server); it goes back on top of
the stack when its response is closed, and the idle connections past `max_keepalive` or past
their keep-alive time are closed then, oldest first.

There is no queue: `upstream/slots.py` holds the pool's `max_connections` before a request
reaches httpx, so a request here never waits for a connection. A connection that turns out not
to be available (`ConnectionNotAvailable`: nothing was sent on it) is dropped and the request
goes on the next one, as httpcore's pool does. httpx's own transport still maps the requests
and the errors (`pooled_transport`).
"""

from __future__ import annotations

import math
import ssl
import sys
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

import httpcore
import httpx


@dataclass(frozen=True, slots=True)
class KeepAlive:
    """How many idle connections an origin keeps, and for how many seconds at most."""

    max_keepalive: int
    expiry: float

    @classmethod
    def of(cls, limits: httpx.Limits) -> KeepAlive:
        """httpx's limits: None is no limit."""
        count, expiry = limits.max_keepalive_connections, limits.keepalive_expiry
        return cls(sys.maxsize if count is None else count, math.inf if expiry is None else expiry)


_Key = tuple[bytes, bytes, int]


def _key(origin: httpcore.Origin) -> _Key:
    """httpcore's `Origin` compares by value but is not hashable."""
    return origin.scheme, origin.host, origin.port


class KeptPool(httpcore.AsyncConnectionInterface):
    """What `httpx.AsyncHTTPTransport` asks of its pool: requests in, responses out, `aclose`."""

    def __init__(
        self,
        keep: KeepAlive,
        ssl_context: ssl.SSLContext | None,
        backend: httpcore.AsyncNetworkBackend,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.keep = keep
        self._clock = clock
        self._ssl_context = ssl_context
        self._backend = backend
        self._idle: dict[_Key, list[tuple[float, httpcore.AsyncHTTPConnection]]] = {}
        self._open: set[httpcore.AsyncHTTPConnection] = set()

    async def handle_async_request(self, request: httpcore.Request) -> httpcore.Response:
        while True:
            connection = await self._connection(request.url.origin)
            try:
                response = await connection.handle_async_request(request)
            except httpcore.ConnectionNotAvailable:
                await self._drop(connection)  # nothing was sent on it: the next one
                continue
            except BaseException:
                await self.released(request.url.origin, connection)
                raise
            stream = _Returning(response.stream, self, request.url.origin, connection)
            return httpcore.Response(
                response.status,
                headers=response.headers,
                content=stream,
                extensions=response.extensions,
            )

    async def _connection(self, origin: httpcore.Origin) -> httpcore.AsyncHTTPConnection:
        """The most recently used idle connection still alive, or a new one."""
        idle = self._idle.get(_key(origin))
        while idle:
            since, connection = idle.pop()
            if self._clock() - since < self.keep.expiry and not connection.has_expired():
                return connection
            await self._drop(connection)
        connection = httpcore.AsyncHTTPConnection(
            origin,
            ssl_context=self._ssl_context,
            keepalive_expiry=self.keep.expiry,
            network_backend=self._backend,
        )
        self._open.add(connection)
        return connection

    async def released(
        self, origin: httpcore.Origin, connection: httpcore.AsyncHTTPConnection
    ) -> None:
        """Its response is over: back on top of its origin's stack if it can be used again;
        the idle ones past the keep-alive count or time are closed, oldest first."""
        if not connection.is_idle() or connection.is_closed():
            await self._drop(connection)
            return
        now = self._clock()
        idle = self._idle.setdefault(_key(origin), [])
        idle.append((now, connection))
        while len(idle) > self.keep.max_keepalive or now - idle[0][0] >= self.keep.expiry:
            await self._drop(idle.pop(0)[1])

    async def _drop(self, connection: httpcore.AsyncHTTPConnection) -> None:
        self._open.discard(connection)
        await connection.aclose()

    async def __aenter__(self) -> KeptPool:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        self._idle.clear()
        while self._open:
            await self._drop(next(iter(self._open)))

    def can_handle_request(self, origin: httpcore.Origin) -> bool:
        return True

    def is_available(self) -> bool:
        return True

    def has_expired(self) -> bool:
        return False

    def is_idle(self) -> bool:
        return not self._open

    def is_closed(self) -> bool:
        return False


class _Returning:
    """A response body that hands its connection back to the pool once it is closed."""

    def __init__(
        self,
        inner: object,
        pool: KeptPool,
        origin: httpcore.Origin,
        connection: httpcore.AsyncHTTPConnection,
    ) -> None:
        self._inner = inner
        self._pool = pool
        self._origin = origin
        self._connection: httpcore.AsyncHTTPConnection | None = connection

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for part in self._inner:  # type: ignore[attr-defined]
            yield part

    async def aclose(self) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            await self._inner.aclose()  # type: ignore[attr-defined]
        finally:
            await self._pool.released(self._origin, connection)
