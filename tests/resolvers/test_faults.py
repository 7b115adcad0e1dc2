"""Upstream faults give partial data plus errors with a stable `extensions.code`, never the token.

One failing branch (the open-positions grid) must leave the rest of the page intact.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from tests.resolvers.direct import expected_page
from tests.resolvers.harness import Graph, Json, Upstream, service_on, service_settings
from tests.support.sandbox import SandboxTransport
from upstream.enums import WireFormat

PAGE = """
{
  traders(first: 3) {
    edges { node {
      login
      account { balance { amount currency } equity { amount } }
      whiteLabel { name }
      group { name }
      openPositions { symbol volume }
      user { email }
    } }
  }
}
"""
GRID_PATH = "/v2/webserv/openPositions"
GRID = f"GET {GRID_PATH}"
PATIENT_SECONDS = 60.0
"""Read timeout and call deadline wherever the machine's speed, not a fault, would end a call."""
HOLD = 120_000
"""Milliseconds the sandbox holds a stalled grid read: past the call's deadline."""
MESSAGES = {
    "UPSTREAM_TIMEOUT": f"The upstream did not answer in time ({GRID}).",
    "UPSTREAM_UNAVAILABLE": f"The upstream is unavailable ({GRID}).",
    "UPSTREAM_RATE_LIMITED": f"The upstream is rate limiting us ({GRID}).",
    "UPSTREAM_BAD_RESPONSE": f"The upstream answered garbage ({GRID}).",
}


class CorruptingTransport(httpx.AsyncBaseTransport):
    """The sandbox, except that the open-positions grid answers a truncated body."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self._inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self._inner.handle_async_request(request)
        if request.url.path != GRID_PATH:
            return response
        await response.aread()
        return httpx.Response(200, headers=response.headers, content=response.content[:7])


class RateLimitingTransport(httpx.AsyncBaseTransport):
    """The sandbox, except that the open-positions grid answers 429 with `Retry-After: 30`."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self._inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path != GRID_PATH:
            return await self._inner.handle_async_request(request)
        body = {"error": {"errorCode": "REQUEST_FREQUENCY_EXCEEDED", "description": "slow down"}}
        return httpx.Response(429, headers={"Retry-After": "30"}, json=body)


@pytest.fixture
async def traders(upstream: Upstream) -> list[int]:
    logins = [await upstream.create_trader() for _ in range(3)]
    await upstream.deposit(logins[0], "1234567.89")
    await upstream.open_position(logins[1])
    return logins


class PatientButTheGrid(httpx.AsyncBaseTransport):
    """The sandbox, with the service's short read timeout kept for the open-positions grid only.

    Every other call (the token, the page's other reads) waits as long as a loaded machine
    needs, so the fault the test injects into the grid is the only thing that can time out.
    """

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self._inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path != GRID_PATH:
            timeout = {**request.extensions.get("timeout", {}), "read": PATIENT_SECONDS}
            request.extensions = {**request.extensions, "timeout": timeout}
        return await self._inner.handle_async_request(request)


def _stalling(sandbox: Starlette, tmp_path: Path) -> AbstractAsyncContextManager[Graph]:
    """The service with a short read timeout, against a grid the sandbox holds for `HOLD` ms.

    Only the grid's reads run under the short timeout (`PatientButTheGrid`), the call's deadline
    is far past the timeout and its retries, and the hold is far past the deadline: nothing but
    the read timeout can end the grid's call, however slow the machine.
    """
    settings = service_settings(
        tmp_path, read_timeout_seconds=0.2, total_timeout_seconds=PATIENT_SECONDS
    )
    return service_on(sandbox, settings, transport=PatientButTheGrid(SandboxTransport(sandbox)))


@pytest.fixture
async def stalling(sandbox: Starlette, tmp_path: Path) -> AsyncIterator[Graph]:
    async with _stalling(sandbox, tmp_path) as graph:
        yield graph


@pytest.fixture
async def service(sandbox: Starlette, tmp_path: Path) -> AsyncIterator[Graph]:
    """The service with its default (patient) timeouts: a fault that answers needs no other."""
    async with service_on(sandbox, service_settings(tmp_path)) as graph:
        yield graph


@pytest.fixture
async def service_xml(sandbox: Starlette, tmp_path: Path) -> AsyncIterator[Graph]:
    settings = service_settings(tmp_path, upstream_format=WireFormat.XML)
    async with service_on(sandbox, settings) as graph:
        yield graph


def _partial(page: list[Json], result: Json, code: str, **extra: str | float) -> Json:
    """`page` with every openPositions failed to null, and one error per node for it."""
    errors = result.get("errors")
    assert isinstance(errors, list)
    request_id = errors[0]["extensions"]["requestId"]
    edges = []
    for edge in page:
        node = edge["node"]
        assert isinstance(node, dict)
        edges.append({"node": {**node, "openPositions": None}})
    extensions: Json = {"code": code, "upstreamCall": GRID}
    extensions.update(extra)
    extensions["requestId"] = request_id
    return {
        "data": {"traders": {"edges": edges}},
        "errors": [
            {
                "message": MESSAGES[code],
                "locations": [{"line": 9, "column": 7}],
                "path": ["traders", "edges", index, "node", "openPositions"],
                "extensions": extensions,
            }
            for index in range(len(page))
        ],
    }


def _sorted(result: Json) -> Json:
    errors = result.get("errors")
    assert isinstance(errors, list)
    return {**result, "errors": sorted(errors, key=lambda error: str(error["path"]))}


async def _fault(upstream: Upstream, action: str, **extra: object) -> None:
    fault = {"method": "GET", "path": GRID_PATH, "action": action, **extra}
    await upstream.fault(json.dumps(fault))


async def test_a_stalled_grid_times_out_into_partial_data(
    stalling: Graph, upstream: Upstream, traders: list[int]
) -> None:
    page = await expected_page(upstream, 3)
    await _fault(upstream, "timeout", latencyMs=HOLD)
    result = await stalling.query(PAGE)
    assert _sorted(result) == _partial(page, result, "UPSTREAM_TIMEOUT")


async def test_a_failing_grid_is_unavailable_in_partial_data(
    service: Graph, upstream: Upstream, traders: list[int]
) -> None:
    page = await expected_page(upstream, 3)
    await _fault(upstream, "error", status=503, errorCode="UNKNOWN_ERROR")
    result = await service.query(PAGE)
    assert _sorted(result) == _partial(page, result, "UPSTREAM_UNAVAILABLE")


async def test_a_rate_limited_grid_is_rate_limited_in_partial_data(
    service: Graph, upstream: Upstream, traders: list[int]
) -> None:
    page = await expected_page(upstream, 3)
    await _fault(upstream, "error", status=429, errorCode="REQUEST_FREQUENCY_EXCEEDED")
    result = await service.query(PAGE)
    assert _sorted(result) == _partial(
        page, result, "UPSTREAM_RATE_LIMITED", upstreamCode="REQUEST_FREQUENCY_EXCEEDED"
    )


async def test_a_rate_limited_grid_passes_on_when_to_retry(
    sandbox: Starlette, tmp_path: Path, upstream: Upstream, traders: list[int]
) -> None:
    page = await expected_page(upstream, 3)
    transport = RateLimitingTransport(SandboxTransport(sandbox))
    async with service_on(sandbox, service_settings(tmp_path), transport=transport) as graph:
        result = await graph.query(PAGE)
    assert _sorted(result) == _partial(
        page,
        result,
        "UPSTREAM_RATE_LIMITED",
        upstreamCode="REQUEST_FREQUENCY_EXCEEDED",
        retryAfter=30.0,
    )


async def test_a_garbled_grid_is_a_bad_response_in_partial_data(
    sandbox: Starlette, tmp_path: Path, upstream: Upstream, traders: list[int]
) -> None:
    page = await expected_page(upstream, 3)
    transport = CorruptingTransport(SandboxTransport(sandbox))
    async with service_on(sandbox, service_settings(tmp_path), transport=transport) as graph:
        result = await graph.query(PAGE)
    assert _sorted(result) == _partial(page, result, "UPSTREAM_BAD_RESPONSE")


async def test_the_page_reads_the_same_in_xml_mode(
    service_xml: Graph, upstream: Upstream, traders: list[int]
) -> None:
    result = await service_xml.query(PAGE)
    assert result == {"data": {"traders": {"edges": await expected_page(upstream, 3)}}}


async def test_a_fault_in_xml_mode_gives_the_same_partial_data(
    service_xml: Graph, upstream: Upstream, traders: list[int]
) -> None:
    page = await expected_page(upstream, 3)
    await _fault(upstream, "error", status=503, errorCode="UNKNOWN_ERROR")
    result = await service_xml.query(PAGE)
    assert _sorted(result) == _partial(page, result, "UPSTREAM_UNAVAILABLE")


@pytest.mark.parametrize(
    ("action", "extra"),
    [("timeout", {"latencyMs": HOLD}), ("error", {"status": 500}), ("error", {"status": 429})],
)
async def test_no_answer_ever_carries_the_token(
    sandbox: Starlette,
    tmp_path: Path,
    upstream: Upstream,
    traders: list[int],
    action: str,
    extra: dict[str, object],
) -> None:
    """Only the stalled grid needs the short read timeout; the others answer at once."""
    graph = (
        _stalling(sandbox, tmp_path)
        if action == "timeout"
        else service_on(sandbox, service_settings(tmp_path))
    )
    async with graph as service:
        await _fault(upstream, action, **extra)
        answer = await service.http.post("/graphql", json={"query": PAGE})
    assert (answer.status_code, upstream.token in answer.text) == (200, False)
