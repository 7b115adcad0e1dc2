"""A graphql-transport-ws client for an ASGI app in this process (no socket, no thread).

`Socket` speaks the ASGI websocket protocol to the app directly; `LiveClient` speaks
graphql-transport-ws over it. Every receive is bounded by `LIMIT` real seconds, so a message
that never comes fails the test instead of hanging it.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import cast

from starlette.types import ASGIApp, Message

PROTOCOL = "graphql-transport-ws"
LIMIT = 10.0
Json = dict[str, object]
Headers = Sequence[tuple[str, str]]


class Closed(Exception):
    def __init__(self, code: int, reason: str) -> None:
        super().__init__(f"{code} {reason}")
        self.code = code
        self.reason = reason


class Socket:
    def __init__(self) -> None:
        self.to_app: asyncio.Queue[Message] = asyncio.Queue()
        self.from_app: asyncio.Queue[Message] = asyncio.Queue()
        self.subprotocol: str | None = None

    async def send(self, message: Json) -> None:
        await self.to_app.put({"type": "websocket.receive", "text": json.dumps(message)})

    async def receive(self) -> Json:
        async with asyncio.timeout(LIMIT):
            message = await self.from_app.get()
        if message["type"] == "websocket.close":
            raise Closed(int(message.get("code", 1000)), str(message.get("reason", "")))
        return cast(Json, json.loads(message["text"]))


def _scope(path: str, protocol: str, peer: str, headers: Headers) -> dict[str, object]:
    sent = [(b"host", b"service.test"), (b"sec-websocket-protocol", protocol.encode())]
    return {
        "type": "websocket",
        "asgi": {"version": "3.0"},
        "scheme": "ws",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": sent + [(name.lower().encode(), value.encode()) for name, value in headers],
        "subprotocols": [protocol],
        "client": (peer, 50000),
        "server": ("service.test", 80),
        "extensions": {},
    }


@asynccontextmanager
async def connected(
    app: ASGIApp,
    path: str = "/graphql",
    protocol: str = PROTOCOL,
    peer: str = "127.0.0.1",
    headers: Headers = (),
) -> AsyncIterator[Socket]:
    """An accepted websocket to `app` from `peer` with `headers` besides the handshake's;
    disconnected (and the app's handler ended) on exit.

    A refused connection raises `Closed` with the app's close code and reason.
    """
    socket = Socket()
    await socket.to_app.put({"type": "websocket.connect"})

    async def serve() -> None:
        await app(_scope(path, protocol, peer, headers), socket.to_app.get, socket.from_app.put)

    task = asyncio.create_task(serve())
    try:
        async with asyncio.timeout(LIMIT):
            accepted = await socket.from_app.get()
        if accepted["type"] == "websocket.close":
            raise Closed(int(accepted.get("code", 1000)), str(accepted.get("reason", "")))
        assert accepted["type"] == "websocket.accept", accepted
        socket.subprotocol = accepted.get("subprotocol")
        yield socket
    finally:
        await socket.to_app.put({"type": "websocket.disconnect", "code": 1000})
        async with asyncio.timeout(LIMIT):
            await asyncio.gather(task, return_exceptions=True)


class LiveClient:
    """graphql-transport-ws over one `Socket`."""

    def __init__(self, socket: Socket) -> None:
        self.socket = socket

    async def start(self, payload: Json | None = None) -> None:
        """`connection_init` (with `payload`, e.g. the caller's `Authorization`), acknowledged."""
        init: Json = {"type": "connection_init"}
        if payload is not None:
            init["payload"] = payload
        await self.socket.send(init)
        assert await self.socket.receive() == {"type": "connection_ack"}

    async def subscribe(self, sid: str, query: str, **variables: object) -> None:
        payload = {"query": query, "variables": variables}
        await self.socket.send({"id": sid, "type": "subscribe", "payload": payload})

    async def receive(self) -> Json:
        return await self.socket.receive()


@asynccontextmanager
async def live_client(app: ASGIApp, payload: Json | None = None) -> AsyncIterator[LiveClient]:
    async with connected(app) as socket:
        client = LiveClient(socket)
        await client.start(payload)
        yield client
