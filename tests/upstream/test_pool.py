"""The upstream's keep-alive pool: the last used connection first, idle ones closed past the
keep-alive count or time, every one closed with the pool."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx

from upstream.pool import KeepAlive, KeptPool
from upstream.sockets import KeptSocketBackend

RESPONSE = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok"


class Server:
    """Answers each request with `RESPONSE`, after `hold` is set; counts connections opened and
    connections the client closed."""

    def __init__(self) -> None:
        self.opened = 0
        self.closed = 0
        self.hold = asyncio.Event()
        self.hold.set()
        self.changed = asyncio.Condition()

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await self._count(opened=1)
        try:
            while await reader.readuntil(b"\r\n\r\n"):
                await self.hold.wait()
                writer.write(RESPONSE)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()  # the client closed its end
            await self._count(closed=1)

    async def _count(self, opened: int = 0, closed: int = 0) -> None:
        async with self.changed:
            self.opened += opened
            self.closed += closed
            self.changed.notify_all()

    async def until(self, *, opened: int = 0, closed: int = 0) -> None:
        """Until the server has seen that many connections opened and closed (its handlers run
        after the client's moves); bounded, so a wrong pool fails the test instead of hanging."""
        async with asyncio.timeout(5), self.changed:
            await self.changed.wait_for(lambda: self.opened >= opened and self.closed >= closed)


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@asynccontextmanager
async def client_of(
    server: Server, keep: KeepAlive, clock: Clock
) -> AsyncIterator[tuple[httpx.AsyncClient, KeptPool]]:
    listening = await asyncio.start_server(server.handle, "127.0.0.1", 0)
    port = listening.sockets[0].getsockname()[1]
    transport = httpx.AsyncHTTPTransport()
    pool = KeptPool(keep, None, KeptSocketBackend(), clock)
    transport._pool = pool  # type: ignore[assignment]
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", transport=transport) as c:
            yield c, pool
        await server.until(closed=server.opened)  # every connection was closed by the client
    finally:
        listening.close()
        await listening.wait_closed()


async def settled(server: Server, closed: int) -> int:
    """The server's count of closed connections once it has seen `closed` of them."""
    await server.until(closed=closed)
    return server.closed


async def two_at_once(http: httpx.AsyncClient, server: Server) -> list[str]:
    server.hold.clear()
    both = asyncio.gather(http.get("/"), http.get("/"))
    await server.until(opened=2)
    server.hold.set()
    return [answer.text for answer in await both]


async def test_requests_one_after_another_share_one_connection() -> None:
    server = Server()
    async with client_of(server, KeepAlive(4, 4.0), Clock()) as (http, _):
        answers = [(await http.get("/")).text for _ in range(5)]
    assert (answers, server.opened) == (["ok"] * 5, 1)


async def test_requests_at_once_get_a_connection_each_and_both_are_kept() -> None:
    server = Server()
    async with client_of(server, KeepAlive(4, 4.0), Clock()) as (http, _):
        together = await two_at_once(http, server)
        after = [(await http.get("/")).text for _ in range(3)]
        opened = server.opened
    assert (together, after, opened, await settled(server, 2)) == (["ok", "ok"], ["ok"] * 3, 2, 2)


async def test_idle_connections_past_the_keepalive_count_are_closed() -> None:
    server = Server()
    async with client_of(server, KeepAlive(1, 4.0), Clock()) as (http, _):
        await two_at_once(http, server)
        closed_then = await settled(server, 1)
        (await http.get("/")).raise_for_status()
        opened = server.opened
    assert (closed_then, opened) == (1, 2)


async def test_a_connection_idle_past_its_keepalive_time_is_closed_not_reused() -> None:
    server, clock = Server(), Clock()
    async with client_of(server, KeepAlive(4, 4.0), clock) as (http, _):
        (await http.get("/")).raise_for_status()
        clock.now += 3.9
        (await http.get("/")).raise_for_status()  # still fresh: reused
        reused = server.opened
        clock.now += 4.0
        (await http.get("/")).raise_for_status()  # expired: a new connection
        closed_then = await settled(server, 1)
        opened = server.opened
    assert (reused, closed_then, opened) == (1, 1, 2)


async def test_closing_the_pool_closes_every_connection() -> None:
    server = Server()
    async with client_of(server, KeepAlive(4, 4.0), Clock()) as (http, pool):
        await two_at_once(http, server)
    assert (await settled(server, 2), pool.is_idle()) == (2, True)
