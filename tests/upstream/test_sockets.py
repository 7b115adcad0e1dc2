"""The upstream pool's streams: kept sockets, and a closed keep-alive connection still noticed."""

from __future__ import annotations

import asyncio
import socket

import httpcore
import httpx

from upstream.pool import KeptPool
from upstream.sockets import KeptSocketBackend, KeptSocketStream, pooled_transport, readable

RESPONSE = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok"


class KeepAliveServer:
    """Answers each request on a connection with `RESPONSE`; closes a connection on demand."""

    def __init__(self) -> None:
        self.connections = 0
        self.open: list[asyncio.StreamWriter] = []

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        self.open.append(writer)
        try:
            while await reader.readuntil(b"\r\n\r\n"):
                writer.write(RESPONSE)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            return  # the client went away

    async def close_connections(self) -> None:
        for writer in self.open:
            writer.close()
            await writer.wait_closed()
        self.open = []


def test_the_transport_pools_over_kept_socket_streams() -> None:
    """A canary for a new httpx or httpcore: the pool lives where pooled_transport puts it,
    with the TLS context httpx made for its own."""
    made = httpx.AsyncHTTPTransport()._pool._ssl_context
    pool = pooled_transport(httpx.Limits(max_connections=4))._pool
    assert isinstance(pool, KeptPool)
    assert (isinstance(pool._backend, KeptSocketBackend), type(pool._ssl_context)) == (
        True,
        type(made),
    )


def test_a_socket_is_readable_once_its_peer_has_closed() -> None:
    left, right = socket.socketpair()
    quiet = readable(left)
    right.close()
    closed = readable(left)
    left.close()
    assert (quiet, closed, readable(left)) == (False, True, True)


async def test_a_connection_is_reused_and_a_closed_one_replaced() -> None:
    server = KeepAliveServer()
    listening = await asyncio.start_server(server.handle, "127.0.0.1", 0)
    port = listening.sockets[0].getsockname()[1]
    transport = pooled_transport(httpx.Limits(max_connections=4))
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", transport=transport) as http:
        first = [(await http.get("/")).text for _ in range(2)]
        reused = server.connections
        await server.close_connections()
        after_close = (await http.get("/")).text
    listening.close()
    await listening.wait_closed()
    await server.close_connections()
    assert (first, reused, after_close, server.connections) == (["ok", "ok"], 1, "ok", 2)


class Recorded(httpcore.AsyncNetworkStream):
    """A stream that records what is written to it and answers reads with `b"answer"`."""

    def __init__(self) -> None:
        self.writes: list[tuple[bytes, float | None]] = []
        self.closed = False

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:  # noqa: ASYNC109
        return b"answer"

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:  # noqa: ASYNC109
        self.writes.append((buffer, timeout))

    async def aclose(self) -> None:
        self.closed = True

    def get_extra_info(self, info: str) -> object:
        return None


async def test_a_requests_writes_leave_together_when_its_answer_is_read() -> None:
    inner = Recorded()
    stream = KeptSocketStream(inner)
    await stream.write(b"POST / HTTP/1.1\r\n\r\n", 3.0)
    await stream.write(b"", 3.0)
    await stream.write(b"body", 3.0)
    before_read = list(inner.writes)
    answer = await stream.read(100, 10.0)
    await stream.read(100, 10.0)  # nothing more to send
    assert (before_read, answer, inner.writes) == (
        [],
        b"answer",
        [(b"POST / HTTP/1.1\r\n\r\nbody", 3.0)],
    )


async def test_a_request_closed_before_its_answer_is_read_is_never_sent() -> None:
    inner = Recorded()
    stream = KeptSocketStream(inner)
    await stream.write(b"POST / HTTP/1.1\r\n\r\n", 3.0)
    await stream.aclose()
    assert (inner.writes, inner.closed) == ([], True)
