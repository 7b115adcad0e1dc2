"""Turns a handler into a Starlette endpoint: IP allow-list, token, rate limit, read-only rule,
body parsing and error rendering happen here once, so each handler holds only its call's logic.

Order of checks: IP_NOT_ALLOWED, INVALID_TOKEN, REQUEST_FREQUENCY_EXCEEDED (non-GET),
NOT_ENOUGH_RIGHTS for read-only managers (non-GET), then the body (INVALID_REQUEST).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

from sandbox.auth import Manager, check_ip, manager_by_token
from sandbox.body import Body, to_int
from sandbox.exceptions import InvalidRequest, InvalidToken, NotEnoughRights, SandboxError
from sandbox.jsonvalue import JsonObject
from sandbox.state import SandboxState
from sandbox.wire import Dialect, error_response, parse_body, payload_response, read_body

log = logging.getLogger("sandbox")


@dataclass
class Call:
    request: Request
    state: SandboxState
    dialect: Dialect
    body: Body
    manager_or_none: Manager | None

    @property
    def manager(self) -> Manager:
        if self.manager_or_none is None:
            raise InvalidToken("This call needs a manager token")
        return self.manager_or_none

    @property
    def now(self) -> int:
        return self.state.clock.now_ms()

    def path_int(self, name: str) -> int:
        value: int = self.request.path_params[name]
        return to_int(name, value)

    def query(self, name: str) -> str | None:
        return self.request.query_params.get(name)

    def reply(self, payload: JsonObject, root: str, status: int = 200) -> Response:
        return payload_response(self.request, payload, root, self.dialect, status)


Handler = Callable[[Call], Awaitable[Response]]
Endpoint = Callable[[Request], Awaitable[Response]]


def state_of(request: Request) -> SandboxState:
    state: SandboxState = request.app.state.sandbox
    return state


def endpoint(handler: Handler, dialect: Dialect, *, auth: bool = True) -> Endpoint:
    async def answer(request: Request) -> Response:
        try:
            return await handler(await _prepare(request, dialect, auth))
        except SandboxError as error:
            return error_response(request, error, dialect)
        except Exception:  # a bug must still answer the §1.8 body, as the real server would
            log.exception("unexpected error in %s %s", request.method, request.url.path)
            return error_response(request, SandboxError("Internal error"), dialect)

    async def run(request: Request) -> Response:
        # A server finishes what it started when its client gives up (a timeout, a dropped
        # connection): the call runs to its end in a task of its own, so a write the client
        # abandoned is applied, as upstream, and no statement is cut off half-way (which would
        # also lose an in-memory database with its one connection).
        return await asyncio.shield(answer(request))

    run.__name__ = handler.__name__
    run.__doc__ = handler.__doc__
    return run


async def _prepare(request: Request, dialect: Dialect, auth: bool) -> Call:
    state = state_of(request)
    check_ip(request.client.host if request.client else None, state.settings.allowed_ips)
    manager = await _authenticate(request, state) if auth else None
    if manager is not None and request.method != "GET":
        state.limiter.hit(manager.login)
        if manager.read_only:
            raise NotEnoughRights("This manager is read-only")
    body = Body({})
    if request.method != "GET":
        raw = await read_body(request, state.settings.max_body_bytes)
        body = Body(parse_body(raw, request.headers.get("content-type", ""), dialect))
    return Call(request, state, dialect, body, manager)


async def _authenticate(request: Request, state: SandboxState) -> Manager:
    token = request.query_params.get("token")
    if not token:
        raise InvalidToken("The token query parameter is missing")
    manager = state.managers.get(token)
    if manager is None:
        async with state.db.read() as connection:
            manager = await manager_by_token(connection, token)
    if manager is None:
        raise InvalidToken("The token is invalid or was revoked")
    state.managers[token] = manager
    return manager


def no_content() -> Response:
    return Response(status_code=204)


def required_query(call: Call, name: str) -> str:
    value = call.query(name)
    if value is None or value == "":
        raise InvalidRequest(f"Query parameter '{name}' is required")
    return value
