"""Attack: read `/metrics` (which operations, how often, which failures) and `/readyz` (which
dependency is down) from the public port. Defence: `TRADERGRAPH_OPS_PORT` moves both to a port
of their own (loopback by default), and the main port answers 404 for them."""

from __future__ import annotations

import errno
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from starlette.types import ASGIApp

from observability.ops import OpsPort
from server import create_app
from tests.resolvers.harness import service_settings
from tests.support.lifespan import started
from tests.support.sandbox import SandboxTransport

NO_HISTORY = {
    "synced": "nothing (run `tradergraph history sync`)",
    "lagSeconds": None,
    "lastError": None,
}
READY = {
    "status": "ready",
    "checks": {"upstream": "ok", "database": "ok"},
    "details": {"history": NO_HISTORY},  # the deal mirror, never backfilled here
}


def main_port(app: ASGIApp) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://service.test")


async def test_an_ops_port_serves_readyz_and_metrics_and_the_main_port_does_not(
    sandbox: Starlette, tmp_path: Path
) -> None:
    settings = service_settings(tmp_path, ops_port=0)
    app = create_app(settings, upstream_transport=SandboxTransport(sandbox))
    async with started(app) as served, main_port(served) as main:
        ops: OpsPort = app.state.ops
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{ops.port}") as internal:
            ready = await internal.get("/readyz")
            metrics = await internal.get("/metrics")
            graphql = await internal.get("/graphql")
        public = [(await main.get(path)).status_code for path in ("/readyz", "/metrics")]
        alive = await main.get("/healthz")

    assert (ready.status_code, ready.json()) == (200, READY)
    assert (metrics.status_code, metrics.headers["content-type"].split(";")[0]) == (
        200,
        "text/plain",
    )
    help_line = (
        "# HELP tradergraph_graphql_operation_duration_seconds"
        " Latency of one GraphQL operation, per operation name and type."
    )
    assert help_line in metrics.text.splitlines()
    assert (graphql.status_code, public, alive.status_code) == (404, [404, 404], 200)


async def test_without_an_ops_port_the_main_port_serves_both(
    sandbox: Starlette, tmp_path: Path
) -> None:
    app = create_app(service_settings(tmp_path), upstream_transport=SandboxTransport(sandbox))
    async with started(app) as served, main_port(served) as main:
        statuses = [(await main.get(path)).status_code for path in ("/readyz", "/metrics")]

    assert (statuses, app.state.ops.port) == ([200, 200], None)


async def test_an_ops_port_in_use_stops_the_start_up(sandbox: Starlette, tmp_path: Path) -> None:
    first = create_app(
        service_settings(tmp_path, ops_port=0), upstream_transport=SandboxTransport(sandbox)
    )
    async with started(first):
        taken = first.state.ops.port
        second = create_app(
            service_settings(tmp_path, ops_port=taken), upstream_transport=SandboxTransport(sandbox)
        )
        with pytest.raises(OSError, match="Address already in use") as refused:
            async with started(second):
                pass

    assert refused.value.errno == errno.EADDRINUSE
