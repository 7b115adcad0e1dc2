"""The workers benchmark's clients: the page query as fixed bytes on keep-alive connections.

The clients run on the same 2 cores as the service, so they must cost next to nothing: each
connection is an `asyncio.Protocol` (no stream reader, no task per request) that writes the
request's pre-built bytes, collects the answer until its `Content-Length` is complete, compares
the body with the expected one (one `bytes` comparison), and sends the next request from the
same callback. `Line` is the plain stream-based version, for the few untimed requests around.
"""

from __future__ import annotations

import asyncio
import functools
import json
import time
from dataclasses import dataclass, field

from bench.graph_clients import ACCEPTANCE_QUERY, NODE, PAGE_QUERY

FIRST = 50
HEAD_END = b"\r\n\r\n"
LENGTH = b"content-length:"
AFTER_QUERY = (
    "query ($first: Int!, $after: String) { traders(first: $first, after: $after)"
    f" {{ edges {{ node {{ {NODE} }} }} }} }}"
)


def page_request(port: int, after: str | None = None) -> bytes:
    """The acceptance query (`first: 50`); after a cursor, the same nodes of a later page."""
    if after is None:
        return graphql_request(port, ACCEPTANCE_QUERY, {"first": FIRST})
    return graphql_request(port, AFTER_QUERY, {"first": FIRST, "after": after})


def graphql_request(port: int, query: str, variables: dict[str, object]) -> bytes:
    body = json.dumps({"query": query, "variables": variables}).encode()
    head = (
        f"POST /graphql HTTP/1.1\r\nhost: 127.0.0.1:{port}\r\n"
        f"content-type: application/json\r\ncontent-length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def page_cursors(port: int, pages: int) -> list[str | None]:
    """Where each of the first `pages` pages starts (`None`: the first), walked with `pageInfo`."""
    line, cursors = await Line.open(port), list[str | None]([None])
    try:
        while len(cursors) < pages:
            request = graphql_request(port, PAGE_QUERY, {"first": FIRST, "after": cursors[-1]})
            status, body = await line.ask(request)
            info = json.loads(body)["data"]["traders"]["pageInfo"] if status == 200 else {}
            if not info.get("hasNextPage"):
                raise RuntimeError(f"fewer than {pages} pages of {FIRST}: {status} {body[:300]!r}")
            cursors.append(info["endCursor"])
        return cursors
    finally:
        await line.aclose()


class Line:
    """One keep-alive connection that sends fixed request bytes and reads sized answers."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls, port: int) -> Line:
        return cls(*await asyncio.open_connection("127.0.0.1", port))

    async def ask(self, request: bytes) -> tuple[int, bytes]:
        self.writer.write(request)
        head = (await self.reader.readuntil(HEAD_END)).decode("latin-1").lower()
        status = int(head.split(" ", 2)[1])
        length = int(head.split("content-length:", 1)[1].split("\r\n", 1)[0])
        return status, await self.reader.readexactly(length)

    async def aclose(self) -> None:
        self.writer.close()
        await self.writer.wait_closed()


@dataclass
class Tally:
    """What the clients of one side saw, over every round."""

    latencies: list[float] = field(default_factory=list)
    failures: int = 0
    first_failure: str | None = None


class Asker(asyncio.Protocol):
    """A closed-loop client: the next request leaves as soon as the answer is complete."""

    def __init__(self, request: bytes, expected: bytes, until: float, tally: Tally) -> None:
        self.request, self.expected, self.until, self.tally = request, expected, until, tally
        self.done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.transport: asyncio.Transport | None = None
        self.buffer, self.body_at, self.size, self.started = bytearray(), 0, 0, 0.0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self._send()

    def _send(self) -> None:
        assert self.transport is not None
        self.buffer.clear()
        self.body_at, self.size, self.started = 0, 0, time.perf_counter()
        self.transport.write(self.request)

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if not self.size and (end := self.buffer.find(HEAD_END)) >= 0:
            head = bytes(self.buffer[:end]).lower()
            length = int(head.split(LENGTH, 1)[1].split(b"\r\n", 1)[0])
            self.body_at = end + len(HEAD_END)
            self.size = self.body_at + length
        if not self.size or len(self.buffer) < self.size:
            return
        self._check()
        if time.monotonic() < self.until:
            self._send()
        elif not self.done.done():
            self.done.set_result(None)

    def _check(self) -> None:
        body = self.buffer[self.body_at :]
        if self.buffer.startswith(b"HTTP/1.1 200 ") and body == self.expected:
            self.tally.latencies.append(time.perf_counter() - self.started)
            return
        self.tally.failures += 1
        self.tally.first_failure = self.tally.first_failure or bytes(self.buffer[:300]).decode(
            "latin-1"
        )

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.done.done():
            self.done.set_exception(ConnectionError(f"the service closed a connection: {exc}"))


async def open_askers(
    port: int, asks: list[tuple[bytes, bytes]], until: float, tally: Tally
) -> list[tuple[asyncio.Transport, Asker]]:
    """A connection per `(request, expected answer)`, each already asking (the first request
    leaves on connect)."""
    loop = asyncio.get_running_loop()
    opened = []
    for request, expected in asks:
        transport, asker = await loop.create_connection(
            functools.partial(Asker, request, expected, until, tally), "127.0.0.1", port
        )
        opened.append((transport, asker))
    return opened
