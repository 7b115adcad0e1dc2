"""Counts emulated-API requests by route template and applies injected faults to them.

Control endpoints (`/_sandbox/*`) and unknown paths are neither counted nor faulted.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from starlette.requests import Request
from starlette.routing import BaseRoute, Match, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sandbox.exceptions import SandboxError
from sandbox.faults import DroppedResponse, Fault
from sandbox.state import SandboxState
from sandbox.wire import Dialect, error_response


class EmulatorMiddleware:
    def __init__(self, app: ASGIApp, state: SandboxState, routes: Sequence[BaseRoute]) -> None:
        self.app = app
        self.state = state
        self.routes = [route for route in routes if isinstance(route, Route)]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        template = self._template(scope) if scope["type"] == "http" else None
        if template is None:
            await self.app(scope, receive, send)
            return
        method = str(scope["method"])
        self.state.stats.count(method, template)
        fault = self.state.faults.fire(method, str(scope["path"]))
        if fault is None:
            await self.app(scope, receive, send)
        else:
            await self._misbehave(fault, scope, receive, send)

    def _template(self, scope: Scope) -> str | None:
        path = str(scope["path"])
        if not path.startswith(("/v2/", "/cid/")):
            return None
        for route in self.routes:
            match, _ = route.matches(scope)
            if match is Match.FULL:
                return route.path_format
        return None

    async def _misbehave(self, fault: Fault, scope: Scope, receive: Receive, send: Send) -> None:
        if fault.action in ("latency", "timeout"):
            await asyncio.sleep(fault.latency_ms / 1000)
        if fault.action == "latency":
            await self.app(scope, receive, send)
        elif fault.action == "drop_after_commit":
            await self.app(scope, receive, _dropping(send))
        else:
            status = 504 if fault.action == "timeout" else fault.status
            description = f"Injected fault: {fault.action}"
            error = SandboxError(description, code=fault.error_code, status=status)
            dialect = Dialect.JSON if str(scope["path"]).startswith("/cid/") else Dialect.WEBSERV
            response = error_response(Request(scope), error, dialect)
            await response(scope, receive, send)


def _dropping(send: Send) -> Send:
    async def dropping_send(message: Message) -> None:
        if message["type"] == "http.response.start":
            await send(message)
            raise DroppedResponse("drop_after_commit: the response body is never sent")
        await send(message)

    return dropping_send
