"""An unexpected failure at the front door answers JSON with a code and the request id, never a
plain-text 500, and its traceback is logged once under that id."""

from __future__ import annotations

from pathlib import Path

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from strawberry.types import ExecutionResult
from structlog.testing import capture_logs

from auth.callers import Caller
from auth.throttle import MemoryAttempts
from limits.apq import MemoryApq
from limits.documents import Documents
from limits.http import FrontDoor
from limits.rates import MemoryRates
from limits.request import Asked
from limits.stage import Counters, Stage
from tests.resolvers.harness import service_settings
from tests.security.wire import Answer

MESSAGE = "Internal error; the service's log has it under this request id."


async def nobody(_authorization: str | None) -> Caller | None:
    return None


async def failing(_asked: Asked) -> ExecutionResult:
    raise RuntimeError("a bug")


async def page(_request: Request) -> Response:
    return Response("page")


def door(tmp_path: Path) -> Starlette:
    settings = service_settings(tmp_path)
    documents = Documents(settings, MemoryApq(1024))
    counters = Counters(MemoryRates(), MemoryAttempts())
    stage = Stage(settings, documents, nobody, counters)
    return Starlette(routes=[Route("/graphql", FrontDoor(stage, documents, failing, page))])


async def test_an_unexpected_failure_is_a_coded_json_500_logged_once(tmp_path: Path) -> None:
    transport = httpx.ASGITransport(app=door(tmp_path))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        with capture_logs() as logs:
            response = await http.post(
                "/graphql",
                json={"query": "{ __typename }"},
            )

    body = response.json()
    request_id = body["errors"][0]["extensions"]["requestId"]
    extensions = {"code": "INTERNAL_ERROR", "requestId": request_id}
    expected = {"data": None, "errors": [{"message": MESSAGE, "extensions": extensions}]}
    assert Answer(response.status_code, body) == Answer(500, expected)
    assert response.headers["content-type"] == "application/json"
    failures = [entry for entry in logs if entry["event"] == "unexpected error"]
    logged = [(e["log_level"], e["exc_info"], e["request_id"]) for e in failures]
    assert logged == [("error", True, request_id)]
