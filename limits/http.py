"""`GuardedGraphQL`: the checks on /graphql that come before GraphQL parses anything.

- POST bodies must be `application/json`: a browser can send a form-encoded or `text/plain`
  POST to another origin without a preflight, so accepting only JSON is the CSRF defence.
- A body longer than `max_body_bytes` is refused while it is read, never buffered whole.
- A JSON array (a batch of operations) is refused: batching multiplies every other limit.
- A mutation over GET is refused: GET must stay safe to prefetch, cache and log.

Anything else passes to the wrapped app unchanged, the body replayed as it was read.
"""

from __future__ import annotations

from graphql import GraphQLError, OperationType, get_operation_ast, parse
from starlette.datastructures import Headers, QueryParams
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from limits.codes import HttpRefusal
from observability.middleware import current_request_id

JSON_TYPES = frozenset({"application/json", "application/graphql-response+json"})

TOO_LARGE = HttpRefusal(413, "REQUEST_TOO_LARGE", "The request body is too large.")
NOT_JSON = HttpRefusal(
    415, "UNSUPPORTED_CONTENT_TYPE", "POST /graphql takes only Content-Type: application/json."
)
BATCH = HttpRefusal(400, "BATCHING_DISABLED", "Send one operation per request, not an array.")
GET_MUTATION = HttpRefusal(
    405, "MUTATION_OVER_GET", "Mutations are not allowed over GET; use POST.", {"Allow": "POST"}
)


class GuardedGraphQL:
    """Wraps the GraphQL ASGI app; `max_body_bytes` and `max_tokens` come from the settings."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int, max_tokens: int) -> None:
        self._app, self._max_body, self._max_tokens = app, max_body_bytes, max_tokens

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        if scope["method"] == "GET":
            await self._get(scope, receive, send)
            return
        if scope["method"] == "POST":
            await self._post(scope, receive, send)
            return
        await self._app(scope, receive, send)

    async def _get(self, scope: Scope, receive: Receive, send: Send) -> None:
        query = QueryParams(scope.get("query_string", b"")).get("query")
        operation_name = QueryParams(scope.get("query_string", b"")).get("operationName")
        if query and is_mutation(query, operation_name, self._max_tokens):
            await refuse(GET_MUTATION, scope, receive, send)
            return
        await self._app(scope, receive, send)

    async def _post(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = Headers(scope=scope)
        media_type = headers.get("content-type", "").split(";")[0].strip().lower()
        if media_type not in JSON_TYPES:
            await refuse(NOT_JSON, scope, receive, send)
            return
        body = await _read_at_most(receive, self._max_body, headers)
        if body is None:
            await refuse(TOO_LARGE, scope, receive, send)
            return
        if _is_batch(body):
            await refuse(BATCH, scope, receive, send)
            return
        await self._app(scope, replay(body), send)


async def _read_at_most(receive: Receive, limit: int, headers: Headers) -> bytes | None:
    """The whole body, or None as soon as it is known to exceed `limit` bytes."""
    declared = headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return None
    chunks: list[bytes] = []
    size, more = 0, True
    while more:
        message = await receive()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        more = bool(message.get("more_body", False))
    return b"".join(chunks)


def replay(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


def _is_batch(body: bytes) -> bool:
    """A JSON array at the top (whitespace allowed before it); other bodies are GraphQL's."""
    return body.lstrip()[:1] == b"["


def is_mutation(query: str, operation_name: str | None, max_tokens: int) -> bool:
    try:
        document = parse(query, max_tokens=max_tokens)
    except GraphQLError:  # GraphQL will say what is wrong with it
        return False
    operation = get_operation_ast(document, operation_name)
    return operation is not None and operation.operation == OperationType.MUTATION


async def refuse(refusal: HttpRefusal, scope: Scope, receive: Receive, send: Send) -> None:
    body = refusal.body(current_request_id())
    response = JSONResponse(body, status_code=refusal.status, headers=refusal.headers)
    await response(scope, receive, send)
