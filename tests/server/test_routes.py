"""The HTTP surface: /healthz, /readyz, /graphql (POST, GET and GraphiQL), request ids."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
from starlette.applications import Starlette

from server import STATE, create_app
from settings import Mode, ServiceSettings
from tests.resolvers.harness import Graph, Json, Upstream, service_on, service_settings
from tests.support.lifespan import running
from tests.support.sandbox import SandboxTransport

NO_HISTORY = {
    "history": {
        "synced": "nothing (run `tradergraph history sync`)",
        "lagSeconds": None,
        "lastError": None,
    }
}
"""The readiness details of a service whose deal mirror was never backfilled."""
DAY = 86_400.0


def _refusing(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("connection refused", request=request)


async def test_healthz_says_the_process_is_alive(graph: Graph) -> None:
    response = await graph.http.get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "alive"})


async def test_readyz_is_ready_when_upstream_and_database_answer(graph: Graph) -> None:
    response = await graph.http.get("/readyz")
    assert (response.status_code, response.json()) == (
        200,
        {"status": "ready", "checks": {"upstream": "ok", "database": "ok"}, "details": NO_HISTORY},
    )


async def readyz_once_started(
    sandbox: Starlette, settings: ServiceSettings, transport: httpx.AsyncBaseTransport | None = None
) -> httpx.Response:
    """/readyz once start-up's background work is over: the money desk's recovery, which with
    the database down fails and logs its traceback (seconds of CPU on the test's console
    renderer, on the event loop the readiness checks' upstream call waits on)."""
    app = create_app(settings, upstream_transport=transport or SandboxTransport(sandbox))
    async with running(app) as run:
        await run.state[STATE].recovery
        served = httpx.ASGITransport(app=run.app)
        async with httpx.AsyncClient(transport=served, base_url="http://service.test") as http:
            return await http.get("/readyz")


async def test_readyz_names_an_unreachable_upstream(sandbox: Starlette, tmp_path: Path) -> None:
    """Every attempt is refused at once: the client gives up after its three attempts, long
    before the call's deadline (a deadline of 1 s had a stalled loop answer UpstreamTimeout)."""
    response = await readyz_once_started(
        sandbox, service_settings(tmp_path), httpx.MockTransport(_refusing)
    )
    assert (response.status_code, response.json()) == (
        503,
        {
            "status": "not ready",
            "checks": {"upstream": "failing: TransportFailure", "database": "ok"},
            "details": NO_HISTORY,
        },
    )


async def test_readyz_names_an_unreachable_database(sandbox: Starlette, tmp_path: Path) -> None:
    """The history worker's first pass waits a day, so it cannot report the same database error
    in the details however long start-up takes."""
    missing = f"sqlite+aiosqlite:///{tmp_path / 'no' / 'such' / 'dir.db'}"
    settings = service_settings(tmp_path, database_url=missing, history_interval_seconds=DAY)
    response = await readyz_once_started(sandbox, settings)
    assert (response.status_code, response.json()) == (
        503,
        {
            "status": "not ready",
            "checks": {"upstream": "ok", "database": "failing: OperationalError"},
            "details": NO_HISTORY,
        },
    )


async def test_a_browser_gets_graphiql(graph: Graph) -> None:
    response = await graph.http.get("/graphql", headers={"Accept": "text/html"})
    assert (
        response.status_code,
        response.headers["content-type"],
        "graphiql" in response.text,
    ) == (
        200,
        "text/html; charset=utf-8",
        True,
    )


async def test_a_query_can_come_by_get(graph: Graph) -> None:
    response = await graph.http.get(
        "/graphql", params={"query": '{ whiteLabel(name: "sandbox") { jurisdiction } }'}
    )
    assert (response.status_code, response.json()) == (
        200,
        {"data": {"whiteLabel": {"jurisdiction": "CY"}}},
    )


async def test_errors_carry_the_callers_request_id(graph: Graph) -> None:
    response = await graph.http.post(
        "/graphql",
        json={"query": "{ traders(first: -1) { totalCount } }"},
        headers={"X-Request-ID": "req-42"},
    )
    assert response.json() == {
        "data": None,
        "errors": [
            {
                "message": "first must be between 0 and 500, got -1.",
                "locations": [{"line": 1, "column": 3}],
                "path": ["traders"],
                "extensions": {"code": "BAD_USER_INPUT", "requestId": "req-42"},
            }
        ],
    }


async def test_a_syntax_error_is_the_clients_and_says_so(graph: Graph) -> None:
    response = await graph.http.post(
        "/graphql", json={"query": "{ traders("}, headers={"X-Request-ID": "req-7"}
    )
    assert (response.status_code, response.json()) == (
        200,
        {
            "data": None,
            "errors": [
                {
                    "message": "Syntax Error: Expected Name, found <EOF>.",
                    "locations": [{"line": 1, "column": 11}],
                    "extensions": {"code": "GRAPHQL_PARSE_FAILED", "requestId": "req-7"},
                }
            ],
        },
    )


async def test_an_unknown_field_is_a_validation_error(graph: Graph) -> None:
    response = await graph.http.post(
        "/graphql", json={"query": "{ nope }"}, headers={"X-Request-ID": "req-8"}
    )
    assert response.json() == {
        "data": None,
        "errors": [
            {
                # production mode (the default) gives no suggestion: tests/security/test_hardening
                "message": "Cannot query field 'nope' on type 'Query'.",
                "locations": [{"line": 1, "column": 3}],
                "extensions": {"code": "GRAPHQL_VALIDATION_FAILED", "requestId": "req-8"},
            }
        ],
    }


async def _rejected_assets(graph: Graph, upstream: Upstream) -> Json:
    fault = {"method": "GET", "path": "/v2/webserv/depositAssets", "action": "error"}
    await upstream.fault(json.dumps({**fault, "status": 400, "errorCode": "INVALID_REQUEST"}))
    response = await graph.http.post(
        "/graphql", json={"query": "{ depositAssets }"}, headers={"X-Request-ID": "req-9"}
    )
    body = response.json()
    assert isinstance(body, dict)
    return body


REJECTED = {
    "code": "UPSTREAM_REJECTED",
    "upstreamCall": "GET /v2/webserv/depositAssets",
    "upstreamCode": "INVALID_REQUEST",
    "requestId": "req-9",
}


async def test_production_mode_shows_no_detail_of_an_upstream_error(
    graph: Graph, upstream: Upstream
) -> None:
    assert await _rejected_assets(graph, upstream) == {
        "data": None,
        "errors": [
            {
                "message": "The upstream refused the request (GET /v2/webserv/depositAssets).",
                "locations": [{"line": 1, "column": 3}],
                "path": ["depositAssets"],
                "extensions": REJECTED,
            }
        ],
    }


async def test_development_mode_adds_the_detail_of_an_upstream_error(
    sandbox: Starlette, upstream: Upstream, tmp_path: Path
) -> None:
    settings = service_settings(tmp_path, mode=Mode.DEVELOPMENT)
    async with service_on(sandbox, settings) as graph:
        body = await _rejected_assets(graph, upstream)
    errors = body["errors"]
    assert isinstance(errors, list)
    detail = str(errors[0]["extensions"].pop("detail"))
    assert (errors[0]["extensions"], detail.split(":")[0], detail.endswith(CALL)) == (
        REJECTED,
        "400 INVALID_REQUEST",
        True,
    )


CALL = "(GET /v2/webserv/depositAssets)"


async def test_a_variable_that_does_not_coerce_is_bad_user_input(graph: Graph) -> None:
    query = (
        "query ($at: DateTime!) "
        "{ trader(login: 1) { closedPositions(from: $at, to: $at) { dealId } } }"
    )
    response = await graph.http.post(
        "/graphql",
        json={"query": query, "variables": {"at": "yesterday"}},
        headers={"X-Request-ID": "req-10"},
    )
    assert response.json() == {
        "data": None,
        "errors": [
            {
                "message": "Variable '$at' has invalid value: Value cannot represent a DateTime: "
                "\"yesterday\". Expected 4 digits, got 'yest'",
                "locations": [{"line": 1, "column": 8}],
                "extensions": {"code": "BAD_USER_INPUT", "requestId": "req-10"},
            }
        ],
    }
