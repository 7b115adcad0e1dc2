"""The upstream pool's network streams: AnyIO's, with a cheap keep-alive liveness check.

httpcore's connection pool asks every pooled connection whether it has expired each time it
queues a request or finishes a response, and an idle HTTP/1.1 connection answers by asking its
stream whether the socket `is_readable` (a server that closed the connection leaves it readable).
AnyIO's stream answers by building its whole dict of typed attributes, a `getpeername` system call
included, before the one `poll` it needs (encode/httpx#3215). With the 16-odd pooled connections of
a busy service that was a tenth of its event loop's time under a deposit load (bench/README.md).
`KeptSocketStream` keeps the socket from the start and polls it directly. It also holds what
httpcore writes until it reads the answer, so a request's head and body leave in one send (one
wake-up of the upstream's server instead of two); all else is AnyIO's.

httpx offers no parameter for its pool, so `pooled_transport` puts a `KeptPool` in the place of
the one it made, with that one's TLS context; `tests/upstream/test_sockets.py` fails if a new
httpx or httpcore moves them.
"""

# ruff: noqa: ASYNC109 - the `timeout` parameters are httpcore's interface, passed on as they are
from __future__ import annotations

import select
import socket
import ssl
from typing import Any

import httpcore
import httpx

from upstream.pool import KeepAlive, KeptPool


def readable(sock: socket.socket) -> bool:
    """Whether reading would not block: data, or the peer's close. A closed socket counts as
    readable, so that the pool drops its connection."""
    if sock.fileno() < 0:
        return True
    poller = select.poll()
    poller.register(sock, select.POLLIN)
    return bool(poller.poll(0))


class KeptSocketStream(httpcore.AsyncNetworkStream):
    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self._inner = inner
        self._socket: socket.socket | None = inner.get_extra_info("socket")
        self._held: list[bytes] = []
        self._write_timeout: float | None = None

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        await self._flush()
        return await self._inner.read(max_bytes, timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        """Held until the next read: httpcore writes a request's head and its body apart, and
        each write was a segment of its own that woke the upstream's server once more."""
        if buffer:
            self._held.append(buffer)
            self._write_timeout = timeout

    async def _flush(self) -> None:
        if self._held:
            held, self._held = b"".join(self._held), []
            await self._inner.write(held, self._write_timeout)

    async def aclose(self) -> None:
        self._held = []  # a request never read back was never sent
        await self._inner.aclose()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        return KeptSocketStream(await self._inner.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable" and self._socket is not None:
            return readable(self._socket)
        return self._inner.get_extra_info(info)


class KeptSocketBackend(httpcore.AsyncNetworkBackend):
    """AnyIO's backend, its streams wrapped in `KeptSocketStream`."""

    def __init__(self, inner: httpcore.AsyncNetworkBackend | None = None) -> None:
        self._inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.AsyncNetworkStream:
        stream = await self._inner.connect_tcp(host, port, timeout, local_address, socket_options)
        return KeptSocketStream(stream)

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Any = None
    ) -> httpcore.AsyncNetworkStream:
        stream = await self._inner.connect_unix_socket(path, timeout, socket_options)
        return KeptSocketStream(stream)

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def pooled_transport(limits: httpx.Limits) -> httpx.AsyncHTTPTransport:
    """httpx's own transport (TLS verification, HTTP/1.1, request and error mapping) over a
    `KeptPool` (upstream/pool.py) of `KeptSocketBackend` streams."""
    transport = httpx.AsyncHTTPTransport(limits=limits)
    made = transport._pool  # private: see the module docstring
    pool = KeptPool(KeepAlive.of(limits), made._ssl_context, KeptSocketBackend())
    transport._pool = pool  # type: ignore[assignment]
    return transport
