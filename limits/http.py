"""`FrontDoor`: /graphql over HTTP, one ASGI app from the raw request to the written answer.

It picks the answer's media type (GraphQL over HTTP: `application/graphql-response+json` for a
client that accepts it, `application/json` otherwise, `*/*` and no `Accept` included), runs the
stage (limits/stage.py), hands the one `Asked` to `run` (Strawberry, executing the parsed
document without parsing it again), registers an admitted persisted query, and writes the
answer:

    refusal at the door                its status (4xx), one error with its code
    syntax error, validation, limits   application/json: 200 with `data: null`;
      and variable coercion            graphql-response+json: 400, without `data`
    executed                           200
    rate limit or login throttle       429 with Retry-After (and `extensions.retryAfter`)
    anything unexpected                500 `INTERNAL_ERROR` with the request id; the traceback
                                       is logged once, with the same id

POST bodies must be `application/json` (a browser's form or `text/plain` post to another origin
needs no preflight, so JSON only is the CSRF defence); GET runs queries only. GET without a
document serves the GraphiQL page.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Awaitable, Callable

import structlog
from graphql import GraphQLError
from starlette.datastructures import Headers, QueryParams
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from strawberry.http import process_result
from strawberry.types import ExecutionResult

from limits.codes import HttpRefusal, Refused
from limits.documents import Documents
from limits.parsing import PARSER_STOPPED_AT_LIMIT
from limits.request import Asked, MediaType
from limits.stage import Stage, Unparsed
from observability.middleware import current_request_id

Run = Callable[[Asked], Awaitable[ExecutionResult]]
Page = Callable[[Request], Awaitable[Response]]

log = structlog.get_logger("tradergraph.http")

INTERNAL = HttpRefusal(
    500, "INTERNAL_ERROR", "Internal error; the service's log has it under this request id."
)
NOT_ALLOWED = HttpRefusal(
    405, "METHOD_NOT_ALLOWED", "/graphql takes GET and POST.", {"Allow": "GET, POST"}
)


class FrontDoor:
    def __init__(self, stage: Stage, documents: Documents, run: Run, page: Page) -> None:
        self._stage, self._documents, self._run, self._page = stage, documents, run, page

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request_id = current_request_id() or uuid.uuid4().hex
        media_type = negotiate(Headers(scope=scope).get("accept"))
        try:
            response = await self._answer(scope, receive, request_id, media_type)
        except Exception:  # the one place an unexpected failure becomes an answer
            log.exception("unexpected error", request_id=request_id)
            response = refusal_response(INTERNAL, request_id, media_type)
        await response(scope, receive, send)

    async def _answer(
        self, scope: Scope, receive: Receive, request_id: str, media_type: MediaType
    ) -> Response:
        if scope["method"] not in ("GET", "POST"):
            return refusal_response(NOT_ALLOWED, request_id, media_type)
        if scope["method"] == "GET" and _is_page(scope):
            return await self._page(Request(scope, receive))
        try:
            asked = await self._stage.admit(scope, receive, request_id, media_type)
        except Refused as refused:
            return refusal_response(refused.refusal, request_id, media_type)
        except Unparsed as unparsed:
            return _syntax_error(unparsed.error, request_id, media_type)
        result = await self._run(asked)
        if asked.admission.admitted and asked.register is not None:
            await self._documents.admitted(asked.register, asked.text)
        return result_response(result, media_type)


def negotiate(accept: str | None) -> MediaType:
    """`application/graphql-response+json` when the client prefers it, else `application/json`."""
    weights: dict[str, float] = {}
    for part in (accept or "").split(","):
        kind, *parameters = (piece.strip().lower() for piece in part.split(";"))
        weights.setdefault(kind, _quality(parameters))
    wanted = weights.get(MediaType.GRAPHQL_RESPONSE.value, 0.0)
    if wanted > 0 and wanted >= weights.get(MediaType.JSON.value, 0.0):
        return MediaType.GRAPHQL_RESPONSE
    return MediaType.JSON


def _quality(parameters: list[str]) -> float:
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip() == "q":
            try:
                return float(value)
            except ValueError:
                return 0.0
    return 1.0


def _is_page(scope: Scope) -> bool:
    params = QueryParams(scope.get("query_string", b""))
    return "query" not in params and "extensions" not in params


def encoded(body: object, status: int, media_type: MediaType, headers: dict[str, str]) -> Response:
    content = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return Response(content, status, headers, media_type=media_type.value)


def refusal_response(refusal: HttpRefusal, request_id: str, media_type: MediaType) -> Response:
    with_data = media_type is MediaType.JSON
    body = refusal.body(request_id, with_data=with_data)
    return encoded(body, refusal.status, media_type, refusal.headers)


def _syntax_error(error: GraphQLError, request_id: str, media_type: MediaType) -> Response:
    too_long = PARSER_STOPPED_AT_LIMIT in error.message
    code = "TOO_MANY_TOKENS" if too_long else "GRAPHQL_PARSE_FAILED"
    formatted = {**error.formatted, "extensions": {"code": code, "requestId": request_id}}
    if media_type is MediaType.JSON:
        return encoded({"data": None, "errors": [formatted]}, 200, media_type, {})
    return encoded({"errors": [formatted]}, 400, media_type, {})


def result_response(result: ExecutionResult, media_type: MediaType) -> Response:
    body: dict[str, object] = dict(process_result(result))
    refused = result.data is None and bool(result.errors)
    refused = refused and all(error.path is None for error in result.errors or ())
    if refused and media_type is MediaType.GRAPHQL_RESPONSE:
        body.pop("data", None)
        return encoded(body, 400, media_type, {})
    return encoded(body, 200, media_type, {})
