"""The whole ASGI app (middleware included) before an in-process sandbox, and a scraper.

The lifespan runs through the app itself, as uvicorn drives it (`tests.support.lifespan`, state
included), so the middleware binds the
telemetry for start-up and for the background tasks started there, exactly as in production.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx
from prometheus_client.parser import text_string_to_metric_families
from starlette.applications import Starlette

from observability.telemetry import Telemetry
from server import create_app
from settings import ServiceSettings
from tests.support.lifespan import started
from tests.support.sandbox import SandboxTransport

Json = dict[str, object]
Sample = tuple[str, tuple[tuple[str, str], ...]]
"""A sample's name and its labels, sorted: the key of `Observed.scrape()`."""


@dataclass
class Observed:
    http: httpx.AsyncClient
    telemetry: Telemetry

    async def query(self, text: str, request_id: str | None = None, **variables: object) -> Json:
        headers = {"X-Request-ID": request_id} if request_id else {}
        response = await self.http.post(
            "/graphql", json={"query": text, "variables": variables}, headers=headers
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert isinstance(body, dict)
        return body

    async def scrape(self, prefix: str) -> dict[Sample, float]:
        """The non-zero samples of `/metrics` whose name starts with `prefix` (no timestamps)."""
        response = await self.http.get("/metrics")
        assert response.status_code == 200, response.text
        found: dict[Sample, float] = {}
        for family in text_string_to_metric_families(response.text):
            for sample in family.samples:
                wanted = sample.name.startswith(prefix) and not sample.name.endswith("_created")
                if wanted and sample.value:
                    found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
        return found


@asynccontextmanager
async def observed_service(
    sandbox: Starlette,
    settings: ServiceSettings,
    telemetry: Telemetry,
    transport: httpx.AsyncBaseTransport | None = None,
) -> AsyncIterator[Observed]:
    """The service before `sandbox` (through `transport` when a test needs to meddle)."""
    upstream = transport or SandboxTransport(sandbox)
    app = create_app(settings, upstream_transport=upstream, telemetry=telemetry)
    async with started(app) as served:
        to_app = httpx.ASGITransport(app=served)
        async with httpx.AsyncClient(transport=to_app, base_url="http://service.test") as http:
            yield Observed(http, telemetry)
