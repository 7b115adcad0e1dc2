"""The ASGI middleware that gives every request an id and puts the app's telemetry in reach.

For each HTTP or websocket connection it picks the request id (the caller's `X-Request-ID` when
it is a sane token, a fresh one otherwise), binds it into structlog's context so every log line
of the request carries it, continues the caller's trace when a `traceparent` header came, and
answers the id back in `X-Request-ID`. One `request` line per HTTP request records method, path
(never the query string, which may hold a GraphQL document with secrets), status and duration.
For the lifespan it binds the telemetry too (background tasks started there inherit it) and
flushes the tracer when the app stops.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import structlog
from opentelemetry import context as otel_context
from opentelemetry import propagate
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from observability.telemetry import Telemetry, bound
from upstream.kept_logger import KeptLogger

HEADER = "x-request-id"
_SANE = re.compile(r"[A-Za-z0-9._:-]{1,128}")
log = KeptLogger("tradergraph.http")


def current_request_id() -> str | None:
    """The id of the request being served, or None outside a request."""
    value = structlog.contextvars.get_contextvars().get("request_id")
    return value if isinstance(value, str) else None


def request_id_from(headers: dict[str, str]) -> str:
    offered = headers.get(HEADER, "")
    return offered if _SANE.fullmatch(offered) else uuid.uuid4().hex


@contextmanager
def _traced_from(headers: dict[str, str]) -> Iterator[None]:
    token = otel_context.attach(propagate.extract(headers))
    try:
        yield
    finally:
        otel_context.detach(token)


class ObservabilityMiddleware:
    def __init__(self, app: ASGIApp, telemetry: Telemetry) -> None:
        self.app = app
        self.telemetry = telemetry

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        with bound(self.telemetry):
            if scope["type"] == "lifespan":
                await self._lifespan(scope, receive, send)
            elif scope["type"] in ("http", "websocket"):
                await self._request(scope, receive, send)
            else:
                await self.app(scope, receive, send)

    async def _lifespan(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await self.app(scope, receive, send)
        finally:
            self.telemetry.shutdown()

    async def _request(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = {
            key.decode("latin-1"): value.decode("latin-1") for key, value in scope["headers"]
        }
        request_id = request_id_from(headers)
        with structlog.contextvars.bound_contextvars(request_id=request_id), _traced_from(headers):
            if scope["type"] == "websocket":
                await self.app(scope, receive, send)
            else:
                await self._http(scope, receive, send, request_id)

    async def _http(self, scope: Scope, receive: Receive, send: Send, request_id: str) -> None:
        started = time.perf_counter()
        status: int | None = None

        async def answer(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [
                    *message.get("headers", []),
                    (HEADER.encode(), request_id.encode()),
                ]
            await send(message)

        try:
            await self.app(scope, receive, answer)
        finally:
            elapsed = round((time.perf_counter() - started) * 1000, 1)
            log.info(
                "request",
                method=scope["method"],
                path=scope["path"],
                status=status,
                duration_ms=elapsed,
            )
