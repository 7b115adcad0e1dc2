"""The service with its telemetry in hand (in-memory spans, its own registry) before a sandbox."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import structlog
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from starlette.applications import Starlette

from observability.logs import ACCESS_LOGGER, UVICORN_LOGGERS
from observability.metrics import Metrics
from observability.telemetry import Telemetry
from tests.observability.served import Observed, observed_service
from tests.resolvers.harness import service_settings


@pytest.fixture
def spans() -> InMemorySpanExporter:
    return InMemorySpanExporter()


@pytest.fixture
def telemetry(spans: InMemorySpanExporter) -> Telemetry:
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(spans))
    return Telemetry(Metrics(), provider)


@pytest.fixture
async def service(
    sandbox: Starlette, telemetry: Telemetry, tmp_path: Path
) -> AsyncIterator[Observed]:
    async with observed_service(sandbox, service_settings(tmp_path), telemetry) as observed:
        yield observed


@pytest.fixture
def restored_logging() -> Iterator[None]:
    """Logging is process-wide: whatever a test configures is put back as it was after it."""
    loggers = [logging.getLogger(name) for name in ("", *UVICORN_LOGGERS, ACCESS_LOGGER)]
    saved = [(logger.handlers[:], logger.level, logger.propagate) for logger in loggers]
    yield
    structlog.reset_defaults()
    for logger, (handlers, level, propagate) in zip(loggers, saved, strict=True):
        logger.handlers, logger.propagate = handlers, propagate
        logger.setLevel(level)
