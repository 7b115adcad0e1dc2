"""`/readyz` names Redis when one is configured: ready only while it answers."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.applications import Starlette

from observability.readiness import redis_check
from observability.telemetry import Telemetry
from tests.observability.served import Observed, observed_service
from tests.resolvers.harness import Upstream, service_settings

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
        {"status": "ready", "checks": {"upstream": "ok", "database": "ok", "redis": "ok"}},
    )


async def test_readyz_is_not_ready_while_the_upstream_keeps_failing(
    service: Observed, upstream: Upstream
) -> None:
    await upstream.fault(
        '{"method": "GET", "path": "/v2/webserv/depositAssets", "action": "error",'
        ' "status": 503, "errorCode": "UNKNOWN_ERROR", "times": 100}'
    )
    for _ in range(2):  # three attempts each: five failures in a row open the breaker
        await service.query("{ depositAssets }")
    response = await service.http.get("/readyz")
    assert (response.status_code, response.json()) == (
        503,
        {
            "status": "not ready",
            "checks": {"upstream": "failing: CircuitOpen", "database": "ok"},
        },
    )
