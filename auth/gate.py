"""`CallerGate`: the ASGI door of /graphql that decides who is asking, before GraphQL runs.

It resolves `Authorization` to a `Caller` (auth.identify) and hands it to the GraphQL app in the
ASGI scope's state. A bad or expired token is a 401 `UNAUTHENTICATED`; so is an anonymous
request for anything but `login`. GET without a query (the GraphiQL page) always passes, so the
explorer loads and the visitor can log in from it.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable

from graphql import FieldNode, GraphQLError, get_operation_ast, parse
from starlette.datastructures import Headers, QueryParams
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from auth.callers import Caller
from auth.identify import Unauthenticated
from limits.http import replay
from observability.middleware import current_request_id

STATE_KEY = "tradergraph.caller"
ANONYMOUS_FIELDS = frozenset({"login", "__typename"})
LOG_IN_FIRST = "Log in first: send 'Authorization: Bearer <token>' (the login mutation gives one)."

Identify = Callable[[str | None], Awaitable[Caller | None]]


class CallerGate:
    def __init__(self, app: ASGIApp, identify: Identify) -> None:
        self._app, self._identify = app, identify

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or _is_page(scope):
            await self._app(scope, receive, send)
            return
        try:
            caller = await self._identify(Headers(scope=scope).get("authorization"))
        except Unauthenticated as refused:
            await _unauthenticated(str(refused), scope, receive, send)
            return
        body = await _body(receive) if scope["method"] == "POST" else b""
        if caller is None and not _only_login(scope, body):
            await _unauthenticated(LOG_IN_FIRST, scope, receive, send)
            return
        scope.setdefault("state", {})[STATE_KEY] = caller
        await self._app(scope, replay(body) if scope["method"] == "POST" else receive, send)


def caller_of(scope: Scope) -> Caller | None:
    found = scope.get("state", {}).get(STATE_KEY)
    return found if isinstance(found, Caller) else None


def _is_page(scope: Scope) -> bool:
    return scope["method"] == "GET" and "query" not in QueryParams(scope.get("query_string", b""))


def _only_login(scope: Scope, body: bytes) -> bool:
    """Whether the request's operation asks for nothing but `login` (an anonymous caller may)."""
    query, name = _document(scope, body)
    try:
        operation = get_operation_ast(parse(query), name) if query else None
    except GraphQLError:
        return False
    if operation is None:
        return False
    fields = operation.selection_set.selections
    return all(isinstance(f, FieldNode) and f.name.value in ANONYMOUS_FIELDS for f in fields)


def _document(scope: Scope, body: bytes) -> tuple[str | None, str | None]:
    if scope["method"] == "GET":
        params = QueryParams(scope.get("query_string", b""))
        return params.get("query"), params.get("operationName")
    try:
        payload = json.loads(body)
    except ValueError:
        return None, None
    if not isinstance(payload, dict):
        return None, None
    query, name = payload.get("query"), payload.get("operationName")
    return (query if isinstance(query, str) else None), (name if isinstance(name, str) else None)


async def _body(receive: Receive) -> bytes:
    """The whole body; its size is already bounded by the HTTP guard in front of this gate."""
    chunks, more = [], True
    while more:
        message = await receive()
        chunks.append(message.get("body", b""))
        more = bool(message.get("more_body", False))
    return b"".join(chunks)


async def _unauthenticated(message: str, scope: Scope, receive: Receive, send: Send) -> None:
    extensions: dict[str, object] = {"code": "UNAUTHENTICATED"}
    if (request_id := current_request_id()) is not None:
        extensions["requestId"] = request_id
    body = {"data": None, "errors": [{"message": message, "extensions": extensions}]}
    headers = {"WWW-Authenticate": "Bearer"}
    await JSONResponse(body, status_code=401, headers=headers)(scope, receive, send)
