"""`Stage`: the one pass every GraphQL request over HTTP makes before Strawberry runs it.

    1. the parameters, read once: a POST body bounded, decoded and parsed (limits/body.py),
       or a GET's query string
    2. the caller, from `Authorization` (auth/identify.py), and the client's address
       (limits/clients.py); an unknown token counts against the address's anonymous rate
    3. the document to run: the text, or a persisted or trusted one by hash
       (limits/documents.py); an unknown hash counts against the caller's rate
    4. the document parsed once, with the same token cap for every caller (limits/parsing.py)
    5. the caller's rate counted for this operation, whatever follows, so refused and invalid
       documents are throttled too (anonymous callers per address)
    6. the operation: it exists, no mutation over GET, no subscription over HTTP
    7. the caller gate (limits/gate.py) and, for `login`, the login throttle (auth/throttle.py)

The result is one `Asked` (limits/request.py), or a `Refused` with its status and code, or an
`Unparsed` document whose syntax error GraphQL's own shape reports. Validation, the operation
limits and the caller rules then run inside Strawberry on the same parsed document.
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from graphql import GraphQLError, OperationType, get_operation_ast
from starlette.datastructures import Headers
from starlette.types import Receive, Scope

from auth.callers import Caller
from auth.identify import Unauthenticated
from auth.throttle import Attempts, LoginThrottle
from limits.body import Params, get_params, post_params, read_body
from limits.clients import client_address
from limits.codes import HttpRefusal, Refused
from limits.documents import Documents
from limits.gate import gate, login_fields, manager_of, unauthenticated
from limits.parsing import kind_of, parse_document
from limits.rates import Rates
from limits.request import Asked, MediaType
from settings import ServiceSettings

Identify = Callable[[str | None], Awaitable[Caller | None]]

JSON_TYPES = frozenset({"application/json", "application/graphql-response+json"})
NOT_JSON = HttpRefusal(
    415, "UNSUPPORTED_CONTENT_TYPE", "POST /graphql takes only Content-Type: application/json."
)
GET_MUTATION = HttpRefusal(
    405, "MUTATION_OVER_GET", "Mutations are not allowed over GET; use POST.", {"Allow": "POST"}
)
OVER_HTTP = HttpRefusal(
    400,
    "SUBSCRIPTION_OVER_HTTP",
    "Subscriptions are served over the websocket at /graphql (graphql-transport-ws).",
)


class Unparsed(Exception):
    """The document does not parse (or passes the token cap): GraphQL's error says where."""

    def __init__(self, error: GraphQLError) -> None:
        super().__init__(error.message)
        self.error = error


@dataclass(frozen=True)
class Counters:
    """The stores the stage counts in, opened by the app's lifespan."""

    rates: Rates
    attempts: Attempts


def rate_refusal(settings: ServiceSettings, kind: str, wait: float) -> HttpRefusal:
    limit, window = rate_limit(settings, kind), settings.rate_window_seconds
    seconds = max(1, math.ceil(wait))
    message = f"Too many {kind} requests: at most {limit} per {window:g} s; retry in {seconds} s."
    extensions: dict[str, object] = {"retryAfter": seconds}
    return HttpRefusal(429, "RATE_LIMITED", message, {"Retry-After": str(seconds)}, extensions)


def anonymous(client: str) -> str:
    """The name anonymous callers from `client` are counted under (HTTP and websocket alike)."""
    return f"anonymous:{client}"


def rate_limit(settings: ServiceSettings, kind: str) -> int:
    limits = {"query": settings.rate_queries, "mutation": settings.rate_mutations}
    return limits.get(kind, settings.rate_money_mutations)


def throttled(wait: float) -> HttpRefusal:
    seconds = max(1, math.ceil(wait))
    message = f"Too many login attempts from this address; retry in {seconds} s."
    extensions: dict[str, object] = {"retryAfter": seconds}
    return HttpRefusal(429, "LOGIN_THROTTLED", message, {"Retry-After": str(seconds)}, extensions)


class Stage:
    def __init__(
        self,
        settings: ServiceSettings,
        documents: Documents,
        identify: Identify,
        counters: Counters,
    ) -> None:
        self._settings, self._documents = settings, documents
        self._identify, self._counters = identify, counters

    async def admit(
        self, scope: Scope, receive: Receive, request_id: str, media_type: MediaType
    ) -> Asked:
        """The request as one `Asked`; `Refused` or `Unparsed` when it goes no further."""
        params = await self._params(scope, receive)
        client = client_address(scope, self._settings.trusted_proxies)
        caller = await self._caller(Headers(scope=scope).get("authorization"), client)
        key = caller.name if caller is not None else anonymous(client)
        try:
            resolved = await self._documents.text_of(params)
        except Refused:  # an unknown or untrusted hash: guessing them is throttled too
            await self._count(key, "query")
            raise
        try:
            document = parse_document(resolved.text, self._settings.max_tokens)
        except GraphQLError as error:
            await self._count(key, "query")
            raise Unparsed(error) from None
        operation = get_operation_ast(document, params.operation_name)
        await self._count(key, kind_of(document, operation))
        if operation is None:
            raise Refused(_no_operation(params.operation_name))
        asked = Asked(
            request_id=request_id,
            method=scope["method"],
            client=client,
            caller=caller,
            text=resolved.text,
            document=document,
            operation=operation,
            operation_name=params.operation_name,
            variables=params.variables,
            extensions=params.extensions,
            media_type=media_type,
            register=resolved.register,
        )
        await self._check(asked)
        return asked

    async def _params(self, scope: Scope, receive: Receive) -> Params:
        depth = self._settings.max_json_depth
        if scope["method"] == "GET":
            return get_params(scope.get("query_string", b""), depth)
        headers = Headers(scope=scope)
        media_type = headers.get("content-type", "").split(";")[0].strip().lower()
        if media_type not in JSON_TYPES:
            raise Refused(NOT_JSON)
        return post_params(await read_body(receive, self._settings.max_body_bytes, headers), depth)

    async def _caller(self, authorization: str | None, client: str) -> Caller | None:
        """The caller; an unknown token counts against its address's anonymous rate."""
        try:
            return await self._identify(authorization)
        except Unauthenticated as refused:
            await self._count(anonymous(client), "query")
            raise Refused(unauthenticated(str(refused))) from None

    async def _count(self, key: str, kind: str) -> None:
        settings = self._settings
        limit, window = rate_limit(settings, kind), settings.rate_window_seconds
        wait = await self._counters.rates.hit(f"{key}:{kind}", limit, window)
        if wait is not None:
            raise Refused(rate_refusal(settings, kind, wait))

    async def _check(self, asked: Asked) -> None:
        kind = asked.operation.operation
        if kind == OperationType.SUBSCRIPTION:
            raise Refused(OVER_HTTP)
        if kind == OperationType.MUTATION and asked.method == "GET":
            raise Refused(GET_MUTATION)
        refusal = gate(asked.caller, asked.document, asked.operation)
        if refusal is not None:
            raise Refused(refusal)
        logins = login_fields(asked.document, asked.operation)
        if logins:
            manager = manager_of(logins[0], asked.variables)
            throttle = LoginThrottle(self._counters.attempts, self._settings)
            wait = await throttle.attempt(manager, asked.client)
            if wait is not None:
                raise Refused(throttled(wait))


def _no_operation(name: str | None) -> HttpRefusal:
    if name is None:
        message = (
            "Name the operation to run in `operationName`: the document holds none or several."
        )
    else:
        message = f"The document holds no operation named '{name}'."
    return HttpRefusal(400, "OPERATION_NOT_FOUND", message)
