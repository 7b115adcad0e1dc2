"""The ASGI app: routes (/graphql, /healthz, /readyz), lifespan, and `tradergraph serve`.

`create_app(settings)` is the service's composition root. Nothing is opened there: its lifespan
opens what lives as long as the app (`open_resources`: the database engine, the one Redis client,
the upstream client with its pooled `httpx.AsyncClient`, the live hub, the stores, the front
door, the money desk's recovery) through one `AsyncExitStack`, which closes them in reverse
order however many closes fail, and hands them to every request as lifespan state
(`request.state.resources`). Each GraphQL request gets a fresh `Context` with its own loaders.
`upstream_transport` is the test seam: tests pass an in-process transport to the sandbox
instead of a network.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import HTTPConnection, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types import ExecutionResult
from strawberry.types.unset import UnsetType

from auth.exposure import announce
from auth.identify import Identifier
from auth.store import KeyStore, SessionStore
from auth.throttle import open_attempts
from explorer import asset_routes, explorer_page
from history.mirror import HistoryMirror
from limits.apq import ApqStore, open_apq
from limits.body import message_json
from limits.calls import count_upstream_call
from limits.clients import client_address
from limits.connections import SocketDoor
from limits.documents import Documents
from limits.http import FrontDoor
from limits.rates import open_rates
from limits.request import Asked
from limits.stage import Counters, Stage
from live.clock import Clock
from live.hub import LiveHub
from live.service import LiveService
from observability.endpoints import observability_routes
from observability.logs import configure_logging
from observability.middleware import ObservabilityMiddleware, current_request_id
from observability.ops import OpsPort
from observability.readiness import redis_check
from observability.telemetry import Telemetry, record_upstream_call
from resolvers.context import Context, Services
from resolvers.index import TraderIndex
from resolvers.money.desk import MoneyDesk
from resolvers.scope import CallerGateway
from resolvers.subscriptions import LiveContext, identify_connection
from schema import schema
from settings import ServiceSettings
from store.db import create_tables, make_engine
from store.users import UserStore
from upstream.breaker import BreakerState
from upstream.client import WebServicesClient
from upstream.errors import UpstreamError
from upstream.hooks import CallRecord
from upstream.read_cache import open_read_store
from upstream.sharing import ReadStore
from upstream.turns import Turns

REDIS_CONNECT_TIMEOUT = 5.0
"""Seconds to reach Redis: a request or subscription fails (coded, logged) instead of hanging."""


class Tables:
    """The service's tables, created once; a database down at start-up is retried by /readyz."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._ready = False

    async def ensure(self) -> None:
        if not self._ready:
            await create_tables(self._engine)
            self._ready = True


@dataclass(frozen=True)
class Resources:
    """What the lifespan opened, handed to every request as lifespan state (`STATE`)."""

    services: Services
    engine: AsyncEngine
    tables: Tables
    door: FrontDoor
    hub: LiveHub
    identifier: Identifier
    recovery: asyncio.Task[None]
    """The money desk's start-up recovery, running in the background (docs/money.md)."""


STATE = "resources"


def resources(connection: HTTPConnection) -> Resources:
    """This app's resources, from the lifespan state that the request carries."""
    opened: Resources = connection.state.resources
    return opened


class GraphQLOverHttp:
    """/graphql over HTTP: the front door (limits/http.py) that the lifespan built."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await resources(HTTPConnection(scope)).door(scope, receive, send)


class LiveGraphQLApp(GraphQL[Context, None]):
    """Subscriptions over websockets: graphql-transport-ws only, one `LiveContext` a connection.

    HTTP requests never reach Strawberry's view: the front door (limits/http.py) runs them.
    """

    def __init__(self, settings: ServiceSettings) -> None:
        super().__init__(schema, graphql_ide=None)
        self.protocols = (GRAPHQL_TRANSPORT_WS_PROTOCOL,)
        self.graphql_transport_ws_handler_class = SocketDoor  # 4429 past the rate at init
        self.connection_init_wait_timeout = timedelta(seconds=settings.ws_init_timeout_seconds)
        self._settings = settings

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        opened = resources(request)
        request_id = current_request_id() or uuid.uuid4().hex
        address = client_address(request.scope, self._settings.trusted_proxies)
        return LiveContext.for_connection(
            opened.services, request_id, opened.hub, opened.identifier, address
        )

    def decode_json(self, data: str | bytes) -> object:
        """Each websocket message passes the body's bounds: size, UTF-8, JSON nesting."""
        settings = self._settings
        return message_json(data, settings.max_body_bytes, settings.max_json_depth)

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        """`connection_init` names the caller, as `Authorization` does over HTTP (auth/)."""
        await identify_connection(context)
        return UnsetType()  # a plain connection_ack


def _front_door(
    settings: ServiceSettings, services: Services, identifier: Identifier, apq: ApqStore
) -> FrontDoor:
    """/graphql over HTTP: the one stage (limits/stage.py), then Strawberry on its `Asked`."""
    counters = Counters(services.rates, services.attempts)
    turns = Turns()  # requests resumed by upstream answers go on in turn (upstream/turns.py)

    async def run(asked: Asked) -> ExecutionResult:
        context = Context.for_request(
            services, asked.request_id, asked.caller, asked.admission, asked
        )
        try:
            with turns.request():
                return await schema.execute(
                    asked.text,
                    variable_values=asked.variables,
                    context_value=context,
                    operation_name=asked.operation_name,
                    operation_extensions=asked.extensions,
                )
        finally:
            context.loaders.release()  # the answer is complete (see `Loaders.release`)

    async def page(request: Request) -> Response:
        """GraphiQL from the service's own assets (explorer/), not from a CDN."""
        return explorer_page(request)

    documents = Documents(settings, apq)
    stage = Stage(settings, documents, identifier.caller, counters)
    return FrontDoor(stage, documents, run, page)


def _count_and_record(record: CallRecord) -> None:
    """Each upstream call is counted for its request's cost report and for the metrics."""
    count_upstream_call(record)
    record_upstream_call(record)


async def _upstream_check(opened: Resources) -> str:
    """A token can be had, and recent calls have not opened the circuit breaker."""
    client = opened.services.client
    if client.circuit is BreakerState.OPEN:
        return "failing: CircuitOpen"
    try:
        await client.authenticate()
    except UpstreamError as error:
        return f"failing: {type(error).__name__}"
    return "ok"


async def _database_check(opened: Resources) -> str:
    try:
        await opened.tables.ensure()
        async with opened.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except Exception as error:  # any driver error means "not reachable"
        return f"failing: {type(error).__name__}"
    return "ok"


async def _stopped(task: asyncio.Task[None]) -> None:
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


def _shared_redis(settings: ServiceSettings, stack: AsyncExitStack) -> Redis | None:
    """The process's one Redis client (a pool) for rates, login attempts, APQ, the upstream's
    read cache and live."""
    if settings.redis_url is None:
        return None
    redis = Redis.from_url(settings.redis_url, socket_connect_timeout=REDIS_CONNECT_TIMEOUT)
    stack.push_async_callback(redis.aclose)
    return redis


async def open_resources(
    settings: ServiceSettings,
    stack: AsyncExitStack,
    transport: httpx.AsyncBaseTransport | None = None,
    live_clock: Clock | None = None,
) -> Resources:
    """Everything that lives as long as the app, each closed by `stack` in reverse order, so a
    close that fails does not keep the others from closing."""
    engine = make_engine(settings.database_url)
    stack.push_async_callback(engine.dispose)
    redis = _shared_redis(settings, stack)
    prefix = settings.redis_key_prefix
    client = WebServicesClient(
        settings.upstream_config(),
        transport=transport,
        on_request=_count_and_record,
        reads=read_store(settings, redis),
    )
    stack.push_async_callback(client.aclose)
    live = LiveService.from_settings(settings, redis, live_clock)
    stack.push_async_callback(live.aclose)  # its pollers stop before the client closes
    money = MoneyDesk.over(engine, CallerGateway(client))  # each caller's own token
    history = HistoryMirror.over(engine, client, settings)  # the deal mirror (docs/history.md)
    services = Services(
        settings,
        client,
        UserStore(engine),
        TraderIndex(settings.index_ttl_seconds),
        money,
        history,
        rates=open_rates(redis, prefix),
        attempts=open_attempts(redis, prefix),
    )
    sessions = SessionStore(engine, cache_seconds=settings.session_cache_seconds)
    identifier = Identifier(settings, sessions, KeyStore(engine))
    apq = open_apq(
        redis, prefix, ttl_seconds=settings.apq_ttl_seconds, memory_bytes=settings.apq_memory_bytes
    )
    tables = Tables(engine)
    with contextlib.suppress(Exception):  # a database down now is reported by /readyz
        await tables.ensure()
    recovery = money.start_recovery()
    stack.push_async_callback(_stopped, recovery)
    await history.start()  # its catch-up worker stops before the client closes
    stack.push_async_callback(history.stop)
    door = _front_door(settings, services, identifier, apq)
    return Resources(services, engine, tables, door, live.hub, identifier, recovery)


def read_store(settings: ServiceSettings, redis: Redis | None) -> ReadStore:
    """The shared read cache `TRADERGRAPH_READ_CACHE_SECONDS` asks for (upstream/read_cache)."""
    ttl = settings.read_cache_seconds
    return open_read_store(
        ttl,
        max_bytes=settings.read_cache_memory_bytes,
        redis=redis,
        prefix=settings.redis_key_prefix,
        hold=ttl + settings.total_timeout_seconds + 1.0,
    )


def _lifespan(
    settings: ServiceSettings,
    ops: OpsPort,
    transport: httpx.AsyncBaseTransport | None,
    live_clock: Clock | None,
) -> Callable[[Starlette], AbstractAsyncContextManager[dict[str, Resources]]]:
    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[dict[str, Resources]]:
        async with AsyncExitStack() as stack:
            state = {STATE: await open_resources(settings, stack, transport, live_clock)}
            await stack.enter_async_context(ops.serving(dict(state)))
            yield state

    return lifespan


def create_app(
    settings: ServiceSettings,
    *,
    upstream_transport: httpx.AsyncBaseTransport | None = None,
    telemetry: Telemetry | None = None,
    live_clock: Clock | None = None,
) -> Starlette:
    """The service as an ASGI app; nothing is opened until the lifespan starts.

    `live_clock` paces the subscriptions' pollers (tests pass one they move by hand).
    """
    telemetry = telemetry or Telemetry.exporting_to(settings.otlp_endpoint)

    async def healthz(_request: Request) -> Response:
        return JSONResponse({"status": "alive"})

    async def readyz(request: Request) -> Response:
        opened = resources(request)
        checks = {
            "upstream": await _upstream_check(opened),
            "database": await _database_check(opened),
        }
        if settings.redis_url:
            checks["redis"] = await redis_check(settings.redis_url)
        ready = all(state == "ok" for state in checks.values())
        body: dict[str, Any] = {"status": "ready" if ready else "not ready", "checks": checks}
        body["details"] = {"history": opened.services.history.status()}  # never decides ready
        return JSONResponse(body, status_code=200 if ready else 503)

    ops = OpsPort(
        settings,
        [Route("/readyz", readyz, methods=["GET"]), *observability_routes(settings, telemetry)],
    )
    routes = [
        Route("/graphql", GraphQLOverHttp(), methods=["GET", "POST"]),
        WebSocketRoute("/graphql", LiveGraphQLApp(settings)),
        Route("/healthz", healthz, methods=["GET"]),
        *ops.main_routes(),
        *asset_routes(),
    ]
    app = Starlette(
        routes=routes,
        middleware=[Middleware(ObservabilityMiddleware, telemetry=telemetry)],
        lifespan=_lifespan(settings, ops, upstream_transport, live_clock),
    )
    app.state.ops = ops
    return app


YOUNG_GENERATION = 50_000
"""Allocations between two collections of the young generation (CPython's default is 700)."""


def tune_collector() -> None:
    """Fewer garbage collections for a process that serves requests.

    A page query allocates tens of thousands of objects (its upstream answers, records, result
    tree), nearly all freed by reference counting when the request ends. At CPython's default
    threshold that still set off about 60 young collections per query, and every tenth of those
    an older one walking the long-lived heap (modules, the schema, the trader index): a quarter of
    the service's CPU per page query (`bench/README.md`). The young generation is collected every
    50,000 allocations instead; cyclic garbage (tasks, tracebacks) waits longer to be freed, so
    nothing large may hang on a cycle: a request's loaders let go of what they loaded as its
    answer is complete (`Loaders.release`). (Freezing the start-up heap saved nothing more.)
    """
    gc.set_threshold(YOUNG_GENERATION, *gc.get_threshold()[1:])


def app_from_environment() -> Starlette:
    """What `uvicorn --factory server:app_from_environment` runs in each worker.

    Settings come from `TRADERGRAPH_*`; logging is configured before anything logs.
    """
    settings = ServiceSettings()
    configure_logging(settings.log_format, settings.log_level)
    announce(settings, host=None)  # uvicorn's --host is not known here: the warning only
    tune_collector()
    return create_app(settings)
