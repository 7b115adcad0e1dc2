"""`/readyz` names Redis when one is configured: ready only while it answers."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from observability.readiness import redis_check
from observability.telemetry import Telemetry
from tests.observability.served import observed_service
from tests.resolvers.harness import service_settings
from tests.support.sandbox import SandboxTransport

NO_HISTORY = {
    "history": {
        "synced": "nothing (run `tradergraph history sync`)",
        "lagSeconds": None,
        "lastError": None,
    }
}
"""The readiness details of a service whose deal mirror was never backfilled."""

REDIS_URL = os.environ.get("TRADERGRAPH_TEST_REDIS_URL")
needs_redis = pytest.mark.skipif(REDIS_URL is None, reason="TRADERGRAPH_TEST_REDIS_URL is not set")


@pytest.fixture
def closed_port() -> Iterator[str]:
    """A loopback Redis URL on a port that refuses connections (bound, never listening)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield f"redis://127.0.0.1:{sock.getsockname()[1]}/0"


async def test_redis_that_refuses_is_failing(closed_port: str) -> None:
    assert await redis_check(closed_port) == "failing: ConnectionError"


@pytest.mark.redis
@needs_redis
async def test_redis_that_answers_is_ok() -> None:
    assert REDIS_URL is not None
    assert await redis_check(REDIS_URL) == "ok"


async def test_readyz_is_not_ready_while_redis_refuses(
    sandbox: Starlette, telemetry: Telemetry, tmp_path: Path, closed_port: str
) -> None:
    settings = service_settings(tmp_path, redis_url=closed_port)
    async with observed_service(sandbox, settings, telemetry) as service:
        response = await service.http.get("/readyz")
    assert (response.status_code, response.json()) == (
        503,
        {
            "status": "not ready",
            "checks": {"upstream": "ok", "database": "ok", "redis": "failing: ConnectionError"},
            "details": NO_HISTORY,
        },
    )


@pytest.mark.redis
@needs_redis
async def test_readyz_is_ready_with_redis_answering(
    sandbox: Starlette, telemetry: Telemetry, tmp_path: Path
) -> None:
    settings = service_settings(tmp_path, redis_url=REDIS_URL)
    async with observed_service(sandbox, settings, telemetry) as service:
        response = await service.http.get("/readyz")
    assert (response.status_code, response.json()) == (
        200,
        {
            "status": "ready",
            "checks": {"upstream": "ok", "database": "ok", "redis": "ok"},
            "details": NO_HISTORY,
        },
    )


class Unplugged(httpx.AsyncBaseTransport):
    """The sandbox until `unplug()`; from then on every connection is refused."""

    def __init__(self, sandbox: Starlette) -> None:
        self._sandbox = SandboxTransport(sandbox)
        self._plugged = True

    def unplug(self) -> None:
        self._plugged = False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if not self._plugged:
            raise httpx.ConnectError("connection refused", request=request)
        return await self._sandbox.handle_async_request(request)


async def test_readyz_is_not_ready_once_the_upstream_fails_after_a_token_was_had(
    sandbox: Starlette, telemetry: Telemetry, tmp_path: Path
) -> None:
    cable = Unplugged(sandbox)
    async with observed_service(sandbox, service_settings(tmp_path), telemetry, cable) as service:
        await service.query("{ depositAssets }")  # the token is cached from here on
        cable.unplug()
        for _ in range(2):  # three attempts each: five failures in a row open the breaker
            await service.query("{ depositAssets }")
        response = await service.http.get("/readyz")
    assert (response.status_code, response.json()) == (
        503,
        {
            "status": "not ready",
            "checks": {"upstream": "failing: CircuitOpen", "database": "ok"},
            "details": NO_HISTORY,
        },
    )
