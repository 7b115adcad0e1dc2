"""`/metrics`: the app's registry in Prometheus' text format, when `metrics_enabled` is on.

Each process serves its own counters (one registry per app): with several uvicorn workers, run
one worker per container and let Prometheus scrape every replica (docs/operations.md says why).
"""

from __future__ import annotations

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from observability.metrics import Metrics
from observability.telemetry import Telemetry
from settings import ServiceSettings


def metrics_endpoint(metrics: Metrics) -> Route:
    async def scrape(_request: Request) -> Response:
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    return Route("/metrics", scrape, methods=["GET"])


def observability_routes(settings: ServiceSettings, telemetry: Telemetry) -> list[Route]:
    return [metrics_endpoint(telemetry.metrics)] if settings.metrics_enabled else []
